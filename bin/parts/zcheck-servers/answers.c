/*
 * The rules of zcheck-servers over what the servers answered: answers
 * over UDP and TCP, authoritative and from the address asked, no
 * recursion, the NS RRset and the glue, the serials, the DNSKEY RRsets
 * and the DS records that must point into them.
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
#include "../../zcheck-servers-int.h"

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
void
zcs_check_answers(struct run *r, struct addr *a)
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
		zcs_finding(r, 2, false, a->where, answer_rule(m[0]),
		    "SOA and NS over UDP and TCP: %s", m[0]);
		return;
	}
	for (tr = 0; tr < 2; tr++) {
		const char *soa = m[2 * tr], *ns = m[2 * tr + 1];
		if (*soa && strcmp(soa, ns) == 0) {
			zcs_finding(r, 2, false, a->where, answer_rule(soa),
			    "SOA and NS over %s: %s", tname[tr], soa);
			continue;
		}
		if (*soa)
			zcs_finding(r, 2, false, a->where, answer_rule(soa),
			    "SOA over %s: %s", tname[tr], soa);
		if (*ns)
			zcs_finding(r, 2, false, a->where, answer_rule(ns),
			    "NS over %s: %s", tname[tr], ns);
	}
}

/* Check 3: a UDP reply from an address or port other than the one asked
 * (a resolver drops it). */
void
zcs_check_source(struct run *r, struct addr *a, size_t nq)
{
	size_t i;

	for (i = a->q; i < a->q + nq; i++) {
		struct netaddr from;
		char text[NETADDR_TEXT];
		if (r->q[i].state != PROBE_ANSWERED || !r->q[i].stray)
			continue;
		netaddr_from_sockaddr(&r->q[i].from, &from);
		netaddr_text(&from, text, sizeof(text));
		zcs_finding(r, 3, false, a->where, R_SOURCE,
		    "the reply over UDP "
		    "came from %s, not from the address asked", text);
		return;
	}
}

