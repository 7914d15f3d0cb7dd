/*
 * The rules between the operators' zones for zcheck-chain, G3 to G10
 * of a migration stage (RFC 8901 §4, §5.2): the same unsigned data (G4),
 * the same DNSKEY RRset, algorithms and NSEC3 parameters.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chaincheck.h"
#include "crypto.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "ds.h"
#include "rrsig.h"
#include "rrtext.h"
#include "rrtype.h"
#include "sigverify.h"
#include "wire.h"
#include "zone.h"
#include "zonemd.h"
#include "chaincheck-int.h"

#define G4_SHOWN	10	/* differences in unsigned data shown */

/* Records compared between operators (G4): the unsigned data. */
static bool
unsigned_data(const struct rr *r)
{
	switch (r->type) {
	case T_RRSIG: case T_NSEC: case T_NSEC3: case T_NSEC3PARAM:
	case T_DNSKEY: case T_CDS: case T_CDNSKEY: case T_ZONEMD:
		return false;
	default:
		return true;
	}
}

/* A record the operators keep apart on purpose (-x). */
static bool
exempt(const struct chaincheck *cc, const struct rr *r)
{
	size_t i;

	for (i = 0; i < cc->opts.nexempt; i++)
		if ((cc->exempt_type[i] == 0 ||
		    cc->exempt_type[i] == r->type) &&
		    dname_equal(cc->exempt[i], r->owner))
			return true;
	return false;
}

static size_t
next_unsigned(const struct chaincheck *cc, const struct zone *z, size_t i)
{
	while (i < z->n && (!unsigned_data(&z->rr[i]) ||
	    exempt(cc, &z->rr[i])))
		i++;
	return i;
}

/* Compare two records for G4: the SOA without its serial. */
static int
g4_cmp(const struct rr *a, const struct rr *b)
{
	struct wire_soa x, y;

	if (a->type == T_SOA && b->type == T_SOA &&
	    dname_equal(a->owner, b->owner)) {
		if (wire_soa(&x, a->rdata, a->rdlen) != 0 ||
		    wire_soa(&y, b->rdata, b->rdlen) != 0 ||
		    x.mname_len != y.mname_len ||
		    memcmp(x.mname, y.mname, x.mname_len) != 0 ||
		    x.rname_len != y.rname_len ||
		    memcmp(x.rname, y.rname, x.rname_len) != 0 ||
		    x.refresh != y.refresh || x.retry != y.retry ||
		    x.expire != y.expire || x.minimum != y.minimum)
			return rr_canon_cmp(a, b) < 0 ? -1 : 1;
		return 0;
	}
	return rr_canon_cmp(a, b);
}

/* A record missing on one side, its RDATA in a buffer of its size:
 * a type bit map's text alone may take 650 KB (rrtext.h). */
static int
diff_line(struct chaincheck *cc, const struct chaincheck_zone *at,
    const struct rr *r, const char *label, const char *fmt,
    const char *other)
{
	struct report_where w;
	char *buf;

	if ((buf = malloc(rdata_text_max(r->type, r->rdlen))) == NULL)
		return -1;
	report_at_rr(&w, label, at->z, r);
	w.check = "G4";
	rdata_text(r->type, r->rdata, r->rdlen, buf);
	chaincheck_add(cc, REPORT_PROBLEM, &w, fmt, buf, other);
	free(buf);
	return 0;
}

/* G4: the unsigned data of zone y against the reference zone ref. */
static int
check_g4(struct chaincheck *cc, const struct chaincheck_zone *ref,
    const struct chaincheck_zone *y)
{
	const struct zone *a = ref->z, *b = y->z;
	size_t i = next_unsigned(cc, a, 0), j = next_unsigned(cc, b, 0), n = 0;
	struct report_where w;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 :
		    g4_cmp(&a->rr[i], &b->rr[j]);
		if (c == 0 && a->rr[i].ttl != b->rr[j].ttl && n++ < G4_SHOWN) {
			report_at_rr(&w, y->label, b, &b->rr[j]);
			w.check = "G4";
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "TTL %u, but %s has %u",
			    b->rr[j].ttl, ref->label, a->rr[i].ttl);
		} else if (c < 0 && n++ < G4_SHOWN) {
			if (diff_line(cc, ref, &a->rr[i], y->label,
			    "'%s' is missing, %s has it", ref->label) != 0)
				return -1;
		} else if (c > 0 && n++ < G4_SHOWN) {
			if (diff_line(cc, y, &b->rr[j], y->label,
			    "'%s' is not in %s", ref->label) != 0)
				return -1;
		}
		if (c <= 0)
			i = next_unsigned(cc, a, i + 1);
		if (c >= 0)
			j = next_unsigned(cc, b, j + 1);
	}
	if (n > G4_SHOWN) {
		report_at(&w, y->label, y->label, 0);
		w.check = "G4";
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "%zu differences in the unsigned "
		    "data from %s in all, the first %d shown", n, ref->label,
		    G4_SHOWN);
	}
	return 0;
}

static void
alg_text(const struct chaincheck *cc, const struct chaincheck_zone *zn,
    char *buf, size_t len)
{
	bool seen[256] = { false };
	size_t k, o = 0;
	int a;

	for (k = 0; k < cc->ring.n; k++)
		if (keyring_set_has(zn->keys, k))
			seen[cc->ring.key[k].alg] = true;
	buf[0] = '\0';
	for (a = 0; a < 256; a++)
		if (seen[a] && o + 8 < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%d",
			    o ? " " : "", a);
	if (o == 0)
		snprintf(buf, len, "none");
}

