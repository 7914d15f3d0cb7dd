/*
 * Signing a zone (RFC 4033, RFC 4034, RFC 4035 §2; NSEC3 RFC 5155):
 * the engine of zresign(1).
 *
 * zsign_run() takes a sorted zone whose apex is known and whose apex
 * DNSKEY RRset holds the keys given, and the previous signed version of
 * the zone when there is one.  It replaces the NSEC or NSEC3 chain,
 * decides for every RRset and every key that must sign it whether a
 * signature can be kept or must be made, makes the new ones on several
 * threads, puts every record in place, and checks the result before the
 * caller writes it: every new signature verifies, every RRset is signed
 * with every algorithm of the DNSKEY RRset, nothing that must not be
 * signed is, and the chain is whole.
 *
 * Which signatures are kept:
 *
 *	- an RRset that is byte for byte the one of the previous zone
 *	  keeps that zone's signature by a key still used, if it is valid
 *	  now and beyond the refresh window; no cryptography is needed;
 *	- our own signatures found in the zone are kept on the same terms
 *	  once they verify;
 *	- signatures by keys that are not ours (another operator's) follow
 *	  the policy: by default those over the apex DNSKEY, CDS and
 *	  CDNSKEY RRsets that verify with a key of the DNSKEY RRset over
 *	  the RRset as published and are valid now (the signature exchange
 *	  of RFC 6781 §4.3.5.1 and RFC 8901 §2.1.1); all, or none;
 *	- everything else is signed again.
 *
 * The output does not depend on the number of threads: work is placed by
 * index.  Ed25519 and RSA signatures are deterministic; ECDSA ones are
 * not (crypto.h).
 */
#ifndef ZSIGN_H
#define ZSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct keyfile;
struct zone;

#define ZSIGN_MAXKEYS	16

/* Roles: a KSK signs the apex DNSKEY, CDS and CDNSKEY RRsets, a ZSK
 * everything else, a CSK both.  Per algorithm, when no key has one of
 * the roles the keys with the other take it on, so a lone key is a CSK. */
#define ZSIGN_KSK	0x1
#define ZSIGN_ZSK	0x2
#define ZSIGN_CSK	(ZSIGN_KSK | ZSIGN_ZSK)

enum zsign_foreign {
	ZSIGN_FOREIGN_EXCHANGE,	/* over DNSKEY, CDS, CDNSKEY, verified */
	ZSIGN_FOREIGN_STRIP,	/* none */
	ZSIGN_FOREIGN_VERIFIED	/* every one that verifies */
};

struct zsign_key {
	const struct keyfile	*kf;
	int			 role;
};

struct zsign_params {
	int64_t		 now;
	uint32_t	 inception;
	uint32_t	 expiration;
	uint32_t	 key_expiration;	/* apex DNSKEY, CDS, CDNSKEY */
	uint32_t	 refresh;		/* seconds */
	uint32_t	 jitter;		/* seconds, at most */
	uint8_t		 seed[16];		/* of the jitter */
	bool		 nsec3;
	bool		 optout;
	uint16_t	 iterations;
	uint8_t		 saltlen;
	uint8_t		 salt[255];
	enum zsign_foreign foreign;
	unsigned	 threads;
};

#ifdef BK_FAULT
/*
 * Damage done on purpose after signing, so that tests can see the check
 * before output fail: a new signature changed, one left out, one record
 * of the denial chain left out; or the public key the check verifies a
 * sample of the new signatures with taken from our next key (with two
 * keys of one algorithm the key pair's check alone then passes).  Only
 * in a test build (-DBK_FAULT, t/0500-zresign-errors.bats builds one):
 * the library and the programs that are installed have none of it.
 */
extern int	 zsign_fault;		/* ZSIGN_FAULT_*, 0: none */
#define ZSIGN_FAULT_SIGNATURE	1
#define ZSIGN_FAULT_UNSIGNED	2
#define ZSIGN_FAULT_CHAIN	3
#define ZSIGN_FAULT_PUBKEY	4
#endif

/* Why a signature of the input or of the previous zone was left out. */
enum zsign_drop {
	ZSIGN_DROP_REPLACED,	/* ours: near expiry, superseded */
	ZSIGN_DROP_POLICY,	/* another's, left out by the policy */
	ZSIGN_DROP_NOKEY,	/* no key of the DNSKEY RRset made it */
	ZSIGN_DROP_BAD,		/* does not verify */
	ZSIGN_DROP_TIME,	/* expired or not yet valid */
	ZSIGN_DROP_FIELDS,	/* signer, labels or original TTL wrong */
	ZSIGN_DROP_ORPHAN,	/* covers no RRset that is signed */
	ZSIGN_NDROP
};

/* What happened to the signatures of one key tag and algorithm. */
struct zsign_tally {
	uint16_t	 tag;
	uint8_t		 alg;
	int		 key;		/* ours, -1 for another's */
	size_t		 made;		/* signed now */
	size_t		 reused;	/* from the previous zone */
	size_t		 kept;		/* from the input */
	size_t		 dropped[ZSIGN_NDROP];
};

struct zsign_report {
	struct zsign_tally *tally;
	size_t		 ntally;
	size_t		 rrsets;	/* RRsets signed */
	size_t		 chain;		/* NSEC or NSEC3 records */
	size_t		 ents;		/* empty non-terminals */
	size_t		 optout;	/* delegations left out */
	size_t		 made, reused, kept, checked;
	bool		 no_sep;	/* no SEP key signs DNSKEY */
	size_t		 malformed;	/* RRSIGs of the input dropped */
	/*
	 * The input's data against the input's own signatures, which
	 * were made over the data as it was: whether one over the SOA
	 * RRset verified (the SOA, and so its serial, is as signed); the
	 * RRsets changed since, ZONEMD aside (its digest is made anew):
	 * those whose signatures tried verified none, those the signed
	 * input has none for, and RRSIGs that cover an RRset no longer
	 * there; the first of them in canonical order.
	 */
	bool		 soa_holds;
	size_t		 changed;
	uint8_t		 changed_owner[255];
	uint16_t	 changed_type;
	/* Seconds (wall clock) spent in each step. */
	double		 t_prepare, t_chain, t_plan, t_verify, t_sign,
			 t_place, t_check;
};

int		 zsign_run(struct zone *, const struct zone *,
		    const struct zsign_key *, size_t,
		    const struct zsign_params *, struct zsign_report *,
		    struct diag *);
void		 zsign_report_free(struct zsign_report *);
const char	*zsign_drop_reason(enum zsign_drop);

#endif
