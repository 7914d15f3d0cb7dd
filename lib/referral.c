/*
 * The smallest legal referral (IANA's technical requirement that a
 * delegation fit a 512-octet response, read as Zonemaster's DELEGATION03
 * reads it): the longest query name (255 octets, RFC 1035 §3.1), the
 * child's NS RRset in the authority section and, in the additional
 * section, one A record and one AAAA record in all, each present when
 * any name server has an address of that family.  Every name server of
 * a TLD is below the root, so every one counts as in-bailiwick of the
 * parent and its glue may be needed.  The referral with the glue of
 * every host is measured as well: RFC 9471 §3 asks for all in-domain
 * glue, or TC when it does not fit.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "referral.h"

/* A name of exactly 255 octets in wire form, ending in the child's
 * name: labels of up to 63 octets put before it. */
static ldns_rdf *
longest_name(const ldns_rdf *zone)
{
	uint8_t wire[255];
	size_t zl = ldns_rdf_size(zone), off = 0, left;

	if (zl > sizeof(wire) - 2)
		return NULL;
	while ((left = sizeof(wire) - zl - off) > 0) {
		size_t n = left - 1 > 63 ? 63 : left - 1;
		/* Never leave one octet, which no label can fill. */
		if (left - (n + 1) == 1)
			n--;
		wire[off++] = (uint8_t)n;
		memset(wire + off, 'x', n);
		off += n;
	}
	memcpy(wire + off, ldns_rdf_data(zone), zl);
	return ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, sizeof(wire), wire);
}

static int
push_clone(ldns_pkt *p, ldns_pkt_section s, const ldns_rr *rr)
{
	ldns_rr *c = ldns_rr_clone(rr);

	if (c == NULL || !ldns_pkt_push_rr(p, s, c)) {
		ldns_rr_free(c);
		return -1;
	}
	return 0;
}

/* The size of the referral with the glue chosen: all of it, or the
 * first record of each family. */
static int
measure(const ldns_rdf *zone, const ldns_rr_list *ns,
    const ldns_rr_list *glue, bool minimal, size_t *size)
{
	ldns_rdf *q = longest_name(zone);
	ldns_pkt *p;
	uint8_t *wire = NULL;
	bool have_a = false, have_aaaa = false;
	size_t i;
	int rc = -1;

	if (q == NULL)
		return -1;
	/* ldns_pkt_query_new() takes the name. */
	if ((p = ldns_pkt_query_new(q, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN,
	    0)) == NULL) {
		ldns_rdf_deep_free(q);
		return -1;
	}
	ldns_pkt_set_qr(p, true);
	for (i = 0; i < ldns_rr_list_rr_count(ns); i++)
		if (push_clone(p, LDNS_SECTION_AUTHORITY,
		    ldns_rr_list_rr(ns, i)) != 0)
			goto out;
	for (i = 0; i < ldns_rr_list_rr_count(glue); i++) {
		const ldns_rr *g = ldns_rr_list_rr(glue, i);
		bool *have = ldns_rr_get_type(g) == LDNS_RR_TYPE_A ? &have_a :
		    &have_aaaa;
		if (minimal && *have)
			continue;
		*have = true;
		if (push_clone(p, LDNS_SECTION_ADDITIONAL, g) != 0)
			goto out;
	}
	if (ldns_pkt2wire(&wire, p, size) == LDNS_STATUS_OK)
		rc = 0;
out:
	free(wire);
	ldns_pkt_free(p);
	return rc;
}

/* The sizes of the minimal and of the full referral for zone, with its
 * NS RRset and the glue (A and AAAA records) of its name servers. */
int
referral_measure(const ldns_rdf *zone, const ldns_rr_list *ns,
    const ldns_rr_list *glue, struct referral_size *out)
{
	if (measure(zone, ns, glue, true, &out->minimal) != 0 ||
	    measure(zone, ns, glue, false, &out->full) != 0)
		return -1;
	return 0;
}
