/*
 * See ecdsa.h.  The arithmetic, for a signature over data with the
 * private key d on a curve of order n (FIPS 186-4 §6.4, RFC 6979 §2.4):
 *
 *	e = the hash of the data, as an integer (its length is the
 *	    order's for both curves, so no bits are cut off);
 *	k = RFC 6979 §3.2's nonce from d and e;
 *	r = the x of k G, mod n;
 *	s = (e + r d) / k mod n.
 *
 * The signer checks every signature it makes before writing: with the
 * key pair (crypto_selfcheck()) and, one in 64, with the DNSKEY
 * (zsign.c).
 *
 * Constant time.  Everything computed from d or k is secret until r and
 * s are made: k, k G and its Jacobian X and Z, the products and inverses
 * of the k and of the Z, r d.  An operation whose time depends on such a
 * value tells an observer of many signatures (the same machine, or the
 * network through a signing service) bits of k, and a few bits of many
 * nonces give d (lattice attacks on ECDSA nonces).  So, step by step:
 *
 *	nonce	 RFC 6979's HMAC_DRBG is SHA-2 on fixed-length input, and
 *		 the check that a candidate is in [1, n - 1] compares its
 *		 octets with n's with no branch on them (ct_in_range());
 *		 the reuse of an HMAC key compares it by CRYPTO_memcmp();
 *	k G	 EC_POINT_mul() with BN_FLG_CONSTTIME on k: OpenSSL's
 *		 fixed-window P-256 code, and for P-384 its Montgomery
 *		 ladder over a scalar padded to a fixed length;
 *	1 / Z	 the x of k G needs the inverse of its Z (ecdsa_xs_mod_n()),
 *		 and a KSK signs in batches of one, so its Z is inverted
 *		 alone: by Fermat, Z^(p-2) mod p, BN_mod_exp_mont_consttime()
 *		 with BN_FLG_CONSTTIME, the exponent public and fixed, never
 *		 BN_mod_inverse(), OpenSSL's binary extended Euclid, whose
 *		 number of steps depends on the value inverted;
 *	1 / k	 the same, k^(n-2) mod n, once per batch (invert_all());
 *	s	 Montgomery multiplications modulo n (a fixed sequence of
 *		 word operations for operands below n) and
 *		 BN_mod_add_quick(), which OpenSSL 3 makes with masks, not
 *		 branches.
 *
 * What is left: OpenSSL's BIGNUMs drop leading zero words, so a value
 * whose top 64 bits are all zero (probability 2^-64 for a random one)
 * may take a little less time in some operations.  Secret BIGNUMs are
 * cleared (BN_clear(), BN_clear_free()) as soon as a signature is made
 * or fails, never just set to zero, which leaves the words in memory.
 *
 * The x of a point: OpenSSL gives affine coordinates one point at a
 * time, each with a field inversion that costs a third of the point
 * multiplication.  ecdsa_xs_mod_n() takes the Jacobian coordinates (X,
 * Y, Z stand for x = X / Z^2, y = Y / Z^3) of a whole batch and inverts
 * the product of the Z once.  The getter is deprecated in OpenSSL 3.0,
 * but there is no other way to the coordinates, and it is kept in 3.x;
 * so are the single-algorithm SHA functions used for the hashes and the
 * HMAC of the nonces (see h_init()).
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/sha.h>

#include <sodium.h>

#include "ecdsa.h"

#define MAXW	48		/* octets of the P-384 order */

#define HMAC_BLOCK_MAX	128	/* SHA-384's block */

union hctx {
	SHA256_CTX	 s256;
	SHA512_CTX	 s512;		/* SHA-384's too */
};

struct ecdsa_xs {
	const EC_GROUP	*group;
	const BIGNUM	*n;
	BIGNUM		*p;		/* the field's prime */
	BIGNUM		*pm2;		/* p - 2 */
	BN_MONT_CTX	*mont;		/* modulo p */
	BN_CTX		*bc;
	BIGNUM		*inv, *t;
	BIGNUM		*z[ECDSA_BATCH];	/* Z R mod p */
	BIGNUM		*prod[ECDSA_BATCH];	/* Z_0 .. Z_i R mod p */
};

