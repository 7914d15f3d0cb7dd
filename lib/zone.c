/*
 * The zone container: records, files, the apex, RRset iteration and the
 * position of every record relative to the zone cuts.
 */
#define _GNU_SOURCE	/* mremap(2) */
#include <sys/mman.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "dname.h"
#include "rrtype.h"
#include "wire.h"
#include "workpool.h"
#include "zone.h"

struct zone *
zone_new(void)
{
	struct zone *z;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	if ((z->arena = arena_new()) == NULL) {
		free(z);
		return NULL;
	}
	z->intern = calloc(ZONE_INTERN, sizeof(*z->intern));
	z->interned = arena_new();
	if (zone_file_index(z, "") != 0) {
		zone_free(z);
		return NULL;
	}
	return z;
}

/*
 * The record array grows by mremap(2) where there is one: realloc(3)
 * would copy it, and for a moment hold the old and the new array, which
 * for a zone of millions of records is most of the peak memory.
 * ThreadSanitizer does not see mremap(2) give addresses back, and takes
 * two zones filled on two threads (zread.c) at one address in turn for
 * a race: under it, realloc(3).
 */
#if defined(MREMAP_MAYMOVE) && !defined(__SANITIZE_THREAD__)
#define GROW_BY_MREMAP
#endif
static struct rr *
grow_records(struct rr *old, size_t oldcap, size_t cap)
{
#ifdef GROW_BY_MREMAP
	void *p;

	if (old == NULL)
		p = mmap(NULL, cap * sizeof(*old), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		p = mremap(old, oldcap * sizeof(*old), cap * sizeof(*old),
		    MREMAP_MAYMOVE);
	return p == MAP_FAILED ? NULL : p;
#else
	(void)oldcap;
	return realloc(old, cap * sizeof(*old));
#endif
}

static void
free_records(struct rr *rr, size_t cap)
{
#ifdef GROW_BY_MREMAP
	if (rr != NULL)
		munmap(rr, cap * sizeof(*rr));
#else
	(void)cap;
	free(rr);
#endif
}

/*
 * Lower-case octets 'A' to 'Z' of n octets, eight at a time.  Over a
 * whole wire name this lower-cases every label: length octets are below
 * 64, so never letters.
 */
static void
lower_octets(uint8_t *dst, const uint8_t *src, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t w, h, ge, gt;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, src + i, 8);
		h = w & ~high;
		ge = h + ones * (0x80 - 'A');	/* high bit: >= 'A' */
		gt = h + ones * (0x7f - 'Z');	/* high bit: > 'Z' */
		w |= ((ge & ~gt & ~w & high) >> 2);
		memcpy(dst + i, &w, 8);
	}
	for (; i < n; i++)
		dst[i] = src[i] >= 'A' && src[i] <= 'Z' ?
		    src[i] + ('a' - 'A') : src[i];
}

/*
 * RDATA in canonical form (RFC 4034 §6.2): an NS target that is a well
 * formed name is lower-cased octet by octet; anything else goes through
 * rdata_canonicalize(), which gives the same octets for such a name.
 */
static void
canonicalize(uint16_t type, uint8_t *rd, size_t rdlen)
{
	if (type == T_NS && dname_len_bounded(rd, rdlen) == rdlen)
		lower_octets(rd, rd, rdlen);
	else
		(void)rdata_canonicalize(type, rd, rdlen);
}

/* RDATA that is unique to its record by nature (digests, signatures,
 * the next name of a chain) gains nothing from the cache below. */
static bool
worth_interning(uint16_t type, size_t rdlen)
{
	if (rdlen > 64)
		return false;
	switch (type) {
	case T_DS: case T_CDS: case T_RRSIG: case T_NSEC: case T_NSEC3:
		return false;
	}
	return true;
}

/* A hash of at most 64 octets, eight at a time. */
static uint64_t
hash_rdata(uint16_t type, const uint8_t *rd, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ ((uint64_t)type << 16 | n), w;	/* wire-lint: not wire: a hash */
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, rd + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 29;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, rd + i, n - i);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
	}
	h ^= h >> 32;
	return (h * 0xc4ceb9fe1a85ec53u) | 1;	/* 0: not cached */
}

/*
 * Small RDATA is interned through a direct-mapped cache: the name-server
 * names of a TLD zone repeat across thousands of delegations, and one
 * copy serves them all.  The cache never grows; a miss only costs a copy.
 * rd is canonical already, h its hash_rdata().
 */
