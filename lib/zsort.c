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
#include "workpool.h"
#include "zone.h"

struct group {
	uint64_t	 pfx;		/* key octets [lcp, lcp + 8) */
	uint32_t	 first;		/* index of the first record */
	uint32_t	 count;		/* of records, and SAME_NAME */
};

/* In group.count: the group's owner is the previous group's (the same
 * name came in two places of the input).  Set by sort_ties(). */
#define SAME_NAME	0x80000000u
#define COUNT(g)	((g).count & ~SAME_NAME)

/* Below this many records the sort runs on the calling thread only. */
#define PARALLEL_FROM	65536

/* Eight octets as a number whose order is theirs as octets. */
static uint64_t
octets8(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* memcmp(3) order, a prefix first; short RDATA (the name servers of a
 * delegation) compared a word at a time without a call.  RDATA shared
 * through the cache of zone_add() is equal without a look. */
static int
rdata_cmp(const struct rr *a, const struct rr *b)
{
	size_t m = a->rdlen < b->rdlen ? a->rdlen : b->rdlen, i;
	uint64_t x, y;

	if (a->rdata != b->rdata) {
		for (i = 0; i + 8 <= m; i += 8)
			if ((x = octets8(a->rdata + i)) !=
			    (y = octets8(b->rdata + i)))
				return x < y ? -1 : 1;
		for (; i < m; i++)
			if (a->rdata[i] != b->rdata[i])
				return a->rdata[i] < b->rdata[i] ? -1 : 1;
	}
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
		v = v << 8 | (lcp + i < len ? key[lcp + i] : 0);	/* wire-lint: not wire: a sort key */
	return v;
}

/* Fixed parts of an array for work on every core: part p of n items
 * is [n * p / parts, n * (p + 1) / parts). */
#define PARTS	64

static size_t
part_start(size_t n, size_t parts, size_t p)
{
	return n * p / parts;	/* n < 2^32, p <= PARTS: no overflow */
}

static unsigned
threads_for(size_t n)
{
	return n < PARALLEL_FROM ? 1 : workpool_cores();
}

struct keying {
	const struct zone	*z;
	struct group		*g;
	size_t			 ng;
	size_t			 gstart[PARTS + 1];	/* first group */
	uint8_t			 bad[PARTS];	/* a key without first[] */
	uint8_t			 first[2 * DNAME_MAXLEN];
	size_t			 lcp;		/* once known */
	size_t			 lcp_of[256];	/* per thread */
};

static bool
new_owner(const struct zone *z, size_t i)
{
	return i == 0 || z->rr[i].owner != z->rr[i - 1].owner;
}

/* How many groups start in each part. */
static void
count_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct keying *kg = arg;
	size_t p, i, c, n = kg->z->n, e;

	(void)thread;
	for (p = begin; p < end; p++) {
		e = part_start(n, PARTS, p + 1);
		for (c = 0, i = part_start(n, PARTS, p); i < e; i++)
			c += new_owner(kg->z, i);
		kg->gstart[p + 1] = c;
	}
}

/* The groups that start in each part, with their key prefixes at lcp;
 * a key that does not begin with first[0, lcp) marks its part bad. */
static void
group_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct keying *kg = arg;
	const struct zone *z = kg->z;
	uint8_t key[2 * DNAME_MAXLEN];
	size_t p, i, j, e, gi, len;

	(void)thread;
	for (p = begin; p < end; p++) {
		i = part_start(z->n, PARTS, p);
		e = part_start(z->n, PARTS, p + 1);
		for (gi = kg->gstart[p]; i < e && !new_owner(z, i); i++)
			;
		for (; i < e; i = j, gi++) {
			const uint8_t *o = z->rr[i].owner;
			for (j = i + 1; j < z->n && z->rr[j].owner == o; j++)
				;
			len = dname_canon_key_prefix(o, key, kg->lcp + 8);
			if (len < kg->lcp ||
			    memcmp(key, kg->first, kg->lcp) != 0)
				kg->bad[p] = 1;
			kg->g[gi].first = (uint32_t)i;
			kg->g[gi].count = (uint32_t)(j - i);
			kg->g[gi].pfx = prefix_of(key, len, kg->lcp);
		}
	}
}

