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
#include "zedit.h"
#include "zone.h"

#define DEFAULT_WAIT	5.0	/* seconds for the whole run */
#define EDNS_SIZE	1232	/* RFC 9715 */

/* The rules the findings cite. */
#define R_TWO		"RFC 1034 section 4.1; IANA"
#define R_HOST		"RFC 1123 section 2.1"
#define R_DISTINCT	"IANA: distinct addresses"
#define R_NET		"RFC 6890"
#define R_ANSWER	"IANA: answers over UDP and TCP; RFC 7766 section 5"
#define R_AUTH		"RFC 1034 section 4.3.1: authoritative answer"
#define R_SOURCE	"RFC 2181 section 4.1; RFC 5452 section 9.1"
#define R_RECURSION	"RFC 5358"
#define R_NS		"RFC 1034 section 4.2.2"
#define R_GLUE		"RFC 1034 section 4.2.1"
#define R_SERIAL	"RFC 1034 section 4.3.5"
#define R_DS		"RFC 4035 section 5.2"
#define R_KEYSET	"RFC 8901 section 2.1"
#define R_SIZE		"RFC 1035 section 4.2.1; IANA"
#define R_GLUEALL	"RFC 9471 section 3"
#define R_DIVERSE	"RFC 2182 section 3.1"

/* A name server. */
struct host {
	uint8_t		 wire[DNAME_MAXLEN];
	char		 name[DNAME_MAXTEXT];
	bool		 inzone;	/* at or below the zone: glue */
	bool		 asked;		/* a server to query */
	size_t		 ih;		/* index among the in-zone hosts */
};

/* The queries asked at one address, by probe_query index. */
enum { Q_SOA_U, Q_NS_U, Q_REC_U, Q_SOA_T, Q_NS_T, Q_KEY_T, Q_FIXED };

struct addr {
	size_t		 host;
	struct netaddr	 na;
	char		 text[NETADDR_TEXT];
	char		 where[DNAME_MAXTEXT + NETADDR_TEXT];
	enum netaddr_class cls;
	struct netaddr_block blk;
	bool		 queried;
	size_t		 q;		/* its first query */
	/* What it answered. */
	bool		 has_serial;
	uint32_t	 serial;
	ldns_rr_list	*ns;		/* NS RRset, NULL: none */
	ldns_rr_list	*keys;		/* DNSKEY RRset */
	ldns_rr_list	*keysigs;	/* RRSIGs over it */
	char		*keyset;	/* its keys as text, sorted */
};

struct finding {
	int		 check;
	bool		 warning;
	char		*where;
	char		*msg;
	const char	*rule;
};

struct run {
	/* Options. */
	bool		 json, lab, offline, quiet, verbose;
	const char	*dspath, *fragpath;
	uint16_t	 port;
	double		 wait;
	int64_t		 now;
	/* The zone. */
	uint8_t		 apex[DNAME_MAXLEN];
	char		 zname[DNAME_MAXTEXT];
	ldns_rdf	*zrdf;
	/* The servers, their addresses, and the NS RRset expected. */
	struct host	*host;
	size_t		 nhost;
	struct addr	*addr;
	size_t		 naddr;
	char		**expect;	/* NS targets, text */
	size_t		 nexpect;
	size_t		 ninzone;
	struct zone	*ds;		/* -D */
	/* The queries. */
	struct probe_query *q;
	size_t		 nq;
	struct probe_target *t;
	size_t		 nt;
	struct referral_size ref;
	struct finding	*f;
	size_t		 nf, problems, warnings;
};

static void
usage(void)
{
	fprintf(stderr, "usage: zcheck-servers [-jLOqv] [-D dsset] [-n file] "
	    "[-P port] [-t time] [-W seconds]\n"
	    "                      zone [server ...]\n");
	exit(2);
}

static void *
xcalloc(size_t n, size_t size)
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

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		diag_fatal("out of memory");
	return p;
}

/* A finding at a place ("name/address", a name, or the zone). */
static void
finding(struct run *r, int check, bool warning, const char *where,
    const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
finding(struct run *r, int check, bool warning, const char *where,
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
	f->where = xstrdup(where);
	f->msg = xstrdup(buf);
	f->rule = rule;
	if (warning)
		r->warnings++;
	else
		r->problems++;
}

/* A name in presentation form, absolute, lower case, and its wire form. */
static int
parse_name(const char *s, uint8_t *wire, char *text)
{
	static const uint8_t root[1] = { 0 };

	if (*s == '\0' || dname_from_text(s, root, wire) < 0)
		return -1;
	dname_lower(wire);
	dname_to_text(wire, text);
	return 0;
}

/* An ldns name for a wire name of ours. */
static ldns_rdf *
to_rdf(const uint8_t *wire)
{
	ldns_rdf *r = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME,
	    dname_len(wire), wire);

	if (r == NULL)
		diag_fatal("out of memory");
	return r;
}

/* The text of an ldns name, lower case. */
static void
rdf_text(const ldns_rdf *rdf, char *out)
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
	r->expect[r->nexpect++] = xstrdup(name);
}

/* An operand: "name" or "name=address[,address...]", each address with
 * an optional "@port". */
