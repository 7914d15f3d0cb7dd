/*
 * NSEC3 hashing (RFC 5155 §5): SHA-1 of the canonical owner name and
 * the salt, iterated; and the base32hex form of hashes used as owner
 * labels (RFC 4648 §7, RFC 5155 §3.3).
 */
#ifndef NSEC3_H
#define NSEC3_H

#include <stddef.h>
#include <stdint.h>

#define NSEC3_HASH_LEN	20	/* SHA-1, the one hash algorithm (1) */

int	 nsec3_hash(const uint8_t *, const uint8_t *, size_t, uint16_t,
	    uint8_t *);
size_t	 nsec3_b32hex_encode(const uint8_t *, size_t, char *);
int	 nsec3_b32hex_decode(const uint8_t *, size_t, uint8_t *, size_t);

#endif
