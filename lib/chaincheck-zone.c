/*
 * The checks of one zone whole for zcheck-chain: the signatures'
 * headroom, the size of the DNSKEY response, the apex name servers'
 * addresses, ZONEMD (RFC 8976), and check_zone(), which runs them with
 * the keys' and the signatures' checks.
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

/* G8: the signatures of each key against now + the window. */
static void
check_headroom(struct zc *c)
{
	struct chaincheck *cc = c->cc;
	struct chaincheck_zone *zn = c->zn;
	uint32_t limit = dnstime_wire(cc->opts.now + cc->opts.window);
	struct report_where w;
	char t1[32], t2[32];
	size_t k;

	if (cc->opts.window < 0 || !zn->current)
		return;
	for (k = 0; k < zn->nuse; k++) {
		const struct chaincheck_keyuse *u = &zn->use[k];
		const struct rr *r;
		if (!u->has_earliest || !chaincheck_earlier(u->earliest, limit))
			continue;
		r = &zn->z->rr[u->earliest_rr];
		report_at_rr(&w, zn->label, zn->z, r);
		w.covered = wire_rrsig_covered(r->rdata, r->rdlen);
		report_key(&w, cc->ring.key[k].tag, cc->ring.key[k].alg);
		w.check = "G8";
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "signatures by this key expire "
		    "from %s, before now + the window (%s)%s",
		    chaincheck_time(u->earliest, cc->opts.now, t1),
		    chaincheck_time(limit, cc->opts.now, t2),
		    u->in_dnskey ? "" : "; the key is not in this zone's "
		    "DNSKEY RRset");
	}
}

/* G10: the size of the answer to a DNSKEY query with the DO bit: header,
 * question, the keys and their signatures with the owner compressed,
 * and an OPT record (RFC 6891 §6.1.2). */
static void
check_size(struct zc *c)
{
	struct chaincheck *cc = c->cc;
	struct chaincheck_zone *zn = c->zn;
	const struct zone *z = c->z;
	size_t alen = dname_len(z->apex), own = alen > 2 ? 2 : alen;
	size_t size = 12 + alen + 4 + 11, j, e, first;
	struct report_where w;
	struct wire_rrsig g;

	e = chaincheck_apex_set(z, T_DNSKEY, &first);
	if (first == e)
		return;
	for (j = first; j < e; j++)
		size += own + 10 + z->rr[j].rdlen;
	j = zone_find(z, z->apex, 0);
	if (chaincheck_find_set(z, j, zone_name_end(z, j), T_RRSIG, &j, &e))
		for (e += j; j < e; j++)
			if (wire_rrsig(&g, z->rr[j].rdata,
			    z->rr[j].rdlen) == 0 && g.covered == T_DNSKEY)
				size += own + 10 + z->rr[j].rdlen;
	zn->dnskey_answer = size;
	if (size <= cc->opts.size_limit)
		return;
	report_at_rr(&w, zn->label, z, &z->rr[first]);
	w.check = "G10";
	chaincheck_add(cc,
	    cc->opts.size_strict ? REPORT_PROBLEM : REPORT_WARNING, &w,
	    "the DNSKEY answer is %zu octets, above %zu", size,
	    cc->opts.size_limit);
}

/* G9 within a zone: an apex name server inside the zone needs address
 * records, glue when it is below a zone cut. */
static void
check_ns_addresses(struct chaincheck *cc, const struct chaincheck_zone *zn)
{
	const struct zone *z = zn->z;
	struct report_where w;
	char nt[DNAME_MAXTEXT];
	size_t j, e;

	for (e = chaincheck_apex_set(z, T_NS, &j); j < e; j++) {
		const uint8_t *ns = z->rr[j].rdata;
		if (!dname_is_below(ns, z->apex) ||
		    zone_find(z, ns, T_A) < z->n ||
		    zone_find(z, ns, T_AAAA) < z->n)
			continue;
		dname_to_text(ns, nt);
		report_at_rr(&w, zn->label, z, &z->rr[j]);
		w.check = "G9";
		w.cite = "RFC 1034 section 4.2.1";
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "name server %s is in the zone but "
		    "has no address records", nt);
	}
}

/*
 * The apex ZONEMD records (RFC 8976 §4): each of the SIMPLE scheme and a
 * hash algorithm known here must be alone of its kind, carry the SOA
 * serial and the digest of the zone as it is; one that does is enough.
 * When none does, each is a problem (a stale ZONEMD: the zone changed
 * after its digest was computed); when one does, the others are
 * warnings.  One of another scheme or algorithm cannot be verified:
 * a warning, not a failure.
 */
