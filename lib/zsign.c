/*
 * See zsign.h.  This file holds zsign_run() and its first and last
 * steps; the others are in lib/zsign-chain.c, lib/zsign-plan.c (with
 * lib/zsign-reuse.c), lib/zsign-pool.c and lib/zsign-check.c, their
 * shared state in lib/zsign-int.h.  What the fault-injection build of
 * the tests replaces (-DBK_FAULT, t/0500 and t/0521) stays here.  The
 * steps of zsign_run(), in order:
 *
 *	classify the records (RFC 4035 §2.2: what is signed), take the
 *	RRSIGs out of the zone, check every signed RRset has one TTL, read
 *	the apex DNSKEY RRset and settle the keys' roles;
 *	build the NSEC or NSEC3 chain and put it in place;
 *	walk the zone with the input's signatures and the previous zone
 *	side by side, deciding for every RRset and key what to keep, what
 *	to verify and what to sign;
 *	verify the candidates, then sign, both on threads;
 *	put the signatures in place;
 *	check the result.
 *
 * New records are put in place by position, not by sorting the zone
 * again: the walk knows where each goes.
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

static const char *const drop_reasons[ZSIGN_NDROP] = {
	"replaced",
	"left out by the policy",
	"no such key in the DNSKEY RRset",
	"does not verify over the RRset as it is",
	"expired or not yet valid",
	"signer, labels or original TTL wrong",
	"covers no signed RRset"
};

const char *
zsign_drop_reason(enum zsign_drop r)
{
	return r < ZSIGN_NDROP ? drop_reasons[r] : "?";
}

void
zsign_report_free(struct zsign_report *r)
{
	free(r->tally);
	r->tally = NULL;
	r->ntally = 0;
}

int
zsign_oom(struct signer *s)
{
	diag_set(s->d, NULL, 0, "out of memory");
	return -1;
}

/* The tally of a key tag and algorithm, ours (key >= 0) or another's;
 * NULL when memory is short (the report then misses a line). */
static struct zsign_tally *
tally(struct signer *s, uint16_t tag, uint8_t alg, int key)
{
	struct zsign_report *r = s->rep;
	struct zsign_tally *t;
	size_t i;

	for (i = 0; i < r->ntally; i++)
		if (r->tally[i].tag == tag && r->tally[i].alg == alg &&
		    (r->tally[i].key == key || (key < 0 &&
		    r->tally[i].key < 0)))
			return &r->tally[i];
	if ((t = realloc(r->tally, (r->ntally + 1) * sizeof(*t))) == NULL)
		return NULL;
	r->tally = t;
	t = &r->tally[r->ntally++];
	memset(t, 0, sizeof(*t));
	t->tag = tag;
	t->alg = alg;
	t->key = key;
	return t;
}

/* Count a dropped input signature against its key tag. */
void
zsign_drop_sig(struct signer *s, size_t i, enum zsign_drop why)
{
	const struct rr *r = &s->insig[i];
	struct zsign_tally *t;
	struct wire_rrsig g;
	int key = -1;
	size_t k;

	if (s->fate[i] == F_DROPPED)
		return;
	s->fate[i] = F_DROPPED;
	if (wire_rrsig(&g, r->rdata, r->rdlen) != 0)
		return;
	/* Over an RRset no longer there: the data changed since. */
	if (why == ZSIGN_DROP_ORPHAN)
		zsign_note_changed(s, r->owner, g.covered);
	for (k = 0; k < s->nkey; k++)
		if (s->tag[k] == g.key_tag && s->alg[k] == g.algorithm)
			key = (int)k;
	if ((t = tally(s, g.key_tag, g.algorithm, key)) != NULL)
		t->dropped[why]++;
}

/*
 * Take the RRSIG records out of the zone (and out of where[]), into
 * s->insig: they are the candidates for keeping; the zone is then its
 * data alone.  Malformed ones (RFC 4034 §3.1: the fixed fields and a
 * signer's name) are dropped here and counted.
 */
