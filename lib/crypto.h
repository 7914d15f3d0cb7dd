/*
 * DNSSEC signatures: verifying with a DNSKEY's public key and signing
 * with a key pair loaded by keyfile.h, for the algorithms of RFC 8624
 * §3.1 that are in use:
 *
 *	 5 RSASHA1, 7 RSASHA1-NSEC3-SHA1	verify only (RFC 3110)
 *	 8 RSASHA256, 10 RSASHA512		RFC 5702
 *	13 ECDSAP256SHA256, 14 ECDSAP384SHA384	RFC 6605
 *	15 ED25519, 16 ED448			RFC 8080
 *
 * Keys and signatures are in their DNSSEC encodings: an RSA public key
 * as RFC 3110 §2 gives it (exponent length in one octet, or a zero octet
 * and two octets, then exponent and modulus); ECDSA public keys as X | Y
 * and signatures as r | s, each a fixed-width big-endian number (RFC
 * 6605 §4), converted here to and from the DER that OpenSSL speaks;
 * EdDSA keys and signatures raw (RFC 8080 §3 and §4).
 *
 * The data passed in is what RFC 4034 §3.1.8.1 says is signed (RRSIG
 * RDATA without the signature, then the RRset in canonical form); the
 * hash named by the algorithm is applied here.
 *
 * Every signature made here is deterministic, so published examples
 * reproduce byte for byte: RSA and EdDSA by their definition (RFC 5702
 * §6, RFC 8080 §6), ECDSA because the nonce is RFC 6979's (ecdsa.h;
 * OpenSSL 3.0 has only random nonces).
 *
 * Names: libsodium owns crypto_sign* and crypto_verify_*, so signing
 * is crypto_keyfile_sign() and one-off verification
 * crypto_dnskey_verify().
 *
 * Threads: a struct crypto_pubkey, once made, may be used by any number
 * of threads at once, and so may a loaded key for signing: each key
 * keeps a pool of OpenSSL contexts, one per thread using it at a time,
 * set up once and reused, which makes a cheap operation (an RSA
 * verification) three to four times faster than setting one up per
 * call.  Make and free keys from one thread.
 */
#ifndef CRYPTO_H
#define CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct keyfile;
struct crypto_pubkey;
struct crypto_privkey;

/* The longest signature made here: RSA with a 4096-bit modulus. */
#define CRYPTO_SIG_MAX		512
/* The longest DNSKEY public key made here (RSA 4096, 3-octet exponent). */
#define CRYPTO_PUBKEY_MAX	(3 + 4 + 512)

bool	 crypto_alg_can_verify(uint8_t);
bool	 crypto_alg_can_sign(uint8_t);

/*
 * RSA keys too short to sign with: a modulus under 2048 bits gives less
 * than 112 bits of security, which NIST SP 800-131A (revision 2, section
 * 3) disallows for making signatures and FIPS 186-5 (section 5.1) for
 * new keys.  crypto_rsa_bits() gives the modulus length of an RSA
 * DNSKEY public key field (RFC 3110 §2), 0 for another algorithm or a
 * malformed field.
 */
#define CRYPTO_RSA_MIN_BITS	2048
unsigned	 crypto_rsa_bits(uint8_t, const uint8_t *, size_t);

/*
 * Verification.  crypto_pubkey_new() parses a DNSKEY's public key field
 * once (NULL and a diagnostic when it is malformed or the algorithm is
 * not supported); crypto_pubkey_verify() returns 1 for a good
 * signature, 0 for a bad one (a malformed signature is a bad one).
 * crypto_dnskey_verify() does both for a one-off check.
 */
struct crypto_pubkey *crypto_pubkey_new(uint8_t, const uint8_t *, size_t,
		    struct diag *);
int		 crypto_pubkey_verify(const struct crypto_pubkey *,
		    const uint8_t *, size_t, const uint8_t *, size_t);