/*
 * d's octets and the HMAC states keyed from them, apart: in memory
 * locked against swapping where the system allows (sodium_malloc(3); a
 * refused mlock(2) is no error), wiped when freed.  It holds no pointer,
 * so that what the batch points to stays in memory a leak checker scans.
 */
struct ecdsa_secret {
	uint8_t		 x[MAXW];	/* int2octets(d) */
	uint8_t		 key[MAXW];	/* the HMAC key set last, */
	bool		 keyed;
	union hctx	 inner, outer;	/* and its padded states */
};

struct ecdsa_batch {
	size_t		 w;		/* octets of n, and of the hash */
	EC_GROUP	*group;
	struct ecdsa_xs	*xs;
	const BIGNUM	*n;
	BIGNUM		*nm2;		/* n - 2 */
	uint8_t		 nb[MAXW];	/* n, w octets */
	BN_CTX		*bc;
	BN_MONT_CTX	*mont;		/* modulo n */
	BIGNUM		*dm;		/* d R mod n (Montgomery form) */
	struct ecdsa_secret *sec;
	BIGNUM		*t, *z, *inv;
	size_t		 nq;		/* queued */
	EC_POINT	*R[ECDSA_BATCH];
	BIGNUM		*km[ECDSA_BATCH];	/* k R mod n */
	BIGNUM		*e[ECDSA_BATCH];
	BIGNUM		*r[ECDSA_BATCH];
	BIGNUM		*prod[ECDSA_BATCH];	/* k_0 .. k_i R mod n */
	uint8_t		*out[ECDSA_BATCH];
};

static BIGNUM *
secret(void)
{
	BIGNUM *b = BN_secure_new();

	if (b != NULL)
		BN_set_flags(b, BN_FLG_CONSTTIME);
	return b;
}

/*
 * EC_GROUP_precompute_mult() is deprecated in OpenSSL 3.0 but kept in
 * 3.x (see OPENSSL_SUPPRESS_DEPRECATED above), and it is the only way to
 * the table of a generator that is not the curve's: for P-256 it is
 * about 30 ms of work, and makes a product by the point 11.6 us where it
 * was 56.7 (x86-64, OpenSSL 3.0's P-256 code).  All public: no secret
 * goes through here.
 */
EC_GROUP *
ecdsa_group_of_point(const EC_GROUP *group, const EC_POINT *q, BN_CTX *bc)
{
	EC_GROUP *g;

	if (EC_POINT_is_at_infinity(group, q) ||
	    (g = EC_GROUP_dup(group)) == NULL)
		return NULL;
	if (EC_GROUP_set_generator(g, q, EC_GROUP_get0_order(group),
	    BN_value_one()) != 1 || EC_GROUP_precompute_mult(g, bc) != 1) {
		EC_GROUP_free(g);
		return NULL;
	}
	return g;
}

void
ecdsa_xs_free(struct ecdsa_xs *xs)
{
	size_t i;

	if (xs == NULL)
		return;
	for (i = 0; i < ECDSA_BATCH; i++) {
		BN_clear_free(xs->z[i]);
		BN_clear_free(xs->prod[i]);
	}
	BN_clear_free(xs->inv);
	BN_clear_free(xs->t);
	BN_free(xs->p);
	BN_free(xs->pm2);
	BN_MONT_CTX_free(xs->mont);
	BN_CTX_free(xs->bc);
	free(xs);
}

