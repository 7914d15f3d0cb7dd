/*
 * The rules of zcheck-servers that need no answer, checked on the
 * delegation alone (and all that -O checks): the names of the servers
 * (RFC 1123 §2.1), their addresses (RFC 6890's special blocks, distinct
 * addresses), the size of the referral (RFC 1035 §4.2.1, RFC 9471 §3) and
 * the diversity of the servers' networks (RFC 2182 §3.1).
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
#include "../../zcheck-servers-int.h"

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
void
zcs_check_names(struct run *r)
{
	size_t i, k;

	if (r->nexpect < 2)
		zcs_finding(r, 1, false, r->zname, R_TWO, "%zu name server: at "
		    "least two are required", r->nexpect);
	for (i = 0; i < r->nhost; i++)
		if (!valid_host(r->host[i].wire))
			zcs_finding(r, 1, false, r->host[i].name, R_HOST,
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
				zcs_finding(r, 1, false, a->where, R_DISTINCT,
				    "the same address as %s", r->addr[k].where);
	}
}

/* Decide which addresses may be asked (check 1, networks). */
void
zcs_classify(struct run *r)
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
		zcs_finding(r, 1, false, a->where, R_NET,
		    "%s address (%s, %s): "
		    "%s%s", netaddr_class_name(a->cls), a->blk.prefix,
		    a->blk.source, r->offline ? "not a name server's address" :
		    "not queried", netaddr_lab_class(a->cls) ? " without -L" :
		    "");
	}
}

/* Check 8: the referral the parent sends, from the NS RRset expected and
 * the glue given for in-zone hosts (every name server of a TLD is below
 * the root: in-bailiwick of the parent). */
void
zcs_check_referral(struct run *r)
{
	ldns_rr_list *ns = ldns_rr_list_new(), *glue = ldns_rr_list_new();
	size_t i, k;

	if (ns == NULL || glue == NULL)
		diag_fatal("out of memory");
	for (i = 0; i < r->nexpect; i++) {
		uint8_t w[DNAME_MAXLEN];
		char t[DNAME_MAXTEXT];
		ldns_rr *rr = ldns_rr_new_frm_type(LDNS_RR_TYPE_NS);
		zcs_parse_name(r->expect[i], w, t);
		if (rr == NULL)
			diag_fatal("out of memory");
		ldns_rr_set_owner(rr, ldns_rdf_clone(r->zrdf));
		ldns_rr_set_ttl(rr, 172800);
		ldns_rr_set_rdf(rr, zcs_to_rdf(w), 0);
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
			ldns_rr_set_owner(g, zcs_to_rdf(w));
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
		zcs_finding(r, 8, false, r->zname, R_SIZE,
		    "the smallest referral "
		    "(NS RRset, one A and one AAAA glue record, 255-octet query "
		    "name) is %zu octets, more than %d", r->ref.minimal,
		    REFERRAL_LIMIT);
	else if (r->ref.full > REFERRAL_LIMIT)
		zcs_finding(r, 8, true, r->zname, R_GLUEALL,
		    "the referral with "
		    "the glue of every host is %zu octets, more than %d: "
		    "without EDNS it is truncated", r->ref.full,
		    REFERRAL_LIMIT);
	ldns_rr_list_deep_free(ns);
	ldns_rr_list_deep_free(glue);
}

/* Check 9: diversity cannot be proven without routing data; all
 * addresses of a family in one /24 (IPv4) or /48 (IPv6) is a warning. */
void
zcs_check_diversity(struct run *r)
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
			zcs_finding(r, 9, true, r->zname, R_DIVERSE,
			    "all %zu %s "
			    "addresses are in one /%u", n, f ? "IPv6" : "IPv4",
			    bits[f]);
	}
}
