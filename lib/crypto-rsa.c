/*
 * The RSA back-end (RFC 3110, RFC 5702): public keys from DNSKEY RDATA,
 * the modulus size, private keys from BIND's numbers.
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
#include "wire.h"
#include "crypto-int.h"

unsigned
crypto_rsa_bits(uint8_t alg, const uint8_t *key, size_t len)
{
	size_t elen, off;
	uint16_t el;
	unsigned top;

	if (!crypto_is_rsa(alg) || len < 1)
		return 0;
	if (key[0] != 0) {
		elen = key[0];
		off = 1;
	} else {
		if (wire_read16(key, len, 1, &el) != 0)
			return 0;
		elen = el;
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
 * RFC 3110 §2: an exponent length of one octet, or a zero octet and two
 * octets; the exponent; the modulus.  Leading zero octets are
 * prohibited in both.
 */
static int
rsa_split(const uint8_t *key, size_t len, const uint8_t **e, size_t *elen,
    const uint8_t **n, size_t *nlen)
{
	size_t off = 1, el;
	uint16_t el16;

	if (len < 1)
		return -1;
	el = key[0];
	if (el == 0) {
		if (wire_read16(key, len, 1, &el16) != 0)
			return -1;
		el = el16;
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

EVP_PKEY *
crypto_rsa_public(const uint8_t *key, size_t len, unsigned *bits,
    struct diag *d)
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
	    (pkey = crypto_key_from_params("RSA", bld,
	    EVP_PKEY_PUBLIC_KEY)) == NULL)
		diag_set(d, NULL, 0, "bad RSA public key: %s",
		    crypto_ossl_reason());
	else
		*bits = (unsigned)BN_num_bits(bn);
	OSSL_PARAM_BLD_free(bld);
	BN_free(be);
	BN_free(bn);
	return pkey;
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
		(void)wire_put16(out + 1, (uint16_t)elen);
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

	if (!crypto_is_rsa(alg)) {
		diag_set(d, NULL, 0, "algorithm %u is not RSA", alg);
		return NULL;
	}
	if ((k = crypto_privkey_alloc(alg, d)) == NULL)
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
		ok = (bn[i] = crypto_secret_bn(v[i], l[i])) != NULL &&
		    OSSL_PARAM_BLD_push_BN(bld, names[i], bn[i]);
	if (ok)
		ok = (k->pkey = crypto_key_from_params("RSA", bld,
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
		    crypto_ossl_reason());
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
