/*
 * See crypto.h.  OpenSSL 3 EVP with keys built from parameters
 * (EVP_PKEY_fromdata), no deprecated interface; Ed25519 with libsodium,
 * which is the fastest here.
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
#include "keyfile.h"
#include "pkcs11.h"

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

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;

static void
init_sodium(void)
{
	sodium_ok = sodium_init() >= 0;
}

static bool
sodium_ready(void)
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
static void *
secret_alloc(size_t n)
{
	void *p;

	if (!sodium_ready() || (p = sodium_malloc(n)) == NULL)
		return NULL;
	memset(p, 0, n);
	return p;
}

/* The last OpenSSL error, for a diagnostic; the queue is per thread. */
static const char *
ossl_reason(void)
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

static bool
is_rsa(uint8_t alg)
{
	return alg == 5 || alg == 7 || alg == 8 || alg == 10;
}

static bool
is_ecdsa(uint8_t alg)
{
	return alg == 13 || alg == 14;
}

static void
pool_init(struct ctxpool *p, int sign)
{
	pthread_mutex_init(&p->lock, NULL);
	p->free = NULL;
	p->n = p->cap = 0;
	p->sign = sign;
}

static void
pool_destroy(struct ctxpool *p)
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

unsigned
crypto_rsa_bits(uint8_t alg, const uint8_t *key, size_t len)
{
	size_t elen, off;
	unsigned top;

	if (!is_rsa(alg) || len < 1)
		return 0;
	if (key[0] != 0) {
		elen = key[0];
		off = 1;
	} else {
		if (len < 3)
			return 0;
		elen = (size_t)key[1] << 8 | key[2];
		off = 3;
	}
	if (elen == 0 || len <= off + elen)
		return 0;
	for (off += elen; off < len && key[off] == 0; off++)
		;
	if (off == len)
		return 0;
	for (top = 0; key[off] >> top != 0; top++)
		;
	return (unsigned)(len - off - 1) * 8 + top;
}

/*
 * ECDSA signatures: r | s in DNSSEC (RFC 6605 §4), a DER SEQUENCE of two
 * INTEGERs in OpenSSL.  At most 48 octets each, so every length fits in
 * one octet.
 */
static size_t
der_put_int(uint8_t *p, const uint8_t *v, size_t w)
{
	size_t i = 0, n;

	while (i + 1 < w && v[i] == 0)
		i++;
	n = w - i;
	p[0] = 0x02;
	if (v[i] & 0x80) {
		p[1] = (uint8_t)(n + 1);
		p[2] = 0;
		memcpy(p + 3, v + i, n);
		return n + 3;
	}
	p[1] = (uint8_t)n;
	memcpy(p + 2, v + i, n);
	return n + 2;
}

static size_t
der_from_rs(const uint8_t *sig, size_t w, uint8_t *der)
{
	size_t n;

	n = der_put_int(der + 2, sig, w);
	n += der_put_int(der + 2 + n, sig + w, w);
	der[0] = 0x30;
	der[1] = (uint8_t)n;
	return n + 2;
}

/* Build a key from parameters: selection is EVP_PKEY_PUBLIC_KEY or
 * EVP_PKEY_KEYPAIR. */
static EVP_PKEY *
key_from_params(const char *type, OSSL_PARAM_BLD *bld, int selection)
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

/*
 * RFC 3110 §2: an exponent length of one octet, or a zero octet and two
 * octets; the exponent; the modulus.  Leading zero octets are
 * prohibited in both.
 */
static int
rsa_split(const uint8_t *key, size_t len, const uint8_t **e, size_t *elen,
    const uint8_t **n, size_t *nlen)
{
	size_t off = 1, el;

	if (len < 1)
		return -1;
	el = key[0];
	if (el == 0) {
		if (len < 3)
			return -1;
		el = (size_t)key[1] << 8 | key[2];
		off = 3;
	}
	if (el == 0 || len < off + el + 1)
		return -1;
	*e = key + off;
	*elen = el;
	*n = key + off + el;
	*nlen = len - off - el;
	return 0;
}

