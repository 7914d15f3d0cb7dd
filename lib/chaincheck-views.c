/*
 * The views of zcheck-chain: what a validator sees that holds one DS
 * set (RFC 4035 §5.2: a DS that points to a usable key), and one that
 * holds data from one zone and keys from another (each pair of zones).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chaincheck.h"
#include "crypto.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "ds.h"
#include "rrsig.h"
#include "rrtext.h"
#include "rrtype.h"
#include "sigverify.h"
#include "wire.h"
#include "zone.h"
#include "zonemd.h"
#include "chaincheck-int.h"

/* The text of a DS for messages: "tag/alg digest type n"; all 0 for
 * one too short to hold them. */
static void
ds_fields(const struct rr *r, uint16_t *tag, uint8_t *alg, uint8_t *dt)
{
	struct wire_ds v;

	if (wire_ds(&v, r->rdata, r->rdlen) != 0) {
		*tag = 0;
		*alg = 0;
		*dt = 0;
		return;
	}
	*tag = v.key_tag;
	*alg = v.algorithm;
	*dt = v.digest_type;
}

/* Which records of a DS set a validator uses (RFC 4035 §5.2, RFC 6840
 * §5.2: a DS of an unknown algorithm or digest type is skipped; none
 * left makes the zone insecure, not bogus; RFC 4509 §3: SHA-1 DS are
 * ignored when SHA-256 ones are there).  Says so once per set. */
static size_t
usable_ds(struct chaincheck *cc, const struct chaincheck_ds *ds, bool *use)
{
	const struct zone *z = ds->z;
	struct report_where w;
	bool sha256 = false;
	size_t i, n = 0;
	uint16_t tag;
	uint8_t alg, dt;

	for (i = 0; i < z->n; i++) {
		ds_fields(&z->rr[i], &tag, &alg, &dt);
		if (z->rr[i].type == T_DS && dt == DS_SHA256 &&
		    crypto_alg_can_verify(alg))
			sha256 = true;
	}
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		report_at_rr(&w, NULL, z, r);
		use[i] = false;
		if (r->type == T_DNSKEY) {
			alg = r->rdlen > 4 ? dnskey_algorithm(r->rdata) : 0;
			report_key(&w, dnskey_tag(r->rdata, r->rdlen), alg);
			if (crypto_alg_can_verify(alg) && r->rdlen > 4)
				use[i] = true;
			else {
				w.cite = rfc4035_52;
				chaincheck_add(cc, REPORT_WARNING, &w,
				    "trust anchor of "
				    "algorithm %u, which is not supported "
				    "here: ignored", alg);
			}
			n += use[i];
			continue;
		}
		ds_fields(r, &tag, &alg, &dt);
		report_key(&w, tag, alg);
		w.cite = "RFC 6840 section 5.2";
		if (r->rdlen < 4)
			chaincheck_add(cc, REPORT_WARNING, &w,
			    "malformed DS RDATA: " "ignored");
		else if (!crypto_alg_can_verify(alg))
			chaincheck_add(cc, REPORT_WARNING, &w,
			    "DS of algorithm %u, which "
			    "is not supported here: ignored, as a validator "
			    "does", alg);
		else if (!ds_digest_supported(dt))
			chaincheck_add(cc, REPORT_WARNING, &w,
			    "DS of digest type %u, "
			    "which is not supported here: ignored, as a "
			    "validator does", dt);
		else if (dt == DS_SHA1 && sha256) {
			w.cite = "RFC 4509 section 3";
			chaincheck_add(cc, REPORT_WARNING, &w,
			    "SHA-1 DS ignored: the set " "has SHA-256 ones");
		} else
			use[i] = true;
		n += use[i];
	}
	if (n == 0) {
		report_at(&w, NULL, ds->file, 0);
		w.cite = "RFC 4035 section 5.2, RFC 6840 section 5.2";
		chaincheck_add(cc, REPORT_WARNING, &w,
		    "no DS or trust anchor of a "
		    "supported algorithm and digest type: the zone is "
		    "insecure from this DS set, not bogus, and its chain is "
		    "not checked");
	}
	return n;
}

static void
key_list(const struct chaincheck *cc, const uint64_t *set, char *buf,
    size_t len)
{
	size_t k, o = 0;

	buf[0] = '\0';
	for (k = 0; k < cc->ring.n && o + 16 < len; k++)
		if (keyring_set_has(set, k))
			o += (size_t)snprintf(buf + o, len - o, "%s%u/%u",
			    o ? " " : "", cc->ring.key[k].tag,
			    cc->ring.key[k].alg);
}

/* One DS set D against one zone X: does X's DNSKEY RRset validate from
 * D (G2), and is it signed by each algorithm of D (G1)? */
