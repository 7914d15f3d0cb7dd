/*
 * See crypto.h.  OpenSSL 3 EVP with keys built from parameters
 * (EVP_PKEY_fromdata), no deprecated interface; Ed25519 with libsodium,
 * which is the fastest here.
 *
 * This file is the one dispatcher: every entry point of crypto.h that
 * takes a key in memory chooses the back-end by algorithm here, in one
 * switch or if chain per operation: RSA (lib/crypto-rsa.c), ECDSA
 * (lib/crypto-ecdsa.c), EdDSA (lib/crypto-eddsa.c), with what RSA and
 * ECDSA share in OpenSSL in lib/crypto-ossl.c.  Keys of key files and of
 * tokens (PKCS #11) are in lib/crypto-keyfile.c.
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

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;

static void
init_sodium(void)
{
	sodium_ok = sodium_init() >= 0;
}

bool
crypto_sodium_ready(void)
{
	pthread_once(&sodium_once, init_sodium);
	return sodium_ok;
}

/*
 * Memory for private key material (an Ed25519 key, a checker's scalar):
 * sodium_malloc(3) locks it against swapping where the system allows (a
 * refused mlock(2) is no error), puts guard pages around it, and
 * sodium_free() wipes it.  Zeroed, like calloc(3).  Only octets go
 * there, never pointers: a leak checker does not scan that memory.
 */
void *
crypto_secret_alloc(size_t n)
{
	void *p;

	if (!crypto_sodium_ready() || (p = sodium_malloc(n)) == NULL)
		return NULL;
	memset(p, 0, n);
	return p;
}

/* The last OpenSSL error, for a diagnostic; the queue is per thread. */
const char *
crypto_ossl_reason(void)
{
	unsigned long e = ERR_get_error();
	const char *r;

	ERR_clear_error();
	if (e == 0 || (r = ERR_reason_error_string(e)) == NULL)
		return "OpenSSL error";
	return r;
}

/* The hash of the algorithm (RFC 3110, RFC 5702 §3, RFC 6605 §2). */
static const char *
md_name(uint8_t alg)
{
	switch (alg) {
	case 5:
	case 7:
		return "SHA1";
	case 8:
	case 13:
		return "SHA256";
	case 10:
		return "SHA512";
	case 14:
		return "SHA384";
	default:
		return NULL;
	}
}

bool
crypto_is_rsa(uint8_t alg)
{
	return alg == 5 || alg == 7 || alg == 8 || alg == 10;
}

bool
crypto_is_ecdsa(uint8_t alg)
{
	return alg == 13 || alg == 14;
}

static bool
ed448_available(void)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "ED448", NULL);

	EVP_PKEY_CTX_free(c);
	ERR_clear_error();
	return c != NULL;
}

bool
crypto_alg_can_verify(uint8_t alg)
{
	switch (alg) {
	case 5: case 7: case 8: case 10: case 13: case 14: case 15:
		return true;
	case 16:
		return ed448_available();
	default:
		return false;
	}
}

/* RFC 8624 §3.1: RSASHA1 and RSASHA1-NSEC3-SHA1 are NOT RECOMMENDED for
 * signing; berokit does not make new signatures with them. */
bool
crypto_alg_can_sign(uint8_t alg)
{
	return crypto_alg_can_verify(alg) && alg != 5 && alg != 7;
}

struct crypto_pubkey *
crypto_pubkey_new(uint8_t alg, const uint8_t *key, size_t len,
    struct diag *d)
{
	struct crypto_pubkey *pk;

