/*
 * The keys of each zone for zcheck-chain: the apex DNSKEY RRset read
 * into the key ring (lib/keyring.c), which key is whose, and the checks
 * of the keys themselves (RFC 4034 §2, RFC 8624 §3.1).
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

/* The apex records of one type: [*first, return). */
size_t
chaincheck_apex_set(const struct zone *z, uint16_t type, size_t *first)
{
	size_t i = zone_find(z, z->apex, type);

	*first = i;
	return i < z->n ? zone_rrset_end(z, i) : i;
}

/* The key of zone zi's DNSKEY RRset with this tag and algorithm. */
long
chaincheck_own_key(const struct chaincheck *cc,
    const struct chaincheck_zone *zn, uint16_t tag, uint8_t alg)
{
	size_t k;

	for (k = 0; k < cc->ring.n; k++)
		if (keyring_set_has(zn->keys, k) && cc->ring.key[k].tag ==
		    tag && cc->ring.key[k].alg == alg)
			return (long)k;
	return -1;
}

/* The label of the first zone whose DNSKEY RRset has key k. */
const char *
chaincheck_key_home(const struct chaincheck *cc, size_t k)
{
	size_t i;

	for (i = 0; i < cc->nzones; i++)
		if (keyring_set_has(cc->zone[i].keys, k))
			return cc->zone[i].label;
	return "no zone";
}

/* Every apex DNSKEY joins the ring; then each zone's set is made. */
int
chaincheck_build_ring(struct chaincheck *cc)
{
	size_t i, j, e;
	long k;

	for (i = 0; i < cc->nzones; i++) {
		const struct zone *z = cc->zone[i].z;
		for (e = chaincheck_apex_set(z, T_DNSKEY, &j); j < e; j++)
			if (keyring_add(&cc->ring, z->rr[j].rdata,
			    z->rr[j].rdlen) < 0 && z->rr[j].rdlen > 4)
				return -1;
	}
	for (i = 0; i < cc->nzones; i++) {
		struct chaincheck_zone *zn = &cc->zone[i];
		const struct zone *z = zn->z;
		if ((zn->keys = keyring_set_new(&cc->ring)) == NULL ||
		    (zn->dnskey_good = keyring_set_new(&cc->ring)) == NULL ||
		    (zn->use = calloc(cc->ring.n ? cc->ring.n : 1,
		    sizeof(*zn->use))) == NULL)
			return -1;
		zn->nuse = cc->ring.n;
		for (j = 0; j < cc->ring.n; j++)
			zn->use[j].key = j;
		for (e = chaincheck_apex_set(z, T_DNSKEY, &j); j < e; j++)
			if ((k = keyring_find_rdata(&cc->ring, z->rr[j].rdata,
			    z->rr[j].rdlen)) >= 0) {
				keyring_set_add(zn->keys, (size_t)k);
				zn->use[k].in_dnskey = true;
			}
	}
	return 0;
}

/* An RSA key too short to sign with (crypto.h): a warning, since
 * validators accept it. */
static void
weak_key(struct zc *c, struct report_where *w, const struct keyring_key *key)
{
	struct wire_dnskey v;
	unsigned bits = wire_dnskey(&v, key->rdata, key->rdlen) != 0 ? 0 :
	    crypto_rsa_bits(key->alg, v.key, v.key_len);

	if (key->pk == NULL || bits == 0 || bits >= CRYPTO_RSA_MIN_BITS)
		return;
	w->cite = "NIST SP 800-131A";
	chaincheck_add(c->cc, REPORT_WARNING, w,
	    "RSA modulus of %u bits, under %u: too "
	    "weak to sign with", bits, CRYPTO_RSA_MIN_BITS);
}

/* The keys of the apex DNSKEY RRset: what cannot be used, and the
 * algorithms every RRset must be signed with (RFC 4035 §2.2). */
void
chaincheck_check_keys(struct zc *c)
{
	const struct zone *z = c->z;
	struct report_where w;
	size_t j, e;
	long k;

	e = chaincheck_apex_set(z, T_DNSKEY, &j);
	if (j == e) {
		report_at(&w, c->zn->label, c->zn->label, 0);
		w.owner = z->apex;
		w.type = T_DNSKEY;
		w.cite = "RFC 4035 section 2.1";
		chaincheck_add(c->cc, REPORT_PROBLEM, &w,
		    "no DNSKEY RRset at the apex: " "the zone is not signed");
		return;
	}
	for (; j < e; j++) {
		const struct rr *r = &z->rr[j];
		const struct keyring_key *key;

		report_at_rr(&w, c->zn->label, z, r);
		if (r->rdlen <= 4 || (k = keyring_find_rdata(&c->cc->ring,
		    r->rdata, r->rdlen)) < 0) {
			w.cite = "RFC 4034 section 2.1";
			chaincheck_add(c->cc, REPORT_PROBLEM, &w,
			    "malformed DNSKEY RDATA");
			continue;
		}
		key = &c->cc->ring.key[k];
		report_key(&w, key->tag, key->alg);
		if (key->protocol != 3) {
			w.cite = "RFC 4034 section 2.1.2";
			chaincheck_add(c->cc, REPORT_PROBLEM, &w, "%s",
			    key->why);
		} else if (!crypto_alg_can_verify(key->alg)) {
			w.cite = "RFC 6840 section 5.2";
			chaincheck_add(c->cc, REPORT_WARNING, &w,
			    "algorithm %u is not "
			    "supported here: signatures by this key are not "
			    "verified", key->alg);
		} else if (key->pk == NULL) {
			w.cite = "RFC 4034 section 2.1.4";
			chaincheck_add(c->cc, REPORT_PROBLEM, &w,
			    "unusable public key: %s", key->why);
		} else if (key->flags & DNSKEY_F_ZONE) {
			c->need[key->alg] = true;
			c->any = true;
		}
		weak_key(c, &w, key);
	}
}
