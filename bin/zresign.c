/*
 * zresign reads a zone, unsigned or signed by us or by another operator,
 * and the key pairs named with -k (BIND key files), and writes the zone
 * signed: NSEC or NSEC3 (RFC 5155, with real opt-out), every
 * authoritative RRset signed with every algorithm of the apex DNSKEY
 * RRset (RFC 4035 §2.2), the DNSKEY, CDS and CDNSKEY RRsets by the KSKs.
 *
 * Given the previous signed zone (-P), an RRset that has not changed
 * keeps its signature without any cryptography, so that a step that
 * changes the apex changes only the apex signatures and the few denial
 * records it touches.  Signatures by other operators' keys follow a
 * stated policy (-x): by default the ones over the DNSKEY, CDS and
 * CDNSKEY RRsets that verify stay, which is the signature exchange of
 * the migration's step 2a (RFC 6781 §4.3.5.1).
 *
 * The apex edits a signer owns are made here: the SOA serial (-s), the
 * DNSKEYs of the keys given when the zone lacks them, the NSEC3PARAM.
 * The signing itself is lib/zsign.c's, which checks its own result
 * before anything is written.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "arena.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "ds.h"
#include "crypto.h"
#include "keyfile.h"
#include "keytime.h"
#include "nsec3.h"
#include "out.h"
#include "pkcs11.h"
#include "rrtext.h"
#include "rrtype.h"
#include "wire.h"
#include "zone.h"
#include "zonemd.h"
#include "zsign.h"
#include "zwrite.h"

#include "zresign-int.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: zresign [-3AMmNqvWX] [-C key] [-c what] [-E time] "
	    "[-e time]\n"
	    "               [-H iterations] [-i time] [-J seconds] [-K key] "
	    "[-k key]\n"
	    "               [-O policy] [-o file] [-P file] [-p pin] "
	    "[-R seed]\n"
	    "               [-S salt] [-s serial] [-T threads] [-t time] "
	    "[-w window]\n"
	    "               [-Z key] [-z origin] [file]\n");
	exit(2);
}

static void
add_key(struct args *a, const char *name, int role)
{
	if (a->nkeys == ZSIGN_MAXKEYS)
		diag_fatal("more than %d keys", ZSIGN_MAXKEYS);
	a->keyname[a->nkeys] = name;
	a->keyrole[a->nkeys++] = role;
}

/* A time: now, YYYYMMDDHHmmSS or seconds since the epoch, or an offset
 * from now, +duration or -duration (dnstime_arg()). */
static int64_t
parse_time(const char *opt, const char *s, int64_t now)
{
	int64_t t;

	if (dnstime_arg(s, now, &t) != 0 && (s[0] == '+' || s[0] == '-'))
		diag_fatal("%s %s: not a duration", opt, s);
	if (dnstime_arg(s, now, &t) != 0)
		diag_fatal("%s %s: not a time (now, YYYYMMDDHHmmSS, seconds "
		    "since the epoch, or +/- a duration)", opt, s);
	return t;
}

static uint32_t
to_wire(const char *what, int64_t t, int64_t now)
{
	/* RFC 4034 §3.1.5: 32-bit serial arithmetic reaches 68 years
	 * either way from now. */
	if (t - now >= INT64_C(0x7fffffff) || now - t >= INT64_C(0x7fffffff))
		diag_fatal("%s: more than 68 years from now", what);
	return dnstime_wire(t);
}

/* The -S salt: hex, or "-" for none (RFC 9276 §3.1 says none). */
static void
parse_salt(const char *s, struct zsign_params *p)
{
	size_t n = strlen(s), i;

	p->saltlen = 0;
	if (strcmp(s, "-") == 0)
		return;
	if (n == 0 || n % 2 != 0 || n > 2 * 255)
		diag_fatal("-S %s: not a salt (hex, at most 255 octets, or -)",
		    s);
	for (i = 0; i < n; i += 2) {
		unsigned v;
		if (!isxdigit((unsigned char)s[i]) ||
		    !isxdigit((unsigned char)s[i + 1]) ||
		    sscanf(s + i, "%2x", &v) != 1)
			diag_fatal("-S %s: not a salt (hex, at most 255 "
			    "octets, or -)", s);
		p->salt[p->saltlen++] = (uint8_t)v;
	}
}

static long
parse_number(const char *opt, const char *s, long max)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		diag_fatal("%s %s: not a number", opt, s);
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > max)
		diag_fatal("%s %s: not a number from 0 to %ld", opt, s, max);
	return v;
}

