/*
 * zadd-bero-ns reads a zone, or standard input, and a fragment that names
 * an operator's name servers: NS records owned by the zone apex, and the
 * address records (glue) of the ones in the zone.  It adds those name
 * servers to the apex NS RRset, and their glue where the zone has none,
 * and writes the zone in canonical form; with -r it removes them, and
 * the address records of each one that no NS RRset of the zone names any
 * longer.  These are steps 2b and 6 of the migration (bero-migration(7)).
 * With -D it writes instead the delegation request for the zone so
 * edited: the apex NS RRset, its glue and a DS set (steps 3, 7, 11).
 *
 * Signatures over the RRsets it changes are dropped, for the signer to
 * make again; NSEC and NSEC3 records are left to the signer as well.
 * Every other record passes through untouched.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "dname.h"
#include "rrtext.h"
#include "rrtype.h"
#include "zedit.h"
#include "zone.h"
#include "zonemd.h"

/* A name server of the fragment. */
struct host {
	const uint8_t	*name;		/* the NS target, in the fragment */
	const struct rr	*ns;		/* the first NS record naming it */
	bool		 inzone;	/* at or below the apex: needs glue */
};

/* A record of the fragment to add, with the TTL its RRset gets. */
struct addition {
	const struct rr	*rr;
	uint32_t	 ttl;
};

struct edit {
	struct zone	*z, *f;
	const char	*zname;
	const char	*fname;
	struct host	*host;
	size_t		 nhost;
	struct addition	*add;
	size_t		 nadd;
	bool		*drop;		/* one per record of z */
	uint32_t	 ns_ttl;
	bool		 ns_mixed;
	bool		 ns_changed;
	bool		 keep_addr;	/* -k: -r leaves the addresses */
	size_t		 ns_count;	/* apex NS records after the edit */
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: zadd-bero-ns [-Kr] [-D dsset] -n file [-o file] "
	    "[-z origin] [file]\n"
	    "       zadd-bero-ns -D dsset [-o file] [-z origin] [file]\n");
	exit(2);
}

static const char *
name_text(const uint8_t *name, char *buf)
{
	dname_to_text(name, buf);
	return buf;
}

static bool
same_rdata(const struct rr *a, const struct rr *b)
{
	return a->type == b->type && a->rdlen == b->rdlen &&
	    memcmp(a->rdata, b->rdata, a->rdlen) == 0;
}

static bool
is_address(const struct rr *r)
{
	return r->type == T_A || r->type == T_AAAA;
}

static struct host *
find_host(const struct edit *e, const uint8_t *name)
{
	size_t i;

	for (i = 0; i < e->nhost; i++)
		if (dname_equal(e->host[i].name, name))
			return &e->host[i];
	return NULL;
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size)) == NULL)
		diag_fatal("out of memory");
	return p;
}

/*
 * The fragment holds NS records owned by the apex and the address
 * records of the name servers they name, and nothing else.  Glue is
 * only for names in the zone: an address for a name outside it would be
 * data the zone is not authoritative for (RFC 1034 §4.2.1).
 */
static void
check_fragment(struct edit *e)
{
	const struct zone *z = e->z, *f = e->f;
	uint16_t zclass = z->rr[zone_find(z, z->apex, T_SOA)].rclass;
	char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT], t[16];
	struct host *h;
	size_t i;

	e->host = xcalloc(f->n, sizeof(*e->host));
	for (i = 0; i < f->n; i++) {
		const struct rr *r = &f->rr[i];
		if (r->rclass != zclass)
			zone_die_rr(f, r,
			    "class differs from the zone's class");
		if (r->type == T_NS) {
			if (!dname_equal(r->owner, z->apex))
				zone_die_rr(f, r, "NS owner %s is not the zone "
				    "apex %s", name_text(r->owner, a),
				    name_text(z->apex, b));
			if (find_host(e, r->rdata) != NULL)
				continue;
			h = &e->host[e->nhost++];
			h->name = r->rdata;
			h->ns = r;
			h->inzone = dname_is_at_or_below(r->rdata, z->apex);
		} else if (!is_address(r))
			zone_die_rr(f, r, "%s %s: only NS, A and AAAA records "
			    "belong in a name-server fragment",
			    name_text(r->owner, a), rrtype_name(r->type, t));
	}
	if (e->nhost == 0) {
		struct diag d;
		diag_set(&d, zedit_name(e->fname), 0, "no NS record");
		diag_die(&d);
	}
	for (i = 0; i < f->n; i++) {
		const struct rr *r = &f->rr[i];
		if (!is_address(r))
			continue;
		if ((h = find_host(e, r->owner)) == NULL)
			zone_die_rr(f, r, "address record of %s, which no NS "
			    "record of the fragment names",
			    name_text(r->owner, a));
		if (!h->inzone)
			zone_die_rr(f, r, "glue for %s, which is outside the "
			    "zone %s", name_text(r->owner, a),
			    name_text(z->apex, b));
	}
}

