/*
 * The size of the referral a parent sends for a delegation, measured by
 * building it with ldns (name compression included, as a server sends
 * it): a query for a name of 255 octets below the child, the NS RRset in
 * the authority section and glue in the additional section, no EDNS.
 */
#ifndef REFERRAL_H
#define REFERRAL_H

#include <stddef.h>

#include <ldns/ldns.h>

#define REFERRAL_LIMIT	512	/* octets without EDNS, RFC 1035 §4.2.1 */

struct referral_size {
	size_t		 minimal;	/* NS + one A + one AAAA in all */
	size_t		 full;		/* NS + every host's glue */
};

int	 referral_measure(const ldns_rdf *, const ldns_rr_list *,
	    const ldns_rr_list *, struct referral_size *);

#endif