/* The key prefix that groups [begin, end) share with the first. */
static void
common_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct keying *kg = arg;
	uint8_t key[2 * DNAME_MAXLEN];
	size_t i, k, len, lcp = kg->lcp_of[thread];

	for (i = begin; i < end; i++) {
		len = dname_canon_key(kg->z->rr[kg->g[i].first].owner, key);
		for (k = 0; k < lcp && k < len && key[k] == kg->first[k]; k++)
			;
		lcp = k;
	}
	kg->lcp_of[thread] = lcp;
}

static void
prefix_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct keying *kg = arg;
	uint8_t key[2 * DNAME_MAXLEN];
	size_t i, len;

	(void)thread;
	for (i = begin; i < end; i++) {
		len = dname_canon_key(kg->z->rr[kg->g[i].first].owner, key);
		kg->g[i].pfx = prefix_of(key, len, kg->lcp);
	}
}

/*
 * Groups of consecutive records with one owner, and the length of the
 * key prefix common to all of them; made on every core.  The prefix is
 * guessed from the apex, which every owner of a zone is at or below
 * (zone_find_apex()), and checked on every key; when there is no apex
 * or a key does not have it, it is found by comparing every key.
 */
static struct group *
make_groups(const struct zone *z, size_t *ngroups, size_t *lcp)
{
	struct group *g;
	struct keying *kg;
	size_t p;
	unsigned t, threads = threads_for(z->n);
	bool bad = false;

	if ((g = malloc((z->n ? z->n : 1) * sizeof(*g))) == NULL)
		return NULL;
	if ((kg = calloc(1, sizeof(*kg))) == NULL) {
		free(g);
		return NULL;
	}
	kg->z = z;
	kg->g = g;
	(void)workpool_run(PARTS, 1, threads, count_some, kg);
	for (p = 0; p < PARTS; p++)
		kg->gstart[p + 1] += kg->gstart[p];
	kg->ng = kg->gstart[PARTS];
	kg->lcp = z->apex != NULL ? dname_canon_key(z->apex, kg->first) : 0;
	(void)workpool_run(PARTS, 1, threads, group_some, kg);
	for (p = 0; p < PARTS; p++)
		bad |= kg->bad[p] != 0;
	if ((z->apex == NULL || bad) && kg->ng > 0) {
		kg->lcp = dname_canon_key(z->rr[0].owner, kg->first);
		for (t = 0; t < 256; t++)
			kg->lcp_of[t] = kg->lcp;
		(void)workpool_run(kg->ng, 16384, threads, common_some, kg);
		for (t = 0; t < 256; t++)
			if (kg->lcp_of[t] < kg->lcp)
				kg->lcp = kg->lcp_of[t];
		(void)workpool_run(kg->ng, 16384, threads, prefix_some, kg);
	}
	*ngroups = kg->ng;
	*lcp = kg->lcp;
	free(kg);
	return g;
}

/*
 * LSD radix sort on pfx, RADIX_BITS a pass, on every core: each thread
 * counts and then moves its own part, the parts' counts laid out digit
 * by digit and part by part, so the sort is stable (equal prefixes keep
 * input order) whatever the number of threads.  A pass whose digit is
 * the same in every group is skipped.
 */
#define RADIX_BITS	11
#define RADIX		(1u << RADIX_BITS)

struct radix {
	const struct group	*src;
	struct group		*dst;
	size_t			 n;
	unsigned		 parts;
	int			 shift;
	size_t			(*count)[RADIX];	/* per part */
};

static size_t
digit(const struct group *g, int shift)
{
	return (size_t)(g->pfx >> shift) & (RADIX - 1);
}

