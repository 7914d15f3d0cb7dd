/*
 * zcheck-servers asks a zone's name servers what IANA asks them before it
 * changes a delegation, and what the operators watch while a TLD moves
 * between them: every address of every server, over UDP and TCP, all at
 * once.  It reads the servers from the operands (name, name=address) and
 * from a fragment with the NS RRset and its glue (-N), never from the
 * system's resolver; an address in a special-purpose block is reported
 * and never queried unless -L allows the lab's blocks.  It reports every
 * finding, one per line, or as JSON (-j), and exits 0 when all holds, 1
 * when something does not, 2 when it could not check.  With -O it asks
 * nothing: it checks the delegation a file gives (a request, a parent
 * zone) against the rules that need no answer, the same code as the
 * live run: the servers and their names, the addresses, the referral.
 *
 * This file holds the options, the servers and addresses read, the
 * queries and main(); the rules are in bin/parts/zcheck-servers/rules.c (no
 * answer needed) and bin/parts/zcheck-servers/answers.c, the report in
 * bin/parts/zcheck-servers/report.c, what they share in
 * bin/zcheck-servers-int.h.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "ds.h"
#include "keyring.h"
#include "netaddr.h"
#include "out.h"
#include "probe.h"
#include "referral.h"
#include "report.h"
#include "rrtype.h"
#include "sigverify.h"
#include "wire.h"
#include "zedit.h"
#include "zone.h"
#include "zcheck-servers-int.h"

static void
usage(void)
{
	fprintf(stderr, "usage: zcheck-servers [-jLOqv] [-D dsset] [-n file] "
	    "[-P port] [-t time] [-W seconds]\n"
	    "                      zone [server ...]\n");
	exit(2);
}

void *
zcs_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		diag_fatal("out of memory");
	return p;
}

static void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (n != 0 && size > SIZE_MAX / n)
		diag_fatal("out of memory");
	if ((p = realloc(p, n * size != 0 ? n * size : 1)) == NULL)
		diag_fatal("out of memory");
	return p;
}

char *
zcs_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		diag_fatal("out of memory");
	return p;
}

void
zcs_finding(struct run *r, int check, bool warning, const char *where,
    const char *rule, const char *fmt, ...)
{
	struct finding *f;
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->f = xreallocarray(r->f, r->nf + 1, sizeof(*r->f));
	f = &r->f[r->nf++];
	f->check = check;
	f->warning = warning;
	f->where = zcs_xstrdup(where);
	f->msg = zcs_xstrdup(buf);
	f->rule = rule;
	if (warning)
		r->warnings++;
	else
		r->problems++;
}

/* A name in presentation form, absolute, lower case, and its wire form. */
int
zcs_parse_name(const char *s, uint8_t *wire, char *text)
{
	static const uint8_t root[1] = { 0 };

	if (*s == '\0' || dname_from_text(s, root, wire) < 0)
		return -1;
	dname_lower(wire);
	dname_to_text(wire, text);
	return 0;
}

/* An ldns name for a wire name of ours. */
ldns_rdf *
zcs_to_rdf(const uint8_t *wire)
{
	ldns_rdf *r = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME,
	    dname_len(wire), wire);

	if (r == NULL)
		diag_fatal("out of memory");
	return r;
}

/* The text of an ldns name, lower case. */
void
zcs_rdf_text(const ldns_rdf *rdf, char *out)
{
	uint8_t w[DNAME_MAXLEN];
	size_t n = ldns_rdf_size(rdf);

	if (ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME || n == 0 ||
	    n > sizeof(w) || dname_len_bounded(ldns_rdf_data(rdf), n) != n) {
		strcpy(out, "?");
		return;
	}
	memcpy(w, ldns_rdf_data(rdf), n);
	dname_lower(w);
	dname_to_text(w, out);
}

static size_t
find_host(struct run *r, const uint8_t *wire)
{
	size_t i;

	for (i = 0; i < r->nhost; i++)
		if (dname_equal(r->host[i].wire, wire))
			return i;
	return SIZE_MAX;
}

