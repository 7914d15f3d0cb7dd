/*
 * RRSIG RDATA (RFC 4034 §3.1) and the data a signature covers (RFC 4034
 * §3.1.8.1, RFC 6840 §5.1): the RRSIG RDATA less the signature, then each
 * record of the RRset in canonical form and order, with the owner as the
 * signature's Labels field makes it (a wildcard owner, RFC 4035 §5.3.2)
 * and the TTL the Original TTL.
 */
#ifndef RRSIG_H
#define RRSIG_H

#include <stddef.h>
#include <stdint.h>

struct rr;

#define RRSIG_FIXED	18	/* octets before the signer's name */

struct rrsig {
	uint16_t	 covered;
	uint8_t		 algorithm;
	uint8_t		 labels;
	uint32_t	 original_ttl;
	uint32_t	 expiration;
	uint32_t	 inception;
	uint16_t	 key_tag;
	const uint8_t	*signer;	/* wire, inside the RDATA */
	size_t		 signer_len;
	const uint8_t	*sig;
	size_t		 sig_len;
};

int	 rrsig_parse(const uint8_t *, size_t, struct rrsig *);
size_t	 rrsig_header(const struct rrsig *, uint8_t *);
int	 rrsig_signed_data(const struct rrsig *, const struct rr *, size_t,
	    uint8_t **, size_t *, size_t *);

#endif