static const uint8_t **
intern_slot(const struct zone *z, uint64_t h)
{
	return &z->intern[(h >> 40) & (ZONE_INTERN - 1)];	/* wire-lint: not wire */
}

static const uint8_t *
intern_canonical(struct zone *z, uint16_t type, const uint8_t *rd,
    size_t rdlen, uint64_t h)
{
	const uint8_t **slot = intern_slot(z, h), *p = *slot;
	uint8_t *copy;

	/* The copy: the type, the length in one octet, the RDATA. */
	if (p != NULL && wire_get16(p) == type && p[2] == rdlen &&
	    memcmp(p + 3, rd, rdlen) == 0)
		return p + 3;
	if ((copy = arena_alloc(z->interned, rdlen + 3)) == NULL)
		return NULL;
	copy[2] = (uint8_t)rdlen;
	(void)wire_put16(copy, type);
	memcpy(copy + 3, rd, rdlen);
	*slot = copy;
	return copy + 3;
}

static bool
cached(const struct zone *z, uint16_t type, size_t rdlen)
{
	return worth_interning(type, rdlen) && z->intern != NULL &&
	    z->interned != NULL;
}

/* RDATA as the zone keeps it: canonical, interned when worth it. */
static const uint8_t *
keep_rdata(struct zone *z, uint16_t type, const uint8_t *rdata,
    size_t rdlen)
{
	uint8_t tmp[64], *rd;

	if (!cached(z, type, rdlen)) {
		if ((rd = arena_dup(z->arena, rdata, rdlen)) != NULL)
			canonicalize(type, rd, rdlen);
		return rd;
	}
	/* Canonicalize a copy on the stack first: the cache holds
	 * canonical RDATA only. */
	memcpy(tmp, rdata, rdlen);
	canonicalize(type, tmp, rdlen);
	return intern_canonical(z, type, tmp, rdlen,
	    hash_rdata(type, tmp, rdlen));
}

void
zone_free(struct zone *z)
{
	size_t i;

	if (z == NULL)
		return;
	for (i = 0; i < z->nfiles; i++)
		free(z->files[i]);
	free(z->files);
	free_records(z->rr, z->cap);
	free(z->intern);
	arena_free(z->interned);
	arena_free(z->arena);
	zone_free(z->part);
	free(z);
}

struct move {
	struct rr		*to;
	const struct rr		*from;
	size_t			 n, nfiles;
	const uint16_t		*map;	/* file index in part to in z */
	uint32_t		 lines;
};

static void
move_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	const struct move *mv = arg;
	size_t i;

	(void)thread;
	for (i = begin; i < end; i++) {
		struct rr *r = &mv->to[i];
		*r = mv->from[i];
		r->file = r->file < mv->nfiles ? mv->map[r->file] : 0;
		r->line += mv->lines;
	}
}

/*
 * Move the records of part, read apart (a piece of the same input read
 * on another thread), to the end of z, their line numbers moved by
 * lines.  part is z's from then on: its names and RDATA stay where they
 * are, and are freed with z.  Returns -1 when z cannot grow (z is then
 * as it was, and part still the caller's).
 */
int
zone_append(struct zone *z, struct zone *part, uint32_t lines)
{
	uint16_t map[256];
	size_t i, cap;
	struct rr *nr;
	struct zone **tail;

	if (part->nfiles > 256)
		return -1;
	for (i = 0; i < part->nfiles; i++)
		if ((map[i] = zone_file_index(z, part->files[i])) == 0 &&
		    i != 0)
			return -1;
	if (z->n + part->n > z->cap) {
		for (cap = z->cap ? z->cap : 1024; cap < z->n + part->n;)
			cap *= 2;
		if ((nr = grow_records(z->rr, z->cap, cap)) == NULL)
			return -1;
		z->rr = nr;
		z->cap = cap;
	}
	{
		struct move mv = { z->rr + z->n, part->rr, part->n, part->nfiles,
		    map, lines };
		(void)workpool_run(part->n, 65536, part->n < 65536 ? 1 :
		    workpool_cores(), move_some, &mv);
	}
	z->n += part->n;
	z->sorted = false;
	free_records(part->rr, part->cap);
	part->rr = NULL;
	part->n = part->cap = 0;
	for (tail = &part->part; *tail != NULL; tail = &(*tail)->part)
		;
	*tail = z->part;
	z->part = part;
	return 0;
}

/* The index of a file name, added when new.  Returns 0 on failure: the
 * record is then reported without a place, which is still a report. */
