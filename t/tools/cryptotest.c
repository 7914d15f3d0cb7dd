/*
 * cryptotest: a test-only driver of crypto.h and keyfile.h, built by
 * t/0200-ds-from-dnskey-crypto.bats with cc(1) against the library of
 * the build under test.  It reads a zone file holding RRSIGs, the
 * RRsets they cover and the DNSKEYs that made them, and:
 *
 *	cryptotest verify zone		verify every RRSIG with its DNSKEY
 *	cryptotest sign zone key	sign what each RRSIG of the key signs
 *					and compare with the RRSIG's signature
 *	cryptotest threads zone key n	sign and verify from n threads at once
 *	cryptotest ds zone		match every DS with the DNSKEYs of its
 *					owner (ds_matches), and remake it
 *	cryptotest raw zone key msg	sign the octets of msg: once, and
 *					then n times in one batch (n = 1 to
 *					150, crypto_signer); print the
 *					signature in hex, whether every one
 *					made is the same, and whether it
 *					verifies with the DNSKEY
 *
 * The signed data is RFC 4034 §3.1.8.1's: the RRSIG RDATA without the
 * signature, then the RRset in canonical form and order.  Wildcard
 * expansion is not handled; the published examples need none.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "ds.h"
#include "keyfile.h"
#include "rrtext.h"
#include "rrtype.h"
#include "zone.h"

struct job {
	const struct zone	*z;
	size_t			 sig;
	const struct keyfile	*k;
	const struct crypto_pubkey *pk;
	int			 rounds, failed;
};

static size_t
signer_end(const struct rr *s)
{
	return 18 + dname_len(s->rdata + 18);
}

static uint16_t
u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 4034 §3.1.8.1 signed data of RRSIG z->rr[i]; malloc'd. */
static uint8_t *
signed_data(const struct zone *z, size_t i, size_t *len)
{
	const struct rr *s = &z->rr[i], *r;
	size_t n = signer_end(s), j, cap, olen;
	uint16_t covered = u16(s->rdata);
	uint8_t *buf, *p;

	cap = n;
	for (j = 0; j < z->n; j++)
		cap += DNAME_MAXLEN + 10 + z->rr[j].rdlen;
	if ((buf = malloc(cap)) == NULL)
		return NULL;
	memcpy(buf, s->rdata, n);
	p = buf + n;
	for (j = 0; j < z->n; j++) {
		r = &z->rr[j];
		if (r->type != covered || !dname_equal(r->owner, s->owner))
			continue;
		olen = dname_len(r->owner);
		memcpy(p, r->owner, olen);
		p += olen;
		*p++ = (uint8_t)(r->type >> 8);
		*p++ = (uint8_t)r->type;
		*p++ = (uint8_t)(r->rclass >> 8);
		*p++ = (uint8_t)r->rclass;
		memcpy(p, s->rdata + 4, 4);	/* the original TTL */
		p += 4;
		*p++ = (uint8_t)(r->rdlen >> 8);
		*p++ = (uint8_t)r->rdlen;
		memcpy(p, r->rdata, r->rdlen);
		p += r->rdlen;
	}
	*len = (size_t)(p - buf);
	return buf;
}

static const struct rr *
find_key(const struct zone *z, const struct rr *s)
{
	size_t j;

	for (j = 0; j < z->n; j++)
		if (z->rr[j].type == T_DNSKEY &&
		    dnskey_tag(z->rr[j].rdata, z->rr[j].rdlen) ==
		    u16(s->rdata + 16) &&
		    dnskey_algorithm(z->rr[j].rdata) == s->rdata[2] &&
		    dname_equal(z->rr[j].owner, s->rdata + 18))
			return &z->rr[j];
	return NULL;
}

static void
name(const struct rr *s, char *out)
{
	char t[16];

	dname_to_text(s->owner, out);
	strcat(out, " ");
	strcat(out, rrtype_name(u16(s->rdata), t));
}

