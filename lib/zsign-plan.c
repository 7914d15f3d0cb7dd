/*
 * Planning what to sign: the walk over the zone, with the input's
 * signatures and the previous zone side by side, that decides for every
 * signed RRset (RFC 4035 §2.2) and every key what to keep, what to verify
 * first and what to sign now.
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

bool
zsign_is_key_rrset(const struct signer *s, const struct rr *r)
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
	struct wire_rrsig g;
	struct ent *e;

	if (s->p->foreign == ZSIGN_FOREIGN_STRIP ||
	    (s->p->foreign == ZSIGN_FOREIGN_EXCHANGE && !zsign_is_key_rrset(s,
	    r))) {
		zsign_drop_sig(s, i, ZSIGN_DROP_POLICY);
		return 0;
	}
	if (wire_rrsig(&g, sig->rdata, sig->rdlen) != 0 ||
	    !zsign_fields_ok(s, &g, r)) {
		zsign_drop_sig(s, i, ZSIGN_DROP_FIELDS);
		return 0;
	}
	if (!zsign_valid_now(s, &g)) {
		zsign_drop_sig(s, i, ZSIGN_DROP_TIME);
		return 0;
	}
	if (!other_key(s, g.key_tag, g.algorithm)) {
		zsign_drop_sig(s, i, ZSIGN_DROP_NOKEY);
		return 0;
	}
	if ((e = new_ent(s, set, nset, pos, -1, E_FOREIGN)) == NULL ||
	    new_vjob(s, i, set, nset, -1) != 0)
		return zsign_oom(s);
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
	const int *signers = zsign_is_key_rrset(s, r) ? s->kset : s->zset;
	int nsigners = zsign_is_key_rrset(s, r) ? s->nkset : s->nzset, j, k;
	struct prevset ps;
	size_t i, pi, first;
	struct ent *e;

	s->rep->rrsets++;
	/* A signed input without a signature over it: new since. */
	if (s->ninsig > 0 && g0 == g1 && r->type != T_SOA)
		zsign_note_changed(s, r->owner, r->type);
	zsign_prev_set(s, p0, p1, set, nset, &ps);
	for (j = 0; j < nsigners; j++) {
		k = signers[j];
		if ((pi = zsign_prev_sig(s, &ps, set, k)) != (size_t)-1) {
			if ((e = new_ent(s, set, nset, pos, k, E_REUSE)) ==
			    NULL)
				return zsign_oom(s);
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
			struct wire_rrsig g;
			if (s->fate[i] != F_OPEN || wire_rrsig(&g,
			    s->insig[i].rdata, s->insig[i].rdlen) != 0 ||
			    g.algorithm != s->alg[k] ||
			    g.key_tag != s->tag[k] ||
			    !zsign_fields_ok(s, &g, r) ||
			    !zsign_lasts(s, &g) ||
			    zsign_stale(s, &ps, &s->insig[i]))
				continue;
			if (new_vjob(s, i, set, nset, k) != 0)
				return zsign_oom(s);
		}
		if ((e = new_ent(s, set, nset, pos, k, first < s->nvjob ?
		    E_PENDING : E_FRESH)) == NULL)
			return zsign_oom(s);
		e->aux = (uint32_t)first;
		e->naux = (uint16_t)(s->nvjob - first);
		for (i = first; i < s->nvjob; i++)
			s->fate[s->vjob[i].sig] = F_TAKEN;
	}
	/* The rest of the input's signatures over this RRset. */
	for (i = g0; i < g1; i++) {
		struct wire_rrsig g;
		bool ours = false;
		if (s->fate[i] != F_OPEN)
			continue;
		/* s->insig holds RRSIGs the view reads (extract_sigs). */
		if (wire_rrsig(&g, s->insig[i].rdata, s->insig[i].rdlen) == 0)
			for (k = 0; k < (int)s->nkey; k++)
				ours |= g.algorithm == s->alg[k] &&
				    g.key_tag == s->tag[k];
		if (ours && !other_key(s, g.key_tag, g.algorithm))
			zsign_drop_sig(s, i, ZSIGN_DROP_REPLACED);
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
		zsign_drop_sig(s, (*c)++, ZSIGN_DROP_ORPHAN);
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
int
zsign_plan(struct signer *s)
{
	const struct zone *z = s->z;
	struct cursor pc = { 0 };
	size_t i, e, a, b, c = 0, g0, g1, t0, t1, p0 = 0, p1 = 0, pos, k;

	for (i = 0; i < z->n; i = e) {
		const uint8_t *owner = z->rr[i].owner;

		e = zone_name_end(z, i);
		insig_name(s, &c, owner, &g0, &g1);
		if (s->prev != NULL)
			zsign_prev_name(s->prev, &pc, owner, &p0, &p1);
		for (pos = i; pos < e && z->rr[pos].type < T_RRSIG; pos++)
			;
		for (a = i; a < e; a = b) {
			b = zone_rrset_end(z, a);
			if (s->where[a] != RR_AUTH)
				continue;
			/* Input signatures are sorted by RDATA, whose first
			 * field is the type covered. */
			for (t0 = g0; t0 < g1 &&
			    zsign_covered(&s->insig[t0]) < z->rr[a].type; t0++)
				;
			for (t1 = t0; t1 < g1 &&
			    zsign_covered(&s->insig[t1]) == z->rr[a].type; t1++)
				;
			if (plan_rrset(s, a, b - a, t0, t1, p0, p1, pos) != 0)
				return -1;
		}
		for (k = g0; k < g1; k++)
			if (s->fate[k] == F_OPEN)
				zsign_drop_sig(s, k, ZSIGN_DROP_ORPHAN);
	}
	while (c < s->ninsig)
		zsign_drop_sig(s, c++, ZSIGN_DROP_ORPHAN);
	return 0;
}
