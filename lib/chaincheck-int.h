/*
 * The pieces of zcheck-chain's checks (see chaincheck.h), shared
 * between lib/chaincheck.c (the interface, the run, the findings added to
 * the report), lib/chaincheck-keys.c (the keys of each zone),
 * lib/chaincheck-sigs.c (every RRset's signatures), lib/chaincheck-zone.c
 * (the checks of one zone whole), lib/chaincheck-views.c (what a
 * validator holding each DS set, or each pair of zones, sees) and
 * lib/chaincheck-cross.c (the rules between the operators' zones, G3 to
 * G10).  Private to those files; programs use chaincheck.h.
 *
 * Included after chaincheck.h, whose types it needs: including
 * chaincheck.h here would make an include cycle (chaincheck.c includes
 * this file).
 */
#ifndef CHAINCHECK_INT_H
#define CHAINCHECK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "sigverify.h"
#include "zone.h"

static const char rfc4035_22[] = "RFC 4035 section 2.2";

static const char rfc4035_531[] = "RFC 4035 section 5.3.1";

static const char rfc4035_52[] = "RFC 4035 section 5.2";

/* The check of one zone. */
struct zc {
	struct chaincheck	*cc;
	struct chaincheck_zone	*zn;
	size_t			 zi;
	const struct zone	*z;
	bool			 need[256];	/* algorithms to sign with */
	bool			 any;		/* the zone has one */
	uint64_t		*good;		/* scratch: keys, one RRset */
	struct sigverify_job	*job;
	size_t			 njob, cursor;
};

/* Verification on a thread of its own, so that the denial chain, which
 * does not need its results, is checked meanwhile. */
struct verify_arg {
	const struct zone	*z;
	const struct zc		*c;
	const struct keyring	*ring;
	unsigned		 threads;
	int			 rc;
};

/* chaincheck.c */
/* A finding added to cc->report. */
void		 chaincheck_add(struct chaincheck *cc, enum report_kind kind,
		    const struct report_where *w, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
bool		 chaincheck_earlier(uint32_t a, uint32_t b);

/* chaincheck-keys.c */
/* The apex records of one type: [*first, return). */
size_t		 chaincheck_apex_set(const struct zone *z, uint16_t type,
		    size_t *first);
/* The key of zone zi's DNSKEY RRset with this tag and algorithm. */
long		 chaincheck_own_key(const struct chaincheck *cc,
		    const struct chaincheck_zone *zn, uint16_t tag,
		    uint8_t alg);
/* The label of the first zone whose DNSKEY RRset has key k. */
const char	*chaincheck_key_home(const struct chaincheck *cc, size_t k);
/* Every apex DNSKEY joins the ring; then each zone's set is made. */
int		 chaincheck_build_ring(struct chaincheck *cc);
/* The keys of the apex DNSKEY RRset: what cannot be used, and the
 * algorithms every RRset must be signed with (RFC 4035 §2.2). */
void		 chaincheck_check_keys(struct zc *c);

/* chaincheck-sigs.c */
/* The RRset of type at the name of records [i, e): its first record and
 * length, or false. */
bool		 chaincheck_find_set(const struct zone *z, size_t i, size_t e,
		    uint16_t type, size_t *first, size_t *n);
/* One job per RRSIG over an authoritative RRset, in zone order. */
int		 chaincheck_make_jobs(struct zc *c);
int		 chaincheck_walk_zone(struct zc *c);
void		*chaincheck_verify_bg(void *p);

/* chaincheck-zone.c */
int		 chaincheck_check_zone(struct chaincheck *cc, size_t zi);

/* chaincheck-views.c */
int		 chaincheck_check_ds_views(struct chaincheck *cc);
/* Zone y against the DNSKEY RRset of zone x (G2): the groups of RRsets
 * that do not validate with it. */
void		 chaincheck_check_pair_views(struct chaincheck *cc);

/* chaincheck-cross.c */
/* The zones served now against the first of them (G3, G4, G5, G6, G9,
 * and one DNSKEY RRset, PROCEDURE.md step 2a); older versions' serials
 * below it (G5). */
int		 chaincheck_check_cross(struct chaincheck *cc);

#endif
