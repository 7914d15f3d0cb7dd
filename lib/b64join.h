/*
 * Zone text with base64 and hex fields joined onto one line.
 *
 * RFC 4034 §2.2 and §3.2 allow whitespace anywhere in the base64 of a
 * DNSKEY or RRSIG, and RFC 8976's examples split it into chunks whose
 * lengths are not multiples of four.  libzscanner (Knot 3.2) only
 * accepts whitespace between whole quartets.  This rewrites such records
 * so that the binary field is one token, keeping every newline so that
 * line numbers stay those of the original text.  The next hashed owner
 * of an NSEC3 record, unpadded base32hex (RFC 5155 §3.3), gets the
 * padding libzscanner needs.
 */
#ifndef B64JOIN_H
#define B64JOIN_H

#include <stddef.h>

char	*b64join(const char *, size_t, size_t *);

#endif
