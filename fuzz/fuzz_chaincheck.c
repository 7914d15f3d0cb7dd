/*
 * Fuzz target of zcheck-chain's checks (lib/chaincheck.c, and through
 * it denial.c, sigverify.c, keyring.c, rrsig.c, nsec3.c, crypto.c): the
 * other operator's zone is untrusted text.  The input is read as zone
 * text (origin "example."); when it reads and has an apex, it is checked
 * as the zone served now, a second reading of it as an older version
 * still in caches, and a DS set made from its own DNSKEY records
 * (SHA-256) as the parent's.  The report is then formatted line by line.
 * The oracle is the sanitizers and the check's own consistency: a run
 * that fails for any reason but memory must say why.
 *
 * Signed zones make the seeds (t/data/zresign golden files, the
 * examples' signed zones); their validity window covers the fixed
 * "now" below.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaincheck.h"
#include "diag.h"
#include "ds.h"
#include "fuzz_zone.h"
#include "report.h"
#include "rrtype.h"
#include "zone.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NOW	1797292800	/* 2026-12-15 00:00:00 UTC */

static struct zone *
read_zone(const char *in, size_t size)
{
	struct zone *z;
	struct diag d;

	if ((z = zone_new()) == NULL)
		abort();
	if (zone_read_string(z, "<fuzz>", in, size, "example.", &d) != 0 ||
	    zone_find_apex(z, NULL, &d) != 0) {
		zone_free(z);
		return NULL;
	}
	return z;
}

/* The DS records of the zone's DNSKEYs at its apex, or NULL when it has
 * none that make one. */
static struct zone *
ds_set(const struct zone *z)
{
	uint8_t ds[DS_RDATA_MAX];
	struct zone *dz;
	size_t i, len;

	if ((dz = zone_new()) == NULL)
		abort();
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		if (r->type != T_DNSKEY || !dname_equal(r->owner, z->apex) ||
		    ds_make(r->owner, r->rdata, r->rdlen, 2, ds, &len,
		    NULL) != 0)
			continue;
		if (zone_add(dz, r->owner, T_DS, r->rclass, r->ttl, ds, len,
		    "<ds>", 1) == NULL)
			abort();
	}
	if (dz->n == 0) {
		zone_free(dz);
		return NULL;
	}
	return dz;
}

static void
check(struct zone *now, struct zone *old)
{
	struct chaincheck_opts o;
	struct chaincheck *cc;
	struct zone *dz = ds_set(now);
	struct diag d;
	char line[2048];
	size_t i;

	memset(&o, 0, sizeof(o));
	memset(&d, 0, sizeof(d));
	o.now = NOW;
	o.window = 3600;
	o.size_limit = 1232;
	o.threads = 1;
	if ((cc = chaincheck_new(&o)) == NULL)
		abort();
	if ((dz != NULL && chaincheck_add_ds(cc, "<ds>", dz, &d) != 0) ||
	    chaincheck_add_zone(cc, "<fuzz>", now, true, &d) != 0 ||
	    chaincheck_add_zone(cc, "<old>", old, false, &d) != 0 ||
	    chaincheck_run(cc, &d) != 0) {
		if (d.msg[0] == '\0')
			abort();	/* failed without saying why */
		chaincheck_free(cc);
		return;
	}
	for (i = 0; i < cc->report.n; i++)
		report_line(&cc->report.item[i], line, sizeof(line));
	chaincheck_free(cc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zone *now, *old;
	char *in;

	if (fuzz_has_include(data, size))
		return 0;
	/* A copy of exactly the input's size, so that reading past its end
	 * is caught by the address sanitizer. */
	if ((in = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	diag_init("fuzz_chaincheck");
	if ((now = read_zone(in, size)) != NULL) {
		if ((old = read_zone(in, size)) == NULL)
			abort();	/* the same text read twice */
		check(now, old);
	}
	free(in);
	return 0;
}
