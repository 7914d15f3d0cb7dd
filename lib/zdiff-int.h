/*
 * The pieces of the comparison behind zdiff-dnssec, shared between
 * lib/zdiff.c (the interface, and the lists of differences the walks
 * record), lib/zdiff-walk.c (the merge walk that matches names, RRsets and
 * records), lib/zdiff-sigs.c (signatures matched by key) and
 * lib/zdiff-apex.c (the apex group: its hosts and its fields).  Private to
 * those files; programs use zdiff.h.
 */
#ifndef ZDIFF_INT_H
#define ZDIFF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dname.h"
#include "wire.h"
#include "zone.h"

/* Declared in zdiff.h (included here, it would close an include
 * cycle: zdiff.c includes this file). */
struct zdiff;
struct zdiff_item;

struct ctx {
	const uint8_t	*name;
	bool		 apex;
	bool		 has[2];	/* the name has records on each side */
	bool		 cut[2];	/* a delegation point on each side */
};

/* RDATA order within an RRset: canonical RDATA compares as octet
 * strings, a prefix first (RFC 4034 §6.3). */
static inline int
rdata_cmp(const struct rr *a, const struct rr *b)
{
	size_t m = a->rdlen < b->rdlen ? a->rdlen : b->rdlen;
	int c = m ? memcmp(a->rdata, b->rdata, m) : 0;

	if (c != 0)
		return c;
	return (a->rdlen > b->rdlen) - (a->rdlen < b->rdlen);
}

/* Owner names are lower case in both zones, so equal names are equal
 * octet strings; the canonical comparison is needed only when not. */
static inline int
owner_cmp(const uint8_t *a, const uint8_t *b)
{
	size_t la = dname_len(a), lb = dname_len(b);

	if (la == lb && memcmp(a, b, la) == 0)
		return 0;
	return dname_canon_cmp(a, b);
}

/* lib/zdiff.c: recording differences. */
/* Grow an array to hold one more element; false when memory is out. */
bool		 zdiff_grow(struct zdiff *zd, void **p, size_t n, size_t *cap,
		    size_t size);
/* A difference recorded in group g: old record o, new record n. */
void		 zdiff_push_ev(struct zdiff *zd, int g, size_t o, size_t n,
		    int op);
/* A difference of the apex or denial group, by type and field. */
void		 zdiff_push_item(struct zdiff *zd, struct zdiff_item **items,
		    size_t *n, size_t *cap, uint16_t type, int op,
		    const char *field, const struct rr *o, const struct rr *nr);

/* lib/zdiff-walk.c: the merge walk. */
/* Does the address RRset at [a, ae) and [b, be) belong to the apex
 * group? */
bool		 zdiff_host_addresses(const struct zdiff *zd,
		    const uint8_t *name, size_t a, size_t ae, size_t b,
		    size_t be);
/* The SOA serial is at the end of the two names (RFC 1035 §3.3.13);
 * returns its offset, or 0 when the RDATA is malformed. */
size_t		 zdiff_soa_serial_off(const struct rr *r);
/* The merge walk over both zones, every group but the apex fields. */
void		 zdiff_walk(struct zdiff *zd);

/* lib/zdiff-sigs.c: signatures matched by key. */
/* RRSIG RDATA begins with the type covered, so the signatures of one
 * owner come sorted by the RRset they cover. */
void		 zdiff_walk_sigs(struct zdiff *zd, const struct ctx *cx,
		    size_t a, size_t ae, size_t b, size_t be);

/* lib/zdiff-apex.c: the apex group. */
/* The name servers of the apex NS RRsets of both sides (zd->host). */
int		 zdiff_collect_hosts(struct zdiff *zd);
/* The apex RRsets compared field by field; the NSEC3 parameters. */
void		 zdiff_compare_apex(struct zdiff *zd);
void		 zdiff_compare_params(struct zdiff *zd);

#endif
