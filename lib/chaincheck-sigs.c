/*
 * Every RRset's signatures for zcheck-chain: the verification jobs
 * made for lib/sigverify.c, then each RRset judged by the signatures
 * that verified (RFC 4035 §5.3), what must be signed and is not (RFC
 * 4035 §2.2), signatures over nothing, expirations noted for the views.
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
#include "zone.h"
#include "zonemd.h"
#include "chaincheck-int.h"

/* The RRset of type at the name of records [i, e): its first record and
 * length, or false. */
bool
chaincheck_find_set(const struct zone *z, size_t i, size_t e, uint16_t type,
    size_t *first, size_t *n)
{
	size_t j;

	for (j = i; j < e && z->rr[j].type < type; j++)
		;
	if (j == e || z->rr[j].type != type)
		return false;
	*first = j;
	*n = zone_rrset_end(z, j) - j;
	return true;
}

/* One job per RRSIG over an authoritative RRset, in zone order. */
int
chaincheck_make_jobs(struct zc *c)
{
	const struct zone *z = c->z;
	size_t i, j, e, n = 0, first, len;
	struct wire_rrsig s;

	for (i = 0; i < z->n; i++)
		n += z->rr[i].type == T_RRSIG;
	if ((c->job = malloc((n ? n : 1) * sizeof(*c->job))) == NULL)
		return -1;
	for (i = 0; i < z->n; i = e) {
		e = zone_name_end(z, i);
		for (j = i; j < e; j++) {
			if (z->rr[j].type != T_RRSIG ||
			    wire_rrsig(&s, z->rr[j].rdata,
			    z->rr[j].rdlen) != 0 || s.covered == T_RRSIG ||
			    !chaincheck_find_set(z, i, e, s.covered, &first,
			    &len) || c->zn->where[first] != RR_AUTH)
				continue;
			c->job[c->njob].sig = (uint32_t)j;
			c->job[c->njob].set = (uint32_t)first;
			c->job[c->njob].nset = (uint32_t)len;
			c->job[c->njob].key = SIGVERIFY_DATA;
			c->njob++;
		}
	}
	return 0;
}

static const struct sigverify_job *
job_of(struct zc *c, size_t sig)
{
	while (c->cursor < c->njob && c->job[c->cursor].sig < sig)
		c->cursor++;
	if (c->cursor < c->njob && c->job[c->cursor].sig == sig)
		return &c->job[c->cursor];
	return NULL;
}

static void
note_expiration(struct zc *c, struct chaincheck_keyuse *u, uint32_t exp,
    size_t rr)
{
	struct chaincheck_zone *zn = c->zn;

	if (!zn->has_earliest || chaincheck_earlier(exp, zn->earliest)) {
		zn->has_earliest = true;
		zn->earliest = exp;
		zn->earliest_rr = rr;
	}
	if (u != NULL && (!u->has_earliest || chaincheck_earlier(exp,
	    u->earliest))) {
		u->has_earliest = true;
		u->earliest = exp;
		u->earliest_rr = rr;
	}
}

/*
 * One RRSIG over the RRset of ttl at records [s, t) (RFC 4035 §5.3.1):
 * signer, labels, TTLs, times, and the key that verifies it.  A good
 * signature adds its key to c->good, its algorithm to alg_good.
 */
