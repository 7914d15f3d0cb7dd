/*
 * ZONEMD (RFC 8976): the SIMPLE digest of a zone, and a signed zone's
 * ZONEMD records filled in and signed again after signing.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "arena.h"
#include "crypto.h"
#include "diag.h"
#include "dname.h"
#include "keyfile.h"
#include "rrsig.h"
#include "rrtype.h"
#include "wire.h"
#include "zone.h"
#include "zonemd.h"
#include "zsign.h"

/* Records are hashed from a buffer this large, not one call each. */
#define HASH_BUF	(256 * 1024)
/* The longest record in wire form: owner, fixed fields, RDATA. */
#define RR_MAX		(DNAME_MAXLEN + 10 + 65535)

static const EVP_MD *
hash_md(uint8_t alg)
{
	/* RFC 8976 §5.3: the ZONEMD Hash Algorithms registry. */
	switch (alg) {
	case ZONEMD_HASH_SHA384:
		return EVP_sha384();
	case ZONEMD_HASH_SHA512:
		return EVP_sha512();
	default:
		return NULL;
	}
}

size_t
zonemd_hash_len(uint8_t alg)
{
	return alg == ZONEMD_HASH_SHA384 ? 48 :
	    alg == ZONEMD_HASH_SHA512 ? 64 : 0;
}

/*
 * RFC 8976 §3.3.1: every record of the zone counts, glue and occluded
 * data too, but the apex ZONEMD RRset (its digest cannot cover itself)
 * and the apex RRSIGs that cover it (made after the digest).  A ZONEMD
 * below the apex is data like any other.
 */
bool
zonemd_excluded(const struct zone *z, const struct rr *r)
{
	if (r->type != T_ZONEMD && r->type != T_RRSIG)
		return false;
	if (!dname_equal(r->owner, z->apex))
		return false;
	return r->type == T_ZONEMD ||
	    wire_rrsig_covered(r->rdata, r->rdlen) == T_ZONEMD;
}

int64_t
zonemd_serial(const struct zone *z)
{
	struct wire_soa v;
	size_t i;

	if (z->sorted)
		i = zone_find(z, z->apex, T_SOA);
	else
		for (i = 0; i < z->n && (z->rr[i].type != T_SOA ||
		    !dname_equal(z->rr[i].owner, z->apex)); i++)
			;
	if (i == z->n)
		return -1;
	if (wire_soa(&v, z->rr[i].rdata, z->rr[i].rdlen) != 0)
		return -1;
	return v.serial;
}

/*
 * RFC 8976 §3.3.2: the hash of the records, each as owner, type, class,
 * TTL, RDATA length and RDATA, in canonical form and order (RFC 4034
 * §6.2, §6.3), each once (§3.3.1.2).  A sorted zone holds them so:
 * owners lower case, RDATA canonical, duplicates removed (zone.h).
 */
size_t
zonemd_digest(const struct zone *z, uint8_t alg, uint8_t *out,
    struct diag *d)
{
	const EVP_MD *md = hash_md(alg);
	EVP_MD_CTX *ctx = NULL;
	uint8_t *buf = NULL, *p;
	unsigned int len = 0;
	size_t i, olen;

	if (md == NULL) {
		diag_set(d, NULL, 0, "ZONEMD hash algorithm %u not supported",
		    alg);
		return 0;
	}
	if (!z->sorted || z->apex == NULL) {
		diag_set(d, NULL, 0, "ZONEMD: the zone is not sorted");
		return 0;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    (buf = malloc(HASH_BUF + RR_MAX)) == NULL ||
	    EVP_DigestInit_ex(ctx, md, NULL) != 1)
		goto fail;
	for (p = buf, i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		if (zonemd_excluded(z, r))
			continue;
		olen = dname_len(r->owner);
		memcpy(p, r->owner, olen);
		p += olen;
		p = wire_put16(p, r->type);
		p = wire_put16(p, r->rclass);
		p = wire_put32(p, r->ttl);
		p = wire_put16(p, r->rdlen);
		if (r->rdlen > 0)
			memcpy(p, r->rdata, r->rdlen);
		p += r->rdlen;
		if (p - buf >= HASH_BUF) {
			if (EVP_DigestUpdate(ctx, buf, (size_t)(p - buf)) != 1)
				goto fail;
			p = buf;
		}
	}
	if (EVP_DigestUpdate(ctx, buf, (size_t)(p - buf)) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &len) != 1)
		goto fail;
	EVP_MD_CTX_free(ctx);
	free(buf);
	return len;
fail:
	diag_set(d, NULL, 0, "ZONEMD: the hash could not be computed");
	EVP_MD_CTX_free(ctx);
	free(buf);
	return 0;
}

int
zonemd_state(const struct zone *z, struct diag *d)
{
	uint8_t dg[ZONEMD_MAX_DIGEST];
	int64_t serial = zonemd_serial(z);
	size_t i, n;
	int state = ZONEMD_NONE;

	for (i = zone_find(z, z->apex, T_ZONEMD); i < z->n &&
	    z->rr[i].type == T_ZONEMD && dname_equal(z->rr[i].owner, z->apex);
	    i++) {
		const struct rr *r = &z->rr[i];
		struct wire_zonemd v;
		if (wire_zonemd(&v, r->rdata, r->rdlen) != 0 ||
		    v.scheme != ZONEMD_SCHEME_SIMPLE ||
		    (n = zonemd_hash_len(v.hash_alg)) == 0)
			continue;
		state = ZONEMD_STALE;
		if (v.digest_len != n || serial != (int64_t)v.serial)
			continue;
		if (zonemd_digest(z, v.hash_alg, dg, d) == 0)
			return -1;
		if (memcmp(dg, v.digest, n) == 0)
			return ZONEMD_FRESH;
	}
	return state;
}