static EVP_PKEY *
rsa_public(const uint8_t *key, size_t len, unsigned *bits, struct diag *d)
{
	const uint8_t *e, *n;
	size_t elen, nlen;
	BIGNUM *be = NULL, *bn = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;

	if (rsa_split(key, len, &e, &elen, &n, &nlen) != 0) {
		diag_set(d, NULL, 0, "malformed RSA public key "
		    "(RFC 3110 section 2)");
		return NULL;
	}
	if ((be = BN_bin2bn(e, (int)elen, NULL)) == NULL ||
	    (bn = BN_bin2bn(n, (int)nlen, NULL)) == NULL ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) ||
	    (pkey = key_from_params("RSA", bld, EVP_PKEY_PUBLIC_KEY)) == NULL)
		diag_set(d, NULL, 0, "bad RSA public key: %s", ossl_reason());
	else
		*bits = (unsigned)BN_num_bits(bn);
	OSSL_PARAM_BLD_free(bld);
	BN_free(be);
	BN_free(bn);
	return pkey;
}

static const char *
ec_group(uint8_t alg)
{
	return alg == 13 ? SN_X9_62_prime256v1 : SN_secp384r1;
}

static int
ec_nid(uint8_t alg)
{
	return alg == 13 ? NID_X9_62_prime256v1 : NID_secp384r1;
}

/* RFC 6605 §4: the public key is X | Y; OpenSSL wants the uncompressed
 * point 0x04 | X | Y, and checks that it is on the curve. */
