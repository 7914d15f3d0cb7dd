/*
 * The comparison behind zdiff-dnssec.  See zdiff.h.
 *
 * Both zones are in canonical order (RFC 4034 §6.1), so one merge walk
 * over the two record arrays meets each owner name once, each RRset of
 * it once, and each record of an RRset once: the whole comparison is
 * linear, with no hashing and no allocation per name.  The apex, whose
 * few RRsets are compared field by field, is looked at again after the
 * walk by binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "dname.h"
#include "dnskey.h"
#include "rrtype.h"
#include "zdiff.h"
#include "zone.h"

#define LIMIT	20

static const char *const group_names[ZDIFF_NGROUPS] = {
	"data", "apex", "denial", "signatures"
};

/* The apex RRsets of the apex group, in the order of the report. */
static const uint16_t apex_types[] = {
	T_SOA, T_NS, T_DNSKEY, T_CDS, T_CDNSKEY, T_ZONEMD
};

struct ctx {
	const uint8_t	*name;
	bool		 apex;
	bool		 has[2];	/* the name has records on each side */
	bool		 cut[2];	/* a delegation point on each side */
};

const char *
zdiff_group_name(enum zdiff_group g)
{
	return g < ZDIFF_NGROUPS ? group_names[g] : "";
}

int
zdiff_group_from_name(const char *s)
{
	int g;

	for (g = 0; g < ZDIFF_NGROUPS; g++)
		if (strcmp(s, group_names[g]) == 0)
			return g;
	return -1;
}

void
zdiff_init(struct zdiff *zd, const struct zone *old, const struct zone *new)
{
	memset(zd, 0, sizeof(*zd));
	zd->z[ZDIFF_OLD] = old;
	zd->z[ZDIFF_NEW] = new;
	zd->limit = LIMIT;
}