/*
 * The address records of a name in a sorted zone lie in [*start, *end);
 * other records of the name (a TXT sorts between A and AAAA) may lie
 * there too, and every loop over the range skips them.
 */
static void
zone_addresses(const struct zone *z, const uint8_t *name, size_t *start,
    size_t *end)
{
	size_t i = zone_find(z, name, 0);

	*start = *end = z->n;
	for (; i < z->n && dname_equal(z->rr[i].owner, name); i++) {
		if (!is_address(&z->rr[i]))
			continue;
		if (*start == z->n)
			*start = i;
		*end = i + 1;
	}
}

static bool
zone_has(const struct zone *z, size_t start, size_t end, const struct rr *r)
{
	for (; start < end; start++)
		if (is_address(&z->rr[start]) && same_rdata(&z->rr[start], r))
			return true;
	return false;
}

/* The fragment gives an address record of h equal to z's record r. */
static bool
fragment_has(const struct zone *f, const struct host *h, const struct rr *r)
{
	size_t j;

	for (j = 0; j < f->n; j++)
		if (dname_equal(f->rr[j].owner, h->name) &&
		    same_rdata(&f->rr[j], r))
			return true;
	return false;
}

/*
 * Refuse, at the fragment's first address record of h, naming the
 * zone's addresses, however many and however long (an A in RFC 3597
 * generic form may hold 65,535 octets): the message is built in memory
 * that grows, not in a buffer of fixed size.
 */
static void __attribute__((noreturn))
glue_differs(const struct edit *e, const struct host *h,
    const struct rr *first, size_t zs, size_t ze)
{
	const struct zone *z = e->z;
	char a[DNAME_MAXTEXT], *rd, *list = NULL;
	size_t i, len = 0;
	FILE *m;
	bool any = false;

	if ((m = open_memstream(&list, &len)) == NULL)
		diag_fatal("out of memory");
	for (i = zs; i < ze; i++) {
		const struct rr *r = &z->rr[i];
		if (!is_address(r))
			continue;
		if ((rd = malloc(rdata_text_max(r->type, r->rdlen))) == NULL)
			diag_fatal("out of memory");
		rdata_text(r->type, r->rdata, r->rdlen, rd);
		fprintf(m, "%s%s", any ? ", " : "", rd);
		free(rd);
		any = true;
	}
	if (fclose(m) != 0)
		diag_fatal("out of memory");
	diag_msg("%s:%u: %s: the fragment's addresses differ from the "
	    "zone's (%s): glue must equal the host's address records",
	    zone_rr_file(e->f, first), first->line, name_text(h->name, a),
	    list);
	free(list);
	exit(2);
}

/*
 * The addresses the fragment gives for a host must be the ones the zone
 * has, when it has some: in-bailiwick glue equals the host's address
 * records (PROCEDURE.md G9).  Returns how many the fragment gives.
 */
static size_t
check_glue(const struct edit *e, const struct host *h)
{
	const struct zone *z = e->z, *f = e->f;
	const struct rr *first = NULL;
	size_t i, zs, ze, n = 0;
	bool differ = false;

	zone_addresses(z, h->name, &zs, &ze);
	for (i = 0; i < f->n; i++) {
		const struct rr *r = &f->rr[i];
		if (!is_address(r) || !dname_equal(r->owner, h->name))
			continue;
		if (first == NULL)
			first = r;
		n++;
		if (zs < ze && !zone_has(z, zs, ze, r))
			differ = true;
	}
	if (n == 0 || zs == ze)
		return n;
	for (i = zs; i < ze; i++)
		if (is_address(&z->rr[i]) && !fragment_has(f, h, &z->rr[i]))
			differ = true;
	if (differ)
		glue_differs(e, h, first, zs, ze);
	return n;
}

