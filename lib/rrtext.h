/*
 * The one presentation format: a record per line, absolute owner, TTL,
 * class and type on every line, tab separated, RDATA as RFC 1035 §5.1
 * and the DNSSEC RFCs give it; a type without a known presentation in
 * the RFC 3597 §5 generic form.
 */
#ifndef RRTEXT_H
#define RRTEXT_H

#include <stddef.h>
#include <stdint.h>

struct rr;

/* Enough for any record: RDATA of 65535 octets as \DDD. */
#define RRTEXT_MAX	(4 * 65536 + 2048)

size_t	 rr_text(const struct rr *, char *);
size_t	 rr_text_tail(const struct rr *, char *);
void	 rr_text_prefetch(const struct rr *);
size_t	 rdata_text(uint16_t, const uint8_t *, size_t, char *);
size_t	 base64_encode(const uint8_t *, size_t, char *);
int	 base64_decode(const char *, uint8_t *, size_t);
size_t	 hex_encode(const uint8_t *, size_t, char *);

#endif
