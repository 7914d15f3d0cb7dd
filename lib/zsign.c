/*
 * See zsign.h.  The steps of zsign_run(), in order:
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

#define SIGN_CHUNK	256	/* signatures made by one thread at once */
#define CHECK_CHUNK	256
#define NAMES_CHUNK	16384	/* records per chunk of the structural pass */
#define PUB_SAMPLE	64	/* one new signature in it verified with the
				   DNSKEY too, see self_check() */

/* The decision about one signature of the output. */
enum {
	E_KEEP,		/* the input's, in the zone's arena */
	E_SAME,		/* the input's, as the previous zone has it */
	E_REUSE,	/* the previous zone's, copied */
	E_FRESH,	/* made now */
	E_PENDING,	/* ours in the input, if one verifies; else fresh */
	E_FOREIGN,	/* another's in the input, if it verifies */
	E_DROP
};

struct ent {
	const uint8_t	*rdata;
	uint32_t	 set, nset;	/* the RRset in the zone */
	uint32_t	 pos;		/* the record it goes before */
	uint32_t	 aux;		/* insig, prev record or vjob */
	uint16_t	 rdlen;
	uint16_t	 naux;		/* vjobs of a pending one */
	uint8_t		 key;		/* ours, or NO_KEY */
	uint8_t		 state;
};

#define NO_KEY		0xff

/* A signature of the input to verify. */
struct vjob {
	uint32_t	 sig;		/* index into insig */
	uint32_t	 set, nset;
	int16_t		 key;		/* ours, or -1: another's */
	int8_t		 ok;
};

/* A key of the apex DNSKEY RRset. */
struct dk {
	const uint8_t		*rdata;
	uint16_t		 rdlen, tag, flags;
	uint8_t			 alg;
	int			 own;	/* index of our key, or -1 */
	struct crypto_pubkey	*pk;	/* another's, or NULL */
};

/* The fate of an input signature. */
enum { F_OPEN, F_TAKEN, F_KEPT, F_DROPPED };