/* The apex NS record of the zone that names host, or z->n. */
static size_t
apex_ns(const struct zone *z, const uint8_t *host)
{
	size_t i = zone_find(z, z->apex, T_NS), end;

	if (i == z->n)
		return z->n;
	for (end = zone_rrset_end(z, i); i < end; i++)
		if (dname_equal(z->rr[i].rdata, host))
			return i;
	return z->n;
}

static size_t
count_apex_ns(const struct zone *z)
{
	size_t i = zone_find(z, z->apex, T_NS);

	return i == z->n ? 0 : zone_rrset_end(z, i) - i;
}

/* The TTL the new apex NS RRset has: the zone's (one TTL per RRset,
 * RFC 2181 §5.2), or the fragment's lowest when the zone has none. */
static void
pick_ns_ttl(struct edit *e)
{
	size_t i;

	if (zedit_rrset_ttl(e->z, e->z->apex, T_NS, &e->ns_ttl, &e->ns_mixed))
		return;
	e->ns_ttl = UINT32_MAX;
	for (i = 0; i < e->f->n; i++)
		if (e->f->rr[i].type == T_NS && e->f->rr[i].ttl < e->ns_ttl)
			e->ns_ttl = e->f->rr[i].ttl;
}

/* Queue a host's addresses from the fragment, each RRset with the
 * lowest TTL the fragment gives it. */
static void
add_glue(struct edit *e, const struct host *h)
{
	const struct zone *f = e->f;
	char a[DNAME_MAXTEXT], t[16];
	uint32_t ttl[2] = { UINT32_MAX, UINT32_MAX };
	bool warned[2] = { false, false };
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct rr *r = &f->rr[i];
		int k = r->type == T_AAAA;
		if (!is_address(r) || !dname_equal(r->owner, h->name))
			continue;
		if (ttl[k] != UINT32_MAX && ttl[k] != r->ttl && !warned[k]) {
			diag_warn("%s:%u: %s %s records have different "
			    "TTLs; the lowest is used (RFC 2181 section 5.2)",
			    zone_rr_file(f, r), r->line,
			    name_text(h->name, a), rrtype_name(r->type, t));
			warned[k] = true;
		}
		if (r->ttl < ttl[k])
			ttl[k] = r->ttl;
	}
	for (i = 0; i < f->n; i++) {
		const struct rr *r = &f->rr[i];
		if (!is_address(r) || !dname_equal(r->owner, h->name))
			continue;
		e->add[e->nadd].rr = r;
		e->add[e->nadd++].ttl = ttl[r->type == T_AAAA];
	}
	(void)zedit_mark_sigs(e->z, h->name, T_A, e->drop);
	(void)zedit_mark_sigs(e->z, h->name, T_AAAA, e->drop);
}

/* Step 2b: add the name servers, and the glue the zone lacks. */
static void
plan_add(struct edit *e)
{
	const struct zone *z = e->z;
	char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT];
	size_t i, zs, ze;

	pick_ns_ttl(e);
	e->ns_count = count_apex_ns(z);
	for (i = 0; i < e->nhost; i++) {
		const struct host *h = &e->host[i];
		size_t given = h->inzone ? check_glue(e, h) : 0;

		if (apex_ns(z, h->name) == z->n) {
			if (h->ns->ttl != e->ns_ttl)
				diag_warn("%s:%u: NS TTL %u differs from the "
				    "zone's apex NS TTL; %u is used (RFC 2181 "
				    "section 5.2)", zone_rr_file(e->f, h->ns),
				    h->ns->line, h->ns->ttl, e->ns_ttl);
			e->add[e->nadd].rr = h->ns;
			e->add[e->nadd++].ttl = e->ns_ttl;
			e->ns_changed = true;
			e->ns_count++;
		}
		if (!h->inzone)
			continue;
		zone_addresses(z, h->name, &zs, &ze);
		if (zs < ze)
			continue;
		if (given == 0)
			zone_die_rr(e->f, h->ns, "%s is in the zone %s but has "
			    "no address record in the fragment or the zone: glue "
			    "missing", name_text(h->name, a),
			    name_text(z->apex, b));
		add_glue(e, h);
	}
}