static const char *
zonemd_fault(const struct zone *z, size_t i, size_t e, size_t k,
    int64_t serial, uint8_t (*dg)[ZONEMD_MAX_DIGEST], size_t *dlen,
    char *why, size_t len)
{
	struct wire_zonemd v, o;
	uint8_t alg;
	uint32_t s;
	size_t j, n;
	struct diag d;

	/* The caller's ZONEMD k is one the view reads (check_zonemd). */
	(void)wire_zonemd(&v, z->rr[k].rdata, z->rr[k].rdlen);
	alg = v.hash_alg;
	s = v.serial;
	n = v.digest_len;
	for (j = i; j < e; j++)
		if (j != k &&
		    wire_zonemd(&o, z->rr[j].rdata, z->rr[j].rdlen) == 0 &&
		    o.scheme == v.scheme && o.hash_alg == alg) {
			diag_why(why, len, "more than one ZONEMD of scheme %u "
			    "and hash algorithm %u", v.scheme, alg);
			return why;
		}
	if (serial != (int64_t)s) {
		diag_why(why, len, "serial %u, not the SOA's %lld: stale, "
		    "the zone changed after its digest was computed", s,
		    (long long)serial);
		return why;
	}
	if (n != zonemd_hash_len(alg)) {
		diag_why(why, len, "a digest of %zu octets, not %zu", n,
		    zonemd_hash_len(alg));
		return why;
	}
	if (dlen[alg] == 0 &&
	    (dlen[alg] = zonemd_digest(z, alg, dg[alg], &d)) == 0) {
		diag_why(why, len, "%s", d.msg);
		return why;
	}
	if (memcmp(dg[alg], v.digest, n) != 0) {
		diag_why(why, len, "the digest does not match the zone: stale, "
		    "the zone changed after it was computed");
		return why;
	}
	return NULL;
}

static void
check_zonemd(struct chaincheck *cc, const struct chaincheck_zone *zn)
{
	const struct zone *z = zn->z;
	uint8_t dg[ZONEMD_HASH_SHA512 + 1][ZONEMD_MAX_DIGEST];
	size_t dlen[ZONEMD_HASH_SHA512 + 1] = { 0 };
	int64_t serial = zonemd_serial(z);
	struct report_where w;
	char why[256];
	size_t i, e, k, match = 0;
	int pass;

	e = chaincheck_apex_set(z, T_ZONEMD, &i);
	/* Pass 0 counts the matches, pass 1 reports. */
	for (pass = 0; pass < 2; pass++)
		for (k = i; k < e; k++) {
			const struct rr *r = &z->rr[k];
			struct wire_zonemd v;
			bool ok = wire_zonemd(&v, r->rdata, r->rdlen) == 0;
			bool known = ok && v.scheme == ZONEMD_SCHEME_SIMPLE &&
			    zonemd_hash_len(v.hash_alg) > 0;
			const char *f = known ? zonemd_fault(z, i, e, k,
			    serial, dg, dlen, why, sizeof(why)) : NULL;
			if (pass == 0) {
				match += known && f == NULL;
				continue;
			}
			report_at_rr(&w, zn->label, z, r);
			w.check = "ZONEMD";
			w.cite = "RFC 8976 section 4";
			if (!ok)
				chaincheck_add(cc, REPORT_PROBLEM, &w,
				    "malformed: %u "
				    "octets of RDATA", r->rdlen);
			else if (!known)
				chaincheck_add(cc, REPORT_WARNING, &w,
				    "scheme %u, hash "
				    "algorithm %u: not known here, this digest "
				    "is not verified", v.scheme,
				    v.hash_alg);
			else if (f != NULL)
				chaincheck_add(cc, match > 0 ? REPORT_WARNING :
				    REPORT_PROBLEM, &w, "%s; zresign computes "
				    "it again", f);
		}
}

int
chaincheck_check_zone(struct chaincheck *cc, size_t zi)
{
	struct chaincheck_zone *zn = &cc->zone[zi];
	const struct zone *z = zn->z;
	struct verify_arg va;
	struct report dr;
	struct zc c;
	pthread_t th;
	size_t soa;
	int rc = -1, drc = 0, bg;

	memset(&c, 0, sizeof(c));
	report_init(&dr);
	c.cc = cc;
	c.zn = zn;
	c.zi = zi;
	c.z = z;
	if ((zn->where = zone_classify(z)) == NULL ||
	    (c.good = keyring_set_new(&cc->ring)) == NULL)
		goto out;
	if ((soa = zone_find(z, z->apex, T_SOA)) < z->n) {
		const struct rr *r = &z->rr[soa];
		struct wire_soa v;
		if (wire_soa(&v, r->rdata, r->rdlen) == 0)
			zn->serial = v.serial;
	}
	chaincheck_check_keys(&c);
	if (chaincheck_make_jobs(&c) != 0)
		goto out;
	va.z = z;
	va.c = &c;
	va.ring = &cc->ring;
	va.threads = cc->opts.threads;
	bg = pthread_create(&th, NULL, chaincheck_verify_bg, &va) == 0;
	if (!bg)
		(void)chaincheck_verify_bg(&va);
	/* The denial chain's findings go after the RRsets' (walk_zone()),
	 * whichever is done first. */
	if (zone_find(z, z->apex, T_DNSKEY) < z->n)
		drc = denial_check(z, zn->where, zn->label, cc->opts.threads,
		    &dr, &zn->denial);
	if (bg)
		pthread_join(th, NULL);
	if (va.rc != 0 || drc != 0 || chaincheck_walk_zone(&c) != 0 ||
	    report_take(&cc->report, &dr) != 0)
		goto out;
	check_headroom(&c);
	check_size(&c);
	check_ns_addresses(cc, zn);
	check_zonemd(cc, zn);
	rc = 0;
out:
	report_free(&dr);
	free(c.good);
	free(c.job);
	return rc;
}
