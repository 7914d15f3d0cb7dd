/*
 * Canonical order of a zone (RFC 4034 §6.1, §6.3) and duplicate removal
 * (RFC 2181 §5).
 *
 * Names are sorted once each, not once per record: every run of records
 * sharing an owner becomes a group, and the groups are sorted by the
 * name's canonical key (dname_canon_key(), whose byte order is the
 * canonical order).  The key prefix shared by every name (the apex, in a
 * zone) is skipped; the next eight key octets go into a 64-bit integer
 * that a radix sort orders; the few groups whose eight octets tie are
 * then ordered by their whole keys.  The records are then moved into
 * place in place (see place()), so no second copy of the zone is made,
 * and each name's records are sorted by class, type and RDATA.  RDATA is already canonical, so its order is memcmp(3)
 * order, a shorter string first when it is a prefix of the other.
 */
#include <stdlib.h>
#include <string.h>

#include "dname.h"
#include "zone.h"

struct group {
	uint64_t	 pfx;		/* key octets [lcp, lcp + 8) */
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

static uint64_t
prefix_of(const uint8_t *key, size_t len, size_t lcp)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		v = v << 8 | (lcp + i < len ? key[lcp + i] : 0);
	return v;
}

/* Groups of consecutive records with one owner, and the length of the
 * key prefix common to all of them. */
static struct group *
make_groups(const struct zone *z, size_t *ngroups, size_t *lcp)
{
	struct group *g;
	uint8_t first[2 * DNAME_MAXLEN], key[2 * DNAME_MAXLEN];
	size_t i, n = 0, flen = 0, len, k;

	if ((g = malloc((z->n ? z->n : 1) * sizeof(*g))) == NULL)
		return NULL;
	for (i = 0; i < z->n; i++) {
		if (n > 0 && z->rr[i].owner == z->rr[g[n - 1].first].owner) {
			g[n - 1].count++;
			continue;
		}
		len = dname_canon_key(z->rr[i].owner, key);
		if (n == 0) {
			memcpy(first, key, len);
			flen = len;
		}
		for (k = 0; k < flen && k < len && key[k] == first[k]; k++)
			;
		flen = k;
		g[n].first = (uint32_t)i;
		g[n].count = 1;
		n++;
	}
	for (i = 0; i < n; i++) {
		len = dname_canon_key(z->rr[g[i].first].owner, key);
		g[i].pfx = prefix_of(key, len, flen);
	}
	*ngroups = n;
	*lcp = flen;
	return g;
}

/* LSD radix sort on pfx, 16 bits a pass; stable, so equal prefixes keep
 * input order. */
static int
radix_sort(struct group *g, size_t n)
{
	struct group *tmp, *src = g, *dst, *t;
	size_t *count, i;
	int pass;

	if ((tmp = malloc((n ? n : 1) * sizeof(*tmp))) == NULL)
		return -1;
	if ((count = malloc(65537 * sizeof(*count))) == NULL) {
		free(tmp);
		return -1;
	}
	dst = tmp;
	for (pass = 0; pass < 4; pass++) {
		int shift = 16 * pass;
		memset(count, 0, 65537 * sizeof(*count));
		for (i = 0; i < n; i++)
			count[((src[i].pfx >> shift) & 0xffff) + 1]++;
		for (i = 1; i < 65537; i++)
			count[i] += count[i - 1];
		for (i = 0; i < n; i++)
			dst[count[(src[i].pfx >> shift) & 0xffff]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	/* After an even number of passes the result is back in g. */
	free(count);
	free(tmp);
	return 0;
}

struct keyed {
	uint8_t		 key[2 * DNAME_MAXLEN];
	size_t		 len;
	struct group	 g;
};

static int
keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	size_t m = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->key, b->key, m);

	if (c != 0)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return (a->g.first > b->g.first) - (a->g.first < b->g.first);
}

/* Groups whose eight prefix octets tie: order them by whole keys. */
static int
sort_ties(const struct zone *z, struct group *g, size_t n)
{
	struct keyed *k;
	size_t i, j, m;

	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && g[j].pfx == g[i].pfx; j++)
			;
		if (j - i < 2)
			continue;
		if ((k = malloc((j - i) * sizeof(*k))) == NULL)
			return -1;
		for (m = 0; m < j - i; m++) {
			k[m].g = g[i + m];
			k[m].len = dname_canon_key(z->rr[g[i + m].first].owner,
			    k[m].key);
		}
		qsort(k, j - i, sizeof(*k), keyed_cmp);
		for (m = 0; m < j - i; m++)
			g[i + m] = k[m].g;
		free(k);
	}
	return 0;
}