/* Our key that made a signature: its key tag and algorithm; NULL when
 * none of the list has them. */
static const struct keyfile *
signer_of(const struct wire_rrsig *g, const struct zsign_key *key, size_t nkey)
{
	size_t k;

	for (k = 0; k < nkey; k++)
		if (keyfile_tag(key[k].kf) == g->key_tag &&
		    keyfile_algorithm(key[k].kf) == g->algorithm)
			return key[k].kf;
	return NULL;
}

/*
 * One apex RRSIG over the ZONEMD RRset z->rr[set .. set + n) made again
 * with the fields it has (RFC 8976 §3.2: the ZONEMD RRset is signed
 * once its digest is in), and checked with the key's DNSKEY.
 */
static int
sign_again(struct zone *z, struct rr *sig, size_t set, size_t n,
    const struct zsign_key *key, size_t nkey, struct diag *d)
{
	const struct keyfile *kf;
	const uint8_t *pub;
	struct wire_dnskey k;
	struct wire_rrsig g;
	uint8_t *data = NULL, *rd, s[CRYPTO_SIG_MAX];
	size_t cap = 0, len, slen, plen, hlen;
	int rc = -1;

	if (wire_rrsig(&g, sig->rdata, sig->rdlen) != 0) {
		diag_set(d, NULL, 0, "ZONEMD: a malformed RRSIG over it");
		return -1;
	}
	if ((kf = signer_of(&g, key, nkey)) == NULL) {
		diag_set(d, NULL, 0, "ZONEMD: signed by key %u/%u, which is "
		    "not one given: its RRSIG cannot be made again",
		    g.key_tag, g.algorithm);
		return -1;
	}
	if (rrsig_signed_data(&g, &z->rr[set], n, &data, &cap, &len) != 0) {
		diag_set(d, NULL, 0, "out of memory");
		goto out;
	}
	if (crypto_keyfile_sign(kf, data, len, s, &slen, d) != 0)
		goto out;
	pub = keyfile_rdata(kf, &plen);
	if (wire_dnskey(&k, pub, plen) != 0 || crypto_dnskey_verify(g.algorithm,
	    k.key, k.key_len, data, len, s, slen) != 1) {
		diag_set(d, NULL, 0, "ZONEMD: key %u/%u: the new RRSIG does "
		    "not verify", g.key_tag, g.algorithm);
		goto out;
	}
	if ((rd = arena_alloc(z->arena, WIRE_RRSIG_FIXED + g.signer_len +
	    slen)) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		goto out;
	}
	hlen = rrsig_header(&g, rd);
	memcpy(rd + hlen, s, slen);
	sig->rdata = rd;
	sig->rdlen = (uint16_t)(hlen + slen);
	rc = 0;
out:
	free(data);
	return rc;
}

/* Each ZONEMD of the RRset gets the serial and the digest. */
static int
fill(struct zone *z, size_t set, size_t n, uint32_t serial, struct diag *d)
{
	uint8_t digest[ZONEMD_HASH_SHA512 + 1][ZONEMD_MAX_DIGEST];
	size_t dlen[ZONEMD_HASH_SHA512 + 1] = { 0 };
	size_t i;

	for (i = set; i < set + n; i++) {
		struct rr *r = &z->rr[i];
		struct wire_zonemd v;
		uint8_t alg, *rd, *p;
		if (wire_zonemd(&v, r->rdata, r->rdlen) != 0 ||
		    v.scheme != ZONEMD_SCHEME_SIMPLE ||
		    zonemd_hash_len(v.hash_alg) == 0)
			continue;
		alg = v.hash_alg;
		if (dlen[alg] == 0 &&
		    (dlen[alg] = zonemd_digest(z, alg, digest[alg], d)) == 0)
			return -1;
		if ((rd = arena_alloc(z->arena, ZONEMD_FIXED + dlen[alg])) ==
		    NULL) {
			diag_set(d, NULL, 0, "out of memory");
			return -1;
		}
		/* RFC 8976 §2.2: serial, scheme, hash algorithm, digest. */
		p = wire_put32(rd, serial);
		*p++ = ZONEMD_SCHEME_SIMPLE;
		*p++ = alg;
		memcpy(p, digest[alg], dlen[alg]);
		r->rdata = rd;
		r->rdlen = (uint16_t)(ZONEMD_FIXED + dlen[alg]);
	}
	return 0;
}

int
zonemd_update(struct zone *z, const struct zsign_key *key, size_t nkey,
    struct diag *d)
{
	struct wire_rrsig g;
	int64_t serial;
	size_t set, e, i;

	if ((set = zone_find(z, z->apex, T_ZONEMD)) == z->n)
		return 0;
	for (e = set; e < z->n && z->rr[e].type == T_ZONEMD &&
	    dname_equal(z->rr[e].owner, z->apex); e++)
		;
	if ((serial = zonemd_serial(z)) < 0) {
		diag_set(d, NULL, 0, "ZONEMD: no well-formed SOA record");
		return -1;
	}
	/* The RRSIGs over the ZONEMD RRset are left out of the digest, so
	 * the order does not matter: digest first, then signatures. */
	if (fill(z, set, e - set, (uint32_t)serial, d) != 0)
		return -1;
	if ((i = zone_find(z, z->apex, T_RRSIG)) == z->n)
		return 0;
	for (; i < z->n && z->rr[i].type == T_RRSIG &&
	    dname_equal(z->rr[i].owner, z->apex); i++)
		if (wire_rrsig(&g, z->rr[i].rdata, z->rr[i].rdlen) == 0 &&
		    g.covered == T_ZONEMD &&
		    sign_again(z, &z->rr[i], set, e - set, key, nkey, d) != 0)
			return -1;
	return 0;
}
