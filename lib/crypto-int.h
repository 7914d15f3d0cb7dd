/*
 * The pieces of crypto.h's interface, shared between lib/crypto.c (the
 * one dispatcher: every entry point, a switch on the algorithm),
 * lib/crypto-ossl.c (what RSA and ECDSA share in OpenSSL: pooled
 * contexts, hashing, keys from parameters), lib/crypto-rsa.c,
 * lib/crypto-ecdsa.c and lib/crypto-eddsa.c (one back-end per family of
 * algorithms) and lib/crypto-keyfile.c (keys of key files and of tokens,
 * lib/pkcs11.c): the key structures and the functions one piece calls in
 * another.  Private to those files; programs use crypto.h.
 *
 * Included after crypto.h, whose types it needs (including it here would
 * make an include cycle: crypto.c includes this file), and after the
 * OPENSSL_API_COMPAT and OPENSSL_NO_DEPRECATED definitions of each piece.
 */
#ifndef CRYPTO_INT_H
#define CRYPTO_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "diag.h"
#include "ecdsa.h"

/*
 * Contexts ready to sign or verify with one key, kept for reuse.
 * Setting up an OpenSSL 3.0 operation (EVP_DigestSignInit and the like)
 * looks up the algorithm under global locks and copies the key: done
 * for every signature, two threads signing ECDSA P-256 made barely more
 * signatures than one.  A thread takes a context from the pool, hashes
 * and signs or verifies, and gives it back; the pool grows to the
 * number of threads that use the key at once.
 */
struct opctx {
	EVP_PKEY_CTX	*pctx;
	EVP_MD_CTX	*mctx;
};

struct ctxpool {
	pthread_mutex_t	 lock;
	struct opctx	*free;
	size_t		 n, cap;
	int		 sign;		/* sign or verify contexts */
};

struct crypto_pubkey {
	uint8_t		 alg;
	unsigned	 bits;
	size_t		 width;		/* ECDSA: octets of r and of s */
	EVP_PKEY	*pkey;		/* all but Ed25519 */
	EVP_MD		*md;		/* NULL for EdDSA */
	struct ctxpool	 pool;		/* RSA and ECDSA */
	uint8_t		 ed25519[crypto_sign_PUBLICKEYBYTES];
};

struct crypto_privkey {
	uint8_t		 alg;
	size_t		 siglen;
	size_t		 width;
	EVP_PKEY	*pkey;
	EVP_MD		*md;
	struct ctxpool	 pool;
	uint8_t		*ed25519;	/* secret_alloc(), SECRETKEYBYTES */
};

/*
 * Checking one's own signatures before publishing them (zresign's
 * safety check).  The private key turns ECDSA and Ed25519 verification
 * into one fixed-base multiplication, the cost of signing, where the
 * public key needs a double one, about three times as much:
 *
 *	ECDSA (FIPS 186-4 §6.4.2): the verifier's point u1 G + u2 Q, with
 *	u1 = e / s and u2 = r / s, is (e + r d) / s G when Q = d G; the
 *	signature is good if and only if the x of that point is r mod n.
 *	Ed25519 (RFC 8032 §5.1.7): [S]B = R + [k]A with A = [a]B is
 *	[S - k a]B = R.
 *
 * keyfile.c has checked that the public key the private one implies is
 * the DNSKEY's, so the answer is the one verification with the DNSKEY
 * would give.  RSA and Ed448 are verified with the public key (RSA
 * verification is cheap).  A checker keeps scratch space, so each
 * thread needs its own.
 *
 * For ECDSA, k' = (e + r d) / s is the signature's nonce k, a secret, and
 * so is the Z of k' G: they are computed as the signer computes them
 * (ecdsa.c, which says why each step takes constant time): r d and the
 * product by 1 / s by Montgomery multiplication modulo n, the sum by
 * BN_mod_add_quick(), k' G by EC_POINT_mul() with BN_FLG_CONSTTIME, the
 * inverse of the Z by ecdsa_xs_mod_n().  The s are public, but their
 * product is inverted by Fermat as well (a^(n-2) mod n,
 * BN_mod_exp_mont_consttime()): it costs little once per batch, and
 * keeps BN_mod_inverse() out of the signer altogether, which is what
 * t/tools/ecdsainv.c checks.
 */
