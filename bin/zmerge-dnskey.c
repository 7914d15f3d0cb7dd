/*
 * zmerge-dnskey reads a zone, or standard input, and DNSKEY records
 * from BIND key files (-k) or zone fragments (-f), and merges the keys
 * into the apex DNSKEY RRset with one TTL; with -r it removes them, or
 * the keys named by tag and algorithm (-K).  It writes the zone in
 * canonical form.  These are steps 2a and 10 of the migration
 * (PROCEDURE.md): both operators publish one DNSKEY RRset, each signs
 * it, and each carries the other's signature over it (RFC 6781
 * §4.3.5.1, RFC 8901 §2.1.2).
 *
 * The signatures over the DNSKEY RRset it changes are dropped, for the
 * signer to make again.  A fragment that signs its DNSKEY RRset is an
 * import of the other operator's signatures: its RRset must be the zone's
 * own (after the keys given), or it is refused, since its signatures
 * could not verify there; its keys are never merged.  Removing a key
 * drops the signatures it made.  Every other record passes through
 * untouched.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "keyfile.h"
#include "p11uri.h"
#include "rrtype.h"
#include "wire.h"
#include "zedit.h"
#include "zone.h"
#include "zonemd.h"

#define MAXSRC	64

/* A key file (-k) or a fragment (-f). */
struct source {
	const char	*path;
	bool		 fragment;
	bool		 signs;		/* a fragment with RRSIGs over its keys */
	struct zone	*z;
};

/* A key named by tag and algorithm (-K). */
struct tagalg {
	uint16_t	 tag;
	uint8_t		 alg;
};

/* A record of a source: a key given, or a record to add with the TTL
 * its RRset gets. */
struct ref {
	const struct rr	*rr;
	const char	*file;		/* for its messages */
	uint32_t	 ttl;
};

struct merge {
	struct zone	*z;
	const char	*zname;
	struct source	 src[MAXSRC];
	size_t		 nsrc;
	struct tagalg	 byname[MAXSRC];
	size_t		 nbyname;
	bool		 remove, mixed_ok, force;
	bool		*drop;		/* one per record of z */
	struct ref	*key;		/* the keys of the sources */
	size_t		 nkey;
	size_t		 nsrcrec;	/* records of all sources */
	const struct rr	**set;		/* the DNSKEY RRset after the edit */
	size_t		 nset;
	struct tagalg	*gone;		/* keys removed: their RRSIGs go */
	size_t		 ngone;
	struct ref	*add;
	size_t		 nadd;
	size_t		 ks, ke;	/* the zone's DNSKEY RRset */
	uint32_t	 ttl;
	bool		 ttl_mixed;
	bool		 changed;
};

static void
usage(void)
{
	fprintf(stderr, "usage: zmerge-dnskey [-aFr] [-f file] [-K tag/alg] "
	    "[-k key] [-o file] [-z origin] [file]\n");
	exit(2);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size)) == NULL)
		diag_fatal("out of memory");
	return p;
}

static const char *
name_text(const uint8_t *name, char *buf)
{
	dname_to_text(name, buf);
	return buf;
}

static uint16_t
tag_of(const struct rr *k)
{
	return dnskey_tag(k->rdata, k->rdlen);
}

static uint8_t
alg_of(const struct rr *k)
{
	return dnskey_algorithm(k->rdata);
}

static bool
same_rdata(const struct rr *a, const struct rr *b)
{
	return a->rdlen == b->rdlen && memcmp(a->rdata, b->rdata,
	    a->rdlen) == 0;
}

static bool
in_set(const struct rr *const *set, size_t n, const struct rr *k)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (same_rdata(set[i], k))
			return true;
	return false;
}

/*
 * A key that joins or leaves the apex DNSKEY RRset must be a zone key
 * (RFC 4034 §2.1.1) of protocol 3 (§2.1.2), owned by the apex, of an
 * algorithm a validator knows (RFC 8624 §3.1).
 */