static void
parse_server(struct run *r, const char *arg)
{
	char *s = xstrdup(arg), *eq, *p, *next;
	uint8_t wire[DNAME_MAXLEN];
	char text[DNAME_MAXTEXT];
	struct netaddr na;
	size_t h;

	if ((eq = strchr(s, '=')) != NULL)
		*eq = '\0';
	if (parse_name(s, wire, text) != 0)
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
			parse_name(r->expect[k], w, t);
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
				finding(r, 1, false, r->host[i].name, R_GLUE,
				    "in the zone, but no glue");
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

/* RFC 1123 §2.1: letters, digits and hyphens, a label neither starting
 * nor ending with a hyphen; at most 253 characters in text. */
static bool
valid_host(const uint8_t *w)
{
	size_t total = 0;

	if (*w == 0)
		return false;
	for (; *w != 0; w += *w + 1) {
		unsigned i, n = *w;
		for (i = 1; i <= n; i++)
			if (!isalnum(w[i]) && w[i] != '-')
				return false;
		if (w[1] == '-' || w[n] == '-')
			return false;
		total += n + 1;
	}
	return total - 1 <= 253;
}

/* Check 1: two servers at least, valid names, distinct addresses, none
 * in a special-purpose block (unless -L allows the lab's). */
static void
check_names(struct run *r)
{
	size_t i, k;

	if (r->nexpect < 2)
		finding(r, 1, false, r->zname, R_TWO, "%zu name server: at "
		    "least two are required", r->nexpect);
	for (i = 0; i < r->nhost; i++)
		if (!valid_host(r->host[i].wire))
			finding(r, 1, false, r->host[i].name, R_HOST,
			    "not a valid host name");
	for (i = 0; i < r->naddr; i++) {
		struct addr *a = &r->addr[i];
		if (!r->host[a->host].asked)
			continue;
		for (k = 0; k < i; k++)
			if (r->host[r->addr[k].host].asked &&
			    memcmp(r->addr[k].na.a,
			    a->na.a, netaddr_len(&a->na)) == 0 &&
			    r->addr[k].na.family == a->na.family &&
			    (r->addr[k].na.port ? r->addr[k].na.port :
			    r->port) == (a->na.port ? a->na.port : r->port))
				finding(r, 1, false, a->where, R_DISTINCT,
				    "the same address as %s", r->addr[k].where);
	}
}

/* Decide which addresses may be asked (check 1, networks). */
static void
classify(struct run *r)
{
	size_t i;

	for (i = 0; i < r->naddr; i++) {
		struct addr *a = &r->addr[i];
		a->cls = netaddr_classify(&a->na, &a->blk);
		/* The glue of a host not asked is only compared. */
		if (!r->host[a->host].asked)
			continue;
		a->queried = a->cls == NETADDR_GLOBAL ||
		    (r->lab && netaddr_lab_class(a->cls));
		if (a->queried) {
			a->queried = !r->offline;
			continue;
		}
		finding(r, 1, false, a->where, R_NET, "%s address (%s, %s): "
		    "%s%s", netaddr_class_name(a->cls), a->blk.prefix,
		    a->blk.source, r->offline ? "not a name server's address" :
		    "not queried", netaddr_lab_class(a->cls) ? " without -L" :
		    "");
	}
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
	r->t = xcalloc(r->naddr, sizeof(*r->t));
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
			h = to_rdf(r->host[k].wire);
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

/* The records of the answer section of type t owned by name. */
static ldns_rr_list *
answer_set(const ldns_pkt *p, const ldns_rdf *name, ldns_rr_type t)
{
	ldns_rr_list *out = ldns_rr_list_new();
	const ldns_rr_list *an = ldns_pkt_answer(p);
	size_t i;

	if (out == NULL)
		diag_fatal("out of memory");
	for (i = 0; i < ldns_rr_list_rr_count(an); i++) {
		ldns_rr *x = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(x) == t &&
		    ldns_rr_get_class(x) == LDNS_RR_CLASS_IN &&
		    ldns_dname_compare(ldns_rr_owner(x), name) == 0)
			ldns_rr_list_push_rr(out, x);
	}
	return out;
}

static const char *
rcode_name(ldns_pkt_rcode rc)
{
	static char buf[16];
	ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rc);

	if (lt != NULL)
		return lt->name;
	snprintf(buf, sizeof(buf), "RCODE%d", (int)rc);
	return buf;
}

/* What is wrong with an answer for the zone's SOA or NS (check 2), or
 * "" when nothing is. */
static void
judge_answer(struct run *r, const struct probe_query *q, ldns_rr_type t,
    char *out, size_t size)
{
	ldns_rr_list *set;
	const ldns_pkt *p = q->reply;

	*out = '\0';
	switch (q->state) {
	case PROBE_PENDING:
	case PROBE_TIMEOUT:
		snprintf(out, size, "no reply within %g s", r->wait);
		return;
	case PROBE_FAILED:
		snprintf(out, size, "%s", q->err == ECONNREFUSED ? (q->tcp ?
		    "connection refused" : "port unreachable") :
		    q->err == ECONNRESET ? "connection closed before the reply" :
		    strerror(q->err));
		return;
	case PROBE_ANSWERED:
		break;
	}
	if (ldns_pkt_get_rcode(p) != LDNS_RCODE_NOERROR) {
		snprintf(out, size, "%s (lame)",
		    rcode_name(ldns_pkt_get_rcode(p)));
		return;
	}
	if (!ldns_pkt_aa(p)) {
		set = answer_set(p, r->zrdf, t);
		snprintf(out, size, "%s", ldns_rr_list_rr_count(set) == 0 &&
		    ldns_rr_list_rr_count(ldns_pkt_authority(p)) > 0 ?
		    "a referral, not an authoritative answer (lame)" :
		    "an answer without AA, not authoritative (lame)");
		ldns_rr_list_free(set);
		return;
	}
	set = answer_set(p, r->zrdf, t);
	/* A truncated reply may lack the records; TCP has the last word
	 * (RFC 1035 section 4.2.1, RFC 7766 section 5). */
	if (ldns_rr_list_rr_count(set) == 0 && !ldns_pkt_tc(p))
		snprintf(out, size, "no %s record in the authoritative answer",
		    t == LDNS_RR_TYPE_SOA ? "SOA" : "NS");
	ldns_rr_list_free(set);
}

