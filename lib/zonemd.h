/*
 * ZONEMD, the message digest of a zone (RFC 8976).
 *
 * The RDATA (RFC 8976 §2.2): the SOA serial, the scheme, the hash
 * algorithm, the digest.  The one scheme, SIMPLE (1), hashes every
 * record of the zone in canonical form and order (RFC 4034 §6; §3.3.2)
 * with SHA-384 (1) or SHA-512 (2), leaving out the apex ZONEMD RRset and
 * the RRSIGs at the apex that cover it (§3.3.1): so a signer puts a
 * placeholder ZONEMD in first, for the NSEC or NSEC3 type bit maps to
 * name it, signs the zone, then writes the digest into the ZONEMD and
 * signs its RRset again (§3.1, §3.2).
 */
#ifndef ZONEMD_H
#define ZONEMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct rr;
struct zone;
struct zsign_key;

#define ZONEMD_SCHEME_SIMPLE	1
#define ZONEMD_HASH_SHA384	1
#define ZONEMD_HASH_SHA512	2
#define ZONEMD_FIXED		6	/* serial, scheme, hash algorithm */
#define ZONEMD_MIN_DIGEST	12	/* RFC 8976 §2.2.4 */
#define ZONEMD_MAX_DIGEST	64	/* SHA-512 */

/* The digest length of a hash algorithm known here, 0 for another. */
size_t		 zonemd_hash_len(uint8_t);
/* Whether a record is left out of the digest: the apex ZONEMD RRset and
 * the apex RRSIGs over it (RFC 8976 §3.3.1). */
bool		 zonemd_excluded(const struct zone *, const struct rr *);
/* The SOA serial of a zone whose apex is known; -1 when it has no
 * well-formed SOA. */
int64_t		 zonemd_serial(const struct zone *);
/*
 * The SIMPLE digest of a sorted zone whose apex is known, with the hash
 * algorithm given (one zonemd_hash_len() knows), into out
 * (ZONEMD_MAX_DIGEST octets); its length.  0 and a diagnostic when the
 * hash could not be computed.
 */
size_t		 zonemd_digest(const struct zone *, uint8_t, uint8_t *,
		    struct diag *);
/*
 * What the apex ZONEMDs of a sorted zone say of it: none of the SIMPLE
 * scheme and a hash algorithm known here; one of them has the SOA serial
 * and the zone's digest (RFC 8976 §4); or none has (stale: the zone
 * changed after the digest was computed).  -1 and a diagnostic when the
 * hash could not be computed.
 */
#define ZONEMD_NONE	0
#define ZONEMD_FRESH	1
#define ZONEMD_STALE	2
int		 zonemd_state(const struct zone *, struct diag *);
/*
 * After signing: every apex ZONEMD of the SIMPLE scheme and a hash
 * algorithm known here gets the zone's SOA serial and its digest, and
 * each apex RRSIG over the ZONEMD RRset is made again by the key of the
 * list given that made it, with the same fields, and checked.  The zone
 * is sorted and signed (zsign.h).  Returns 0, or -1 and a diagnostic.
 */
int		 zonemd_update(struct zone *, const struct zsign_key *, size_t,
		    struct diag *);

#endif