static void
check_key(const struct merge *m, const struct zone *s, const struct rr *r)
{
	char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT];
	uint16_t tag;
	uint8_t alg;

	if (!dname_equal(r->owner, m->z->apex))
		zone_die_rr(s, r, "DNSKEY owner %s is not the zone apex %s",
		    name_text(r->owner, a), name_text(m->z->apex, b));
	if (r->rdlen <= 4)
		zone_die_rr(s, r, "DNSKEY without a public key");
	tag = tag_of(r);
	alg = alg_of(r);
	if (dnskey_protocol(r->rdata) != 3)
		zone_die_rr(s, r, "key %u/%u: protocol %u, not 3 (RFC 4034 "
		    "section 2.1.2)", tag, alg, dnskey_protocol(r->rdata));
	if (!(dnskey_flags(r->rdata) & DNSKEY_F_ZONE))
		zone_die_rr(s, r, "key %u/%u: not a zone key (flags %u; RFC "
		    "4034 section 2.1.1)", tag, alg, dnskey_flags(r->rdata));
	if (!dnskey_alg_supported(alg))
		zone_die_rr(s, r, "key %u/%u: algorithm %u is not supported",
		    tag, alg, alg);
	if (!m->remove && !dnskey_alg_may_sign(alg))
		diag_warn("%s:%u: key %u/%u: algorithm %u (%s) must not be "
		    "used for signing (RFC 8624 section 3.1)",
		    zone_rr_file(s, r), r->line, tag, alg, alg,
		    dnskey_alg_name(alg));
}

/* Does a fragment carry signatures over its apex DNSKEY RRset? */
static bool
signs_dnskey(const struct merge *m, const struct zone *s)
{
	size_t j;

	for (j = 0; j < s->n; j++)
		if (zedit_sig_covers(&s->rr[j], T_DNSKEY) &&
		    dname_equal(s->rr[j].owner, m->z->apex))
			return true;
	return false;
}

/*
 * A key in a token named by its URI (-k): its DNSKEY at the zone's apex
 * with the public key the token gives, the flags of the zone's DNSKEY
 * with that public key when there is one, else 256, and TTL 3600 (the
 * merge gives the RRset one TTL).
 */
static void
token_key(const struct merge *m, struct zone *s, const char *uri)
{
	struct keyfile *k;
	struct diag d;
	struct wire_dnskey a, b;
	const uint8_t *rd;
	uint16_t flags = 256;
	size_t i, len;

	if ((k = keyfile_load(uri, 0, &d)) == NULL)
		diag_die(&d);
	rd = keyfile_rdata(k, &len);
	/* The zone's DNSKEY of this key, whatever its flags: the same
	 * protocol, algorithm and public key (RFC 4034 §2.1). */
	for (i = 0; i < m->z->n; i++)
		if (m->z->rr[i].type == T_DNSKEY &&
		    dname_equal(m->z->rr[i].owner, m->z->apex) &&
		    wire_dnskey(&a, m->z->rr[i].rdata, m->z->rr[i].rdlen) == 0 &&
		    wire_dnskey(&b, rd, len) == 0 && a.protocol == b.protocol &&
		    a.algorithm == b.algorithm && a.key_len == b.key_len &&
		    memcmp(a.key, b.key, a.key_len) == 0)
			flags = a.flags;
	keyfile_place(k, m->z->apex, flags, 3600);
	if (zone_add(s, m->z->apex, T_DNSKEY, m->z->n ? m->z->rr[0].rclass :
	    CLASS_IN, 3600, rd, len, keyfile_public_path(k), 0) == NULL)
		diag_fatal("out of memory");
	keyfile_free(k);
}

/*
 * Read every key file and fragment.  A key file holds DNSKEY records
 * only; of a fragment, which may be a whole zone, the apex DNSKEY
 * records and the RRSIGs over them are used, and the rest ignored.  The
 * keys of a fragment that signs them (an import, when merging) are not
 * merged: they are checked against the zone's RRset (check_imports).
 */