static void
swap_rr(struct rr *rr, uint32_t *dest, size_t i, size_t j)
{
	struct rr t = rr[i];
	uint32_t d = dest[i];

	rr[i] = rr[j];
	rr[j] = t;
	dest[i] = dest[j];
	dest[j] = d;
}

/*
 * Put every record of [lo, hi) at its destination, all destinations
 * being in [lo, hi).  Records are first distributed, in place, into 256
 * buckets by the high bits of their destination (as American flag sort
 * does): since the destinations are a permutation, every bucket's region
 * is known without counting, and the 256 insertion points move forward
 * in order, which keeps the memory traffic sequential.  Small regions are
 * finished by following the cycles of the permutation, in cache.
 */
static void
place(struct rr *rr, uint32_t *dest, size_t lo, size_t hi)
{
	size_t head[256], end[256], n = hi - lo, i, b, nb;
	int shift = 0;

	if (n <= 256) {
		for (i = lo; i < hi; i++)
			while (dest[i] != i)
				swap_rr(rr, dest, i, dest[i]);
		return;
	}
	while ((n - 1) >> shift >= 256)
		shift++;
	nb = ((n - 1) >> shift) + 1;
	for (b = 0; b < nb; b++) {
		head[b] = lo + (b << shift);
		end[b] = lo + ((b + 1) << shift) < hi ? lo + ((b + 1) << shift) :
		    hi;
	}
	for (b = 0; b < nb; b++)
		while (head[b] < end[b]) {
			size_t c = (dest[head[b]] - lo) >> shift;
			if (c == b)
				head[b]++;
			else
				swap_rr(rr, dest, head[b], head[c]++);
		}
	for (b = 0; b < nb; b++)
		place(rr, dest, lo + (b << shift), end[b]);
}

/* Move every record to its place in group order: dest[i] is where
 * record i goes. */
static int
permute(struct zone *z, const struct group *g, size_t ng)
{
	uint32_t *dest;
	size_t i, o = 0, k;

	if ((dest = malloc((z->n ? z->n : 1) * sizeof(*dest))) == NULL)
		return -1;
	for (i = 0; i < ng; i++)
		for (k = 0; k < g[i].count; k++)
			dest[g[i].first + k] = (uint32_t)o++;
	place(z->rr, dest, 0, z->n);
	free(dest);
	return 0;
}

/* Sort each name's records, share one owner pointer per name, and drop
 * duplicates: equal owner, class, type and RDATA (RFC 2181 §5). */
static void
finish_names(struct zone *z)
{
	size_t i, j, k, o = 0;

	for (i = 0; i < z->n; i = j) {
		/* Owners are lower case (zone_add()): octets suffice. */
		for (j = i + 1; j < z->n && (z->rr[j].owner == z->rr[i].owner ||
		    dname_same(z->rr[j].owner, z->rr[i].owner)); j++)
			z->rr[j].owner = z->rr[i].owner;
		sort_records(z->rr + i, j - i);
		for (k = i; k < j; k++)
			if (k == i || same_owner_cmp(&z->rr[o - 1], &z->rr[k]))
				z->rr[o++] = z->rr[k];
	}
	z->n = o;
}

static int
rr_full_cmp(const void *a, const void *b)
{
	return rr_canon_cmp(a, b);
}

void
zone_sort(struct zone *z)
{
	struct group *g;
	size_t ng = 0, lcp = 0;

	if (z->sorted)
		return;
	if ((g = make_groups(z, &ng, &lcp)) != NULL &&
	    radix_sort(g, ng) == 0 && sort_ties(z, g, ng) == 0 &&
	    permute(z, g, ng) == 0)
		finish_names(z);
	else {
		/* Short of memory for the fast path: a plain comparison sort
		 * gives the same order. */
		qsort(z->rr, z->n, sizeof(*z->rr), rr_full_cmp);
		finish_names(z);
	}
	free(g);
	z->sorted = true;
}