/* An explicit SOA serial: decimal, 32 bits (RFC 1035 section 3.3.13). */
static int
parse_serial(const char *s, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)*s) || strlen(s) > 10)
		return -1;
	n = strtoull(s, &end, 10);
	if (*end != '\0' || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

/*
 * The times, the denial method, the policies: the options turned into
 * zsign parameters.  Times default to an hour before now for inception
 * (clock skew) and 30 days after for expiration; the refresh window to
 * a quarter of what is left of that validity.
 */
static void
set_params(struct job *j)
{
	struct args *a = &j->a;
	struct zsign_params *p = &j->p;
	int64_t now, inc, exp, kexp, v;
#ifdef BK_FAULT
	const char *fault;
#endif

	memset(p, 0, sizeof(*p));
	now = a->now != NULL ? parse_time("-t", a->now, time(NULL)) :
	    (int64_t)time(NULL);
	inc = a->inception ? parse_time("-i", a->inception, now) :
	    now - DEF_SKEW;
	exp = a->expiration ? parse_time("-e", a->expiration, now) :
	    now + DEF_VALIDITY;
	kexp = a->key_expiration ? parse_time("-E", a->key_expiration, now) :
	    exp;
	if (inc > now)
		diag_fatal("-i: inception after now: the signatures would not "
		    "be valid yet");
	if (exp <= now || kexp <= now)
		diag_fatal("%s: expiration not after now",
		    exp <= now ? "-e" : "-E");
	p->now = now;
	p->inception = to_wire("-i", inc, now);
	p->expiration = to_wire("-e", exp, now);
	p->key_expiration = to_wire("-E", kexp, now);
	if (a->refresh != NULL) {
		if (dnstime_duration(a->refresh, &v) != 0)
			diag_fatal("-w %s: not a duration", a->refresh);
	} else
		v = (exp - now) / 4;
	p->refresh = v > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)v;
	if (a->jitter != NULL) {
		if (dnstime_duration(a->jitter, &v) != 0)
			diag_fatal("-J %s: not a duration", a->jitter);
		if (now + v >= exp || now + v >= kexp)
			diag_fatal("-J %s: jitter reaches back to now",
			    a->jitter);
		p->jitter = (uint32_t)v;
	}
	if (a->seed != NULL)
		crypto_generichash(p->seed, sizeof(p->seed),
		    (const uint8_t *)a->seed, strlen(a->seed), NULL, 0);
	if (a->nsec && (a->nsec3 || a->optout || a->no_optout ||
	    a->salt || a->iterations))
		diag_fatal("-N asks for NSEC, -3, -A, -X, -H and -S for NSEC3: "
		    "not both");
	if (a->optout && a->no_optout)
		diag_fatal("-A asks for opt-out, -X for none: not both");
	if (a->iterations != NULL &&
	    parse_number("-H", a->iterations, 65535) > NSEC3_MAX_ITERATIONS)
		diag_fatal("-H %s: more than %u iterations (RFC 5155 section "
		    "10.3)", a->iterations, NSEC3_MAX_ITERATIONS);
	if (a->iterations != NULL)
		p->iterations = (uint16_t)parse_number("-H", a->iterations,
		    NSEC3_MAX_ITERATIONS);
	if (a->salt != NULL)
		parse_salt(a->salt, p);
	p->foreign = ZSIGN_FOREIGN_EXCHANGE;
	if (a->foreign != NULL && strcmp(a->foreign, "strip") == 0)
		p->foreign = ZSIGN_FOREIGN_STRIP;
	else if (a->foreign != NULL && strcmp(a->foreign, "verified") == 0)
		p->foreign = ZSIGN_FOREIGN_VERIFIED;
	else if (a->foreign != NULL && strcmp(a->foreign, "exchange") != 0)
		diag_fatal("-O %s: not exchange, strip or verified",
		    a->foreign);
#ifdef BK_FAULT
	/* A test build only (zsign.h): the installed zresign has none. */
	fault = getenv("ZRESIGN_FAULT");
	if (fault != NULL && strcmp(fault, "signature") == 0)
		zsign_fault = ZSIGN_FAULT_SIGNATURE;
	else if (fault != NULL && strcmp(fault, "unsigned") == 0)
		zsign_fault = ZSIGN_FAULT_UNSIGNED;
	else if (fault != NULL && strcmp(fault, "chain") == 0)
		zsign_fault = ZSIGN_FAULT_CHAIN;
	else if (fault != NULL && strcmp(fault, "pubkey") == 0)
		zsign_fault = ZSIGN_FAULT_PUBKEY;
#endif
	p->threads = a->threads ? (unsigned)parse_number("-T", a->threads,
	    64) : 0;
	if (a->threads && p->threads == 0)
		diag_fatal("-T 0: at least one thread");
	j->cds = CDS_KEEP;
	if (a->cds != NULL && strcmp(a->cds, "publish") == 0)
		j->cds = CDS_PUBLISH;
	else if (a->cds != NULL && strcmp(a->cds, "delete") == 0)
		j->cds = CDS_DELETE;
	else if (a->cds != NULL && strcmp(a->cds, "drop") == 0)
		j->cds = CDS_DROP;
	else if (a->cds != NULL && strcmp(a->cds, "keep") != 0)
		diag_fatal("-c %s: not keep, publish, delete or drop", a->cds);
	j->serial = SERIAL_KEEP;
	if (a->serial == NULL || strcmp(a->serial, "keep") == 0)
		j->serial = SERIAL_KEEP;
	else if (strcmp(a->serial, "increment") == 0)
		j->serial = SERIAL_INCREMENT;
	else if (strcmp(a->serial, "unixtime") == 0)
		j->serial = SERIAL_UNIXTIME;
	else if (strcmp(a->serial, "date") == 0)
		j->serial = SERIAL_DATE;
	else if (parse_serial(a->serial, &j->serial_set) == 0)
		j->serial = SERIAL_SET;
	else
		diag_fatal("-s %s: not keep, increment, unixtime, date or a "
		    "serial from 0 to 4294967295", a->serial);
}

