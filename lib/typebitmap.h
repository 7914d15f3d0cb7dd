/*
 * Type bit maps of NSEC and NSEC3 records (RFC 4034 §4.1.2, RFC 5155
 * §3.2.1): the types present at a name, as windows of 256 types, each a
 * window number, a length of 1 to 32 octets and the bits, most
 * significant bit first; windows in increasing order, no empty window,
 * no trailing zero octet.
 */
#ifndef TYPEBITMAP_H
#define TYPEBITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest bit map: every window, full. */
#define TYPEBITMAP_MAX	(256 * (2 + 32))
/* The types whose RDATA ends in a bit map. */
#define TYPEBITMAP_NSEC		47
#define TYPEBITMAP_NSEC3	50
#define TYPEBITMAP_CSYNC	62
/* Room for the reason typebitmap_rdata_check() gives. */
#define TYPEBITMAP_WHY		256
/* Room for the text of a bit map in messages (longer ones are cut). */
#define TYPEBITMAP_TEXT	1024

size_t	 typebitmap_make(uint16_t *, size_t, uint8_t *);
bool	 typebitmap_valid(const uint8_t *, size_t);
int	 typebitmap_check(const uint8_t *, size_t, char *, size_t);
int	 typebitmap_rdata_check(uint16_t, const uint8_t *, size_t, char *,
	    size_t);
bool	 typebitmap_has(const uint8_t *, size_t, uint16_t);
size_t	 typebitmap_types(const uint8_t *, size_t, uint16_t *, size_t);
char	*typebitmap_text(const uint8_t *, size_t, char *, size_t);

#endif