static int
ds_view(struct chaincheck *cc, size_t d, size_t x, const bool *use)
{
	const struct chaincheck_ds *ds = &cc->ds[d];
	const struct zone *dz = ds->z;
	struct chaincheck_zone *zn = &cc->zone[x];
	const struct zone *z = zn->z;
	uint64_t *named;
	long *keyof;
	bool algs[256] = { false }, signed_by[256] = { false };
	struct report_where w;
	char list[512];
	size_t i, k;
	uint16_t tag;
	uint8_t alg, dt;
	int a;

	if ((named = keyring_set_new(&cc->ring)) == NULL ||
	    (keyof = malloc(dz->n * sizeof(*keyof))) == NULL) {
		free(named);
		return -1;
	}
	cc->dskey[d * cc->nzones + x] = keyof;
	for (i = 0; i < dz->n; i++) {
		const struct rr *r = &dz->rr[i];
		keyof[i] = -1;
		if (!use[i])
			continue;
		if (r->type == T_DNSKEY) {
			algs[dnskey_algorithm(r->rdata)] = true;
			keyof[i] = keyring_find_rdata(&cc->ring, r->rdata,
			    r->rdlen);
			if (keyof[i] >= 0 && !keyring_set_has(zn->keys,
			    (size_t)keyof[i]))
				keyof[i] = -1;
		} else {
			ds_fields(r, &tag, &alg, &dt);
			algs[alg] = true;
			for (k = 0; k < cc->ring.n; k++)
				if (keyring_set_has(zn->keys, k) &&
				    (cc->ring.key[k].flags & DNSKEY_F_ZONE) &&
				    ds_matches(z->apex, cc->ring.key[k].rdata,
				    cc->ring.key[k].rdlen, r->rdata,
				    r->rdlen)) {
					keyof[i] = (long)k;
					break;
				}
		}
		if (keyof[i] >= 0) {
			keyring_set_add(named, (size_t)keyof[i]);
			continue;
		}
		report_at_rr(&w, zn->label, dz, r);
		w.owner = z->apex;
		if (r->type == T_DNSKEY)
			report_key(&w, dnskey_tag(r->rdata, r->rdlen),
			    dnskey_algorithm(r->rdata));
		else {
			ds_fields(r, &tag, &alg, &dt);
			report_key(&w, tag, alg);
		}
		w.check = "G2";
		chaincheck_add(cc,
		    cc->opts.ds_strict ? REPORT_PROBLEM : REPORT_WARNING,
		    &w, "%s no key of the DNSKEY RRset%s", r->type == T_DS ?
		    "the digest of this DS matches" : "this trust anchor is",
		    r->type == T_DS ? " (recomputed, not by key tag)" : "");
	}
	for (k = 0; k < cc->ring.n; k++)
		if (keyring_set_has(zn->dnskey_good, k))
			signed_by[cc->ring.key[k].alg] = true;
	report_at(&w, zn->label, ds->file, dz->n ? dz->rr[0].line : 0);
	w.owner = z->apex;
	w.type = T_DNSKEY;
	if (keyring_set_meets(named, zn->dnskey_good, keyring_words(&cc->ring)))
		cc->dsview[d * cc->nzones + x] = CHAINCHECK_VALID;
	else {
		cc->dsview[d * cc->nzones + x] = CHAINCHECK_BOGUS;
		w.check = "G2";
		w.cite = rfc4035_52;
		if (keyring_set_empty(named, keyring_words(&cc->ring)))
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "does not validate from "
			    "this DS set: every DS is lame, none names a key "
			    "of the DNSKEY RRset");
		else {
			key_list(cc, named, list, sizeof(list));
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "does not validate from "
			    "this DS set: no valid signature over it by the "
			    "keys its DS records name (%s)", list);
		}
	}
	w.check = "G1";
	w.cite = rfc4035_22;
	for (a = 0; a < 256; a++)
		if (algs[a] && !signed_by[a])
			chaincheck_add(cc, REPORT_PROBLEM, &w,
			    "not signed by algorithm " "%d of the DS set", a);
	free(named);
	return 0;
}

int
chaincheck_check_ds_views(struct chaincheck *cc)
{
	size_t d, x;
	bool *use;

	for (d = 0; d < cc->nds; d++) {
		const struct zone *dz = cc->ds[d].z;
		size_t i;
		if ((use = malloc(dz->n)) == NULL)
			return -1;
		/* A DS set for another name is bad input, refused before. */
		if (usable_ds(cc, &cc->ds[d], use) == 0) {
			for (x = 0; x < cc->nzones; x++) {
				cc->dsview[d * cc->nzones + x] =
				    CHAINCHECK_INSECURE;
				if ((cc->dskey[d * cc->nzones + x] = malloc(
				    dz->n * sizeof(long))) == NULL) {
					free(use);
					return -1;
				}
				for (i = 0; i < dz->n; i++)
					cc->dskey[d * cc->nzones + x][i] = -1;
			}
			free(use);
			continue;
		}
		for (x = 0; x < cc->nzones; x++)
			if (ds_view(cc, d, x, use) != 0) {
				free(use);
				return -1;
			}
		free(use);
	}
	return 0;
}

/* Zone y against the DNSKEY RRset of zone x (G2): the groups of RRsets
 * that do not validate with it. */
void
chaincheck_check_pair_views(struct chaincheck *cc)
{
	struct report_where w;
	char list[512];
	size_t x, y, i;

	for (x = 0; x < cc->nzones; x++)
		for (y = 0; y < cc->nzones; y++) {
			const struct chaincheck_pair *p =
			    &cc->pair[x * cc->nzones + y];
			const struct zone *z = cc->zone[y].z;
			if (x == y)
				continue;
			for (i = 0; i < p->ncause; i++) {
				const struct chaincheck_cause *q = &p->cause[i];
				report_at_rr(&w, cc->zone[y].label, z,
				    &z->rr[q->first]);
				w.check = "G2";
				w.cite = "RFC 4035 section 5.3";
				key_list(cc, q->keys, list, sizeof(list));
				chaincheck_add(cc, REPORT_PROBLEM, &w,
				    "does not validate "
				    "with the DNSKEY RRset of %s: signed only "
				    "by %s %s, which it lacks (%zu RRset%s "
				    "like this)", cc->zone[x].label,
				    strchr(list, ' ') ? "keys" : "key", list,
				    q->count, q->count > 1 ? "s" : "");
			}
		}
}
