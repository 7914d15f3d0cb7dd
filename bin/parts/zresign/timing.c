/*
 * zresign -m: the timing metadata of the key files at -t (lib/keytime.c
 * reads it): which keys are published, which sign, whose CDS goes out,
 * said with -v.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "ds.h"
#include "keyfile.h"
#include "keytime.h"
#include "rrtype.h"
#include "wire.h"
#include "zone.h"
#include "zsign.h"

#include "../../zresign-int.h"

/* YYYYMMDDHHmmSS of a time, in UTC. */
static const char *
time_text(int64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(buf, 15, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

/* The CDS part of tell_timing's line, from offset o of buf: ", CDS
 * since S until D", ", no CDS until S", ", no CDS since D". */
static void
tell_sync(char *buf, size_t size, size_t o, bool sync,
    const struct keytime *kt, int64_t now)
{
	char t[16];

	if (o >= size)
		return;
	if (sync) {
		o += (size_t)snprintf(buf + o, size - o, ", CDS");
		if (o < size && kt->set[KEYTIME_SYNCPUBLISH])
			o += (size_t)snprintf(buf + o, size - o, " since %s",
			    time_text(kt->t[KEYTIME_SYNCPUBLISH], t));
		if (o < size && kt->set[KEYTIME_SYNCDELETE])
			(void)snprintf(buf + o, size - o, " until %s",
			    time_text(kt->t[KEYTIME_SYNCDELETE], t));
	} else if (kt->set[KEYTIME_SYNCPUBLISH] &&
	    now < kt->t[KEYTIME_SYNCPUBLISH])
		(void)snprintf(buf + o, size - o, ", no CDS until %s",
		    time_text(kt->t[KEYTIME_SYNCPUBLISH], t));
	else
		(void)snprintf(buf + o, size - o, ", no CDS since %s",
		    time_text(kt->t[KEYTIME_SYNCDELETE], t));
}

/* What the times of a key say at now, for -v: "published since P
 * until D, signs since A", "not published until P", ... */
static void
tell_timing(const struct job *j, size_t k, const struct keytime *kt)
{
	char buf[512], t[16];
	int64_t now = j->p.now;
	size_t o;

	o = (size_t)snprintf(buf, sizeof(buf), "%s: key %u/%u at %s: ",
	    keyfile_public_path(j->kf[k]), keyfile_tag(j->kf[k]),
	    keyfile_algorithm(j->kf[k]), time_text(now, t));
	if (j->publish[k]) {
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "published");
		if (kt->set[KEYTIME_PUBLISH])
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			    " since %s", time_text(kt->t[KEYTIME_PUBLISH], t));
		if (kt->set[KEYTIME_DELETE])
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			    " until %s", time_text(kt->t[KEYTIME_DELETE], t));
	} else if (kt->set[KEYTIME_PUBLISH] && now < kt->t[KEYTIME_PUBLISH])
		o += (size_t)snprintf(buf + o, sizeof(buf) - o,
		    "not published until %s", time_text(kt->t[KEYTIME_PUBLISH],
		    t));
	else
		o += (size_t)snprintf(buf + o, sizeof(buf) - o,
		    "deleted since %s", time_text(kt->t[KEYTIME_DELETE], t));
	if (j->sign[k]) {
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, ", signs");
		if (kt->set[KEYTIME_ACTIVATE])
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			    " since %s", time_text(kt->t[KEYTIME_ACTIVATE], t));
		if (kt->set[KEYTIME_INACTIVE])
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			    " until %s", time_text(kt->t[KEYTIME_INACTIVE], t));
	} else if (kt->set[KEYTIME_ACTIVATE] &&
	    now < kt->t[KEYTIME_ACTIVATE])
		o += (size_t)snprintf(buf + o, sizeof(buf) - o,
		    ", does not sign until %s",
		    time_text(kt->t[KEYTIME_ACTIVATE], t));
	else if (kt->set[KEYTIME_INACTIVE] && now >= kt->t[KEYTIME_INACTIVE])
		o += (size_t)snprintf(buf + o, sizeof(buf) - o,
		    ", does not sign: inactive since %s",
		    time_text(kt->t[KEYTIME_INACTIVE], t));
	else
		o += (size_t)snprintf(buf + o, sizeof(buf) - o,
		    ", does not sign: not published");
	if (kt->set[KEYTIME_SYNCPUBLISH] || kt->set[KEYTIME_SYNCDELETE])
		tell_sync(buf, sizeof(buf), o, j->sync[k], kt, now);
	diag_info("%s", buf);
}

/*
 * With -m, the timing metadata of each key (keytime.h) at -t: its
 * DNSKEY is published between Publish and Delete, and it signs between
 * Activate and Inactive while published (a signature by a key that is
 * not in the DNSKEY RRset validates nothing).  The keys that sign go
 * first in key[], nsign of them; without -m every key given does both.
 */
void
zr_settle_timing(struct job *j)
{
	struct zsign_key signers[ZSIGN_MAXKEYS];
	struct keytime kt;
	struct diag d;
	size_t k;
	bool active;

	j->nsign = 0;
	for (k = 0; k < j->nkeys; k++) {
		j->publish[k] = j->sign[k] = j->sync[k] = true;
		/* A key named by its PKCS #11 URI alone has no files. */
		if (j->a.timing && strncmp(keyfile_public_path(j->kf[k]),
		    "pkcs11:", 7) != 0) {
			if (keytime_load(keyfile_private_path(j->kf[k]),
			    keyfile_public_path(j->kf[k]), &kt, &d) != 0)
				diag_die(&d);
			j->publish[k] = keytime_published(&kt, j->p.now);
			active = keytime_active(&kt, j->p.now);
			j->sign[k] = active && j->publish[k];
			j->sync[k] = keytime_synced(&kt, j->p.now);
			if (active && !j->publish[k] && !j->a.quiet)
				diag_warn("%s: key %u/%u is active but not "
				    "published at -t: it does not sign",
				    keyfile_public_path(j->kf[k]),
				    keyfile_tag(j->kf[k]),
				    keyfile_algorithm(j->kf[k]));
			tell_timing(j, k, &kt);
		}
		if (j->sign[k])
			signers[j->nsign++] = j->key[k];
	}
	if (j->nsign == 0)
		diag_fatal("no key signs at -t: the timing metadata of every "
		    "key given (-m) says it is not active or not published");
	memcpy(j->key, signers, j->nsign * sizeof(*signers));
}

/* Is this a DNSKEY of ours that is not published, or an RRSIG by a key
 * of ours that does not sign (and by no key that does)? */
bool
zr_is_unpublished(const struct rr *r, void *arg)
{
	const struct job *j = arg;
	struct wire_rrsig sig;
	const uint8_t *rd;
	size_t k, len;
	bool ours = false;

	if (r->type == T_DNSKEY && dname_equal(r->owner, j->z->apex)) {
		for (k = 0; k < j->nkeys; k++) {
			rd = keyfile_rdata(j->kf[k], &len);
			if (!j->publish[k] && len == r->rdlen &&
			    memcmp(rd, r->rdata, len) == 0)
				return true;
		}
		return false;
	}
	/* A malformed RRSIG is left to the signer, which drops it. */
	if (r->type != T_RRSIG || wire_rrsig(&sig, r->rdata, r->rdlen) != 0)
		return false;
	for (k = 0; k < j->nkeys; k++)
		if (keyfile_tag(j->kf[k]) == sig.key_tag &&
		    keyfile_algorithm(j->kf[k]) == sig.algorithm) {
			if (j->sign[k])
				return false;
			ours = true;
		}
	return ours;
}
