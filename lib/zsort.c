/*
 * Canonical order of a zone (RFC 4034 §6.1, §6.3) and duplicate removal
 * (RFC 2181 §5).
 *
 * Names are sorted once each, not once per record: every run of records
 * sharing an owner becomes a group, the groups are sorted by a key whose
 * byte order is the canonical name order (dname_canon_key()), and then
 * the records of each name are sorted by class, type and RDATA.  RDATA
 * is already canonical, so its order is memcmp(3) order, a shorter
 * string first when it is a prefix of the other.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dname.h"
#include "zone.h"

struct group {
	const uint8_t	*key;
	uint32_t	 keylen;
	uint32_t	 first;		/* index of the first record */
	uint32_t	 count;
};

static int
rdata_cmp(const struct rr *a, const struct rr *b)
{
	size_t m = a->rdlen < b->rdlen ? a->rdlen : b->rdlen;
	int c = m ? memcmp(a->rdata, b->rdata, m) : 0;

	if (c != 0)
		return c;
	return (a->rdlen > b->rdlen) - (a->rdlen < b->rdlen);
}

/* Order of records of one owner: class, type, then RDATA. */
static int
same_owner_cmp(const struct rr *a, const struct rr *b)
{
	if (a->rclass != b->rclass)
		return a->rclass < b->rclass ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return rdata_cmp(a, b);
}

int
rr_canon_cmp(const struct rr *a, const struct rr *b)
{
	int c = a->owner == b->owner ? 0 : dname_canon_cmp(a->owner, b->owner);

	return c != 0 ? c : same_owner_cmp(a, b);
}

static int
group_cmp(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;
	uint32_t m = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->key, b->key, m);

	if (c != 0)
		return c;
	if (a->keylen != b->keylen)
		return a->keylen < b->keylen ? -1 : 1;
	/* Equal names from separate runs: keep input order, so the sort is
	 * deterministic whatever qsort(3) does with ties. */
	return (a->first > b->first) - (a->first < b->first);
}

static int
rr_qcmp(const void *a, const void *b)
{
	return same_owner_cmp(a, b);
}

/* Insertion sort for the few records of a typical name; qsort for more. */
static void
sort_records(struct rr *r, size_t n)
{
	size_t i, j;

	if (n > 16) {
		qsort(r, n, sizeof(*r), rr_qcmp);
		return;
	}
	for (i = 1; i < n; i++) {
		struct rr t = r[i];
		for (j = i; j > 0 && same_owner_cmp(&r[j - 1], &t) > 0; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
}

static struct group *
make_groups(struct zone *z, struct arena *keys, size_t *ngroups)
{
	struct group *g;
	uint8_t key[2 * DNAME_MAXLEN];
	size_t i, n = 0;

	if ((g = malloc((z->n ? z->n : 1) * sizeof(*g))) == NULL)
		return NULL;
	for (i = 0; i < z->n; i++) {
		if (n > 0 && z->rr[i].owner == z->rr[g[n - 1].first].owner) {
			g[n - 1].count++;
			continue;
		}
		g[n].keylen = (uint32_t)dname_canon_key(z->rr[i].owner, key);
		if ((g[n].key = arena_dup(keys, key, g[n].keylen)) == NULL) {
			free(g);
			return NULL;
		}
		g[n].first = (uint32_t)i;
		g[n].count = 1;
		n++;
	}
	*ngroups = n;
	return g;
}

/* Lay the records out in group order in a new array. */
static struct rr *
gather(const struct zone *z, const struct group *g, size_t ng)
{
	struct rr *out;
	size_t i, o = 0;

	if ((out = malloc((z->n ? z->n : 1) * sizeof(*out))) == NULL)
		return NULL;
	for (i = 0; i < ng; i++) {
		memcpy(out + o, z->rr + g[i].first, g[i].count * sizeof(*out));
		o += g[i].count;
	}
	return out;
}

/* Sort each name's records, share one owner pointer per name, and drop
 * duplicates: equal owner, class, type and RDATA (RFC 2181 §5). */
static void
finish_names(struct zone *z, const struct group *g, size_t ng)
{
	size_t i, start = 0, o = 0, k;

	for (i = 0; i < ng;) {
		size_t j = i, count = 0;
		while (j < ng && g[j].keylen == g[i].keylen &&
		    memcmp(g[j].key, g[i].key, g[i].keylen) == 0)
			count += g[j++].count;
		for (k = start; k < start + count; k++)
			z->rr[k].owner = z->rr[start].owner;
		sort_records(z->rr + start, count);
		for (k = start; k < start + count; k++)
			if (o == 0 || k == start ||
			    same_owner_cmp(&z->rr[o - 1], &z->rr[k]) != 0)
				z->rr[o++] = z->rr[k];
		start += count;
		i = j;
	}
	z->n = o;
}

/* Falls back to a plain comparison sort when memory for the fast path
 * is short; the order is the same. */
static int
rr_full_cmp(const void *a, const void *b)
{
	return rr_canon_cmp(a, b);
}

void
zone_sort(struct zone *z)
{
	struct arena *keys;
	struct group *g = NULL;
	struct rr *sorted = NULL;
	size_t ng = 0, i, o;

	if (z->sorted)
		return;
	if ((keys = arena_new()) != NULL &&
	    (g = make_groups(z, keys, &ng)) != NULL) {
		qsort(g, ng, sizeof(*g), group_cmp);
		sorted = gather(z, g, ng);
	}
	if (sorted != NULL) {
		free(z->rr);
		z->rr = sorted;
		z->cap = z->n;
		finish_names(z, g, ng);
	} else {
		qsort(z->rr, z->n, sizeof(*z->rr), rr_full_cmp);
		for (i = o = 0; i < z->n; i++)
			if (o == 0 || rr_canon_cmp(&z->rr[o - 1], &z->rr[i]))
				z->rr[o++] = z->rr[i];
		z->n = o;
	}
	free(g);
	arena_free(keys);
	z->sorted = true;
}
