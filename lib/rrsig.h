/*
 * The data a signature covers (RFC 4034 §3.1.8.1, RFC 6840 §5.1), made
 * from the RRSIG's fields as wire.h's view (struct wire_rrsig, from
 * wire_rrsig()) reads them: the RRSIG RDATA less the signature, then each
 * record of the RRset in canonical form and order, with the owner as the
 * signature's Labels field makes it (a wildcard owner, RFC 4035 §5.3.2)
 * and the TTL the Original TTL.
 */
#ifndef RRSIG_H
#define RRSIG_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

struct rr;

size_t	 rrsig_header(const struct wire_rrsig *, uint8_t *);
int	 rrsig_signed_data(const struct wire_rrsig *, const struct rr *,
	    size_t, uint8_t **, size_t *, size_t *);

#endif