/* An RSA key under 2048 bits signs only when -W says so (crypto.h). */
static void
check_strength(const struct job *j, const struct keyfile *kf)
{
	struct wire_dnskey v;
	const uint8_t *rd;
	size_t len;
	unsigned bits;

	rd = keyfile_rdata(kf, &len);
	if (wire_dnskey(&v, rd, len) != 0)
		return;
	bits = crypto_rsa_bits(keyfile_algorithm(kf), v.key, v.key_len);
	if (bits == 0 || bits >= CRYPTO_RSA_MIN_BITS)
		return;
	if (!j->a.weak)
		diag_fatal("%s: key %u/%u: RSA modulus of %u bits, under %u: "
		    "too weak to sign with (NIST SP 800-131A); -W signs with "
		    "it anyway", keyfile_public_path(kf), keyfile_tag(kf),
		    keyfile_algorithm(kf), bits, CRYPTO_RSA_MIN_BITS);
	diag_info("%s: key %u/%u: RSA modulus of %u bits, under %u, signs "
	    "as -W allows", keyfile_public_path(kf), keyfile_tag(kf),
	    keyfile_algorithm(kf), bits, CRYPTO_RSA_MIN_BITS);
}

/*
 * The key pairs, private halves required and matching (keyfile.h); each
 * must be a zone key, not revoked, of an algorithm RFC 8624 §3.1 lets
 * sign and this platform can, RSA of 2048 bits at least unless -W, and
 * given once.  Its role comes from its SEP flag unless -K, -Z or -C
 * said.
 */
static void
load_keys(struct job *j)
{
	struct diag d;
	size_t k, m, len, len2;
	const uint8_t *rd, *rd2;

	if (j->a.nkeys == 0)
		diag_fatal("no key: give the key pairs to sign with (-k)");
	pkcs11_pin_source(j->a.pin);
	for (k = 0; k < j->a.nkeys; k++) {
		struct keyfile *kf;
		uint16_t flags;
		uint8_t alg;

		if ((kf = keyfile_load(j->a.keyname[k], KEYFILE_NEED_PRIVATE |
		    (j->a.keyrole[k] == ZSIGN_KSK || j->a.keyrole[k] ==
		    ZSIGN_CSK ? KEYFILE_SEP : 0), &d)) == NULL)
			diag_die(&d);
		j->kf[j->nkeys] = kf;
		flags = keyfile_flags(kf);
		alg = keyfile_algorithm(kf);
		if (!(flags & DNSKEY_F_ZONE))
			diag_fatal("%s: key %u/%u is not a zone key (RFC 4034 "
			    "section 2.1.1)", keyfile_public_path(kf),
			    keyfile_tag(kf), alg);
		if (flags & DNSKEY_F_REVOKE)
			diag_fatal("%s: key %u/%u is revoked (RFC 5011 section "
			    "2.1): zresign does not sign with revoked keys",
			    keyfile_public_path(kf), keyfile_tag(kf), alg);
		if (!dnskey_alg_may_sign(alg))
			diag_fatal("%s: key %u/%u: algorithm %u (%s) is not "
			    "to be used for signing (RFC 8624 section 3.1)",
			    keyfile_public_path(kf), keyfile_tag(kf), alg, alg,
			    dnskey_alg_name(alg));
		if (!crypto_alg_can_sign(alg))
			diag_fatal("%s: key %u/%u: algorithm %u (%s) is not "
			    "supported here", keyfile_public_path(kf),
			    keyfile_tag(kf), alg, alg, dnskey_alg_name(alg));
		check_strength(j, kf);
		rd = keyfile_rdata(kf, &len);
		for (m = 0; m < j->nkeys; m++) {
			rd2 = keyfile_rdata(j->kf[m], &len2);
			if (len == len2 && memcmp(rd, rd2, len) == 0)
				diag_fatal("%s: key %u/%u given twice",
				    keyfile_public_path(kf), keyfile_tag(kf),
				    alg);
		}
		j->key[j->nkeys].kf = kf;
		j->key[j->nkeys].role = j->a.keyrole[k] != 0 ?
		    j->a.keyrole[k] : (flags & DNSKEY_F_SEP) ? ZSIGN_KSK :
		    ZSIGN_ZSK;
		j->nkeys++;
	}
}

/* A ZONEMD the signer cannot make again: its scheme and hash algorithm
 * as far as the RDATA holds them, 0 for those it is too short for. */