static void
radix_count(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct radix *rx = arg;
	size_t p, i, *c, e;

	(void)thread;
	for (p = begin; p < end; p++) {
		c = rx->count[p];
		memset(c, 0, RADIX * sizeof(*c));
		e = part_start(rx->n, rx->parts, p + 1);
		for (i = part_start(rx->n, rx->parts, p); i < e; i++)
			c[digit(&rx->src[i], rx->shift)]++;
	}
}

static void
radix_move(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct radix *rx = arg;
	size_t p, i, *c, e;

	(void)thread;
	for (p = begin; p < end; p++) {
		c = rx->count[p];
		e = part_start(rx->n, rx->parts, p + 1);
		for (i = part_start(rx->n, rx->parts, p); i < e; i++)
			rx->dst[c[digit(&rx->src[i], rx->shift)]++] =
			    rx->src[i];
	}
}

/* Counts to insertion points; false when one digit holds every group. */
static bool
radix_offsets(struct radix *rx)
{
	size_t d, p, sum = 0, here;

	for (d = 0; d < RADIX; d++) {
		for (here = 0, p = 0; p < rx->parts; p++) {
			size_t c = rx->count[p][d];
			rx->count[p][d] = sum;
			sum += c;
			here += c;
		}
		if (here == rx->n)
			return false;
	}
	return true;
}

static int
radix_sort(struct group *g, size_t n)
{
	struct radix rx;
	struct group *tmp, *src = g, *dst;
	unsigned threads = threads_for(n);

	if ((tmp = malloc((n ? n : 1) * sizeof(*tmp))) == NULL)
		return -1;
	rx.n = n;
	rx.parts = threads;
	if ((rx.count = malloc(rx.parts * sizeof(*rx.count))) == NULL) {
		free(tmp);
		return -1;
	}
	dst = tmp;
	for (rx.shift = 0; rx.shift < 64; rx.shift += RADIX_BITS) {
		rx.src = src;
		rx.dst = dst;
		(void)workpool_run(rx.parts, 1, threads, radix_count, &rx);
		if (!radix_offsets(&rx))
			continue;
		(void)workpool_run(rx.parts, 1, threads, radix_move, &rx);
		dst = src;
		src = rx.dst;
	}
	if (src != g)
		memcpy(g, src, n * sizeof(*g));
	free(rx.count);
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

/* Groups [i, j), whose eight prefix octets tie: order them by whole
 * keys, and mark the groups of a name already seen. */
static int
sort_tie(const struct zone *z, struct group *g, size_t i, size_t j)
{
	struct keyed *k;
	size_t m;

	if ((k = malloc((j - i) * sizeof(*k))) == NULL)
		return -1;
	for (m = 0; m < j - i; m++) {
		k[m].g = g[i + m];
		k[m].len = dname_canon_key(z->rr[g[i + m].first].owner,
		    k[m].key);
	}
	qsort(k, j - i, sizeof(*k), keyed_cmp);
	for (m = 0; m < j - i; m++) {
		g[i + m] = k[m].g;
		if (m > 0 && k[m].len == k[m - 1].len &&
		    memcmp(k[m].key, k[m - 1].key, k[m].len) == 0)
			g[i + m].count |= SAME_NAME;
	}
	free(k);
	return 0;
}

struct ties {
	const struct zone	*z;
	struct group		*g;
	size_t			 n;
	size_t			 start[PARTS + 1];	/* of each part */
	uint8_t			 failed[PARTS];
};

/* The start of a run of equal prefixes at or after i. */
static size_t
run_start(const struct group *g, size_t n, size_t i)
{
	while (i > 0 && i < n && g[i].pfx == g[i - 1].pfx)
		i++;
	return i;
}

static void
ties_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct ties *t = arg;
	size_t p, i, j, e;

	(void)thread;
	for (p = begin; p < end; p++) {
		e = t->start[p + 1];
		for (i = t->start[p]; i < e; i = j) {
			for (j = i + 1; j < e && t->g[j].pfx == t->g[i].pfx;
			    j++)
				;
			if (j - i > 1 && sort_tie(t->z, t->g, i, j) != 0)
				t->failed[p] = 1;
		}
	}
}