struct ecdsa_xs *
ecdsa_xs_new(const EC_GROUP *group)
{
	struct ecdsa_xs *xs;
	size_t i;

	if ((xs = calloc(1, sizeof(*xs))) == NULL)
		return NULL;
	xs->group = group;
	xs->n = EC_GROUP_get0_order(group);
	if ((xs->bc = BN_CTX_secure_new()) == NULL ||
	    (xs->p = BN_new()) == NULL || (xs->pm2 = BN_new()) == NULL ||
	    (xs->mont = BN_MONT_CTX_new()) == NULL ||
	    (xs->inv = secret()) == NULL || (xs->t = secret()) == NULL ||
	    EC_GROUP_get_curve(group, xs->p, NULL, NULL, xs->bc) != 1 ||
	    BN_copy(xs->pm2, xs->p) == NULL || BN_sub_word(xs->pm2, 2) != 1 ||
	    BN_MONT_CTX_set(xs->mont, xs->p, xs->bc) != 1)
		goto fail;
	for (i = 0; i < ECDSA_BATCH; i++)
		if ((xs->z[i] = secret()) == NULL ||
		    (xs->prod[i] = secret()) == NULL)
			goto fail;
	return xs;
fail:
	ERR_clear_error();
	ecdsa_xs_free(xs);
	return NULL;
}

/* Z_i into Montgomery form and their running products; 0 < Z (a point
 * at infinity has Z = 0). */
static int
xs_products(struct ecdsa_xs *xs, EC_POINT *const *pt, size_t np,
    BIGNUM *const *x)
{
	size_t i;

	for (i = 0; i < np; i++) {
		if (EC_POINT_get_Jprojective_coordinates_GFp(xs->group, pt[i],
		    x[i], NULL, xs->z[i], xs->bc) != 1 || BN_is_zero(xs->z[i]) ||
		    BN_to_montgomery(xs->z[i], xs->z[i], xs->mont,
		    xs->bc) != 1)
			return -1;
		if (i == 0 ? BN_copy(xs->prod[0], xs->z[0]) == NULL :
		    BN_mod_mul_montgomery(xs->prod[i], xs->prod[i - 1],
		    xs->z[i], xs->mont, xs->bc) != 1)
			return -1;
	}
	return 0;
}

/* x = X / Z^2 with zinv = R / Z: X (zinv zinv / R) / R; then mod n,
 * one subtraction at most since p < 2 n for both curves. */
static int
xs_one(struct ecdsa_xs *xs, BIGNUM *x, const BIGNUM *zinv)
{
	return BN_mod_mul_montgomery(xs->t, zinv, zinv, xs->mont,
	    xs->bc) == 1 &&
	    BN_mod_mul_montgomery(x, x, xs->t, xs->mont, xs->bc) == 1 &&
	    (BN_cmp(x, xs->n) < 0 || BN_sub(x, x, xs->n) == 1) &&
	    BN_cmp(x, xs->n) < 0 ? 0 : -1;
}

/*
 * The Z of the points depend on the secret k: their product is inverted
 * by Fermat, 1 / a = a^(p-2) mod p for the prime p, in constant time
 * (see the top of this file), never by BN_mod_inverse().
 */
int
ecdsa_xs_mod_n(struct ecdsa_xs *xs, EC_POINT *const *pt, size_t np,
    BIGNUM *const *x)
{
	size_t i;
	int rc = -1;

	if (np == 0)
		return 0;
	if (np > ECDSA_BATCH || xs_products(xs, pt, np, x) != 0 ||
	    BN_from_montgomery(xs->t, xs->prod[np - 1], xs->mont,
	    xs->bc) != 1 ||
	    BN_mod_exp_mont_consttime(xs->inv, xs->t, xs->pm2, xs->p, xs->bc,
	    xs->mont) != 1 ||
	    BN_to_montgomery(xs->inv, xs->inv, xs->mont, xs->bc) != 1)
		goto out;
	/* Going down, inv is R / (Z_0 .. Z_i). */
	for (i = np - 1; i > 0; i--)
		if (BN_mod_mul_montgomery(xs->t, xs->inv, xs->prod[i - 1],
		    xs->mont, xs->bc) != 1 ||
		    BN_mod_mul_montgomery(xs->inv, xs->inv, xs->z[i],
		    xs->mont, xs->bc) != 1 ||
		    xs_one(xs, x[i], xs->t) != 0)
			goto out;
	if (BN_copy(xs->t, xs->inv) == NULL || xs_one(xs, x[0], xs->t) != 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < np && i < ECDSA_BATCH; i++) {
		BN_clear(xs->z[i]);
		BN_clear(xs->prod[i]);
	}
	BN_clear(xs->inv);
	BN_clear(xs->t);
	ERR_clear_error();
	return rc;
}