static void
zonemd_dropped(const struct job *j, const struct rr *r)
{
	struct wire_cur c;
	uint32_t serial;
	uint8_t scheme = 0, alg = 0;

	wire_cur_init(&c, r->rdata, r->rdlen);
	if (wire_take32(&c, &serial) == 0 && wire_take8(&c, &scheme) == 0)
		(void)wire_take8(&c, &alg);
	diag_warn("%s:%u: ZONEMD of scheme %u and hash algorithm %u "
	    "dropped: not known here, it cannot be computed again (RFC 8976 "
	    "section 4)", zone_rr_file(j->z, r), r->line, scheme, alg);
}

/*
 * What a signer makes anew: the NSEC, NSEC3 and NSEC3PARAM records; and
 * the apex ZONEMD RRset with the RRSIGs over it, whose digest covers the
 * signatures and the chain (RFC 8976 section 3) and is computed again
 * after signing (add_zonemd(), zonemd.h).  The hash algorithms of the
 * SIMPLE ZONEMDs are noted, to be made again; one of a scheme or
 * algorithm not known here cannot be, and goes with a warning.
 */
static bool
is_made_anew(const struct rr *r, void *arg)
{
	struct job *j = arg;
	struct wire_zonemd v;

	if (r->type == T_ZONEMD && dname_equal(r->owner, j->z->apex)) {
		if (wire_zonemd(&v, r->rdata, r->rdlen) == 0 &&
		    v.scheme == ZONEMD_SCHEME_SIMPLE &&
		    zonemd_hash_len(v.hash_alg) > 0)
			j->zonemd_algs |= 1u << v.hash_alg;
		else if (!j->a.quiet)
			zonemd_dropped(j, r);
		j->zonemd_ttl = r->ttl;
		j->zonemd_ttl_set = true;
	}
	return r->type == T_NSEC || r->type == T_NSEC3 ||
	    r->type == T_NSEC3PARAM || zonemd_excluded(j->z, r);
}

/*
 * The previous signed zone (-P) is read and sorted on a thread of its
 * own while the input is: sorting is done on one core, so two zones
 * read at once take little more than one.  Its diagnostic waits for
 * the input's, which comes first.
 */
struct prevread {
	pthread_t	 tid;
	const char	*path, *origin;
	struct zone	*z;
	struct diag	 d;
	int		 rc;
	bool		 joined;
};

static void *
prev_thread(void *arg)
{
	struct prevread *pr = arg;

	pr->rc = zone_load(pr->z, pr->path, pr->origin, ZONE_LOAD_SORT,
	    &pr->d);
	return NULL;
}

static void
start_prev(struct job *j, struct prevread *pr)
{
	memset(pr, 0, sizeof(*pr));
	if (j->a.prevpath == NULL)
		return;
	pr->path = j->a.prevpath;
	pr->origin = j->a.origin;
	if ((pr->z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (pthread_create(&pr->tid, NULL, prev_thread, pr) != 0)
		diag_fatal("cannot start a thread");
}

/* The previous zone, read: the same apex as the input's. */
static void
finish_prev(struct job *j, struct prevread *pr)
{
	char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT];

	if (j->a.prevpath == NULL || pr->joined)
		return;
	pthread_join(pr->tid, NULL);
	pr->joined = true;
	if (pr->rc != 0)
		diag_die(&pr->d);
	j->prev = pr->z;
	if (!dname_equal(j->prev->apex, j->z->apex)) {
		dname_to_text(j->prev->apex, a);
		dname_to_text(j->z->apex, b);
		diag_fatal("%s: zone %s, not %s", j->a.prevpath, a, b);
	}
}

/* The denial of existence of a zone as signed. */
struct denial_of {
	enum { DENIED_NOT, DENIED_NSEC, DENIED_NSEC3 } kind;
	bool		 optout;	/* an NSEC3 record has the flag */
	uint16_t	 iterations;
	uint8_t		 saltlen;
	uint8_t		 salt[255];
	const char	*file;		/* where the parameters are */
	unsigned long	 line;
};

/*
 * The hash algorithm, iterations and salt of r, an NSEC3PARAM or an
 * NSEC3 record: NSEC3PARAM's fields are NSEC3's first (RFC 5155 §4.2,
 * §3.2), read here by lib/wire.h's field reader whichever r is.  Only
 * SHA-1 is defined (§11).  A salt the RDATA is too short for is none.
 */
static void
nsec3_head_of(const struct rr *r, struct denial_of *o)
{
	struct wire_cur c;
	const uint8_t *salt;
	uint8_t alg = 0, flags;

	wire_cur_init(&c, r->rdata, r->rdlen);
	(void)wire_take8(&c, &alg);
	if (alg != 1)
		diag_fatal("%s:%lu: NSEC3 hash algorithm %u: only 1 (SHA-1) "
		    "is defined (RFC 5155 section 11); -N signs with NSEC",
		    o->file, o->line, alg);
	if (wire_take8(&c, &flags) == 0 &&
	    wire_take16(&c, &o->iterations) == 0 &&
	    wire_take_cstring(&c, &salt, &o->saltlen) == 0)
		memcpy(o->salt, salt, o->saltlen);
	else
		o->saltlen = 0;
}

/*
 * A zone's denial: NSEC3 with the parameters of its NSEC3PARAM (or of
 * its first NSEC3 record, RFC 5155 section 4), opt-out when an NSEC3
 * record has the flag (section 3.1.2.1); NSEC when it has an NSEC
 * record; else none (unsigned).  The zone read asks no more iterations
 * than RFC 5155 section 10.3 allows, refused at the record.
 */
static void
denial_of(const struct zone *z, struct denial_of *o)
{
	const struct rr *r;
	struct wire_nsec3 n3;
	struct diag d;
	size_t i;

	memset(o, 0, sizeof(*o));
	if (nsec3_check_iterations(z, &d) != 0)
		diag_die(&d);
	if ((r = nsec3_zone_params(z)) != NULL) {
		o->kind = DENIED_NSEC3;
		o->file = zone_rr_file(z, r);
		o->line = r->line;
		nsec3_head_of(r, o);
		for (i = 0; i < z->n && !o->optout; i++)
			o->optout = z->rr[i].type == T_NSEC3 &&
			    wire_nsec3(&n3, z->rr[i].rdata,
			    z->rr[i].rdlen) == 0 && (n3.flags & 1);
		return;
	}
	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == T_NSEC) {
			o->kind = DENIED_NSEC;
			o->file = zone_rr_file(z, &z->rr[i]);
			o->line = z->rr[i].line;
			return;
		}
}