static void
check_sig(struct zc *c, size_t k, uint16_t type, uint32_t ttl,
    bool *alg_good)
{
	struct chaincheck *cc = c->cc;
	struct chaincheck_zone *zn = c->zn;
	const struct zone *z = c->z;
	const struct rr *sig = &z->rr[k];
	const struct sigverify_job *job = job_of(c, k);
	struct chaincheck_keyuse *u = NULL;
	struct report_where w;
	struct wire_rrsig g;
	char t1[32], t2[32], nt[DNAME_MAXTEXT];
	int32_t key = job != NULL ? job->key : SIGVERIFY_DATA;
	long own;
	bool ok = true, labels_ok = true, revoked = false;
	uint32_t now = dnstime_wire(cc->opts.now);

	(void)wire_rrsig(&g, sig->rdata, sig->rdlen);
	report_at_rr(&w, zn->label, z, sig);
	w.covered = type;
	report_key(&w, g.key_tag, g.algorithm);
	own = chaincheck_own_key(cc, zn, g.key_tag, g.algorithm);
	if (key >= 0)
		u = &zn->use[key];
	else if (own >= 0)
		u = &zn->use[own];
	if (!dname_equal(g.signer, z->apex)) {
		dname_to_text(g.signer, nt);
		w.cite = rfc4035_531;
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "signer name %s is not the zone's " "apex", nt);
		ok = false;
	}
	if (g.labels != dname_rrsig_labels(sig->owner)) {
		w.cite = "RFC 4034 section 3.1.3";
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "labels field %u, but the owner "
		    "has %d labels", g.labels, dname_rrsig_labels(sig->owner));
		ok = labels_ok = false;
	}
	if (g.original_ttl != ttl) {
		w.cite = "RFC 4034 section 3.1.4";
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "original TTL %u, but the RRset's "
		    "TTL is %u", g.original_ttl, ttl);
	}
	if (sig->ttl != ttl) {
		w.check = "G1";
		w.cite = "RFC 4034 section 3";
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "TTL %u, but the RRset's TTL is %u", sig->ttl, ttl);
		w.check = NULL;
	}
	w.check = "G1";
	w.cite = rfc4035_531;
	if (serial_cmp(g.inception, g.expiration) != -1) {
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "expiration %s is not after "
		    "inception %s", chaincheck_time(g.expiration,
		    cc->opts.now, t1), chaincheck_time(g.inception,
		    cc->opts.now, t2));
		ok = false;
	} else if (!dnstime_within(g.inception, g.expiration, cc->opts.now)) {
		if (serial_cmp(now, g.inception) == -1)
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "not yet valid: inception "
			    "%s is after now (%s)", chaincheck_time(
			    g.inception, cc->opts.now, t1), chaincheck_time(
			    now, cc->opts.now, t2));
		else
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "expired at %s, before "
			    "now (%s)", chaincheck_time(g.expiration,
			    cc->opts.now, t1), chaincheck_time(now,
			    cc->opts.now, t2));
		ok = false;
	}
	w.check = NULL;
	if (key >= 0 && !keyring_set_has(zn->keys, (size_t)key)) {
		w.cite = rfc4035_531;
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "made by a key that is not in the "
		    "DNSKEY RRset (it is in %s's)", chaincheck_key_home(cc,
		    (size_t)key));
	} else if (key < 0 && own < 0) {
		w.cite = rfc4035_531;
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "no key with this tag and "
		    "algorithm in the DNSKEY RRset");
		ok = false;
	} else if (key == SIGVERIFY_BAD) {
		w.cite = "RFC 4035 section 5.3.3";
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "the signature does not verify");
		ok = false;
	} else if (key == SIGVERIFY_DATA && labels_ok) {
		w.cite = "RFC 4034 section 3.1.8.1";
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "the signed data cannot be built");
		ok = false;
	} else if (key < 0)
		ok = false;
	if (key >= 0 && !(cc->ring.key[key].flags & DNSKEY_F_ZONE)) {
		w.cite = "RFC 4034 section 2.1.1";
		chaincheck_add(cc, REPORT_PROBLEM, &w,
		    "made by a key without the " "zone-key flag");
		ok = false;
	}
	/* RFC 5011 §2.1: a revoked key is used for nothing but its own
	 * signature over the DNSKEY RRset, which announces the revocation;
	 * BIND's validators ignore its signatures.  Over other data it is a
	 * problem; over the DNSKEY RRset it is right but validates nothing
	 * (revoked). */
	if (key >= 0 && (cc->ring.key[key].flags & DNSKEY_F_REVOKE)) {
		revoked = true;
		if (type != T_DNSKEY) {
			w.cite = "RFC 5011 section 2.1";
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "made by a revoked key, "
			    "which validates nothing");
			ok = false;
		}
	}
	note_expiration(c, u, g.expiration, k);
	if (u != NULL && !(revoked && ok)) {
		bool good = ok && key >= 0;
		if (type == T_DNSKEY && good)
			u->dnskey_good = true;
		else if (type == T_DNSKEY)
			u->dnskey_bad = true;
		else if (good)
			u->data_good++;
		else
			u->data_bad++;
	}
	if (ok && key >= 0)
		zn->sigs_good++;
	if (ok && key >= 0 && !revoked) {
		keyring_set_add(c->good, (size_t)key);
		if (keyring_set_has(zn->keys, (size_t)key))
			alg_good[g.algorithm] = true;
	}
}

