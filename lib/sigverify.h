/*
 * Verifying every RRSIG of a sorted zone, on several threads.  The
 * caller lists the work, one job per RRSIG record with the RRset it
 * covers; each job gets the index of the key that verifies it, or why
 * none does.  Results are stored by job, so that they do not depend on
 * the number of threads.
 *
 * A signature is tried against every key of the ring with its key tag
 * and algorithm (tags collide), the caller's preferred keys first (the
 * zone's own DNSKEY RRset), and the first key that verifies it wins: a
 * key is found by its tag and confirmed by verification (RFC 4035
 * §5.3.1, §5.3.3).
 */
#ifndef SIGVERIFY_H
#define SIGVERIFY_H

#include <stddef.h>
#include <stdint.h>

struct keyring;
struct zone;

/* The result of a job that no key verifies. */
#define SIGVERIFY_NOKEY		(-1)	/* no key with its tag and algorithm */
#define SIGVERIFY_BAD		(-2)	/* keys found; the signature fails */
#define SIGVERIFY_UNUSABLE	(-3)	/* only keys that cannot verify */
#define SIGVERIFY_DATA		(-4)	/* malformed RRSIG, or Labels too big */

struct sigverify_job {
	uint32_t	 sig;	/* the RRSIG record */
	uint32_t	 set;	/* the first record of the covered RRset */
	uint32_t	 nset;	/* its records */
	int32_t		 key;	/* out: keyring index, or SIGVERIFY_* */
};

int	 sigverify_run(const struct zone *, struct sigverify_job *, size_t,
	    const struct keyring *, const uint64_t *, unsigned);

#endif