/* The rule a fault of check 2 breaks: an answer that is not
 * authoritative (lame), or no answer at all. */
static const char *
answer_rule(const char *m)
{
	return strstr(m, "lame") != NULL || strstr(m, "authoritative") !=
	    NULL ? R_AUTH : R_ANSWER;
}

/*
 * Check 2 for one address: SOA and NS over UDP and TCP.  The same fault
 * on both queries, or on both transports, is said once.
 */
static void
check_answers(struct run *r, struct addr *a)
{
	static const char *tname[2] = { "UDP", "TCP" };
	char m[4][256];
	int tr;

	judge_answer(r, &r->q[a->q + Q_SOA_U], LDNS_RR_TYPE_SOA, m[0], 256);
	judge_answer(r, &r->q[a->q + Q_NS_U], LDNS_RR_TYPE_NS, m[1], 256);
	judge_answer(r, &r->q[a->q + Q_SOA_T], LDNS_RR_TYPE_SOA, m[2], 256);
	judge_answer(r, &r->q[a->q + Q_NS_T], LDNS_RR_TYPE_NS, m[3], 256);
	if (*m[0] && strcmp(m[0], m[1]) == 0 && strcmp(m[0], m[2]) == 0 &&
	    strcmp(m[0], m[3]) == 0) {
		finding(r, 2, false, a->where, answer_rule(m[0]),
		    "SOA and NS over UDP and TCP: %s", m[0]);
		return;
	}
	for (tr = 0; tr < 2; tr++) {
		const char *soa = m[2 * tr], *ns = m[2 * tr + 1];
		if (*soa && strcmp(soa, ns) == 0) {
			finding(r, 2, false, a->where, answer_rule(soa),
			    "SOA and NS over %s: %s", tname[tr], soa);
			continue;
		}
		if (*soa)
			finding(r, 2, false, a->where, answer_rule(soa),
			    "SOA over %s: %s", tname[tr], soa);
		if (*ns)
			finding(r, 2, false, a->where, answer_rule(ns),
			    "NS over %s: %s", tname[tr], ns);
	}
}

/* Check 3: a UDP reply from an address or port other than the one asked
 * (a resolver drops it). */
static void
check_source(struct run *r, struct addr *a, size_t nq)
{
	size_t i;

	for (i = a->q; i < a->q + nq; i++) {
		struct netaddr from;
		char text[NETADDR_TEXT];
		if (r->q[i].state != PROBE_ANSWERED || !r->q[i].stray)
			continue;
		netaddr_from_sockaddr(&r->q[i].from, &from);
		netaddr_text(&from, text, sizeof(text));
		finding(r, 3, false, a->where, R_SOURCE, "the reply over UDP "
		    "came from %s, not from the address asked", text);
		return;
	}
}

/* Check 4: no recursion for names outside the zone. */
static void
check_recursion(struct run *r, struct addr *a)
{
	const struct probe_query *q = &r->q[a->q + Q_REC_U];
	const ldns_pkt *p = q->reply;

	if (q->state != PROBE_ANSWERED || !ldns_pkt_ra(p))
		return;
	if ((ldns_pkt_get_rcode(p) == LDNS_RCODE_NOERROR &&
	    ldns_pkt_ancount(p) > 0) ||
	    ldns_pkt_get_rcode(p) == LDNS_RCODE_NXDOMAIN)
		finding(r, 4, false, a->where, R_RECURSION, "open recursion: "
		    "a recursive query for . SOA, outside the zone, was "
		    "answered (%s, RA set)", rcode_name(ldns_pkt_get_rcode(p)));
}