static void
load_sources(struct merge *m)
{
	char a[DNAME_MAXTEXT], t[16];
	struct diag d;
	size_t i, j, n = 0;

	for (i = 0; i < m->nsrc; i++) {
		if ((m->src[i].z = zone_new()) == NULL)
			diag_fatal("out of memory");
		if (!m->src[i].fragment && p11uri_is(m->src[i].path))
			token_key(m, m->src[i].z, m->src[i].path);
		else if (zedit_load_part(m->src[i].z, m->src[i].path, m->z,
		    &d))
			diag_die(&d);
		n += m->src[i].z->n;
	}
	m->nsrcrec = n;
	m->key = xcalloc(n, sizeof(*m->key));
	for (i = 0; i < m->nsrc; i++) {
		const struct zone *s = m->src[i].z;
		size_t nkeys = 0;
		m->src[i].signs = m->src[i].fragment && !m->remove &&
		    signs_dnskey(m, s);
		for (j = 0; j < s->n; j++) {
			const struct rr *r = &s->rr[j];
			if (r->type == T_DNSKEY) {
				check_key(m, s, r);
				nkeys++;
				if (m->src[i].signs)
					continue;
				m->key[m->nkey].rr = r;
				m->key[m->nkey++].file = zone_rr_file(s, r);
			} else if (!m->src[i].fragment)
				zone_die_rr(s, r, "%s %s: a key file holds "
				    "DNSKEY records only", name_text(r->owner, a),
				    rrtype_name(r->type, t));
		}
		if (nkeys == 0) {
			diag_set(&d, zedit_name(m->src[i].path), 0,
			    "no DNSKEY record");
			diag_die(&d);
		}
	}
}

static void
alg_set_text(const bool *set, char *buf, size_t size)
{
	size_t len = 0;
	int alg;

	len += (size_t)snprintf(buf, size, "{");
	for (alg = 0; alg < 256 && len < size; alg++)
		if (set[alg])
			len += (size_t)snprintf(buf + len, size - len, "%s%d %s",
			    len > 1 ? ", " : "", alg,
			    dnskey_alg_name((uint8_t)alg));
	if (len < size)
		snprintf(buf + len, size - len, "}");
}

/*
 * Both operators sign with the same algorithms (RFC 8901 §4): every
 * RRset must be signed with every algorithm of the DNSKEY RRset (RFC
 * 4035 §2.2), which an operator cannot do with the other's keys.
 */
static void
check_algorithms(const struct merge *m)
{
	bool zone[256] = { false }, given[256] = { false };
	char zt[512], gt[512];
	size_t i;

	if (m->ks == m->ke || m->nkey == 0 || m->mixed_ok)
		return;
	for (i = m->ks; i < m->ke; i++)
		zone[alg_of(&m->z->rr[i])] = true;
	for (i = 0; i < m->nkey; i++)
		given[alg_of(m->key[i].rr)] = true;
	if (memcmp(zone, given, sizeof(zone)) == 0)
		return;
	alg_set_text(zone, zt, sizeof(zt));
	alg_set_text(given, gt, sizeof(gt));
	diag_fatal("%s: the zone's algorithms %s differ from the merged keys' "
	    "%s: both operators must sign with the same ones (RFC 8901 "
	    "section 4, RFC 4035 section 2.2); -a merges anyway", m->zname,
	    zt, gt);
}

/* Key tags collide (RFC 4034 Appendix B): validators try every key with
 * the tag, but both operators must know (.ru, 2024). */
static void
warn_collisions(const struct merge *m)
{
	size_t i, j;

	for (i = 0; i < m->nset; i++)
		for (j = i + 1; j < m->nset; j++)
			if (tag_of(m->set[i]) == tag_of(m->set[j]) &&
			    alg_of(m->set[i]) == alg_of(m->set[j]))
				diag_warn("%s: two keys of the DNSKEY RRset "
				    "have the tag %u/%u: validators try both, "
				    "but tell both operators", m->zname,
				    tag_of(m->set[i]), alg_of(m->set[i]));
}

