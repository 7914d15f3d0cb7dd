/*
 * See denial.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "denial.h"
#include "dname.h"
#include "nsec3.h"
#include "report.h"
#include "rrtype.h"
#include "typebitmap.h"
#include "wire.h"
#include "workpool.h"
#include "zone.h"

#define NO_RR		UINT32_MAX
#define UNHASHED	(INT32_MIN + 1)	/* item.res of a name not hashed */
#define MAX_TYPES	4096

/* What RFC 5155 §7.1 asks of a name. */
#define CAT_MUST	1	/* must have its NSEC3 */
#define CAT_MAY		2	/* may be left out under opt-out */

#define OPT_OUT		0x01	/* NSEC3 flags, RFC 5155 §3.1.2.1 */

static const char rfc4035[] = "RFC 4035 section 2.3";
static const char rfc5155[] = "RFC 5155 section 7.1";

struct item {
	const uint8_t	*name;
	uint32_t	 first;		/* first record, NO_RR for an ENT */
	uint8_t		 cat;
	int32_t		 res;		/* chain index, or -(cover + 1) */
};

struct link {
	uint32_t	 rr;
	uint8_t		 hash[NSEC3_HASH_LEN];
	bool		 matched;
	bool		 optout;
};

struct dc {
	const struct zone	*z;
	const uint8_t		*where;
	const char		*label;
	struct report		*rep;
	struct denial_info	*info;
	unsigned		 threads;
	struct item		*item;
	size_t			 nitem, cap;
	struct link		*chain;
	size_t			 nchain;
	uint8_t			 hash_cat;	/* hash_some(): 0 for all */
	bool			 oom;
};

static void problem_rr(struct dc *, const struct rr *, const char *,
    const char *, ...) __attribute__((format(printf, 4, 5)));
static void problem_name(struct dc *, const struct item *, const char *,
    const char *, ...) __attribute__((format(printf, 4, 5)));

static void
problem_rr(struct dc *c, const struct rr *r, const char *cite,
    const char *fmt, ...)
{
	struct report_where w;
	va_list ap;

	report_at_rr(&w, c->label, c->z, r);
	w.cite = cite;
	va_start(ap, fmt);
	report_vadd(c->rep, REPORT_PROBLEM, &w, fmt, ap);
	va_end(ap);
}

/* A problem about a name: its first record gives the place; an empty
 * non-terminal has none, so the place is the zone's file. */
static void
problem_name(struct dc *c, const struct item *it, const char *cite,
    const char *fmt, ...)
{
	struct report_where w;
	va_list ap;

	if (it->first != NO_RR)
		report_at(&w, c->label, zone_rr_file(c->z,
		    &c->z->rr[it->first]), c->z->rr[it->first].line);
	else
		report_at(&w, c->label, c->label, 0);
	w.owner = it->name;
	w.cite = cite;
	va_start(ap, fmt);
	report_vadd(c->rep, REPORT_PROBLEM, &w, fmt, ap);
	va_end(ap);
}

static bool
is_auth(const struct dc *c, size_t j)
{
	return c->where[j] == RR_AUTH || c->where[j] == RR_DELEG;
}

/*
 * Whether the name of records [i, e) is a name of the zone: it has
 * authoritative data or a delegation NS, other than the denial records
 * and signatures themselves (an NSEC3 owner is not a name of the zone).
 */
static bool
has_data(const struct dc *c, size_t i, size_t e, bool *deleg, bool *ds)
{
	bool data = false;
	size_t j;

	*deleg = *ds = false;
	for (j = i; j < e; j++) {
		uint16_t t = c->z->rr[j].type;
		if (!is_auth(c, j) || t == T_RRSIG || t == T_NSEC ||
		    t == T_NSEC3)
			continue;
		data = true;
		if (c->where[j] == RR_DELEG)
			*deleg = true;
		if (t == T_DS)
			*ds = true;
	}
	return data;
}

/* The types present at the name of records [i, e), as a bitmap. */
static size_t
types_bitmap(const struct dc *c, size_t i, size_t e, bool with_nsec,
    uint8_t *bm)
{
	uint16_t types[MAX_TYPES];
	size_t j, n = 0;

	for (j = i; j < e && n < MAX_TYPES; j++) {
		uint16_t t = c->z->rr[j].type;
		if (!is_auth(c, j) || t == T_NSEC3 || (!with_nsec &&
		    t == T_NSEC))
			continue;
		if (n == 0 || types[n - 1] != t)
			types[n++] = t;
	}
	return typebitmap_make(types, n, bm);
}

