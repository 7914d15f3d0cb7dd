/*
 * The signatures group of zdiff: RRSIG records matched between the two
 * zones by the key that made them (RFC 4034 §3.1: algorithm, key tag,
 * signer), and counted per key and side.
 */
#include <stdlib.h>
#include <string.h>

#include "dname.h"
#include "dnskey.h"
#include "rrtype.h"
#include "wire.h"
#include "zdiff-int.h"
#include "zdiff.h"
#include "zone.h"

/* The key of an RRSIG: algorithm, key tag, signer (RFC 4034 §3.1). */
static bool
same_signer(const struct rr *x, const struct rr *y)
{
	struct wire_rrsig a, b;

	return wire_rrsig(&a, x->rdata, x->rdlen) == 0 &&
	    wire_rrsig(&b, y->rdata, y->rdlen) == 0 &&
	    a.algorithm == b.algorithm && a.key_tag == b.key_tag &&
	    a.signer_len == b.signer_len &&
	    memcmp(a.signer, b.signer, a.signer_len) == 0;
}

static struct zdiff_key *
key_get(struct zdiff *zd, uint16_t tag, uint8_t alg)
{
	struct zdiff_sigs *sg = &zd->sigs;
	struct zdiff_key *k;
	size_t i;

	if (sg->last < sg->nkey && sg->key[sg->last].tag == tag &&
	    sg->key[sg->last].alg == alg)
		return &sg->key[sg->last];
	for (i = 0; i < sg->nkey; i++)
		if (sg->key[i].tag == tag && sg->key[i].alg == alg)
			return &sg->key[sg->last = i];
	if (!zdiff_grow(zd, (void **)&sg->key, sg->nkey, &sg->capkey,
	    sizeof(*k)))
		return NULL;
	k = &sg->key[sg->nkey];
	memset(k, 0, sizeof(*k));
	k->tag = tag;
	k->alg = alg;
	sg->last = sg->nkey++;
	return k;
}

static struct zdiff_key *
key_of(struct zdiff *zd, const struct rr *r)
{
	struct wire_rrsig v;

	if (wire_rrsig(&v, r->rdata, r->rdlen) != 0)
		return key_get(zd, 0, 0);
	return key_get(zd, v.key_tag, v.algorithm);
}

/* Expiration times compare in serial number arithmetic (RFC 4034
 * §3.1.5, RFC 1982). */
static bool
time_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static void
count_sig(struct zdiff *zd, int side, const struct ctx *cx,
    const struct rr *r)
{
	struct zdiff_key *k;
	struct wire_rrsig v;
	uint16_t covered;
	uint32_t exp;

	if ((k = key_of(zd, r)) == NULL || wire_rrsig(&v, r->rdata,
	    r->rdlen) != 0)
		return;
	covered = v.covered;
	exp = v.expiration;
	if (k->nsig[side]++ == 0)
		k->exp_min[side] = k->exp_max[side] = exp;
	else {
		if (time_before(exp, k->exp_min[side]))
			k->exp_min[side] = exp;
		if (time_before(k->exp_max[side], exp))
			k->exp_max[side] = exp;
	}
	/* What a key signs tells a CSK from a KSK.  CDS and CDNSKEY are
	 * signed by a key the parent's DS RRset names (RFC 7344 §4.1), a
	 * KSK, which does not make it a CSK. */
	if (cx->apex && covered == T_DNSKEY)
		k->signs_dnskey[side] = true;
	else if (!cx->apex || (covered != T_CDS && covered != T_CDNSKEY))
		k->signs_other[side] = true;
}

static void
sig_event(struct zdiff *zd, size_t a, size_t b, int op)
{
	const struct rr *r = a != ZDIFF_NONE ? &zd->z[0]->rr[a] :
	    &zd->z[1]->rr[b];
	struct zdiff_key *k = key_of(zd, r);

	zdiff_push_ev(zd, ZDIFF_SIGS, a, b, op);
	if (k == NULL)
		return;
	switch (op) {
	case ZDIFF_ADDED:
		k->made++;
		zd->sigs.made++;
		break;
	case ZDIFF_REMOVED:
		k->removed++;
		zd->sigs.removed++;
		break;
	default:
		k->refreshed++;
		zd->sigs.refreshed++;
	}
}

static void
count_kept(struct zdiff *zd, const struct rr *r)
{
	struct zdiff_key *k = key_of(zd, r);

	if (k != NULL)
		k->kept++;
	zd->sigs.kept++;
}

/*
 * The signatures over one RRset, [a, ae) old and [b, be) new: the same
 * record on both sides is kept; one by the same key over the same RRset
 * with other RDATA (times, signature) is refreshed; the rest are made
 * or removed.
 */
static void
match_sigs(struct zdiff *zd, size_t a, size_t ae, size_t b, size_t be)
{
	const struct rr *o = zd->z[0]->rr, *n = zd->z[1]->rr;
	size_t no = ae - a, nn = be - b, x, y;
	uint8_t *mo, *mn;
	int c;

	if (no + nn > zd->capmark) {
		free(zd->mark);
		zd->capmark = 0;
		if ((zd->mark = malloc(no + nn)) == NULL) {
			zd->nomem = 1;
			return;
		}
		zd->capmark = no + nn;
	}
	mo = zd->mark;
	mn = zd->mark + no;
	memset(zd->mark, 0, no + nn);
	for (x = a, y = b; x < ae && y < be;) {
		if ((c = rdata_cmp(&o[x], &n[y])) < 0)
			x++;
		else if (c > 0)
			y++;
		else {
			mo[x - a] = mn[y - b] = 1;
			if (o[x].ttl != n[y].ttl)
				sig_event(zd, x, y, ZDIFF_CHANGED);
			else
				count_kept(zd, &o[x]);
			x++;
			y++;
		}
	}
	for (x = a; x < ae; x++) {
		if (mo[x - a])
			continue;
		for (y = b; y < be; y++)
			if (!mn[y - b] && same_signer(&o[x], &n[y])) {
				mo[x - a] = mn[y - b] = 1;
				sig_event(zd, x, y, ZDIFF_CHANGED);
				break;
			}
	}
	for (x = a; x < ae; x++)
		if (!mo[x - a])
			sig_event(zd, x, ZDIFF_NONE, ZDIFF_REMOVED);
	for (y = b; y < be; y++)
		if (!mn[y - b])
			sig_event(zd, ZDIFF_NONE, y, ZDIFF_ADDED);
}

static uint16_t
covered(const struct rr *r)
{
	return wire_rrsig_covered(r->rdata, r->rdlen);
}

/* RRSIG RDATA begins with the type covered, so the signatures of one
 * owner come sorted by the RRset they cover. */
void
zdiff_walk_sigs(struct zdiff *zd, const struct ctx *cx, size_t a, size_t ae,
    size_t b, size_t be)
{
	const struct rr *o = zd->z[0]->rr, *n = zd->z[1]->rr;
	size_t x, a2, b2;
	uint32_t t;

	for (x = a; x < ae; x++)
		count_sig(zd, 0, cx, &o[x]);
	for (x = b; x < be; x++)
		count_sig(zd, 1, cx, &n[x]);
	while (a < ae || b < be) {
		t = a < ae ? covered(&o[a]) : 0x10000;
		if (b < be && covered(&n[b]) < t)
			t = covered(&n[b]);
		for (a2 = a; a2 < ae && covered(&o[a2]) == t; a2++)
			;
		for (b2 = b; b2 < be && covered(&n[b2]) == t; b2++)
			;
		match_sigs(zd, a, a2, b, b2);
		a = a2;
		b = b2;
	}
}
