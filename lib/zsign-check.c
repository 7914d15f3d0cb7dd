/*
 * The check before output: every signature made now verified over its
 * RRset (one in PUB_SAMPLE with the DNSKEY as well), every RRset that must
 * be signed (RFC 4035 §2.2) signed by every algorithm of the DNSKEY RRset,
 * and the denial chain whole, on threads; a zone that fails is not
 * written.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "arena.h"
#include "crypto.h"
#include "denial.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "keyfile.h"
#include "nsecchain.h"
#include "report.h"
#include "rrsig.h"
#include "rrtype.h"
#include "workpool.h"
#include "zone.h"
#include "zsign.h"
#include "zsign-int.h"

/*
 * The check before output.  On the zone as it will be written, sorted
 * and classified again:
 *
 *	every signature made in this run verifies over its RRset as the
 *	zone now holds it (crypto_selfcheck(), on threads), and one in
 *	PUB_SAMPLE also with the DNSKEY: for ECDSA the key pair's check
 *	multiplies the base point as signing did, so a fault of that
 *	code alone would pass it, not the verification with the public
 *	key (a double multiplication, OpenSSL's other code);
 *	every authoritative RRset has, for each algorithm of the apex
 *	DNSKEY RRset, a signature by a key of that RRset and algorithm,
 *	valid now, whose signer, Labels, Original TTL and TTL are right
 *	(RFC 4035 §2.2, RFC 4034 §3, RFC 6840 §5.11);
 *	no delegation NS, glue or occluded record is signed, and every
 *	RRSIG covers an RRset that is signed (RFC 4035 §2.2);
 *	the denial chain is whole (denial_check(), the chain checker's).
 */
struct cjob {
	uint32_t	 sig, set, nset;
	int8_t		 ok;
	int8_t		 pub;	/* not sampled, or verified with the DNSKEY */
};

/* The signatures one thread of the structural pass found made now. */
struct cjobs {
	struct cjob	*job;
	size_t		 n;
	bool		 oom;
};

struct checker {
	struct signer	*s;
	const uint8_t	*where;
	struct cjob	*job;
	size_t		 njob;
	struct cjobs	*part;		/* per thread */
	pthread_mutex_t	 lock;		/* for problems and first */
	size_t		 problems;
	const struct rr	*first_rr;	/* the first problem's, or NULL */
	struct diag	 first;
	uint8_t		 algs[256];	/* of the DNSKEY RRset: */
	uint8_t		 alg[256];	/* the same, listed */
	size_t		 nalg;
};

static void problem(struct checker *, const struct rr *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct checker *c, const struct rr *r, const char *fmt, ...)
{
	char name[DNAME_MAXTEXT], type[16], zsign_covered[16], msg[512];
	struct wire_rrsig g;
	va_list ap;

	/* Threads find problems in any order; the one reported is that
	 * of the first record in the zone, so the message is the same on
	 * every run. */
	pthread_mutex_lock(&c->lock);
	if (c->problems++ > 0 && (c->first_rr == NULL || r > c->first_rr)) {
		pthread_mutex_unlock(&c->lock);
		return;
	}
	c->first_rr = r;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dname_to_text(r->owner, name);
	if (r->type == T_RRSIG && wire_rrsig(&g, r->rdata, r->rdlen) == 0)
		diag_set(&c->first, NULL, 0, "%s RRSIG %s by key %u/%u: %s",
		    name, rrtype_name(g.covered, zsign_covered),
		    g.key_tag, g.algorithm, msg);
	else
		diag_set(&c->first, NULL, 0, "%s %s: %s", name,
		    rrtype_name(r->type, type), msg);
	pthread_mutex_unlock(&c->lock);
}

static void
check_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct checker *c = arg;
	struct signer *s = c->s;
	struct batch b;
	size_t i, len;
	struct wire_rrsig r;
	int k;

	memset(b.n, 0, sizeof(b.n));
	for (i = begin; i < end; i++) {
		struct cjob *j = &c->job[i];
		const struct rr *sig = &s->z->rr[j->sig];

		j->ok = 0;
		j->pub = 1;
		if (wire_rrsig(&r, sig->rdata, sig->rdlen) != 0 ||
		    rrsig_signed_data(&r, &s->z->rr[j->set], j->nset,
		    &s->buf[thread], &s->bufcap[thread], &len) != 0)
			continue;
		if ((k = zsign_own_key(s, r.key_tag, r.algorithm)) >= 0) {
			zsign_batch_add(s, thread, &b, (size_t)k,
			    s->buf[thread], len, &r, &j->ok);
			if (i % PUB_SAMPLE == 0)
				j->pub = (int8_t)crypto_pubkey_verify(
				    s->ownpk[k], s->buf[thread], len, r.sig,
				    r.sig_len);
		} else if (k == -2)
			j->ok = zsign_check_each(s, thread, s->buf[thread], len,
			    &r);
	}
	zsign_batch_finish(s, thread, &b);
}

