/*
 * See nsecchain.h.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dname.h"
#include "nsec3.h"
#include "nsecchain.h"
#include "rrtype.h"
#include "typebitmap.h"
#include "wire.h"
#include "workpool.h"
#include "zone.h"

#define HASH_CHUNK	4096	/* names hashed by one thread at once */

/* A name of the chain: records [first, end) of the zone, none for an
 * empty non-terminal. */
struct name {
	const uint8_t	*owner;
	uint32_t	 first, end;
	uint8_t		 hash[NSEC3_HASH_LEN];
};

struct chain {
	struct zone			*z;
	const uint8_t			*where;
	const struct nsecchain_params	*p;
	size_t				 n0;	/* the zone's own */
	struct name			*name;
	size_t				 nname, cap;
	uint16_t			*types;	/* one name's */
	size_t				 ntypes;
	int				 hash_failed;
};

static bool
is_data(const struct chain *c, size_t j)
{
	return c->where[j] == RR_AUTH || c->where[j] == RR_DELEG;
}

/* Index past the records of the name at i, among the zone's own. */
static size_t
group_end(const struct chain *c, size_t i)
{
	const struct rr *rr = c->z->rr;
	size_t j = i + 1;

	while (j < c->n0 && (rr[j].owner == rr[i].owner ||
	    dname_equal(rr[j].owner, rr[i].owner)))
		j++;
	return j;
}

/*
 * What the name of records [i, e) holds: data (authoritative records or
 * a delegation NS: RFC 4035 §2.3 and RFC 5155 §7.1 give such a name a
 * record of the chain), a delegation, a DS, and signed RRsets (every
 * authoritative RRset is signed, RFC 4035 §2.2).
 */
static bool
has_data(const struct chain *c, size_t i, size_t e, bool *deleg, bool *ds,
    bool *sig)
{
	bool data = false;
	size_t j;

	*deleg = *ds = *sig = false;
	for (j = i; j < e; j++) {
		if (!is_data(c, j))
			continue;
		data = true;
		if (c->where[j] == RR_DELEG)
			*deleg = true;
		else
			*sig = true;
		if (c->z->rr[j].type == T_DS)
			*ds = true;
	}
	return data;
}

static int
add_name(struct chain *c, const uint8_t *owner, size_t first, size_t end)
{
	struct name *nm;

	if (c->nname == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 1024;
		if ((nm = realloc(c->name, cap * sizeof(*nm))) == NULL)
			return -1;
		c->name = nm;
		c->cap = cap;
	}
	nm = &c->name[c->nname++];
	nm->owner = owner;
	nm->first = (uint32_t)first;
	nm->end = (uint32_t)end;
	return 0;
}

/*
 * The type bit map of a name: the types of its authoritative records and
 * of a delegation's NS (records of a name are sorted by type), and the
 * extra ones given (RRSIG, NSEC).
 */
static size_t
name_bitmap(struct chain *c, const struct name *nm, const uint16_t *extra,
    size_t nextra, uint8_t *bm)
{
	size_t j, n = 0, want = nm->end - nm->first + nextra;
	uint16_t *t;

	if (want > c->ntypes) {
		if ((t = realloc(c->types, want * sizeof(*t))) == NULL)
			return (size_t)-1;
		c->types = t;
		c->ntypes = want;
	}
	for (j = nm->first; j < nm->end; j++)
		if (is_data(c, j) && (n == 0 ||
		    c->types[n - 1] != c->z->rr[j].type))
			c->types[n++] = c->z->rr[j].type;
	for (j = 0; j < nextra; j++)
		c->types[n++] = extra[j];
	return typebitmap_make(c->types, n, bm);
}

/* Where a record of type t owned by the name of records [i, e) goes:
 * before the name's first record of a higher type. */
static size_t
type_pos(const struct chain *c, size_t i, size_t e, uint16_t t)
{
	while (i < e && c->z->rr[i].type <= t)
		i++;
	return i;
}

/*
 * NSEC (RFC 4034 §4.1, RFC 4035 §2.3): one record per name with data,
 * pointing to the next such name in canonical order, the last to the
 * apex; its bit map holds the name's types, RRSIG and NSEC.
 */
static int
build_nsec(struct chain *c, size_t **posp, struct nsecchain_stats *st,
    struct diag *d)
{
	static const uint16_t extra[] = { T_RRSIG, T_NSEC };
	struct zone *z = c->z;
	uint8_t *rd = NULL, *bm;
	size_t i, e, k, *pos = NULL, nl, bl;
	bool deleg, ds, sig;
	struct rr *r;