static int
extract_sigs(struct signer *s)
{
	struct zone *z = s->z;
	size_t i, j = 0, n = 0;

	for (i = 0; i < z->n; i++)
		n += z->rr[i].type == T_RRSIG;
	if ((s->insig = malloc((n ? n : 1) * sizeof(*s->insig))) == NULL ||
	    (s->fate = calloc(n ? n : 1, 1)) == NULL)
		return zsign_oom(s);
	for (i = 0; i < z->n; i++) {
		struct wire_rrsig r;
		if (z->rr[i].type == T_RRSIG) {
			if (wire_rrsig(&r, z->rr[i].rdata, z->rr[i].rdlen) == 0)
				s->insig[s->ninsig++] = z->rr[i];
			else
				s->rep->malformed++;
			continue;
		}
		s->where[j] = s->where[i];
		z->rr[j++] = z->rr[i];
	}
	z->n = j;
	return 0;
}

/* RFC 2181 §5.2: the records of an RRset have one TTL, and a signature
 * covers one (RFC 4034 §3.1.4). */
static int
check_ttls(struct signer *s)
{
	const struct zone *z = s->z;
	char name[DNAME_MAXTEXT], type[16];
	size_t i, j, e;

	for (i = 0; i < z->n; i = e) {
		e = zone_rrset_end(z, i);
		if (s->where[i] != RR_AUTH)
			continue;
		for (j = i + 1; j < e; j++)
			if (z->rr[j].ttl != z->rr[i].ttl) {
				dname_to_text(z->rr[j].owner, name);
				diag_set(s->d, zone_rr_file(z, &z->rr[j]),
				    z->rr[j].line, "%s %s: TTL %u differs from "
				    "the RRset's %u (RFC 2181 section 5.2)",
				    name, rrtype_name(z->rr[j].type, type),
				    z->rr[j].ttl, z->rr[i].ttl);
				return -1;
			}
	}
	return 0;
}

/*
 * The apex DNSKEY RRset: every key in it, which of them are ours, the
 * public keys of the others (to verify their signatures), and whether a
 * key of ours shares its tag and algorithm with another key, here or in
 * the previous zone (then a signature is known to be ours only once it
 * verifies, RFC 4034 Appendix B).
 */
static int
read_dnskeys(struct signer *s)
{
	const struct zone *z = s->z;
	size_t i, k, e, start = zone_find(z, s->apex, T_DNSKEY), rdlen;
	const uint8_t *rd;

	e = start < z->n ? zone_rrset_end(z, start) : start;
	if ((s->dk = calloc(e - start + 1, sizeof(*s->dk))) == NULL)
		return zsign_oom(s);
	for (i = start; i < e; i++) {
		struct dk *d = &s->dk[s->ndk++];
		const struct rr *r = &z->rr[i];
		struct wire_dnskey v;

		d->rdata = r->rdata;
		d->rdlen = r->rdlen;
		d->own = -1;
		if (!dnskey_rdata_ok(r->rdata, r->rdlen) ||
		    wire_dnskey(&v, r->rdata, r->rdlen) != 0)
			continue;
		d->tag = dnskey_tag(r->rdata, r->rdlen);
		d->flags = v.flags;
		d->alg = v.algorithm;
		for (k = 0; k < s->nkey; k++) {
			rd = keyfile_rdata(s->key[k].kf, &rdlen);
			if (rdlen == r->rdlen && memcmp(rd, r->rdata,
			    rdlen) == 0)
				d->own = (int)k;
		}
		if (d->own < 0 && crypto_alg_can_verify(d->alg))
			d->pk = crypto_pubkey_new(d->alg, v.key, v.key_len,
			    NULL);
	}
	for (k = 0; k < s->nkey; k++)
		for (i = 0; i < s->ndk; i++)
			if (s->dk[i].own != (int)k && s->dk[i].rdlen >= 4 &&
			    s->dk[i].tag == s->tag[k] &&
			    s->dk[i].alg == s->alg[k])
				s->collide[k] = true;
	if (s->prev != NULL && s->prev->apex != NULL) {
		const struct zone *pz = s->prev;
		start = zone_find(pz, pz->apex, T_DNSKEY);
		e = start < pz->n ? zone_rrset_end(pz, start) : start;
		for (i = start; i < e; i++) {
			const struct rr *r = &pz->rr[i];
			struct wire_dnskey v;
			if (!dnskey_rdata_ok(r->rdata, r->rdlen) ||
			    wire_dnskey(&v, r->rdata, r->rdlen) != 0)
				continue;
			for (k = 0; k < s->nkey; k++) {
				rd = keyfile_rdata(s->key[k].kf, &rdlen);
				if (dnskey_tag(r->rdata, r->rdlen) ==
				    s->tag[k] && v.algorithm == s->alg[k] &&
				    (rdlen != r->rdlen || memcmp(rd, r->rdata,
				    rdlen) != 0))
					s->collide[k] = true;
			}
		}
	}
	return 0;
}