/* Is the signature at sig a good one over the RRset at set, of alg, by a
 * key of the DNSKEY RRset, valid now? */
static bool
sig_ok(const struct checker *c, const struct rr *sig, const struct rr *set,
    size_t alg)
{
	const struct signer *s = c->s;
	struct wire_rrsig g;
	size_t i;

	if (wire_rrsig(&g, sig->rdata, sig->rdlen) != 0 || g.algorithm != alg ||
	    !zsign_fields_ok(s, &g, set) || sig->ttl != set->ttl ||
	    !zsign_valid_now(s, &g))
		return false;
	for (i = 0; i < s->ndk; i++)
		if (s->dk[i].rdlen >= 4 && s->dk[i].tag == g.key_tag &&
		    s->dk[i].alg == g.algorithm)
			return true;
	return false;
}

/* Another signature made now, to verify on threads. */
static int
add_cjob(struct cjobs *p, size_t sig, size_t set, size_t nset)
{
	struct cjob *j;

	if (p->n % 4096 == 0) {
		if ((j = realloc(p->job, (p->n + 4096) * sizeof(*j))) ==
		    NULL) {
			p->oom = true;
			return -1;
		}
		p->job = j;
	}
	j = &p->job[p->n++];
	j->sig = (uint32_t)sig;
	j->set = (uint32_t)set;
	j->nset = (uint32_t)nset;
	return 0;
}

/* The records [i, e) of one name. */
static int
check_name(struct checker *c, struct cjobs *p, size_t i, size_t e)
{
	struct signer *s = c->s;
	const struct zone *z = s->z;
	size_t a, b, g0, g1, k, alg, n;

	zsign_type_run(z->rr, i, e, T_RRSIG, &g0, &g1);
	for (a = i; a < e; a = b) {
		const struct rr *r = &z->rr[a];
		b = zone_rrset_end(z, a);
		if (r->type == T_RRSIG)
			continue;
		if (c->where[a] != RR_AUTH) {
			for (k = g0; k < g1; k++)
				if (wire_rrsig_covered(z->rr[k].rdata,
				    z->rr[k].rdlen) == r->type)
					problem(c, r, "signed, but %s is not "
					    "(RFC 4035 section 2.2)",
					    c->where[a] == RR_DELEG ?
					    "a delegation's NS" : "glue or "
					    "occluded data");
			continue;
		}
		for (n = 0; n < c->nalg; n++) {
			bool good = false;
			alg = c->alg[n];
			for (k = g0; k < g1 && !good; k++)
				good = sig_ok(c, &z->rr[k], r, alg);
			if (!good)
				problem(c, r, "no valid signature of algorithm "
				    "%zu (RFC 4035 section 2.2)", alg);
		}
		for (k = g0; k < g1; k++)
			if (z->rr[k].file == s->made_file &&
			    wire_rrsig_covered(z->rr[k].rdata,
			    z->rr[k].rdlen) == r->type &&
			    add_cjob(p, k, a, b - a) != 0)
				return -1;
	}
	for (k = g0; k < g1; k++) {
		uint16_t t = wire_rrsig_covered(z->rr[k].rdata,
		    z->rr[k].rdlen);
		zsign_type_run(z->rr, i, e, t, &a, &b);
		if (a == b || t == T_RRSIG)
			problem(c, &z->rr[k], "covers no RRset here");
	}
	return 0;
}

