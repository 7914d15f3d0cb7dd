/*
 * The apex group of zdiff: the apex name servers and their addresses,
 * and the apex RRsets compared field by field after the walk, by binary
 * search in each zone.
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

/* The apex RRsets of the apex group, in the order of the report. */
static const uint16_t apex_types[] = {
	T_SOA, T_NS, T_DNSKEY, T_CDS, T_CDNSKEY, T_ZONEMD
};

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
int
zdiff_collect_hosts(struct zdiff *zd)
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
			if (z->rr[i].type != T_NS ||
			    zd->where[s][i] != RR_DELEG)
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

/* The same DNSKEY but for its flags: protocol, algorithm and public key
 * (RFC 4034 §2.1). */
static bool
same_key(const struct rr *a, const struct rr *b)
{
	struct wire_dnskey x, y;

	return wire_dnskey(&x, a->rdata, a->rdlen) == 0 &&
	    wire_dnskey(&y, b->rdata, b->rdlen) == 0 && x.key_len > 0 &&
	    x.protocol == y.protocol && x.algorithm == y.algorithm &&
	    x.key_len == y.key_len && memcmp(x.key, y.key, x.key_len) == 0;
}

/* Two ZONEMD digests of one scheme and hash algorithm (RFC 8976 §2.2). */
static bool
same_kind(const struct rr *a, const struct rr *b)
{
	struct wire_zonemd x, y;

	return wire_zonemd(&x, a->rdata, a->rdlen) == 0 &&
	    wire_zonemd(&y, b->rdata, b->rdlen) == 0 && x.digest_len > 0 &&
	    y.digest_len > 0 && x.scheme == y.scheme &&
	    x.hash_alg == y.hash_alg;
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
		zdiff_push_item(zd, it, nit, cap, t, ZDIFF_CHANGED, "ttl",
		    &o[a], &n[b]);
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
			if (t == T_DNSKEY && same_key(&o[x], &n[y])) {
				zdiff_push_item(zd, it, nit, cap, t,
				    ZDIFF_CHANGED, "flags", &o[x], &n[y]);
			} else if (t == T_ZONEMD && same_kind(&o[x], &n[y])) {
				zdiff_push_item(zd, it, nit, cap, t,
				    ZDIFF_CHANGED, "digest", &o[x], &n[y]);
			} else
				continue;
			mo[x - a] = mn[y - b] = 1;
			break;
		}
	}
	for (x = a; x < ae; x++)
		if (!mo[x - a])
			zdiff_push_item(zd, it, nit, cap, t, ZDIFF_REMOVED,
			    NULL, &o[x], NULL);
	for (y = b; y < be; y++)
		if (!mn[y - b])
			zdiff_push_item(zd, it, nit, cap, t, ZDIFF_ADDED, NULL,
			    NULL, &n[y]);
	free(mo);
}

static void
apex_item(struct zdiff *zd, uint16_t t, const char *field,
    const struct rr *o, const struct rr *n)
{
	zdiff_push_item(zd, &zd->apex.item, &zd->apex.nitem, &zd->apex.cap, t,
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
	struct wire_soa vo, vn;
	size_t k;

	if (a == zo->n || b == zn->n)
		return;
	o = &zo->rr[a];
	n = &zn->rr[b];
	if (wire_soa(&vo, o->rdata, o->rdlen) != 0 ||
	    wire_soa(&vn, n->rdata, n->rdlen) != 0) {
		if (rdata_cmp(o, n) != 0)
			apex_item(zd, T_SOA, "rdata", o, n);
	} else {
		const uint32_t no[5] = { vo.serial, vo.refresh, vo.retry,
		    vo.expire, vo.minimum };
		const uint32_t nn[5] = { vn.serial, vn.refresh, vn.retry,
		    vn.expire, vn.minimum };
		if (!dname_equal(vo.mname, vn.mname))
			apex_item(zd, T_SOA, "mname", o, n);
		if (!dname_equal(vo.rname, vn.rname))
			apex_item(zd, T_SOA, "rname", o, n);
		for (k = 0; k < 5; k++) {
			if (k == 0 && zd->ignore_serial)
				continue;
			if (no[k] != nn[k])
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
			if (zdiff_host_addresses(zd, zd->host[i].name, a, ae, b,
			    be))
				compare_set(zd, &zd->apex.item,
				    &zd->apex.nitem, &zd->apex.cap, at[k], a,
				    ae, b, be, false);
		}
}

void
zdiff_compare_apex(struct zdiff *zd)
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

void
zdiff_compare_params(struct zdiff *zd)
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