/*
 * Every key given must be in the apex DNSKEY RRset, and every algorithm
 * of that RRset must be one we sign with: RFC 4035 §2.2 (and RFC 6840
 * §5.11) want every RRset signed with each of them, which no one can do
 * without the keys.  Then the signers of the two kinds of RRsets, per
 * algorithm: the KSKs and the ZSKs, each standing in for the other when
 * an algorithm lacks one.
 */
static int
settle_roles(struct signer *s)
{
	size_t i, k, j;
	bool found, seen;
	char name[DNAME_MAXTEXT];

	for (k = 0; k < s->nkey; k++) {
		for (found = false, i = 0; i < s->ndk; i++)
			found |= s->dk[i].own == (int)k;
		if (!found) {
			diag_set(s->d, keyfile_public_path(s->key[k].kf), 0,
			    "key %u/%u is not in the apex DNSKEY RRset",
			    s->tag[k], s->alg[k]);
			return -1;
		}
	}
	for (i = 0; i < s->ndk; i++) {
		for (found = false, k = 0; k < s->nkey; k++)
			found |= s->alg[k] == s->dk[i].alg;
		if (!found && s->dk[i].rdlen >= 4) {
			dname_to_text(s->apex, name);
			diag_set(s->d, NULL, 0, "%s DNSKEY %u/%u: algorithm "
			    "%u (%s) has no key given: every RRset must be "
			    "signed with each algorithm of the DNSKEY RRset "
			    "(RFC 4035 section 2.2)", name, s->dk[i].tag,
			    s->dk[i].alg, s->dk[i].alg,
			    dnskey_alg_name(s->dk[i].alg));
			return -1;
		}
	}
	for (k = 0; k < s->nkey; k++) {
		bool hasksk = false, haszsk = false;
		for (seen = false, j = 0; j < k; j++)
			seen |= s->alg[j] == s->alg[k];
		if (seen)
			continue;
		for (j = k; j < s->nkey; j++)
			if (s->alg[j] == s->alg[k]) {
				hasksk |= (s->key[j].role & ZSIGN_KSK) != 0;
				haszsk |= (s->key[j].role & ZSIGN_ZSK) != 0;
			}
		for (j = k; j < s->nkey; j++) {
			int role = s->key[j].role;
			if (s->alg[j] != s->alg[k])
				continue;
			if ((role & ZSIGN_KSK) || !hasksk)
				s->kset[s->nkset++] = (int)j;
			if ((role & ZSIGN_ZSK) || !haszsk)
				s->zset[s->nzset++] = (int)j;
		}
	}
	s->rep->no_sep = true;
	for (j = 0; j < (size_t)s->nkset; j++)
		if (keyfile_flags(s->key[s->kset[j]].kf) & DNSKEY_F_SEP)
			s->rep->no_sep = false;
	return 0;
}

/* The public key of our key k, for the sampled verification of the
 * check before output (ZSIGN_FAULT_PUBKEY: that of our next key). */
int
zsign_own_pubkey(struct signer *s, size_t k)
{
	size_t len, from = k;
	const uint8_t *rd;
	struct wire_dnskey v;

#ifdef BK_FAULT
	if (zsign_fault == ZSIGN_FAULT_PUBKEY)
		from = (k + 1) % s->nkey;
#endif
	rd = keyfile_rdata(s->key[from].kf, &len);
	if (wire_dnskey(&v, rd, len) != 0) {
		diag_set(s->d, NULL, 0, "key %u/%u: a malformed DNSKEY",
		    s->tag[from], s->alg[from]);
		return -1;
	}
	s->ownpk[k] = crypto_pubkey_new(s->alg[from], v.key, v.key_len, s->d);
	return s->ownpk[k] == NULL ? -1 : 0;
}