static int
check_chain(struct checker *c)
{
	struct signer *s = c->s;
	struct report rep;
	struct denial_info info;
	char line[1024];
	int rc = 0;

	report_init(&rep);
	if (denial_check(s->z, c->where, NULL, s->threads, &rep,
	    &info) != 0) {
		report_free(&rep);
		return zsign_oom(s);
	}
	if (rep.problems > 0) {
		size_t i;
		for (i = 0; i < rep.n; i++)
			if (rep.item[i].kind == REPORT_PROBLEM)
				break;
		report_line(&rep.item[i], line, sizeof(line));
		if (c->problems++ == 0)
			diag_set(&c->first, NULL, 0, "%s", line);
		c->problems += rep.problems - 1;
	} else if (info.mode != (s->p->nsec3 ? DENIAL_NSEC3 : DENIAL_NSEC) ||
	    (s->p->nsec3 && (info.iterations != s->p->iterations ||
	    info.saltlen != s->p->saltlen || info.records == 0 ||
	    (info.optout != 0) != s->p->optout))) {
		if (c->problems++ == 0)
			diag_set(&c->first, NULL, 0, "the denial chain is not "
			    "the one asked for");
	}
	report_free(&rep);
	return rc;
}

/*
 * The structural pass over the names whose first record is in [begin,
 * end): a name that starts before begin is the previous chunk's.
 */
static void
check_names(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct checker *c = arg;
	const struct zone *z = c->s->z;
	struct cjobs *p = &c->part[thread];
	size_t i = begin, e;

	while (i > 0 && i < end && dname_same(z->rr[i].owner,
	    z->rr[i - 1].owner))
		i = zone_name_end(z, i);
	for (; i < end && !p->oom; i = e) {
		e = zone_name_end(z, i);
		(void)check_name(c, p, i, e);
	}
}

static int
job_cmp(const void *a, const void *b)
{
	const struct cjob *x = a, *y = b;

	return (x->sig > y->sig) - (x->sig < y->sig);
}

/* The threads' signatures to verify, in one list in zone order. */
static int
gather_jobs(struct checker *c)
{
	size_t t, n = 0;

	for (t = 0; t < c->s->threads; t++) {
		if (c->part[t].oom)
			return zsign_oom(c->s);
		n += c->part[t].n;
	}
	if ((c->job = malloc((n ? n : 1) * sizeof(*c->job))) == NULL)
		return zsign_oom(c->s);
	for (t = 0; t < c->s->threads; t++) {
		if (c->part[t].n > 0)
			memcpy(c->job + c->njob, c->part[t].job,
			    c->part[t].n * sizeof(*c->job));
		c->njob += c->part[t].n;
	}
	qsort(c->job, c->njob, sizeof(*c->job), job_cmp);
	return 0;
}

int
zsign_self_check(struct signer *s)
{
	struct checker c;
	uint8_t *where;
	size_t i;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.s = s;
	pthread_mutex_init(&c.lock, NULL);
	if ((where = zone_classify(s->z)) == NULL)
		return zsign_oom(s);
	c.where = where;
	for (i = 0; i < s->ndk; i++)
		if (s->dk[i].rdlen >= 4 && !c.algs[s->dk[i].alg]) {
			c.algs[s->dk[i].alg] = 1;
			c.alg[c.nalg++] = s->dk[i].alg;
		}
	if ((c.part = calloc(s->threads, sizeof(*c.part))) == NULL) {
		zsign_oom(s);
		goto out;
	}
	workpool_run(s->z->n, NAMES_CHUNK, s->threads, check_names, &c);
	if (gather_jobs(&c) != 0)
		goto out;
	workpool_run(c.njob, CHECK_CHUNK, s->threads, check_some, &c);
	for (i = 0; i < c.njob; i++)
		if (!c.job[i].ok)
			problem(&c, &s->z->rr[c.job[i].sig], "a signature made "
			    "now does not verify");
		else if (!c.job[i].pub)
			problem(&c, &s->z->rr[c.job[i].sig], "a signature made "
			    "now does not verify with the DNSKEY");
	s->rep->checked = c.njob;
	if (check_chain(&c) != 0)
		goto out;
	if (c.problems > 0) {
		diag_set(s->d, NULL, 0, "self-check failed, nothing written: %s"
		    "%s", c.first.msg, c.problems > 1 ? " (and more)" : "");
		goto out;
	}
	rc = 0;
out:
	if (c.part != NULL)
		for (i = 0; i < s->threads; i++)
			free(c.part[i].job);
	free(c.part);
	free(c.job);
	free(where);
	pthread_mutex_destroy(&c.lock);
	return rc;
}
