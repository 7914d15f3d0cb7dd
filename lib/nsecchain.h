/*
 * Building the denial-of-existence chain of a zone about to be signed:
 * NSEC records (RFC 4034 §4, RFC 4035 §2.3) or NSEC3 records (RFC 5155
 * §7.1), with real opt-out: an insecure delegation, and an empty
 * non-terminal that only leads to insecure delegations, get no NSEC3
 * record at all.
 *
 * The zone must be sorted, its apex known, and hold no NSEC, NSEC3 or
 * RRSIG record; where[] is zone_classify()'s.  The records are appended
 * to the zone with zone_add() in canonical order, and pos[] says, for
 * each of them, the index of the zone record it goes before, so that
 * the caller can put them in place without sorting the zone again.
 */
#ifndef NSECCHAIN_H
#define NSECCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct zone;

#define NSEC3_OPTOUT	0x01	/* NSEC3 flags, RFC 5155 §3.1.2.1 */

struct nsecchain_params {
	bool		 nsec3;
	bool		 optout;
	uint16_t	 iterations;
	uint8_t		 saltlen;
	uint8_t		 salt[255];
	uint32_t	 ttl;
	unsigned	 threads;
};

struct nsecchain_stats {
	size_t		 records;	/* NSEC or NSEC3 records made */
	size_t		 ents;		/* empty non-terminals */
	size_t		 optout;	/* delegations left out */
};

int	 nsecchain_build(struct zone *, const uint8_t *,
	    const struct nsecchain_params *, size_t **,
	    struct nsecchain_stats *, struct diag *);

#endif