static EVP_PKEY *
ec_public(uint8_t alg, const uint8_t *key, size_t len, struct diag *d)
{
	size_t w = alg == 13 ? 32 : 48;
	uint8_t pt[1 + 2 * 48];
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *pkey = NULL;

	if (len != 2 * w) {
		diag_set(d, NULL, 0, "%s public key of %zu octets, not %zu",
		    alg == 13 ? "ECDSA P-256" : "ECDSA P-384", len, 2 * w);
		return NULL;
	}
	pt[0] = 0x04;
	memcpy(pt + 1, key, len);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    ec_group(alg), 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pt, 1 + len) ||
	    (pkey = key_from_params("EC", bld, EVP_PKEY_PUBLIC_KEY)) == NULL)
		diag_set(d, NULL, 0, "bad ECDSA public key: %s",
		    ossl_reason());
	OSSL_PARAM_BLD_free(bld);
	return pkey;
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
	pool_init(&pk->pool, 0);
	if (is_rsa(alg))
		pk->pkey = rsa_public(key, len, &pk->bits, d);
	else if (is_ecdsa(alg)) {
		pk->pkey = ec_public(alg, key, len, d);
		pk->width = alg == 13 ? 32 : 48;
		pk->bits = alg == 13 ? 256 : 384;
	} else if (alg == 15) {
		/* RFC 8080 §3: the 32-octet public key. */
		if (len != sizeof(pk->ed25519) || !sodium_ready()) {
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
		diag_set(d, NULL, 0, "%s: %s", md_name(alg), ossl_reason());
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
	pool_destroy(&pk->pool);
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

/* Ed448 (RFC 8032 section 5.2) hashes inside the signature itself, so
 * it goes through EVP_DigestVerify with a context of its own. */
static int
ed448_verify(EVP_PKEY *pkey, const uint8_t *data, size_t len,
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

/* RSA and ECDSA: hash, then verify the hash, with a pooled context. */
static int
pooled_verify(const struct crypto_pubkey *cpk, const uint8_t *data,
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
	if (is_ecdsa(pk->alg)) {
		if (siglen != 2 * pk->width)
			return 0;
		dlen = der_from_rs(sig, pk->width, der);
		rc = pooled_verify(pk, data, len, der, dlen);
	} else if (pk->alg == 16)
		rc = ed448_verify(pk->pkey, data, len, sig, siglen);
	else
		rc = pooled_verify(pk, data, len, sig, siglen);
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

static struct crypto_privkey *
privkey_alloc(uint8_t alg, struct diag *d)
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
	pool_init(&k->pool, 1);
	if (md_name(alg) != NULL &&
	    (k->md = EVP_MD_fetch(NULL, md_name(alg), NULL)) == NULL) {
		diag_set(d, NULL, 0, "%s: %s", md_name(alg), ossl_reason());
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
	pool_destroy(&k->pool);
	EVP_PKEY_free(k->pkey);
	EVP_MD_free(k->md);
	sodium_free(k->ed25519);	/* wipes */
	sodium_memzero(k, sizeof(*k));
	free(k);
}

/* A private number as a BIGNUM in OpenSSL's secure heap, so that the
 * parameters built from it are wiped when freed. */
static BIGNUM *
secret_bn(const uint8_t *b, size_t n)
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

/* The DNSKEY public key field of (e, n), RFC 3110 §2, without the
 * leading zero octets the RFC prohibits. */
static int
rsa_encode(const uint8_t *e, size_t elen, const uint8_t *n, size_t nlen,
    uint8_t *out, size_t *outlen)
{
	size_t off;

	while (elen > 0 && *e == 0) {
		e++;
		elen--;
	}
	while (nlen > 0 && *n == 0) {
		n++;
		nlen--;
	}
	if (elen == 0 || nlen == 0 || elen > 0xffff)
		return -1;
	off = elen < 256 ? 1 : 3;
	if (off + elen + nlen > CRYPTO_PUBKEY_MAX)
		return -1;
	if (off == 1)
		out[0] = (uint8_t)elen;
	else {
		out[0] = 0;
		out[1] = (uint8_t)(elen >> 8);
		out[2] = (uint8_t)elen;
	}
	memcpy(out + off, e, elen);
	memcpy(out + off + elen, n, nlen);
	*outlen = off + elen + nlen;
	return 0;
}

struct crypto_privkey *
crypto_privkey_rsa(uint8_t alg, const struct crypto_rsa_fields *f,
    uint8_t *pub, size_t *publen, struct diag *d)
{
	static const char *names[] = {
		OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E,
		OSSL_PKEY_PARAM_RSA_D, OSSL_PKEY_PARAM_RSA_FACTOR1,
		OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1,
		OSSL_PKEY_PARAM_RSA_EXPONENT2,
		OSSL_PKEY_PARAM_RSA_COEFFICIENT1
	};
	const uint8_t *v[8] = { f->n, f->e, f->d, f->p, f->q, f->dp, f->dq,
	    f->qinv };
	size_t l[8] = { f->nlen, f->elen, f->dlen, f->plen, f->qlen,
	    f->dplen, f->dqlen, f->qinvlen };
	BIGNUM *bn[8] = { NULL };
	struct crypto_privkey *k;
	OSSL_PARAM_BLD *bld;
	EVP_PKEY_CTX *c;
	int i, ok;

	if (!is_rsa(alg)) {
		diag_set(d, NULL, 0, "algorithm %u is not RSA", alg);
		return NULL;
	}
	if ((k = privkey_alloc(alg, d)) == NULL)
		return NULL;
	if (rsa_encode(f->e, f->elen, f->n, f->nlen, pub, publen) != 0 ||
	    f->nlen > CRYPTO_SIG_MAX) {
		diag_set(d, NULL, 0, "RSA modulus or exponent out of range "
		    "(at most 4096 bits)");
		crypto_privkey_free(k);
		return NULL;
	}
	ok = (bld = OSSL_PARAM_BLD_new()) != NULL;
	for (i = 0; ok && i < 8; i++)
		ok = (bn[i] = secret_bn(v[i], l[i])) != NULL &&
		    OSSL_PARAM_BLD_push_BN(bld, names[i], bn[i]);
	if (ok)
		ok = (k->pkey = key_from_params("RSA", bld,
		    EVP_PKEY_KEYPAIR)) != NULL;
	/* RFC 3447 §3.2: the numbers must belong together, or every
	 * signature would be wrong; the check is cheap. */
	if (ok) {
		ok = (c = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey,
		    NULL)) != NULL && EVP_PKEY_pairwise_check(c) == 1;
		EVP_PKEY_CTX_free(c);
		if (!ok)
			diag_set(d, NULL, 0, "inconsistent RSA private key");
	} else
		diag_set(d, NULL, 0, "bad RSA private key: %s",
		    ossl_reason());
	for (i = 0; i < 8; i++)
		BN_clear_free(bn[i]);
	OSSL_PARAM_BLD_free(bld);
	if (!ok) {
		ERR_clear_error();
		crypto_privkey_free(k);
		return NULL;
	}
	k->siglen = (size_t)EVP_PKEY_get_size(k->pkey);
	return k;
}

/* RFC 6605 §4 public key X | Y from the private scalar: d * G. */
static int
ec_derive(uint8_t alg, const BIGNUM *priv, uint8_t *pt, size_t ptlen)
{
	EC_GROUP *g;
	EC_POINT *p = NULL;
	BN_CTX *bc = NULL;
	int ok;

	if ((g = EC_GROUP_new_by_curve_name(ec_nid(alg))) == NULL)
		return -1;
	ok = BN_is_zero(priv) == 0 && BN_is_negative(priv) == 0 &&
	    BN_cmp(priv, EC_GROUP_get0_order(g)) < 0 &&
	    (bc = BN_CTX_secure_new()) != NULL &&
	    (p = EC_POINT_new(g)) != NULL &&
	    EC_POINT_mul(g, p, priv, NULL, NULL, bc) == 1 &&
	    EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, pt,
	    ptlen, bc) == ptlen;
	EC_POINT_clear_free(p);
	BN_CTX_free(bc);
	EC_GROUP_free(g);
	return ok ? 0 : -1;
}

static int
ec_private(struct crypto_privkey *k, const uint8_t *priv, size_t len,
    uint8_t *pub, size_t *publen, struct diag *d)
{
	uint8_t pt[1 + 2 * 48];
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *bn;
	int ok;

	k->width = k->alg == 13 ? 32 : 48;
	k->siglen = 2 * k->width;
	if (len == 0 || len > k->width || (bn = secret_bn(priv, len)) == NULL) {
		diag_set(d, NULL, 0, "ECDSA private key of %zu octets, "
		    "not %zu", len, k->width);
		return -1;
	}
	ok = ec_derive(k->alg, bn, pt, 1 + k->siglen) == 0;
	if (!ok)
		diag_set(d, NULL, 0, "ECDSA private key out of range");
	else if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    ec_group(k->alg), 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pt, 1 + k->siglen) ||
	    (k->pkey = key_from_params("EC", bld, EVP_PKEY_KEYPAIR)) == NULL) {
		diag_set(d, NULL, 0, "bad ECDSA private key: %s",
		    ossl_reason());
		ok = 0;
	}
	if (ok) {
		memcpy(pub, pt + 1, k->siglen);
		*publen = k->siglen;
	}
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(bn);
	return ok ? 0 : -1;
}