static const char *
salt_text(const uint8_t *salt, size_t len, char *buf)
{
	size_t i;

	if (len == 0)
		return "-";
	for (i = 0; i < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", salt[i]);
	return buf;
}

/* Warnings for what -N, -n, -A, -a, -H and -S change of the denial the
 * zone had: both operators must publish the same (PROCEDURE's G6). */
static void
warn_switch(const struct job *j, const struct denial_of *o)
{
	const struct zsign_params *p = &j->p;
	char was[2 * 255 + 1], now[2 * 255 + 1];

	if (j->a.quiet || o->kind == DENIED_NOT)
		return;
	if (o->kind == DENIED_NSEC3 && !p->nsec3)
		diag_warn("%s:%lu: the zone's NSEC3%s becomes NSEC, as -N asks",
		    o->file, o->line, o->optout ? " with opt-out" : "");
	else if (o->kind == DENIED_NSEC && p->nsec3)
		diag_warn("%s:%lu: the zone's NSEC becomes NSEC3%s, as -%c "
		    "asks", o->file, o->line, p->optout ? " with opt-out" : "",
		    j->a.nsec3 ? '3' : j->a.optout ? 'A' : j->a.no_optout ?
		    'X' : j->a.iterations ? 'H' : 'S');
	if (o->kind != DENIED_NSEC3 || !p->nsec3)
		return;
	if (o->optout != p->optout)
		diag_warn("%s:%lu: NSEC3 opt-out turned %s, as -%c asks",
		    o->file, o->line, p->optout ? "on" : "off",
		    p->optout ? 'A' : 'X');
	if (o->iterations != p->iterations)
		diag_warn("%s:%lu: NSEC3 iterations %u become %u, as -H asks",
		    o->file, o->line, o->iterations, p->iterations);
	if (o->saltlen != p->saltlen ||
	    memcmp(o->salt, p->salt, p->saltlen) != 0)
		diag_warn("%s:%lu: NSEC3 salt %s becomes %s, as -S asks",
		    o->file, o->line, salt_text(o->salt, o->saltlen, was),
		    salt_text(p->salt, p->saltlen, now));
}

/*
 * NSEC or NSEC3, opt-out, iterations and salt: what the options ask,
 * and for all they leave open what the zone read has, or when it is
 * unsigned what the previous zone (-P) has, or else NSEC, and NSEC3
 * with RFC 9276's parameters (1 0 0 -).  A change from the zone's is
 * said (warn_switch()); so are iterations above 0 and a salt, which
 * RFC 9276 section 3.1 advises against.
 */
static void
settle_denial(struct job *j, struct prevread *pr)
{
	struct args *a = &j->a;
	struct zsign_params *p = &j->p;
	struct denial_of o;
	bool nsec3 = a->nsec3 || a->optout || a->no_optout || a->salt ||
	    a->iterations;

	denial_of(j->z, &o);
	if (o.kind == DENIED_NOT && a->prevpath != NULL) {
		finish_prev(j, pr);
		denial_of(j->prev, &o);
	}
	p->nsec3 = nsec3 || (!a->nsec && o.kind == DENIED_NSEC3);
	if (!p->nsec3)
		goto warn;
	p->optout = a->optout || (!a->no_optout && o.kind == DENIED_NSEC3 &&
	    o.optout);
	if (a->iterations == NULL && o.kind == DENIED_NSEC3)
		p->iterations = o.iterations;
	if (a->salt == NULL && o.kind == DENIED_NSEC3) {
		p->saltlen = o.saltlen;
		memcpy(p->salt, o.salt, o.saltlen);
	}
	if (!a->quiet && p->iterations > 0)
		diag_warn("NSEC3 iterations %u: RFC 9276 section 3.1 says 0; "
		    NSEC3_VALIDATOR_LIMITS " (section 3.2)", p->iterations);
	if (!a->quiet && p->saltlen > 0)
		diag_warn("NSEC3 salt: RFC 9276 section 3.1 says none");
warn:
	warn_switch(j, &o);
}

/* The zone, its apex, every key owned by it; the NSEC, NSEC3 and
 * NSEC3PARAM records go, to be made again. */
static struct zone *
read_zone(const char *path, const char *origin)
{
	struct zone *z;
	struct diag d;

	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_load(z, path, origin, 0, &d) != 0)
		diag_die(&d);
	return z;
}