static size_t
count_tag(const struct merge *m, uint16_t tag, uint8_t alg)
{
	size_t i, n = 0;

	for (i = 0; i < m->nset; i++)
		if (tag_of(m->set[i]) == tag && alg_of(m->set[i]) == alg)
			n++;
	return n;
}

static void
mark_dnskey_sigs(struct merge *m)
{
	(void)zedit_mark_sigs(m->z, m->z->apex, T_DNSKEY, m->drop);
}

/*
 * Can a fragment's signature over its DNSKEY RRset verify over the merged
 * one?  Only when the fragment's RRset is the merged RRset, the RRSIG
 * names the apex as signer with its labels, carries the RRset's TTL as
 * original TTL (RFC 4034 §3.1.8.1 signs both), and a key of the RRset
 * made it.
 */
static bool
sig_fits(const struct merge *m, const struct zone *s, const struct rr *r,
    struct wire_rrsig *sig)
{
	const char *why = NULL;

	if (!zedit_sig(r, sig))
		zone_die_rr(s, r, "malformed RRSIG");
	if (!dname_equal(sig->signer, m->z->apex))
		why = "its signer is not the zone apex";
	else if (sig->labels != dname_rrsig_labels(m->z->apex))
		why = "its labels field is not the apex's";
	else if (sig->original_ttl != m->ttl)
		why = "its original TTL is not the DNSKEY TTL";
	else if (count_tag(m, sig->key_tag, sig->algorithm) == 0)
		why = "no key of the merged RRset made it";
	if (why == NULL)
		return true;
	diag_warn("%s:%u: RRSIG DNSKEY by key %u/%u is not carried: %s",
	    zone_rr_file(s, r), r->line, sig->key_tag, sig->algorithm, why);
	return false;
}

/* Is a key among the DNSKEY records of a source? */
static bool
source_has(const struct zone *s, const struct rr *k)
{
	size_t j;

	for (j = 0; j < s->n; j++)
		if (s->rr[j].type == T_DNSKEY && same_rdata(&s->rr[j], k))
			return true;
	return false;
}

/* "5021/13 (flags 257)" appended to buf, comma-separated. */
static void
key_text(char *buf, size_t size, const struct rr *k)
{
	size_t len = strlen(buf);

	if (len + 1 < size)
		snprintf(buf + len, size - len, "%s%u/%u (flags %u)",
		    len > 0 ? ", " : "", tag_of(k), alg_of(k),
		    dnskey_flags(k->rdata));
}

/*
 * An import: a fragment's signatures over its DNSKEY RRset verify only
 * over that same RRset (RFC 4034 section 3.1.8.1), so the RRset must be
 * the zone's own, after the keys given with -k.  One that differs is
 * refused, naming the keys that are in one and not the other: carried
 * into another RRset the signatures would not verify, and dropping them
 * (the old behaviour) left the receiver without the other operator's
 * signature it needs (RFC 6781 section 4.3.5.1); merging the fragment's
 * keys would let the other operator add a key of its choice.
 */
/*
 * The same keys, but the TTL is part of the RRset a signature covers
 * too: its Original TTL is the TTL of the RRset in the zone (RFC 4034
 * section 3.1.4), and a signature whose Original TTL is not the zone's
 * DNSKEY TTL is not one for the zone's RRset (zresign drops it, and
 * validators cap the RRset's TTL with it, RFC 4035 section 5.3.3).  An
 * import of such signatures is refused like one of other keys: left
 * out, they would leave the receiver without the other operator's
 * signature it needs.
 */