/* The reply of a query when it is an authoritative NOERROR. */
static const ldns_pkt *
auth_reply(const struct probe_query *q)
{
	if (q->state != PROBE_ANSWERED ||
	    ldns_pkt_get_rcode(q->reply) != LDNS_RCODE_NOERROR ||
	    !ldns_pkt_aa(q->reply) || ldns_pkt_tc(q->reply))
		return NULL;
	return q->reply;
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Check 5, the NS RRset: what the address serves against what is
 * expected (the fragment's, or the servers named). */
static void
check_ns(struct run *r, struct addr *a)
{
	const ldns_pkt *p = auth_reply(&r->q[a->q + Q_NS_U]);
	char **got, extra[1024] = "", missing[1024] = "";
	size_t n, i, k;

	if (p == NULL)
		p = auth_reply(&r->q[a->q + Q_NS_T]);
	if (p == NULL)
		return;
	a->ns = answer_set(p, r->zrdf, LDNS_RR_TYPE_NS);
	if ((n = ldns_rr_list_rr_count(a->ns)) == 0)
		return;
	got = xcalloc(n, sizeof(*got));
	for (i = 0; i < n; i++) {
		char t[DNAME_MAXTEXT];
		rdf_text(ldns_rr_rdf(ldns_rr_list_rr(a->ns, i), 0), t);
		got[i] = xstrdup(t);
	}
	qsort(got, n, sizeof(*got), cmp_str);
	for (i = 0; i < n; i++) {
		bool want = false;
		for (k = 0; k < r->nexpect; k++)
			want |= strcmp(r->expect[k], got[i]) == 0;
		if (!want && strlen(extra) + strlen(got[i]) + 2 < sizeof(extra))
			strcat(strcat(extra, " "), got[i]);
	}
	for (k = 0; k < r->nexpect; k++) {
		bool have = false;
		for (i = 0; i < n; i++)
			have |= strcmp(r->expect[k], got[i]) == 0;
		if (!have && strlen(missing) + strlen(r->expect[k]) + 2 <
		    sizeof(missing))
			strcat(strcat(missing, " "), r->expect[k]);
	}
	if (*extra || *missing)
		finding(r, 5, false, a->where, R_NS, "NS RRset differs from "
		    "the one given:%s%s%s%s", *extra ? " serves" : "", extra,
		    *missing ? " lacks" : "", missing);
	for (i = 0; i < n; i++)
		free(got[i]);
	free(got);
}

/* The strings, sorted, each once, joined by spaces into out; freed. */
static void
join_sorted(char **v, size_t n, char *out, size_t size)
{
	size_t i;

	*out = '\0';
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0) {
			if (*out)
				strncat(out, " ", size - strlen(out) - 1);
			strncat(out, v[i], size - strlen(out) - 1);
		}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The addresses given for host h of one family, as text sorted. */
static void
given_text(struct run *r, size_t h, int family, char *out, size_t size)
{
	char **v = xcalloc(r->naddr, sizeof(*v));
	size_t i, n = 0;

	*out = '\0';
	for (i = 0; i < r->naddr; i++) {
		struct netaddr na = r->addr[i].na;
		char t[NETADDR_TEXT];
		if (r->addr[i].host != h || na.family != family)
			continue;
		na.port = 0;
		netaddr_text(&na, t, sizeof(t));
		v[n++] = xstrdup(t);
	}
	join_sorted(v, n, out, size);
}

/* The addresses an authoritative answer gives, as text sorted. */
static void
served_text(const ldns_pkt *p, const ldns_rdf *name, ldns_rr_type t,
    char *out, size_t size)
{
	ldns_rr_list *set = answer_set(p, name, t);
	size_t i, n = ldns_rr_list_rr_count(set);
	char **v = xcalloc(n, sizeof(*v));

	*out = '\0';
	for (i = 0; i < n; i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(set, i), 0));
		if (s == NULL)
			diag_fatal("out of memory");
		v[i] = s;
	}
	join_sorted(v, n, out, size);
	ldns_rr_list_free(set);
}

/* Check 5, the glue: the address records the address serves for each
 * in-zone host against the addresses given for it. */
static void
check_glue(struct run *r, struct addr *a)
{
	size_t k, f;

	for (k = 0; k < r->nhost; k++) {
		struct host *h = &r->host[k];
		ldns_rdf *name;
		if (!h->inzone)
			continue;
		name = to_rdf(h->wire);
		for (f = 0; f < 2; f++) {
			const struct probe_query *q = &r->q[a->q + Q_FIXED +
			    2 * h->ih + f];
			const ldns_pkt *p = auth_reply(q);
			char given[512], served[512];
			if (p == NULL && q->state == PROBE_ANSWERED &&
			    ldns_pkt_get_rcode(q->reply) ==
			    LDNS_RCODE_NXDOMAIN && ldns_pkt_aa(q->reply) &&
			    !ldns_pkt_tc(q->reply))
				p = q->reply;
			if (p == NULL)
				continue;
			given_text(r, k, f ? AF_INET6 : AF_INET, given,
			    sizeof(given));
			served_text(p, name, f ? LDNS_RR_TYPE_AAAA :
			    LDNS_RR_TYPE_A, served, sizeof(served));
			if (strcmp(given, served) != 0)
				finding(r, 5, false, a->where, R_GLUE,
				    "%s %s: serves %s, the glue given is %s",
				    h->name, f ? "AAAA" : "A",
				    *served ? served : "none",
				    *given ? given : "none");
		}
		ldns_rdf_deep_free(name);
	}
}

/* The serial an address serves (UDP, else TCP). */
static void
take_serial(struct run *r, struct addr *a)
{
	const ldns_pkt *p = auth_reply(&r->q[a->q + Q_SOA_U]);
	ldns_rr_list *set;

	if (p == NULL)
		p = auth_reply(&r->q[a->q + Q_SOA_T]);
	if (p == NULL)
		return;
	set = answer_set(p, r->zrdf, LDNS_RR_TYPE_SOA);
	if (ldns_rr_list_rr_count(set) > 0) {
		ldns_rdf *s = ldns_rr_rdf(ldns_rr_list_rr(set, 0), 2);
		if (s != NULL && ldns_rdf_size(s) == 4) {
			a->serial = ldns_rdf2native_int32(s);
			a->has_serial = true;
		}
	}
	ldns_rr_list_free(set);
}

/* Check 6: one serial everywhere.  The serial most addresses serve (the
 * later one on a tie) is the reference; every other address is named
 * with its own. */
static void
check_serials(struct run *r)
{
	size_t i, k, best = SIZE_MAX, bestn = 0;

	for (i = 0; i < r->naddr; i++) {
		size_t n = 0;
		if (!r->addr[i].has_serial)
			continue;
		for (k = 0; k < r->naddr; k++)
			n += r->addr[k].has_serial &&
			    r->addr[k].serial == r->addr[i].serial;
		if (best == SIZE_MAX || n > bestn || (n == bestn &&
		    serial_cmp(r->addr[i].serial, r->addr[best].serial) > 0)) {
			best = i;
			bestn = n;
		}
	}
	if (best == SIZE_MAX)
		return;
	for (i = 0; i < r->naddr; i++)
		if (r->addr[i].has_serial &&
		    r->addr[i].serial != r->addr[best].serial)
			finding(r, 6, false, r->addr[i].where, R_SERIAL,
			    "SOA serial %" PRIu32 ", where %zu other address%s "
			    "serve%s %" PRIu32, r->addr[i].serial, bestn,
			    bestn == 1 ? "" : "es", bestn == 1 ? "s" : "",
			    r->addr[best].serial);
}