/* Note an RRset of zone y that does not validate with zone x's keys. */
static int
note_view(struct chaincheck *cc, size_t x, size_t y, const uint64_t *good,
    size_t first)
{
	struct chaincheck_pair *p = &cc->pair[x * cc->nzones + y];
	size_t words = keyring_words(&cc->ring), i;
	struct chaincheck_cause *q;

	p->fail++;
	if (keyring_set_empty(good, words))
		return 0;	/* bogus on its own: reported with the zone */
	for (i = 0; i < p->ncause; i++)
		if (memcmp(p->cause[i].keys, good, words * 8) == 0) {
			p->cause[i].count++;
			return 0;
		}
	if ((q = realloc(p->cause, (p->ncause + 1) * sizeof(*q))) == NULL)
		return -1;
	p->cause = q;
	q = &p->cause[p->ncause];
	if ((q->keys = malloc(words * 8)) == NULL)
		return -1;
	memcpy(q->keys, good, words * 8);
	q->count = 1;
	q->first = first;
	p->ncause++;
	return 0;
}

/* Signatures over a set that must not have any (RFC 4035 §2.2). */
static void
check_unsigned(struct zc *c, size_t rs, size_t re, uint16_t type,
    uint8_t where)
{
	const struct zone *z = c->z;
	struct report_where w;
	struct wire_rrsig g;
	size_t k;

	for (k = rs; k < re; k++) {
		if (wire_rrsig(&g, z->rr[k].rdata, z->rr[k].rdlen) != 0 ||
		    g.covered != type)
			continue;
		report_at_rr(&w, c->zn->label, z, &z->rr[k]);
		w.covered = type;
		report_key(&w, g.key_tag, g.algorithm);
		w.check = "G1";
		w.cite = rfc4035_22;
		chaincheck_add(c->cc, REPORT_PROBLEM, &w, "%s",
		    where == RR_DELEG ?
		    "signs the NS RRset of a delegation, which the child "
		    "signs" : where == RR_GLUE ? "signs glue, which is not "
		    "authoritative" : "signs data below a zone cut");
	}
}

