/*
 * The pieces of zsign_run() (see zsign.h), shared between lib/zsign.c
 * (the run: preparing the input, putting the signatures in place),
 * lib/zsign-chain.c (the denial chain), lib/zsign-plan.c (what to sign),
 * lib/zsign-reuse.c (the signatures of the input and of the previous zone
 * that can be kept), lib/zsign-pool.c (verifying and signing on threads)
 * and lib/zsign-check.c (the check before output): the signer's state
 * and the functions one piece calls in another.  Private to those files;
 * programs use zsign.h.
 *
 * Included after zsign.h, whose types it needs: including zsign.h here
 * would make an include cycle (zsign.c includes this file).
 */
#ifndef ZSIGN_INT_H
#define ZSIGN_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "diag.h"
#include "wire.h"
#include "zone.h"

#define SIGN_CHUNK	256	/* signatures made by one thread at once */

#define CHECK_CHUNK	256

#define NAMES_CHUNK	16384	/* records per chunk of the structural pass */

#define PUB_SAMPLE	64	/* one new signature in it verified with the

				   DNSKEY too, see zsign_self_check() */

/* The decision about one signature of the output. */
enum {
	E_KEEP,		/* the input's, in the zone's arena */
	E_SAME,		/* the input's, as the previous zone has it */
	E_REUSE,	/* the previous zone's, copied */
	E_FRESH,	/* made now */
	E_PENDING,	/* ours in the input, if one verifies; else fresh */
	E_FOREIGN,	/* another's in the input, if it verifies */
	E_DROP
};

struct ent {
	const uint8_t	*rdata;
	uint32_t	 set, nset;	/* the RRset in the zone */
	uint32_t	 pos;		/* the record it goes before */
	uint32_t	 aux;		/* insig, prev record or vjob */
	uint16_t	 rdlen;
	uint16_t	 naux;		/* vjobs of a pending one */
	uint8_t		 key;		/* ours, or NO_KEY */
	uint8_t		 state;
};

#define NO_KEY		0xff

/* A signature of the input to verify. */
struct vjob {
	uint32_t	 sig;		/* index into insig */
	uint32_t	 set, nset;
	int16_t		 key;		/* ours, or -1: another's */
	int8_t		 ok;
};

/* A key of the apex DNSKEY RRset. */
struct dk {
	const uint8_t		*rdata;
	uint16_t		 rdlen, tag, flags;
	uint8_t			 alg;
	int			 own;	/* index of our key, or -1 */
	struct crypto_pubkey	*pk;	/* another's, or NULL */
};

/* The fate of an input signature. */
enum { F_OPEN, F_TAKEN, F_KEPT, F_DROPPED };

struct signer {
	struct zone			*z;
	const struct zone		*prev;
	const struct zsign_key		*key;
	size_t				 nkey;
	const struct zsign_params	*p;
	struct zsign_report		*rep;
	struct diag			*d;
	uint8_t				*where;
	const uint8_t			*apex;
	uint32_t			 now, fresh_until;
	unsigned			 threads;
	uint16_t			 tag[ZSIGN_MAXKEYS];
	uint8_t				 alg[ZSIGN_MAXKEYS];
	size_t				 siglen[ZSIGN_MAXKEYS];
	bool				 collide[ZSIGN_MAXKEYS];
	int				 kset[ZSIGN_MAXKEYS];
	int				 zset[ZSIGN_MAXKEYS];
	int				 nkset, nzset;
	struct dk			*dk;
	size_t				 ndk;
	struct rr			*insig;
	size_t				 ninsig;
	uint8_t				*fate;
	struct ent			*ent;
	size_t				 nent, capent;
	struct vjob			*vjob;
	size_t				 nvjob, capvjob;
	uint32_t			*fresh;
	size_t				 nfresh;
	uint8_t				*block;	/* new RDATA */
	size_t				*off;
	uint16_t			 made_file;
	struct crypto_selfcheck		**chk;	/* [thread][key] */
	struct crypto_signer		**sg;	/* [thread][key] */
	struct crypto_pubkey		*ownpk[ZSIGN_MAXKEYS];	/* ours */
	uint8_t				**buf;	/* per thread */
	size_t				*bufcap;
	pthread_mutex_t			 lock;
	bool				 failed;
	struct diag			 fail;
};

/* The previous zone's name matching the owner: [*p0, *p1). */
struct cursor {
	size_t	i;
};

/*
 * The RRset at set in the previous zone, whose name there is [p0, p1):
 * whether it is the same byte for byte, and the range of that name's
 * RRSIGs there that cover its type.
 */
struct prevset {
	bool	 same;
	size_t	 g0, g1;
};

/*
 * Checks of our own signatures in batches (crypto_selfcheck_add()): per
 * key, the places where the answers go.
 */
struct batch {
	int8_t	*slot[ZSIGN_MAXKEYS][CRYPTO_SELFCHECK_BATCH];
	size_t	 n[ZSIGN_MAXKEYS];
};

/* lib/zsign.c: the run: preparing the input, placing signatures. */
/* Out of memory: said in the signer's diag; -1. */
int		 zsign_oom(struct signer *s);
/* Count a dropped input signature against its key tag. */
void		 zsign_drop_sig(struct signer *s, size_t i,
		    enum zsign_drop why);
/* The public key of our key k, for the sampled verification of the
 * check before output (ZSIGN_FAULT_PUBKEY: that of our next key). */
int		 zsign_own_pubkey(struct signer *s, size_t k);

