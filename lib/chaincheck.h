/*
 * The chain of trust of a zone served by several operators, checked
 * whole (PROCEDURE.md, "The invariant the checks enforce"): given the DS
 * sets a resolver may hold and the zones it may be served (each
 * operator's, and older versions still in caches), every DNSKEY RRset
 * must validate from every DS set, and every RRset and denial proof of
 * every zone with every DNSKEY RRset; each zone must be correctly signed
 * on its own (every RRSIG verified, RFC 4035 §2 and §5.3), its denial
 * chain whole (denial.h), its signatures last long enough (G8) and its
 * DNSKEY answer fit (G10); the zones served now must agree on
 * algorithms, unsigned data, serial, NSEC3 parameters and apex NS
 * (G3-G6, G9).
 *
 * Findings go to the report (report.h) in a fixed order: each zone in
 * the order given, then the DS sets against the zones, then the zones
 * against each other's DNSKEY RRsets, then the comparisons between the
 * zones.  The verdict and the order do not depend on the number of
 * threads.
 */
#ifndef CHAINCHECK_H
#define CHAINCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "denial.h"
#include "dname.h"
#include "keyring.h"
#include "report.h"

struct diag;
struct zone;

struct chaincheck_opts {
	int64_t		 now;
	int64_t		 window;	/* G8 headroom in seconds, < 0: none */
	size_t		 size_limit;	/* G10, octets */
	bool		 size_strict;	/* above it is a problem */
	bool		 ds_strict;	/* a DS naming no key is a problem */
	bool		 apart;		/* each zone with its own keys only */
	unsigned	 threads;
	const char	**exempt;	/* "name" or "name/TYPE": not in G4 */
	size_t		 nexempt;
};

/* How one zone uses one key of the ring. */
struct chaincheck_keyuse {
	size_t		 key;		/* ring index */
	bool		 in_dnskey;	/* in the zone's apex DNSKEY RRset */
	bool		 dnskey_good;	/* a good signature over it */
	bool		 dnskey_bad;	/* a signature over it that fails */
	size_t		 data_good;	/* good signatures over other RRsets */
	size_t		 data_bad;	/* failing ones */
	bool		 has_earliest;
	uint32_t	 earliest;	/* earliest expiration of its RRSIGs */
	size_t		 earliest_rr;	/* that RRSIG */
};

struct chaincheck_zone {
	const char	*label;
	struct zone	*z;
	bool		 current;	/* served now, not an older version */
	uint8_t		*where;		/* zone_classify() */
	uint64_t	*keys;		/* the apex DNSKEY RRset */
	uint64_t	*dnskey_good;	/* its keys that validly sign it */
	struct chaincheck_keyuse *use;
	size_t		 nuse;
	uint32_t	 serial;
	size_t		 rrsets;	/* authoritative RRsets to be signed */
	size_t		 sigs;		/* RRSIG records */
	size_t		 sigs_good;	/* verified, in time, fields right */
	bool		 has_earliest;
	uint32_t	 earliest;	/* earliest expiration of any RRSIG */
	size_t		 earliest_rr;
	size_t		 dnskey_answer;	/* octets (G10) */
	struct denial_info denial;
};

enum chaincheck_view {
	CHAINCHECK_VALID,
	CHAINCHECK_INSECURE,	/* no DS the validator can use */
	CHAINCHECK_BOGUS
};

struct chaincheck_ds {
	const char	*file;
	struct zone	*z;		/* DS, or DNSKEY as trust anchors */
};

/* RRsets of zone Y that do not validate with zone X's DNSKEY RRset,
 * grouped by the keys whose good signatures they have. */
struct chaincheck_cause {
	uint64_t	*keys;
	size_t		 count;
	size_t		 first;		/* record index in Y */
};

struct chaincheck_pair {
	size_t		 fail;		/* RRsets of Y bogus with X's keys */
	struct chaincheck_cause *cause;
	size_t		 ncause;
};

struct chaincheck {
	struct chaincheck_opts opts;
	struct keyring	 ring;
	struct chaincheck_zone *zone;
	size_t		 nzones;
	struct chaincheck_ds *ds;
	size_t		 nds;
	enum chaincheck_view *dsview;	/* [d * nzones + x] */
	long		**dskey;	/* [d * nzones + x][record of D]: key */
	struct chaincheck_pair *pair;	/* [x * nzones + y] */
	struct report	 report;
	uint8_t		(*exempt)[DNAME_MAXLEN];	/* opts.exempt, wire */
	uint16_t	*exempt_type;			/* 0: every type */
};

struct chaincheck *chaincheck_new(const struct chaincheck_opts *);
void		 chaincheck_free(struct chaincheck *);
int		 chaincheck_add_ds(struct chaincheck *, const char *,
		    struct zone *, struct diag *);
int		 chaincheck_add_zone(struct chaincheck *, const char *,
		    struct zone *, bool, struct diag *);
int		 chaincheck_run(struct chaincheck *, struct diag *);
const char	*chaincheck_time(uint32_t, int64_t, char *);

#endif
