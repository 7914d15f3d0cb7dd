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

/*
 * RFC 5155 §10.3: at most 2,500 additional iterations, even with keys of
 * 4,096 bits; each costs a SHA-1 of every name hashed, so a zone may not
 * ask more of a tool that checks or signs it.  RFC 9276 §3.1 asks for 0;
 * validators treat counts above their own limit (100 to 150 in practice,
 * RFC 9276 Appendix A) as insecure, or answer SERVFAIL (§3.2).
 */
#define NSEC3_MAX_ITERATIONS	2500
#define NSEC3_VALIDATOR_LIMITS	"validators treat counts above their " \
	"limit (100 to 150 in practice, RFC 9276 appendix A) as insecure " \
	"or answer SERVFAIL"

struct diag;
struct rr;
struct zone;

int	 nsec3_check_iterations(const struct zone *, struct diag *);
const struct rr *nsec3_zone_params(const struct zone *);
unsigned nsec3_rr_iterations(const struct rr *);
int	 nsec3_hash(const uint8_t *, const uint8_t *, size_t, uint16_t,
	    uint8_t *);
size_t	 nsec3_b32hex_encode(const uint8_t *, size_t, char *);
int	 nsec3_b32hex_decode(const uint8_t *, size_t, uint8_t *, size_t);

#endif