/* Does an NS record the edit keeps name host? */
static bool
host_needed(const struct edit *e, const uint8_t *host)
{
	const struct zone *z = e->z;
	size_t i;

	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == T_NS && !e->drop[i] &&
		    dname_equal(z->rr[i].rdata, host))
			return true;
	return false;
}

/*
 * Step 6: remove the name servers from the apex, then the address
 * records of each one no NS RRset of the zone names any more, unless -k
 * keeps them: the host may serve other zones, or be named elsewhere, and
 * the draft does not ask for their removal (the operator decides).
 * Address records at the apex are the zone's own data, never glue.
 */
static void
plan_remove(struct edit *e)
{
	const struct zone *z = e->z;
	char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT];
	size_t i, j, k, zs, ze;

	e->ns_count = count_apex_ns(z);
	for (i = 0; i < e->nhost; i++) {
		const struct host *h = &e->host[i];
		if (h->inzone)
			(void)check_glue(e, h);
		if ((j = apex_ns(z, h->name)) == z->n) {
			diag_warn("%s:%u: %s NS %s is not in the zone",
			    zone_rr_file(e->f, h->ns), h->ns->line,
			    name_text(z->apex, a), name_text(h->name, b));
			continue;
		}
		e->drop[j] = true;
		e->ns_changed = true;
		e->ns_count--;
	}
	for (i = 0; i < e->nhost && !e->keep_addr; i++) {
		const struct host *h = &e->host[i];
		if (!h->inzone || dname_equal(h->name, z->apex) ||
		    host_needed(e, h->name))
			continue;
		zone_addresses(z, h->name, &zs, &ze);
		for (k = zs; k < ze; k++)
			if (is_address(&z->rr[k]))
				e->drop[k] = true;
		(void)zedit_mark_sigs(z, h->name, T_A, e->drop);
		(void)zedit_mark_sigs(z, h->name, T_AAAA, e->drop);
	}
	(void)zedit_rrset_ttl(z, z->apex, T_NS, &e->ns_ttl, &e->ns_mixed);
}

/* RFC 1034 §4.1: every zone needs at least two name servers. */
static void
check_count(const struct edit *e)
{
	if (e->ns_count >= 2)
		return;
	diag_fatal("%s: the apex NS RRset would hold %zu name server%s; RFC "
	    "1034 section 4.1 asks for at least two", e->zname, e->ns_count,
	    e->ns_count == 1 ? "" : "s");
}

/* Drop what is marked, add what is queued, give the apex NS RRset one
 * TTL. */
static void
apply(struct edit *e)
{
	struct zone *z = e->z;
	size_t i, first;

	if (e->ns_changed)
		(void)zedit_mark_sigs(z, z->apex, T_NS, e->drop);
	zedit_remove_marked(z, e->drop);
	first = z->n;
	for (i = 0; i < e->nadd; i++) {
		const struct rr *r = e->add[i].rr;
		if (zone_add(z, r->owner, r->type, r->rclass, e->add[i].ttl,
		    r->rdata, r->rdlen, zone_rr_file(e->f, r), r->line) == NULL)
			diag_fatal("out of memory");
	}
	if (zedit_merge(z, first) != 0)
		diag_fatal("out of memory");
	if (e->ns_changed && e->ns_mixed) {
		diag_warn("%s: the apex NS records have different TTLs; %u "
		    "is used (RFC 2181 section 5.2)", e->zname, e->ns_ttl);
		zedit_set_ttl(z, z->apex, T_NS, e->ns_ttl);
	}
}

/* An address record the parent publishes as glue: owned by a name server
 * of the apex NS RRset inside the zone (RFC 1034 §4.2.1). */
static bool
is_glue(const struct zone *z, const struct rr *r)
{
	size_t i;

	if (!is_address(r) || dname_equal(r->owner, z->apex) ||
	    !dname_is_at_or_below(r->owner, z->apex))
		return false;
	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == T_NS &&
		    dname_equal(z->rr[i].owner, z->apex) &&
		    dname_equal(z->rr[i].rdata, r->owner))
			return true;
	return false;
}