/* The keys of a DNSKEY RRset as "tag/flags/algorithm", sorted, each
 * once. */
static char *
keyset_text(const ldns_rr_list *keys)
{
	size_t i, n = ldns_rr_list_rr_count(keys);
	char **v = xcalloc(n, sizeof(*v)), out[4096];

	for (i = 0; i < n; i++) {
		ldns_rr *x = ldns_rr_list_rr(keys, i);
		char t[32];
		snprintf(t, sizeof(t), "%u/%u/%u",
		    (unsigned)ldns_calc_keytag(x),
		    (unsigned)ldns_rdf2native_int16(ldns_rr_dnskey_flags(x)),
		    (unsigned)ldns_rdf2native_int8(
		    ldns_rr_dnskey_algorithm(x)));
		v[i] = xstrdup(t);
	}
	join_sorted(v, n, out, sizeof(out));
	return xstrdup(out);
}

/* The words of a that are not in b, into out. */
static void
words_missing(const char *a, const char *b, char *out, size_t size)
{
	char *copy = xstrdup(a), *w, *save = NULL;
	char pad[4096 + 2];

	*out = '\0';
	snprintf(pad, sizeof(pad), " %s ", b);
	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		char needle[64];
		snprintf(needle, sizeof(needle), " %s ", w);
		if (strstr(pad, needle) == NULL) {
			if (*out)
				strncat(out, " ", size - strlen(out) - 1);
			strncat(out, w, size - strlen(out) - 1);
		}
	}
	free(copy);
}

/*
 * The DNSKEY RRset should be the same at every address: operators that
 * serve one zone together publish every operator's keys (RFC 8901
 * section 2.1), and a key set that changed at one address (a ZSK roll
 * at one operator in the middle of the migration, a server left behind)
 * breaks that.  The set most addresses serve (on a tie, the first
 * address's) is the reference; a warning names each other address with
 * what it has and lacks.
 */
static void
check_keysets(struct run *r)
{
	size_t i, k, best = SIZE_MAX, bestn = 0;

	for (i = 0; i < r->naddr; i++) {
		size_t n = 0;
		if (r->addr[i].keyset == NULL)
			continue;
		for (k = 0; k < r->naddr; k++)
			n += r->addr[k].keyset != NULL &&
			    strcmp(r->addr[k].keyset, r->addr[i].keyset) == 0;
		if (best == SIZE_MAX || n > bestn) {
			best = i;
			bestn = n;
		}
	}
	for (i = 0; best != SIZE_MAX && i < r->naddr; i++) {
		char has[1024], lacks[1024];
		const char *ref = r->addr[best].keyset;
		if (r->addr[i].keyset == NULL ||
		    strcmp(r->addr[i].keyset, ref) == 0)
			continue;
		words_missing(r->addr[i].keyset, ref, has, sizeof(has));
		words_missing(ref, r->addr[i].keyset, lacks, sizeof(lacks));
		finding(r, 7, true, r->addr[i].where, R_KEYSET, "DNSKEY RRset "
		    "differs from the one %zu other address%s serve%s:%s%s%s%s",
		    bestn, bestn == 1 ? "" : "es", bestn == 1 ? "s" : "",
		    *has ? " has " : "", has, *lacks ? " lacks " : "", lacks);
	}
}

/* The DNSKEY RRset and its signatures from the TCP answer. */
static void
take_keys(struct run *r, struct addr *a)
{
	const ldns_pkt *p = auth_reply(&r->q[a->q + Q_KEY_T]);
	ldns_rr_list *sigs;
	size_t i;

	if (p == NULL)
		return;
	a->keys = answer_set(p, r->zrdf, LDNS_RR_TYPE_DNSKEY);
	if (ldns_rr_list_rr_count(a->keys) > 0)
		a->keyset = keyset_text(a->keys);
	sigs = answer_set(p, r->zrdf, LDNS_RR_TYPE_RRSIG);
	a->keysigs = ldns_rr_list_new();
	if (a->keysigs == NULL)
		diag_fatal("out of memory");
	for (i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
		ldns_rr *s = ldns_rr_list_rr(sigs, i);
		if (ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(s)) ==
		    LDNS_RR_TYPE_DNSKEY)
			ldns_rr_list_push_rr(a->keysigs, s);
	}
	ldns_rr_list_free(sigs);
}

/* An ldns record into a zone of ours, its RDATA in canonical form (RFC
 * 4034 §6.2). */
static void
zone_take(struct run *r, struct zone *z, const ldns_rr *rr)
{
	ldns_rr *c = ldns_rr_clone(rr);
	ldns_buffer *b = ldns_buffer_new(512);

	if (c == NULL || b == NULL)
		diag_fatal("out of memory");
	ldns_rr2canonical(c);
	if (ldns_rr_rdata2buffer_wire(b, c) != LDNS_STATUS_OK ||
	    zone_add(z, r->apex, (uint16_t)ldns_rr_get_type(c), 1,
	    ldns_rr_ttl(c), ldns_buffer_begin(b), ldns_buffer_position(b),
	    NULL, 0) == NULL)
		diag_fatal("out of memory");
	ldns_buffer_free(b);
	ldns_rr_free(c);
}

static void
ds_name(const struct rr *ds, char *out, size_t size)
{
	if (ds->rdlen < 4)
		snprintf(out, size, "(malformed)");
	else
		snprintf(out, size, "%u/%u/%u", ds->rdata[0] << 8 |
		    ds->rdata[1], ds->rdata[2], ds->rdata[3]);
}