static int
verify(const struct zone *z)
{
	const struct rr *s, *k;
	struct crypto_pubkey *pk;
	struct diag d;
	char who[DNAME_MAXTEXT + 32];
	uint8_t *data;
	size_t i, len, off;
	int bad = 0, ok;

	for (i = 0; i < z->n; i++) {
		s = &z->rr[i];
		if (s->type != T_RRSIG)
			continue;
		name(s, who);
		if ((k = find_key(z, s)) == NULL) {
			printf("%s %u: no key\n", who, u16(s->rdata + 16));
			bad = 1;
			continue;
		}
		if ((pk = crypto_pubkey_new(dnskey_algorithm(k->rdata),
		    k->rdata + 4, k->rdlen - 4, &d)) == NULL) {
			printf("%s %u: %s\n", who, u16(s->rdata + 16), d.msg);
			bad = 1;
			continue;
		}
		data = signed_data(z, i, &len);
		off = signer_end(s);
		ok = crypto_pubkey_verify(pk, data, len, s->rdata + off,
		    s->rdlen - off);
		/* A changed octet must not verify. */
		data[len - 1] ^= 1;
		if (ok && crypto_pubkey_verify(pk, data, len, s->rdata + off,
		    s->rdlen - off))
			ok = 0;
		printf("%s %u/%u: %s\n", who, u16(s->rdata + 16),
		    s->rdata[2], ok ? "verified" : "BAD");
		bad |= !ok;
		free(data);
		crypto_pubkey_free(pk);
	}
	return bad;
}

static int
sign(const struct zone *z, const struct keyfile *kf)
{
	const struct rr *s;
	struct diag d;
	char who[DNAME_MAXTEXT + 32], b64[2 * CRYPTO_SIG_MAX];
	uint8_t *data, sig[CRYPTO_SIG_MAX];
	size_t i, len, siglen, off, klen;
	const uint8_t *krd = keyfile_rdata(kf, &klen);
	int bad = 0, same, ok;

	for (i = 0; i < z->n; i++) {
		s = &z->rr[i];
		if (s->type != T_RRSIG || u16(s->rdata + 16) !=
		    keyfile_tag(kf) || s->rdata[2] != keyfile_algorithm(kf))
			continue;
		name(s, who);
		data = signed_data(z, i, &len);
		if (crypto_keyfile_sign(kf, data, len, sig, &siglen,
		    &d) != 0) {
			printf("%s: %s\n", who, d.msg);
			free(data);
			bad = 1;
			continue;
		}
		off = signer_end(s);
		same = siglen == s->rdlen - off &&
		    memcmp(sig, s->rdata + off, siglen) == 0;
		ok = crypto_dnskey_verify(keyfile_algorithm(kf), krd + 4,
		    klen - 4, data, len, sig, siglen);
		base64_encode(sig, siglen, b64);
		printf("%s %u/%u: %s %s\n", who, keyfile_tag(kf),
		    keyfile_algorithm(kf), same ? "same" : ok ? "verifies" :
		    "BAD", b64);
		bad |= !ok;
		free(data);
	}
	return bad;
}

/* Each DS against each DNSKEY of its owner: the key that ds_matches()
 * says it names, by number in the zone's order, and whether ds_make()
 * gives the same RDATA for it. */
static int
match_ds(const struct zone *z)
{
	const struct rr *s, *k;
	char who[DNAME_MAXTEXT + 32];
	uint8_t made[DS_RDATA_MAX];
	size_t i, j, len;
	int n, matched, bad = 0;

	for (i = 0; i < z->n; i++) {
		s = &z->rr[i];
		if (s->type != T_DS)
			continue;
		dname_to_text(s->owner, who);
		printf("%s DS %u/%u/%u:", who, u16(s->rdata), s->rdata[2],
		    s->rdata[3]);
		for (j = 0, n = 0, matched = 0; j < z->n; j++) {
			k = &z->rr[j];
			if (k->type != T_DNSKEY || !dname_equal(k->owner,
			    s->owner))
				continue;
			n++;
			if (!ds_matches(s->owner, k->rdata, k->rdlen, s->rdata,
			    s->rdlen)) {
				if (dnskey_tag(k->rdata, k->rdlen) ==
				    u16(s->rdata))
					printf(" same tag, not key %d;", n);
				continue;
			}
			matched++;
			if (ds_make(s->owner, k->rdata, k->rdlen, s->rdata[3],
			    made, &len, NULL) != 0 || len != s->rdlen ||
			    memcmp(made, s->rdata, len) != 0) {
				printf(" ds_make differs for key %d;", n);
				bad = 1;
			}
			printf(" key %d", n);
		}
		if (!matched) {
			printf(" no key");
			bad = 1;
		}
		printf("\n");
	}
	return bad;
}