static int
rdata_cmp(const struct ent *a, const struct ent *b)
{
	size_t m = a->rdlen < b->rdlen ? a->rdlen : b->rdlen;
	int c;

	/* Dropped entries have none; they go first and are skipped. */
	if (a->rdata == NULL || b->rdata == NULL)
		return (a->rdata != NULL) - (b->rdata != NULL);
	if ((c = memcmp(a->rdata, b->rdata, m)) != 0)
		return c;
	return (a->rdlen > b->rdlen) - (a->rdlen < b->rdlen);
}

static int
ent_qcmp(const void *a, const void *b)
{
	return rdata_cmp(a, b);
}

/* Add one RRSIG record for the entry, owned by its RRset's owner, with
 * its TTL (RFC 4034 §3); the RDATA stays where it is unless it is the
 * previous zone's. */
static int
add_sig(struct signer *s, const struct ent *e)
{
	struct zone *z = s->z;
	const struct rr src = z->rr[e->set];
	const struct rr *from;
	uint16_t file = 0;
	uint32_t line = 0;
	struct rr *r;

	switch (e->state) {
	case E_KEEP:
	case E_SAME:
		from = &s->insig[e->aux];
		file = from->file;
		line = from->line;
		break;
	case E_REUSE:
		from = &s->prev->rr[e->aux];
		file = zone_file_index(z, zone_rr_file(s->prev, from));
		line = from->line;
		break;
	default:
		file = s->made_file;
	}
	if (e->state == E_REUSE)
		r = zone_add_at(z, src.owner, T_RRSIG, src.rclass, src.ttl,
		    e->rdata, e->rdlen, file, line);
	else if ((r = zone_add_at(z, src.owner, T_RRSIG, src.rclass, src.ttl,
	    NULL, 0, file, line)) != NULL) {
		r->rdata = e->rdata;
		r->rdlen = e->rdlen;
	}
	if (r == NULL)
		return -1;
	r->owner = src.owner;
	return 0;
}

/*
 * Put the signatures in the zone: per name, in canonical order of their
 * RDATA (RFC 4034 §6.3), each once, before the name's first record of a
 * type above RRSIG.
 */
static int
place_sigs(struct signer *s)
{
	struct zone *z = s->z;
	size_t from = z->n, i, j, k, n = 0, *pos;
	int rc;

	if ((pos = malloc((s->nent ? s->nent : 1) * sizeof(*pos))) == NULL)
		return zsign_oom(s);
	for (i = 0; i < s->nent; i = j) {
		const uint8_t *owner = z->rr[s->ent[i].set].owner;
		for (j = i + 1; j < s->nent &&
		    z->rr[s->ent[j].set].owner == owner; j++)
			;
		qsort(s->ent + i, j - i, sizeof(*s->ent), ent_qcmp);
		for (k = i; k < j; k++) {
			const struct ent *e = &s->ent[k];
			if (e->state == E_DROP || (k > i &&
			    s->ent[k - 1].state != E_DROP &&
			    rdata_cmp(&s->ent[k - 1], e) == 0))
				continue;
			if (add_sig(s, e) != 0) {
				free(pos);
				return zsign_oom(s);
			}
			pos[n++] = e->pos;
		}
	}
	rc = zsign_insert_tail(s, from, pos);
	free(pos);
	return rc;
}

/* Count what became of the signatures, per key. */
static void
count(struct signer *s)
{
	struct zsign_tally *t;
	size_t i;

	for (i = 0; i < s->nent; i++) {
		const struct ent *e = &s->ent[i];
		struct wire_rrsig g;
		if (e->state == E_DROP ||
		    wire_rrsig(&g, e->rdata, e->rdlen) != 0 ||
		    (t = tally(s, g.key_tag, g.algorithm,
		    e->key == NO_KEY ? -1 : e->key)) == NULL)
			continue;
		if (e->state == E_REUSE || e->state == E_SAME) {
			t->reused++;
			s->rep->reused++;
		} else if (e->state == E_KEEP) {
			t->kept++;
			s->rep->kept++;
		} else {
			t->made++;
			s->rep->made++;
		}
	}
}

#ifdef BK_FAULT
int zsign_fault;

/* See ZSIGN_FAULT_* in zsign.h: the first new signature, or record of
 * the chain, damaged or taken out. */
