/*
 * Signature reuse: whether a signature of the input or of the previous
 * zone may be kept (its fields right for the RRset, RFC 4034 §3.1, valid
 * long enough, over the same RRset), and the cursor that finds an
 * RRset's signatures in the previous zone.
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

/* The RRSIG fields a signature over the RRset at set must have: covered
 * type, the apex as signer, the Labels of the owner (RFC 4034 §3.1.3,
 * a wildcard's one less) and the RRset's TTL as Original TTL. */
bool
zsign_fields_ok(const struct signer *s, const struct wire_rrsig *g,
    const struct rr *set)
{
	return g->covered == set->type && dname_equal(g->signer, s->apex) &&
	    g->labels == dname_rrsig_labels(set->owner) &&
	    g->original_ttl == set->ttl;
}

/* Valid now and still beyond the refresh window: worth keeping (RFC
 * 1982 arithmetic, as RFC 4034 §3.1.5 asks). */
bool
zsign_lasts(const struct signer *s, const struct wire_rrsig *g)
{
	int a = serial_cmp(g->inception, s->now);
	int b = serial_cmp(g->expiration, s->fresh_until);

	return (a == -1 || a == 0) && (b == 1 || b == 0);
}

bool
zsign_valid_now(const struct signer *s, const struct wire_rrsig *g)
{
	return dnstime_within(g->inception, g->expiration, s->p->now);
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

void
zsign_prev_name(const struct zone *pz, struct cursor *c, const uint8_t *owner,
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
void
zsign_type_run(const struct rr *rr, size_t a, size_t b, uint16_t t, size_t *r0,
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
uint16_t
zsign_covered(const struct rr *r)
{
	return r->rdlen > WIRE_RRSIG_FIXED ?
	    wire_rrsig_covered(r->rdata, r->rdlen) : 0;
}

void
zsign_prev_set(const struct signer *s, size_t p0, size_t p1, size_t set,
    size_t nset, struct prevset *ps)
{
	const struct zone *pz = s->prev;
	const struct rr *r = &s->z->rr[set];
	size_t a, b;

	ps->same = false;
	ps->g0 = ps->g1 = 0;
	if (pz == NULL || p0 == p1)
		return;
	zsign_type_run(pz->rr, p0, p1, r->type, &a, &b);
	ps->same = same_rrset(r, nset, pz->rr + a, b - a);
	zsign_type_run(pz->rr, p0, p1, T_RRSIG, &a, &b);
	while (a < b && zsign_covered(&pz->rr[a]) < r->type)
		a++;
	ps->g0 = a;
	while (a < b && zsign_covered(&pz->rr[a]) == r->type)
		a++;
	ps->g1 = a;
}

/*
 * The previous zone's signature by key k over an RRset that is byte for
 * byte the same there, valid beyond the refresh window: the index of the
 * RRSIG record, or (size_t)-1.  Not for a key whose tag another key
 * shares: that signature might be the other key's.
 */
size_t
zsign_prev_sig(struct signer *s, const struct prevset *ps, size_t set, int k)
{
	const struct zone *pz = s->prev;
	const struct rr *r = &s->z->rr[set];
	size_t i;

	if (!ps->same || s->collide[k])
		return (size_t)-1;
	for (i = ps->g0; i < ps->g1; i++) {
		struct wire_rrsig g;
		if (wire_rrsig(&g, pz->rr[i].rdata, pz->rr[i].rdlen) == 0 &&
		    g.algorithm == s->alg[k] && g.key_tag == s->tag[k] &&
		    zsign_fields_ok(s, &g, r) && zsign_lasts(s, &g))
			return i;
	}
	return (size_t)-1;
}

/* Is this input signature one of the previous zone's over the RRset as
 * it was there, now changed?  Then it cannot verify: no need to try. */
bool
zsign_stale(const struct signer *s, const struct prevset *ps,
    const struct rr *sig)
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
is_chain(uint16_t type)
{
	return type == T_NSEC || type == T_NSEC3 || type == T_NSEC3PARAM;
}

/* An RRset of the input changed since the input was signed: counted,
 * and the first noted (zsign_report), in canonical order, the data
 * before the denial chain that follows it.  ZONEMD is made anew (RFC
 * 8976 section 3), a placeholder until after signing: not a change of
 * the data. */
void
zsign_note_changed(struct signer *s, const uint8_t *owner, uint16_t type)
{
	struct zsign_report *r = s->rep;
	int c;

	if (type == T_ZONEMD)
		return;
	if (r->changed == 0 || is_chain(type) != is_chain(r->changed_type))
		c = r->changed == 0 || !is_chain(type) ? -1 : 1;
	else
		c = dname_canon_cmp(owner, r->changed_owner);
	r->changed++;
	if (c < 0 || (c == 0 && type < r->changed_type)) {
		memcpy(r->changed_owner, owner, dname_len(owner));
		r->changed_type = type;
	}
}

/* What the input's signatures tried over the RRset at set say: the SOA
 * RRset as it was signed, or an RRset changed since. */
void
zsign_judge_rrset(struct signer *s, size_t set, bool tried, bool held)
{
	const struct rr *r = &s->z->rr[set];

	if (r->type == T_SOA)
		s->rep->soa_holds |= held;
	else if (tried && !held)
		zsign_note_changed(s, r->owner, r->type);
}