/*
 * Check 7 at one address: every DS of -d names, by its recomputed
 * digest, a DNSKEY with the zone-key flag that the address serves, and
 * the DNSKEY RRset validates from the DS set: a signature over it, by a
 * key that a DS names, verifies and is valid at -t (RFC 4035 §5.2 and
 * §5.3).
 */
static void
check_keys(struct run *r, struct addr *a)
{
	struct zone *z;
	struct keyring ring;
	struct sigverify_job *job;
	uint64_t *mine;
	size_t i, k, d, first = SIZE_MAX, nkeys = 0, njob = 0;
	bool valid = false, sig_time = false, sig_bad = false;

	if (a->keys == NULL || ldns_rr_list_rr_count(a->keys) == 0) {
		finding(r, 7, false, a->where, R_DS, "no DNSKEY RRset in an "
		    "authoritative answer over TCP");
		return;
	}
	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	for (i = 0; i < ldns_rr_list_rr_count(a->keys); i++)
		zone_take(r, z, ldns_rr_list_rr(a->keys, i));
	for (i = 0; i < ldns_rr_list_rr_count(a->keysigs); i++)
		zone_take(r, z, ldns_rr_list_rr(a->keysigs, i));
	zone_sort(z);
	keyring_init(&ring);
	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == T_DNSKEY) {
			if (first == SIZE_MAX)
				first = i;
			nkeys++;
			if (keyring_add(&ring, z->rr[i].rdata,
			    z->rr[i].rdlen) < 0)
				diag_fatal("out of memory");
		}
	mine = keyring_set_new(&ring);
	if (mine == NULL)
		diag_fatal("out of memory");
	for (k = 0; k < ring.n; k++)
		keyring_set_add(mine, k);
	/* Every DS must name a zone key served here. */
	for (d = 0; d < r->ds->n; d++) {
		const struct rr *ds = &r->ds->rr[d];
		char dn[32];
		bool found = false;
		if (ds->rdlen < 4 || !ds_digest_supported(ds->rdata[3]))
			continue;
		ds_name(ds, dn, sizeof(dn));
		for (k = 0; k < ring.n && !found; k++)
			found = (ring.key[k].flags & DNSKEY_F_ZONE) &&
			    ds_matches(r->apex, ring.key[k].rdata,
			    ring.key[k].rdlen, ds->rdata, ds->rdlen);
		if (!found)
			finding(r, 7, false, a->where, R_DS, "DS %s matches no "
			    "DNSKEY with the zone-key flag served here", dn);
	}
	job = xcalloc(z->n, sizeof(*job));
	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == T_RRSIG && zedit_sig_covers(&z->rr[i],
		    T_DNSKEY)) {
			job[njob].sig = (uint32_t)i;
			job[njob].set = (uint32_t)first;
			job[njob].nset = (uint32_t)nkeys;
			njob++;
		}
	if (sigverify_run(z, job, njob, &ring, mine, 1) != 0)
		diag_fatal("out of memory");
	for (i = 0; i < njob && !valid; i++) {
		struct zedit_sig s;
		const struct keyring_key *key;
		if (job[i].key < 0) {
			sig_bad = true;
			continue;
		}
		key = &ring.key[job[i].key];
		if (!zedit_sig(&z->rr[job[i].sig], &s) ||
		    !dname_equal(s.signer, r->apex) ||
		    !(key->flags & DNSKEY_F_ZONE))
			continue;
		for (d = 0; d < r->ds->n && !valid; d++) {
			if (!ds_matches(r->apex, key->rdata, key->rdlen,
			    r->ds->rr[d].rdata, r->ds->rr[d].rdlen))
				continue;
			if (dnstime_within(s.inception, s.expiration, r->now))
				valid = true;
			else
				sig_time = true;
		}
	}
	if (!valid)
		finding(r, 7, false, a->where, R_DS, "the DNSKEY RRset does "
		    "not validate from the DS set: %s", sig_time ?
		    "the signature by a key a DS names is not valid now" :
		    sig_bad ? "no signature over it by a key a DS names "
		    "verifies" : njob == 0 ? "it is not signed" :
		    "no key a DS names signs it");
	free(job);
	free(mine);
	keyring_free(&ring);
	zone_free(z);
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
		char dn[32];
		if (ds->rdlen >= 4 && ds_digest_supported(ds->rdata[3]))
			continue;
		ds_name(ds, dn, sizeof(dn));
		finding(r, 7, true, r->zname, R_DS, "DS %s: digest type %u "
		    "cannot be checked: ignored", dn, ds->rdlen >= 4 ?
		    ds->rdata[3] : 0);
	}
}

/* Check 8: the referral the parent sends, from the NS RRset expected and
 * the glue given for in-zone hosts (every name server of a TLD is below
 * the root: in-bailiwick of the parent). */
