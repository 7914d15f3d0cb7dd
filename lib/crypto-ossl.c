/*
 * What the RSA and ECDSA back-ends share in OpenSSL 3: contexts kept
 * for reuse per key (the pool), hashing the signed data, keys built from
 * parameters (EVP_PKEY_fromdata), private numbers in the secure heap, and
 * verifying or signing a hash with a pooled context.
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

void
crypto_pool_init(struct ctxpool *p, int sign)
{
	pthread_mutex_init(&p->lock, NULL);
	p->free = NULL;
	p->n = p->cap = 0;
	p->sign = sign;
}

void
crypto_pool_destroy(struct ctxpool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		EVP_PKEY_CTX_free(p->free[i].pctx);
		EVP_MD_CTX_free(p->free[i].mctx);
	}
	free(p->free);
	pthread_mutex_destroy(&p->lock);
}

/* A context for pkey with the hash md: from the pool, or a new one.
 * RSA signatures are PKCS #1 v1.5 with the DigestInfo of md (RFC 3110
 * section 3, RFC 5702 section 3). */
static int
pool_get(struct ctxpool *p, EVP_PKEY *pkey, const EVP_MD *md,
    struct opctx *c)
{
	int ok;

	pthread_mutex_lock(&p->lock);
	if (p->n > 0) {
		*c = p->free[--p->n];
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	pthread_mutex_unlock(&p->lock);
	c->mctx = EVP_MD_CTX_new();
	c->pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	ok = c->mctx != NULL && c->pctx != NULL &&
	    (p->sign ? EVP_PKEY_sign_init(c->pctx) :
	    EVP_PKEY_verify_init(c->pctx)) == 1 &&
	    (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA ||
	    EVP_PKEY_CTX_set_rsa_padding(c->pctx, RSA_PKCS1_PADDING) == 1) &&
	    EVP_PKEY_CTX_set_signature_md(c->pctx, md) == 1;
	if (!ok) {
		EVP_PKEY_CTX_free(c->pctx);
		EVP_MD_CTX_free(c->mctx);
		return -1;
	}
	return 0;
}

static void
pool_put(struct ctxpool *p, struct opctx *c)
{
	struct opctx *nf;
	size_t cap;

	pthread_mutex_lock(&p->lock);
	if (p->n == p->cap) {
		cap = p->cap ? 2 * p->cap : 4;
		if ((nf = realloc(p->free, cap * sizeof(*nf))) == NULL) {
			pthread_mutex_unlock(&p->lock);
			EVP_PKEY_CTX_free(c->pctx);
			EVP_MD_CTX_free(c->mctx);
			return;
		}
		p->free = nf;
		p->cap = cap;
	}
	p->free[p->n++] = *c;
	pthread_mutex_unlock(&p->lock);
}

/* The hash of the data with the context's own digest context. */
static int
hash_data(struct opctx *c, const EVP_MD *md, const uint8_t *data,
    size_t len, uint8_t *out, size_t *outlen)
{
	unsigned int n;

	if (EVP_DigestInit_ex(c->mctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(c->mctx, data, len) != 1 ||
	    EVP_DigestFinal_ex(c->mctx, out, &n) != 1)
		return -1;
	*outlen = n;
	return 0;
}

/* Build a key from parameters: selection is EVP_PKEY_PUBLIC_KEY or
 * EVP_PKEY_KEYPAIR. */
EVP_PKEY *
crypto_key_from_params(const char *type, OSSL_PARAM_BLD *bld, int selection)
{
	EVP_PKEY_CTX *pctx = NULL;
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM *params;

	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		return NULL;
	if ((pctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(pctx) != 1 ||
	    EVP_PKEY_fromdata(pctx, &pkey, selection, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);
	return pkey;
}

/* RSA and ECDSA: hash, then verify the hash, with a pooled context. */
int
crypto_pooled_verify(const struct crypto_pubkey *cpk, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen)
{
	struct crypto_pubkey *pk = (struct crypto_pubkey *)cpk;
	uint8_t h[EVP_MAX_MD_SIZE];
	struct opctx c;
	size_t hlen;
	int rc;

	if (pool_get(&pk->pool, pk->pkey, pk->md, &c) != 0)
		return 0;
	rc = hash_data(&c, pk->md, data, len, h, &hlen) == 0 &&
	    EVP_PKEY_verify(c.pctx, sig, siglen, h, hlen) == 1;
	pool_put(&pk->pool, &c);
	return rc;
}

/* A private number as a BIGNUM in OpenSSL's secure heap, so that the
 * parameters built from it are wiped when freed. */
BIGNUM *
crypto_secret_bn(const uint8_t *b, size_t n)
{
	BIGNUM *bn;

	if ((bn = BN_secure_new()) == NULL)
		return NULL;
	if (BN_bin2bn(b, (int)n, bn) == NULL) {
		BN_clear_free(bn);
		return NULL;
	}
	return bn;
}

/* RSA and ECDSA: hash, then sign the hash, with a pooled context. */
int
crypto_pooled_sign(const struct crypto_privkey *ck, const uint8_t *data,
    size_t len, uint8_t *sig, size_t *siglen)
{
	struct crypto_privkey *k = (struct crypto_privkey *)ck;
	uint8_t h[EVP_MAX_MD_SIZE];
	struct opctx c;
	size_t hlen;
	int rc;

	if (pool_get(&k->pool, k->pkey, k->md, &c) != 0)
		return -1;
	rc = hash_data(&c, k->md, data, len, h, &hlen) == 0 &&
	    EVP_PKEY_sign(c.pctx, sig, siglen, h, hlen) == 1;
	OPENSSL_cleanse(h, sizeof(h));
	pool_put(&k->pool, &c);
	return rc ? 0 : -1;
}
