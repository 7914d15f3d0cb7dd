/*
 * See chaincheck.h.  The interface and the run: zones and DS sets
 * added, -x parsed, every check run in order, findings added to the
 * report.  The checks themselves are in lib/chaincheck-keys.c,
 * lib/chaincheck-sigs.c, lib/chaincheck-zone.c, lib/chaincheck-views.c
 * and lib/chaincheck-cross.c, their shared pieces in
 * lib/chaincheck-int.h.
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
#include "zone.h"
#include "zonemd.h"
#include "chaincheck-int.h"

void chaincheck_add(struct chaincheck *, enum report_kind,
    const struct report_where *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

void
chaincheck_add(struct chaincheck *cc, enum report_kind kind,
    const struct report_where *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vadd(&cc->report, kind, w, fmt, ap);
	va_end(ap);
}

/*
 * A signature time as YYYYMMDDHHmmSS (RFC 4034 §3.2).  The 32-bit value
 * is taken as the time nearest to now that it can stand for (RFC 1982),
 * so that times after 2106 print right.  buf needs 32 octets.
 */
const char *
chaincheck_time(uint32_t t, int64_t now, char *buf)
{
	int64_t v = now + (int32_t)(t - dnstime_wire(now));
	time_t tt = (time_t)v;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, 32, "%u", t);
	else
		snprintf(buf, 32, "%04d%02d%02d%02d%02d%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	return buf;
}

bool
chaincheck_earlier(uint32_t a, uint32_t b)
{
	return serial_cmp(a, b) == -1;
}

struct chaincheck *
chaincheck_new(const struct chaincheck_opts *o)
{
	struct chaincheck *cc;

	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		return NULL;
	cc->opts = *o;
	if (cc->opts.threads < 1)
		cc->opts.threads = 1;
	keyring_init(&cc->ring);
	report_init(&cc->report);
	return cc;
}

void
chaincheck_free(struct chaincheck *cc)
{
	size_t i, k;

	if (cc == NULL)
		return;
	for (i = 0; i < cc->nzones; i++) {
		struct chaincheck_zone *zn = &cc->zone[i];
		free(zn->where);
		free(zn->keys);
		free(zn->dnskey_good);
		free(zn->use);
	}
	if (cc->pair != NULL)
		for (i = 0; i < cc->nzones * cc->nzones; i++) {
			for (k = 0; k < cc->pair[i].ncause; k++)
				free(cc->pair[i].cause[k].keys);
			free(cc->pair[i].cause);
		}
	free(cc->pair);
	if (cc->dskey != NULL)
		for (i = 0; i < cc->nds * cc->nzones; i++)
			free(cc->dskey[i]);
	free(cc->dskey);
	free(cc->dsview);
	keyring_free(&cc->ring);
	for (i = 0; i < cc->nzones; i++)
		zone_free(cc->zone[i].z);
	for (i = 0; i < cc->nds; i++)
		zone_free(cc->ds[i].z);
	free(cc->zone);
	free(cc->ds);
	free(cc->exempt);
	free(cc->exempt_type);
	report_free(&cc->report);
	free(cc);
}

/*
 * A DS set: DS records, or DNSKEY records taken as trust anchors, at the
 * zone's apex (checked by chaincheck_run()).  The check owns z from now
 * on, also on failure.
 */
int
chaincheck_add_ds(struct chaincheck *cc, const char *file, struct zone *z,
    struct diag *d)
{
	struct chaincheck_ds *p;
	char tb[16];
	size_t i;

	for (i = 0; i < z->n; i++)
		if (z->rr[i].type != T_DS && z->rr[i].type != T_DNSKEY) {
			diag_set(d, zone_rr_file(z, &z->rr[i]), z->rr[i].line,
			    "%s record in a DS set: only DS and DNSKEY "
			    "records belong there", rrtype_name(z->rr[i].type,
			    tb));
			zone_free(z);
			return -1;
		}
	if (z->n == 0) {
		diag_set(d, file, 0, "no DS or DNSKEY records");
		zone_free(z);
		return -1;
	}
	if ((p = realloc(cc->ds, (cc->nds + 1) * sizeof(*p))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		zone_free(z);
		return -1;
	}
	cc->ds = p;
	zone_sort(z);
	cc->ds[cc->nds].file = file;
	cc->ds[cc->nds].z = z;
	cc->nds++;
	return 0;
}

/*
 * A zone, sorted, its apex known: one served now (current), or an older
 * version still in caches.  All zones must have one apex.  The check
 * owns z from now on, also on failure.
 */
int
chaincheck_add_zone(struct chaincheck *cc, const char *label, struct zone *z,
    bool current, struct diag *d)
{
	struct chaincheck_zone *p;
	char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT];