/*
 * -d: the delegation request the registry sends for the zone as edited
 * (bero-migration(7), steps 3, 7 and 11): the apex NS RRset, the address
 * records of its name servers inside the zone, and the DS set given
 * (RFC 4035 §2.4), each with its TTL; nothing else.  A name server
 * outside the zone gets no glue.  A DS set must be the zone's and not
 * empty: a request without one would make the delegation insecure.
 */
static void
to_request(struct edit *e, const char *dspath)
{
	struct zone *z = e->z, *ds;
	struct diag d;
	char a[DNAME_MAXTEXT];
	bool *drop;
	size_t i, first;

	if ((ds = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zedit_load_part(ds, dspath, z, &d) != 0)
		diag_die(&d);
	drop = xcalloc(z->n, sizeof(*drop));
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		drop[i] = !(r->type == T_NS && dname_equal(r->owner,
		    z->apex)) && !is_glue(z, r);
	}
	zedit_remove_marked(z, drop);
	free(drop);
	first = z->n;
	for (i = 0; i < ds->n; i++) {
		const struct rr *r = &ds->rr[i];
		if (r->type != T_DS || !dname_equal(r->owner, z->apex))
			zone_die_rr(ds, r, "not a DS record of %s",
			    name_text(z->apex, a));
		if (zone_add(z, r->owner, r->type, r->rclass, r->ttl,
		    r->rdata, r->rdlen, zone_rr_file(ds, r), r->line) == NULL)
			diag_fatal("out of memory");
	}
	if (ds->n == 0)
		diag_fatal("%s: no DS record: the delegation would be "
		    "insecure", zedit_name(dspath));
	if (zedit_merge(z, first) != 0)
		diag_fatal("out of memory");
	zone_free(ds);
}

int
main(int argc, char *argv[])
{
	const char *outpath = NULL, *origin = NULL, *in = "-", *frag = NULL;
	const char *dspath = NULL;
	struct edit e;
	struct diag d;
	int ch;
	bool remove = false, keep_addr = false;

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "D:Kn:o:rz:")) != -1) {
		switch (ch) {
		case 'D':
			dspath = optarg;
			break;
		case 'K':
			keep_addr = true;
			break;
		case 'n':
			frag = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'r':
			remove = true;
			break;
		case 'z':
			origin = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (frag == NULL && (dspath == NULL || remove)) ||
	    (keep_addr && !remove))
		usage();
	if (argc == 1)
		in = argv[0];
	if (strcmp(in, "-") == 0 && frag != NULL && strcmp(frag, "-") == 0)
		diag_fatal("the zone and the fragment cannot both be "
		    "standard input");
	if (dspath != NULL && strcmp(dspath, "-") == 0 &&
	    (strcmp(in, "-") == 0 || (frag != NULL && strcmp(frag, "-") == 0)))
		diag_fatal("the DS set and the zone or the fragment cannot "
		    "both be standard input");

	memset(&e, 0, sizeof(e));
	e.zname = zedit_name(in);
	e.fname = frag;
	e.keep_addr = keep_addr;
	if ((e.z = zone_new()) == NULL || (e.f = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_load(e.z, in, origin, ZONE_LOAD_SORT, &d) != 0 ||
	    (frag != NULL && zedit_load_part(e.f, frag, e.z, &d) != 0))
		diag_die(&d);
	e.drop = xcalloc(e.z->n, sizeof(*e.drop));
	e.add = xcalloc(e.f->n + 1, sizeof(*e.add));
	if (frag != NULL) {
		check_fragment(&e);
		if (remove)
			plan_remove(&e);
		else
			plan_add(&e);
	} else
		e.ns_count = count_apex_ns(e.z);
	check_count(&e);
	apply(&e);
	if (dspath != NULL)
		to_request(&e, dspath);
	if (zedit_write(e.z, outpath, &d) != 0)
		diag_die(&d);
	/* RFC 8976 section 3: the digest covers the whole zone. */
	if (zonemd_state(e.z, &d) == ZONEMD_STALE)
		diag_warn("%s: its ZONEMD is stale now, the digest does not "
		    "cover the change: zresign computes it again, zcheck-chain "
		    "fails the zone until then (RFC 8976 section 4)", e.zname);
	free(e.add);
	free(e.drop);
	free(e.host);
	zone_free(e.f);
	zone_free(e.z);
	return 0;
}
