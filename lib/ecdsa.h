/*
 * Deterministic ECDSA (RFC 6979) for the DNSSEC curves: P-256 with
 * SHA-256 (algorithm 13) and P-384 with SHA-384 (algorithm 14, RFC 6605
 * §2), made in batches.
 *
 * The nonce k of each signature comes from the private key and the hash
 * by RFC 6979 §3.2's HMAC_DRBG, so the same key and data give the same
 * signature on every run and every machine (RFC 6979 §A.2.5 and §A.2.6
 * reproduce byte for byte).  A batch shares the costly parts among its
 * signatures: one modular inversion for all the k (Montgomery's trick)
 * and one field inversion for all the points k G.
 *
 * ecdsa_batch_add() hashes the data and computes k and k G at once, so
 * the data may be reused as soon as it returns; the signature, r | s
 * with r and s of the curve's width each (RFC 6605 §4), is written to
 * the place given when ecdsa_batch_run() returns 0.  A batch holds
 * scratch space: one per thread.
 */
#ifndef ECDSA_H
#define ECDSA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#define ECDSA_BATCH	64

struct ecdsa_batch;
struct ecdsa_xs;

struct ecdsa_batch *ecdsa_batch_new(const EVP_PKEY *, uint8_t);
int		 ecdsa_batch_add(struct ecdsa_batch *, const uint8_t *, size_t,
		    uint8_t *);
int		 ecdsa_batch_run(struct ecdsa_batch *);
size_t		 ecdsa_batch_queued(const struct ecdsa_batch *);
void		 ecdsa_batch_free(struct ecdsa_batch *);

/*
 * The x coordinates of up to ECDSA_BATCH points of a curve, mod the
 * order n (r of a signature, FIPS 186-4 §6.4.1 step 5), with one field
 * inversion for all of them; -1 when a point is at infinity.  Shared
 * with the signer's check of its own signatures (crypto.c).
 */
struct ecdsa_xs *ecdsa_xs_new(const EC_GROUP *);
int		 ecdsa_xs_mod_n(struct ecdsa_xs *, EC_POINT *const *, size_t,
		    BIGNUM *const *);
void		 ecdsa_xs_free(struct ecdsa_xs *);

/*
 * The curve of the group again, with the point given as its generator
 * (of the same prime order) and its multiples precomputed, so that
 * EC_POINT_mul() by that point is a fixed-base multiplication, as by
 * the curve's own generator: for the check of many signatures by one
 * public key (crypto.c).  NULL on failure.
 */
EC_GROUP	*ecdsa_group_of_point(const EC_GROUP *, const EC_POINT *,
		    BN_CTX *);

#endif