struct crypto_selfcheck {
	uint8_t			 alg;
	const struct crypto_privkey *k;
	struct crypto_pubkey	*pk;		/* RSA and Ed448 */
	EC_GROUP		*group;		/* ECDSA */
	size_t			 width;		/* ECDSA: of r and s */
	const EVP_MD		*md;		/* ECDSA */
	/* ECDSA with the public key only (a key in a token): its point Q,
	 * and once SELFCHECK_Q_TABLE signatures were checked the curve with
	 * Q as its generator, Q's multiples precomputed. */
	EC_POINT		*qpt, *q;
	EC_GROUP		*qgroup;
	size_t			 nq;
	BIGNUM			*u2;
	BN_CTX			*bc;
	struct ecdsa_xs		*xs;
	EC_POINT		*pt[CRYPTO_SELFCHECK_BATCH];
	BIGNUM			*px[CRYPTO_SELFCHECK_BATCH];
	size_t			 which[CRYPTO_SELFCHECK_BATCH];
	BIGNUM			*d, *t, *x, *inv;
	BIGNUM			*dm;		/* d R mod n */
	BIGNUM			*nm2;		/* n - 2 */
	BN_MONT_CTX		*mont;		/* modulo n */
	EVP_MD_CTX		*mctx;
	uint8_t			*a;	/* secret_alloc(), SCALARBYTES */
	/* The queue (crypto_selfcheck_add()): for ECDSA e, r, s and the
	 * products of the s before each; for the others the answers. */
	size_t			 n;
	BIGNUM			*e[CRYPTO_SELFCHECK_BATCH];
	BIGNUM			*r[CRYPTO_SELFCHECK_BATCH];
	BIGNUM			*s[CRYPTO_SELFCHECK_BATCH];
	BIGNUM			*prod[CRYPTO_SELFCHECK_BATCH + 1];
	int8_t			 ok[CRYPTO_SELFCHECK_BATCH];
};

/* crypto.c */
bool		 crypto_sodium_ready(void);
/*
 * Memory for private key material (an Ed25519 key, a checker's scalar):
 * sodium_malloc(3) locks it against swapping where the system allows (a
 * refused mlock(2) is no error), puts guard pages around it, and
 * sodium_free() wipes it.  Zeroed, like calloc(3).  Only octets go
 * there, never pointers: a leak checker does not scan that memory.
 */
void		*crypto_secret_alloc(size_t n);
/* The last OpenSSL error, for a diagnostic; the queue is per thread. */
const char	*crypto_ossl_reason(void);
bool		 crypto_is_rsa(uint8_t alg);
bool		 crypto_is_ecdsa(uint8_t alg);
/*
 * Private keys.
 */
struct crypto_privkey *crypto_privkey_alloc(uint8_t alg, struct diag *d);

/* crypto-ossl.c */
void		 crypto_pool_init(struct ctxpool *p, int sign);
void		 crypto_pool_destroy(struct ctxpool *p);
/* Build a key from parameters: selection is EVP_PKEY_PUBLIC_KEY or
 * EVP_PKEY_KEYPAIR. */
EVP_PKEY	*crypto_key_from_params(const char *type, OSSL_PARAM_BLD *bld,
		    int selection);
/* RSA and ECDSA: hash, then verify the hash, with a pooled context. */
int		 crypto_pooled_verify(const struct crypto_pubkey *cpk,
		    const uint8_t *data, size_t len, const uint8_t *sig,
		    size_t siglen);