/* Is the DNSKEY record r the key rd but for its flags: the same
 * protocol, algorithm and public key (RFC 4034 §2.1)? */
static bool
same_key(const struct rr *r, const uint8_t *rd, size_t len)
{
	struct wire_dnskey a, b;

	return r->rdlen == len && wire_dnskey(&a, r->rdata, r->rdlen) == 0 &&
	    wire_dnskey(&b, rd, len) == 0 && a.protocol == b.protocol &&
	    a.algorithm == b.algorithm &&
	    memcmp(a.key, b.key, a.key_len) == 0;
}

/*
 * A key named by its URI alone (keyfile.h) is the apex's: its DNSKEY is
 * the apex's DNSKEY of the same algorithm and public key when there is
 * one (its flags, and so its tag, are that record's), else a new one
 * with flags 257 for -K and -C, 256 for -k and -Z, and the TTL of the
 * apex DNSKEY RRset.  Then it is checked as a key file is.
 */
static void
place_keys(struct job *j)
{
	const struct zone *z = j->z;
	size_t i, k, len;
	const uint8_t *rd;
	uint16_t flags;
	uint32_t ttl = 3600;

	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == T_DNSKEY &&
		    dname_equal(z->rr[i].owner, z->apex)) {
			ttl = z->rr[i].ttl;
			break;
		}
	for (k = 0; k < j->nkeys; k++) {
		if (!keyfile_unplaced(j->kf[k]))
			continue;
		rd = keyfile_rdata(j->kf[k], &len);
		flags = dnskey_flags(rd);
		for (i = 0; i < z->n; i++)
			if (z->rr[i].type == T_DNSKEY &&
			    dname_equal(z->rr[i].owner, z->apex) &&
			    same_key(&z->rr[i], rd, len))
				flags = dnskey_flags(z->rr[i].rdata);
		keyfile_place(j->kf[k], z->apex, flags, ttl);
		if (flags & DNSKEY_F_REVOKE)
			diag_fatal("%s: key %u/%u is revoked (RFC 5011 section "
			    "2.1): zresign does not sign with revoked keys",
			    keyfile_public_path(j->kf[k]),
			    keyfile_tag(j->kf[k]), keyfile_algorithm(j->kf[k]));
		if (j->a.keyrole[k] == 0)
			j->key[k].role = (flags & DNSKEY_F_SEP) ? ZSIGN_KSK :
			    ZSIGN_ZSK;
	}
}

static void
check_owners(struct job *j)
{
	char owner[DNAME_MAXTEXT], apex[DNAME_MAXTEXT];
	size_t k;

	for (k = 0; k < j->nkeys; k++)
		if (!dname_equal(keyfile_owner(j->kf[k]), j->z->apex)) {
			dname_to_text(keyfile_owner(j->kf[k]), owner);
			dname_to_text(j->z->apex, apex);
			diag_fatal("%s: key %u/%u: owner %s is not the zone's "
			    "apex %s", keyfile_public_path(j->kf[k]),
			    keyfile_tag(j->kf[k]), keyfile_algorithm(j->kf[k]),
			    owner, apex);
		}
}

/*
 * The DNSKEYs of the keys given, added to the apex DNSKEY RRset when
 * missing, with its TTL (RFC 2181 §5.2), or the first key file's when
 * the zone has none; and the NSEC3PARAM (RFC 5155 §4), TTL 0 as
 * dnssec-signzone gives it.
 */