static size_t
add_host(struct run *r, const uint8_t *wire)
{
	struct host *h;
	size_t i = find_host(r, wire);

	if (i != SIZE_MAX)
		return i;
	r->host = xreallocarray(r->host, r->nhost + 1, sizeof(*r->host));
	h = &r->host[r->nhost];
	memset(h, 0, sizeof(*h));
	memcpy(h->wire, wire, dname_len(wire));
	dname_to_text(wire, h->name);
	h->inzone = dname_is_at_or_below(wire, r->apex);
	return r->nhost++;
}

static void
add_addr(struct run *r, size_t host, const struct netaddr *na)
{
	struct addr *a;
	size_t i;

	for (i = 0; i < r->naddr; i++)
		if (r->addr[i].host == host && netaddr_equal(&r->addr[i].na,
		    na))
			return;
	r->addr = xreallocarray(r->addr, r->naddr + 1, sizeof(*r->addr));
	a = &r->addr[r->naddr++];
	memset(a, 0, sizeof(*a));
	a->host = host;
	a->na = *na;
	netaddr_text(na, a->text, sizeof(a->text));
	snprintf(a->where, sizeof(a->where), "%s/%s", r->host[host].name,
	    a->text);
}

static void
add_expect(struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nexpect; i++)
		if (strcmp(r->expect[i], name) == 0)
			return;
	r->expect = xreallocarray(r->expect, r->nexpect + 1,
	    sizeof(*r->expect));
	r->expect[r->nexpect++] = zcs_xstrdup(name);
}

/* An operand: "name" or "name=address[,address...]", each address with
 * an optional "@port". */
static void
parse_server(struct run *r, const char *arg)
{
	char *s = zcs_xstrdup(arg), *eq, *p, *next;
	uint8_t wire[DNAME_MAXLEN];
	char text[DNAME_MAXTEXT];
	struct netaddr na;
	size_t h;

	if ((eq = strchr(s, '=')) != NULL)
		*eq = '\0';
	if (zcs_parse_name(s, wire, text) != 0)
		diag_fatal("%s: not a host name", arg);
	h = add_host(r, wire);
	r->host[h].asked = true;
	if (r->fragpath == NULL)
		add_expect(r, r->host[h].name);
	for (p = eq ? eq + 1 : NULL; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if (netaddr_parse(p, &na) != 0)
			diag_fatal("%s: %s is not an IPv4 or IPv6 address "
			    "(with @port)", arg, p);
		add_addr(r, h, &na);
	}
	free(s);
}

/*
 * Read a file of records (fragment or DS set) with the zone reader,
 * relative names completed with the zone's name.  The reader refuses
 * $INCLUDE (RFC 1035 §5.1): a fragment comes from someone else and may
 * not name files here.
 */
static struct zone *
read_records(struct run *r, const char *path)
{
	struct zone *z;
	struct diag d;

	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_read_file(z, path, r->zname, &d) != 0)
		diag_die(&d);
	return z;
}

/* The fragment: the NS RRset at the apex and the address records of its
 * hosts, nothing else.  With -O, the delegation in a larger file (a
 * request with its DS records, a parent zone): the zone's NS RRset and
 * its hosts' address records are taken, the other records left. */