struct signer {
	struct zone			*z;
	const struct zone		*prev;
	const struct zsign_key		*key;
	size_t				 nkey;
	const struct zsign_params	*p;
	struct zsign_report		*rep;
	struct diag			*d;
	uint8_t				*where;
	const uint8_t			*apex;
	uint32_t			 now, fresh_until;
	unsigned			 threads;
	uint16_t			 tag[ZSIGN_MAXKEYS];
	uint8_t				 alg[ZSIGN_MAXKEYS];
	size_t				 siglen[ZSIGN_MAXKEYS];
	bool				 collide[ZSIGN_MAXKEYS];
	int				 kset[ZSIGN_MAXKEYS];
	int				 zset[ZSIGN_MAXKEYS];
	int				 nkset, nzset;
	struct dk			*dk;
	size_t				 ndk;
	struct rr			*insig;
	size_t				 ninsig;
	uint8_t				*fate;
	struct ent			*ent;
	size_t				 nent, capent;
	struct vjob			*vjob;
	size_t				 nvjob, capvjob;
	uint32_t			*fresh;
	size_t				 nfresh;
	uint8_t				*block;	/* new RDATA */
	size_t				*off;
	uint16_t			 made_file;
	struct crypto_selfcheck		**chk;	/* [thread][key] */
	struct crypto_signer		**sg;	/* [thread][key] */
	struct crypto_pubkey		*ownpk[ZSIGN_MAXKEYS];	/* ours */
	uint8_t				**buf;	/* per thread */
	size_t				*bufcap;
	pthread_mutex_t			 lock;
	bool				 failed;
	struct diag			 fail;
};

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

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static int
oom(struct signer *s)
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
static void
drop_sig(struct signer *s, size_t i, enum zsign_drop why)
{
	const struct rr *r = &s->insig[i];
	struct zsign_tally *t;
	int key = -1;
	size_t k;

	if (s->fate[i] == F_DROPPED)
		return;
	s->fate[i] = F_DROPPED;
	if (r->rdlen < RRSIG_FIXED)
		return;
	for (k = 0; k < s->nkey; k++)
		if (s->tag[k] == get16(r->rdata + 16) &&
		    s->alg[k] == r->rdata[2])
			key = (int)k;
	if ((t = tally(s, get16(r->rdata + 16), r->rdata[2], key)) != NULL)
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
		return oom(s);
	for (i = 0; i < z->n; i++) {
		struct rrsig r;
		if (z->rr[i].type == T_RRSIG) {
			if (rrsig_parse(z->rr[i].rdata, z->rr[i].rdlen,
			    &r) == 0)
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
		return oom(s);
	for (i = start; i < e; i++) {
		struct dk *d = &s->dk[s->ndk++];
		const struct rr *r = &z->rr[i];

		d->rdata = r->rdata;
		d->rdlen = r->rdlen;
		d->own = -1;
		if (!dnskey_rdata_ok(r->rdata, r->rdlen))
			continue;
		d->tag = dnskey_tag(r->rdata, r->rdlen);
		d->flags = dnskey_flags(r->rdata);
		d->alg = dnskey_algorithm(r->rdata);
		for (k = 0; k < s->nkey; k++) {
			rd = keyfile_rdata(s->key[k].kf, &rdlen);
			if (rdlen == r->rdlen && memcmp(rd, r->rdata,
			    rdlen) == 0)
				d->own = (int)k;
		}
		if (d->own < 0 && crypto_alg_can_verify(d->alg))
			d->pk = crypto_pubkey_new(d->alg, r->rdata + 4,
			    r->rdlen - 4, NULL);
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
			if (!dnskey_rdata_ok(r->rdata, r->rdlen))
				continue;
			for (k = 0; k < s->nkey; k++) {
				rd = keyfile_rdata(s->key[k].kf, &rdlen);
				if (dnskey_tag(r->rdata, r->rdlen) ==
				    s->tag[k] && r->rdata[3] == s->alg[k] &&
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

/*
 * Put the records appended since from in place: record from + j goes
 * before the zone record pos[j] (an index below from, nondecreasing in
 * j), so that the zone stays in canonical order.  From the back, each
 * block of old records moves once.  where[] follows; the new records
 * are all authoritative.
 */
static int
insert_tail(struct signer *s, size_t from, const size_t *pos)
{
	struct zone *z = s->z;
	size_t k = z->n - from, j, src = from;
	struct rr *tail;
	uint8_t *w;

	if (k == 0) {
		z->sorted = true;
		return 0;
	}
	if ((w = realloc(s->where, z->n)) == NULL)
		return oom(s);
	s->where = w;
	if ((tail = malloc(k * sizeof(*tail))) == NULL)
		return oom(s);
	memcpy(tail, z->rr + from, k * sizeof(*tail));
	for (j = k; j > 0; j--) {
		size_t p = pos[j - 1];
		memmove(z->rr + p + j, z->rr + p, (src - p) * sizeof(*tail));
		memmove(w + p + j, w + p, src - p);
		z->rr[p + j - 1] = tail[j - 1];
		w[p + j - 1] = RR_AUTH;
		src = p;
	}
	free(tail);
	z->sorted = true;
	return 0;
}

/* The NSEC or NSEC3 chain (nsecchain.h), in place.  Its TTL is the
 * smaller of the SOA's TTL and MINIMUM (RFC 9077 §3, RFC 4034 §4). */
static int
build_chain(struct signer *s)
{
	struct nsecchain_params cp;
	struct nsecchain_stats st;
	const struct zone *z = s->z;
	size_t soa = zone_find(z, s->apex, T_SOA), from = z->n, *pos;
	const struct rr *r = &z->rr[soa];
	uint32_t min;
	int rc;

	memset(&cp, 0, sizeof(cp));
	cp.nsec3 = s->p->nsec3;
	cp.optout = s->p->optout;
	cp.iterations = s->p->iterations;
	cp.saltlen = s->p->saltlen;
	memcpy(cp.salt, s->p->salt, s->p->saltlen);
	cp.threads = s->threads;
	min = r->rdlen >= 4 ? get32(r->rdata + r->rdlen - 4) : r->ttl;
	cp.ttl = r->ttl < min ? r->ttl : min;
	if (nsecchain_build(s->z, s->where, &cp, &pos, &st, s->d) != 0)
		return -1;
	rc = insert_tail(s, from, pos);
	free(pos);
	s->rep->chain = st.records;
	s->rep->ents = st.ents;
	s->rep->optout = st.optout;
	return rc;
}

static struct ent *
new_ent(struct signer *s, size_t set, size_t nset, size_t pos, int key,
    int state)
{
	struct ent *e;

	if (s->nent == s->capent) {
		size_t cap = s->capent ? 2 * s->capent : 4096;
		if ((e = realloc(s->ent, cap * sizeof(*e))) == NULL)
			return NULL;
		s->ent = e;
		s->capent = cap;
	}
	e = &s->ent[s->nent++];
	memset(e, 0, sizeof(*e));
	e->set = (uint32_t)set;
	e->nset = (uint32_t)nset;
	e->pos = (uint32_t)pos;
	e->key = key < 0 ? NO_KEY : (uint8_t)key;
	e->state = (uint8_t)state;
	return e;
}

static int
new_vjob(struct signer *s, size_t sig, size_t set, size_t nset, int key)
{
	struct vjob *v;

	if (s->nvjob == s->capvjob) {
		size_t cap = s->capvjob ? 2 * s->capvjob : 1024;
		if ((v = realloc(s->vjob, cap * sizeof(*v))) == NULL)
			return -1;
		s->vjob = v;
		s->capvjob = cap;
	}
	v = &s->vjob[s->nvjob++];
	v->sig = (uint32_t)sig;
	v->set = (uint32_t)set;
	v->nset = (uint32_t)nset;
	v->key = (int16_t)key;
	v->ok = 0;
	return 0;
}

/* The RRSIG fields a signature over the RRset at set must have: covered
 * type, the apex as signer, the Labels of the owner (RFC 4034 §3.1.3,
 * a wildcard's one less) and the RRset's TTL as Original TTL. */
static bool
fields_ok(const struct signer *s, const struct rr *sig, const struct rr *set)
{
	struct rrsig r;

	return rrsig_parse(sig->rdata, sig->rdlen, &r) == 0 &&
	    r.covered == set->type && dname_equal(r.signer, s->apex) &&
	    r.labels == dname_rrsig_labels(set->owner) &&
	    r.original_ttl == set->ttl;
}

/* Valid now and still beyond the refresh window: worth keeping (RFC
 * 1982 arithmetic, as RFC 4034 §3.1.5 asks). */
static bool
lasts(const struct signer *s, const uint8_t *rd)
{
	int a = serial_cmp(get32(rd + 12), s->now);
	int b = serial_cmp(get32(rd + 8), s->fresh_until);

	return (a == -1 || a == 0) && (b == 1 || b == 0);
}

static bool
valid_now(const struct signer *s, const uint8_t *rd)
{
	return dnstime_within(get32(rd + 12), get32(rd + 8), s->p->now);
}

static bool
same_rrset(const struct rr *a, size_t na, const struct rr *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].ttl != b[i].ttl || a[i].rclass != b[i].rclass ||
		    a[i].rdlen != b[i].rdlen || (a[i].rdlen > 0 &&
		    memcmp(a[i].rdata, b[i].rdata, a[i].rdlen) != 0))
			return false;
	return true;
}

/* The previous zone's name matching the owner: [*p0, *p1). */
struct cursor {
	size_t	i;
};

static void
prev_name(const struct zone *pz, struct cursor *c, const uint8_t *owner,
    size_t *p0, size_t *p1)
{
	int cmp = -1;

	while (c->i < pz->n &&
	    (cmp = dname_canon_cmp(pz->rr[c->i].owner, owner)) < 0)
		c->i = zone_name_end(pz, c->i);
	*p0 = *p1 = c->i;
	if (c->i < pz->n && cmp == 0)
		*p1 = zone_name_end(pz, c->i);
}

/* In the records [a, b) of one name, the run of type t. */
static void
type_run(const struct rr *rr, size_t a, size_t b, uint16_t t, size_t *r0,
    size_t *r1)
{
	while (a < b && rr[a].type < t)
		a++;
	*r0 = a;
	while (a < b && rr[a].type == t)
		a++;
	*r1 = a;
}

/* The type an RRSIG covers; 0 for one too short to be an RRSIG (the
 * previous zone is not checked like the input). */
static uint16_t
covered(const struct rr *r)
{
	return r->rdlen > RRSIG_FIXED ? get16(r->rdata) : 0;
}

/*
 * The RRset at set in the previous zone, whose name there is [p0, p1):
 * whether it is the same byte for byte, and the range of that name's
 * RRSIGs there that cover its type.
 */
struct prevset {
	bool	 same;
	size_t	 g0, g1;
};

static void
prev_set(const struct signer *s, size_t p0, size_t p1, size_t set,
    size_t nset, struct prevset *ps)
{
	const struct zone *pz = s->prev;
	const struct rr *r = &s->z->rr[set];
	size_t a, b;

	ps->same = false;
	ps->g0 = ps->g1 = 0;
	if (pz == NULL || p0 == p1)
		return;
	type_run(pz->rr, p0, p1, r->type, &a, &b);
	ps->same = same_rrset(r, nset, pz->rr + a, b - a);
	type_run(pz->rr, p0, p1, T_RRSIG, &a, &b);
	while (a < b && covered(&pz->rr[a]) < r->type)
		a++;
	ps->g0 = a;
	while (a < b && covered(&pz->rr[a]) == r->type)
		a++;
	ps->g1 = a;
}

/*
 * The previous zone's signature by key k over an RRset that is byte for
 * byte the same there, valid beyond the refresh window: the index of the
 * RRSIG record, or (size_t)-1.  Not for a key whose tag another key
 * shares: that signature might be the other key's.
 */
static size_t
prev_sig(struct signer *s, const struct prevset *ps, size_t set, int k)
{
	const struct zone *pz = s->prev;
	const struct rr *r = &s->z->rr[set];
	size_t i;

	if (!ps->same || s->collide[k])
		return (size_t)-1;
	for (i = ps->g0; i < ps->g1; i++) {
		const uint8_t *rd = pz->rr[i].rdata;
		if (rd[2] == s->alg[k] && get16(rd + 16) == s->tag[k] &&
		    fields_ok(s, &pz->rr[i], r) && lasts(s, rd))
			return i;
	}
	return (size_t)-1;
}

/* Is this input signature one of the previous zone's over the RRset as
 * it was there, now changed?  Then it cannot verify: no need to try. */
static bool
stale(const struct signer *s, const struct prevset *ps, const struct rr *sig)
{
	size_t i;

	if (s->prev == NULL || ps->same)
		return false;
	for (i = ps->g0; i < ps->g1; i++)
		if (s->prev->rr[i].rdlen == sig->rdlen &&
		    memcmp(s->prev->rr[i].rdata, sig->rdata, sig->rdlen) == 0)
			return true;
	return false;
}

static bool
is_key_rrset(const struct signer *s, const struct rr *r)
{
	return (r->type == T_DNSKEY || r->type == T_CDS ||
	    r->type == T_CDNSKEY) && dname_equal(r->owner, s->apex);
}

/* Is there a key of another in the DNSKEY RRset with this tag and
 * algorithm? */
static bool
other_key(const struct signer *s, uint16_t tag, uint8_t alg)
{
	size_t i;

	for (i = 0; i < s->ndk; i++)
		if (s->dk[i].own < 0 && s->dk[i].rdlen >= 4 &&
		    s->dk[i].tag == tag && s->dk[i].alg == alg)
			return true;
	return false;
}

/*
 * Another operator's signature over the RRset at set: the policy says
 * whether it may stay; if so it is verified later (an E_FOREIGN entry).
 */
static int
consider_foreign(struct signer *s, size_t i, size_t set, size_t nset,
    size_t pos)
{
	const struct rr *sig = &s->insig[i], *r = &s->z->rr[set];
	const uint8_t *rd = sig->rdata;
	struct ent *e;

	if (s->p->foreign == ZSIGN_FOREIGN_STRIP ||
	    (s->p->foreign == ZSIGN_FOREIGN_EXCHANGE && !is_key_rrset(s, r))) {
		drop_sig(s, i, ZSIGN_DROP_POLICY);
		return 0;
	}
	if (!fields_ok(s, sig, r)) {
		drop_sig(s, i, ZSIGN_DROP_FIELDS);
		return 0;
	}
	if (!valid_now(s, rd)) {
		drop_sig(s, i, ZSIGN_DROP_TIME);
		return 0;
	}
	if (!other_key(s, get16(rd + 16), rd[2])) {
		drop_sig(s, i, ZSIGN_DROP_NOKEY);
		return 0;
	}
	if ((e = new_ent(s, set, nset, pos, -1, E_FOREIGN)) == NULL ||
	    new_vjob(s, i, set, nset, -1) != 0)
		return oom(s);
	e->aux = (uint32_t)(s->nvjob - 1);
	e->naux = 1;
	s->fate[i] = F_TAKEN;
	return 0;
}

/*
 * The signatures of one RRset, records [set, set + nset), whose input
 * signatures are insig[g0, g1) (those of its name covering its type)
 * and whose name in the previous zone is [p0, p1): for each key that
 * must sign it, keep the previous zone's signature, or verify the
 * input's, or sign; then the other signatures of the input.
 */
static int
plan_rrset(struct signer *s, size_t set, size_t nset, size_t g0, size_t g1,
    size_t p0, size_t p1, size_t pos)
{
	const struct rr *r = &s->z->rr[set];
	const int *signers = is_key_rrset(s, r) ? s->kset : s->zset;
	int nsigners = is_key_rrset(s, r) ? s->nkset : s->nzset, j, k;
	struct prevset ps;
	size_t i, pi, first;
	struct ent *e;

	s->rep->rrsets++;
	prev_set(s, p0, p1, set, nset, &ps);
	for (j = 0; j < nsigners; j++) {
		k = signers[j];
		if ((pi = prev_sig(s, &ps, set, k)) != (size_t)-1) {
			if ((e = new_ent(s, set, nset, pos, k, E_REUSE)) ==
			    NULL)
				return oom(s);
			e->aux = (uint32_t)pi;
			e->rdata = s->prev->rr[pi].rdata;
			e->rdlen = s->prev->rr[pi].rdlen;
			/* The same signature in the input is the same
			 * bytes: keep that copy. */
			for (i = g0; i < g1; i++)
				if (s->fate[i] == F_OPEN &&
				    s->insig[i].rdlen == e->rdlen &&
				    memcmp(s->insig[i].rdata, e->rdata,
				    e->rdlen) == 0) {
					e->state = E_SAME;
					e->aux = (uint32_t)i;
					e->rdata = s->insig[i].rdata;
					s->fate[i] = F_KEPT;
					break;
				}
			continue;
		}
		first = s->nvjob;
		for (i = g0; i < g1; i++) {
			const uint8_t *rd = s->insig[i].rdata;
			if (s->fate[i] != F_OPEN || rd[2] != s->alg[k] ||
			    get16(rd + 16) != s->tag[k] ||
			    !fields_ok(s, &s->insig[i], r) || !lasts(s, rd) ||
			    stale(s, &ps, &s->insig[i]))
				continue;
			if (new_vjob(s, i, set, nset, k) != 0)
				return oom(s);
		}
		if ((e = new_ent(s, set, nset, pos, k, first < s->nvjob ?
		    E_PENDING : E_FRESH)) == NULL)
			return oom(s);
		e->aux = (uint32_t)first;
		e->naux = (uint16_t)(s->nvjob - first);
		for (i = first; i < s->nvjob; i++)
			s->fate[s->vjob[i].sig] = F_TAKEN;
	}
	/* The rest of the input's signatures over this RRset. */
	for (i = g0; i < g1; i++) {
		const uint8_t *rd = s->insig[i].rdata;
		bool ours = false;
		if (s->fate[i] != F_OPEN)
			continue;
		for (k = 0; k < (int)s->nkey; k++)
			ours |= rd[2] == s->alg[k] &&
			    get16(rd + 16) == s->tag[k];
		if (ours && !other_key(s, get16(rd + 16), rd[2]))
			drop_sig(s, i, ZSIGN_DROP_REPLACED);
		else if (consider_foreign(s, i, set, nset, pos) != 0)
			return -1;
	}
	return 0;
}

/* The input's signatures at one name, insig[*c .. ) up to the owner;
 * those of earlier names cover nothing left in the zone. */
static void
insig_name(struct signer *s, size_t *c, const uint8_t *owner, size_t *g0,
    size_t *g1)
{
	int cmp = -1;

	while (*c < s->ninsig &&
	    (cmp = dname_canon_cmp(s->insig[*c].owner, owner)) < 0)
		drop_sig(s, (*c)++, ZSIGN_DROP_ORPHAN);
	*g0 = *c;
	if (cmp == 0)
		while (*c < s->ninsig && (s->insig[*c].owner == owner ||
		    dname_equal(s->insig[*c].owner, owner)))
			(*c)++;
	*g1 = *c;
}

/*
 * The walk: every authoritative RRset of the zone (RFC 4035 §2.2; not a
 * delegation's NS, not glue, not what a cut or a DNAME hides) is planned
 * with the input's and the previous zone's signatures of its name.
 */
static int
plan(struct signer *s)
{
	const struct zone *z = s->z;
	struct cursor pc = { 0 };
	size_t i, e, a, b, c = 0, g0, g1, t0, t1, p0 = 0, p1 = 0, pos, k;

	for (i = 0; i < z->n; i = e) {
		const uint8_t *owner = z->rr[i].owner;

		e = zone_name_end(z, i);
		insig_name(s, &c, owner, &g0, &g1);
		if (s->prev != NULL)
			prev_name(s->prev, &pc, owner, &p0, &p1);
		for (pos = i; pos < e && z->rr[pos].type < T_RRSIG; pos++)
			;
		for (a = i; a < e; a = b) {
			b = zone_rrset_end(z, a);
			if (s->where[a] != RR_AUTH)
				continue;
			/* Input signatures are sorted by RDATA, whose first
			 * field is the type covered. */
			for (t0 = g0; t0 < g1 &&
			    get16(s->insig[t0].rdata) < z->rr[a].type; t0++)
				;
			for (t1 = t0; t1 < g1 &&
			    get16(s->insig[t1].rdata) == z->rr[a].type; t1++)
				;
			if (plan_rrset(s, a, b - a, t0, t1, p0, p1, pos) != 0)
				return -1;
		}
		for (k = g0; k < g1; k++)
			if (s->fate[k] == F_OPEN)
				drop_sig(s, k, ZSIGN_DROP_ORPHAN);
	}
	while (c < s->ninsig)
		drop_sig(s, c++, ZSIGN_DROP_ORPHAN);
	return 0;
}

/* The public key of our key k, for the sampled verification of the
 * check before output (ZSIGN_FAULT_PUBKEY: that of our next key). */
static int
own_pubkey(struct signer *s, size_t k)
{
	size_t len, from = k;
	const uint8_t *rd;

#ifdef BK_FAULT
	if (zsign_fault == ZSIGN_FAULT_PUBKEY)
		from = (k + 1) % s->nkey;
#endif
	rd = keyfile_rdata(s->key[from].kf, &len);
	s->ownpk[k] = crypto_pubkey_new(s->alg[from], rd + 4, len - 4, s->d);
	return s->ownpk[k] == NULL ? -1 : 0;
}

/* Per-thread scratch: a buffer for signed data and, per key, a signer
 * (crypto_signer) and a checker (crypto_selfcheck). */
static int
make_scratch(struct signer *s)
{
	size_t n = (size_t)s->threads * s->nkey, i;

	if ((s->buf = calloc(s->threads, sizeof(*s->buf))) == NULL ||
	    (s->bufcap = calloc(s->threads, sizeof(*s->bufcap))) == NULL ||
	    (s->chk = calloc(n, sizeof(*s->chk))) == NULL ||
	    (s->sg = calloc(n, sizeof(*s->sg))) == NULL)
		return oom(s);
	for (i = 0; i < n; i++)
		if ((s->chk[i] = crypto_selfcheck_new(s->key[i % s->nkey].kf,
		    s->d)) == NULL ||
		    (s->sg[i] = crypto_signer_new(s->key[i % s->nkey].kf,
		    s->d)) == NULL)
			return -1;
	for (i = 0; i < s->nkey; i++)
		if (own_pubkey(s, i) != 0)
			return -1;
	return 0;
}

static void
free_scratch(struct signer *s)
{
	size_t i;

	if (s->chk != NULL)
		for (i = 0; i < (size_t)s->threads * s->nkey; i++)
			crypto_selfcheck_free(s->chk[i]);
	if (s->sg != NULL)
		for (i = 0; i < (size_t)s->threads * s->nkey; i++)
			crypto_signer_free(s->sg[i]);
	free(s->sg);
	for (i = 0; i < s->nkey; i++)
		crypto_pubkey_free(s->ownpk[i]);
	if (s->buf != NULL)
		for (i = 0; i < s->threads; i++)
			free(s->buf[i]);
	free(s->chk);
	free(s->buf);
	free(s->bufcap);
}

static void
thread_fail(struct signer *s, const char *fmt, const uint8_t *owner,
    uint16_t type)
{
	char name[DNAME_MAXTEXT], t[16];

	pthread_mutex_lock(&s->lock);
	if (!s->failed) {
		s->failed = true;
		dname_to_text(owner, name);
		diag_set(&s->fail, NULL, 0, fmt, name, rrtype_name(type, t));
	}
	pthread_mutex_unlock(&s->lock);
}

/* A signature not made: the signer's reason (a token's return code,
 * pkcs11.h) when it has one. */
static void
sign_fail(struct signer *s, const struct crypto_signer *sg,
    const struct rr *set)
{
	const char *why = crypto_signer_error(sg);
	char fmt[2 * sizeof(s->fail.msg) + 32];
	size_t o;

	/* The reason goes into thread_fail()'s format: its '%' doubled. */
	o = (size_t)snprintf(fmt, sizeof(fmt), "%%s %%s: signing failed%s",
	    *why ? ": " : "");
	for (; *why != '\0' && o + 3 < sizeof(fmt); why++) {
		if (*why == '%')
			fmt[o++] = '%';
		fmt[o++] = *why;
	}
	fmt[o] = '\0';
	thread_fail(s, fmt, set->owner, set->type);
}

/*
 * Checks of our own signatures in batches (crypto_selfcheck_add()): per
 * key, the places where the answers go.
 */
struct batch {
	int8_t	*slot[ZSIGN_MAXKEYS][CRYPTO_SELFCHECK_BATCH];
	size_t	 n[ZSIGN_MAXKEYS];
};

static void
batch_run(struct signer *s, unsigned thread, struct batch *b, size_t k)
{
	int8_t ok[CRYPTO_SELFCHECK_BATCH];
	size_t i, n;

	n = crypto_selfcheck_run(s->chk[thread * s->nkey + k], ok);
	for (i = 0; i < n && i < b->n[k]; i++)
		*b->slot[k][i] = ok[i];
	b->n[k] = 0;
}

static void
batch_add(struct signer *s, unsigned thread, struct batch *b, size_t k,
    const uint8_t *data, size_t len, const struct rrsig *r, int8_t *slot)
{
	struct crypto_selfcheck *c = s->chk[thread * s->nkey + k];

	if (b->n[k] == CRYPTO_SELFCHECK_BATCH)
		batch_run(s, thread, b, k);
	(void)crypto_selfcheck_add(c, data, len, r->sig, r->sig_len);
	b->slot[k][b->n[k]++] = slot;
}

static void
batch_finish(struct signer *s, unsigned thread, struct batch *b)
{
	size_t k;

	for (k = 0; k < s->nkey; k++)
		if (b->n[k] > 0)
			batch_run(s, thread, b, k);
}

/* Our key with this tag and algorithm: its index, -1 for none, -2 when
 * two of ours share them (then each is tried in turn). */
static int
own_key(const struct signer *s, uint16_t tag, uint8_t alg)
{
	size_t k;
	int found = -1;

	for (k = 0; k < s->nkey; k++)
		if (s->tag[k] == tag && s->alg[k] == alg)
			found = found == -1 ? (int)k : -2;
	return found;
}

/* A signature that two keys of ours could have made: each tried. */
static int8_t
check_each(struct signer *s, unsigned thread, const uint8_t *data,
    size_t len, const struct rrsig *r)
{
	size_t k;

	for (k = 0; k < s->nkey; k++)
		if (s->tag[k] == r->key_tag && s->alg[k] == r->algorithm &&
		    crypto_selfcheck(s->chk[thread * s->nkey + k], data, len,
		    r->sig, r->sig_len))
			return 1;
	return 0;
}

/* Verify input signatures: ours with the key pair, another's with every
 * key of the DNSKEY RRset that has its tag and algorithm. */
static void
verify_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct signer *s = arg;
	struct batch b;
	size_t i, j, len;
	struct rrsig r;

	memset(b.n, 0, sizeof(b.n));
	for (i = begin; i < end; i++) {
		struct vjob *v = &s->vjob[i];
		const struct rr *sig = &s->insig[v->sig];

		v->ok = 0;
		if (rrsig_parse(sig->rdata, sig->rdlen, &r) != 0 ||
		    rrsig_signed_data(&r, &s->z->rr[v->set], v->nset,
		    &s->buf[thread], &s->bufcap[thread], &len) != 0)
			continue;
		if (v->key >= 0) {
			batch_add(s, thread, &b, (size_t)v->key, s->buf[thread],
			    len, &r, &v->ok);
			continue;
		}
		for (j = 0; j < s->ndk && !v->ok; j++)
			if (s->dk[j].own < 0 && s->dk[j].pk != NULL &&
			    s->dk[j].tag == r.key_tag &&
			    s->dk[j].alg == r.algorithm)
				v->ok = (int8_t)crypto_pubkey_verify(
				    s->dk[j].pk, s->buf[thread], len, r.sig,
				    r.sig_len);
	}
	batch_finish(s, thread, &b);
}

/*
 * After verification: a pending entry keeps the first of its candidates
 * that verifies, or is signed afresh; another's signature stays if it
 * verified.  A signature two entries could keep (its tag is ours and
 * another's) stays once.  Candidates not kept are counted as dropped.
 */
static void
resolve(struct signer *s)
{
	size_t i, j;

	for (i = 0; i < s->nent; i++) {
		struct ent *e = &s->ent[i];
		size_t first = e->aux, end = first + e->naux;
		if (e->state != E_PENDING && e->state != E_FOREIGN)
			continue;
		for (j = first; j < end; j++) {
			const struct vjob *v = &s->vjob[j];
			if (v->ok && s->fate[v->sig] == F_TAKEN &&
			    e->rdata == NULL) {
				e->rdata = s->insig[v->sig].rdata;
				e->rdlen = s->insig[v->sig].rdlen;
				e->aux = v->sig;
				s->fate[v->sig] = F_KEPT;
			}
		}
		if (e->rdata != NULL) {
			e->naux = 0;
			e->state = E_KEEP;
		} else
			e->state = e->state == E_PENDING ? E_FRESH : E_DROP;
	}
	for (j = 0; j < s->nvjob; j++) {
		const struct vjob *v = &s->vjob[j];
		if (s->fate[v->sig] == F_TAKEN)
			drop_sig(s, v->sig, v->ok ? ZSIGN_DROP_REPLACED :
			    ZSIGN_DROP_BAD);
	}
}

/*
 * The jitter of a signature's expiration: a keyed hash (SipHash-2-4) of
 * owner, type and key under the seed, so that it is spread but the same
 * in every run and on any number of threads.
 */
static uint32_t
jitter(const struct signer *s, const struct rr *r, int k)
{
	uint8_t in[DNAME_MAXLEN + 5], h[crypto_shorthash_BYTES];
	size_t n = dname_len(r->owner);
	uint64_t v = 0;
	int i;

	if (s->p->jitter == 0)
		return 0;
	memcpy(in, r->owner, n);
	in[n] = (uint8_t)(r->type >> 8);
	in[n + 1] = (uint8_t)r->type;
	in[n + 2] = (uint8_t)(s->tag[k] >> 8);
	in[n + 3] = (uint8_t)s->tag[k];
	in[n + 4] = s->alg[k];
	crypto_shorthash(h, in, n + 5, s->p->seed);
	for (i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return (uint32_t)(v % ((uint64_t)s->p->jitter + 1));
}

/* Make the new signatures: RRSIG RDATA (RFC 4034 §3.1) into the block,
 * each at its own offset; the signature fields are all written when
 * the thread's signers have run. */
static void
sign_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct signer *s = arg;
	struct crypto_signer **sg = s->sg + (size_t)thread * s->nkey;
	struct rrsig r;
	const struct rr *last = NULL;
	size_t i, len, hl, j;

	for (i = begin; i < end && !s->failed; i++) {
		struct ent *e = &s->ent[s->fresh[i]];
		const struct rr *set = &s->z->rr[e->set];
		uint8_t *out = s->block + s->off[i];
		int k = e->key;

		memset(&r, 0, sizeof(r));
		r.covered = set->type;
		r.algorithm = s->alg[k];
		r.labels = (uint8_t)dname_rrsig_labels(set->owner);
		r.original_ttl = set->ttl;
		r.expiration = (is_key_rrset(s, set) ? s->p->key_expiration :
		    s->p->expiration) - jitter(s, set, k);
		r.inception = s->p->inception;
		r.key_tag = s->tag[k];
		r.signer = s->apex;
		r.signer_len = dname_len(s->apex);
		if (rrsig_signed_data(&r, set, e->nset, &s->buf[thread],
		    &s->bufcap[thread], &len) != 0) {
			thread_fail(s, "%s %s: out of memory", set->owner,
			    set->type);
			return;
		}
		hl = rrsig_header(&r, out);
		if (hl + s->siglen[k] > s->off[i + 1] - s->off[i] ||
		    crypto_signer_add(sg[k], s->buf[thread], len,
		    out + hl) != 0) {
			sign_fail(s, sg[k], set);
			return;
		}
		e->rdata = out;
		e->rdlen = (uint16_t)(hl + s->siglen[k]);
		last = set;
	}
	for (j = 0; j < s->nkey && last != NULL; j++)
		if (crypto_signer_run(sg[j]) != 0) {
			thread_fail(s, "%s %s: signing failed (or an RRset "
			    "signed just before it)", last->owner, last->type);
			return;
		}
}

/*
 * Chunks small enough for the threads to finish together when signing
 * is slow: with a key in a token, a chunk of 256 is a fifth of a second
 * of SoftHSM's ECDSA, and the thread that takes the last one works on
 * alone.  At least 64, an ECDSA batch (ecdsa.h), so that a key file's
 * batches stay full.
 */
static size_t
sign_chunk(const struct signer *s)
{
	size_t c = s->nfresh / ((size_t)s->threads * 32);

	return c < 64 ? 64 : c > SIGN_CHUNK ? SIGN_CHUNK : c;
}

static int
sign_fresh(struct signer *s)
{
	size_t i, n = 0, total = 0, alen = dname_len(s->apex);

	for (i = 0; i < s->nent; i++)
		n += s->ent[i].state == E_FRESH;
	if ((s->fresh = malloc((n ? n : 1) * sizeof(*s->fresh))) == NULL ||
	    (s->off = malloc((n + 1) * sizeof(*s->off))) == NULL)
		return oom(s);
	for (i = 0; i < s->nent; i++)
		if (s->ent[i].state == E_FRESH) {
			s->off[s->nfresh] = total;
			s->fresh[s->nfresh++] = (uint32_t)i;
			total += RRSIG_FIXED + alen +
			    s->siglen[s->ent[i].key];
		}
	s->off[s->nfresh] = total;
	if (n == 0)
		return 0;
	/* The signatures live as long as the zone, in its arena. */
	if ((s->block = arena_alloc(s->z->arena, total)) == NULL)
		return oom(s);
	workpool_run(s->nfresh, sign_chunk(s), s->threads, sign_some, s);
	if (s->failed) {
		*s->d = s->fail;
		return -1;
	}
	return 0;
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
		return oom(s);
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
				return oom(s);
			}
			pos[n++] = e->pos;
		}
	}
	rc = insert_tail(s, from, pos);
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
		if (e->state == E_DROP || e->rdlen < RRSIG_FIXED ||
		    (t = tally(s, get16(e->rdata + 16), e->rdata[2],
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
	char name[DNAME_MAXTEXT], type[16], covered[16], msg[512];
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
	if (r->type == T_RRSIG && r->rdlen > RRSIG_FIXED)
		diag_set(&c->first, NULL, 0, "%s RRSIG %s by key %u/%u: %s",
		    name, rrtype_name(get16(r->rdata), covered),
		    get16(r->rdata + 16), r->rdata[2], msg);
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
	struct rrsig r;
	int k;

	memset(b.n, 0, sizeof(b.n));
	for (i = begin; i < end; i++) {
		struct cjob *j = &c->job[i];
		const struct rr *sig = &s->z->rr[j->sig];

		j->ok = 0;
		j->pub = 1;
		if (rrsig_parse(sig->rdata, sig->rdlen, &r) != 0 ||
		    rrsig_signed_data(&r, &s->z->rr[j->set], j->nset,
		    &s->buf[thread], &s->bufcap[thread], &len) != 0)
			continue;
		if ((k = own_key(s, r.key_tag, r.algorithm)) >= 0) {
			batch_add(s, thread, &b, (size_t)k, s->buf[thread], len,
			    &r, &j->ok);
			if (i % PUB_SAMPLE == 0)
				j->pub = (int8_t)crypto_pubkey_verify(
				    s->ownpk[k], s->buf[thread], len, r.sig,
				    r.sig_len);
		} else if (k == -2)
			j->ok = check_each(s, thread, s->buf[thread], len, &r);
	}
	batch_finish(s, thread, &b);
}

/* Is the signature at sig a good one over the RRset at set, of alg, by a
 * key of the DNSKEY RRset, valid now? */
static bool
sig_ok(const struct checker *c, const struct rr *sig, const struct rr *set)
{
	const struct signer *s = c->s;
	const uint8_t *rd = sig->rdata;
	size_t i;

	if (!fields_ok(s, sig, set) || sig->ttl != set->ttl ||
	    !valid_now(s, rd))
		return false;
	for (i = 0; i < s->ndk; i++)
		if (s->dk[i].rdlen >= 4 && s->dk[i].tag == get16(rd + 16) &&
		    s->dk[i].alg == rd[2])
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

	type_run(z->rr, i, e, T_RRSIG, &g0, &g1);
	for (a = i; a < e; a = b) {
		const struct rr *r = &z->rr[a];
		b = zone_rrset_end(z, a);
		if (r->type == T_RRSIG)
			continue;
		if (c->where[a] != RR_AUTH) {
			for (k = g0; k < g1; k++)
				if (get16(z->rr[k].rdata) == r->type)
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
				good = get16(z->rr[k].rdata) == r->type &&
				    z->rr[k].rdata[2] == alg &&
				    sig_ok(c, &z->rr[k], r);
			if (!good)
				problem(c, r, "no valid signature of algorithm "
				    "%zu (RFC 4035 section 2.2)", alg);
		}
		for (k = g0; k < g1; k++)
			if (z->rr[k].file == s->made_file &&
			    get16(z->rr[k].rdata) == r->type &&
			    add_cjob(p, k, a, b - a) != 0)
				return -1;
	}
	for (k = g0; k < g1; k++) {
		uint16_t t = get16(z->rr[k].rdata);
		type_run(z->rr, i, e, t, &a, &b);
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
		return oom(s);
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
			return oom(c->s);
		n += c->part[t].n;
	}
	if ((c->job = malloc((n ? n : 1) * sizeof(*c->job))) == NULL)
		return oom(c->s);
	for (t = 0; t < c->s->threads; t++) {
		if (c->part[t].n > 0)
			memcpy(c->job + c->njob, c->part[t].job,
			    c->part[t].n * sizeof(*c->job));
		c->njob += c->part[t].n;
	}
	qsort(c->job, c->njob, sizeof(*c->job), job_cmp);
	return 0;
}

static int
self_check(struct signer *s)
{
	struct checker c;
	uint8_t *where;
	size_t i;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.s = s;
	pthread_mutex_init(&c.lock, NULL);
	if ((where = zone_classify(s->z)) == NULL)
		return oom(s);
	c.where = where;
	for (i = 0; i < s->ndk; i++)
		if (s->dk[i].rdlen >= 4 && !c.algs[s->dk[i].alg]) {
			c.algs[s->dk[i].alg] = 1;
			c.alg[c.nalg++] = s->dk[i].alg;
		}
	if ((c.part = calloc(s->threads, sizeof(*c.part))) == NULL) {
		oom(s);
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
		if (get16(r->rdata) != T_NSEC && get16(r->rdata) != T_NSEC3)
			continue;
		/* The chain record and its signature, at one name. */
		for (j = i + 1; j < z->n && z->rr[j].type != get16(r->rdata);
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
		oom(&s);
		goto out;
	}
	if (extract_sigs(&s) != 0 || check_ttls(&s) != 0 ||
	    read_dnskeys(&s) != 0 || settle_roles(&s) != 0 ||
	    make_scratch(&s) != 0)
		goto out;
	rep->t_prepare = lap(&t);
	if (build_chain(&s) != 0)
		goto out;
	rep->t_chain = lap(&t);
	if (plan(&s) != 0)
		goto out;
	rep->t_plan = lap(&t);
	workpool_run(s.nvjob, CHECK_CHUNK, s.threads, verify_some, &s);
	resolve(&s);
	rep->t_verify = lap(&t);
	if (sign_fresh(&s) != 0)
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
	if (self_check(&s) != 0)
		goto out;
	rep->t_check = lap(&t);
	rc = 0;
out:
	free_scratch(&s);
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