	for (i = 0; i < c->n0; i = e) {
		e = group_end(c, i);
		if (has_data(c, i, e, &deleg, &ds, &sig) &&
		    add_name(c, z->rr[i].owner, i, e) != 0)
			goto oom;
	}
	if ((pos = malloc((c->nname ? c->nname : 1) * sizeof(*pos))) ==
	    NULL || (rd = malloc(DNAME_MAXLEN + TYPEBITMAP_MAX)) == NULL)
		goto oom;
	for (k = 0; k < c->nname; k++) {
		const struct name *nm = &c->name[k];
		const uint8_t *next = c->name[(k + 1) % c->nname].owner;

		nl = dname_len(next);
		memcpy(rd, next, nl);
		bm = rd + nl;
		if ((bl = name_bitmap(c, nm, extra, 2, bm)) == (size_t)-1)
			goto oom;
		pos[k] = type_pos(c, nm->first, nm->end, T_NSEC);
		if ((r = zone_add_at(z, nm->owner, T_NSEC,
		    z->rr[nm->first].rclass, c->p->ttl, rd, nl + bl, 0,
		    0)) == NULL)
			goto oom;
		r->owner = nm->owner;
	}
	st->records = c->nname;
	free(rd);
	*posp = pos;
	return 0;
oom:
	free(rd);
	free(pos);
	diag_set(d, NULL, 0, "out of memory");
	return -1;
}

/*
 * The names of the NSEC3 chain in canonical order (RFC 5155 §7.1): every
 * name with data but the insecure delegations that opt-out leaves out,
 * and the empty non-terminals above them.  Canonical order lists a name
 * after its ancestors and before any name outside its subtree, so a
 * stack of the chain's names that are ancestors of the current one
 * finds the empty ones: the labels between the deepest of them and the
 * current name.  Insecure delegations left out are never pushed, so an
 * empty non-terminal that only leads to them gets no record.
 */
static int
collect_nsec3(struct chain *c, struct nsecchain_stats *st)
{
	const struct zone *z = c->z;
	const uint8_t *stack[130];
	int depth = 0;
	size_t i, e;

	for (i = 0; i < c->n0; i = e) {
		const uint8_t *owner = z->rr[i].owner, *anc;
		bool deleg, ds, sig;
		int lab, top, k, skip;

		e = group_end(c, i);
		if (!has_data(c, i, e, &deleg, &ds, &sig))
			continue;
		if (c->p->optout && deleg && !ds) {
			st->optout++;
			continue;
		}
		while (depth > 0 && !dname_is_below(owner, stack[depth - 1]))
			depth--;
		lab = dname_labels(owner);
		top = depth > 0 ? dname_labels(stack[depth - 1]) : lab - 1;
		for (k = top + 1; k < lab; k++) {
			for (anc = owner, skip = lab - k; skip > 0; skip--)
				anc += *anc + 1;
			if (add_name(c, anc, 0, 0) != 0)
				return -1;
			st->ents++;
			if (depth < 128)
				stack[depth++] = anc;
		}
		if (add_name(c, owner, i, e) != 0)
			return -1;
		if (depth < 128)
			stack[depth++] = owner;
	}
	return 0;
}

static void
hash_names(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct chain *c = arg;
	const struct nsecchain_params *p = c->p;
	size_t i;

	(void)thread;
	for (i = begin; i < end; i++)
		if (nsec3_hash(c->name[i].owner, p->salt, p->saltlen,
		    p->iterations, c->name[i].hash) != 0)
			c->hash_failed = 1;
}

static int
hash_cmp(const void *a, const void *b)
{
	return memcmp(((const struct name *)a)->hash,
	    ((const struct name *)b)->hash, NSEC3_HASH_LEN);
}

/*
 * Where each NSEC3 record goes: its owner, the hash as a label under the
 * apex, is found among the zone's names by walking both in canonical
 * order (hash order is the canonical order of such owners).
 */
static void
nsec3_positions(const struct chain *c, uint8_t (*owners)[DNAME_MAXLEN],
    size_t *pos)
{
	const struct zone *z = c->z;
	size_t k, at = 0, e;

	for (k = 0; k < c->nname; k++) {
		while (at < c->n0 &&
		    dname_canon_cmp(z->rr[at].owner, owners[k]) < 0)
			at = group_end(c, at);
		if (at < c->n0 && dname_equal(z->rr[at].owner, owners[k])) {
			e = group_end(c, at);
			pos[k] = type_pos(c, at, e, T_NSEC3);
		} else
			pos[k] = at;
	}
}

static size_t
nsec3_owner(const uint8_t *hash, const uint8_t *apex, uint8_t *out)
{
	char b32[40];
	size_t n = nsec3_b32hex_encode(hash, NSEC3_HASH_LEN, b32), alen;

	alen = dname_len(apex);
	out[0] = (uint8_t)n;
	memcpy(out + 1, b32, n);
	memcpy(out + 1 + n, apex, alen);
	return 1 + n + alen;
}

