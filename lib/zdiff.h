/*
 * A semantic comparison of two versions of one zone, for people who
 * review a DNSSEC migration stage before it is published.  Both zones
 * are sorted (zone_sort()) with a known apex (zone_find_apex()); one
 * linear merge walk over the two record arrays sorts every difference
 * into four groups:
 *
 *	data		records outside the apex DNSSEC machinery, per
 *			delegation (NS, DS, glue) or per authoritative name
 *	apex		SOA, apex NS and the addresses of its name servers,
 *			DNSKEY (by key), CDS, CDNSKEY, ZONEMD
 *	denial		NSEC and NSEC3 records, NSEC3PARAM
 *	signatures	RRSIG records, per signing key
 *
 * The result keeps counts for everything, the details of the first few
 * changes of each group, and, for the groups asked for, every record
 * that differs.  Records are referred to by pointer or index into the
 * two zones, which must outlive the result.
 */
#ifndef ZDIFF_H
#define ZDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rr;
struct zone;

enum zdiff_group {
	ZDIFF_DATA,
	ZDIFF_APEX,
	ZDIFF_DENIAL,
	ZDIFF_SIGS,
	ZDIFF_NGROUPS
};

enum zdiff_side {
	ZDIFF_OLD,
	ZDIFF_NEW
};

/* A record-level difference, for the full lists. */
enum zdiff_op {
	ZDIFF_ADDED,		/* only in the new zone */
	ZDIFF_REMOVED,		/* only in the old zone */
	ZDIFF_CHANGED		/* both: a new TTL, or a refreshed RRSIG */
};

#define ZDIFF_NONE	UINT32_MAX

struct zdiff_ev {
	uint32_t	 o, n;		/* record indices, ZDIFF_NONE if absent */
	uint8_t		 op;
};

/* Where the records of a data RRset stand (RFC 4035 §2.2). */
enum zdiff_role {
	ZDIFF_AUTH,		/* authoritative data */
	ZDIFF_DELEG_NS,		/* the NS RRset of a delegation */
	ZDIFF_DELEG_DS,		/* the DS RRset of a delegation */
	ZDIFF_GLUE,		/* an address record at or below a cut */
	ZDIFF_OCCLUDED		/* other data below a cut or a DNAME */
};

/* One RRset that differs: records [ob, oe) of the old zone against
 * [nb, ne) of the new one. */
struct zdiff_rrset {
	const uint8_t	*owner;
	uint16_t	 type;
	uint8_t		 role;
	size_t		 ob, oe, nb, ne;
	uint32_t	 added, removed, ttl;	/* records */
};

/* A delegation with everything at and below its cut, or an
 * authoritative name that is no delegation. */
struct zdiff_unit {
	const uint8_t		*name;
	bool			 delegation;
	bool			 in_old, in_new;	/* NS, or any record, there */
	struct zdiff_rrset	*rrset;
	size_t			 nrrset;
};

struct zdiff_data {
	size_t			 added, removed, ttl;	/* records */
	size_t			 units, delegations;	/* that differ */
	struct zdiff_unit	*unit;			/* the first ones */
	size_t			 nunit, cap;
};

/*
 * An apex difference.  ADDED and REMOVED name one record; CHANGED names
 * a field of a record that is on both sides: for SOA "serial", "mname",
 * "rname", "refresh", "retry", "expire", "minimum"; for any type "ttl"
 * (of the RRset); for DNSKEY "flags" (the same public key, so a new key
 * tag) and "role"; for ZONEMD "digest".
 */
struct zdiff_item {
	uint16_t	 type;
	uint8_t		 op;
	const char	*field;
	const struct rr	*o, *n;
};

struct zdiff_apex {
	struct zdiff_item	*item;
	size_t			 nitem, cap;
};

struct zdiff_denial_side {
	size_t		 nsec, nsec3, optout;
	const struct rr	*param;		/* the first NSEC3PARAM, or NULL */
	size_t		 nparam;
};

/* Counts of NSEC ([0]) and NSEC3 ([1]) records: a changed record has
 * the same owner but new RDATA (next name, type map, flags). */
struct zdiff_denial {
	struct zdiff_denial_side side[2];
	size_t		 added[2], removed[2], changed[2], kept[2], ttl[2];
	struct zdiff_item *item;	/* NSEC3PARAM added and removed */
	size_t		 nitem, cap;
	bool		 differs;
};

/* The signatures of one signing key, identified as RRSIGs identify it
 * (RFC 4034 §3.1.6): key tag and algorithm. */
struct zdiff_key {
	uint16_t	 tag;
	uint8_t		 alg;
	size_t		 made, removed, kept, refreshed;
	size_t		 nsig[2];
	uint32_t	 exp_min[2], exp_max[2];
	bool		 signs_dnskey[2], signs_other[2];
};

struct zdiff_sigs {
	struct zdiff_key *key;
	size_t		 nkey, capkey, last;
	size_t		 made, removed, kept, refreshed;
};

/* A name server of the apex NS RRset, on either side. */
struct zdiff_host {
	const uint8_t	*name;
	bool		 delegation;	/* a delegation's NS names it too */
};

struct zdiff {
	const struct zone	*z[2];
	uint8_t			*where[2];	/* zone_classify() */
	bool			 ignore_serial;
	bool			 full[ZDIFF_NGROUPS];	/* keep every event */
	size_t			 limit;		/* units and items kept */

	struct zdiff_data	 data;
	struct zdiff_apex	 apex;
	struct zdiff_denial	 denial;
	struct zdiff_sigs	 sigs;
	struct zdiff_ev		*ev[ZDIFF_NGROUPS];
	size_t			 nev[ZDIFF_NGROUPS], capev[ZDIFF_NGROUPS];

	/* Working state of the walk. */
	struct zdiff_unit	 cur;
	size_t			 capcur;
	struct zdiff_host	*host;		/* apex NS targets */
	size_t			 nhost;
	uint8_t			*mark;		/* RRSIG matching */
	size_t			 capmark;
	int			 nomem;
};

void		 zdiff_init(struct zdiff *, const struct zone *,
		    const struct zone *);
int		 zdiff_run(struct zdiff *);
void		 zdiff_free(struct zdiff *);
bool		 zdiff_differs(const struct zdiff *, enum zdiff_group);
const struct zdiff_key *zdiff_key_find(const struct zdiff *, uint16_t,
		    uint8_t);
const char	*zdiff_key_role(const struct zdiff *, enum zdiff_side,
		    const uint8_t *, size_t);
const char	*zdiff_group_name(enum zdiff_group);
int		 zdiff_group_from_name(const char *);

#endif