	if (cc->nzones > 0 && !dname_equal(z->apex, cc->zone[0].z->apex)) {
		dname_to_text(z->apex, a);
		dname_to_text(cc->zone[0].z->apex, b);
		diag_set(d, label, 0, "apex %s differs from %s's apex %s", a,
		    cc->zone[0].label, b);
		zone_free(z);
		return -1;
	}
	if ((p = realloc(cc->zone, (cc->nzones + 1) * sizeof(*p))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		zone_free(z);
		return -1;
	}
	cc->zone = p;
	p = &cc->zone[cc->nzones++];
	memset(p, 0, sizeof(*p));
	p->label = label;
	p->z = z;
	p->current = current;
	zone_sort(z);
	return 0;
}

/* The exemptions from G4, "name" or "name/TYPE", names relative to the
 * apex unless they end in a dot. */
static int
parse_exempt(struct chaincheck *cc, struct diag *d)
{
	char buf[DNAME_MAXTEXT + 32], *slash;
	size_t i, n = cc->opts.nexempt;
	int t;

	if (n == 0)
		return 0;
	if ((cc->exempt = calloc(n, sizeof(*cc->exempt))) == NULL ||
	    (cc->exempt_type = calloc(n, sizeof(*cc->exempt_type))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *arg = cc->opts.exempt[i];
		int len = 0;

		/* Longer than buf is over 255 octets, even all as \DDD. */
		if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
			len = DNAME_TOOLONG;
		else if ((slash = strrchr(buf, '/')) != NULL) {
			*slash = '\0';
			if ((t = rrtype_from_name(slash + 1)) <= 0) {
				diag_set(d, NULL, 0, "-x %s: no type %s",
				    arg, slash + 1);
				return -1;
			}
			cc->exempt_type[i] = (uint16_t)t;
		}
		if (len == 0 && buf[0] != '\0')
			len = dname_from_text(buf, cc->zone[0].z->apex,
			    cc->exempt[i]);
		if (len == DNAME_TOOLONG) {
			diag_set(d, NULL, 0, "-x %.300s%s: name too long (over "
			    "255 octets, RFC 1035 section 2.3.4)", arg,
			    strlen(arg) > 300 ? "..." : "");
			return -1;
		}
		if (len <= 0) {
			diag_set(d, NULL, 0, "-x %.300s%s: not a domain name",
			    arg, strlen(arg) > 300 ? "..." : "");
			return -1;
		}
		dname_lower(cc->exempt[i]);
	}
	return 0;
}

/*
 * Run every check.  Returns 0 (the findings are in cc->report), or -1
 * and a diagnostic when the job cannot be done: DS sets for another
 * name, a bad -x, or memory short.
 */
int
chaincheck_run(struct chaincheck *cc, struct diag *d)
{
	size_t i, j;
	char a[DNAME_MAXTEXT], b[DNAME_MAXTEXT];

	if (cc->nzones == 0) {
		diag_set(d, NULL, 0, "no zone to check");
		return -1;
	}
	for (i = 0; i < cc->nds; i++) {
		const struct zone *z = cc->ds[i].z;
		for (j = 0; j < z->n; j++)
			if (!dname_equal(z->rr[j].owner, cc->zone[0].z->apex)) {
				dname_to_text(z->rr[j].owner, a);
				dname_to_text(cc->zone[0].z->apex, b);
				diag_set(d, zone_rr_file(z, &z->rr[j]),
				    z->rr[j].line, "%s record for %s, but the "
				    "zone is %s", z->rr[j].type == T_DS ? "DS" :
				    "DNSKEY", a, b);
				return -1;
			}
	}
	if (parse_exempt(cc, d) != 0)
		return -1;
	if (chaincheck_build_ring(cc) != 0 ||
	    (cc->pair = calloc(cc->nzones * cc->nzones,
	    sizeof(*cc->pair))) == NULL ||
	    (cc->dsview = calloc(cc->nds + 1, cc->nzones *
	    sizeof(*cc->dsview))) == NULL ||
	    (cc->dskey = calloc(cc->nds + 1, cc->nzones *
	    sizeof(*cc->dskey))) == NULL)
		goto oom;
	for (i = 0; i < cc->nzones; i++)
		if (chaincheck_check_zone(cc, i) != 0)
			goto oom;
	if (chaincheck_check_ds_views(cc) != 0)
		goto oom;
	chaincheck_check_pair_views(cc);
	if (chaincheck_check_cross(cc) != 0 || cc->report.failed)
		goto oom;
	return 0;
oom:
	diag_set(d, NULL, 0, "out of memory");
	return -1;
}
