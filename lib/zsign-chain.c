/*
 * The NSEC or NSEC3 chain of a zone being signed (RFC 4035 §2.3, RFC
 * 5155 §7.1), built by lib/nsecchain.c and put in place in the zone by
 * position, and the input's chain records it replaces taken out.
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
 * Put the records appended since from in place: record from + j goes
 * before the zone record pos[j] (an index below from, nondecreasing in
 * j), so that the zone stays in canonical order.  From the back, each
 * block of old records moves once.  where[] follows; the new records
 * are all authoritative.
 */
int
zsign_insert_tail(struct signer *s, size_t from, const size_t *pos)
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
		return zsign_oom(s);
	s->where = w;
	if ((tail = malloc(k * sizeof(*tail))) == NULL)
		return zsign_oom(s);
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
int
zsign_build_chain(struct signer *s)
{
	struct nsecchain_params cp;
	struct nsecchain_stats st;
	const struct zone *z = s->z;
	size_t soa = zone_find(z, s->apex, T_SOA), from = z->n, *pos;
	const struct rr *r = &z->rr[soa];
	struct wire_soa sv;
	uint32_t min;
	int rc;

	memset(&cp, 0, sizeof(cp));
	cp.nsec3 = s->p->nsec3;
	cp.optout = s->p->optout;
	cp.iterations = s->p->iterations;
	cp.saltlen = s->p->saltlen;
	memcpy(cp.salt, s->p->salt, s->p->saltlen);
	cp.threads = s->threads;
	/* The SOA MINIMUM (RFC 4034 §4, RFC 5155 §3: NSEC and NSEC3 TTL). */
	min = wire_soa(&sv, r->rdata, r->rdlen) == 0 ? sv.minimum : r->ttl;
	cp.ttl = r->ttl < min ? r->ttl : min;
	if (nsecchain_build(s->z, s->where, &cp, &pos, &st, s->d) != 0)
		return -1;
	rc = zsign_insert_tail(s, from, pos);
	free(pos);
	s->rep->chain = st.records;
	s->rep->ents = st.ents;
	s->rep->optout = st.optout;
	return rc;
}