static int
add_item(struct dc *c, const uint8_t *name, uint32_t first, uint8_t cat)
{
	struct item *it;

	if (c->nitem == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct item *p = realloc(c->item, cap * sizeof(*p));
		if (p == NULL) {
			c->oom = true;
			return -1;
		}
		c->item = p;
		c->cap = cap;
	}
	it = &c->item[c->nitem++];
	it->name = name;
	it->first = first;
	it->cat = cat;
	it->res = 0;
	return 0;
}

/*
 * The names of the zone in canonical order, with the empty non-terminals
 * between them (RFC 5155 §7.1).  Canonical order lists every name after
 * its ancestors and before any name outside its subtree, so a stack of
 * the current name's ancestors finds them: the ancestors of a name below
 * the deepest one on the stack, that the stack lacks, are empty.  An
 * empty non-terminal must have its NSEC3 when a name below it must; one
 * that only leads to insecure delegations may be left out under opt-out.
 */
struct anc {
	const uint8_t	*name;
	size_t		 item;
	bool		 ent;
};

static int
collect_names(struct dc *c)
{
	const struct zone *z = c->z;
	struct anc stack[130];
	int depth = 0;
	size_t i, e;

	for (i = 0; i < z->n; i = e) {
		const uint8_t *name = z->rr[i].owner;
		bool deleg, ds;
		uint8_t cat;
		int lab, top, k;

		e = zone_name_end(z, i);
		if (!has_data(c, i, e, &deleg, &ds))
			continue;
		cat = deleg && !ds ? CAT_MAY : CAT_MUST;
		while (depth > 0 && !dname_is_below(name,
		    stack[depth - 1].name))
			depth--;
		lab = dname_labels(name);
		top = depth > 0 ? dname_labels(stack[depth - 1].name) : lab;
		for (k = top + 1; k < lab && depth < 128; k++) {
			const uint8_t *anc = name;
			int skip;
			for (skip = lab - k; skip > 0; skip--)
				anc += *anc + 1;
			if (add_item(c, anc, NO_RR, CAT_MAY) != 0)
				return -1;
			stack[depth].name = anc;
			stack[depth].item = c->nitem - 1;
			stack[depth].ent = true;
			depth++;
			c->info->ents++;
		}
		if (add_item(c, name, (uint32_t)i, cat) != 0)
			return -1;
		if (cat == CAT_MUST)
			for (k = depth - 1; k >= 0; k--) {
				struct item *it = &c->item[stack[k].item];
				if (!stack[k].ent)
					continue;
				if (it->cat == CAT_MUST)
					break;
				it->cat = CAT_MUST;
			}
		if (depth < 128) {
			stack[depth].name = name;
			stack[depth].item = c->nitem - 1;
			stack[depth].ent = false;
			depth++;
		}
	}
	return 0;
}