uint16_t
zone_file_index(struct zone *z, const char *name)
{
	size_t i;
	char **f;

	for (i = z->nfiles; i-- > 0;)
		if (strcmp(z->files[i], name) == 0)
			return (uint16_t)i;
	if (z->nfiles >= 65535)
		return 0;
	if ((f = realloc(z->files, (z->nfiles + 1) * sizeof(*f))) == NULL)
		return 0;
	z->files = f;
	if ((f[z->nfiles] = strdup(name)) == NULL)
		return 0;
	return (uint16_t)z->nfiles++;
}

const char *
zone_rr_file(const struct zone *z, const struct rr *r)
{
	return r->file < z->nfiles ? z->files[r->file] : "";
}

void
zone_die_rr(const struct zone *z, const struct rr *r, const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	va_start(ap, fmt);
	diag_vset(&d, zone_rr_file(z, r), r->line, fmt, ap);
	va_end(ap);
	diag_die(&d);
}

/* The length of an owner; the last one added is remembered, since a
 * zone's records mostly come name by name. */
static size_t
owner_len(const struct zone *z, const uint8_t *owner)
{
	return owner == z->last_owner ? z->last_olen : dname_len(owner);
}

/*
 * Append a record whose owner (olen octets) is lower case and whose RDATA
 * is where the zone keeps it.  The owner of the previous record is shared
 * when equal, which halves the memory of a typical delegation-only zone.
 */
static struct rr *
append(struct zone *z, const uint8_t *low, size_t olen, uint16_t type,
    uint16_t rclass, uint32_t ttl, const uint8_t *rd, size_t rdlen,
    uint16_t file, uint32_t line)
{
	struct rr *r;
	uint8_t *o;

	if (z->n == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 1024;
		struct rr *nr = grow_records(z->rr, z->cap, cap);
		if (nr == NULL)
			return NULL;
		z->rr = nr;
		z->cap = cap;
	}
	r = &z->rr[z->n];
	/* The previous owner is kept lower case: plain octets compare. */
	if (z->n > 0 && owner_len(z, z->rr[z->n - 1].owner) == olen &&
	    memcmp(z->rr[z->n - 1].owner, low, olen) == 0)
		r->owner = z->rr[z->n - 1].owner;
	else {
		if ((o = arena_dup(z->arena, low, olen)) == NULL)
			return NULL;
		r->owner = o;
	}
	z->last_owner = r->owner;
	z->last_olen = olen;
	r->rdata = rd;
	r->rdlen = (uint16_t)rdlen;
	r->ttl = ttl;
	r->type = type;
	r->rclass = rclass;
	r->file = file;
	r->line = line;
	z->n++;
	z->sorted = false;
	return r;
}

/*
 * Append a record, copying owner and RDATA into the arena; the owner is
 * lower-cased and the RDATA put in canonical form.  file is an index
 * from zone_file_index().
 */
struct rr *
zone_add_at(struct zone *z, const uint8_t *owner, uint16_t type,
    uint16_t rclass, uint32_t ttl, const uint8_t *rdata, size_t rdlen,
    uint16_t file, uint32_t line)
{
	size_t olen = dname_len(owner);
	uint8_t low[DNAME_MAXLEN];
	const uint8_t *rd = NULL;

	if (rdlen > 65535 || olen > DNAME_MAXLEN)
		return NULL;
	lower_octets(low, owner, olen);
	if (rdlen > 0 && (rd = keep_rdata(z, type, rdata, rdlen)) == NULL)
		return NULL;
	return append(z, low, olen, type, rclass, ttl, rd, rdlen, file, line);
}

/*
 * Storing in two steps, for a caller with many records at hand that can
 * look ahead (zpipe.c).  zone_prepare() puts a record's owner and RDATA,
 * in the caller's memory, in the form the zone keeps them (lower case,
 * canonical) and returns the hash by which the RDATA cache finds them (0:
 * not cached); zone_prefetch() fetches the cache slot (step 0) and then
 * the entry in it (step 1) of that hash some records ahead of
 * zone_add_prepared(), which stores the record as zone_add_at() would.
 */
uint64_t
zone_prepare(uint16_t type, uint8_t *owner, size_t olen, uint8_t *rdata,
    size_t rdlen)
{
	lower_octets(owner, owner, olen);
	if (rdlen == 0)
		return 0;
	canonicalize(type, rdata, rdlen);
	return worth_interning(type, rdlen) ? hash_rdata(type, rdata, rdlen) :
	    0;
}