/* lib/zsign-chain.c: the denial chain. */
/*
 * Put the records appended since from in place: record from + j goes
 * before the zone record pos[j] (an index below from, nondecreasing in
 * j), so that the zone stays in canonical order.  From the back, each
 * block of old records moves once.  where[] follows; the new records
 * are all authoritative.
 */
int		 zsign_insert_tail(struct signer *s, size_t from,
		    const size_t *pos);
/* The NSEC or NSEC3 chain (nsecchain.h), in place.  Its TTL is the
 * smaller of the SOA's TTL and MINIMUM (RFC 9077 §3, RFC 4034 §4). */
int		 zsign_build_chain(struct signer *s);

/* lib/zsign-plan.c: what to sign. */
/* Is r of the apex DNSKEY, CDS or CDNSKEY RRset? */
bool		 zsign_is_key_rrset(const struct signer *s, const struct rr *r);
/*
 * The walk: every authoritative RRset of the zone (RFC 4035 §2.2; not a
 * delegation's NS, not glue, not what a cut or a DNAME hides) is planned
 * with the input's and the previous zone's signatures of its name.
 */
int		 zsign_plan(struct signer *s);

/* lib/zsign-reuse.c: signatures that can be kept. */
/* The RRSIG fields a signature over the RRset at set must have: covered
 * type, the apex as signer, the Labels of the owner (RFC 4034 §3.1.3,
 * a wildcard's one less) and the RRset's TTL as Original TTL. */
bool		 zsign_fields_ok(const struct signer *s,
		    const struct wire_rrsig *g, const struct rr *set);
/* Valid now and still beyond the refresh window: worth keeping (RFC
 * 1982 arithmetic, as RFC 4034 §3.1.5 asks). */
bool		 zsign_lasts(const struct signer *s,
		    const struct wire_rrsig *g);
/* Within its inception and expiration now. */
bool		 zsign_valid_now(const struct signer *s,
		    const struct wire_rrsig *g);
/* The records of owner in the previous zone, [*p0, *p1), by cursor. */
void		 zsign_prev_name(const struct zone *pz, struct cursor *c,
		    const uint8_t *owner, size_t *p0, size_t *p1);
/* In the records [a, b) of one name, the run of type t. */
void		 zsign_type_run(const struct rr *rr, size_t a, size_t b,
		    uint16_t t, size_t *r0, size_t *r1);
/* The type an RRSIG covers; 0 for one too short to be an RRSIG (the
 * previous zone is not checked like the input). */
uint16_t	 zsign_covered(const struct rr *r);
/* The previous zone's RRset and signatures like the zone's at set. */
void		 zsign_prev_set(const struct signer *s, size_t p0, size_t p1,
		    size_t set, size_t nset, struct prevset *ps);
/*
 * The previous zone's signature by key k over an RRset that is byte for
 * byte the same there, valid beyond the refresh window: the index of the
 * RRSIG record, or (size_t)-1.  Not for a key whose tag another key
 * shares: that signature might be the other key's.
 */
size_t		 zsign_prev_sig(struct signer *s, const struct prevset *ps,
		    size_t set, int k);
/* Is this input signature one of the previous zone's over the RRset as
 * it was there, now changed?  Then it cannot verify: no need to try. */
bool		 zsign_stale(const struct signer *s, const struct prevset *ps,
		    const struct rr *sig);
/* An RRset of the input changed since the input was signed: counted,
 * and the first in canonical order noted (zsign_report). */
void		 zsign_note_changed(struct signer *s, const uint8_t *owner,
		    uint16_t type);
/* What the input's signatures tried over the RRset at set say: tried
 * (some were verified), held (one verified or is the same as the
 * previous zone's over the same data). */
void		 zsign_judge_rrset(struct signer *s, size_t set, bool tried,
		    bool held);

/* lib/zsign-pool.c: verifying and signing on threads. */
/* Per-thread scratch: a buffer for signed data and, per key, a signer
 * (crypto_signer) and a checker (crypto_selfcheck). */
int		 zsign_make_scratch(struct signer *s);
void		 zsign_free_scratch(struct signer *s);
/* Signed data to verify in an ECDSA batch, and its flush. */
void		 zsign_batch_add(struct signer *s, unsigned thread,
		    struct batch *b, size_t k, const uint8_t *data,
		    size_t len, const struct wire_rrsig *r, int8_t *slot);
void		 zsign_batch_finish(struct signer *s, unsigned thread,
		    struct batch *b);
/* Our key with this tag and algorithm: its index, -1 for none, -2 when
 * two of ours share them (then each is tried in turn). */
int		 zsign_own_key(const struct signer *s, uint16_t tag,
		    uint8_t alg);
/* A signature that two keys of ours could have made: each tried. */
int8_t		 zsign_check_each(struct signer *s, unsigned thread,
		    const uint8_t *data, size_t len,
		    const struct wire_rrsig *r);
/* Verify input signatures: ours with the key pair, another's with every
 * key of the DNSKEY RRset that has its tag and algorithm. */
void		 zsign_verify_some(size_t begin, size_t end, unsigned thread,
		    void *arg);
/*
 * After verification: a pending entry keeps the first of its candidates
 * that verifies, or is signed afresh; another's signature stays if it
 * verified.  A signature two entries could keep (its tag is ours and
 * another's) stays once.  Candidates not kept are counted as dropped.
 */
void		 zsign_resolve(struct signer *s);
/* Every signature the plan says to make now, made on threads. */
int		 zsign_sign_fresh(struct signer *s);

/* lib/zsign-check.c: the check before output. */
/* The check before output; -1 when the zone must not be written. */
int		 zsign_self_check(struct signer *s);

#endif
