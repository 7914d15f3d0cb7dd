/*
 * The merge walk of zdiff: both zones are in canonical order (RFC 4034
 * §6.1), so one walk over the two record arrays meets each owner name
 * once, each RRset of it once, and each record of an RRset once; every
 * difference found is recorded in its group (data units of a delegation,
 * the apex, denial).  Signatures are matched in lib/zdiff-sigs.c.
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
			zdiff_push_ev(zd, g, a++, ZDIFF_NONE, ZDIFF_REMOVED);
			(*removed)++;
		} else if (c > 0) {
			zdiff_push_ev(zd, g, ZDIFF_NONE, b++, ZDIFF_ADDED);
			(*added)++;
		} else {
			if (o[a].ttl != n[b].ttl) {
				zdiff_push_ev(zd, g, a, b, ZDIFF_CHANGED);
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
		if (zd->data.nunit < zd->limit && zdiff_grow(zd,
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
	if (!zdiff_grow(zd, (void **)&zd->cur.rrset, zd->cur.nrrset,
	    &zd->capcur, sizeof(*s)))
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

/* The Opt-Out flag of an NSEC3 record, RFC 5155 §3.1.2.1. */
static bool
opt_out(const struct rr *r)
{
	struct wire_nsec3 v;

	return wire_nsec3(&v, r->rdata, r->rdlen) == 0 && (v.flags & 1);
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
		dn->side[0].optout += k && opt_out(r);
	}
	for (x = b; x < be; x++) {
		const struct rr *r = &zd->z[1]->rr[x];
		dn->side[1].nsec += !k;
		dn->side[1].nsec3 += k;
		dn->side[1].optout += k && opt_out(r);
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
bool
zdiff_host_addresses(const struct zdiff *zd, const uint8_t *name, size_t a,
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
size_t
zdiff_soa_serial_off(const struct rr *r)
{
	struct wire_soa v;

	if (wire_soa(&v, r->rdata, r->rdlen) != 0)
		return 0;
	return v.mname_len + v.rname_len;
}

static bool
soa_same(const struct zdiff *zd, const struct rr *o, const struct rr *n)
{
	size_t s;

	if (o->rdlen != n->rdlen)
		return false;
	if (!zd->ignore_serial || (s = zdiff_soa_serial_off(o)) == 0 ||
	    s != zdiff_soa_serial_off(n))
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
			zdiff_push_ev(zd, ZDIFF_APEX, a, b, ZDIFF_CHANGED);
		return;
	}
	merge_set(zd, ZDIFF_APEX, a, ae, b, be, &x, &y, &z, NULL);
}

static void
walk_rrset(struct zdiff *zd, const struct ctx *cx, uint16_t t, size_t a,
    size_t ae, size_t b, size_t be)
{
	uint32_t x, y, z;

	if (t == T_RRSIG) {
		zdiff_walk_sigs(zd, cx, a, ae, b, be);
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
	    zdiff_host_addresses(zd, cx->name, a, ae, b, be)) {
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

void
zdiff_walk(struct zdiff *zd)
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