static void
edit_apex(struct job *j)
{
	struct zone *z = j->z;
	size_t i, k, len, n = z->n;
	uint32_t ttl = keyfile_ttl(j->kf[0]);
	uint16_t rclass = z->rr[0].rclass;
	const uint8_t *rd;
	bool have;
	uint8_t param[WIRE_NSEC3PARAM_FIXED + 255], *p;

	for (i = 0; i < n; i++)
		if (z->rr[i].type == T_DNSKEY &&
		    dname_equal(z->rr[i].owner, z->apex)) {
			ttl = z->rr[i].ttl;
			break;
		}
	if (j->nsign < j->nkeys)
		zone_remove_if(z, zr_is_unpublished, j);
	n = z->n;
	for (k = 0; k < j->nkeys; k++) {
		if (!j->publish[k])
			continue;
		rd = keyfile_rdata(j->kf[k], &len);
		for (have = false, i = 0; i < n && !have; i++)
			have = z->rr[i].type == T_DNSKEY &&
			    z->rr[i].rdlen == len &&
			    memcmp(z->rr[i].rdata, rd, len) == 0 &&
			    dname_equal(z->rr[i].owner, z->apex);
		if (!have && zone_add(z, z->apex, T_DNSKEY, rclass, ttl, rd,
		    len, keyfile_public_path(j->kf[k]),
		    (uint32_t)keyfile_line(j->kf[k])) == NULL)
			diag_fatal("out of memory");
	}
	if (!j->p.nsec3)
		return;
	/* RFC 5155 §4.2: SHA-1, no flags, the iterations, the salt. */
	p = param;
	*p++ = 1;
	*p++ = 0;
	p = wire_put16(p, j->p.iterations);
	*p++ = j->p.saltlen;
	memcpy(p, j->p.salt, j->p.saltlen);
	if (zone_add(z, z->apex, T_NSEC3PARAM, rclass, 0, param,
	    WIRE_NSEC3PARAM_FIXED + (size_t)j->p.saltlen, NULL, 0) == NULL)
		diag_fatal("out of memory");
}

/*
 * RFC 8976 section 3.1: a placeholder ZONEMD for each hash algorithm the
 * input's had, and SHA-384 when -M asks, before signing, so that the
 * NSEC or NSEC3 type bit map at the apex names ZONEMD; its TTL is the
 * input's ZONEMD's, or the SOA's.  The digest goes in after signing.
 */