uint8_t		 crypto_pubkey_algorithm(const struct crypto_pubkey *);
unsigned	 crypto_pubkey_bits(const struct crypto_pubkey *);
void		 crypto_pubkey_free(struct crypto_pubkey *);
int		 crypto_dnskey_verify(uint8_t, const uint8_t *, size_t,
		    const uint8_t *, size_t, const uint8_t *, size_t);

/*
 * Signing with a loaded key pair (keyfile.h): the signature goes to sig,
 * which has room for CRYPTO_SIG_MAX octets, its length to *siglen.
 * Returns 0, or -1 and a diagnostic.
 */
int		 crypto_keyfile_sign(const struct keyfile *, const uint8_t *,
		    size_t, uint8_t *, size_t *, struct diag *);
size_t		 crypto_keyfile_sig_len(const struct keyfile *);

/*
 * Signing many: crypto_signer_add() signs data with the key into sig
 * (crypto_keyfile_sig_len() octets), which holds the signature once
 * crypto_signer_run() has returned 0.  ECDSA signatures are queued and
 * made in batches (ecdsa.h), the others at once; a full queue is run by
 * the next add.  -1 from either means a
 * signature of the queue may be missing: give up.  One per thread.
 */
struct crypto_signer;
struct crypto_signer *crypto_signer_new(const struct keyfile *,
		    struct diag *);
int		 crypto_signer_add(struct crypto_signer *, const uint8_t *,
		    size_t, uint8_t *);
int		 crypto_signer_run(struct crypto_signer *);
const char	*crypto_signer_error(const struct crypto_signer *);
void		 crypto_signer_free(struct crypto_signer *);

/*
 * A signer checking its own signatures with the key pair that made
 * them: the same answer as verification with the DNSKEY, at less than
 * the cost of signing for ECDSA and Ed25519 (see crypto.c).  One at a
 * time, crypto_selfcheck() gives 1 for a good signature, 0 for a bad
 * one; in batches, crypto_selfcheck_add() queues up to
 * CRYPTO_SELFCHECK_BATCH of them and crypto_selfcheck_run() answers for
 * each (ECDSA shares one modular inversion among the batch).  A checker
 * has scratch space: one per thread.
 */
#define CRYPTO_SELFCHECK_BATCH	64
struct crypto_selfcheck;
struct crypto_selfcheck *crypto_selfcheck_new(const struct keyfile *,
		    struct diag *);
int		 crypto_selfcheck(struct crypto_selfcheck *, const uint8_t *,
		    size_t, const uint8_t *, size_t);
int		 crypto_selfcheck_add(struct crypto_selfcheck *,
		    const uint8_t *, size_t, const uint8_t *, size_t);
size_t		 crypto_selfcheck_run(struct crypto_selfcheck *, int8_t *);
void		 crypto_selfcheck_free(struct crypto_selfcheck *);

/*
 * Private keys, for keyfile.c.  Each constructor takes the private
 * numbers as BIND's K*.private file gives them (big-endian octets),
 * builds the key and writes the public key it implies, in the DNSKEY
 * encoding, to pub (CRYPTO_PUBKEY_MAX octets), so that the caller can
 * compare it with the DNSKEY it claims to belong to.
 */
struct crypto_rsa_fields {
	const uint8_t	*n, *e, *d, *p, *q, *dp, *dq, *qinv;
	size_t		 nlen, elen, dlen, plen, qlen, dplen, dqlen, qinvlen;
};

struct crypto_privkey *crypto_privkey_rsa(uint8_t,
		    const struct crypto_rsa_fields *, uint8_t *, size_t *,
		    struct diag *);
struct crypto_privkey *crypto_privkey_raw(uint8_t, const uint8_t *, size_t,
		    uint8_t *, size_t *, struct diag *);
int		 crypto_privkey_sign(const struct crypto_privkey *,
		    const uint8_t *, size_t, uint8_t *, size_t *,
		    struct diag *);
size_t		 crypto_privkey_sig_len(const struct crypto_privkey *);
void		 crypto_privkey_free(struct crypto_privkey *);

#endif
