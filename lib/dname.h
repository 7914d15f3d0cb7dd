/*
 * Domain names in uncompressed wire form (RFC 1035 §3.1): a sequence of
 * length-prefixed labels ending with the root label.  Every name handled
 * by berokit is absolute.
 */
#ifndef DNAME_H
#define DNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNAME_MAXLEN	255
#define DNAME_MAXTEXT	(4 * DNAME_MAXLEN + 2)	/* every octet as \DDD */
#define DNAME_TOOLONG	(-2)	/* dname_from_text(): over DNAME_MAXLEN */

size_t		 dname_len(const uint8_t *);
size_t		 dname_len_bounded(const uint8_t *, size_t);
int		 dname_labels(const uint8_t *);
int		 dname_rrsig_labels(const uint8_t *);
bool		 dname_is_wildcard(const uint8_t *);
void		 dname_lower(uint8_t *);
bool		 dname_equal(const uint8_t *, const uint8_t *);
bool		 dname_same(const uint8_t *, const uint8_t *);
int		 dname_canon_cmp(const uint8_t *, const uint8_t *);
bool		 dname_is_below(const uint8_t *, const uint8_t *);
bool		 dname_is_at_or_below(const uint8_t *, const uint8_t *);
const uint8_t	*dname_parent(const uint8_t *);
size_t		 dname_canon_key(const uint8_t *, uint8_t *);
size_t		 dname_canon_key_prefix(const uint8_t *, uint8_t *, size_t);
size_t		 dname_to_text(const uint8_t *, char *);
int		 dname_from_text(const char *, const uint8_t *, uint8_t *);

#endif