void
ecdsa_batch_free(struct ecdsa_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < ECDSA_BATCH; i++) {
		EC_POINT_clear_free(b->R[i]);
		BN_clear_free(b->km[i]);
		BN_free(b->e[i]);
		BN_free(b->r[i]);
		BN_clear_free(b->prod[i]);
	}
	BN_clear_free(b->t);
	BN_clear_free(b->z);
	BN_clear_free(b->inv);
	BN_clear_free(b->dm);
	BN_free(b->nm2);
	BN_MONT_CTX_free(b->mont);
	BN_CTX_free(b->bc);
	ecdsa_xs_free(b->xs);
	EC_GROUP_free(b->group);
	sodium_free(b->sec);	/* wipes d's octets and the HMAC states */
	OPENSSL_cleanse(b, sizeof(*b));
	free(b);
}

static int
alloc_queue(struct ecdsa_batch *b)
{
	size_t i;

	for (i = 0; i < ECDSA_BATCH; i++)
		if ((b->R[i] = EC_POINT_new(b->group)) == NULL ||
		    (b->km[i] = secret()) == NULL ||
		    (b->e[i] = BN_new()) == NULL ||
		    (b->r[i] = BN_new()) == NULL ||
		    (b->prod[i] = secret()) == NULL)
			return -1;
	return 0;
}

/*
 * 1 when the big-endian number a of w octets is in [1, n - 1], n's
 * octets in nb; 0 when not.  No branch and no memory access depends on
 * a: the borrow of a - n, and the OR of a's octets, are carried through
 * every octet.
 */
static int
ct_in_range(const uint8_t *a, const uint8_t *nb, size_t w)
{
	unsigned borrow = 0, any = 0, d;
	size_t i;

	for (i = w; i-- > 0;) {
		d = (unsigned)a[i] - (unsigned)nb[i] - borrow;
		borrow = (d >> 8) & 1;	/* wire-lint: not wire: a borrow */
		any |= a[i];
	}
	/* a < n when a - n borrows; a != 0 when any != 0. */
	/* wire-lint: not wire: constant-time arithmetic */
	return (int)(borrow & ((any + 0xffu) >> 8));	/* wire-lint: not wire */
}

/* The private number d: int2octets(d) (RFC 6979 §2.3.3) for the nonces,
 * d R mod n for the products. */
static int
load_key(struct ecdsa_batch *b, const EVP_PKEY *pkey)
{
	BIGNUM *d = NULL;
	int ok;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1)
		return -1;
	BN_set_flags(d, BN_FLG_CONSTTIME);
	ok = BN_num_bytes(d) <= (int)b->w &&
	    BN_bn2binpad(d, b->sec->x, (int)b->w) == (int)b->w &&
	    ct_in_range(b->sec->x, b->nb, b->w) &&
	    BN_to_montgomery(b->dm, d, b->mont, b->bc) == 1;
	BN_clear_free(d);
	return ok ? 0 : -1;
}

/* Algorithm 13 is P-256 with SHA-256, 14 P-384 with SHA-384 (RFC 6605
 * §2). */