static void
read_fragment(struct run *r)
{
	struct zone *z = read_records(r, r->fragpath);
	struct netaddr na;
	size_t i;

	for (i = 0; i < z->n; i++) {
		const struct rr *x = &z->rr[i];
		if (x->type == T_NS && dname_equal(x->owner, r->apex)) {
			uint8_t w[DNAME_MAXLEN];
			char t[DNAME_MAXTEXT];
			memcpy(w, x->rdata, dname_len(x->rdata));
			dname_lower(w);
			dname_to_text(w, t);
			add_expect(r, t);
		} else if (x->type != T_A && x->type != T_AAAA && !r->offline)
			zone_die_rr(z, x, "only the zone's NS records and "
			    "address records belong in the fragment");
	}
	if (r->nexpect == 0)
		diag_fatal("%s: no NS record owned by %s", r->fragpath,
		    r->zname);
	for (i = 0; i < z->n; i++) {
		const struct rr *x = &z->rr[i];
		size_t h;
		if (x->type != T_A && x->type != T_AAAA)
			continue;
		memset(&na, 0, sizeof(na));
		na.family = x->type == T_A ? AF_INET : AF_INET6;
		if (x->rdlen != netaddr_len(&na))
			zone_die_rr(z, x, "malformed address");
		memcpy(na.a, x->rdata, x->rdlen);
		h = find_host(r, x->owner);
		if (h == SIZE_MAX) {
			char t[DNAME_MAXTEXT];
			size_t k;
			bool named = false;
			dname_to_text(x->owner, t);
			for (k = 0; k < r->nexpect; k++)
				named |= strcmp(r->expect[k], t) == 0;
			if (!named && r->offline)
				continue;
			if (!named)
				zone_die_rr(z, x, "address of a host that no "
				    "NS record of the fragment names");
			h = add_host(r, x->owner);
		}
		add_addr(r, h, &na);
	}
	zone_free(z);
}

/* The servers to ask: those named as operands, or else every host of the
 * fragment's NS RRset; each needs an address. */
static void
settle_servers(struct run *r, int nservers)
{
	size_t i, k;
	uint8_t w[DNAME_MAXLEN];
	char t[DNAME_MAXTEXT];

	if (nservers == 0 || r->offline)
		for (k = 0; k < r->nexpect; k++) {
			size_t h;
			zcs_parse_name(r->expect[k], w, t);
			h = add_host(r, w);
			r->host[h].asked = true;
		}
	for (i = 0; i < r->nhost; i++) {
		bool any = false;
		if (!r->host[i].asked)
			continue;
		for (k = 0; k < r->naddr; k++)
			any |= r->addr[k].host == i;
		/* Offline, a host outside the zone may come without its
		 * addresses (nothing is asked); one inside needs glue. */
		if (!any && r->offline) {
			if (r->host[i].inzone)
				zcs_finding(r, 1, false, r->host[i].name,
				    R_GLUE, "in the zone, but no glue");
			continue;
		}
		if (!any)
			diag_fatal("%s: no address: give it as %s=address "
			    "(names are not looked up)", r->host[i].name,
			    r->host[i].name);
	}
	for (i = 0; i < r->nhost; i++)
		if (r->host[i].inzone)
			r->host[i].ih = r->ninzone++;
}

static ldns_pkt *
query(const ldns_rdf *name, ldns_rr_type type, bool rd, bool dnssec)
{
	ldns_pkt *p = ldns_pkt_query_new(ldns_rdf_clone(name), type,
	    LDNS_RR_CLASS_IN, rd ? LDNS_RD : 0);

	if (p == NULL)
		diag_fatal("out of memory");
	ldns_pkt_set_edns_udp_size(p, EDNS_SIZE);
	if (dnssec)
		ldns_pkt_set_edns_do(p, true);
	return p;
}

static void
add_query(struct run *r, size_t target, bool tcp, ldns_pkt *p)
{
	struct probe_query *q;

	r->q = xreallocarray(r->q, r->nq + 1, sizeof(*r->q));
	q = &r->q[r->nq++];
	memset(q, 0, sizeof(*q));
	q->target = target;
	q->tcp = tcp;
	q->q = p;
}

/*
 * Per address asked: SOA and NS over UDP and over TCP, with RD clear
 * (checks 2 and 5), a recursive query for a name outside the zone (check
 * 4: the root's SOA), the DNSKEY RRset with its signatures over TCP
 * (check 7, -v), and A and AAAA of every in-zone host (check 5).
 */