/* Groups whose eight prefix octets tie, ordered on every core. */
static int
sort_ties(const struct zone *z, struct group *g, size_t n)
{
	struct ties t;
	size_t p;

	t.z = z;
	t.g = g;
	t.n = n;
	/* Parts begin at runs, found before any part reorders its own. */
	for (p = 0; p <= PARTS; p++)
		t.start[p] = run_start(g, n, part_start(n, PARTS, p));
	memset(t.failed, 0, sizeof(t.failed));
	(void)workpool_run(PARTS, 1, threads_for(n), ties_some, &t);
	for (p = 0; p < PARTS; p++)
		if (t.failed[p])
			return -1;
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

static void	place(struct rr *, uint32_t *, size_t, size_t, int);

/* Records ahead of an insertion point fetched before they are needed. */
#define AHEAD	8

struct buckets {
	struct rr	*rr;
	uint32_t	*dest;
	size_t		 lo;
	int		 shift;
	const size_t	*end;
};

static void
place_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	const struct buckets *bk = arg;
	size_t b;

	(void)thread;
	for (b = begin; b < end; b++)
		place(bk->rr, bk->dest, bk->lo + (b << bk->shift), bk->end[b],
		    0);
}

/*
 * Put every record of [lo, hi) at its destination, all destinations
 * being in [lo, hi).  Records are first distributed, in place, into 256
 * buckets by the high bits of their destination (as American flag sort
 * does): since the destinations are a permutation, every bucket's region
 * is known without counting, and the 256 insertion points move forward
 * in order, which keeps the memory traffic sequential.  Small regions are
 * finished by following the cycles of the permutation, in cache.  At the
 * top (top set), the buckets, disjoint once distributed, are finished on
 * every core.
 */
static void
place(struct rr *rr, uint32_t *dest, size_t lo, size_t hi, int top)
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
			else {
				swap_rr(rr, dest, head[b], head[c]++);
				/* Up to 256 insertion points move forward
				 * at once, too many streams for the
				 * hardware to follow: fetch ahead. */
				__builtin_prefetch(&rr[head[c] + AHEAD], 1);
				__builtin_prefetch(&dest[head[c] + AHEAD], 1);
			}
		}
	if (!top || n < PARALLEL_FROM || workpool_cores() < 2) {
		for (b = 0; b < nb; b++)
			place(rr, dest, lo + (b << shift), end[b], 0);
		return;
	}
	/* The buckets are disjoint now: finish them on every core. */
	{
		struct buckets bk = { rr, dest, lo, shift, end };
		(void)workpool_run(nb, 1, workpool_cores(), place_some, &bk);
	}
}

struct dests {
	const struct group	*g;
	size_t			 ng;
	uint32_t		*dest;
	size_t			 base[PARTS + 1];	/* first record */
};

static void
dest_count(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct dests *ds = arg;
	size_t p, i, c, e;

	(void)thread;
	for (p = begin; p < end; p++) {
		e = part_start(ds->ng, PARTS, p + 1);
		for (c = 0, i = part_start(ds->ng, PARTS, p); i < e; i++)
			c += COUNT(ds->g[i]);
		ds->base[p + 1] = c;
	}
}

static void
dest_fill(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct dests *ds = arg;
	size_t p, i, k, o, e;

	(void)thread;
	for (p = begin; p < end; p++)
		for (o = ds->base[p], i = part_start(ds->ng, PARTS, p),
		    e = part_start(ds->ng, PARTS, p + 1); i < e; i++)
			for (k = 0; k < COUNT(ds->g[i]); k++)
				ds->dest[ds->g[i].first + k] = (uint32_t)o++;
}

/* Move every record to its place in group order: dest[i] is where
 * record i goes, worked out on every core. */