/* NSEC (RFC 4034 §4, RFC 4035 §2.3). */
static void
check_nsec(struct dc *c)
{
	const struct zone *z = c->z;
	uint8_t want[TYPEBITMAP_MAX];
	char wt[TYPEBITMAP_TEXT], ht[TYPEBITMAP_TEXT];
	size_t i, e, j, *chain = NULL, n = 0, k;

	for (i = 0; i < z->n; i++)
		n += z->rr[i].type == T_NSEC;
	if ((chain = malloc((n ? n : 1) * sizeof(*chain))) == NULL) {
		c->oom = true;
		return;
	}
	n = 0;
	for (i = 0; i < z->n; i = e) {
		size_t nsec = 0, first = 0;
		bool deleg, ds, need;

		e = zone_name_end(z, i);
		need = has_data(c, i, e, &deleg, &ds);
		for (j = i; j < e; j++) {
			if (z->rr[j].type != T_NSEC)
				continue;
			if (!is_auth(c, j)) {
				problem_rr(c, &z->rr[j], rfc4035, "NSEC at a "
				    "name below a zone cut");
				continue;
			}
			if (nsec++ == 0)
				first = j;
		}
		if (need && nsec == 0) {
			struct item it = { z->rr[i].owner, (uint32_t)i, 0, 0 };
			problem_name(c, &it, rfc4035, "no NSEC record");
		}
		if (nsec == 0)
			continue;
		c->info->records += nsec;
		if (!need)
			problem_rr(c, &z->rr[first], rfc4035, "NSEC at a name "
			    "that has no authoritative data");
		if (nsec > 1)
			problem_rr(c, &z->rr[first], rfc4035, "more than "
			    "one NSEC record at one name");
		chain[n++] = first;
		if (need) {
			const struct rr *r = &z->rr[first];
			struct wire_nsec v;
			size_t wl = types_bitmap(c, i, e, true, want);
			if (wire_nsec(&v, r->rdata, r->rdlen) != 0 ||
			    !typebitmap_valid(v.bitmap, v.bitmap_len)) {
				problem_rr(c, r, "RFC 4034 section 4.1",
				    "malformed NSEC RDATA");
				continue;
			}
			if (v.bitmap_len != wl || memcmp(v.bitmap, want,
			    wl) != 0) {
				typebitmap_text(v.bitmap, v.bitmap_len,
				    ht, sizeof(ht));
				typebitmap_text(want, wl, wt, sizeof(wt));
				problem_rr(c, r, rfc4035, "type bitmap '%s', "
				    "types present '%s'", ht, wt);
			}
		}
	}
	for (k = 0; k < n; k++) {
		const struct rr *r = &z->rr[chain[k]];
		const struct rr *nx = &z->rr[chain[(k + 1) % n]];
		char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT];

		struct wire_nsec v;

		if (wire_nsec(&v, r->rdata, r->rdlen) != 0)
			continue;
		if (!dname_equal(v.next, nx->owner)) {
			dname_to_text(v.next, a);
			dname_to_text(nx->owner, b);
			problem_rr(c, r, "RFC 4034 section 4.1.1", "next name "
			    "%s, but the next NSEC is at %s", a, b);
		}
	}
	free(chain);
}

/* An NSEC3 RDATA (RFC 5155 §3.2) with a hash and well-formed bit maps
 * (RFC 4034 §4.1.2). */
static int
parse_nsec3(const uint8_t *rd, size_t len, struct wire_nsec3 *p)
{
	if (wire_nsec3(p, rd, len) != 0 || p->next_len == 0)
		return -1;
	return typebitmap_valid(p->bitmap, p->bitmap_len) ? 0 : -1;
}

static bool
same_params(const struct wire_nsec3 *p, const struct denial_info *in)
{
	return p->hash_alg == in->hash_alg && p->iterations == in->iterations &&
	    p->salt_len == in->saltlen &&
	    memcmp(p->salt, in->salt, p->salt_len) == 0;
}

static void
params_text(uint8_t alg, uint16_t iter, const uint8_t *salt, uint8_t slen,
    char *out)
{
	static const char hex[] = "0123456789abcdef";
	int o = sprintf(out, "%u %u ", alg, iter);
	uint8_t i;

	if (slen == 0)
		out[o++] = '-';
	for (i = 0; i < slen; i++) {
		out[o++] = hex[salt[i] >> 4];
		out[o++] = hex[salt[i] & 15];
	}
	out[o] = '\0';
}

/* The NSEC3PARAM records at the apex (RFC 5155 §4); the first sets the
 * chain's parameters. */
static void
check_nsec3param(struct dc *c)
{
	const struct zone *z = c->z;
	struct denial_info *in = c->info;
	size_t i = zone_find(z, z->apex, T_NSEC3PARAM);
	struct report_where w;

	for (; i < z->n && z->rr[i].type == T_NSEC3PARAM &&
	    dname_equal(z->rr[i].owner, z->apex); i++) {
		const struct rr *r = &z->rr[i];
		struct wire_nsec3param v;
		if (wire_nsec3param(&v, r->rdata, r->rdlen) != 0) {
			problem_rr(c, r, "RFC 5155 section 4.2", "malformed "
			    "NSEC3PARAM RDATA");
			continue;
		}
		if (in->nsec3param++ > 0) {
			report_at_rr(&w, c->label, z, r);
			w.check = "G6";
			w.cite = "RFC 5155 section 4";
			report_add(c->rep, REPORT_PROBLEM, &w, "a second "
			    "NSEC3PARAM record");
			continue;
		}
		if (v.flags != 0)
			problem_rr(c, r, "RFC 5155 section 4.1.2", "flags %u, "
			    "not 0%s", v.flags, v.flags & OPT_OUT ?
			    " (opt-out belongs in the NSEC3 records)" : "");
		in->has_params = true;
		in->hash_alg = v.hash_alg;
		in->iterations = v.iterations;
		in->saltlen = v.salt_len;
		memcpy(in->salt, v.salt, in->saltlen);
	}
}

