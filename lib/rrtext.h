/*
 * The one presentation format: a record per line, absolute owner, TTL,
 * class and type on every line, tab separated, RDATA as RFC 1035 §5.1
 * and the RFCs of each type give it; a type the reader does not know,
 * and RDATA whose presentation would not read back to it, in the RFC
 * 3597 §5 generic form.
 */
#ifndef RRTEXT_H
#define RRTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "dname.h"

struct rr;

/*
 * The most text rdata_text() writes for n octets of RDATA, its NUL
 * included; the buffer given to it must hold that much.  No field is
 * written in more than 5 characters an octet (a type covered,
 * "TYPE65535 " for 2 octets; a string octet as \DDD is 4; LOC's 16
 * octets at most 90 characters, within the constant), except a type
 * bit map: one octet holds 8 types, " TYPE65535" each.  The generic
 * form is 2 an octet and 9 more.  t/0105 and fuzz_zread check it.
 */
static inline size_t
rdata_text_max(uint16_t type, size_t n)
{
	if (type == 47 || type == 50 || type == 62)	/* NSEC NSEC3 CSYNC */
		return 80 * n + 64;
	return 8 * n + 64;
}

/* The same for rr_text(): owner, TTL, class (CLASS65535), type
 * (TYPE65535) and the four tabs, then the RDATA. */
#define RRTEXT_HEAD	(DNAME_MAXTEXT + 48)

/* At least rr_text_max() of a record of rdlen octets whatever its type,
 * one multiplication: for the writer's loop. */
#define RRTEXT_ANY_MAX(rdlen)	(RRTEXT_HEAD + 80 * (size_t)(rdlen) + 64)

size_t	 rr_text(const struct rr *, char *);
size_t	 rr_text_max(const struct rr *);
size_t	 rr_text_tail(const struct rr *, char *);
void	 rr_text_prefetch(const struct rr *);
const char	*rr_text_type(uint16_t);
size_t	 rdata_text(uint16_t, const uint8_t *, size_t, char *);
size_t	 base64_encode(const uint8_t *, size_t, char *);
int	 base64_decode(const char *, uint8_t *, size_t);
size_t	 hex_encode(const uint8_t *, size_t, char *);

#endif