static void
inject_fault(struct signer *s)
{
	struct zone *z = s->z;
	size_t i, j;

	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		if (r->type != T_RRSIG || r->file != s->made_file)
			continue;
		if (zsign_fault == ZSIGN_FAULT_SIGNATURE) {
			((uint8_t *)r->rdata)[r->rdlen - 1] ^= 1;
			return;
		}
		if (zsign_fault == ZSIGN_FAULT_UNSIGNED)
			break;
		if (zsign_covered(r) != T_NSEC && zsign_covered(r) != T_NSEC3)
			continue;
		/* The chain record and its signature, at one name. */
		for (j = i + 1; j < z->n && z->rr[j].type != zsign_covered(r);
		    j++)
			;
		memmove(z->rr + j, z->rr + j + 1,
		    (z->n - j - 1) * sizeof(*z->rr));
		z->n--;
		break;
	}
	if (i < z->n) {
		memmove(z->rr + i, z->rr + i + 1,
		    (z->n - i - 1) * sizeof(*z->rr));
		z->n--;
	}
}
#endif

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The time since *t, and *t reset. */
static double
lap(double *t)
{
	double now = seconds(), d = now - *t;

	*t = now;
	return d;
}

int
zsign_run(struct zone *z, const struct zone *prev,
    const struct zsign_key *key, size_t nkey, const struct zsign_params *p,
    struct zsign_report *rep, struct diag *d)
{
	struct signer s;
	double t;
	size_t k;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	memset(rep, 0, sizeof(*rep));
	s.z = z;
	s.prev = prev;
	s.key = key;
	s.nkey = nkey;
	s.p = p;
	s.rep = rep;
	s.d = d;
	s.apex = z->apex;
	s.now = dnstime_wire(p->now);
	s.fresh_until = dnstime_wire(p->now + p->refresh);
	s.threads = p->threads > 0 ? p->threads : workpool_cores();
	pthread_mutex_init(&s.lock, NULL);
	if (nkey == 0 || nkey > ZSIGN_MAXKEYS) {
		diag_set(d, NULL, 0, "between 1 and %d keys", ZSIGN_MAXKEYS);
		goto out;
	}
	for (k = 0; k < nkey; k++) {
		size_t len;
		const uint8_t *rd = keyfile_rdata(key[k].kf, &len);
		s.tag[k] = dnskey_tag(rd, len);
		s.alg[k] = dnskey_algorithm(rd);
		s.siglen[k] = crypto_keyfile_sig_len(key[k].kf);
		(void)tally(&s, s.tag[k], s.alg[k], (int)k);
	}
	s.made_file = zone_file_index(z, "(signed by zresign)");
	t = seconds();
	zone_sort(z);
	if ((s.where = zone_classify(z)) == NULL) {
		zsign_oom(&s);
		goto out;
	}
	if (extract_sigs(&s) != 0 || check_ttls(&s) != 0 ||
	    read_dnskeys(&s) != 0 || settle_roles(&s) != 0 ||
	    zsign_make_scratch(&s) != 0)
		goto out;
	rep->t_prepare = lap(&t);
	if (zsign_build_chain(&s) != 0)
		goto out;
	rep->t_chain = lap(&t);
	if (zsign_plan(&s) != 0)
		goto out;
	rep->t_plan = lap(&t);
	workpool_run(s.nvjob, CHECK_CHUNK, s.threads, zsign_verify_some, &s);
	zsign_resolve(&s);
	rep->t_verify = lap(&t);
	if (zsign_sign_fresh(&s) != 0)
		goto out;
	count(&s);
	rep->t_sign = lap(&t);
	if (place_sigs(&s) != 0)
		goto out;
	rep->t_place = lap(&t);
#ifdef BK_FAULT
	if (zsign_fault != 0)
		inject_fault(&s);
#endif
	if (zsign_self_check(&s) != 0)
		goto out;
	rep->t_check = lap(&t);
	rc = 0;
out:
	zsign_free_scratch(&s);
	for (k = 0; k < s.ndk; k++)
		crypto_pubkey_free(s.dk[k].pk);
	free(s.dk);
	free(s.where);
	free(s.insig);
	free(s.fate);
	free(s.ent);
	free(s.vjob);
	free(s.fresh);
	free(s.off);
	pthread_mutex_destroy(&s.lock);
	return rc;
}