void
zone_prefetch(const struct zone *z, uint64_t h, int step)
{
	const uint8_t **slot;

	if (h == 0 || z->intern == NULL)
		return;
	slot = intern_slot(z, h);
	if (step == 0)
		__builtin_prefetch(slot);
	else if (*slot != NULL)
		__builtin_prefetch(*slot);
}

struct rr *
zone_add_prepared(struct zone *z, const uint8_t *owner, size_t olen,
    uint16_t type, uint16_t rclass, uint32_t ttl, const uint8_t *rdata,
    size_t rdlen, uint64_t h, uint16_t file, uint32_t line)
{
	const uint8_t *rd = NULL;

	if (rdlen > 65535 || olen > DNAME_MAXLEN)
		return NULL;
	if (rdlen > 0) {
		rd = h != 0 && cached(z, type, rdlen) ?
		    intern_canonical(z, type, rdata, rdlen, h) :
		    arena_dup(z->arena, rdata, rdlen);
		if (rd == NULL)
			return NULL;
	}
	return append(z, owner, olen, type, rclass, ttl, rd, rdlen, file,
	    line);
}

struct rr *
zone_add(struct zone *z, const uint8_t *owner, uint16_t type,
    uint16_t rclass, uint32_t ttl, const uint8_t *rdata, size_t rdlen,
    const char *file, uint32_t line)
{
	return zone_add_at(z, owner, type, rclass, ttl, rdata, rdlen,
	    file ? zone_file_index(z, file) : 0, line);
}

void
zone_remove_if(struct zone *z, bool (*drop)(const struct rr *, void *),
    void *arg)
{
	size_t i, j = 0;

	for (i = 0; i < z->n; i++)
		if (!drop(&z->rr[i], arg))
			z->rr[j++] = z->rr[i];
	z->n = j;
}

bool
rr_same_set(const struct rr *a, const struct rr *b)
{
	/* Owners are lower case (zone_add()): octets suffice. */
	return a->type == b->type && a->rclass == b->rclass &&
	    (a->owner == b->owner || dname_same(a->owner, b->owner));
}

/* Index past the RRset that starts at i (records must be sorted). */
size_t
zone_rrset_end(const struct zone *z, size_t i)
{
	size_t j = i + 1;

	while (j < z->n && rr_same_set(&z->rr[i], &z->rr[j]))
		j++;
	return j;
}

/* Index past the records of the owner name at i. */
size_t
zone_name_end(const struct zone *z, size_t i)
{
	size_t j = i + 1;

	while (j < z->n && (z->rr[j].owner == z->rr[i].owner ||
	    dname_same(z->rr[j].owner, z->rr[i].owner)))
		j++;
	return j;
}

/* Binary search in a sorted zone: the first record of (owner, type), or
 * z->n when there is none.  type 0 finds the first record of the name. */
size_t
zone_find(const struct zone *z, const uint8_t *owner, uint16_t type)
{
	size_t lo = 0, hi = z->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = dname_canon_cmp(z->rr[mid].owner, owner);
		if (c == 0 && type != 0)
			c = z->rr[mid].type < type ? -1 :
			    z->rr[mid].type > type;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < z->n && dname_equal(z->rr[lo].owner, owner) &&
	    (type == 0 || z->rr[lo].type == type))
		return lo;
	return z->n;
}

/*
 * Every record at or below the apex and of the SOA's class, checked in
 * parts on every core; the first record that is not, in input order, is
 * the one reported.
 */
#define APEX_PARTS	64

struct apex_check {
	const struct zone	*z;
	uint16_t		 rclass;
	size_t			 bad[APEX_PARTS];	/* first bad, or n */
};

static void
check_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct apex_check *ac = arg;
	const struct zone *z = ac->z;
	size_t p, i, e;

	(void)thread;
	for (p = begin; p < end; p++) {
		ac->bad[p] = z->n;
		e = z->n * (p + 1) / APEX_PARTS;
		for (i = z->n * p / APEX_PARTS; i < e; i++) {
			const struct rr *r = &z->rr[i];
			/* An owner shared with the record before is
			 * checked. */
			if (i > 0 && r->owner == r[-1].owner &&
			    r->rclass == r[-1].rclass)
				continue;
			if (r->rclass != ac->rclass ||
			    !dname_is_at_or_below(r->owner, z->apex)) {
				ac->bad[p] = i;
				break;
			}
		}
	}
}