static void
add_zonemd(struct job *j)
{
	struct zone *z = j->z;
	uint8_t rd[ZONEMD_FIXED + ZONEMD_MAX_DIGEST], *p;
	uint8_t alg;
	size_t i;
	int64_t serial;

	if (j->a.zonemd)
		j->zonemd_algs |= 1u << ZONEMD_HASH_SHA384;
	if (j->zonemd_algs == 0)
		return;
	if ((serial = zonemd_serial(z)) < 0)
		diag_fatal("no well-formed SOA record");
	for (i = 0; !j->zonemd_ttl_set && i < z->n; i++)
		if (z->rr[i].type == T_SOA) {
			j->zonemd_ttl = z->rr[i].ttl;
			j->zonemd_ttl_set = true;
		}
	for (alg = 1; alg <= ZONEMD_HASH_SHA512; alg++) {
		if (!(j->zonemd_algs & 1u << alg))
			continue;
		/* RFC 8976 §2.2: serial, scheme, hash algorithm, and a
		 * digest of zeros for now. */
		memset(rd, 0, sizeof(rd));
		p = wire_put32(rd, (uint32_t)serial);
		*p++ = ZONEMD_SCHEME_SIMPLE;
		*p = alg;
		if (zone_add(z, z->apex, T_ZONEMD, z->rr[0].rclass,
		    j->zonemd_ttl, rd, ZONEMD_FIXED + zonemd_hash_len(alg),
		    NULL, 0) == NULL)
			diag_fatal("out of memory");
	}
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *
role_name(int role)
{
	return role == ZSIGN_CSK ? "CSK" : role == ZSIGN_KSK ? "KSK" : "ZSK";
}

/* With -v, what became of the signatures, per key, then in all. */
static void
tell(const struct job *j)
{
	const struct zsign_report *r = &j->rep;
	char buf[512];
	size_t i, k, o;

	for (i = 0; i < r->ntally; i++) {
		const struct zsign_tally *t = &r->tally[i];
		o = (size_t)snprintf(buf, sizeof(buf), "key %u/%u (%s): %zu "
		    "made, %zu reused, %zu kept", t->tag, t->alg, t->key >= 0 ?
		    role_name(j->key[t->key].role) : "another operator's",
		    t->made, t->reused, t->kept);
		for (k = 0; k < ZSIGN_NDROP && o < sizeof(buf); k++)
			if (t->dropped[k] > 0)
				o += (size_t)snprintf(buf + o, sizeof(buf) - o,
				    ", %zu dropped: %s", t->dropped[k],
				    zsign_drop_reason(k));
		diag_info("%s", buf);
	}
	if (r->malformed > 0)
		diag_info("%zu malformed RRSIG records dropped", r->malformed);
	if (j->p.nsec3)
		diag_info("NSEC3 chain: %zu records, %zu empty non-terminals, "
		    "%zu insecure delegations left out (opt-out)", r->chain,
		    r->ents, r->optout);
	else
		diag_info("NSEC chain: %zu records", r->chain);
	diag_info("%zu RRsets signed: %zu signatures made, %zu reused, %zu "
	    "kept; %zu checked", r->rrsets, r->made, r->reused, r->kept,
	    r->checked);
}

/* With -vv, where the time went. */
static void
tell_times(const struct job *j, double write)
{
	const struct zsign_report *r = &j->rep;

	if (j->a.verbose > 1)
		diag_info("seconds: read %.2f, prepare %.2f, chain %.2f, plan "
		    "%.2f, verify %.2f, sign %.2f, place %.2f, check %.2f, "
		    "write %.2f", j->t_read, r->t_prepare, r->t_chain,
		    r->t_plan, r->t_verify, r->t_sign, r->t_place, r->t_check,
		    write);
}

static void
emit(struct job *j)
{
	struct diag d;
	struct out o;

	if (out_open(&o, j->a.outpath, &d) != 0)
		diag_die(&d);
	if (zwrite_zone(o.f, j->z) != 0 && out_fail(&o, &d) != 0)
		diag_die(&d);
	if (out_commit(&o, &d) != 0)
		diag_die(&d);
}

static void
get_args(struct args *a, int argc, char *argv[])
{
	int ch;

	while ((ch = getopt(argc, argv,
	    "3AC:c:E:e:H:i:J:K:k:MmNO:o:P:p:qR:S:s:T:t:vWw:XZ:z:")) != -1) {
		switch (ch) {
		case 'A':
			a->optout = true;
			break;
		case 'X':
			a->no_optout = true;
			break;
		case 'C':
			add_key(a, optarg, ZSIGN_CSK);
			break;
		case 'c':
			a->cds = optarg;
			break;
		case 'E':
			a->key_expiration = optarg;
			break;
		case 'e':
			a->expiration = optarg;
			break;
		case 'H':
			a->iterations = optarg;
			break;
		case 'i':
			a->inception = optarg;
			break;
		case 'J':
			a->jitter = optarg;
			break;
		case 'K':
			add_key(a, optarg, ZSIGN_KSK);
			break;
		case 'k':
			add_key(a, optarg, 0);
			break;
		case 'M':
			a->zonemd = true;
			break;
		case 'm':
			a->timing = true;
			break;
		case 'N':
			a->nsec = true;
			break;
		case '3':
			a->nsec3 = true;
			break;
		case 'o':
			a->outpath = optarg;
			break;
		case 'P':
			a->prevpath = optarg;
			break;
		case 'p':
			a->pin = optarg;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'R':
			a->seed = optarg;
			break;
		case 'w':
			a->refresh = optarg;
			break;
		case 'S':
			a->salt = optarg;
			break;
		case 's':
			a->serial = optarg;
			break;
		case 'T':
			a->threads = optarg;
			break;
		case 't':
			a->now = optarg;
			break;
		case 'v':
			a->verbose++;
			break;
		case 'W':
			a->weak = true;
			break;
		case 'O':
			a->foreign = optarg;
			break;
		case 'Z':
			add_key(a, optarg, ZSIGN_ZSK);
			break;
		case 'z':
			a->origin = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage();
	a->in = argc == 1 ? argv[0] : "-";
	if (a->prevpath != NULL && strcmp(a->prevpath, "-") == 0 &&
	    strcmp(a->in, "-") == 0)
		diag_fatal("-P -: the zone is read from standard input already");
}

int
main(int argc, char *argv[])
{
	struct job j;
	struct prevread prev;
	struct diag d;
	double t;
	size_t k;

	diag_init(argv[0]);
	memset(&j, 0, sizeof(j));
	get_args(&j.a, argc, argv);
	diag_verbose(j.a.verbose);
	if (sodium_init() < 0)
		diag_fatal("libsodium failed to start");
	set_params(&j);
	load_keys(&j);
	j.t_read = seconds();
	start_prev(&j, &prev);
	j.z = read_zone(j.a.in, j.a.origin);
	place_keys(&j);
	check_owners(&j);
	zr_settle_timing(&j);
	zr_note_input(&j);
	settle_denial(&j, &prev);
	zone_remove_if(j.z, is_made_anew, &j);
	edit_apex(&j);
	zr_edit_cds(&j);
	add_zonemd(&j);
	zone_sort(j.z);
	finish_prev(&j, &prev);
	zr_set_serial(&j);
	j.t_read = seconds() - j.t_read;
	if (zsign_run(j.z, j.prev, j.key, j.nsign, &j.p, &j.rep, &d) != 0 ||
	    zonemd_update(j.z, j.key, j.nsign, &d) != 0)
		diag_die(&d);
	if (j.zonemd_algs != 0)
		diag_info("ZONEMD: the digest computed after signing, its RRset "
		    "signed again (RFC 8976 section 3.2)");
	if (j.rep.no_sep && !j.a.quiet)
		diag_warn("no key with the SEP flag signs the DNSKEY RRset: "
		    "dnssec-verify and kzonecheck want one (RFC 6840 section "
		    "6.2 makes the flag a hint)");
	zr_warn_kept_serial(&j);
	tell(&j);
	t = seconds();
	emit(&j);
	tell_times(&j, seconds() - t);
	zsign_report_free(&j.rep);
	zone_free(j.prev);
	zone_free(j.z);
	for (k = 0; k < j.nkeys; k++)
		keyfile_free(j.kf[k]);
	return 0;
}