static void
params_text(const struct chaincheck_zone *zn, char *buf)
{
	const struct denial_info *d = &zn->denial;
	int o, i;

	if (d->mode != DENIAL_NSEC3 || !d->has_params) {
		strcpy(buf, d->mode == DENIAL_NSEC ? "NSEC" : "none");
		return;
	}
	o = sprintf(buf, "NSEC3 %u 0 %u ", d->hash_alg, d->iterations);
	if (d->saltlen == 0)
		strcpy(buf + o, "-");
	for (i = 0; i < d->saltlen; i++)
		o += sprintf(buf + o, "%02x", d->salt[i]);
}

/* The RDATA of an apex RRset, as text, for G9. */
static void
set_text(const struct zone *z, uint16_t type, char *buf, size_t len)
{
	size_t j, e, o = 0;
	char nt[DNAME_MAXTEXT];

	buf[0] = '\0';
	for (e = chaincheck_apex_set(z, type, &j); j < e && o + 8 < len; j++) {
		dname_to_text(z->rr[j].rdata, nt);
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? " " : "",
		    nt);
	}
	if (o >= len)
		buf[len - 1] = '\0';
}

static bool
same_set(const struct zone *a, const struct zone *b, uint16_t type)
{
	size_t i, ie, j, je;

	ie = chaincheck_apex_set(a, type, &i);
	je = chaincheck_apex_set(b, type, &j);
	if (ie - i != je - j)
		return false;
	for (; i < ie; i++, j++)
		if (a->rr[i].rdlen != b->rr[j].rdlen || memcmp(a->rr[i].rdata,
		    b->rr[j].rdata, a->rr[i].rdlen) != 0)
			return false;
	return true;
}

/* The zones served now against the first of them (G3, G4, G5, G6, G9,
 * and one DNSKEY RRset, PROCEDURE.md step 2a); older versions' serials
 * below it (G5). */
int
chaincheck_check_cross(struct chaincheck *cc)
{
	const struct chaincheck_zone *ref = NULL;
	struct report_where w;
	char a[1024], b[1024];
	size_t y, k, first;

	for (y = 0; y < cc->nzones; y++)
		if (cc->zone[y].current && ref == NULL)
			ref = &cc->zone[y];
	if (ref == NULL)
		return 0;
	for (y = 0; y < cc->nzones; y++) {
		const struct chaincheck_zone *zn = &cc->zone[y];
		const struct zone *z = zn->z;
		size_t soa = zone_find(z, z->apex, T_SOA);

		if (zn == ref)
			continue;
		report_at_rr(&w, zn->label, z, &z->rr[soa]);
		w.check = "G5";
		if (!zn->current) {
			w.cite = "RFC 1982";
			if (serial_cmp(zn->serial, ref->serial) != -1)
				chaincheck_add(cc, REPORT_PROBLEM, &w,
				    "serial %u of an "
				    "older version is not below %s's %u",
				    zn->serial, ref->label, ref->serial);
			continue;
		}
		if (zn->serial != ref->serial)
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "serial %u, but %s's is %u",
			    zn->serial, ref->label, ref->serial);
		alg_text(cc, zn, a, sizeof(a));
		alg_text(cc, ref, b, sizeof(b));
		if (strcmp(a, b) != 0) {
			report_at(&w, zn->label, zn->label, 0);
			w.owner = z->apex;
			w.type = T_DNSKEY;
			w.check = "G3";
			w.cite = "RFC 8901 section 4";
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "algorithms %s, but %s's "
			    "are %s", a, ref->label, b);
		}
		/* Operators that publish their own keys only (before step
		 * 2a, after step 10) still agree on the rest: algorithms
		 * (RFC 8901 section 4), data, serial, NSEC3 parameters (RFC
		 * 8901 section 5.2) and apex NS. */
		if (!cc->opts.apart && !same_set(z, ref->z, T_DNSKEY)) {
			report_at(&w, zn->label, zn->label, 0);
			w.owner = z->apex;
			w.type = T_DNSKEY;
			w.cite = "RFC 8901 section 2.1.2";
			for (k = 0; k < cc->ring.n; k++) {
				bool here = keyring_set_has(zn->keys, k);
				if (here == keyring_set_has(ref->keys, k))
					continue;
				report_key(&w, cc->ring.key[k].tag,
				    cc->ring.key[k].alg);
				chaincheck_add(cc, REPORT_PROBLEM, &w,
				    "the DNSKEY RRsets "
				    "differ: this key is only in %s's",
				    here ? zn->label : ref->label);
			}
		}
		params_text(zn, a);
		params_text(ref, b);
		if (strcmp(a, b) != 0 || zn->denial.nsec3param > 1 ||
		    ref->denial.nsec3param > 1) {
			if (chaincheck_apex_set(z, T_NSEC3PARAM,
			    &first) > first)
				report_at_rr(&w, zn->label, z, &z->rr[first]);
			else
				report_at(&w, zn->label, zn->label, 0);
			w.owner = z->apex;
			w.type = T_NSEC3PARAM;
			w.check = "G6";
			w.cite = "RFC 8901 section 5.2";
			if (strcmp(a, b) != 0)
				chaincheck_add(cc, REPORT_PROBLEM, &w,
				    "denial %s, but "
				    "%s's is %s", a, ref->label, b);
		}
		if (!same_set(z, ref->z, T_NS)) {
			set_text(z, T_NS, a, sizeof(a));
			set_text(ref->z, T_NS, b, sizeof(b));
			report_at_rr(&w, zn->label, z,
			    &z->rr[zone_find(z, z->apex, T_NS) < z->n ?
			    zone_find(z, z->apex, T_NS) : soa]);
			w.check = "G9";
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "apex NS %s, but %s's is " "%s", a, ref->label, b);
		}
		if (check_g4(cc, ref, zn) != 0)
			return -1;
	}
	return 0;
}
