/*
 * See chaincheck.h.
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

#define G4_SHOWN	10	/* differences in unsigned data shown */

static const char rfc4035_22[] = "RFC 4035 section 2.2";
static const char rfc4035_531[] = "RFC 4035 section 5.3.1";
static const char rfc4035_52[] = "RFC 4035 section 5.2";

/* The check of one zone. */
struct zc {
	struct chaincheck	*cc;
	struct chaincheck_zone	*zn;
	size_t			 zi;
	const struct zone	*z;
	bool			 need[256];	/* algorithms to sign with */
	bool			 any;		/* the zone has one */
	uint64_t		*good;		/* scratch: keys, one RRset */
	struct sigverify_job	*job;
	size_t			 njob, cursor;
};

static void add(struct chaincheck *, enum report_kind,
    const struct report_where *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(struct chaincheck *cc, enum report_kind kind,
    const struct report_where *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vadd(&cc->report, kind, w, fmt, ap);
	va_end(ap);
}

/*
 * A signature time as YYYYMMDDHHmmSS (RFC 4034 §3.2).  The 32-bit value
 * is taken as the time nearest to now that it can stand for (RFC 1982),
 * so that times after 2106 print right.  buf needs 32 octets.
 */
const char *
chaincheck_time(uint32_t t, int64_t now, char *buf)
{
	int64_t v = now + (int32_t)(t - dnstime_wire(now));
	time_t tt = (time_t)v;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, 32, "%u", t);
	else
		snprintf(buf, 32, "%04d%02d%02d%02d%02d%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	return buf;
}

static bool
earlier(uint32_t a, uint32_t b)
{
	return serial_cmp(a, b) == -1;
}

struct chaincheck *
chaincheck_new(const struct chaincheck_opts *o)
{
	struct chaincheck *cc;

	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		return NULL;
	cc->opts = *o;
	if (cc->opts.threads < 1)
		cc->opts.threads = 1;
	keyring_init(&cc->ring);
	report_init(&cc->report);
	return cc;
}

void
chaincheck_free(struct chaincheck *cc)
{
	size_t i, k;

	if (cc == NULL)
		return;
	for (i = 0; i < cc->nzones; i++) {
		struct chaincheck_zone *zn = &cc->zone[i];
		free(zn->where);
		free(zn->keys);
		free(zn->dnskey_good);
		free(zn->use);
	}
	if (cc->pair != NULL)
		for (i = 0; i < cc->nzones * cc->nzones; i++) {
			for (k = 0; k < cc->pair[i].ncause; k++)
				free(cc->pair[i].cause[k].keys);
			free(cc->pair[i].cause);
		}
	free(cc->pair);
	if (cc->dskey != NULL)
		for (i = 0; i < cc->nds * cc->nzones; i++)
			free(cc->dskey[i]);
	free(cc->dskey);
	free(cc->dsview);
	keyring_free(&cc->ring);
	for (i = 0; i < cc->nzones; i++)
		zone_free(cc->zone[i].z);
	for (i = 0; i < cc->nds; i++)
		zone_free(cc->ds[i].z);
	free(cc->zone);
	free(cc->ds);
	free(cc->exempt);
	free(cc->exempt_type);
	report_free(&cc->report);
	free(cc);
}

/*
 * A DS set: DS records, or DNSKEY records taken as trust anchors, at the
 * zone's apex (checked by chaincheck_run()).  The check owns z from now
 * on, also on failure.
 */
int
chaincheck_add_ds(struct chaincheck *cc, const char *file, struct zone *z,
    struct diag *d)
{
	struct chaincheck_ds *p;
	char tb[16];
	size_t i;

	for (i = 0; i < z->n; i++)
		if (z->rr[i].type != T_DS && z->rr[i].type != T_DNSKEY) {
			diag_set(d, zone_rr_file(z, &z->rr[i]), z->rr[i].line,
			    "%s record in a DS set: only DS and DNSKEY "
			    "records belong there", rrtype_name(z->rr[i].type,
			    tb));
			zone_free(z);
			return -1;
		}
	if (z->n == 0) {
		diag_set(d, file, 0, "no DS or DNSKEY records");
		zone_free(z);
		return -1;
	}
	if ((p = realloc(cc->ds, (cc->nds + 1) * sizeof(*p))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		zone_free(z);
		return -1;
	}
	cc->ds = p;
	zone_sort(z);
	cc->ds[cc->nds].file = file;
	cc->ds[cc->nds].z = z;
	cc->nds++;
	return 0;
}

/*
 * A zone, sorted, its apex known: one served now (current), or an older
 * version still in caches.  All zones must have one apex.  The check
 * owns z from now on, also on failure.
 */
int
chaincheck_add_zone(struct chaincheck *cc, const char *label, struct zone *z,
    bool current, struct diag *d)
{
	struct chaincheck_zone *p;
	char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT];

	if (cc->nzones > 0 && !dname_equal(z->apex, cc->zone[0].z->apex)) {
		dname_to_text(z->apex, a);
		dname_to_text(cc->zone[0].z->apex, b);
		diag_set(d, label, 0, "apex %s differs from %s's apex %s", a,
		    cc->zone[0].label, b);
		zone_free(z);
		return -1;
	}
	if ((p = realloc(cc->zone, (cc->nzones + 1) * sizeof(*p))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		zone_free(z);
		return -1;
	}
	cc->zone = p;
	p = &cc->zone[cc->nzones++];
	memset(p, 0, sizeof(*p));
	p->label = label;
	p->z = z;
	p->current = current;
	zone_sort(z);
	return 0;
}

/* The apex records of one type: [*first, return). */
static size_t
apex_set(const struct zone *z, uint16_t type, size_t *first)
{
	size_t i = zone_find(z, z->apex, type);

	*first = i;
	return i < z->n ? zone_rrset_end(z, i) : i;
}

/* The key of zone zi's DNSKEY RRset with this tag and algorithm. */
static long
own_key(const struct chaincheck *cc, const struct chaincheck_zone *zn,
    uint16_t tag, uint8_t alg)
{
	size_t k;

	for (k = 0; k < cc->ring.n; k++)
		if (keyring_set_has(zn->keys, k) && cc->ring.key[k].tag ==
		    tag && cc->ring.key[k].alg == alg)
			return (long)k;
	return -1;
}

/* The label of the first zone whose DNSKEY RRset has key k. */
static const char *
key_home(const struct chaincheck *cc, size_t k)
{
	size_t i;

	for (i = 0; i < cc->nzones; i++)
		if (keyring_set_has(cc->zone[i].keys, k))
			return cc->zone[i].label;
	return "no zone";
}

/* Every apex DNSKEY joins the ring; then each zone's set is made. */
static int
build_ring(struct chaincheck *cc)
{
	size_t i, j, e;
	long k;

	for (i = 0; i < cc->nzones; i++) {
		const struct zone *z = cc->zone[i].z;
		for (e = apex_set(z, T_DNSKEY, &j); j < e; j++)
			if (keyring_add(&cc->ring, z->rr[j].rdata,
			    z->rr[j].rdlen) < 0 && z->rr[j].rdlen > 4)
				return -1;
	}
	for (i = 0; i < cc->nzones; i++) {
		struct chaincheck_zone *zn = &cc->zone[i];
		const struct zone *z = zn->z;
		if ((zn->keys = keyring_set_new(&cc->ring)) == NULL ||
		    (zn->dnskey_good = keyring_set_new(&cc->ring)) == NULL ||
		    (zn->use = calloc(cc->ring.n ? cc->ring.n : 1,
		    sizeof(*zn->use))) == NULL)
			return -1;
		zn->nuse = cc->ring.n;
		for (j = 0; j < cc->ring.n; j++)
			zn->use[j].key = j;
		for (e = apex_set(z, T_DNSKEY, &j); j < e; j++)
			if ((k = keyring_find_rdata(&cc->ring, z->rr[j].rdata,
			    z->rr[j].rdlen)) >= 0) {
				keyring_set_add(zn->keys, (size_t)k);
				zn->use[k].in_dnskey = true;
			}
	}
	return 0;
}

/* An RSA key too short to sign with (crypto.h): a warning, since
 * validators accept it. */
static void
weak_key(struct zc *c, struct report_where *w, const struct keyring_key *key)
{
	unsigned bits = crypto_rsa_bits(key->alg, key->rdata + 4,
	    (size_t)key->rdlen - 4);

	if (key->pk == NULL || bits == 0 || bits >= CRYPTO_RSA_MIN_BITS)
		return;
	w->cite = "NIST SP 800-131A";
	add(c->cc, REPORT_WARNING, w, "RSA modulus of %u bits, under %u: too "
	    "weak to sign with", bits, CRYPTO_RSA_MIN_BITS);
}

/* The keys of the apex DNSKEY RRset: what cannot be used, and the
 * algorithms every RRset must be signed with (RFC 4035 §2.2). */
static void
check_keys(struct zc *c)
{
	const struct zone *z = c->z;
	struct report_where w;
	size_t j, e;
	long k;

	e = apex_set(z, T_DNSKEY, &j);
	if (j == e) {
		report_at(&w, c->zn->label, c->zn->label, 0);
		w.owner = z->apex;
		w.type = T_DNSKEY;
		w.cite = "RFC 4035 section 2.1";
		add(c->cc, REPORT_PROBLEM, &w, "no DNSKEY RRset at the apex: "
		    "the zone is not signed");
		return;
	}
	for (; j < e; j++) {
		const struct rr *r = &z->rr[j];
		const struct keyring_key *key;

		report_at_rr(&w, c->zn->label, z, r);
		if (r->rdlen <= 4 || (k = keyring_find_rdata(&c->cc->ring,
		    r->rdata, r->rdlen)) < 0) {
			w.cite = "RFC 4034 section 2.1";
			add(c->cc, REPORT_PROBLEM, &w,
			    "malformed DNSKEY RDATA");
			continue;
		}
		key = &c->cc->ring.key[k];
		report_key(&w, key->tag, key->alg);
		if (key->protocol != 3) {
			w.cite = "RFC 4034 section 2.1.2";
			add(c->cc, REPORT_PROBLEM, &w, "%s", key->why);
		} else if (!crypto_alg_can_verify(key->alg)) {
			w.cite = "RFC 6840 section 5.2";
			add(c->cc, REPORT_WARNING, &w, "algorithm %u is not "
			    "supported here: signatures by this key are not "
			    "verified", key->alg);
		} else if (key->pk == NULL) {
			w.cite = "RFC 4034 section 2.1.4";
			add(c->cc, REPORT_PROBLEM, &w,
			    "unusable public key: %s", key->why);
		} else if (key->flags & DNSKEY_F_ZONE) {
			c->need[key->alg] = true;
			c->any = true;
		}
		weak_key(c, &w, key);
	}
}

/* The RRset of type at the name of records [i, e): its first record and
 * length, or false. */
static bool
find_set(const struct zone *z, size_t i, size_t e, uint16_t type,
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
static int
make_jobs(struct zc *c)
{
	const struct zone *z = c->z;
	size_t i, j, e, n = 0, first, len;
	struct rrsig s;

	for (i = 0; i < z->n; i++)
		n += z->rr[i].type == T_RRSIG;
	if ((c->job = malloc((n ? n : 1) * sizeof(*c->job))) == NULL)
		return -1;
	for (i = 0; i < z->n; i = e) {
		e = zone_name_end(z, i);
		for (j = i; j < e; j++) {
			if (z->rr[j].type != T_RRSIG ||
			    rrsig_parse(z->rr[j].rdata, z->rr[j].rdlen,
			    &s) != 0 || s.covered == T_RRSIG ||
			    !find_set(z, i, e, s.covered, &first, &len) ||
			    c->zn->where[first] != RR_AUTH)
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

	if (!zn->has_earliest || earlier(exp, zn->earliest)) {
		zn->has_earliest = true;
		zn->earliest = exp;
		zn->earliest_rr = rr;
	}
	if (u != NULL && (!u->has_earliest || earlier(exp, u->earliest))) {
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
	struct rrsig g;
	char t1[32], t2[32], nt[DNAME_MAXTEXT];
	int32_t key = job != NULL ? job->key : SIGVERIFY_DATA;
	long own;
	bool ok = true, labels_ok = true, revoked = false;
	uint32_t now = dnstime_wire(cc->opts.now);

	(void)rrsig_parse(sig->rdata, sig->rdlen, &g);
	report_at_rr(&w, zn->label, z, sig);
	w.covered = type;
	report_key(&w, g.key_tag, g.algorithm);
	own = own_key(cc, zn, g.key_tag, g.algorithm);
	if (key >= 0)
		u = &zn->use[key];
	else if (own >= 0)
		u = &zn->use[own];
	if (!dname_equal(g.signer, z->apex)) {
		dname_to_text(g.signer, nt);
		w.cite = rfc4035_531;
		add(cc, REPORT_PROBLEM, &w, "signer name %s is not the zone's "
		    "apex", nt);
		ok = false;
	}
	if (g.labels != dname_rrsig_labels(sig->owner)) {
		w.cite = "RFC 4034 section 3.1.3";
		add(cc, REPORT_PROBLEM, &w, "labels field %u, but the owner "
		    "has %d labels", g.labels, dname_rrsig_labels(sig->owner));
		ok = labels_ok = false;
	}
	if (g.original_ttl != ttl) {
		w.cite = "RFC 4034 section 3.1.4";
		add(cc, REPORT_PROBLEM, &w, "original TTL %u, but the RRset's "
		    "TTL is %u", g.original_ttl, ttl);
	}
	if (sig->ttl != ttl) {
		w.check = "G1";
		w.cite = "RFC 4034 section 3";
		add(cc, REPORT_PROBLEM, &w, "TTL %u, but the RRset's TTL is %u",
		    sig->ttl, ttl);
		w.check = NULL;
	}
	w.check = "G1";
	w.cite = rfc4035_531;
	if (serial_cmp(g.inception, g.expiration) != -1) {
		add(cc, REPORT_PROBLEM, &w, "expiration %s is not after "
		    "inception %s", chaincheck_time(g.expiration,
		    cc->opts.now, t1), chaincheck_time(g.inception,
		    cc->opts.now, t2));
		ok = false;
	} else if (!dnstime_within(g.inception, g.expiration, cc->opts.now)) {
		if (serial_cmp(now, g.inception) == -1)
			add(cc, REPORT_PROBLEM, &w, "not yet valid: inception "
			    "%s is after now (%s)", chaincheck_time(
			    g.inception, cc->opts.now, t1), chaincheck_time(
			    now, cc->opts.now, t2));
		else
			add(cc, REPORT_PROBLEM, &w, "expired at %s, before "
			    "now (%s)", chaincheck_time(g.expiration,
			    cc->opts.now, t1), chaincheck_time(now,
			    cc->opts.now, t2));
		ok = false;
	}
	w.check = NULL;
	if (key >= 0 && !keyring_set_has(zn->keys, (size_t)key)) {
		w.cite = rfc4035_531;
		add(cc, REPORT_PROBLEM, &w, "made by a key that is not in the "
		    "DNSKEY RRset (it is in %s's)", key_home(cc, (size_t)key));
	} else if (key < 0 && own < 0) {
		w.cite = rfc4035_531;
		add(cc, REPORT_PROBLEM, &w, "no key with this tag and "
		    "algorithm in the DNSKEY RRset");
		ok = false;
	} else if (key == SIGVERIFY_BAD) {
		w.cite = "RFC 4035 section 5.3.3";
		add(cc, REPORT_PROBLEM, &w, "the signature does not verify");
		ok = false;
	} else if (key == SIGVERIFY_DATA && labels_ok) {
		w.cite = "RFC 4034 section 3.1.8.1";
		add(cc, REPORT_PROBLEM, &w, "the signed data cannot be built");
		ok = false;
	} else if (key < 0)
		ok = false;
	if (key >= 0 && !(cc->ring.key[key].flags & DNSKEY_F_ZONE)) {
		w.cite = "RFC 4034 section 2.1.1";
		add(cc, REPORT_PROBLEM, &w, "made by a key without the "
		    "zone-key flag");
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
			add(cc, REPORT_PROBLEM, &w, "made by a revoked key, "
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
	struct rrsig g;
	size_t k;

	for (k = rs; k < re; k++) {
		if (rrsig_parse(z->rr[k].rdata, z->rr[k].rdlen, &g) != 0 ||
		    g.covered != type)
			continue;
		report_at_rr(&w, c->zn->label, z, &z->rr[k]);
		w.covered = type;
		report_key(&w, g.key_tag, g.algorithm);
		w.check = "G1";
		w.cite = rfc4035_22;
		add(c->cc, REPORT_PROBLEM, &w, "%s", where == RR_DELEG ?
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
	struct rrsig g;
	size_t k, nsig = 0, x;
	int a;

	if (where != RR_OCCLUDED)
		for (k = s + 1; k < t; k++)
			if (z->rr[k].ttl != z->rr[s].ttl) {
				report_at_rr(&w, zn->label, z, &z->rr[k]);
				w.check = "G7";
				w.cite = "RFC 2181 section 5.2";
				add(cc, REPORT_PROBLEM, &w, "TTLs differ "
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
		if (rrsig_parse(z->rr[k].rdata, z->rr[k].rdlen, &g) != 0 ||
		    g.covered != type)
			continue;
		nsig++;
		check_sig(c, k, type, ttl, alg_good);
	}
	report_at_rr(&w, zn->label, z, &z->rr[s]);
	w.check = "G1";
	w.cite = rfc4035_22;
	if (c->any && nsig == 0)
		add(cc, REPORT_PROBLEM, &w, "no RRSIG");
	else if (c->any)
		for (a = 0; a < 256; a++)
			if (c->need[a] && !alg_good[a])
				add(cc, REPORT_PROBLEM, &w, "no valid "
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
		if ((x == c->zi || !cc->opts.apart) && !keyring_set_meets(c->good, cc->zone[x].keys,
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
	struct rrsig g;
	size_t k, f, n;
	const char *tn;
	char tb[16];

	for (k = rs; k < re; k++) {
		c->zn->sigs++;
		report_at_rr(&w, c->zn->label, z, &z->rr[k]);
		w.cite = "RFC 4034 section 3.1";
		if (rrsig_parse(z->rr[k].rdata, z->rr[k].rdlen, &g) != 0) {
			add(c->cc, REPORT_PROBLEM, &w, "malformed RRSIG RDATA");
			continue;
		}
		w.covered = g.covered;
		report_key(&w, g.key_tag, g.algorithm);
		if (g.covered == T_RRSIG)
			add(c->cc, REPORT_PROBLEM, &w, "an RRSIG cannot cover "
			    "RRSIG records");
		else if (!find_set(z, i, e, g.covered, &f, &n)) {
			tn = rrtype_name(g.covered, tb);
			w.cite = rfc4035_22;
			add(c->cc, REPORT_PROBLEM, &w, "there is no %s RRset "
			    "at this name to cover", tn);
		}
	}
}

static int
walk_zone(struct zc *c)
{
	const struct zone *z = c->z;
	size_t i, e, s, t, rs, re;

	for (i = 0; i < z->n; i = e) {
		e = zone_name_end(z, i);
		if (!find_set(z, i, e, T_RRSIG, &rs, &re))
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
		if (!u->has_earliest || !earlier(u->earliest, limit))
			continue;
		r = &zn->z->rr[u->earliest_rr];
		report_at_rr(&w, zn->label, zn->z, r);
		w.covered = (uint16_t)(r->rdata[0] << 8 | r->rdata[1]);
		report_key(&w, cc->ring.key[k].tag, cc->ring.key[k].alg);
		w.check = "G8";
		add(cc, REPORT_PROBLEM, &w, "signatures by this key expire "
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
	struct rrsig g;

	e = apex_set(z, T_DNSKEY, &first);
	if (first == e)
		return;
	for (j = first; j < e; j++)
		size += own + 10 + z->rr[j].rdlen;
	j = zone_find(z, z->apex, 0);
	if (find_set(z, j, zone_name_end(z, j), T_RRSIG, &j, &e))
		for (e += j; j < e; j++)
			if (rrsig_parse(z->rr[j].rdata, z->rr[j].rdlen,
			    &g) == 0 && g.covered == T_DNSKEY)
				size += own + 10 + z->rr[j].rdlen;
	zn->dnskey_answer = size;
	if (size <= cc->opts.size_limit)
		return;
	report_at_rr(&w, zn->label, z, &z->rr[first]);
	w.check = "G10";
	add(cc, cc->opts.size_strict ? REPORT_PROBLEM : REPORT_WARNING, &w,
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

	for (e = apex_set(z, T_NS, &j); j < e; j++) {
		const uint8_t *ns = z->rr[j].rdata;
		if (!dname_is_below(ns, z->apex) ||
		    zone_find(z, ns, T_A) < z->n ||
		    zone_find(z, ns, T_AAAA) < z->n)
			continue;
		dname_to_text(ns, nt);
		report_at_rr(&w, zn->label, z, &z->rr[j]);
		w.check = "G9";
		w.cite = "RFC 1034 section 4.2.1";
		add(cc, REPORT_PROBLEM, &w, "name server %s is in the zone but "
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
	const struct rr *r = &z->rr[k];
	uint8_t alg = r->rdata[5];
	uint32_t s = (uint32_t)r->rdata[0] << 24 | (uint32_t)r->rdata[1] <<
	    16 | (uint32_t)r->rdata[2] << 8 | r->rdata[3];
	size_t j, n = r->rdlen - ZONEMD_FIXED;
	struct diag d;

	for (j = i; j < e; j++)
		if (j != k && z->rr[j].rdlen >= ZONEMD_FIXED &&
		    z->rr[j].rdata[4] == r->rdata[4] &&
		    z->rr[j].rdata[5] == alg) {
			diag_why(why, len, "more than one ZONEMD of scheme %u "
			    "and hash algorithm %u", r->rdata[4], alg);
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
	if (memcmp(dg[alg], r->rdata + ZONEMD_FIXED, n) != 0) {
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

	e = apex_set(z, T_ZONEMD, &i);
	/* Pass 0 counts the matches, pass 1 reports. */
	for (pass = 0; pass < 2; pass++)
		for (k = i; k < e; k++) {
			const struct rr *r = &z->rr[k];
			bool known = r->rdlen >= ZONEMD_FIXED &&
			    r->rdata[4] == ZONEMD_SCHEME_SIMPLE &&
			    zonemd_hash_len(r->rdata[5]) > 0;
			const char *f = known ? zonemd_fault(z, i, e, k,
			    serial, dg, dlen, why, sizeof(why)) : NULL;
			if (pass == 0) {
				match += known && f == NULL;
				continue;
			}
			report_at_rr(&w, zn->label, z, r);
			w.check = "ZONEMD";
			w.cite = "RFC 8976 section 4";
			if (r->rdlen < ZONEMD_FIXED)
				add(cc, REPORT_PROBLEM, &w, "malformed: %u "
				    "octets of RDATA", r->rdlen);
			else if (!known)
				add(cc, REPORT_WARNING, &w, "scheme %u, hash "
				    "algorithm %u: not known here, this digest "
				    "is not verified", r->rdata[4],
				    r->rdata[5]);
			else if (f != NULL)
				add(cc, match > 0 ? REPORT_WARNING :
				    REPORT_PROBLEM, &w, "%s; zresign computes "
				    "it again", f);
		}
}

/* Verification on a thread of its own, so that the denial chain, which
 * does not need its results, is checked meanwhile. */
struct verify_arg {
	const struct zone	*z;
	const struct zc		*c;
	const struct keyring	*ring;
	unsigned		 threads;
	int			 rc;
};

static void *
verify_bg(void *p)
{
	struct verify_arg *a = p;

	a->rc = sigverify_run(a->z, a->c->job, a->c->njob, a->ring,
	    a->c->zn->keys, a->threads);
	return NULL;
}

static int
check_zone(struct chaincheck *cc, size_t zi)
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
		size_t o = dname_len(r->rdata);
		o += dname_len(r->rdata + o);
		if (o + 4 <= r->rdlen)
			zn->serial = (uint32_t)r->rdata[o] << 24 |
			    (uint32_t)r->rdata[o + 1] << 16 |
			    (uint32_t)r->rdata[o + 2] << 8 | r->rdata[o + 3];
	}
	check_keys(&c);
	if (make_jobs(&c) != 0)
		goto out;
	va.z = z;
	va.c = &c;
	va.ring = &cc->ring;
	va.threads = cc->opts.threads;
	bg = pthread_create(&th, NULL, verify_bg, &va) == 0;
	if (!bg)
		(void)verify_bg(&va);
	/* The denial chain's findings go after the RRsets' (walk_zone()),
	 * whichever is done first. */
	if (zone_find(z, z->apex, T_DNSKEY) < z->n)
		drc = denial_check(z, zn->where, zn->label, cc->opts.threads,
		    &dr, &zn->denial);
	if (bg)
		pthread_join(th, NULL);
	if (va.rc != 0 || drc != 0 || walk_zone(&c) != 0 ||
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

/* The text of a DS for messages: "tag/alg digest type n". */
static void
ds_fields(const struct rr *r, uint16_t *tag, uint8_t *alg, uint8_t *dt)
{
	*tag = r->rdlen >= 4 ? (uint16_t)(r->rdata[0] << 8 | r->rdata[1]) : 0;
	*alg = r->rdlen >= 4 ? r->rdata[2] : 0;
	*dt = r->rdlen >= 4 ? r->rdata[3] : 0;
}

/* Which records of a DS set a validator uses (RFC 4035 §5.2, RFC 6840
 * §5.2: a DS of an unknown algorithm or digest type is skipped; none
 * left makes the zone insecure, not bogus; RFC 4509 §3: SHA-1 DS are
 * ignored when SHA-256 ones are there).  Says so once per set. */
static size_t
usable_ds(struct chaincheck *cc, const struct chaincheck_ds *ds, bool *use)
{
	const struct zone *z = ds->z;
	struct report_where w;
	bool sha256 = false;
	size_t i, n = 0;
	uint16_t tag;
	uint8_t alg, dt;

	for (i = 0; i < z->n; i++) {
		ds_fields(&z->rr[i], &tag, &alg, &dt);
		if (z->rr[i].type == T_DS && dt == DS_SHA256 &&
		    crypto_alg_can_verify(alg))
			sha256 = true;
	}
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		report_at_rr(&w, NULL, z, r);
		use[i] = false;
		if (r->type == T_DNSKEY) {
			alg = r->rdlen > 4 ? dnskey_algorithm(r->rdata) : 0;
			report_key(&w, dnskey_tag(r->rdata, r->rdlen), alg);
			if (crypto_alg_can_verify(alg) && r->rdlen > 4)
				use[i] = true;
			else {
				w.cite = rfc4035_52;
				add(cc, REPORT_WARNING, &w, "trust anchor of "
				    "algorithm %u, which is not supported "
				    "here: ignored", alg);
			}
			n += use[i];
			continue;
		}
		ds_fields(r, &tag, &alg, &dt);
		report_key(&w, tag, alg);
		w.cite = "RFC 6840 section 5.2";
		if (r->rdlen < 4)
			add(cc, REPORT_WARNING, &w, "malformed DS RDATA: "
			    "ignored");
		else if (!crypto_alg_can_verify(alg))
			add(cc, REPORT_WARNING, &w, "DS of algorithm %u, which "
			    "is not supported here: ignored, as a validator "
			    "does", alg);
		else if (!ds_digest_supported(dt))
			add(cc, REPORT_WARNING, &w, "DS of digest type %u, "
			    "which is not supported here: ignored, as a "
			    "validator does", dt);
		else if (dt == DS_SHA1 && sha256) {
			w.cite = "RFC 4509 section 3";
			add(cc, REPORT_WARNING, &w, "SHA-1 DS ignored: the set "
			    "has SHA-256 ones");
		} else
			use[i] = true;
		n += use[i];
	}
	if (n == 0) {
		report_at(&w, NULL, ds->file, 0);
		w.cite = "RFC 4035 section 5.2, RFC 6840 section 5.2";
		add(cc, REPORT_WARNING, &w, "no DS or trust anchor of a "
		    "supported algorithm and digest type: the zone is "
		    "insecure from this DS set, not bogus, and its chain is "
		    "not checked");
	}
	return n;
}

static void
key_list(const struct chaincheck *cc, const uint64_t *set, char *buf,
    size_t len)
{
	size_t k, o = 0;

	buf[0] = '\0';
	for (k = 0; k < cc->ring.n && o + 16 < len; k++)
		if (keyring_set_has(set, k))
			o += (size_t)snprintf(buf + o, len - o, "%s%u/%u",
			    o ? " " : "", cc->ring.key[k].tag,
			    cc->ring.key[k].alg);
}

/* One DS set D against one zone X: does X's DNSKEY RRset validate from
 * D (G2), and is it signed by each algorithm of D (G1)? */
static int
ds_view(struct chaincheck *cc, size_t d, size_t x, const bool *use)
{
	const struct chaincheck_ds *ds = &cc->ds[d];
	const struct zone *dz = ds->z;
	struct chaincheck_zone *zn = &cc->zone[x];
	const struct zone *z = zn->z;
	uint64_t *named;
	long *keyof;
	bool algs[256] = { false }, signed_by[256] = { false };
	struct report_where w;
	char list[512];
	size_t i, k;
	int a;

	if ((named = keyring_set_new(&cc->ring)) == NULL ||
	    (keyof = malloc(dz->n * sizeof(*keyof))) == NULL) {
		free(named);
		return -1;
	}
	cc->dskey[d * cc->nzones + x] = keyof;
	for (i = 0; i < dz->n; i++) {
		const struct rr *r = &dz->rr[i];
		keyof[i] = -1;
		if (!use[i])
			continue;
		if (r->type == T_DNSKEY) {
			algs[dnskey_algorithm(r->rdata)] = true;
			keyof[i] = keyring_find_rdata(&cc->ring, r->rdata,
			    r->rdlen);
			if (keyof[i] >= 0 && !keyring_set_has(zn->keys,
			    (size_t)keyof[i]))
				keyof[i] = -1;
		} else {
			algs[r->rdata[2]] = true;
			for (k = 0; k < cc->ring.n; k++)
				if (keyring_set_has(zn->keys, k) &&
				    (cc->ring.key[k].flags & DNSKEY_F_ZONE) &&
				    ds_matches(z->apex, cc->ring.key[k].rdata,
				    cc->ring.key[k].rdlen, r->rdata,
				    r->rdlen)) {
					keyof[i] = (long)k;
					break;
				}
		}
		if (keyof[i] >= 0) {
			keyring_set_add(named, (size_t)keyof[i]);
			continue;
		}
		report_at_rr(&w, zn->label, dz, r);
		w.owner = z->apex;
		if (r->type == T_DNSKEY)
			report_key(&w, dnskey_tag(r->rdata, r->rdlen),
			    dnskey_algorithm(r->rdata));
		else
			report_key(&w, (uint16_t)(r->rdata[0] << 8 |
			    r->rdata[1]), r->rdata[2]);
		w.check = "G2";
		add(cc, cc->opts.ds_strict ? REPORT_PROBLEM : REPORT_WARNING,
		    &w, "%s no key of the DNSKEY RRset%s", r->type == T_DS ?
		    "the digest of this DS matches" : "this trust anchor is",
		    r->type == T_DS ? " (recomputed, not by key tag)" : "");
	}
	for (k = 0; k < cc->ring.n; k++)
		if (keyring_set_has(zn->dnskey_good, k))
			signed_by[cc->ring.key[k].alg] = true;
	report_at(&w, zn->label, ds->file, dz->n ? dz->rr[0].line : 0);
	w.owner = z->apex;
	w.type = T_DNSKEY;
	if (keyring_set_meets(named, zn->dnskey_good, keyring_words(&cc->ring)))
		cc->dsview[d * cc->nzones + x] = CHAINCHECK_VALID;
	else {
		cc->dsview[d * cc->nzones + x] = CHAINCHECK_BOGUS;
		w.check = "G2";
		w.cite = rfc4035_52;
		if (keyring_set_empty(named, keyring_words(&cc->ring)))
			add(cc, REPORT_PROBLEM, &w, "does not validate from "
			    "this DS set: every DS is lame, none names a key "
			    "of the DNSKEY RRset");
		else {
			key_list(cc, named, list, sizeof(list));
			add(cc, REPORT_PROBLEM, &w, "does not validate from "
			    "this DS set: no valid signature over it by the "
			    "keys its DS records name (%s)", list);
		}
	}
	w.check = "G1";
	w.cite = rfc4035_22;
	for (a = 0; a < 256; a++)
		if (algs[a] && !signed_by[a])
			add(cc, REPORT_PROBLEM, &w, "not signed by algorithm "
			    "%d of the DS set", a);
	free(named);
	return 0;
}

static int
check_ds_views(struct chaincheck *cc)
{
	size_t d, x;
	bool *use;

	for (d = 0; d < cc->nds; d++) {
		const struct zone *dz = cc->ds[d].z;
		size_t i;
		if ((use = malloc(dz->n)) == NULL)
			return -1;
		/* A DS set for another name is bad input, refused before. */
		if (usable_ds(cc, &cc->ds[d], use) == 0) {
			for (x = 0; x < cc->nzones; x++) {
				cc->dsview[d * cc->nzones + x] =
				    CHAINCHECK_INSECURE;
				if ((cc->dskey[d * cc->nzones + x] = malloc(
				    dz->n * sizeof(long))) == NULL) {
					free(use);
					return -1;
				}
				for (i = 0; i < dz->n; i++)
					cc->dskey[d * cc->nzones + x][i] = -1;
			}
			free(use);
			continue;
		}
		for (x = 0; x < cc->nzones; x++)
			if (ds_view(cc, d, x, use) != 0) {
				free(use);
				return -1;
			}
		free(use);
	}
	return 0;
}

/* Zone y against the DNSKEY RRset of zone x (G2): the groups of RRsets
 * that do not validate with it. */
static void
check_pair_views(struct chaincheck *cc)
{
	struct report_where w;
	char list[512];
	size_t x, y, i;

	for (x = 0; x < cc->nzones; x++)
		for (y = 0; y < cc->nzones; y++) {
			const struct chaincheck_pair *p =
			    &cc->pair[x * cc->nzones + y];
			const struct zone *z = cc->zone[y].z;
			if (x == y)
				continue;
			for (i = 0; i < p->ncause; i++) {
				const struct chaincheck_cause *q = &p->cause[i];
				report_at_rr(&w, cc->zone[y].label, z,
				    &z->rr[q->first]);
				w.check = "G2";
				w.cite = "RFC 4035 section 5.3";
				key_list(cc, q->keys, list, sizeof(list));
				add(cc, REPORT_PROBLEM, &w, "does not validate "
				    "with the DNSKEY RRset of %s: signed only "
				    "by %s %s, which it lacks (%zu RRset%s "
				    "like this)", cc->zone[x].label,
				    strchr(list, ' ') ? "keys" : "key", list,
				    q->count, q->count > 1 ? "s" : "");
			}
		}
}

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
	if (a->type == T_SOA && b->type == T_SOA &&
	    dname_equal(a->owner, b->owner)) {
		size_t na = dname_len(a->rdata), nb = dname_len(b->rdata);
		na += dname_len(a->rdata + na);
		nb += dname_len(b->rdata + nb);
		if (na != nb || memcmp(a->rdata, b->rdata, na) != 0 ||
		    a->rdlen != b->rdlen || a->rdlen < na + 20 ||
		    memcmp(a->rdata + na + 4, b->rdata + nb + 4, 16) != 0)
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
	add(cc, REPORT_PROBLEM, &w, fmt, buf, other);
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
			add(cc, REPORT_PROBLEM, &w, "TTL %u, but %s has %u",
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
		add(cc, REPORT_PROBLEM, &w, "%zu differences in the unsigned "
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
	for (e = apex_set(z, type, &j); j < e && o + 8 < len; j++) {
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

	ie = apex_set(a, type, &i);
	je = apex_set(b, type, &j);
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
static int
check_cross(struct chaincheck *cc)
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
				add(cc, REPORT_PROBLEM, &w, "serial %u of an "
				    "older version is not below %s's %u",
				    zn->serial, ref->label, ref->serial);
			continue;
		}
		if (zn->serial != ref->serial)
			add(cc, REPORT_PROBLEM, &w, "serial %u, but %s's is %u",
			    zn->serial, ref->label, ref->serial);
		alg_text(cc, zn, a, sizeof(a));
		alg_text(cc, ref, b, sizeof(b));
		if (strcmp(a, b) != 0) {
			report_at(&w, zn->label, zn->label, 0);
			w.owner = z->apex;
			w.type = T_DNSKEY;
			w.check = "G3";
			w.cite = "RFC 8901 section 4";
			add(cc, REPORT_PROBLEM, &w, "algorithms %s, but %s's "
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
				add(cc, REPORT_PROBLEM, &w, "the DNSKEY RRsets "
				    "differ: this key is only in %s's",
				    here ? zn->label : ref->label);
			}
		}
		params_text(zn, a);
		params_text(ref, b);
		if (strcmp(a, b) != 0 || zn->denial.nsec3param > 1 ||
		    ref->denial.nsec3param > 1) {
			if (apex_set(z, T_NSEC3PARAM, &first) > first)
				report_at_rr(&w, zn->label, z, &z->rr[first]);
			else
				report_at(&w, zn->label, zn->label, 0);
			w.owner = z->apex;
			w.type = T_NSEC3PARAM;
			w.check = "G6";
			w.cite = "RFC 8901 section 5.2";
			if (strcmp(a, b) != 0)
				add(cc, REPORT_PROBLEM, &w, "denial %s, but "
				    "%s's is %s", a, ref->label, b);
		}
		if (!same_set(z, ref->z, T_NS)) {
			set_text(z, T_NS, a, sizeof(a));
			set_text(ref->z, T_NS, b, sizeof(b));
			report_at_rr(&w, zn->label, z,
			    &z->rr[zone_find(z, z->apex, T_NS) < z->n ?
			    zone_find(z, z->apex, T_NS) : soa]);
			w.check = "G9";
			add(cc, REPORT_PROBLEM, &w, "apex NS %s, but %s's is "
			    "%s", a, ref->label, b);
		}
		if (check_g4(cc, ref, zn) != 0)
			return -1;
	}
	return 0;
}

/* The exemptions from G4, "name" or "name/TYPE", names relative to the
 * apex unless they end in a dot. */
static int
parse_exempt(struct chaincheck *cc, struct diag *d)
{
	char buf[DNAME_MAXTEXT + 32], *slash;
	size_t i, n = cc->opts.nexempt;
	int t;

	if (n == 0)
		return 0;
	if ((cc->exempt = calloc(n, sizeof(*cc->exempt))) == NULL ||
	    (cc->exempt_type = calloc(n, sizeof(*cc->exempt_type))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *arg = cc->opts.exempt[i];
		int len = 0;

		/* Longer than buf is over 255 octets, even all as \DDD. */
		if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
			len = DNAME_TOOLONG;
		else if ((slash = strrchr(buf, '/')) != NULL) {
			*slash = '\0';
			if ((t = rrtype_from_name(slash + 1)) <= 0) {
				diag_set(d, NULL, 0, "-x %s: no type %s",
				    arg, slash + 1);
				return -1;
			}
			cc->exempt_type[i] = (uint16_t)t;
		}
		if (len == 0 && buf[0] != '\0')
			len = dname_from_text(buf, cc->zone[0].z->apex,
			    cc->exempt[i]);
		if (len == DNAME_TOOLONG) {
			diag_set(d, NULL, 0, "-x %.300s%s: name too long (over "
			    "255 octets, RFC 1035 section 2.3.4)", arg,
			    strlen(arg) > 300 ? "..." : "");
			return -1;
		}
		if (len <= 0) {
			diag_set(d, NULL, 0, "-x %.300s%s: not a domain name",
			    arg, strlen(arg) > 300 ? "..." : "");
			return -1;
		}
		dname_lower(cc->exempt[i]);
	}
	return 0;
}

/*
 * Run every check.  Returns 0 (the findings are in cc->report), or -1
 * and a diagnostic when the job cannot be done: DS sets for another
 * name, a bad -x, or memory short.
 */
int
chaincheck_run(struct chaincheck *cc, struct diag *d)
{
	size_t i, j;
	char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT];

	if (cc->nzones == 0) {
		diag_set(d, NULL, 0, "no zone to check");
		return -1;
	}
	for (i = 0; i < cc->nds; i++) {
		const struct zone *z = cc->ds[i].z;
		for (j = 0; j < z->n; j++)
			if (!dname_equal(z->rr[j].owner, cc->zone[0].z->apex)) {
				dname_to_text(z->rr[j].owner, a);
				dname_to_text(cc->zone[0].z->apex, b);
				diag_set(d, zone_rr_file(z, &z->rr[j]),
				    z->rr[j].line, "%s record for %s, but the "
				    "zone is %s", z->rr[j].type == T_DS ? "DS" :
				    "DNSKEY", a, b);
				return -1;
			}
	}
	if (parse_exempt(cc, d) != 0)
		return -1;
	if (build_ring(cc) != 0 ||
	    (cc->pair = calloc(cc->nzones * cc->nzones,
	    sizeof(*cc->pair))) == NULL ||
	    (cc->dsview = calloc(cc->nds + 1, cc->nzones *
	    sizeof(*cc->dsview))) == NULL ||
	    (cc->dskey = calloc(cc->nds + 1, cc->nzones *
	    sizeof(*cc->dskey))) == NULL)
		goto oom;
	for (i = 0; i < cc->nzones; i++)
		if (check_zone(cc, i) != 0)
			goto oom;
	if (check_ds_views(cc) != 0)
		goto oom;
	check_pair_views(cc);
	if (check_cross(cc) != 0 || cc->report.failed)
		goto oom;
	return 0;
oom:
	diag_set(d, NULL, 0, "out of memory");
	return -1;
}