/* One RRset, records [s, t), with the RRSIGs of its name at [rs, re). */
static int
check_rrset(struct zc *c, size_t s, size_t t, size_t rs, size_t re)
{
	struct chaincheck *cc = c->cc;
	struct chaincheck_zone *zn = c->zn;
	const struct zone *z = c->z;
	uint16_t type = z->rr[s].type;
	uint8_t where = zn->where[s];
	uint32_t ttl = z->rr[s].ttl;
	bool alg_good[256] = { false };
	struct report_where w;
	struct wire_rrsig g;
	size_t k, nsig = 0, x;
	int a;

	if (where != RR_OCCLUDED)
		for (k = s + 1; k < t; k++)
			if (z->rr[k].ttl != z->rr[s].ttl) {
				report_at_rr(&w, zn->label, z, &z->rr[k]);
				w.check = "G7";
				w.cite = "RFC 2181 section 5.2";
				chaincheck_add(cc, REPORT_PROBLEM, &w,
				    "TTLs differ "
				    "within the RRset: %u here, %u at line %u",
				    z->rr[k].ttl, z->rr[s].ttl, z->rr[s].line);
				break;
			}
	if (where != RR_AUTH) {
		check_unsigned(c, rs, re, type, where);
		return 0;
	}
	for (k = s + 1; k < t; k++)
		if (z->rr[k].ttl < ttl)
			ttl = z->rr[k].ttl;
	zn->rrsets++;
	memset(c->good, 0, keyring_words(&cc->ring) * 8);
	for (k = rs; k < re; k++) {
		if (wire_rrsig(&g, z->rr[k].rdata, z->rr[k].rdlen) != 0 ||
		    g.covered != type)
			continue;
		nsig++;
		check_sig(c, k, type, ttl, alg_good);
	}
	report_at_rr(&w, zn->label, z, &z->rr[s]);
	w.check = "G1";
	w.cite = rfc4035_22;
	if (c->any && nsig == 0)
		chaincheck_add(cc, REPORT_PROBLEM, &w, "no RRSIG");
	else if (c->any)
		for (a = 0; a < 256; a++)
			if (c->need[a] && !alg_good[a])
				chaincheck_add(cc, REPORT_PROBLEM, &w,
				    "no valid "
				    "signature by a key of algorithm %d of the "
				    "DNSKEY RRset", a);
	if (type == T_DNSKEY && dname_equal(z->rr[s].owner, z->apex)) {
		for (k = 0; k < cc->ring.n; k++)
			if (keyring_set_has(c->good, k) &&
			    keyring_set_has(zn->keys, k))
				keyring_set_add(zn->dnskey_good, k);
		return 0;
	}
	/* The view matrix: the DNSKEY RRset is validated from the DS set,
	 * every other RRset with the DNSKEY RRset a resolver holds.  Zones
	 * signed apart (-A) are each validated with their own only. */
	for (x = 0; x < cc->nzones; x++)
		if ((x == c->zi || !cc->opts.apart) &&
		    !keyring_set_meets(c->good, cc->zone[x].keys,
		    keyring_words(&cc->ring)) &&
		    note_view(cc, x, c->zi, c->good, s) != 0)
			return -1;
	return 0;
}

/* RRSIGs that cover nothing at their name. */
static void
check_orphans(struct zc *c, size_t i, size_t e, size_t rs, size_t re)
{
	const struct zone *z = c->z;
	struct report_where w;
	struct wire_rrsig g;
	size_t k, f, n;
	const char *tn;
	char tb[16];

	for (k = rs; k < re; k++) {
		c->zn->sigs++;
		report_at_rr(&w, c->zn->label, z, &z->rr[k]);
		w.cite = "RFC 4034 section 3.1";
		if (wire_rrsig(&g, z->rr[k].rdata, z->rr[k].rdlen) != 0) {
			chaincheck_add(c->cc, REPORT_PROBLEM, &w,
			    "malformed RRSIG RDATA");
			continue;
		}
		w.covered = g.covered;
		report_key(&w, g.key_tag, g.algorithm);
		if (g.covered == T_RRSIG)
			chaincheck_add(c->cc, REPORT_PROBLEM, &w,
			    "an RRSIG cannot cover " "RRSIG records");
		else if (!chaincheck_find_set(z, i, e, g.covered, &f, &n)) {
			tn = rrtype_name(g.covered, tb);
			w.cite = rfc4035_22;
			chaincheck_add(c->cc, REPORT_PROBLEM, &w,
			    "there is no %s RRset "
			    "at this name to cover", tn);
		}
	}
}

int
chaincheck_walk_zone(struct zc *c)
{
	const struct zone *z = c->z;
	size_t i, e, s, t, rs, re;

	for (i = 0; i < z->n; i = e) {
		e = zone_name_end(z, i);
		if (!chaincheck_find_set(z, i, e, T_RRSIG, &rs, &re))
			rs = re = e;
		else
			re += rs;
		check_orphans(c, i, e, rs, re);
		for (s = i; s < e; s = t) {
			t = zone_rrset_end(z, s);
			if (z->rr[s].type != T_RRSIG &&
			    check_rrset(c, s, t, rs, re) != 0)
				return -1;
		}
	}
	return 0;
}

void *
chaincheck_verify_bg(void *p)
{
	struct verify_arg *a = p;

	a->rc = sigverify_run(a->z, a->c->job, a->c->njob, a->ring,
	    a->c->zn->keys, a->threads);
	return NULL;
}