/* The hash an NSEC3 owner stands for: one label below the apex, in
 * base32hex (RFC 5155 §3.3). */
static int
owner_hash(const struct dc *c, const struct rr *r, uint8_t *h)
{
	if (dname_labels(r->owner) != dname_labels(c->z->apex) + 1)
		return -1;
	return nsec3_b32hex_decode(r->owner + 1, r->owner[0], h,
	    NSEC3_HASH_LEN) == NSEC3_HASH_LEN ? 0 : -1;
}

/* Collect the chain: the NSEC3 records in the chain's parameters, in
 * hash order (canonical order of their owners). */
static int
collect_chain(struct dc *c)
{
	const struct zone *z = c->z;
	struct denial_info *in = c->info;
	size_t i, other = 0, first_other = 0, flagged = 0;
	struct report_where w;
	struct wire_nsec3 p;
	char pt[600], want[600];

	for (i = 0; i < z->n; i++)
		other += z->rr[i].type == T_NSEC3;
	if ((c->chain = malloc((other ? other : 1) * sizeof(*c->chain))) ==
	    NULL)
		return -1;
	other = 0;
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		struct link *l;

		if (r->type != T_NSEC3)
			continue;
		in->records++;
		if (parse_nsec3(r->rdata, r->rdlen, &p) != 0) {
			problem_rr(c, r, "RFC 5155 section 3.2", "malformed "
			    "NSEC3 RDATA");
			continue;
		}
		if (!in->has_params) {
			in->has_params = true;
			in->hash_alg = p.hash_alg;
			in->iterations = p.iterations;
			in->saltlen = p.salt_len;
			memcpy(in->salt, p.salt, p.salt_len);
		}
		if (!same_params(&p, in)) {
			if (other++ == 0)
				first_other = i;
			continue;
		}
		if (p.hash_alg != 1 || p.next_len != NSEC3_HASH_LEN) {
			problem_rr(c, r, "RFC 5155 section 3.1.1", "hash "
			    "algorithm %u, hash length %u: not SHA-1 (1, 20)",
			    p.hash_alg, p.next_len);
			continue;
		}
		if (p.flags & ~OPT_OUT)
			problem_rr(c, r, "RFC 5155 section 3.1.2", "reserved "
			    "flag bits set");
		l = &c->chain[c->nchain];
		if (owner_hash(c, r, l->hash) != 0) {
			problem_rr(c, r, "RFC 5155 section 3", "the owner is "
			    "not a hash label one level below the apex");
			continue;
		}
		if (c->nchain > 0 && memcmp(c->chain[c->nchain - 1].hash,
		    l->hash, NSEC3_HASH_LEN) == 0) {
			problem_rr(c, r, rfc5155, "a second NSEC3 record "
			    "for one hash");
			continue;
		}
		if (p.flags & OPT_OUT)
			flagged++;
		l->rr = (uint32_t)i;
		l->matched = false;
		l->optout = (p.flags & OPT_OUT) != 0;
		c->nchain++;
	}
	in->optout = flagged;
	if (other > 0) {
		const struct rr *r = &z->rr[first_other];
		(void)parse_nsec3(r->rdata, r->rdlen, &p);
		params_text(p.hash_alg, p.iterations, p.salt, p.salt_len, pt);
		params_text(in->hash_alg, in->iterations, in->salt,
		    in->saltlen, want);
		report_at_rr(&w, c->label, z, r);
		w.check = "G6";
		w.cite = rfc5155;
		report_add(c->rep, REPORT_PROBLEM, &w, "%zu NSEC3 record%s "
		    "(the first here) in parameters %s, not the chain's %s",
		    other, other == 1 ? "" : "s", pt, want);
	}
	if (flagged > 0 && flagged < c->nchain) {
		report_at(&w, c->label, c->label, 0);
		w.owner = z->apex;
		w.type = T_NSEC3;
		w.check = "G6";
		w.cite = "RFC 5155 section 6";
		report_add(c->rep, REPORT_PROBLEM, &w, "opt-out set on %zu "
		    "of %zu NSEC3 records, not on all or none", flagged,
		    c->nchain);
	}
	return 0;
}

