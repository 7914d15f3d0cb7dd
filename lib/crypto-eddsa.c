/*
 * The EdDSA back-end (RFC 8080): Ed25519 with libsodium, Ed448 with
 * OpenSSL; private keys, Ed448's signing and verification, and the check
 * of one's own Ed25519 signatures with the private key.
 */
#define OPENSSL_API_COMPAT	30000
#define OPENSSL_NO_DEPRECATED

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include "crypto.h"
#include "diag.h"
#include "ecdsa.h"
#include "crypto-int.h"

/* Ed448 (RFC 8032 section 5.2) hashes inside the signature itself, so
 * it goes through EVP_DigestVerify with a context of its own. */
int
crypto_ed448_verify(EVP_PKEY *pkey, const uint8_t *data, size_t len,
    const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX *ctx;
	int rc;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return 0;
	rc = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	    EVP_DigestVerify(ctx, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* RFC 8080 §3: the private key is the 32-octet seed of RFC 8032 §5.1.5. */
int
crypto_ed25519_private(struct crypto_privkey *k, const uint8_t *priv,
    size_t len, uint8_t *pub, size_t *publen, struct diag *d)
{
	if (len != crypto_sign_SEEDBYTES) {
		diag_set(d, NULL, 0, "Ed25519 private key of %zu octets, "
		    "not 32", len);
		return -1;
	}
	if (!crypto_sodium_ready() || (k->ed25519 =
	    crypto_secret_alloc(crypto_sign_SECRETKEYBYTES)) == NULL ||
	    crypto_sign_seed_keypair(pub, k->ed25519, priv) != 0) {
		diag_set(d, NULL, 0, "libsodium failed");
		return -1;
	}
	*publen = crypto_sign_PUBLICKEYBYTES;
	k->siglen = crypto_sign_BYTES;
	return 0;
}

int
crypto_ed448_private(struct crypto_privkey *k, const uint8_t *priv, size_t len,
    uint8_t *pub, size_t *publen, struct diag *d)
{
	size_t n = 57;

	if (len != 57) {
		diag_set(d, NULL, 0, "Ed448 private key of %zu octets, "
		    "not 57", len);
		return -1;
	}
	if ((k->pkey = EVP_PKEY_new_raw_private_key_ex(NULL, "ED448", NULL,
	    priv, len)) == NULL ||
	    EVP_PKEY_get_raw_public_key(k->pkey, pub, &n) != 1 || n != 57) {
		diag_set(d, NULL, 0, "bad Ed448 private key: %s",
		    crypto_ossl_reason());
		return -1;
	}
	*publen = n;
	k->siglen = 114;
	return 0;
}

/* Ed448 signs the message itself (RFC 8032 section 5.2). */
int
crypto_ed448_sign(const struct crypto_privkey *k, const uint8_t *data,
    size_t len, uint8_t *sig, size_t *siglen)
{
	EVP_MD_CTX *ctx;
	int rc;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	rc = EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	    EVP_DigestSign(ctx, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(ctx);
	return rc ? 0 : -1;
}

/* RFC 8032 §5.1.5: the scalar a is the clamped first half of the hash
 * of the seed; kept here reduced mod L. */
int
crypto_selfcheck_ed25519_init(struct crypto_selfcheck *c)
{
	uint8_t h[crypto_hash_sha512_BYTES], wide[64];

	if ((c->a = crypto_secret_alloc(crypto_core_ed25519_SCALARBYTES)) ==
	    NULL)
		return -1;
	crypto_hash_sha512(h, c->k->ed25519, crypto_sign_SEEDBYTES);
	h[0] &= 248;
	h[31] &= 127;
	h[31] |= 64;
	memset(wide, 0, sizeof(wide));
	memcpy(wide, h, 32);
	crypto_core_ed25519_scalar_reduce(c->a, wide);
	sodium_memzero(h, sizeof(h));
	sodium_memzero(wide, sizeof(wide));
	return 0;
}

int
crypto_selfcheck_ed25519(struct crypto_selfcheck *c, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen)
{
	crypto_hash_sha512_state st;
	uint8_t h[crypto_hash_sha512_BYTES], wide[64], s[32], k[32], ka[32],
	    t[32], p[32];
	int ok;

	if (siglen != crypto_sign_BYTES)
		return 0;
	/* S must be below L (RFC 8032 §5.1.7 step 1): reducing it must
	 * leave it as it is. */
	memset(wide, 0, sizeof(wide));
	memcpy(wide, sig + 32, 32);
	crypto_core_ed25519_scalar_reduce(s, wide);
	if (memcmp(s, sig + 32, 32) != 0)
		return 0;
	/* k = SHA-512(R || A || M) mod L. */
	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, sig, 32);
	crypto_hash_sha512_update(&st, c->k->ed25519 + crypto_sign_SEEDBYTES,
	    crypto_sign_PUBLICKEYBYTES);
	crypto_hash_sha512_update(&st, data, len);
	crypto_hash_sha512_final(&st, h);
	crypto_core_ed25519_scalar_reduce(k, h);
	crypto_core_ed25519_scalar_mul(ka, k, c->a);
	crypto_core_ed25519_scalar_sub(t, s, ka);
	ok = crypto_scalarmult_ed25519_base_noclamp(p, t) == 0 &&
	    memcmp(p, sig, 32) == 0;
	sodium_memzero(ka, sizeof(ka));
	sodium_memzero(t, sizeof(t));
	return ok;
}
