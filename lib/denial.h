/*
 * The denial-of-existence chain of a signed zone, checked whole: NSEC
 * (RFC 4034 §4, RFC 4035 §2.3) or NSEC3 (RFC 5155 §7.1).
 *
 * NSEC: every name with authoritative data or a delegation has exactly
 * one NSEC record; each points to the next such name in canonical
 * order, the last to the apex; each bitmap equals the types present.
 *
 * NSEC3: one NSEC3PARAM at the apex (hash algorithm 1, flags 0); one
 * chain, every NSEC3 record in the NSEC3PARAM's parameters, its owner
 * the hash of a name of the zone, its next hashed owner the next hash of
 * the chain (the last the first); every name with authoritative data,
 * every delegation and every empty non-terminal has its NSEC3, whose
 * bitmap equals the types present, except that an insecure delegation,
 * and an empty non-terminal that only leads to insecure delegations,
 * may be left out when the NSEC3 that covers its hash has the opt-out
 * flag; opt-out set on all records of the chain or on none.
 *
 * Problems go to a report (report.h); the hashing runs on threads.
 */
#ifndef DENIAL_H
#define DENIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct report;
struct zone;

enum denial_mode {
	DENIAL_NONE,
	DENIAL_NSEC,
	DENIAL_NSEC3
};

struct denial_info {
	enum denial_mode mode;
	size_t		 names;		/* names that have or need a record */
	size_t		 ents;		/* empty non-terminals among them */
	size_t		 records;	/* NSEC or NSEC3 records */
	size_t		 optout;	/* NSEC3 records with opt-out */
	size_t		 nsec3param;	/* NSEC3PARAM records at the apex */
	bool		 has_params;	/* the chain's parameters: */
	uint8_t		 hash_alg;
	uint16_t	 iterations;
	uint8_t		 saltlen;
	uint8_t		 salt[255];
};

int	 denial_check(const struct zone *, const uint8_t *, const char *,
	    unsigned, struct report *, struct denial_info *);

#endif