/*
 * NSEC3 (RFC 5155 §7.1): the names hashed, in hash order, each record
 * pointing to the next hash, the last to the first; the bit map holds
 * the name's types and RRSIG when an RRset there is signed, nothing for
 * an empty non-terminal.  Hash algorithm 1 (SHA-1), the only one.
 */
static int
build_nsec3(struct chain *c, size_t **posp, struct nsecchain_stats *st,
    struct diag *d)
{
	static const uint16_t rrsig[] = { T_RRSIG };
	struct zone *z = c->z;
	const struct nsecchain_params *p = c->p;
	uint8_t (*owners)[DNAME_MAXLEN] = NULL, *rd = NULL, *q;
	size_t k, *pos = NULL, bl;
	char t1[DNAME_MAXTEXT], t2[DNAME_MAXTEXT];
	struct rr *r;

	if (dname_len(z->apex) + 33 > DNAME_MAXLEN) {
		dname_to_text(z->apex, t1);
		diag_set(d, NULL, 0, "%s: apex too long for NSEC3 owner names "
		    "(RFC 5155 section 3)", t1);
		return -1;
	}
	if (collect_nsec3(c, st) != 0)
		goto oom;
	workpool_run(c->nname, HASH_CHUNK, p->threads, hash_names, c);
	if (c->hash_failed) {
		diag_set(d, NULL, 0, "NSEC3 hashing failed");
		return -1;
	}
	qsort(c->name, c->nname, sizeof(*c->name), hash_cmp);
	for (k = 1; k < c->nname; k++)
		if (memcmp(c->name[k - 1].hash, c->name[k].hash,
		    NSEC3_HASH_LEN) == 0) {
			dname_to_text(c->name[k - 1].owner, t1);
			dname_to_text(c->name[k].owner, t2);
			diag_set(d, NULL, 0, "NSEC3 hashes of %s and %s "
			    "collide (RFC 5155 section 7.1): choose another "
			    "salt", t1, t2);
			return -1;
		}
	if ((pos = malloc((c->nname ? c->nname : 1) * sizeof(*pos))) ==
	    NULL || (owners = malloc((c->nname ? c->nname : 1) *
	    sizeof(*owners))) == NULL ||
	    (rd = malloc(6 + 255 + 1 + NSEC3_HASH_LEN + TYPEBITMAP_MAX)) ==
	    NULL)
		goto oom;
	for (k = 0; k < c->nname; k++)
		(void)nsec3_owner(c->name[k].hash, z->apex, owners[k]);
	nsec3_positions(c, owners, pos);
	for (k = 0; k < c->nname; k++) {
		const struct name *nm = &c->name[k];

		q = rd;
		*q++ = 1;
		*q++ = p->optout ? NSEC3_OPTOUT : 0;
		q = wire_put16(q, p->iterations);
		*q++ = p->saltlen;
		memcpy(q, p->salt, p->saltlen);
		q += p->saltlen;
		*q++ = NSEC3_HASH_LEN;
		memcpy(q, c->name[(k + 1) % c->nname].hash, NSEC3_HASH_LEN);
		q += NSEC3_HASH_LEN;
		bl = 0;
		if (nm->end > nm->first) {
			bool deleg, ds, sig;
			(void)has_data(c, nm->first, nm->end, &deleg, &ds,
			    &sig);
			if ((bl = name_bitmap(c, nm, rrsig, sig ? 1 : 0, q)) ==
			    (size_t)-1)
				goto oom;
		}
		if ((r = zone_add_at(z, owners[k], T_NSEC3, z->rr[0].rclass,
		    p->ttl, rd, (size_t)(q - rd) + bl, 0, 0)) == NULL)
			goto oom;
	}
	st->records = c->nname;
	free(owners);
	free(rd);
	*posp = pos;
	return 0;
oom:
	free(owners);
	free(rd);
	free(pos);
	diag_set(d, NULL, 0, "out of memory");
	return -1;
}

int
nsecchain_build(struct zone *z, const uint8_t *where,
    const struct nsecchain_params *p, size_t **pos,
    struct nsecchain_stats *st, struct diag *d)
{
	struct chain c;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(st, 0, sizeof(*st));
	c.z = z;
	c.where = where;
	c.p = p;
	c.n0 = z->n;
	*pos = NULL;
	rc = p->nsec3 ? build_nsec3(&c, pos, st, d) : build_nsec(&c, pos, st,
	    d);
	free(c.name);
	free(c.types);
	return rc;
}