static void *
work(void *arg)
{
	struct job *j = arg;
	uint8_t *data, sig[CRYPTO_SIG_MAX];
	size_t len, siglen;
	int r;

	data = signed_data(j->z, j->sig, &len);
	for (r = 0; r < j->rounds; r++) {
		data[len - 1] = (uint8_t)r;
		if (crypto_keyfile_sign(j->k, data, len, sig, &siglen,
		    NULL) != 0 || !crypto_pubkey_verify(j->pk, data, len,
		    sig, siglen))
			j->failed++;
	}
	free(data);
	return NULL;
}

static int
threads(const struct zone *z, const struct keyfile *kf, int n)
{
	struct job jobs[16];
	pthread_t t[16];
	struct crypto_pubkey *pk;
	struct diag d;
	size_t i, klen;
	const uint8_t *krd = keyfile_rdata(kf, &klen);
	int k, failed = 0;

	for (i = 0; i < z->n && z->rr[i].type != T_RRSIG; i++)
		;
	if (i == z->n || n < 1 || n > 16)
		return 2;
	if ((pk = crypto_pubkey_new(keyfile_algorithm(kf), krd + 4,
	    klen - 4, &d)) == NULL)
		return 2;
	for (k = 0; k < n; k++) {
		jobs[k] = (struct job){ z, i, kf, pk, 50, 0 };
		pthread_create(&t[k], NULL, work, &jobs[k]);
	}
	for (k = 0; k < n; k++) {
		pthread_join(t[k], NULL);
		failed += jobs[k].failed;
	}
	crypto_pubkey_free(pk);
	printf("%d threads x 50: %d failed\n", n, failed);
	return failed != 0;
}

static int
raw(const struct keyfile *kf, const char *msg)
{
	const uint8_t *m = (const uint8_t *)msg, *krd;
	uint8_t one[CRYPTO_SIG_MAX], many[150][CRYPTO_SIG_MAX];
	struct crypto_signer *sg;
	struct diag d;
	size_t len = strlen(msg), siglen, klen, i, n;
	int same = 1, ok;

	if (crypto_keyfile_sign(kf, m, len, one, &siglen, &d) != 0)
		diag_die(&d);
	/* Batches of every size, each of them run by the adds that fill
	 * it and by the last run. */
	for (n = 1; n <= 150; n += n < 10 ? 1 : 35) {
		if ((sg = crypto_signer_new(kf, &d)) == NULL)
			diag_die(&d);
		memset(many, 0, sizeof(many));
		for (i = 0; i < n; i++)
			if (crypto_signer_add(sg, m, len, many[i]) != 0)
				diag_fatal("crypto_signer_add failed");
		if (crypto_signer_run(sg) != 0)
			diag_fatal("crypto_signer_run failed");
		crypto_signer_free(sg);
		for (i = 0; i < n; i++)
			same &= memcmp(many[i], one, siglen) == 0;
	}
	krd = keyfile_rdata(kf, &klen);
	ok = crypto_dnskey_verify(keyfile_algorithm(kf), krd + 4, klen - 4,
	    m, len, one, siglen);
	for (i = 0; i < siglen; i++)
		printf("%02X", one[i]);
	printf(" %s %s\n", same ? "same" : "DIFFERENT", ok ? "verifies" :
	    "BAD");
	return !(same && ok);
}

int
main(int argc, char *argv[])
{
	struct zone *z;
	struct keyfile *kf = NULL;
	struct diag d;
	int rc;

	diag_init(argv[0]);
	if (argc < 3)
		diag_fatal("usage: cryptotest verify|sign|threads|ds|raw zone "
		    "[key [n|msg]]");
	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_read_file(z, argv[2], NULL, &d) != 0)
		diag_die(&d);
	zone_sort(z);
	if (argc > 3 && (kf = keyfile_load(argv[3], KEYFILE_NEED_PRIVATE,
	    &d)) == NULL)
		diag_die(&d);
	if (strcmp(argv[1], "verify") == 0)
		rc = verify(z);
	else if (strcmp(argv[1], "ds") == 0)
		rc = match_ds(z);
	else if (strcmp(argv[1], "sign") == 0 && kf != NULL)
		rc = sign(z, kf);
	else if (strcmp(argv[1], "threads") == 0 && kf != NULL && argc == 5)
		rc = threads(z, kf, atoi(argv[4]));
	else if (strcmp(argv[1], "raw") == 0 && kf != NULL && argc == 5)
		rc = raw(kf, argv[4]);
	else
		diag_fatal("bad arguments");
	keyfile_free(kf);
	zone_free(z);
	return rc;
}