static int
permute(struct zone *z, const struct group *g, size_t ng)
{
	struct dests ds;
	size_t p;
	unsigned threads = threads_for(z->n);

	if ((ds.dest = malloc((z->n ? z->n : 1) * sizeof(*ds.dest))) == NULL)
		return -1;
	ds.g = g;
	ds.ng = ng;
	ds.base[0] = 0;
	(void)workpool_run(PARTS, 1, threads, dest_count, &ds);
	for (p = 0; p < PARTS; p++)
		ds.base[p + 1] += ds.base[p];
	(void)workpool_run(PARTS, 1, threads, dest_fill, &ds);
	place(z->rr, ds.dest, 0, z->n, 1);
	free(ds.dest);
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

/*
 * The same as finish_names(), for records in group order: the groups
 * tell where each name starts, so no owner is read.  The groups are cut
 * into parts at names, each part finished on its own (on every core),
 * its records kept at its start; the parts are then joined.
 */
#define FINISH_AHEAD	32	/* records */

struct parts {
	struct rr		*rr;
	const struct group	*g;
	size_t			*gstart;	/* first group of each part */
	size_t			*rstart;	/* its first record */
	size_t			*kept;		/* records kept */
};

static void
finish_part(struct parts *p, size_t part)
{
	const struct group *g = p->g;
	size_t gi, gj, i, j, k, o;

	o = i = p->rstart[part];
	for (gi = p->gstart[part]; gi < p->gstart[part + 1]; gi = gj) {
		/* The RDATA compared below is all over the arena: fetch
		 * that of the names ahead while these are done. */
		for (k = i + FINISH_AHEAD; k < i + FINISH_AHEAD +
		    COUNT(g[gi]) && k < p->rstart[part + 1]; k++)
			__builtin_prefetch(p->rr[k].rdata);
		j = i + COUNT(g[gi]);
		for (gj = gi + 1; gj < p->gstart[part + 1] &&
		    (g[gj].count & SAME_NAME); gj++) {
			for (k = j; k < j + COUNT(g[gj]); k++)
				p->rr[k].owner = p->rr[i].owner;
			j += COUNT(g[gj]);
		}
		sort_records(p->rr + i, j - i);
		for (k = i; k < j; k++)
			if (k == i || same_owner_cmp(&p->rr[o - 1], &p->rr[k]))
				p->rr[o++] = p->rr[k];
		i = j;
	}
	p->kept[part] = o - p->rstart[part];
}

static void
finish_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	size_t part;

	(void)thread;
	for (part = begin; part < end; part++)
		finish_part(arg, part);
}

static int
finish_groups(struct zone *z, const struct group *g, size_t ng)
{
	struct parts p;
	size_t np = z->n < PARALLEL_FROM ? 1 : 64, i, gi = 0, r = 0, o;
	size_t *mem;

	if ((mem = malloc(3 * (np + 1) * sizeof(*mem))) == NULL)
		return -1;
	p.rr = z->rr;
	p.g = g;
	p.gstart = mem;
	p.rstart = mem + np + 1;
	p.kept = mem + 2 * (np + 1);
	/* Part i starts at the first name from group ng * i / np on. */
	for (i = 0; i < np; i++) {
		size_t want = ng * i / np;
		while (gi < want || (gi < ng && gi > 0 &&
		    (g[gi].count & SAME_NAME)))
			r += COUNT(g[gi++]);
		p.gstart[i] = gi;
		p.rstart[i] = r;
	}
	p.gstart[np] = ng;
	p.rstart[np] = z->n;
	if (np == 1)
		finish_part(&p, 0);
	else
		(void)workpool_run(np, 1, workpool_cores(), finish_some, &p);
	for (i = 0, o = 0; i < np; i++) {
		if (o != p.rstart[i] && p.kept[i] > 0)
			memmove(z->rr + o, z->rr + p.rstart[i],
			    p.kept[i] * sizeof(*z->rr));
		o += p.kept[i];
	}
	z->n = o;
	free(mem);
	return 0;
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
	    permute(z, g, ng) == 0) {
		if (finish_groups(z, g, ng) != 0)
			finish_names(z);
	} else {
		/* Short of memory for the fast path: a plain comparison sort
		 * gives the same order. */
		qsort(z->rr, z->n, sizeof(*z->rr), rr_full_cmp);
		finish_names(z);
	}
	free(g);
	z->sorted = true;
}