struct ecdsa_batch *
ecdsa_batch_new(const EVP_PKEY *pkey, uint8_t alg)
{
	struct ecdsa_batch *b;

	if ((alg != 13 && alg != 14) || (b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	if (sodium_init() < 0 || (b->sec = sodium_malloc(sizeof(*b->sec))) ==
	    NULL) {
		free(b);
		return NULL;
	}
	memset(b->sec, 0, sizeof(*b->sec));
	b->w = alg == 13 ? 32 : 48;
	if ((b->group = EC_GROUP_new_by_curve_name(alg == 13 ?
	    NID_X9_62_prime256v1 : NID_secp384r1)) == NULL ||
	    (b->bc = BN_CTX_secure_new()) == NULL ||
	    (b->mont = BN_MONT_CTX_new()) == NULL ||
	    (b->nm2 = BN_new()) == NULL || (b->dm = secret()) == NULL ||
	    (b->t = secret()) == NULL || (b->z = secret()) == NULL ||
	    (b->inv = secret()) == NULL)
		goto fail;
	b->n = EC_GROUP_get0_order(b->group);
	if ((size_t)BN_num_bytes(b->n) != b->w ||
	    BN_MONT_CTX_set(b->mont, b->n, b->bc) != 1 ||
	    BN_copy(b->nm2, b->n) == NULL || BN_sub_word(b->nm2, 2) != 1 ||
	    BN_bn2binpad(b->n, b->nb, (int)b->w) != (int)b->w ||
	    (b->xs = ecdsa_xs_new(b->group)) == NULL ||
	    load_key(b, pkey) != 0 || alloc_queue(b) != 0)
		goto fail;
	return b;
fail:
	ERR_clear_error();
	ecdsa_batch_free(b);
	return NULL;
}

size_t
ecdsa_batch_queued(const struct ecdsa_batch *b)
{
	return b->nq;
}

/*
 * The hash of the curve (SHA-256 or SHA-384) by OpenSSL's functions of
 * one algorithm, whose state is a plain structure: copying it is how an
 * HMAC key is reused, and they skip the EVP layer's look-ups, which cost
 * more than hashing these few blocks.  They are deprecated in OpenSSL
 * 3.0 but kept in 3.x (see OPENSSL_SUPPRESS_DEPRECATED above).
 */
static void
h_init(const struct ecdsa_batch *b, union hctx *c)
{
	if (b->w == 32)
		(void)SHA256_Init(&c->s256);
	else
		(void)SHA384_Init(&c->s512);
}

static void
h_update(const struct ecdsa_batch *b, union hctx *c, const void *p,
    size_t n)
{
	if (b->w == 32)
		(void)SHA256_Update(&c->s256, p, n);
	else
		(void)SHA384_Update(&c->s512, p, n);
}

static void
h_final(const struct ecdsa_batch *b, union hctx *c, uint8_t *out)
{
	if (b->w == 32)
		(void)SHA256_Final(out, &c->s256);
	else
		(void)SHA384_Final(out, &c->s512);
}

/* HMAC (RFC 2104) keyed with key, w octets: the states after the inner
 * and the outer padded key. */
static void
hmac_key(struct ecdsa_batch *b, const uint8_t *key)
{
	uint8_t pad[HMAC_BLOCK_MAX];
	size_t i, bl = b->w == 32 ? 64 : 128;

	memset(pad, 0x36, bl);
	for (i = 0; i < b->w; i++)
		pad[i] ^= key[i];
	h_init(b, &b->sec->inner);
	h_update(b, &b->sec->inner, pad, bl);
	memset(pad, 0x5c, bl);
	for (i = 0; i < b->w; i++)
		pad[i] ^= key[i];
	h_init(b, &b->sec->outer);
	h_update(b, &b->sec->outer, pad, bl);
	OPENSSL_cleanse(pad, sizeof(pad));
	memcpy(b->sec->key, key, b->w);
	b->sec->keyed = true;
}

/* out = HMAC_key(a | sep | c | d), leaving out what is NULL (sep < 0:
 * none); every key and output is w octets long.  The key of the last
 * call is reused as it is: the keys are secret, so they are compared in
 * constant time. */
static int
hmac(struct ecdsa_batch *b, const uint8_t *key, const uint8_t *a, int sep,
    const uint8_t *c, const uint8_t *d, uint8_t *out)
{
	union hctx h;
	uint8_t s = (uint8_t)sep, in[MAXW];

	if (!b->sec->keyed || CRYPTO_memcmp(key, b->sec->key, b->w) != 0)
		hmac_key(b, key);
	h = b->sec->inner;
	h_update(b, &h, a, b->w);
	if (sep >= 0)
		h_update(b, &h, &s, 1);
	if (c != NULL)
		h_update(b, &h, c, b->w);
	if (d != NULL)
		h_update(b, &h, d, b->w);
	h_final(b, &h, in);
	h = b->sec->outer;
	h_update(b, &h, in, b->w);
	h_final(b, &h, out);
	OPENSSL_cleanse(&h, sizeof(h));
	OPENSSL_cleanse(in, sizeof(in));
	return 0;
}

/*
 * RFC 6979 §3.2, steps b to h, for qlen = hlen (both curves): h1 is
 * bits2octets(H(m)), the hash reduced mod n in w octets.  The first
 * candidate in [1, n - 1] is k.
 */
static int
nonce(struct ecdsa_batch *b, const uint8_t *h1, BIGNUM *k)
{
	uint8_t V[MAXW], K[MAXW];
	int rc = -1, tries;

	memset(V, 0x01, b->w);
	memset(K, 0x00, b->w);
	if (hmac(b, K, V, 0x00, b->sec->x, h1, K) != 0 ||
	    hmac(b, K, V, -1, NULL, NULL, V) != 0 ||
	    hmac(b, K, V, 0x01, b->sec->x, h1, K) != 0 ||
	    hmac(b, K, V, -1, NULL, NULL, V) != 0)
		goto out;
	/* A candidate is out of range with probability about 2^-32 for
	 * P-256 and 2^-189 for P-384; a thousand misses in a row mean a
	 * broken HMAC, not bad luck. */
	for (tries = 0; tries < 1000; tries++) {
		if (hmac(b, K, V, -1, NULL, NULL, V) != 0)
			goto out;
		if (ct_in_range(V, b->nb, b->w)) {
			if (BN_bin2bn(V, (int)b->w, k) == NULL)
				goto out;
			rc = 0;
			break;
		}
		if (hmac(b, K, V, 0x00, NULL, NULL, K) != 0 ||
		    hmac(b, K, V, -1, NULL, NULL, V) != 0)
			goto out;
	}
out:
	OPENSSL_cleanse(V, sizeof(V));
	OPENSSL_cleanse(K, sizeof(K));
	OPENSSL_cleanse(b->sec->key, sizeof(b->sec->key));
	OPENSSL_cleanse(&b->sec->inner, sizeof(b->sec->inner));
	OPENSSL_cleanse(&b->sec->outer, sizeof(b->sec->outer));
	b->sec->keyed = false;
	return rc;
}

/*
 * The first half of a signature: e, k and k G, into the queue.  Returns
 * -1 when the queue is full (ecdsa_batch_run() empties it) or OpenSSL
 * fails.
 */
int
ecdsa_batch_add(struct ecdsa_batch *b, const uint8_t *data, size_t len,
    uint8_t *sig)
{
	uint8_t h[MAXW], h1[MAXW];
	union hctx hc;
	size_t i = b->nq;
	BIGNUM *k = b->t;
	int rc = -1;

	if (i == ECDSA_BATCH)
		return -1;
	/* e = bits2int(H(m)); bits2octets is e mod n (RFC 6979 §2.3.4),
	 * one subtraction since e < 2^qlen < 2 n. */
	h_init(b, &hc);
	h_update(b, &hc, data, len);
	h_final(b, &hc, h);
	if (BN_bin2bn(h, (int)b->w, b->e[i]) == NULL ||
	    (BN_cmp(b->e[i], b->n) >= 0 && BN_sub(b->e[i], b->e[i],
	    b->n) != 1) ||
	    BN_bn2binpad(b->e[i], h1, (int)b->w) != (int)b->w ||
	    nonce(b, h1, k) != 0 ||
	    EC_POINT_mul(b->group, b->R[i], k, NULL, NULL, b->bc) != 1 ||
	    BN_to_montgomery(b->km[i], k, b->mont, b->bc) != 1)
		goto out;
	b->out[i] = sig;
	b->nq++;
	rc = 0;
out:
	BN_clear(k);
	ERR_clear_error();
	return rc;
}

/* r = the x of k G mod n, for every queued signature (FIPS 186-4
 * §6.4.1 step 5); 0 < r. */
static int
make_r(struct ecdsa_batch *b)
{
	size_t i;

	if (ecdsa_xs_mod_n(b->xs, b->R, b->nq, b->r) != 0)
		return -1;
	for (i = 0; i < b->nq; i++)
		if (BN_is_zero(b->r[i]))
			return -1;
	return 0;
}

/* prod[i] = k_0 .. k_i R, and inv = 1 / (k_0 .. k_last) R, by Fermat:
 * x^(n-2) = 1 / x for the prime n, in constant time. */
static int
invert_all(struct ecdsa_batch *b)
{
	size_t i;

	if (BN_copy(b->prod[0], b->km[0]) == NULL)
		return -1;
	for (i = 1; i < b->nq; i++)
		if (BN_mod_mul_montgomery(b->prod[i], b->prod[i - 1], b->km[i],
		    b->mont, b->bc) != 1)
			return -1;
	return BN_from_montgomery(b->t, b->prod[b->nq - 1], b->mont,
	    b->bc) == 1 &&
	    BN_mod_exp_mont_consttime(b->inv, b->t, b->nm2, b->n, b->bc,
	    b->mont) == 1 &&
	    BN_to_montgomery(b->inv, b->inv, b->mont, b->bc) == 1 ? 0 : -1;
}

/* s = (e + r d) / k, with kinv = R / k: (e + r d) kinv / R. */
static int
make_s(struct ecdsa_batch *b, size_t i, const BIGNUM *kinv)
{
	uint8_t *out = b->out[i];

	if (BN_mod_mul_montgomery(b->z, b->r[i], b->dm, b->mont,
	    b->bc) != 1 ||
	    BN_mod_add_quick(b->z, b->z, b->e[i], b->n) != 1 ||
	    BN_mod_mul_montgomery(b->z, b->z, kinv, b->mont, b->bc) != 1 ||
	    BN_is_zero(b->z))
		return -1;
	return BN_bn2binpad(b->r[i], out, (int)b->w) == (int)b->w &&
	    BN_bn2binpad(b->z, out + b->w, (int)b->w) == (int)b->w ? 0 : -1;
}

/*
 * The second half, for the whole queue: r, then the inverse of every k
 * from the one inversion of their product (going down the queue, inv is
 * 1 / (k_0 .. k_i), so 1 / k_i is inv times k_0 .. k_i-1, and the next
 * inv is inv times k_i), then s.  r = 0 or s = 0 has probability about
 * 2^-256: the batch fails rather than trying another k.
 */
int
ecdsa_batch_run(struct ecdsa_batch *b)
{
	size_t i;
	int rc = -1;

	if (b->nq == 0)
		return 0;
	if (make_r(b) != 0 || invert_all(b) != 0)
		goto out;
	for (i = b->nq - 1; i > 0; i--)
		if (BN_mod_mul_montgomery(b->t, b->inv, b->prod[i - 1],
		    b->mont, b->bc) != 1 ||
		    make_s(b, i, b->t) != 0 ||
		    BN_mod_mul_montgomery(b->inv, b->inv, b->km[i], b->mont,
		    b->bc) != 1)
			goto out;
	if (make_s(b, 0, b->inv) != 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < b->nq; i++) {
		BN_clear(b->km[i]);
		BN_clear(b->prod[i]);
		/* k G over with a public point: its Z is secret. */
		(void)EC_POINT_copy(b->R[i], EC_GROUP_get0_generator(b->group));
	}
	BN_clear(b->inv);
	BN_clear(b->t);
	BN_clear(b->z);
	b->nq = 0;
	ERR_clear_error();
	return rc;
}