static int
check_in_zone(const struct zone *z, uint16_t rclass, struct diag *d)
{
	struct apex_check ac;
	char text[DNAME_MAXTEXT];
	const struct rr *r;
	size_t p;

	ac.z = z;
	ac.rclass = rclass;
	(void)workpool_run(APEX_PARTS, 1, z->n < 65536 ? 1 :
	    workpool_cores(), check_some, &ac);
	for (p = 0; p < APEX_PARTS && ac.bad[p] == z->n; p++)
		;
	if (p == APEX_PARTS)
		return 0;
	r = &z->rr[ac.bad[p]];
	if (!dname_is_at_or_below(r->owner, z->apex)) {
		dname_to_text(r->owner, text);
		diag_set(d, zone_rr_file(z, r), r->line,
		    "%s is outside the zone", text);
	} else
		diag_set(d, zone_rr_file(z, r), r->line,
		    "class differs from the SOA's class");
	return -1;
}

/*
 * The apex is the owner of the one SOA record (RFC 1035 §5.2); every
 * record must be at or below it and of its class.  With origin given,
 * the SOA must be there.
 */
int
zone_find_apex(struct zone *z, const char *origin, struct diag *d)
{
	const struct rr *soa = NULL;
	uint8_t want[DNAME_MAXLEN];
	char text[DNAME_MAXTEXT];
	size_t i;

	for (i = 0; i < z->n; i++) {
		if (z->rr[i].type != T_SOA)
			continue;
		if (soa != NULL) {
			diag_set(d, zone_rr_file(z, &z->rr[i]), z->rr[i].line,
			    "second SOA record in the zone");
			return -1;
		}
		soa = &z->rr[i];
	}
	if (soa == NULL) {
		diag_set(d, z->nfiles > 1 ? z->files[1] : "", 0,
		    "no SOA record: not a zone (RFC 1035 section 5.2)");
		return -1;
	}
	if (origin != NULL && strcmp(origin, ".") != 0) {
		if (dname_from_text(origin, (const uint8_t *)"", want) < 0 ||
		    !dname_equal(want, soa->owner)) {
			dname_to_text(soa->owner, text);
			diag_set(d, zone_rr_file(z, soa), soa->line,
			    "SOA owner %s is not the origin %s", text,
			    origin);
			return -1;
		}
	}
	z->apex = soa->owner;
	return check_in_zone(z, soa->rclass, d);
}

/*
 * Classify every record of a sorted zone with a known apex (RFC 4035
 * §2.2, RFC 4034 §4.1.3): at a delegation point only DS, NSEC and their
 * RRSIGs are authoritative and the NS is not; anything below a cut is
 * glue (addresses) or occluded; anything below a DNAME is occluded
 * (RFC 6672 §2.3).  Canonical order lists every name right after its
 * ancestors, so one pass with the innermost cut suffices.  Returns a
 * malloc'd array of enum rr_where, one per record, or NULL.
 */
uint8_t *
zone_classify(const struct zone *z)
{
	uint8_t *w;
	const uint8_t *cut = NULL, *dname = NULL;
	size_t i, j, end;

	if ((w = malloc(z->n ? z->n : 1)) == NULL)
		return NULL;
	for (i = 0; i < z->n; i = end) {
		const uint8_t *name = z->rr[i].owner;
		bool is_apex = dname_equal(name, z->apex), has_ns = false;
		bool has_dname = false;

		end = zone_name_end(z, i);
		if (cut != NULL && !dname_is_below(name, cut))
			cut = NULL;
		if (dname != NULL && !dname_is_below(name, dname))
			dname = NULL;
		if (cut != NULL || dname != NULL) {
			for (j = i; j < end; j++)
				w[j] = cut != NULL && (z->rr[j].type == T_A ||
				    z->rr[j].type == T_AAAA) ? RR_GLUE :
				    RR_OCCLUDED;
			continue;
		}
		for (j = i; j < end; j++) {
			has_ns |= z->rr[j].type == T_NS;
			has_dname |= z->rr[j].type == T_DNAME;
		}
		for (j = i; j < end; j++) {
			uint16_t t = z->rr[j].type;
			if (is_apex || !has_ns)
				w[j] = RR_AUTH;
			else if (t == T_NS)
				w[j] = RR_DELEG;
			else if (t == T_DS || t == T_NSEC || t == T_RRSIG)
				w[j] = RR_AUTH;
			else if (t == T_A || t == T_AAAA)
				w[j] = RR_GLUE;
			else
				w[j] = RR_OCCLUDED;
		}
		if (has_ns && !is_apex)
			cut = name;
		if (has_dname)
			dname = name;
	}
	return w;
}