/* RFC 8080 §3: the private key is the 32-octet seed of RFC 8032 §5.1.5. */
static int
ed25519_private(struct crypto_privkey *k, const uint8_t *priv, size_t len,
    uint8_t *pub, size_t *publen, struct diag *d)
{
	if (len != crypto_sign_SEEDBYTES) {
		diag_set(d, NULL, 0, "Ed25519 private key of %zu octets, "
		    "not 32", len);
		return -1;
	}
	if (!sodium_ready() || (k->ed25519 =
	    secret_alloc(crypto_sign_SECRETKEYBYTES)) == NULL ||
	    crypto_sign_seed_keypair(pub, k->ed25519, priv) != 0) {
		diag_set(d, NULL, 0, "libsodium failed");
		return -1;
	}
	*publen = crypto_sign_PUBLICKEYBYTES;
	k->siglen = crypto_sign_BYTES;
	return 0;
}

static int
ed448_private(struct crypto_privkey *k, const uint8_t *priv, size_t len,
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
		    ossl_reason());
		return -1;
	}
	*publen = n;
	k->siglen = 114;
	return 0;
}

struct crypto_privkey *
crypto_privkey_raw(uint8_t alg, const uint8_t *priv, size_t len,
    uint8_t *pub, size_t *publen, struct diag *d)
{
	struct crypto_privkey *k;
	int rc;

	if (is_rsa(alg)) {
		diag_set(d, NULL, 0, "algorithm %u wants RSA numbers", alg);
		return NULL;
	}
	if ((k = privkey_alloc(alg, d)) == NULL)
		return NULL;
	if (is_ecdsa(alg))
		rc = ec_private(k, priv, len, pub, publen, d);
	else if (alg == 15)
		rc = ed25519_private(k, priv, len, pub, publen, d);
	else
		rc = ed448_private(k, priv, len, pub, publen, d);
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

/* Ed448 signs the message itself (RFC 8032 section 5.2). */
static int
ed448_sign(const struct crypto_privkey *k, const uint8_t *data, size_t len,
    uint8_t *sig, size_t *siglen)
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

/* RSA and ECDSA: hash, then sign the hash, with a pooled context. */
static int
pooled_sign(const struct crypto_privkey *ck, const uint8_t *data,
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

/* One deterministic ECDSA signature (ecdsa.h), for a one-off; signers
 * of many use crypto_signer_add(). */
static int
ecdsa_once(const struct crypto_privkey *k, const uint8_t *data, size_t len,
    uint8_t *sig)
{
	struct ecdsa_batch *b;
	int rc;

	if ((b = ecdsa_batch_new(k->pkey, k->alg)) == NULL)
		return -1;
	rc = ecdsa_batch_add(b, data, len, sig) == 0 &&
	    ecdsa_batch_run(b) == 0 ? 0 : -1;
	ecdsa_batch_free(b);
	return rc;
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
	if (is_ecdsa(k->alg)) {
		if (ecdsa_once(k, data, len, sig) != 0)
			goto fail;
		*siglen = 2 * k->width;
		return 0;
	}
	*siglen = CRYPTO_SIG_MAX;
	if ((k->alg == 16 ? ed448_sign(k, data, len, sig, siglen) :
	    pooled_sign(k, data, len, sig, siglen)) != 0)
		goto fail;
	return 0;
fail:
	diag_set(d, NULL, 0, "signing with algorithm %u failed: %s", k->alg,
	    ossl_reason());
	return -1;
}

int
crypto_keyfile_sign(const struct keyfile *kf, const uint8_t *data, size_t len,
    uint8_t *sig, size_t *siglen, struct diag *d)
{
	const struct crypto_privkey *k = keyfile_privkey(kf);
	struct pkcs11_session *ps;
	int rc;

	if (keyfile_token(kf) != NULL) {
		if ((ps = pkcs11_session_new(keyfile_token(kf), d)) == NULL)
			return -1;
		rc = pkcs11_sign(ps, data, len, sig, d);
		*siglen = pkcs11_key_sig_len(keyfile_token(kf));
		pkcs11_session_free(ps);
		return rc;
	}
	if (k == NULL) {
		diag_set(d, keyfile_public_path(kf), 0, "no private key");
		return -1;
	}
	return crypto_privkey_sign(k, data, len, sig, siglen, d);
}

/* A signer with a key in a token has a session of its own (pkcs11.h),
 * and keeps the reason of its last failure. */
struct crypto_signer {
	const struct crypto_privkey *k;
	struct ecdsa_batch	*eb;		/* ECDSA */
	struct pkcs11_session	*ps;		/* a key in a token */
	struct diag		 d;
};

struct crypto_signer *
crypto_signer_new(const struct keyfile *kf, struct diag *d)
{
	const struct crypto_privkey *k = keyfile_privkey(kf);
	struct crypto_signer *sg;

	if (k == NULL && keyfile_token(kf) == NULL) {
		diag_set(d, keyfile_public_path(kf), 0, "no private key");
		return NULL;
	}
	if ((sg = calloc(1, sizeof(*sg))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	if (k == NULL) {
		if ((sg->ps = pkcs11_session_new(keyfile_token(kf), d)) ==
		    NULL) {
			free(sg);
			return NULL;
		}
		return sg;
	}
	sg->k = k;
	if (is_ecdsa(k->alg) &&
	    (sg->eb = ecdsa_batch_new(k->pkey, k->alg)) == NULL) {
		diag_set(d, keyfile_private_path(kf), 0, "ECDSA signer: %s",
		    ossl_reason());
		free(sg);
		return NULL;
	}
	return sg;
}

int
crypto_signer_add(struct crypto_signer *sg, const uint8_t *data, size_t len,
    uint8_t *sig)
{
	size_t siglen;

	if (sg->ps != NULL)
		return pkcs11_sign(sg->ps, data, len, sig, &sg->d);
	if (sg->eb == NULL)
		return crypto_privkey_sign(sg->k, data, len, sig, &siglen,
		    &sg->d);
	if (ecdsa_batch_queued(sg->eb) == ECDSA_BATCH &&
	    ecdsa_batch_run(sg->eb) != 0)
		return -1;
	return ecdsa_batch_add(sg->eb, data, len, sig);
}

int
crypto_signer_run(struct crypto_signer *sg)
{
	return sg->eb == NULL ? 0 : ecdsa_batch_run(sg->eb);
}

void
crypto_signer_free(struct crypto_signer *sg)
{
	if (sg == NULL)
		return;
	ecdsa_batch_free(sg->eb);
	pkcs11_session_free(sg->ps);
	free(sg);
}

/* Why the last crypto_signer_add() failed, or "" when it is not known. */
const char *
crypto_signer_error(const struct crypto_signer *sg)
{
	return sg->d.msg;
}

size_t
crypto_keyfile_sig_len(const struct keyfile *kf)
{
	const struct crypto_privkey *k = keyfile_privkey(kf);

	if (keyfile_token(kf) != NULL)
		return pkcs11_key_sig_len(keyfile_token(kf));
	return k != NULL ? k->siglen : 0;
}

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

static int
selfcheck_ecdsa_init(struct crypto_selfcheck *c)
{
	const BIGNUM *n;
	size_t i;

	c->width = c->alg == 13 ? 32 : 48;
	c->md = c->alg == 13 ? EVP_sha256() : EVP_sha384();
	if ((c->group = EC_GROUP_new_by_curve_name(ec_nid(c->alg))) == NULL ||
	    (c->bc = BN_CTX_secure_new()) == NULL ||
	    (c->xs = ecdsa_xs_new(c->group)) == NULL ||
	    (c->d = BN_secure_new()) == NULL ||
	    (c->dm = BN_secure_new()) == NULL ||
	    (c->t = BN_secure_new()) == NULL ||
	    (c->x = BN_new()) == NULL || (c->inv = BN_new()) == NULL ||
	    (c->nm2 = BN_new()) == NULL ||
	    (c->mont = BN_MONT_CTX_new()) == NULL ||
	    (c->mctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	BN_set_flags(c->d, BN_FLG_CONSTTIME);
	BN_set_flags(c->dm, BN_FLG_CONSTTIME);
	BN_set_flags(c->t, BN_FLG_CONSTTIME);
	n = EC_GROUP_get0_order(c->group);
	if (BN_MONT_CTX_set(c->mont, n, c->bc) != 1 ||
	    BN_copy(c->nm2, n) == NULL || BN_sub_word(c->nm2, 2) != 1)
		return -1;
	/* d is wanted only as d R mod n, for Montgomery multiplication. */
	if (c->k != NULL && (EVP_PKEY_get_bn_param(c->k->pkey,
	    OSSL_PKEY_PARAM_PRIV_KEY, &c->d) != 1 ||
	    BN_to_montgomery(c->dm, c->d, c->mont, c->bc) != 1))
		return -1;
	BN_clear(c->d);
	for (i = 0; i <= CRYPTO_SELFCHECK_BATCH; i++)
		if ((c->prod[i] = BN_new()) == NULL || (i <
		    CRYPTO_SELFCHECK_BATCH && ((c->e[i] = BN_new()) == NULL ||
		    (c->r[i] = BN_new()) == NULL ||
		    (c->s[i] = BN_new()) == NULL ||
		    (c->pt[i] = EC_POINT_new(c->group)) == NULL ||
		    (c->px[i] = BN_new()) == NULL)))
			return -1;
	return 0;
}

/* RFC 8032 §5.1.5: the scalar a is the clamped first half of the hash
 * of the seed; kept here reduced mod L. */
static int
selfcheck_ed25519_init(struct crypto_selfcheck *c)
{
	uint8_t h[crypto_hash_sha512_BYTES], wide[64];

	if ((c->a = secret_alloc(crypto_core_ed25519_SCALARBYTES)) == NULL)
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

/* The key's point Q (RFC 6605 section 4: X | Y, which
 * crypto_pubkey_new() found on the curve). */
static int
selfcheck_q_init(struct crypto_selfcheck *c)
{
	uint8_t pt[1 + 2 * 48];
	size_t len;

	return EVP_PKEY_get_octet_string_param(c->pk->pkey,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt, sizeof(pt), &len) == 1 &&
	    (c->qpt = EC_POINT_new(c->group)) != NULL &&
	    (c->q = EC_POINT_new(c->group)) != NULL &&
	    (c->u2 = BN_new()) != NULL &&
	    EC_POINT_oct2point(c->group, c->qpt, pt, len, c->bc) == 1 ? 0 : -1;
}

/*
 * A key in a token gives out no private key: its signatures are
 * verified with the DNSKEY's public key, every one (pkcs11.h).
 */
static struct crypto_selfcheck *
selfcheck_token(const struct keyfile *kf, struct diag *d)
{
	struct crypto_selfcheck *c;
	const uint8_t *rd;
	size_t rdlen;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	rd = keyfile_rdata(kf, &rdlen);
	c->alg = keyfile_algorithm(kf);
	if ((c->pk = crypto_pubkey_new(c->alg, rd + 4, rdlen - 4, d)) ==
	    NULL) {
		crypto_selfcheck_free(c);
		return NULL;
	}
	if (is_ecdsa(c->alg) && (selfcheck_ecdsa_init(c) != 0 ||
	    selfcheck_q_init(c) != 0)) {
		diag_set(d, keyfile_public_path(kf), 0, "ECDSA check: %s",
		    ossl_reason());
		crypto_selfcheck_free(c);
		return NULL;
	}
	return c;
}

struct crypto_selfcheck *
crypto_selfcheck_new(const struct keyfile *kf, struct diag *d)
{
	struct crypto_selfcheck *c;
	const uint8_t *rd;
	size_t rdlen;

	if (keyfile_token(kf) != NULL)
		return selfcheck_token(kf, d);
	if (keyfile_privkey(kf) == NULL) {
		diag_set(d, keyfile_public_path(kf), 0, "no private key");
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	c->k = keyfile_privkey(kf);
	c->alg = c->k->alg;
	if (is_ecdsa(c->alg)) {
		if (selfcheck_ecdsa_init(c) != 0) {
			diag_set(d, keyfile_private_path(kf), 0, "ECDSA check: "
			    "%s", ossl_reason());
			crypto_selfcheck_free(c);
			return NULL;
		}
	} else if (c->alg == 15) {
		if (!sodium_ready() || selfcheck_ed25519_init(c) != 0) {
			diag_set(d, NULL, 0, "libsodium failed");
			crypto_selfcheck_free(c);
			return NULL;
		}
	} else {
		rd = keyfile_rdata(kf, &rdlen);
		if ((c->pk = crypto_pubkey_new(c->alg, rd + 4, rdlen - 4,
		    d)) == NULL) {
			crypto_selfcheck_free(c);
			return NULL;
		}
	}
	return c;
}

/*
 * ECDSA, first half: the hash e, r and s of one signature into the
 * queue, or the answer "bad" when r or s is out of range (FIPS 186-4
 * §6.4.2 step 1: 0 < r, s < n).  The hash is as long as the order for
 * P-256/SHA-256 and P-384/SHA-384 (RFC 6605 §2), so e is the whole of
 * it, reduced mod n by one subtraction at most (e < 2^qlen < 2 n).
 */
static void
selfcheck_ecdsa_add(struct crypto_selfcheck *c, const uint8_t *data,
    size_t len, const uint8_t *sig, size_t siglen)
{
	const BIGNUM *n = EC_GROUP_get0_order(c->group);
	uint8_t h[EVP_MAX_MD_SIZE];
	unsigned int hlen;
	size_t w = c->width, i = c->n;

	c->ok[i] = 0;
	if (siglen != 2 * w ||
	    EVP_DigestInit_ex(c->mctx, c->md, NULL) != 1 ||
	    EVP_DigestUpdate(c->mctx, data, len) != 1 ||
	    EVP_DigestFinal_ex(c->mctx, h, &hlen) != 1 ||
	    BN_bin2bn(h, (int)hlen, c->e[i]) == NULL ||
	    (BN_cmp(c->e[i], n) >= 0 && BN_sub(c->e[i], c->e[i], n) != 1) ||
	    BN_bin2bn(sig, (int)w, c->r[i]) == NULL ||
	    BN_bin2bn(sig + w, (int)w, c->s[i]) == NULL ||
	    BN_is_zero(c->r[i]) || BN_is_zero(c->s[i]) ||
	    BN_cmp(c->r[i], n) >= 0 || BN_cmp(c->s[i], n) >= 0) {
		ERR_clear_error();
		BN_one(c->s[i]);	/* neutral in the product below */
		return;
	}
	c->ok[i] = 1;		/* so far */
}

/* The points k' G over with a public one: their Z are secret. */
static void
forget_points(struct crypto_selfcheck *c, size_t m)
{
	size_t i;

	for (i = 0; i < m; i++)
		(void)EC_POINT_copy(c->pt[i],
		    EC_GROUP_get0_generator(c->group));
}

/*
 * ECDSA, second half, for the whole queue: the inverses of the s by one
 * modular inversion of their product (Montgomery's trick: inversion is
 * the slow part), then for each k' = (e + r d) / s and the check that
 * the x of k' G is r mod n.  k' is secret (see above): r d is r (d R) /
 * R, and (e + r d) / s is (e + r d) (R / s) / R.
 */
/*
 * With the public key only (a key in a token): the point u1 G + u2 Q of
 * FIPS 186-4 section 6.4.2, u1 = e / s and u2 = r / s (s[i] holds 1 / s
 * by now), whose x mod n must be r (the caller, in a batch).  Once the
 * checker has seen SELFCHECK_Q_TABLE signatures, each product is by a
 * fixed point with a precomputed table, G's of the curve and Q's of the
 * curve with Q as its generator (ecdsa_group_of_point()): two
 * fixed-base multiplications, 2.8 times faster than one with a variable
 * base besides (x86-64: 24 us against 67), for 30 ms of work once.  The
 * point at infinity fails (step 6).  Nothing here is secret.
 */
#define SELFCHECK_Q_TABLE	1024

static int
selfcheck_ecdsa_point(struct crypto_selfcheck *c, size_t i, EC_POINT *pt)
{
	const BIGNUM *n = EC_GROUP_get0_order(c->group);

	if (c->qgroup == NULL && ++c->nq > SELFCHECK_Q_TABLE &&
	    (c->qgroup = ecdsa_group_of_point(c->group, c->qpt,
	    c->bc)) == NULL)
		return 0;
	if (BN_mod_mul(c->t, c->e[i], c->s[i], n, c->bc) != 1 ||
	    BN_mod_mul(c->u2, c->r[i], c->s[i], n, c->bc) != 1)
		return 0;
	if (c->qgroup == NULL)
		return EC_POINT_mul(c->group, pt, c->t, c->qpt, c->u2,
		    c->bc) == 1 && !EC_POINT_is_at_infinity(c->group, pt);
	return EC_POINT_mul(c->group, pt, c->t, NULL, NULL, c->bc) == 1 &&
	    EC_POINT_mul(c->qgroup, c->q, c->u2, NULL, NULL, c->bc) == 1 &&
	    EC_POINT_add(c->group, pt, pt, c->q, c->bc) == 1 &&
	    !EC_POINT_is_at_infinity(c->group, pt);
}

static void
selfcheck_ecdsa_run(struct crypto_selfcheck *c)
{
	const BIGNUM *n = EC_GROUP_get0_order(c->group);
	size_t i, j, m;
	int ok;

	BN_one(c->prod[0]);
	for (i = 0; i < c->n; i++)
		if (BN_mod_mul(c->prod[i + 1], c->prod[i], c->s[i], n,
		    c->bc) != 1)
			goto fail;
	if (BN_mod_exp_mont_consttime(c->inv, c->prod[c->n], c->nm2, n, c->bc,
	    c->mont) != 1)
		goto fail;
	for (i = c->n; i-- > 0;) {
		/* inv is 1 / (s_0 .. s_i); 1 / s_i = inv * s_0 .. s_i-1. */
		ok = BN_mod_mul(c->x, c->inv, c->prod[i], n, c->bc) == 1 &&
		    BN_mod_mul(c->inv, c->inv, c->s[i], n, c->bc) == 1 &&
		    BN_copy(c->s[i], c->x) != NULL;
		if (!ok)
			goto fail;
	}
	/* The points k' G of the signatures still good, then their x all
	 * at once (ecdsa_xs_mod_n()). */
	for (i = 0, m = 0; i < c->n; i++) {
		if (!c->ok[i])
			continue;
		if (c->k == NULL) {
			ok = selfcheck_ecdsa_point(c, i, c->pt[m]);
			c->ok[i] = (int8_t)ok;
			if (ok)
				c->which[m++] = i;
			continue;
		}
		ok = BN_mod_mul_montgomery(c->t, c->r[i], c->dm, c->mont,
		    c->bc) == 1 &&
		    BN_mod_add_quick(c->t, c->t, c->e[i], n) == 1 &&
		    BN_to_montgomery(c->x, c->s[i], c->mont, c->bc) == 1 &&
		    BN_mod_mul_montgomery(c->t, c->t, c->x, c->mont,
		    c->bc) == 1 &&
		    !BN_is_zero(c->t) &&
		    EC_POINT_mul(c->group, c->pt[m], c->t, NULL, NULL,
		    c->bc) == 1;
		BN_clear(c->t);
		c->ok[i] = (int8_t)ok;
		if (ok)
			c->which[m++] = i;
	}
	if (ecdsa_xs_mod_n(c->xs, c->pt, m, c->px) != 0)
		goto fail;
	for (j = 0; j < m; j++)
		c->ok[c->which[j]] = BN_cmp(c->px[j], c->r[c->which[j]]) == 0;
	forget_points(c, m);
	ERR_clear_error();
	return;
fail:
	forget_points(c, CRYPTO_SELFCHECK_BATCH);
	BN_clear(c->t);
	ERR_clear_error();
	memset(c->ok, 0, sizeof(c->ok));
}

static int
selfcheck_ed25519(struct crypto_selfcheck *c, const uint8_t *data,
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
	if (is_ecdsa(c->alg))
		selfcheck_ecdsa_add(c, data, len, sig, siglen);
	else if (c->k == NULL)
		c->ok[c->n] = (int8_t)crypto_pubkey_verify(c->pk, data, len,
		    sig, siglen);
	else if (c->alg == 15)
		c->ok[c->n] = (int8_t)selfcheck_ed25519(c, data, len, sig,
		    siglen);
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

	if (n > 0 && is_ecdsa(c->alg))
		selfcheck_ecdsa_run(c);
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