static void
check_import_ttl(const struct merge *m, const struct zone *s)
{
	struct wire_rrsig sig;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct rr *r = &s->rr[i];
		if (!zedit_sig_covers(r, T_DNSKEY) ||
		    !dname_equal(r->owner, m->z->apex) || !zedit_sig(r, &sig) ||
		    sig.original_ttl == m->ttl)
			continue;
		zone_die_rr(s, r, "its DNSKEY RRset, which it signs, differs "
		    "from the zone's: its TTL: the signature by key %u/%u has "
		    "original TTL %u, the zone's DNSKEY TTL is %u (RFC 4034 "
		    "section 3.1.4); both operators must publish the DNSKEY "
		    "RRset with one TTL", sig.key_tag, sig.algorithm,
		    sig.original_ttl, m->ttl);
	}
}

static void
check_import(const struct merge *m, const struct zone *s)
{
	char only_frag[2048] = "", only_zone[2048] = "";
	const struct rr *first = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct rr *r = &s->rr[i];
		if (r->type != T_DNSKEY)
			continue;
		if (first == NULL)
			first = r;
		if (!in_set(m->set, m->nset, r))
			key_text(only_frag, sizeof(only_frag), r);
	}
	for (i = 0; i < m->nset; i++)
		if (!source_has(s, m->set[i]))
			key_text(only_zone, sizeof(only_zone), m->set[i]);
	if (only_frag[0] == '\0' && only_zone[0] == '\0') {
		check_import_ttl(m, s);
		return;
	}
	zone_die_rr(s, first, "its DNSKEY RRset, which it signs, differs from "
	    "the zone's: only in the fragment: %s; only in the zone: %s; its "
	    "signatures could not verify over the zone's RRset (RFC 4034 "
	    "section 3.1.8.1): give the keys the zone should have with -k, "
	    "and a fragment of that RRset", only_frag[0] ? only_frag : "none",
	    only_zone[0] ? only_zone : "none");
}

/*
 * Carry one signature in.  Of the signatures one key made over the
 * DNSKEY RRset (kept in the zone, or carried), the one that expires last
 * stays: the other operator's refreshed signature replaces its old one,
 * and an own signature is not replaced by an older copy.  With colliding
 * tags the key that made a signature is not known, and every one stays.
 */
static void
carry_sig(struct merge *m, const struct rr *r, const char *file,
    const struct wire_rrsig *sig)
{
	struct wire_rrsig o;
	size_t i, rs = zone_find(m->z, m->z->apex, T_RRSIG), re;
	bool one = count_tag(m, sig->key_tag, sig->algorithm) == 1;

	for (i = 0; i < m->nadd; i++) {
		const struct rr *a = m->add[i].rr;
		if (a->type != T_RRSIG || !zedit_sig(a, &o))
			continue;
		if (same_rdata(a, r))
			return;
		if (one && o.key_tag == sig->key_tag &&
		    o.algorithm == sig->algorithm) {
			if (zedit_sig_later(sig->expiration, o.expiration)) {
				m->add[i].rr = r;
				m->add[i].file = file;
			}
			return;
		}
	}
	re = rs == m->z->n ? rs : zone_rrset_end(m->z, rs);
	for (i = rs; i < re; i++) {
		const struct rr *z = &m->z->rr[i];
		if (m->drop[i] || !zedit_sig_covers(z, T_DNSKEY) ||
		    !zedit_sig(z, &o))
			continue;
		if (same_rdata(z, r) || (one && o.key_tag == sig->key_tag &&
		    o.algorithm == sig->algorithm &&
		    !zedit_sig_later(sig->expiration, o.expiration)))
			return;
	}
	for (i = rs; i < re && one; i++) {
		const struct rr *z = &m->z->rr[i];
		if (zedit_sig_covers(z, T_DNSKEY) && zedit_sig(z, &o) &&
		    o.key_tag == sig->key_tag && o.algorithm == sig->algorithm)
			m->drop[i] = true;
	}
	m->add[m->nadd].rr = r;
	m->add[m->nadd].file = file;
	m->add[m->nadd++].ttl = m->ttl;
}