static void
check_referral(struct run *r)
{
	ldns_rr_list *ns = ldns_rr_list_new(), *glue = ldns_rr_list_new();
	size_t i, k;

	if (ns == NULL || glue == NULL)
		diag_fatal("out of memory");
	for (i = 0; i < r->nexpect; i++) {
		uint8_t w[DNAME_MAXLEN];
		char t[DNAME_MAXTEXT];
		ldns_rr *rr = ldns_rr_new_frm_type(LDNS_RR_TYPE_NS);
		parse_name(r->expect[i], w, t);
		if (rr == NULL)
			diag_fatal("out of memory");
		ldns_rr_set_owner(rr, ldns_rdf_clone(r->zrdf));
		ldns_rr_set_ttl(rr, 172800);
		ldns_rr_set_rdf(rr, to_rdf(w), 0);
		ldns_rr_list_push_rr(ns, rr);
		/* The glue of this host, once per address. */
		for (k = 0; k < r->naddr; k++) {
			struct addr *a = &r->addr[k];
			ldns_rr *g;
			size_t j;
			bool dup = false;
			if (!dname_equal(r->host[a->host].wire, w))
				continue;
			for (j = 0; j < k; j++)
				dup |= r->addr[j].host == a->host &&
				    r->addr[j].na.family == a->na.family &&
				    memcmp(r->addr[j].na.a, a->na.a,
				    netaddr_len(&a->na)) == 0;
			if (dup)
				continue;
			g = ldns_rr_new_frm_type(a->na.family == AF_INET ?
			    LDNS_RR_TYPE_A : LDNS_RR_TYPE_AAAA);
			if (g == NULL)
				diag_fatal("out of memory");
			ldns_rr_set_owner(g, to_rdf(w));
			ldns_rr_set_ttl(g, 172800);
			ldns_rr_set_rdf(g, ldns_rdf_new_frm_data(
			    a->na.family == AF_INET ? LDNS_RDF_TYPE_A :
			    LDNS_RDF_TYPE_AAAA, netaddr_len(&a->na), a->na.a),
			    0);
			ldns_rr_list_push_rr(glue, g);
		}
	}
	if (referral_measure(r->zrdf, ns, glue, &r->ref) != 0)
		diag_fatal("cannot build the referral");
	if (r->ref.minimal > REFERRAL_LIMIT)
		finding(r, 8, false, r->zname, R_SIZE, "the smallest referral "
		    "(NS RRset, one A and one AAAA glue record, 255-octet query "
		    "name) is %zu octets, more than %d", r->ref.minimal,
		    REFERRAL_LIMIT);
	else if (r->ref.full > REFERRAL_LIMIT)
		finding(r, 8, true, r->zname, R_GLUEALL, "the referral with "
		    "the glue of every host is %zu octets, more than %d: "
		    "without EDNS it is truncated", r->ref.full, REFERRAL_LIMIT);
	ldns_rr_list_deep_free(ns);
	ldns_rr_list_deep_free(glue);
}

/* Check 9: diversity cannot be proven without routing data; all
 * addresses of a family in one /24 (IPv4) or /48 (IPv6) is a warning. */
static void
check_diversity(struct run *r)
{
	static const int fam[2] = { AF_INET, AF_INET6 };
	static const unsigned bits[2] = { 24, 48 };
	size_t i, f, n, first;
	bool same;

	for (f = 0; f < 2; f++) {
		n = 0;
		same = true;
		first = SIZE_MAX;
		for (i = 0; i < r->naddr; i++) {
			if (r->addr[i].na.family != fam[f])
				continue;
			n++;
			if (first == SIZE_MAX)
				first = i;
			else if (!netaddr_same_prefix(&r->addr[first].na,
			    &r->addr[i].na, bits[f]))
				same = false;
		}
		if (n >= 2 && same)
			finding(r, 9, true, r->zname, R_DIVERSE, "all %zu %s "
			    "addresses are in one /%u", n, f ? "IPv6" : "IPv4",
			    bits[f]);
	}
}

static void
time_text(uint32_t t, int64_t now, char *out, size_t size)
{
	/* The 32-bit time nearest to now (RFC 4034 §3.1.5). */
	int64_t full = now + (int32_t)(t - (uint32_t)now);
	time_t tt = (time_t)full;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(out, size, "%" PRIu32, t);
	else
		strftime(out, size, "%Y%m%d%H%M%S", &tm);
}

/* -v: what each address serves, for the migration at a glance. */
static void
print_summary(struct run *r, FILE *f)
{
	size_t i, k;

	for (i = 0; i < r->naddr; i++) {
		struct addr *a = &r->addr[i];
		if (!r->host[a->host].asked)
			continue;
		if (!a->queried) {
			fprintf(f, "%s: not queried\n", a->where);
			continue;
		}
		fprintf(f, "%s: serial ", a->where);
		if (a->has_serial)
			fprintf(f, "%" PRIu32, a->serial);
		else
			fputs("-", f);
		fputs("; DNSKEY", f);
		for (k = 0; a->keys && k < ldns_rr_list_rr_count(a->keys);
		    k++) {
			ldns_rr *x = ldns_rr_list_rr(a->keys, k);
			fprintf(f, " %u/%u", (unsigned)ldns_calc_keytag(x),
			    (unsigned)ldns_rdf2native_int16(
			    ldns_rr_dnskey_flags(x)));
		}
		fputs("; RRSIG DNSKEY", f);
		for (k = 0; a->keysigs &&
		    k < ldns_rr_list_rr_count(a->keysigs); k++) {
			ldns_rr *x = ldns_rr_list_rr(a->keysigs, k);
			char t[32];
			time_text(ldns_rdf2native_int32(
			    ldns_rr_rrsig_expiration(x)), r->now, t, sizeof(t));
			fprintf(f, " %u until %s",
			    (unsigned)ldns_rdf2native_int16(
			    ldns_rr_rrsig_keytag(x)), t);
		}
		fputs("; NS", f);
		for (k = 0; a->ns && k < ldns_rr_list_rr_count(a->ns); k++) {
			char t[DNAME_MAXTEXT];
			rdf_text(ldns_rr_rdf(ldns_rr_list_rr(a->ns, k), 0), t);
			fprintf(f, " %s", t);
		}
		fputc('\n', f);
	}
	fprintf(f, "referral: %zu octets minimal, %zu with all glue; network "
	    "diversity is not checked\n", r->ref.minimal, r->ref.full);
}