/* Each next hashed owner names the next hash of the chain, the last
 * the first (RFC 5155 §3.1.7). */
static void
check_links(struct dc *c)
{
	size_t k;
	char a[64], b[64];
	struct wire_nsec3 p;

	for (k = 0; k < c->nchain; k++) {
		const struct rr *r = &c->z->rr[c->chain[k].rr];
		const struct link *nx = &c->chain[(k + 1) % c->nchain];
		(void)parse_nsec3(r->rdata, r->rdlen, &p);
		if (memcmp(p.next, nx->hash, NSEC3_HASH_LEN) != 0) {
			nsec3_b32hex_encode(p.next, NSEC3_HASH_LEN, a);
			nsec3_b32hex_encode(nx->hash, NSEC3_HASH_LEN, b);
			problem_rr(c, r, "RFC 5155 section 3.1.7", "next "
			    "hashed owner %s, but the next hash of the chain "
			    "is %s", a, b);
		}
	}
}

/* Hash each name and find it in the chain: its index, or -(the index
 * of the record that covers it + 1). */
static void
hash_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct dc *c = arg;
	const struct denial_info *in = c->info;
	uint8_t h[NSEC3_HASH_LEN];
	size_t i;

	(void)thread;
	for (i = begin; i < end; i++) {
		struct item *it = &c->item[i];
		size_t lo = 0, hi = c->nchain;

		if (c->hash_cat != 0 && it->cat != c->hash_cat)
			continue;
		if (nsec3_hash(it->name, in->salt, in->saltlen,
		    in->iterations, h) != 0) {
			it->res = INT32_MIN;
			continue;
		}
		/* The first link whose hash is not below h. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (memcmp(c->chain[mid].hash, h, NSEC3_HASH_LEN) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->nchain && memcmp(c->chain[lo].hash, h,
		    NSEC3_HASH_LEN) == 0)
			it->res = (int32_t)lo;
		else
			it->res = -(int32_t)((lo + c->nchain - 1) %
			    c->nchain) - 1;
	}
}

/*
 * Whether the names that may be left out need hashing at all, once
 * those that must have an NSEC3 record are hashed.  Under opt-out
 * (RFC 5155 §6, §7.1) a name that may be left out is either in the
 * chain, when its hash names a record no other name does, or covered
 * by a record, which must then have the opt-out flag.  When every
 * record has the flag and every record's hash is already a must-name's,
 * neither can fail for any of them: skip hashing them (a hash shared
 * by two names would be a SHA-1 collision).  A signer with opt-out
 * leaves out most of a TLD's delegations, so this spares hashing most
 * of its names.
 */
static bool
may_names_settled(struct dc *c)
{
	size_t i, matched = 0;

	for (i = 0; i < c->nchain; i++)
		if (!c->chain[i].optout)
			return false;
	for (i = 0; i < c->nitem; i++) {
		const struct item *it = &c->item[i];
		if (it->cat == CAT_MUST && it->res >= 0 &&
		    !c->chain[it->res].matched) {
			c->chain[it->res].matched = true;
			matched++;
		}
	}
	for (i = 0; i < c->nchain; i++)
		c->chain[i].matched = false;
	return matched == c->nchain;
}

/* Hash the names, the ones that may be left out only when needed; those
 * not hashed get UNHASHED. */
static void
hash_names(struct dc *c)
{
	size_t i;

	for (i = 0; i < c->nitem; i++)
		c->item[i].res = UNHASHED;
	c->hash_cat = CAT_MUST;
	(void)workpool_run(c->nitem, 1024, c->threads, hash_some, c);
	if (may_names_settled(c))
		return;
	c->hash_cat = CAT_MAY;
	(void)workpool_run(c->nitem, 1024, c->threads, hash_some, c);
}

static void
check_names(struct dc *c)
{
	const struct zone *z = c->z;
	uint8_t want[TYPEBITMAP_MAX], h[NSEC3_HASH_LEN];
	char wt[TYPEBITMAP_TEXT], ht[TYPEBITMAP_TEXT], a[64];
	char nt[DNAME_MAXTEXT];
	const struct denial_info *in = c->info;
	struct report_where w;
	struct wire_nsec3 p;
	size_t i, k;

	hash_names(c);
	for (i = 0; i < c->nitem; i++) {
		struct item *it = &c->item[i];

		if (it->res == UNHASHED)
			continue;
		if (it->res == INT32_MIN) {
			problem_name(c, it, rfc5155, "cannot hash the "
			    "name");
			continue;
		}
		if (it->res >= 0) {
			struct link *l = &c->chain[it->res];
			const struct rr *r = &z->rr[l->rr];
			size_t wl = 0;
			l->matched = true;
			if (it->first != NO_RR)
				wl = types_bitmap(c, it->first,
				    zone_name_end(z, it->first), false, want);
			(void)parse_nsec3(r->rdata, r->rdlen, &p);
			if (p.bitmap_len != wl || memcmp(p.bitmap, want, wl) != 0) {
				typebitmap_text(p.bitmap, p.bitmap_len, ht,
				    sizeof(ht));
				typebitmap_text(want, wl, wt, sizeof(wt));
				dname_to_text(it->name, nt);
				report_at_rr(&w, c->label, z, r);
				w.cite = "RFC 5155 section 3.2";
				report_add(c->rep, REPORT_PROBLEM, &w, "type "
				    "bitmap '%s', types present at %s '%s'",
				    ht, nt, wt);
			}
			continue;
		}
		k = (size_t)(-(it->res + 1));
		if (it->cat != CAT_MUST && c->chain[k].optout)
			continue;
		(void)nsec3_hash(it->name, in->salt, in->saltlen,
		    in->iterations, h);
		nsec3_b32hex_encode(h, NSEC3_HASH_LEN, a);
		if (it->cat == CAT_MUST) {
			problem_name(c, it, rfc5155, "no NSEC3 record for "
			    "%s (hash %s)", it->first == NO_RR ?
			    "this empty non-terminal" : "this name", a);
			continue;
		}
		dname_to_text(z->rr[c->chain[k].rr].owner, nt);
		problem_name(c, it, rfc5155, "%s (hash %s) not in the NSEC3 "
		    "chain, and the NSEC3 record that covers it, %s, has no "
		    "opt-out flag", it->first == NO_RR ?
		    "empty non-terminal" : "insecure delegation", a, nt);
	}
	for (k = 0; k < c->nchain; k++)
		if (!c->chain[k].matched)
			problem_rr(c, &z->rr[c->chain[k].rr], rfc5155,
			    "the hash of no name of the zone");
}

static void
check_nsec3(struct dc *c)
{
	const struct zone *z = c->z;
	struct denial_info *in = c->info;
	struct report_where w;
	size_t i;

	check_nsec3param(c);
	if (collect_chain(c) != 0) {
		c->oom = true;
		return;
	}
	report_at(&w, c->label, c->label, 0);
	w.owner = z->apex;
	if (in->nsec3param == 0) {
		w.type = T_NSEC3PARAM;
		w.check = "G6";
		w.cite = "RFC 5155 section 4";
		report_add(c->rep, REPORT_PROBLEM, &w, "no NSEC3PARAM record "
		    "at the apex, though the zone has NSEC3 records");
	}
	if (c->nchain == 0) {
		w.type = T_NSEC3;
		w.check = NULL;
		w.cite = rfc5155;
		report_add(c->rep, REPORT_PROBLEM, &w, "no NSEC3 chain in "
		    "the NSEC3PARAM's parameters");
		return;
	}
	if (in->hash_alg != 1)
		return;
	/* RFC 9276 §3.1: no extra iterations, no salt; §3.2: above
	 * their limit validators give up. */
	if (in->iterations > 0 || in->saltlen > 0) {
		w.type = T_NSEC3PARAM;
		w.check = NULL;
		w.cite = in->iterations > 0 ? "RFC 9276 sections 3.1 and 3.2" :
		    "RFC 9276 section 3.1";
		report_add(c->rep, REPORT_WARNING, &w, "%u extra iterations "
		    "and %u octets of salt; 0 and none are recommended%s%s",
		    in->iterations, in->saltlen, in->iterations > 0 ?
		    ", and " : "", in->iterations > 0 ?
		    NSEC3_VALIDATOR_LIMITS : "");
	}
	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == T_NSEC) {
			problem_rr(c, &z->rr[i], "RFC 5155 section 7.1",
			    "NSEC record in a zone that uses NSEC3");
			break;
		}
	check_links(c);
	if (collect_names(c) != 0)
		return;
	in->names = c->nitem;
	check_names(c);
}