/* The exchanged signatures of step 2a (RFC 6781 §4.3.5.1). */
static void
carry_sigs(struct merge *m)
{
	struct wire_rrsig sig;
	size_t i, j;

	for (i = 0; i < m->nsrc; i++) {
		const struct zone *s = m->src[i].z;
		if (!m->src[i].signs)
			continue;
		for (j = 0; j < s->n; j++) {
			const struct rr *r = &s->rr[j];
			if (zedit_sig_covers(r, T_DNSKEY) &&
			    dname_equal(r->owner, m->z->apex) &&
			    sig_fits(m, s, r, &sig))
				carry_sig(m, r, zone_rr_file(s, r), &sig);
		}
	}
}

/* The TTL of the DNSKEY RRset: the zone's, or the lowest of the keys
 * when the zone has none (RFC 2181 §5.2). */
static void
pick_ttl(struct merge *m)
{
	size_t i;

	if (zedit_rrset_ttl(m->z, m->z->apex, T_DNSKEY, &m->ttl,
	    &m->ttl_mixed))
		return;
	m->ttl = UINT32_MAX;
	for (i = 0; i < m->nkey; i++)
		if (m->key[i].rr->ttl < m->ttl)
			m->ttl = m->key[i].rr->ttl;
}

/* Step 2a: the keys join the RRset. */
static void
plan_merge(struct merge *m)
{
	size_t i;

	check_algorithms(m);
	pick_ttl(m);
	for (i = m->ks; i < m->ke; i++)
		m->set[m->nset++] = &m->z->rr[i];
	for (i = 0; i < m->nkey; i++) {
		const struct rr *k = m->key[i].rr;
		if (in_set(m->set, m->nset, k))
			continue;
		if (k->ttl != m->ttl)
			diag_warn("%s:%u: key %u/%u: TTL %u differs from the "
			    "zone's DNSKEY TTL; %u is used (RFC 2181 section "
			    "5.2)", m->key[i].file, k->line, tag_of(k),
			    alg_of(k), k->ttl, m->ttl);
		m->set[m->nset++] = k;
		m->add[m->nadd] = m->key[i];
		m->add[m->nadd++].ttl = m->ttl;
		m->changed = true;
	}
	for (i = 0; i < m->nsrc; i++)
		if (m->src[i].signs)
			check_import(m, m->src[i].z);
	if (m->changed)
		mark_dnskey_sigs(m);
	warn_collisions(m);
	carry_sigs(m);
}

static void
remove_key(struct merge *m, size_t i)
{
	const struct rr *k = &m->z->rr[i];

	if (m->drop[i])
		return;
	m->drop[i] = true;
	m->changed = true;
	m->gone[m->ngone].tag = tag_of(k);
	m->gone[m->ngone++].alg = alg_of(k);
}

static size_t
zone_key(const struct merge *m, const struct rr *k)
{
	size_t i;

	for (i = m->ks; i < m->ke; i++)
		if (same_rdata(&m->z->rr[i], k))
			return i;
	return m->z->n;
}

/* A key named by tag and algorithm: it must name one key of the zone
 * (key tags collide: give such a key by file). */
static void
remove_by_tag(struct merge *m, const struct tagalg *ta)
{
	size_t i, found = m->z->n, n = 0;

	for (i = m->ks; i < m->ke; i++)
		if (tag_of(&m->z->rr[i]) == ta->tag &&
		    alg_of(&m->z->rr[i]) == ta->alg) {
			found = i;
			n++;
		}
	if (n > 1)
		diag_fatal("%s: key %u/%u names %zu keys of the zone (key tags "
		    "collide): give the key by file with -k or -f", m->zname,
		    ta->tag, ta->alg, n);
	if (n == 0) {
		diag_warn("%s: no key %u/%u in the zone", m->zname, ta->tag,
		    ta->alg);
		m->gone[m->ngone++] = *ta;
		return;
	}
	remove_key(m, found);
}

/*
 * A zone left without keys could not validate, and one left without a
 * key with the SEP flag has most likely lost its KSK by mistake (the
 * flag is only a hint, RFC 6840 §6.2, but operators set it on the keys
 * their DS records name).
 */