	if (!crypto_alg_can_verify(alg)) {
		diag_set(d, NULL, 0, "unsupported algorithm %u", alg);
		return NULL;
	}
	if ((pk = calloc(1, sizeof(*pk))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	pk->alg = alg;
	crypto_pool_init(&pk->pool, 0);
	if (crypto_is_rsa(alg))
		pk->pkey = crypto_rsa_public(key, len, &pk->bits, d);
	else if (crypto_is_ecdsa(alg)) {
		pk->pkey = crypto_ec_public(alg, key, len, d);
		pk->width = alg == 13 ? 32 : 48;
		pk->bits = alg == 13 ? 256 : 384;
	} else if (alg == 15) {
		/* RFC 8080 §3: the 32-octet public key. */
		if (len != sizeof(pk->ed25519) || !crypto_sodium_ready()) {
			diag_set(d, NULL, 0, "Ed25519 public key of %zu "
			    "octets, not 32", len);
			crypto_pubkey_free(pk);
			return NULL;
		}
		memcpy(pk->ed25519, key, len);
		pk->bits = 256;
		return pk;
	} else {
		if (len != 57 || (pk->pkey = EVP_PKEY_new_raw_public_key_ex(
		    NULL, "ED448", NULL, key, len)) == NULL)
			diag_set(d, NULL, 0, "bad Ed448 public key");
		pk->bits = 456;
	}
	if (pk->pkey == NULL) {
		crypto_pubkey_free(pk);
		return NULL;
	}
	if (md_name(alg) != NULL &&
	    (pk->md = EVP_MD_fetch(NULL, md_name(alg), NULL)) == NULL) {
		diag_set(d, NULL, 0, "%s: %s", md_name(alg),
		    crypto_ossl_reason());
		crypto_pubkey_free(pk);
		return NULL;
	}
	return pk;
}

void
crypto_pubkey_free(struct crypto_pubkey *pk)
{
	if (pk == NULL)
		return;
	crypto_pool_destroy(&pk->pool);
	EVP_PKEY_free(pk->pkey);
	EVP_MD_free(pk->md);
	free(pk);
}

uint8_t
crypto_pubkey_algorithm(const struct crypto_pubkey *pk)
{
	return pk->alg;
}

unsigned
crypto_pubkey_bits(const struct crypto_pubkey *pk)
{
	return pk->bits;
}

int
crypto_pubkey_verify(const struct crypto_pubkey *pk, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen)
{
	uint8_t der[2 + 2 * (3 + 48)];
	size_t dlen;
	int rc;

	if (pk->alg == 15)
		return siglen == crypto_sign_BYTES &&
		    crypto_sign_verify_detached(sig, data, len,
		    pk->ed25519) == 0;
	if (crypto_is_ecdsa(pk->alg)) {
		if (siglen != 2 * pk->width)
			return 0;
		dlen = crypto_der_from_rs(sig, pk->width, der);
		rc = crypto_pooled_verify(pk, data, len, der, dlen);
	} else if (pk->alg == 16)
		rc = crypto_ed448_verify(pk->pkey, data, len, sig, siglen);
	else
		rc = crypto_pooled_verify(pk, data, len, sig, siglen);
	if (!rc)
		ERR_clear_error();
	return rc;
}

int
crypto_dnskey_verify(uint8_t alg, const uint8_t *key, size_t keylen,
    const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen)
{
	struct crypto_pubkey *pk;
	int rc;

	if ((pk = crypto_pubkey_new(alg, key, keylen, NULL)) == NULL)
		return 0;
	rc = crypto_pubkey_verify(pk, data, len, sig, siglen);
	crypto_pubkey_free(pk);
	return rc;
}

/*
 * Private keys.
 */

struct crypto_privkey *
crypto_privkey_alloc(uint8_t alg, struct diag *d)
{
	struct crypto_privkey *k;

	if (!crypto_alg_can_verify(alg)) {
		diag_set(d, NULL, 0, "unsupported algorithm %u", alg);
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	k->alg = alg;
	crypto_pool_init(&k->pool, 1);
	if (md_name(alg) != NULL &&
	    (k->md = EVP_MD_fetch(NULL, md_name(alg), NULL)) == NULL) {
		diag_set(d, NULL, 0, "%s: %s", md_name(alg),
		    crypto_ossl_reason());
		crypto_privkey_free(k);
		return NULL;
	}
	return k;
}

void
crypto_privkey_free(struct crypto_privkey *k)
{
	if (k == NULL)
		return;
	crypto_pool_destroy(&k->pool);
	EVP_PKEY_free(k->pkey);
	EVP_MD_free(k->md);
	sodium_free(k->ed25519);	/* wipes */
	sodium_memzero(k, sizeof(*k));
	free(k);
}

struct crypto_privkey *
crypto_privkey_raw(uint8_t alg, const uint8_t *priv, size_t len,
    uint8_t *pub, size_t *publen, struct diag *d)
{
	struct crypto_privkey *k;
	int rc;

	if (crypto_is_rsa(alg)) {
		diag_set(d, NULL, 0, "algorithm %u wants RSA numbers", alg);
		return NULL;
	}
	if ((k = crypto_privkey_alloc(alg, d)) == NULL)
		return NULL;
	if (crypto_is_ecdsa(alg))
		rc = crypto_ec_private(k, priv, len, pub, publen, d);
	else if (alg == 15)
		rc = crypto_ed25519_private(k, priv, len, pub, publen, d);
	else
		rc = crypto_ed448_private(k, priv, len, pub, publen, d);
	if (rc != 0) {
		ERR_clear_error();
		crypto_privkey_free(k);
		return NULL;
	}
	return k;
}

size_t
crypto_privkey_sig_len(const struct crypto_privkey *k)
{
	return k->siglen;
}

int
crypto_privkey_sign(const struct crypto_privkey *k, const uint8_t *data,
    size_t len, uint8_t *sig, size_t *siglen, struct diag *d)
{

	if (!crypto_alg_can_sign(k->alg)) {
		diag_set(d, NULL, 0, "algorithm %u must not be used for "
		    "signing (RFC 8624 section 3.1)", k->alg);
		return -1;
	}
	if (k->alg == 15) {
		crypto_sign_detached(sig, NULL, data, len, k->ed25519);
		*siglen = crypto_sign_BYTES;
		return 0;
	}
	if (crypto_is_ecdsa(k->alg)) {
		if (crypto_ecdsa_once(k, data, len, sig) != 0)
			goto fail;
		*siglen = 2 * k->width;
		return 0;
	}
	*siglen = CRYPTO_SIG_MAX;
	if ((k->alg == 16 ? crypto_ed448_sign(k, data, len, sig, siglen) :
	    crypto_pooled_sign(k, data, len, sig, siglen)) != 0)
		goto fail;
	return 0;
fail:
	diag_set(d, NULL, 0, "signing with algorithm %u failed: %s", k->alg,
	    crypto_ossl_reason());
	return -1;
}

void
crypto_selfcheck_free(struct crypto_selfcheck *c)
{
	size_t i;

	if (c == NULL)
		return;
	crypto_pubkey_free(c->pk);
	for (i = 0; i < CRYPTO_SELFCHECK_BATCH; i++) {
		EC_POINT_clear_free(c->pt[i]);
		BN_free(c->px[i]);
	}
	ecdsa_xs_free(c->xs);
	EC_POINT_free(c->qpt);
	EC_POINT_free(c->q);
	EC_GROUP_free(c->qgroup);
	BN_free(c->u2);
	EC_GROUP_free(c->group);
	BN_clear_free(c->d);
	BN_clear_free(c->dm);
	BN_clear_free(c->t);
	BN_free(c->nm2);
	BN_MONT_CTX_free(c->mont);
	BN_free(c->x);
	BN_free(c->inv);
	for (i = 0; i < CRYPTO_SELFCHECK_BATCH; i++) {
		BN_free(c->e[i]);
		BN_free(c->r[i]);
		BN_free(c->s[i]);
		BN_free(c->prod[i]);
	}
	BN_free(c->prod[CRYPTO_SELFCHECK_BATCH]);
	BN_CTX_free(c->bc);
	EVP_MD_CTX_free(c->mctx);
	sodium_free(c->a);	/* wipes */
	sodium_memzero(c, sizeof(*c));
	free(c);
}

/*
 * Queue the check of a signature of data; returns its place in the
 * queue, or -1 when the queue is full (crypto_selfcheck_run() empties
 * it).  Only ECDSA waits; the others are checked at once.
 */
int
crypto_selfcheck_add(struct crypto_selfcheck *c, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen)
{
	if (c->n == CRYPTO_SELFCHECK_BATCH)
		return -1;
	if (crypto_is_ecdsa(c->alg))
		crypto_selfcheck_ecdsa_add(c, data, len, sig, siglen);
	else if (c->k == NULL)
		c->ok[c->n] = (int8_t)crypto_pubkey_verify(c->pk, data, len,
		    sig, siglen);
	else if (c->alg == 15)
		c->ok[c->n] = (int8_t)crypto_selfcheck_ed25519(c, data, len,
		    sig, siglen);
	else
		c->ok[c->n] = (int8_t)crypto_pubkey_verify(c->pk, data, len,
		    sig, siglen);
	return (int)c->n++;
}

/* Finish the queued checks: ok[i] is 1 when the i-th queued signature is
 * good, 0 when it is not.  Returns how many there were. */
size_t
crypto_selfcheck_run(struct crypto_selfcheck *c, int8_t *ok)
{
	size_t n = c->n;

	if (n > 0 && crypto_is_ecdsa(c->alg))
		crypto_selfcheck_ecdsa_run(c);
	memcpy(ok, c->ok, n);
	c->n = 0;
	return n;
}

/* One signature: 1 when it is good, 0 when it is not. */
int
crypto_selfcheck(struct crypto_selfcheck *c, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen)
{
	int8_t ok[CRYPTO_SELFCHECK_BATCH];

	(void)crypto_selfcheck_run(c, ok);
	(void)crypto_selfcheck_add(c, data, len, sig, siglen);
	(void)crypto_selfcheck_run(c, ok);
	return ok[0];
}
