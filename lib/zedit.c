/*
 * See zedit.h.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dname.h"
#include "out.h"
#include "rrtype.h"
#include "wire.h"
#include "zedit.h"
#include "zone.h"
#include "zwrite.h"

/* The name a path goes by in messages. */
const char *
zedit_name(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/*
 * Read a fragment that describes a change to zone z: relative names in it
 * are relative to z's apex.  The records stay in file order, so that the
 * first problem reported is the first in the file.
 */
int
zedit_load_part(struct zone *part, const char *path, const struct zone *z,
    struct diag *d)
{
	char origin[DNAME_MAXTEXT];

	dname_to_text(z->apex, origin);
	return zone_read_file(part, path, origin, d);
}

/* The view of an RRSIG record (RFC 4034 §3.1, lib/wire.h); false when
 * r is not one or is too short to hold its fields. */
bool
zedit_sig(const struct rr *r, struct wire_rrsig *s)
{
	return r->type == T_RRSIG && wire_rrsig(s, r->rdata, r->rdlen) == 0;
}

bool
zedit_sig_covers(const struct rr *r, uint16_t type)
{
	uint16_t t;

	return r->type == T_RRSIG && wire_read16(r->rdata, r->rdlen, 0, &t) == 0 &&
	    t == type;
}

/* Signature times are serial numbers (RFC 4034 §3.1.5, RFC 1982). */
bool
zedit_sig_later(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/*
 * The TTL of an RRset of a sorted zone: the lowest of its records' (RFC
 * 2181 §5.2 has clients treat a mixed RRset so), with *mixed set when
 * they differ.  False when there is no such RRset.
 */
bool
zedit_rrset_ttl(const struct zone *z, const uint8_t *owner, uint16_t type,
    uint32_t *ttl, bool *mixed)
{
	size_t i = zone_find(z, owner, type), end;

	if (i == z->n)
		return false;
	end = zone_rrset_end(z, i);
	*ttl = z->rr[i].ttl;
	*mixed = false;
	for (; i < end; i++) {
		if (z->rr[i].ttl != *ttl)
			*mixed = true;
		if (z->rr[i].ttl < *ttl)
			*ttl = z->rr[i].ttl;
	}
	return true;
}

/* Give an RRset of a sorted zone one TTL. */
void
zedit_set_ttl(struct zone *z, const uint8_t *owner, uint16_t type,
    uint32_t ttl)
{
	size_t i = zone_find(z, owner, type), end;

	if (i == z->n)
		return;
	for (end = zone_rrset_end(z, i); i < end; i++)
		z->rr[i].ttl = ttl;
}

/*
 * Mark, in a sorted zone, the RRSIGs at owner that cover type: they were
 * made over an RRset the edit changes, and no longer verify (RFC 4034
 * §3.1.8.1 signs the whole RRset).  Returns how many were marked.
 */
size_t
zedit_mark_sigs(const struct zone *z, const uint8_t *owner, uint16_t type,
    bool *mark)
{
	size_t i = zone_find(z, owner, T_RRSIG), end, n = 0;

	if (i == z->n)
		return 0;
	for (end = zone_rrset_end(z, i); i < end; i++)
		if (zedit_sig_covers(&z->rr[i], type) && !mark[i]) {
			mark[i] = true;
			n++;
		}
	return n;
}

/* Drop the marked records; the order of the others is kept. */
void
zedit_remove_marked(struct zone *z, const bool *mark)
{
	size_t i, j = 0;

	for (i = 0; i < z->n; i++)
		if (!mark[i])
			z->rr[j++] = z->rr[i];
	z->n = j;
}

/* Equal records, in the sense of RFC 2181 §5: the cheap fields first. */
static bool
same_rr(const struct rr *a, const struct rr *b)
{
	return a->type == b->type && a->rclass == b->rclass &&
	    a->rdlen == b->rdlen && (a->rdlen == 0 ||
	    memcmp(a->rdata, b->rdata, a->rdlen) == 0) &&
	    (a->owner == b->owner || dname_equal(a->owner, b->owner));
}

static int
canon_qcmp(const void *a, const void *b)
{
	return rr_canon_cmp(a, b);
}

/* The first of the n sorted records that sorts after r. */
static size_t
upper_bound(const struct rr *rr, size_t n, const struct rr *r)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rr_canon_cmp(&rr[mid], r) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Put the records appended to a sorted zone since index from in their
 * places, dropping duplicates as zone_sort() does (RFC 2181 §5): an edit
 * adds a handful of records to millions, and sorting them all again
 * would cost as much as reading them.  Each new record is placed by a
 * binary search, and the records after it move up in blocks.
 */
int
zedit_merge(struct zone *z, size_t from)
{
	size_t k = z->n - from, i, j, n, pos;
	struct rr *tail;

	if (k == 0) {
		z->sorted = true;
		return 0;
	}
	if ((tail = malloc(k * sizeof(*tail))) == NULL)
		return -1;
	memcpy(tail, z->rr + from, k * sizeof(*tail));
	qsort(tail, k, sizeof(*tail), canon_qcmp);
	/* Drop new records equal to each other or to one of the zone's;
	 * of equal records the zone's stays. */
	for (i = n = 0; i < k; i++) {
		pos = upper_bound(z->rr, from, &tail[i]);
		if ((n > 0 && same_rr(&tail[n - 1], &tail[i])) ||
		    (pos > 0 && same_rr(&z->rr[pos - 1], &tail[i])))
			continue;
		tail[n++] = tail[i];
	}
	/* From the back, so that nothing is overwritten before it moves. */
	z->n = from + n;
	for (i = from, j = n; j > 0; j--) {
		pos = upper_bound(z->rr, i, &tail[j - 1]);
		memmove(z->rr + pos + j, z->rr + pos, (i - pos) * sizeof(*tail));
		z->rr[pos + j - 1] = tail[j - 1];
		i = pos;
	}
	free(tail);
	z->sorted = true;
	return 0;
}

/* Sort and write the zone to path (standard output when NULL or "-"),
 * all or nothing (out.h). */
int
zedit_write(struct zone *z, const char *path, struct diag *d)
{
	struct out o;

	zone_sort(z);
	if (out_open(&o, path, d) != 0)
		return -1;
	if (zwrite_zone(o.f, z) != 0)
		return out_fail(&o, d);
	return out_commit(&o, d);
}