static void
check_left(const struct merge *m)
{
	size_t i, left = 0, sep_before = 0, sep_after = 0;

	if (m->force)
		return;
	for (i = m->ks; i < m->ke; i++) {
		bool sep = dnskey_flags(m->z->rr[i].rdata) & DNSKEY_F_SEP;
		sep_before += sep;
		if (!m->drop[i]) {
			left++;
			sep_after += sep;
		}
	}
	if (left == 0 && m->ks < m->ke)
		diag_fatal("%s: removing every key of the zone would leave "
		    "its signatures unverifiable; -F removes them anyway",
		    m->zname);
	if (sep_before > 0 && sep_after == 0)
		diag_fatal("%s: no key with the SEP flag would be left (a "
		    "zone without a KSK is a likely mistake); -F removes "
		    "them anyway", m->zname);
}

/*
 * Signatures made by a removed key go with it, wherever they are (step
 * 10 removes "the imported KSK_A signature"), unless a key the zone
 * keeps has the same tag and algorithm and could have made them.
 */
static void
drop_gone_sigs(struct merge *m)
{
	struct wire_rrsig sig;
	size_t i, j;

	for (i = 0; i < m->ngone; i++)
		if (count_tag(m, m->gone[i].tag, m->gone[i].alg) > 0)
			diag_warn("%s: a kept key has the tag %u/%u too: the "
			    "RRSIGs with that tag are kept", m->zname,
			    m->gone[i].tag, m->gone[i].alg);
	for (i = 0; i < m->z->n; i++) {
		const struct rr *r = &m->z->rr[i];
		if (r->type != T_RRSIG || m->drop[i] || !zedit_sig(r, &sig) ||
		    !dname_equal(sig.signer, m->z->apex))
			continue;
		for (j = 0; j < m->ngone; j++)
			if (m->gone[j].tag == sig.key_tag &&
			    m->gone[j].alg == sig.algorithm &&
			    count_tag(m, sig.key_tag, sig.algorithm) == 0)
				m->drop[i] = true;
	}
}

/* Step 10: the keys leave the RRset, and their signatures with them. */
static void
plan_remove(struct merge *m)
{
	size_t i, j;

	m->gone = xcalloc(m->nkey + m->nbyname, sizeof(*m->gone));
	for (i = 0; i < m->nkey; i++) {
		const struct rr *k = m->key[i].rr;
		if ((j = zone_key(m, k)) < m->z->n) {
			remove_key(m, j);
			continue;
		}
		diag_warn("%s:%u: key %u/%u is not in the zone",
		    m->key[i].file, k->line, tag_of(k), alg_of(k));
		m->gone[m->ngone].tag = tag_of(k);
		m->gone[m->ngone++].alg = alg_of(k);
	}
	for (i = 0; i < m->nbyname; i++)
		remove_by_tag(m, &m->byname[i]);
	check_left(m);
	for (i = m->ks; i < m->ke; i++)
		if (!m->drop[i])
			m->set[m->nset++] = &m->z->rr[i];
	if (m->changed)
		mark_dnskey_sigs(m);
	drop_gone_sigs(m);
	(void)zedit_rrset_ttl(m->z, m->z->apex, T_DNSKEY, &m->ttl,
	    &m->ttl_mixed);
}

static void
apply(struct merge *m)
{
	struct zone *z = m->z;
	size_t i, first;

	zedit_remove_marked(z, m->drop);
	first = z->n;
	for (i = 0; i < m->nadd; i++) {
		const struct rr *r = m->add[i].rr;
		if (zone_add(z, r->owner, r->type, r->rclass, m->add[i].ttl,
		    r->rdata, r->rdlen, m->add[i].file, r->line) == NULL)
			diag_fatal("out of memory");
	}
	if (zedit_merge(z, first) != 0)
		diag_fatal("out of memory");
	if (m->changed && m->ttl_mixed) {
		diag_warn("%s: the DNSKEY records have different TTLs; %u is "
		    "used (RFC 2181 section 5.2)", m->zname, m->ttl);
		zedit_set_ttl(z, z->apex, T_DNSKEY, m->ttl);
	}
}