static void
plan_queries(struct run *r)
{
	ldns_rdf *root = ldns_dname_new_frm_str(".");
	size_t i, k;

	if (root == NULL)
		diag_fatal("out of memory");
	r->t = zcs_xcalloc(r->naddr, sizeof(*r->t));
	for (i = 0; i < r->naddr; i++) {
		struct addr *a = &r->addr[i];
		struct probe_target *t;
		if (!a->queried)
			continue;
		t = &r->t[r->nt];
		t->salen = netaddr_sockaddr(&a->na, r->port, &t->sa);
		a->q = r->nq;
		add_query(r, r->nt, false, query(r->zrdf, LDNS_RR_TYPE_SOA,
		    false, false));
		add_query(r, r->nt, false, query(r->zrdf, LDNS_RR_TYPE_NS,
		    false, false));
		add_query(r, r->nt, false, query(root, LDNS_RR_TYPE_SOA,
		    true, false));
		add_query(r, r->nt, true, query(r->zrdf, LDNS_RR_TYPE_SOA,
		    false, false));
		add_query(r, r->nt, true, query(r->zrdf, LDNS_RR_TYPE_NS,
		    false, false));
		add_query(r, r->nt, true, query(r->zrdf, LDNS_RR_TYPE_DNSKEY,
		    false, true));
		for (k = 0; k < r->nhost; k++) {
			ldns_rdf *h;
			if (!r->host[k].inzone)
				continue;
			h = zcs_to_rdf(r->host[k].wire);
			add_query(r, r->nt, false, query(h, LDNS_RR_TYPE_A,
			    false, false));
			add_query(r, r->nt, false, query(h,
			    LDNS_RR_TYPE_AAAA, false, false));
			ldns_rdf_deep_free(h);
		}
		r->nt++;
	}
	ldns_rdf_deep_free(root);
}

/* The DS set of -D: DS records owned by the zone. */
static void
read_ds(struct run *r)
{
	size_t i;

	r->ds = read_records(r, r->dspath);
	for (i = 0; i < r->ds->n; i++)
		if (r->ds->rr[i].type != T_DS ||
		    !dname_equal(r->ds->rr[i].owner, r->apex))
			zone_die_rr(r->ds, &r->ds->rr[i], "not a DS record "
			    "of %s", r->zname);
	if (r->ds->n == 0)
		diag_fatal("%s: no DS record", r->dspath);
	/* A validator ignores a DS whose digest type it does not know
	 * (RFC 4035 section 5.2); so does check 7, and says so. */
	for (i = 0; i < r->ds->n; i++) {
		const struct rr *ds = &r->ds->rr[i];
		struct wire_ds v;
		char dn[32];
		bool ok = wire_ds(&v, ds->rdata, ds->rdlen) == 0;
		if (ok && ds_digest_supported(v.digest_type))
			continue;
		zcs_ds_name(ds, dn, sizeof(dn));
		zcs_finding(r, 7, true, r->zname, R_DS, "DS %s: digest type %u "
		    "cannot be checked: ignored", dn, ok ? v.digest_type : 0);
	}
}

static void
get_args(struct run *r, int argc, char **argv, int *first)
{
	char *end;
	unsigned long v;
	int ch;

	while ((ch = getopt(argc, argv, "D:jLn:OP:qt:vW:")) != -1) {
		switch (ch) {
		case 'D':
			r->dspath = optarg;
			break;
		case 'j':
			r->json = true;
			break;
		case 'L':
			r->lab = true;
			break;
		case 'n':
			r->fragpath = optarg;
			break;
		case 'O':
			r->offline = true;
			break;
		case 'P':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v == 0 || v > 65535 ||
			    *optarg < '0' || *optarg > '9')
				diag_fatal("-P %s: not a port (1 to 65535)",
				    optarg);
			r->port = (uint16_t)v;
			break;
		case 'q':
			r->quiet = true;
			break;
		case 't':
			if (dnstime_arg(optarg, (int64_t)time(NULL),
			    &r->now) != 0)
				diag_fatal("-t %s: not a time (now, "
				    "YYYYMMDDHHmmSS, seconds since the epoch, "
				    "or +/- a duration)", optarg);
			break;
		case 'v':
			r->verbose = true;
			break;
		case 'W':
			errno = 0;
			r->wait = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    !(r->wait >= 0.01 && r->wait <= 300))
				diag_fatal("-W %s: not a time-out in seconds "
				    "(0.01 to 300)", optarg);
			break;
		default:
			usage();
		}
	}
	*first = optind;
}