static void
print_list(struct run *r, FILE *f)
{
	size_t i;

	for (i = 0; i < r->nf; i++)
		fprintf(f, "%s: %s: %s%s (%s)\n", diag_prog(), r->f[i].where,
		    r->f[i].warning ? "warning: " : "", r->f[i].msg,
		    r->f[i].rule);
	if (r->verbose)
		print_summary(r, f);
}

static void
json_addr(struct run *r, FILE *f, struct addr *a)
{
	size_t k;

	fputs("{\"server\":", f);
	report_json_string(f, r->host[a->host].name);
	fputs(",\"address\":", f);
	report_json_string(f, a->text);
	fprintf(f, ",\"class\":\"%s\",\"queried\":%s,\"serial\":",
	    netaddr_class_name(a->cls), a->queried ? "true" : "false");
	if (a->has_serial)
		fprintf(f, "%" PRIu32, a->serial);
	else
		fputs("null", f);
	fputs(",\"keys\":[", f);
	for (k = 0; a->keys && k < ldns_rr_list_rr_count(a->keys); k++) {
		ldns_rr *x = ldns_rr_list_rr(a->keys, k);
		fprintf(f, "%s{\"tag\":%u,\"flags\":%u,\"algorithm\":%u}",
		    k ? "," : "", (unsigned)ldns_calc_keytag(x),
		    (unsigned)ldns_rdf2native_int16(ldns_rr_dnskey_flags(x)),
		    (unsigned)ldns_rdf2native_int8(
		    ldns_rr_dnskey_algorithm(x)));
	}
	fputs("],\"dnskey_rrsigs\":[", f);
	for (k = 0; a->keysigs && k < ldns_rr_list_rr_count(a->keysigs);
	    k++) {
		ldns_rr *x = ldns_rr_list_rr(a->keysigs, k);
		char t[32];
		time_text(ldns_rdf2native_int32(ldns_rr_rrsig_expiration(x)),
		    r->now, t, sizeof(t));
		fprintf(f, "%s{\"tag\":%u,\"expiration\":\"%s\"}", k ? "," : "",
		    (unsigned)ldns_rdf2native_int16(ldns_rr_rrsig_keytag(x)),
		    t);
	}
	fputs("],\"ns\":[", f);
	for (k = 0; a->ns && k < ldns_rr_list_rr_count(a->ns); k++) {
		char t[DNAME_MAXTEXT];
		rdf_text(ldns_rr_rdf(ldns_rr_list_rr(a->ns, k), 0), t);
		if (k)
			fputc(',', f);
		report_json_string(f, t);
	}
	fputs("]}", f);
}

/* -j: one object, the findings and a summary with every address. */
static void
print_json(struct run *r, FILE *f)
{
	size_t i;

	fputs("{\"zone\":", f);
	report_json_string(f, r->zname);
	fputs(",\"findings\":[", f);
	for (i = 0; i < r->nf; i++) {
		const char *slash = strchr(r->f[i].where, '/');
		fprintf(f, "%s\n{\"check\":%d,\"kind\":\"%s\",\"where\":",
		    i ? "," : "", r->f[i].check, r->f[i].warning ?
		    "warning" : "problem");
		report_json_string(f, r->f[i].where);
		fputs(",\"address\":", f);
		report_json_string(f, slash ? slash + 1 : NULL);
		fputs(",\"message\":", f);
		report_json_string(f, r->f[i].msg);
		fputs(",\"rule\":", f);
		report_json_string(f, r->f[i].rule);
		fputc('}', f);
	}
	fputs("],\n\"summary\":{\"servers\":[", f);
	for (i = 0; i < r->naddr; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_addr(r, f, &r->addr[i]);
	}
	fprintf(f, "],\n\"referral\":{\"minimal\":%zu,\"full\":%zu},"
	    "\"problems\":%zu,\"warnings\":%zu}}\n", r->ref.minimal,
	    r->ref.full, r->problems, r->warnings);
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
			if (dnstime_arg(optarg, (int64_t)time(NULL), &r->now) != 0)
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
	if (parse_name(argv[first], r.apex, r.zname) != 0)
		diag_fatal("%s: not a zone name", argv[first]);
	r.zrdf = to_rdf(r.apex);
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
	classify(&r);
	check_names(&r);
	plan_queries(&r);
	if (r.nq > 0 && probe_run(r.t, r.nt, r.q, r.nq, (int)(r.wait * 1000),
	    &d) != 0)
		diag_die(&d);
	for (i = 0; i < r.naddr; i++) {
		struct addr *a = &r.addr[i];
		if (!a->queried)
			continue;
		check_answers(&r, a);
		check_source(&r, a, Q_FIXED + 2 * r.ninzone);
		check_recursion(&r, a);
		check_ns(&r, a);
		check_glue(&r, a);
		take_serial(&r, a);
		take_keys(&r, a);
		if (r.ds != NULL)
			check_keys(&r, a);
	}
	check_serials(&r);
	check_keysets(&r);
	check_referral(&r);
	check_diversity(&r);
	/* Standard output, committed as any output is (out.h). */
	if (out_open(&out, NULL, &d) != 0)
		diag_die(&d);
	if (!r.quiet) {
		if (r.json)
			print_json(&r, out.f);
		else
			print_list(&r, out.f);
	}
	if (out_commit(&out, &d) != 0)
		diag_die(&d);
	status = r.problems > 0 ? 1 : 0;
	run_free(&r);
	return status;
}