/*
 * RFC 9077 §3: the TTL of an NSEC or NSEC3 record is the lesser of the
 * SOA's MINIMUM and of the SOA's own TTL, so that no negative answer is
 * cached, by way of aggressive use (RFC 8198), longer than the SOA
 * allows.  A longer one makes no answer bogus: a warning, once, at the
 * first record that differs, with their number.
 */
static void
check_ttls(struct dc *c, uint16_t type)
{
	const struct zone *z = c->z;
	size_t soa = zone_find(z, z->apex, T_SOA), i, n = 0, first = 0;
	const struct rr *r;
	struct report_where w;
	struct wire_soa v;
	char tb[16];
	uint32_t want;

	if (soa >= z->n || z->rr[soa].type != T_SOA ||
	    wire_soa(&v, z->rr[soa].rdata, z->rr[soa].rdlen) != 0)
		return;
	r = &z->rr[soa];
	want = r->ttl < v.minimum ? r->ttl : v.minimum;
	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == type && z->rr[i].ttl != want &&
		    n++ == 0)
			first = i;
	if (n == 0)
		return;
	report_at_rr(&w, c->label, z, &z->rr[first]);
	w.cite = "RFC 9077 section 3";
	report_add(c->rep, REPORT_WARNING, &w, "TTL %u%s; the lesser of the "
	    "SOA's TTL and MINIMUM is %u (%zu %s record%s)", z->rr[first].ttl,
	    n > 1 ? " and others" : "", want, n, rrtype_name(type, tb),
	    n == 1 ? " differs" : "s differ");
}