/* Check 4: no recursion for names outside the zone. */
void
zcs_check_recursion(struct run *r, struct addr *a)
{
	const struct probe_query *q = &r->q[a->q + Q_REC_U];
	const ldns_pkt *p = q->reply;

	if (q->state != PROBE_ANSWERED || !ldns_pkt_ra(p))
		return;
	if ((ldns_pkt_get_rcode(p) == LDNS_RCODE_NOERROR &&
	    ldns_pkt_ancount(p) > 0) ||
	    ldns_pkt_get_rcode(p) == LDNS_RCODE_NXDOMAIN)
		zcs_finding(r, 4, false, a->where, R_RECURSION,
		    "open recursion: "
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
void
zcs_check_ns(struct run *r, struct addr *a)
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
	got = zcs_xcalloc(n, sizeof(*got));
	for (i = 0; i < n; i++) {
		char t[DNAME_MAXTEXT];
		zcs_rdf_text(ldns_rr_rdf(ldns_rr_list_rr(a->ns, i), 0), t);
		got[i] = zcs_xstrdup(t);
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
		zcs_finding(r, 5, false, a->where, R_NS,
		    "NS RRset differs from "
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
	char **v = zcs_xcalloc(r->naddr, sizeof(*v));
	size_t i, n = 0;

	*out = '\0';
	for (i = 0; i < r->naddr; i++) {
		struct netaddr na = r->addr[i].na;
		char t[NETADDR_TEXT];
		if (r->addr[i].host != h || na.family != family)
			continue;
		na.port = 0;
		netaddr_text(&na, t, sizeof(t));
		v[n++] = zcs_xstrdup(t);
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
	char **v = zcs_xcalloc(n, sizeof(*v));

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
void
zcs_check_glue(struct run *r, struct addr *a)
{
	size_t k, f;

	for (k = 0; k < r->nhost; k++) {
		struct host *h = &r->host[k];
		ldns_rdf *name;
		if (!h->inzone)
			continue;
		name = zcs_to_rdf(h->wire);
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
				zcs_finding(r, 5, false, a->where, R_GLUE,
				    "%s %s: serves %s, the glue given is %s",
				    h->name, f ? "AAAA" : "A",
				    *served ? served : "none",
				    *given ? given : "none");
		}
		ldns_rdf_deep_free(name);
	}
}

/* The serial an address serves (UDP, else TCP). */
void
zcs_take_serial(struct run *r, struct addr *a)
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
void
zcs_check_serials(struct run *r)
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
			zcs_finding(r, 6, false, r->addr[i].where, R_SERIAL,
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
	char **v = zcs_xcalloc(n, sizeof(*v)), out[4096];

	for (i = 0; i < n; i++) {
		ldns_rr *x = ldns_rr_list_rr(keys, i);
		char t[32];
		snprintf(t, sizeof(t), "%u/%u/%u",
		    (unsigned)ldns_calc_keytag(x),
		    (unsigned)ldns_rdf2native_int16(ldns_rr_dnskey_flags(x)),
		    (unsigned)ldns_rdf2native_int8(
		    ldns_rr_dnskey_algorithm(x)));
		v[i] = zcs_xstrdup(t);
	}
	join_sorted(v, n, out, sizeof(out));
	return zcs_xstrdup(out);
}

/* The words of a that are not in b, into out. */
static void
words_missing(const char *a, const char *b, char *out, size_t size)
{
	char *copy = zcs_xstrdup(a), *w, *save = NULL;
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
void
zcs_check_keysets(struct run *r)
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
		zcs_finding(r, 7, true, r->addr[i].where, R_KEYSET,
		    "DNSKEY RRset "
		    "differs from the one %zu other address%s serve%s:%s%s%s%s",
		    bestn, bestn == 1 ? "" : "es", bestn == 1 ? "s" : "",
		    *has ? " has " : "", has, *lacks ? " lacks " : "", lacks);
	}
}

/* The DNSKEY RRset and its signatures from the TCP answer. */
void
zcs_take_keys(struct run *r, struct addr *a)
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

void
zcs_ds_name(const struct rr *ds, char *out, size_t size)
{
	struct wire_ds v;

	if (wire_ds(&v, ds->rdata, ds->rdlen) != 0)
		snprintf(out, size, "(malformed)");
	else
		snprintf(out, size, "%u/%u/%u", v.key_tag, v.algorithm,
		    v.digest_type);
}

/*
 * Check 7 at one address: every DS of -d names, by its recomputed
 * digest, a DNSKEY with the zone-key flag that the address serves, and
 * the DNSKEY RRset validates from the DS set: a signature over it, by a
 * key that a DS names, verifies and is valid at -t (RFC 4035 §5.2 and
 * §5.3).
 */
void
zcs_check_keys(struct run *r, struct addr *a)
{
	struct zone *z;
	struct keyring ring;
	struct sigverify_job *job;
	uint64_t *mine;
	size_t i, k, d, first = SIZE_MAX, nkeys = 0, njob = 0;
	bool valid = false, sig_time = false, sig_bad = false;

	if (a->keys == NULL || ldns_rr_list_rr_count(a->keys) == 0) {
		zcs_finding(r, 7, false, a->where, R_DS,
		    "no DNSKEY RRset in an " "authoritative answer over TCP");
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
		struct wire_ds v;
		char dn[32];
		bool found = false;
		if (wire_ds(&v, ds->rdata, ds->rdlen) != 0 ||
		    !ds_digest_supported(v.digest_type))
			continue;
		zcs_ds_name(ds, dn, sizeof(dn));
		for (k = 0; k < ring.n && !found; k++)
			found = (ring.key[k].flags & DNSKEY_F_ZONE) &&
			    ds_matches(r->apex, ring.key[k].rdata,
			    ring.key[k].rdlen, ds->rdata, ds->rdlen);
		if (!found)
			zcs_finding(r, 7, false, a->where, R_DS,
			    "DS %s matches no "
			    "DNSKEY with the zone-key flag served here", dn);
	}
	job = zcs_xcalloc(z->n, sizeof(*job));
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
		struct wire_rrsig s;
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
		zcs_finding(r, 7, false, a->where, R_DS,
		    "the DNSKEY RRset does "
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
