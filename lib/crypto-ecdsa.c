/*
 * The ECDSA back-end (RFC 6605): P-256 and P-384 public and private
 * keys, signatures between DNSSEC's r | s and DER, one-off deterministic
 * signatures (lib/ecdsa.c), and the check of one's own signatures with
 * the private key (see struct crypto_selfcheck).
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

size_t
crypto_der_from_rs(const uint8_t *sig, size_t w, uint8_t *der)
{
	size_t n;

	n = der_put_int(der + 2, sig, w);
	n += der_put_int(der + 2 + n, sig + w, w);
	der[0] = 0x30;
	der[1] = (uint8_t)n;
	return n + 2;
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
EVP_PKEY *
crypto_ec_public(uint8_t alg, const uint8_t *key, size_t len, struct diag *d)
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
	    (pkey = crypto_key_from_params("EC", bld,
	    EVP_PKEY_PUBLIC_KEY)) == NULL)
		diag_set(d, NULL, 0, "bad ECDSA public key: %s",
		    crypto_ossl_reason());
	OSSL_PARAM_BLD_free(bld);
	return pkey;
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

int
crypto_ec_private(struct crypto_privkey *k, const uint8_t *priv, size_t len,
    uint8_t *pub, size_t *publen, struct diag *d)
{
	uint8_t pt[1 + 2 * 48];
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *bn;
	int ok;

	k->width = k->alg == 13 ? 32 : 48;
	k->siglen = 2 * k->width;
	if (len == 0 || len > k->width || (bn = crypto_secret_bn(priv,
	    len)) == NULL) {
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
	    (k->pkey = crypto_key_from_params("EC", bld,
	    EVP_PKEY_KEYPAIR)) == NULL) {
		diag_set(d, NULL, 0, "bad ECDSA private key: %s",
		    crypto_ossl_reason());
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

/* One deterministic ECDSA signature (ecdsa.h), for a one-off; signers
 * of many use crypto_signer_add(). */
int
crypto_ecdsa_once(const struct crypto_privkey *k, const uint8_t *data,
    size_t len, uint8_t *sig)
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
crypto_selfcheck_ecdsa_init(struct crypto_selfcheck *c)
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

/* The key's point Q (RFC 6605 section 4: X | Y, which
 * crypto_pubkey_new() found on the curve). */
int
crypto_selfcheck_q_init(struct crypto_selfcheck *c)
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
 * ECDSA, first half: the hash e, r and s of one signature into the
 * queue, or the answer "bad" when r or s is out of range (FIPS 186-4
 * §6.4.2 step 1: 0 < r, s < n).  The hash is as long as the order for
 * P-256/SHA-256 and P-384/SHA-384 (RFC 6605 §2), so e is the whole of
 * it, reduced mod n by one subtraction at most (e < 2^qlen < 2 n).
 */
void
crypto_selfcheck_ecdsa_add(struct crypto_selfcheck *c, const uint8_t *data,
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

void
crypto_selfcheck_ecdsa_run(struct crypto_selfcheck *c)
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