/*
 * Check the denial chain of the sorted zone z (apex known) whose records
 * are classified by where (zone_classify()); label names the zone in
 * problems.  Returns 0, or -1 when memory is short.
 */
int
denial_check(const struct zone *z, const uint8_t *where, const char *label,
    unsigned threads, struct report *rep, struct denial_info *info)
{
	struct dc c;
	size_t i;
	bool nsec = false, nsec3 = false;

	memset(info, 0, sizeof(*info));
	memset(&c, 0, sizeof(c));
	c.z = z;
	c.where = where;
	c.label = label;
	c.rep = rep;
	c.info = info;
	c.threads = threads;
	for (i = 0; i < z->n; i++) {
		if (z->rr[i].type == T_NSEC)
			nsec = true;
		else if (z->rr[i].type == T_NSEC3 ||
		    z->rr[i].type == T_NSEC3PARAM)
			nsec3 = true;
	}
	if (nsec3) {
		info->mode = DENIAL_NSEC3;
		check_nsec3(&c);
		check_ttls(&c, T_NSEC3);
	} else if (nsec) {
		info->mode = DENIAL_NSEC;
		check_nsec(&c);
		check_ttls(&c, T_NSEC);
		for (i = 0; i < z->n; i = zone_name_end(z, i)) {
			bool d, s;
			if (has_data(&c, i, zone_name_end(z, i), &d, &s))
				info->names++;
		}
	} else {
		struct report_where w;
		report_at(&w, label, label, 0);
		w.owner = z->apex;
		w.cite = "RFC 4035 section 2.3";
		report_add(rep, REPORT_PROBLEM, &w, "no NSEC or NSEC3 records: "
		    "the zone cannot deny existence");
	}
	free(c.item);
	free(c.chain);
	return c.oom ? -1 : 0;
}