static void
add_source(struct merge *m, const char *path, bool fragment)
{
	if (m->nsrc == MAXSRC)
		diag_fatal("more than %d key files and fragments", MAXSRC);
	m->src[m->nsrc].path = path;
	m->src[m->nsrc++].fragment = fragment;
}

static void
add_tag(struct merge *m, const char *arg)
{
	unsigned long tag, alg;
	char *end;

	tag = strtoul(arg, &end, 10);
	if (end == arg || *end != '/' || tag > 65535)
		diag_fatal("-K %s: tag/algorithm expected, as in 62651/13",
		    arg);
	arg = end + 1;
	alg = strtoul(arg, &end, 10);
	if (end == arg || *end != '\0' || alg > 255)
		diag_fatal("-K %s: tag/algorithm expected, as in 62651/13",
		    arg);
	if (m->nbyname == MAXSRC)
		diag_fatal("more than %d keys named with -K", MAXSRC);
	m->byname[m->nbyname].tag = (uint16_t)tag;
	m->byname[m->nbyname++].alg = (uint8_t)alg;
}

/* Standard input can be read once. */
static void
check_stdin(const struct merge *m, const char *in)
{
	size_t i, n = strcmp(in, "-") == 0;

	for (i = 0; i < m->nsrc; i++)
		n += strcmp(m->src[i].path, "-") == 0;
	if (n > 1)
		diag_fatal("standard input can be read only once");
}

int
main(int argc, char *argv[])
{
	static struct merge m;
	const char *outpath = NULL, *origin = NULL, *in = "-";
	struct diag d;
	size_t i;
	int ch;

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "aFf:K:k:o:rz:")) != -1) {
		switch (ch) {
		case 'a':
			m.mixed_ok = true;
			break;
		case 'F':
			m.force = true;
			break;
		case 'f':
			add_source(&m, optarg, true);
			break;
		case 'K':
			add_tag(&m, optarg);
			break;
		case 'k':
			add_source(&m, optarg, false);
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'r':
			m.remove = true;
			break;
		case 'z':
			origin = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (m.nsrc == 0 && m.nbyname == 0) ||
	    (m.nbyname > 0 && !m.remove))
		usage();
	if (argc == 1)
		in = argv[0];
	check_stdin(&m, in);

	m.zname = zedit_name(in);
	if ((m.z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_load(m.z, in, origin, ZONE_LOAD_SORT, &d) != 0)
		diag_die(&d);
	load_sources(&m);
	m.ks = zone_find(m.z, m.z->apex, T_DNSKEY);
	m.ke = m.ks == m.z->n ? m.ks : zone_rrset_end(m.z, m.ks);
	m.drop = xcalloc(m.z->n, sizeof(*m.drop));
	m.set = xcalloc(m.ke - m.ks + m.nkey, sizeof(*m.set));
	m.add = xcalloc(m.nsrcrec, sizeof(*m.add));
	if (m.remove)
		plan_remove(&m);
	else
		plan_merge(&m);
	apply(&m);
	if (zedit_write(m.z, outpath, &d) != 0)
		diag_die(&d);
	/* RFC 8976 section 3: the digest covers the whole zone. */
	if (zonemd_state(m.z, &d) == ZONEMD_STALE)
		diag_warn("%s: its ZONEMD is stale now, the digest does not "
		    "cover the change: zresign computes it again, zcheck-chain "
		    "fails the zone until then (RFC 8976 section 4)", m.zname);
	free(m.add);
	free(m.set);
	free(m.gone);
	free(m.key);
	free(m.drop);
	for (i = 0; i < m.nsrc; i++)
		zone_free(m.src[i].z);
	zone_free(m.z);
	return 0;
}