void
zdiff_free(struct zdiff *zd)
{
	size_t i;
	int g;

	for (i = 0; i < zd->data.nunit; i++)
		free(zd->data.unit[i].rrset);
	free(zd->data.unit);
	free(zd->apex.item);
	free(zd->denial.item);
	free(zd->sigs.key);
	for (g = 0; g < ZDIFF_NGROUPS; g++)
		free(zd->ev[g]);
	free(zd->cur.rrset);
	free(zd->host);
	free(zd->mark);
	free(zd->where[0]);
	free(zd->where[1]);
	memset(zd, 0, sizeof(*zd));
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Grow an array to hold one more element; false when memory is out. */
static bool
grow(struct zdiff *zd, void **p, size_t n, size_t *cap, size_t size)
{
	void *np;
	size_t nc;

	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : 16;
	if ((np = realloc(*p, nc * size)) == NULL) {
		zd->nomem = 1;
		return false;
	}
	*p = np;
	*cap = nc;
	return true;
}

static void
push_ev(struct zdiff *zd, int g, size_t o, size_t n, int op)
{
	struct zdiff_ev *e;

	if (!zd->full[g] || !grow(zd, (void **)&zd->ev[g], zd->nev[g],
	    &zd->capev[g], sizeof(*e)))
		return;
	e = &zd->ev[g][zd->nev[g]++];
	e->o = o == ZDIFF_NONE ? ZDIFF_NONE : (uint32_t)o;
	e->n = n == ZDIFF_NONE ? ZDIFF_NONE : (uint32_t)n;
	e->op = (uint8_t)op;
}

static void
push_item(struct zdiff *zd, struct zdiff_item **items, size_t *n,
    size_t *cap, uint16_t type, int op, const char *field,
    const struct rr *o, const struct rr *nr)
{
	struct zdiff_item *it;

	if (!grow(zd, (void **)items, *n, cap, sizeof(**items)))
		return;
	it = &(*items)[(*n)++];
	it->type = type;
	it->op = (uint8_t)op;
	it->field = field;
	it->o = o;
	it->n = nr;
}

/* RDATA order within an RRset: canonical RDATA compares as octet
 * strings, a prefix first (RFC 4034 §6.3). */
static int
rdata_cmp(const struct rr *a, const struct rr *b)
{
	size_t m = a->rdlen < b->rdlen ? a->rdlen : b->rdlen;
	int c = m ? memcmp(a->rdata, b->rdata, m) : 0;

	if (c != 0)
		return c;
	return (a->rdlen > b->rdlen) - (a->rdlen < b->rdlen);
}

/* Owner names are lower case in both zones, so equal names are equal
 * octet strings; the canonical comparison is needed only when not. */
static int
owner_cmp(const uint8_t *a, const uint8_t *b)
{
	size_t la = dname_len(a), lb = dname_len(b);

	if (la == lb && memcmp(a, b, la) == 0)
		return 0;
	return dname_canon_cmp(a, b);
}

/*
 * Merge the records of one RRset: equal RDATA with equal TTL is the same
 * record, equal RDATA with another TTL a changed one, the rest added or
 * removed.  Events go to group g; the counts to the caller.
 */
static void
merge_set(struct zdiff *zd, int g, size_t a, size_t ae, size_t b, size_t be,
    uint32_t *added, uint32_t *removed, uint32_t *ttl, size_t *kept)
{
	const struct rr *o = zd->z[0]->rr, *n = zd->z[1]->rr;
	int c;

	*added = *removed = *ttl = 0;
	while (a < ae || b < be) {
		if (a == ae)
			c = 1;
		else if (b == be)
			c = -1;
		else
			c = rdata_cmp(&o[a], &n[b]);
		if (c < 0) {
			push_ev(zd, g, a++, ZDIFF_NONE, ZDIFF_REMOVED);
			(*removed)++;
		} else if (c > 0) {
			push_ev(zd, g, ZDIFF_NONE, b++, ZDIFF_ADDED);
			(*added)++;
		} else {
			if (o[a].ttl != n[b].ttl) {
				push_ev(zd, g, a, b, ZDIFF_CHANGED);
				(*ttl)++;
			} else if (kept != NULL)
				(*kept)++;
			a++;
			b++;
		}
	}
}

/* The data group: a unit is a delegation (its cut and everything below)
 * or one authoritative name. */
static void
close_unit(struct zdiff *zd)
{
	struct zdiff_unit *u;
	size_t sz;

	if (zd->cur.name != NULL && zd->cur.nrrset > 0) {
		zd->data.units++;
		if (zd->cur.delegation)
			zd->data.delegations++;
		if (zd->data.nunit < zd->limit && grow(zd,
		    (void **)&zd->data.unit, zd->data.nunit, &zd->data.cap,
		    sizeof(*u))) {
			u = &zd->data.unit[zd->data.nunit];
			*u = zd->cur;
			sz = zd->cur.nrrset * sizeof(*u->rrset);
			if ((u->rrset = malloc(sz)) == NULL)
				zd->nomem = 1;
			else {
				memcpy(u->rrset, zd->cur.rrset, sz);
				zd->data.nunit++;
			}
		}
	}
	zd->cur.name = NULL;
	zd->cur.nrrset = 0;
}

static void
open_unit(struct zdiff *zd, const uint8_t *name, bool delegation,
    bool in_old, bool in_new)
{
	close_unit(zd);
	zd->cur.name = name;
	zd->cur.delegation = delegation;
	zd->cur.in_old = in_old;
	zd->cur.in_new = in_new;
}

/* Where an RRset stands, in the new zone when it is there. */
static int
role_of(const struct zdiff *zd, const struct ctx *cx, uint16_t t,
    size_t a, size_t b, size_t be)
{
	uint8_t w = b < be ? zd->where[1][b] : zd->where[0][a];

	switch (w) {
	case RR_DELEG:
		return ZDIFF_DELEG_NS;
	case RR_GLUE:
		return ZDIFF_GLUE;
	case RR_OCCLUDED:
		return ZDIFF_OCCLUDED;
	}
	if (t == T_DS && (cx->cut[0] || cx->cut[1]))
		return ZDIFF_DELEG_DS;
	return ZDIFF_AUTH;
}

static void
walk_data(struct zdiff *zd, const struct ctx *cx, uint16_t t, size_t a,
    size_t ae, size_t b, size_t be)
{
	struct zdiff_rrset *s;
	uint32_t added, removed, ttl;

	merge_set(zd, ZDIFF_DATA, a, ae, b, be, &added, &removed, &ttl, NULL);
	if (added + removed + ttl == 0)
		return;
	zd->data.added += added;
	zd->data.removed += removed;
	zd->data.ttl += ttl;
	if (zd->cur.name == NULL)
		open_unit(zd, cx->name, false, cx->has[0], cx->has[1]);
	if (!grow(zd, (void **)&zd->cur.rrset, zd->cur.nrrset, &zd->capcur,
	    sizeof(*s)))
		return;
	s = &zd->cur.rrset[zd->cur.nrrset++];
	s->owner = cx->name;
	s->type = t;
	s->role = (uint8_t)role_of(zd, cx, t, a, b, be);
	s->ob = a;
	s->oe = ae;
	s->nb = b;
	s->ne = be;
	s->added = added;
	s->removed = removed;
	s->ttl = ttl;
}

/* NSEC and NSEC3 records: counted on each side, compared per owner. */
static void
walk_denial(struct zdiff *zd, uint16_t t, size_t a, size_t ae, size_t b,
    size_t be)
{
	struct zdiff_denial *dn = &zd->denial;
	int k = t == T_NSEC3;
	uint32_t added, removed, ttl, changed;
	size_t x, kept = 0;

	for (x = a; x < ae; x++) {
		const struct rr *r = &zd->z[0]->rr[x];
		dn->side[0].nsec += !k;
		dn->side[0].nsec3 += k;
		/* The Opt-Out flag, RFC 5155 §3.1.2.1. */
		dn->side[0].optout += k && r->rdlen > 1 && (r->rdata[1] & 1);
	}
	for (x = b; x < be; x++) {
		const struct rr *r = &zd->z[1]->rr[x];
		dn->side[1].nsec += !k;
		dn->side[1].nsec3 += k;
		dn->side[1].optout += k && r->rdlen > 1 && (r->rdata[1] & 1);
	}
	merge_set(zd, ZDIFF_DENIAL, a, ae, b, be, &added, &removed, &ttl,
	    &kept);
	/* One NSEC or NSEC3 per owner: a record replaced at the same owner
	 * is a changed link of the chain. */
	changed = added < removed ? added : removed;
	dn->added[k] += added - changed;
	dn->removed[k] += removed - changed;
	dn->changed[k] += changed;
	dn->ttl[k] += ttl;
	dn->kept[k] += kept;
}

/*
 * Does the address RRset at records [a, ae) and [b, be) belong to the
 * apex group?  It does when its owner is a name server of the apex NS
 * RRset and it is the zone's own authoritative data, or glue below a cut
 * that no delegation's NS RRset names: there it exists for the apex NS
 * alone.  The glue of a delegation is that delegation's data.
 */
static bool
host_addresses(const struct zdiff *zd, const uint8_t *name, size_t a,
    size_t ae, size_t b, size_t be)
{
	const struct zdiff_host *h = NULL;
	size_t i;

	for (i = 0; i < zd->nhost && h == NULL; i++)
		if (dname_equal(zd->host[i].name, name))
			h = &zd->host[i];
	if (h == NULL)
		return false;
	if (a < ae && zd->where[0][a] != RR_AUTH &&
	    (zd->where[0][a] != RR_GLUE || h->delegation))
		return false;
	if (b < be && zd->where[1][b] != RR_AUTH &&
	    (zd->where[1][b] != RR_GLUE || h->delegation))
		return false;
	return true;
}

/* The SOA serial is at the end of the two names (RFC 1035 §3.3.13);
 * returns its offset, or 0 when the RDATA is malformed. */
static size_t
soa_serial_off(const struct rr *r)
{
	size_t m, n;

	if ((m = dname_len_bounded(r->rdata, r->rdlen)) == 0 ||
	    (n = dname_len_bounded(r->rdata + m, r->rdlen - m)) == 0 ||
	    m + n + 20 != r->rdlen)
		return 0;
	return m + n;
}

static bool
soa_same(const struct zdiff *zd, const struct rr *o, const struct rr *n)
{
	size_t s;

	if (o->rdlen != n->rdlen)
		return false;
	if (!zd->ignore_serial || (s = soa_serial_off(o)) == 0 ||
	    s != soa_serial_off(n))
		return memcmp(o->rdata, n->rdata, o->rdlen) == 0;
	return memcmp(o->rdata, n->rdata, s) == 0 &&
	    memcmp(o->rdata + s + 4, n->rdata + s + 4, o->rdlen - s - 4) == 0;
}

static void
walk_soa(struct zdiff *zd, size_t a, size_t ae, size_t b, size_t be)
{
	uint32_t x, y, z;

	if (ae - a == 1 && be - b == 1) {
		const struct rr *o = &zd->z[0]->rr[a], *n = &zd->z[1]->rr[b];
		if (o->ttl != n->ttl || !soa_same(zd, o, n))
			push_ev(zd, ZDIFF_APEX, a, b, ZDIFF_CHANGED);
		return;
	}
	merge_set(zd, ZDIFF_APEX, a, ae, b, be, &x, &y, &z, NULL);
}

/* The key of an RRSIG: algorithm, key tag, signer (RFC 4034 §3.1). */
static bool
same_signer(const struct rr *x, const struct rr *y)
{
	size_t lx, ly;

	if (x->rdlen < 19 || y->rdlen < 19 || x->rdata[2] != y->rdata[2] ||
	    get16(x->rdata + 16) != get16(y->rdata + 16))
		return false;
	lx = dname_len_bounded(x->rdata + 18, x->rdlen - 18);
	ly = dname_len_bounded(y->rdata + 18, y->rdlen - 18);
	return lx == ly && lx > 0 && memcmp(x->rdata + 18, y->rdata + 18,
	    lx) == 0;
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
	if (!grow(zd, (void **)&sg->key, sg->nkey, &sg->capkey, sizeof(*k)))
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
	if (r->rdlen < 18)
		return key_get(zd, 0, 0);
	return key_get(zd, get16(r->rdata + 16), r->rdata[2]);
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
	uint16_t covered;
	uint32_t exp;

	if ((k = key_of(zd, r)) == NULL || r->rdlen < 12)
		return;
	covered = get16(r->rdata);
	exp = get32(r->rdata + 8);
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

	push_ev(zd, ZDIFF_SIGS, a, b, op);
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
	return r->rdlen >= 2 ? get16(r->rdata) : 0;
}

/* RRSIG RDATA begins with the type covered, so the signatures of one
 * owner come sorted by the RRset they cover. */
static void
walk_sigs(struct zdiff *zd, const struct ctx *cx, size_t a, size_t ae,
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

static void
walk_rrset(struct zdiff *zd, const struct ctx *cx, uint16_t t, size_t a,
    size_t ae, size_t b, size_t be)
{
	uint32_t x, y, z;

	if (t == T_RRSIG) {
		walk_sigs(zd, cx, a, ae, b, be);
		return;
	}
	if (t == T_NSEC || t == T_NSEC3) {
		walk_denial(zd, t, a, ae, b, be);
		return;
	}
	if (cx->apex) {
		switch (t) {
		case T_SOA:
			walk_soa(zd, a, ae, b, be);
			return;
		case T_NS: case T_DNSKEY: case T_CDS: case T_CDNSKEY:
		case T_ZONEMD:
			merge_set(zd, ZDIFF_APEX, a, ae, b, be, &x, &y, &z,
			    NULL);
			return;
		case T_NSEC3PARAM:
			merge_set(zd, ZDIFF_DENIAL, a, ae, b, be, &x, &y, &z,
			    NULL);
			return;
		}
	}
	if ((t == T_A || t == T_AAAA) &&
	    host_addresses(zd, cx->name, a, ae, b, be)) {
		merge_set(zd, ZDIFF_APEX, a, ae, b, be, &x, &y, &z, NULL);
		return;
	}
	walk_data(zd, cx, t, a, ae, b, be);
}

static bool
has_cut(const struct zdiff *zd, int side, size_t i, size_t ie)
{
	for (; i < ie; i++)
		if (zd->where[side][i] == RR_DELEG)
			return true;
	return false;
}

/* The records of one owner name, [i, ie) old and [j, je) new; each
 * name's records are sorted by type (one class per zone). */
static void
walk_name(struct zdiff *zd, size_t i, size_t ie, size_t j, size_t je)
{
	const struct rr *o = zd->z[0]->rr, *n = zd->z[1]->rr;
	struct ctx cx;
	size_t ae, be;
	uint32_t t;

	cx.name = i < ie ? o[i].owner : n[j].owner;
	cx.apex = dname_equal(cx.name, zd->z[0]->apex);
	cx.has[0] = i < ie;
	cx.has[1] = j < je;
	cx.cut[0] = has_cut(zd, 0, i, ie);
	cx.cut[1] = has_cut(zd, 1, j, je);
	if (zd->cur.name != NULL && !(zd->cur.delegation &&
	    dname_is_below(cx.name, zd->cur.name)))
		close_unit(zd);
	if (cx.cut[0] || cx.cut[1])
		open_unit(zd, cx.name, true, cx.cut[0], cx.cut[1]);
	while (i < ie || j < je) {
		t = i < ie ? o[i].type : 0x10000;
		if (j < je && n[j].type < t)
			t = n[j].type;
		for (ae = i; ae < ie && o[ae].type == t; ae++)
			;
		for (be = j; be < je && n[be].type == t; be++)
			;
		walk_rrset(zd, &cx, (uint16_t)t, i, ae, j, be);
		i = ae;
		j = be;
	}
}

static void
walk(struct zdiff *zd)
{
	const struct zone *o = zd->z[0], *n = zd->z[1];
	size_t i = 0, j = 0, ie, je;
	int c;

	while (i < o->n || j < n->n) {
		if (i == o->n)
			c = 1;
		else if (j == n->n)
			c = -1;
		else
			c = owner_cmp(o->rr[i].owner, n->rr[j].owner);
		ie = c <= 0 ? zone_name_end(o, i) : i;
		je = c >= 0 ? zone_name_end(n, j) : j;
		walk_name(zd, i, ie, j, je);
		i = ie;
		j = je;
	}
	close_unit(zd);
}

static int
name_qcmp(const void *a, const void *b)
{
	const struct zdiff_host *x = a, *y = b;

	return dname_canon_cmp(x->name, y->name);
}

/* Is any host's address glue on either side? */
static bool
hosts_have_glue(const struct zdiff *zd)
{
	const struct zone *z;
	size_t i, k, e;
	int s;

	for (s = 0; s < 2; s++) {
		z = zd->z[s];
		for (i = 0; i < zd->nhost; i++) {
			if ((k = zone_find(z, zd->host[i].name, 0)) == z->n)
				continue;
			for (e = zone_name_end(z, k); k < e; k++)
				if (zd->where[s][k] == RR_GLUE)
					return true;
		}
	}
	return false;
}

/*
 * The name servers of the apex NS RRsets of both sides, in canonical
 * order, each marked when a delegation's NS RRset names it as well.
 * That takes a pass over every delegation, needed only when some host's
 * addresses are glue.
 */
static int
collect_hosts(struct zdiff *zd)
{
	const struct zone *z;
	size_t b, e, i, k, n = 0;
	int s;

	for (s = 0; s < 2; s++) {
		z = zd->z[s];
		b = zone_find(z, z->apex, T_NS);
		n += (b < z->n ? zone_rrset_end(z, b) : b) - b;
	}
	if ((zd->host = calloc(n + 1, sizeof(*zd->host))) == NULL)
		return -1;
	for (s = 0; s < 2; s++) {
		z = zd->z[s];
		b = zone_find(z, z->apex, T_NS);
		e = b < z->n ? zone_rrset_end(z, b) : b;
		for (i = b; i < e; i++)
			if (dname_len_bounded(z->rr[i].rdata,
			    z->rr[i].rdlen) == z->rr[i].rdlen)
				zd->host[zd->nhost++].name = z->rr[i].rdata;
	}
	qsort(zd->host, zd->nhost, sizeof(*zd->host), name_qcmp);
	for (i = n = 0; i < zd->nhost; i++)
		if (n == 0 || !dname_equal(zd->host[n - 1].name,
		    zd->host[i].name))
			zd->host[n++] = zd->host[i];
	zd->nhost = n;
	if (!hosts_have_glue(zd))
		return 0;
	for (s = 0; s < 2; s++) {
		z = zd->z[s];
		for (i = 0; i < z->n; i++) {
			if (z->rr[i].type != T_NS || zd->where[s][i] != RR_DELEG)
				continue;
			for (k = 0; k < zd->nhost; k++)
				if (dname_len(zd->host[k].name) ==
				    z->rr[i].rdlen && memcmp(zd->host[k].name,
				    z->rr[i].rdata, z->rr[i].rdlen) == 0)
					zd->host[k].delegation = true;
		}
	}
	return 0;
}

static void
find_set(const struct zone *z, const uint8_t *owner, uint16_t t,
    size_t *b, size_t *e)
{
	*b = zone_find(z, owner, t);
	*e = *b < z->n ? zone_rrset_end(z, *b) : *b;
}

/*
 * An apex RRset compared record by record: the TTL of the RRset, then
 * with pair set the records that are one record changed, then the
 * records removed, then those added.
 */
static void
compare_set(struct zdiff *zd, struct zdiff_item **it, size_t *nit,
    size_t *cap, uint16_t t, size_t a, size_t ae, size_t b, size_t be,
    bool pair)
{
	const struct rr *o = zd->z[0]->rr, *n = zd->z[1]->rr;
	size_t no = ae - a, nn = be - b, x, y;
	uint8_t *mo, *mn;
	int c;

	if (no > 0 && nn > 0 && o[a].ttl != n[b].ttl)
		push_item(zd, it, nit, cap, t, ZDIFF_CHANGED, "ttl", &o[a],
		    &n[b]);
	if ((mo = calloc(no + nn + 1, 1)) == NULL) {
		zd->nomem = 1;
		return;
	}
	mn = mo + no;
	for (x = a, y = b; x < ae && y < be;) {
		if ((c = rdata_cmp(&o[x], &n[y])) < 0)
			x++;
		else if (c > 0)
			y++;
		else
			mo[x++ - a] = mn[y++ - b] = 1;
	}
	/* DNSKEY: the same public key with other flags (a revocation,
	 * RFC 5011 §2.1, or a new SEP bit) is one key changed.  ZONEMD: the
	 * same scheme and hash algorithm is one digest changed. */
	for (x = a; pair && x < ae; x++) {
		if (mo[x - a])
			continue;
		for (y = b; y < be; y++) {
			if (mn[y - b])
				continue;
			if (t == T_DNSKEY && o[x].rdlen == n[y].rdlen &&
			    o[x].rdlen > 4 && memcmp(o[x].rdata + 2,
			    n[y].rdata + 2, o[x].rdlen - 2) == 0) {
				push_item(zd, it, nit, cap, t, ZDIFF_CHANGED,
				    "flags", &o[x], &n[y]);
			} else if (t == T_ZONEMD && o[x].rdlen > 6 &&
			    n[y].rdlen > 6 && o[x].rdata[4] == n[y].rdata[4] &&
			    o[x].rdata[5] == n[y].rdata[5]) {
				push_item(zd, it, nit, cap, t, ZDIFF_CHANGED,
				    "digest", &o[x], &n[y]);
			} else
				continue;
			mo[x - a] = mn[y - b] = 1;
			break;
		}
	}
	for (x = a; x < ae; x++)
		if (!mo[x - a])
			push_item(zd, it, nit, cap, t, ZDIFF_REMOVED, NULL,
			    &o[x], NULL);
	for (y = b; y < be; y++)
		if (!mn[y - b])
			push_item(zd, it, nit, cap, t, ZDIFF_ADDED, NULL, NULL,
			    &n[y]);
	free(mo);
}

static void
apex_item(struct zdiff *zd, uint16_t t, const char *field,
    const struct rr *o, const struct rr *n)
{
	push_item(zd, &zd->apex.item, &zd->apex.nitem, &zd->apex.cap, t,
	    ZDIFF_CHANGED, field, o, n);
}

/* SOA fields (RFC 1035 §3.3.13), each a change of its own. */
static void
compare_soa(struct zdiff *zd)
{
	static const char *const num[] = {
		"serial", "refresh", "retry", "expire", "minimum"
	};
	const struct zone *zo = zd->z[0], *zn = zd->z[1];
	size_t a = zone_find(zo, zo->apex, T_SOA);
	size_t b = zone_find(zn, zn->apex, T_SOA);
	const struct rr *o, *n;
	size_t so, sn, m, k;

	if (a == zo->n || b == zn->n)
		return;
	o = &zo->rr[a];
	n = &zn->rr[b];
	if ((so = soa_serial_off(o)) == 0 || (sn = soa_serial_off(n)) == 0) {
		if (rdata_cmp(o, n) != 0)
			apex_item(zd, T_SOA, "rdata", o, n);
	} else {
		m = dname_len(o->rdata);
		if (!dname_equal(o->rdata, n->rdata))
			apex_item(zd, T_SOA, "mname", o, n);
		if (!dname_equal(o->rdata + m, n->rdata + dname_len(n->rdata)))
			apex_item(zd, T_SOA, "rname", o, n);
		for (k = 0; k < 5; k++) {
			if (k == 0 && zd->ignore_serial)
				continue;
			if (get32(o->rdata + so + 4 * k) !=
			    get32(n->rdata + sn + 4 * k))
				apex_item(zd, T_SOA, num[k], o, n);
		}
	}
	if (o->ttl != n->ttl)
		apex_item(zd, T_SOA, "ttl", o, n);
}

/* A kept DNSKEY whose role changed: a KSK that began to sign the zone's
 * data is now a CSK, and so on. */
static void
compare_roles(struct zdiff *zd, size_t a, size_t ae, size_t b, size_t be)
{
	const struct rr *o = zd->z[0]->rr, *n = zd->z[1]->rr;
	int c;

	while (a < ae && b < be) {
		if ((c = rdata_cmp(&o[a], &n[b])) < 0)
			a++;
		else if (c > 0)
			b++;
		else {
			if (strcmp(zdiff_key_role(zd, ZDIFF_OLD, o[a].rdata,
			    o[a].rdlen), zdiff_key_role(zd, ZDIFF_NEW,
			    n[b].rdata, n[b].rdlen)) != 0)
				apex_item(zd, T_DNSKEY, "role", &o[a], &n[b]);
			a++;
			b++;
		}
	}
}

/* The addresses of the apex name servers that belong to the apex group,
 * in canonical order of their names. */
static void
compare_addresses(struct zdiff *zd)
{
	static const uint16_t at[] = { T_A, T_AAAA };
	size_t i, k, a, ae, b, be;

	for (i = 0; i < zd->nhost; i++)
		for (k = 0; k < 2; k++) {
			find_set(zd->z[0], zd->host[i].name, at[k], &a, &ae);
			find_set(zd->z[1], zd->host[i].name, at[k], &b, &be);
			if (host_addresses(zd, zd->host[i].name, a, ae, b, be))
				compare_set(zd, &zd->apex.item,
				    &zd->apex.nitem, &zd->apex.cap, at[k], a,
				    ae, b, be, false);
		}
}

static void
compare_apex(struct zdiff *zd)
{
	const uint8_t *ao = zd->z[0]->apex, *an = zd->z[1]->apex;
	size_t k, a, ae, b, be;

	compare_soa(zd);
	for (k = 1; k < sizeof(apex_types) / sizeof(apex_types[0]); k++) {
		find_set(zd->z[0], ao, apex_types[k], &a, &ae);
		find_set(zd->z[1], an, apex_types[k], &b, &be);
		compare_set(zd, &zd->apex.item, &zd->apex.nitem, &zd->apex.cap,
		    apex_types[k], a, ae, b, be, true);
		if (apex_types[k] == T_DNSKEY)
			compare_roles(zd, a, ae, b, be);
		if (apex_types[k] == T_NS)
			compare_addresses(zd);
	}
}

static void
compare_params(struct zdiff *zd)
{
	struct zdiff_denial *dn = &zd->denial;
	size_t a, ae, b, be, k;

	find_set(zd->z[0], zd->z[0]->apex, T_NSEC3PARAM, &a, &ae);
	find_set(zd->z[1], zd->z[1]->apex, T_NSEC3PARAM, &b, &be);
	dn->side[0].param = a < ae ? &zd->z[0]->rr[a] : NULL;
	dn->side[0].nparam = ae - a;
	dn->side[1].param = b < be ? &zd->z[1]->rr[b] : NULL;
	dn->side[1].nparam = be - b;
	compare_set(zd, &dn->item, &dn->nitem, &dn->cap, T_NSEC3PARAM, a, ae,
	    b, be, false);
	dn->differs = dn->nitem > 0;
	for (k = 0; k < 2; k++)
		if (dn->added[k] || dn->removed[k] || dn->changed[k] ||
		    dn->ttl[k])
			dn->differs = true;
}

static int
key_qcmp(const void *pa, const void *pb)
{
	const struct zdiff_key *a = pa, *b = pb;

	if (a->tag != b->tag)
		return a->tag < b->tag ? -1 : 1;
	return (a->alg > b->alg) - (a->alg < b->alg);
}

int
zdiff_run(struct zdiff *zd)
{
	if ((zd->where[0] = zone_classify(zd->z[0])) == NULL ||
	    (zd->where[1] = zone_classify(zd->z[1])) == NULL ||
	    collect_hosts(zd) != 0)
		return -1;
	walk(zd);
	if (zd->sigs.nkey > 0)
		qsort(zd->sigs.key, zd->sigs.nkey, sizeof(*zd->sigs.key),
		    key_qcmp);
	compare_apex(zd);
	compare_params(zd);
	return zd->nomem ? -1 : 0;
}

bool
zdiff_differs(const struct zdiff *zd, enum zdiff_group g)
{
	switch (g) {
	case ZDIFF_DATA:
		return zd->data.units > 0;
	case ZDIFF_APEX:
		return zd->apex.nitem > 0;
	case ZDIFF_DENIAL:
		return zd->denial.differs;
	case ZDIFF_SIGS:
		return zd->sigs.made + zd->sigs.removed +
		    zd->sigs.refreshed > 0;
	default:
		return false;
	}
}

const struct zdiff_key *
zdiff_key_find(const struct zdiff *zd, uint16_t tag, uint8_t alg)
{
	size_t i;

	for (i = 0; i < zd->sigs.nkey; i++)
		if (zd->sigs.key[i].tag == tag && zd->sigs.key[i].alg == alg)
			return &zd->sigs.key[i];
	return NULL;
}

/*
 * The role of a DNSKEY on one side.  The SEP flag names a KSK (RFC 4034
 * §2.1.1, advisory only, RFC 6840 §6.2); one that also signs the zone's
 * other RRsets is a CSK.  A key without the flag is a ZSK, unless it is
 * what signs the DNSKEY RRset and the rest alone: a CSK without SEP.
 * Keys without the Zone Key flag sign nothing (RFC 4034 §2.1.1).
 */
const char *
zdiff_key_role(const struct zdiff *zd, enum zdiff_side side,
    const uint8_t *rd, size_t len)
{
	const struct zdiff_key *k;
	uint16_t flags;
	size_t i;

	if (len < 5)
		return "none";
	flags = dnskey_flags(rd);
	k = zdiff_key_find(zd, dnskey_tag(rd, len), dnskey_algorithm(rd));
	if (!(flags & DNSKEY_F_ZONE))
		return "none";
	if (flags & DNSKEY_F_SEP)
		return k != NULL && k->signs_other[side] ? "CSK" : "KSK";
	if (k == NULL || !k->signs_dnskey[side] || !k->signs_other[side])
		return "ZSK";
	for (i = 0; i < zd->sigs.nkey; i++)
		if (&zd->sigs.key[i] != k && zd->sigs.key[i].signs_dnskey[side])
			return "ZSK";
	return "CSK";
}