/* A private number as a BIGNUM in OpenSSL's secure heap, so that the
 * parameters built from it are wiped when freed. */
BIGNUM		*crypto_secret_bn(const uint8_t *b, size_t n);
/* RSA and ECDSA: hash, then sign the hash, with a pooled context. */
int		 crypto_pooled_sign(const struct crypto_privkey *ck,
		    const uint8_t *data, size_t len, uint8_t *sig,
		    size_t *siglen);

/* crypto-rsa.c */
EVP_PKEY	*crypto_rsa_public(const uint8_t *key, size_t len,
		    unsigned *bits, struct diag *d);

/* crypto-ecdsa.c */
size_t		 crypto_der_from_rs(const uint8_t *sig, size_t w, uint8_t *der);
/* RFC 6605 §4: the public key is X | Y; OpenSSL wants the uncompressed
 * point 0x04 | X | Y, and checks that it is on the curve. */
EVP_PKEY	*crypto_ec_public(uint8_t alg, const uint8_t *key, size_t len,
		    struct diag *d);
int		 crypto_ec_private(struct crypto_privkey *k,
		    const uint8_t *priv, size_t len, uint8_t *pub,
		    size_t *publen, struct diag *d);
/* One deterministic ECDSA signature (ecdsa.h), for a one-off; signers
 * of many use crypto_signer_add(). */
int		 crypto_ecdsa_once(const struct crypto_privkey *k,
		    const uint8_t *data, size_t len, uint8_t *sig);
int		 crypto_selfcheck_ecdsa_init(struct crypto_selfcheck *c);
/* The key's point Q (RFC 6605 section 4: X | Y, which
 * crypto_pubkey_new() found on the curve). */
int		 crypto_selfcheck_q_init(struct crypto_selfcheck *c);
/*
 * ECDSA, first half: the hash e, r and s of one signature into the
 * queue, or the answer "bad" when r or s is out of range (FIPS 186-4
 * §6.4.2 step 1: 0 < r, s < n).  The hash is as long as the order for
 * P-256/SHA-256 and P-384/SHA-384 (RFC 6605 §2), so e is the whole of
 * it, reduced mod n by one subtraction at most (e < 2^qlen < 2 n).
 */
void		 crypto_selfcheck_ecdsa_add(struct crypto_selfcheck *c,
		    const uint8_t *data, size_t len, const uint8_t *sig,
		    size_t siglen);
void		 crypto_selfcheck_ecdsa_run(struct crypto_selfcheck *c);

/* crypto-eddsa.c */
/* Ed448 (RFC 8032 section 5.2) hashes inside the signature itself, so
 * it goes through EVP_DigestVerify with a context of its own. */
int		 crypto_ed448_verify(EVP_PKEY *pkey, const uint8_t *data,
		    size_t len, const uint8_t *sig, size_t siglen);
/* RFC 8080 §3: the private key is the 32-octet seed of RFC 8032 §5.1.5. */
int		 crypto_ed25519_private(struct crypto_privkey *k,
		    const uint8_t *priv, size_t len, uint8_t *pub,
		    size_t *publen, struct diag *d);
int		 crypto_ed448_private(struct crypto_privkey *k,
		    const uint8_t *priv, size_t len, uint8_t *pub,
		    size_t *publen, struct diag *d);
/* Ed448 signs the message itself (RFC 8032 section 5.2). */
int		 crypto_ed448_sign(const struct crypto_privkey *k,
		    const uint8_t *data, size_t len, uint8_t *sig,
		    size_t *siglen);
/* RFC 8032 §5.1.5: the scalar a is the clamped first half of the hash
 * of the seed; kept here reduced mod L. */
int		 crypto_selfcheck_ed25519_init(struct crypto_selfcheck *c);
int		 crypto_selfcheck_ed25519(struct crypto_selfcheck *c,
		    const uint8_t *data, size_t len, const uint8_t *sig,
		    size_t siglen);

#endif