static void
run_free(struct run *r)
{
	size_t i;

	probe_clear(r->q, r->nq);
	for (i = 0; i < r->nq; i++)
		ldns_pkt_free(r->q[i].q);
	for (i = 0; i < r->naddr; i++) {
		ldns_rr_list_free(r->addr[i].ns);
		ldns_rr_list_free(r->addr[i].keys);
		ldns_rr_list_free(r->addr[i].keysigs);
		free(r->addr[i].keyset);
	}
	for (i = 0; i < r->nexpect; i++)
		free(r->expect[i]);
	for (i = 0; i < r->nf; i++) {
		free(r->f[i].where);
		free(r->f[i].msg);
	}
	free(r->f);
	free(r->expect);
	free(r->q);
	free(r->t);
	free(r->addr);
	free(r->host);
	zone_free(r->ds);
	ldns_rdf_deep_free(r->zrdf);
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct diag d;
	struct out out;
	size_t i;
	int first, status;

	diag_init("zcheck-servers");
	memset(&r, 0, sizeof(r));
	r.port = 53;
	r.wait = DEFAULT_WAIT;
	r.now = (int64_t)time(NULL);
	get_args(&r, argc, argv, &first);
	if (first >= argc)
		usage();
	if (r.fragpath != NULL && r.dspath != NULL &&
	    strcmp(r.fragpath, "-") == 0 && strcmp(r.dspath, "-") == 0)
		diag_fatal("the fragment and the DS set cannot both be "
		    "standard input");
	if (zcs_parse_name(argv[first], r.apex, r.zname) != 0)
		diag_fatal("%s: not a zone name", argv[first]);
	r.zrdf = zcs_to_rdf(r.apex);
	if (r.fragpath != NULL)
		read_fragment(&r);
	if (r.offline && (r.fragpath == NULL || r.dspath != NULL))
		diag_fatal("-O checks the delegation -n gives, without -D");
	if (r.dspath != NULL)
		read_ds(&r);
	for (i = (size_t)first + 1; i < (size_t)argc; i++)
		parse_server(&r, argv[i]);
	if (r.fragpath == NULL && argc - first < 2)
		diag_fatal("no server given: name servers as operands, or "
		    "-n file");
	settle_servers(&r, argc - first - 1);
	zcs_classify(&r);
	zcs_check_names(&r);
	plan_queries(&r);
	if (r.nq > 0 && probe_run(r.t, r.nt, r.q, r.nq, (int)(r.wait * 1000),
	    &d) != 0)
		diag_die(&d);
	for (i = 0; i < r.naddr; i++) {
		struct addr *a = &r.addr[i];
		if (!a->queried)
			continue;
		zcs_check_answers(&r, a);
		zcs_check_source(&r, a, Q_FIXED + 2 * r.ninzone);
		zcs_check_recursion(&r, a);
		zcs_check_ns(&r, a);
		zcs_check_glue(&r, a);
		zcs_take_serial(&r, a);
		zcs_take_keys(&r, a);
		if (r.ds != NULL)
			zcs_check_keys(&r, a);
	}
	zcs_check_serials(&r);
	zcs_check_keysets(&r);
	zcs_check_referral(&r);
	zcs_check_diversity(&r);
	/* Standard output, committed as any output is (out.h). */
	if (out_open(&out, NULL, &d) != 0)
		diag_die(&d);
	if (!r.quiet) {
		if (r.json)
			zcs_print_json(&r, out.f);
		else
			zcs_print_list(&r, out.f);
	}
	if (out_commit(&out, &d) != 0)
		diag_die(&d);
	status = r.problems > 0 ? 1 : 0;
	run_free(&r);
	return status;
}
