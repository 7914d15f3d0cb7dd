/*
 * The report of zcheck-servers: every finding one per line, a summary
 * with -v, or all of it as one JSON object (-j).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "ds.h"
#include "keyring.h"
#include "netaddr.h"
#include "out.h"
#include "probe.h"
#include "referral.h"
#include "report.h"
#include "rrtype.h"
#include "sigverify.h"
#include "zedit.h"
#include "zone.h"
#include "../../zcheck-servers-int.h"

static void
time_text(uint32_t t, int64_t now, char *out, size_t size)
{
	/* The 32-bit time nearest to now (RFC 4034 §3.1.5). */
	int64_t full = now + (int32_t)(t - (uint32_t)now);
	time_t tt = (time_t)full;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(out, size, "%" PRIu32, t);
	else
		strftime(out, size, "%Y%m%d%H%M%S", &tm);
}

/* -v: what each address serves, for the migration at a glance. */
static void
print_summary(struct run *r, FILE *f)
{
	size_t i, k;

	for (i = 0; i < r->naddr; i++) {
		struct addr *a = &r->addr[i];
		if (!r->host[a->host].asked)
			continue;
		if (!a->queried) {
			fprintf(f, "%s: not queried\n", a->where);
			continue;
		}
		fprintf(f, "%s: serial ", a->where);
		if (a->has_serial)
			fprintf(f, "%" PRIu32, a->serial);
		else
			fputs("-", f);
		fputs("; DNSKEY", f);
		for (k = 0; a->keys && k < ldns_rr_list_rr_count(a->keys);
		    k++) {
			ldns_rr *x = ldns_rr_list_rr(a->keys, k);
			fprintf(f, " %u/%u", (unsigned)ldns_calc_keytag(x),
			    (unsigned)ldns_rdf2native_int16(
			    ldns_rr_dnskey_flags(x)));
		}
		fputs("; RRSIG DNSKEY", f);
		for (k = 0; a->keysigs &&
		    k < ldns_rr_list_rr_count(a->keysigs); k++) {
			ldns_rr *x = ldns_rr_list_rr(a->keysigs, k);
			char t[32];
			time_text(ldns_rdf2native_int32(
			    ldns_rr_rrsig_expiration(x)), r->now, t, sizeof(t));
			fprintf(f, " %u until %s",
			    (unsigned)ldns_rdf2native_int16(
			    ldns_rr_rrsig_keytag(x)), t);
		}
		fputs("; NS", f);
		for (k = 0; a->ns && k < ldns_rr_list_rr_count(a->ns); k++) {
			char t[DNAME_MAXTEXT];
			zcs_rdf_text(ldns_rr_rdf(ldns_rr_list_rr(a->ns, k), 0),
			    t);
			fprintf(f, " %s", t);
		}
		fputc('\n', f);
	}
	fprintf(f, "referral: %zu octets minimal, %zu with all glue; network "
	    "diversity is not checked\n", r->ref.minimal, r->ref.full);
}

void
zcs_print_list(struct run *r, FILE *f)
{
	size_t i;

	for (i = 0; i < r->nf; i++)
		fprintf(f, "%s: %s: %s%s (%s)\n", diag_prog(), r->f[i].where,
		    r->f[i].warning ? "warning: " : "", r->f[i].msg,
		    r->f[i].rule);
	if (r->verbose)
		print_summary(r, f);
}

static void
json_addr(struct run *r, FILE *f, struct addr *a)
{
	size_t k;

	fputs("{\"server\":", f);
	report_json_string(f, r->host[a->host].name);
	fputs(",\"address\":", f);
	report_json_string(f, a->text);
	fprintf(f, ",\"class\":\"%s\",\"queried\":%s,\"serial\":",
	    netaddr_class_name(a->cls), a->queried ? "true" : "false");
	if (a->has_serial)
		fprintf(f, "%" PRIu32, a->serial);
	else
		fputs("null", f);
	fputs(",\"keys\":[", f);
	for (k = 0; a->keys && k < ldns_rr_list_rr_count(a->keys); k++) {
		ldns_rr *x = ldns_rr_list_rr(a->keys, k);
		fprintf(f, "%s{\"tag\":%u,\"flags\":%u,\"algorithm\":%u}",
		    k ? "," : "", (unsigned)ldns_calc_keytag(x),
		    (unsigned)ldns_rdf2native_int16(ldns_rr_dnskey_flags(x)),
		    (unsigned)ldns_rdf2native_int8(
		    ldns_rr_dnskey_algorithm(x)));
	}
	fputs("],\"dnskey_rrsigs\":[", f);
	for (k = 0; a->keysigs && k < ldns_rr_list_rr_count(a->keysigs);
	    k++) {
		ldns_rr *x = ldns_rr_list_rr(a->keysigs, k);
		char t[32];
		time_text(ldns_rdf2native_int32(ldns_rr_rrsig_expiration(x)),
		    r->now, t, sizeof(t));
		fprintf(f, "%s{\"tag\":%u,\"expiration\":\"%s\"}", k ? "," : "",
		    (unsigned)ldns_rdf2native_int16(ldns_rr_rrsig_keytag(x)),
		    t);
	}
	fputs("],\"ns\":[", f);
	for (k = 0; a->ns && k < ldns_rr_list_rr_count(a->ns); k++) {
		char t[DNAME_MAXTEXT];
		zcs_rdf_text(ldns_rr_rdf(ldns_rr_list_rr(a->ns, k), 0), t);
		if (k)
			fputc(',', f);
		report_json_string(f, t);
	}
	fputs("]}", f);
}

/* -j: one object, the findings and a summary with every address. */
void
zcs_print_json(struct run *r, FILE *f)
{
	size_t i;

	fputs("{\"zone\":", f);
	report_json_string(f, r->zname);
	fputs(",\"findings\":[", f);
	for (i = 0; i < r->nf; i++) {
		const char *slash = strchr(r->f[i].where, '/');
		fprintf(f, "%s\n{\"check\":%d,\"kind\":\"%s\",\"where\":",
		    i ? "," : "", r->f[i].check, r->f[i].warning ?
		    "warning" : "problem");
		report_json_string(f, r->f[i].where);
		fputs(",\"address\":", f);
		report_json_string(f, slash ? slash + 1 : NULL);
		fputs(",\"message\":", f);
		report_json_string(f, r->f[i].msg);
		fputs(",\"rule\":", f);
		report_json_string(f, r->f[i].rule);
		fputc('}', f);
	}
	fputs("],\n\"summary\":{\"servers\":[", f);
	for (i = 0; i < r->naddr; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_addr(r, f, &r->addr[i]);
	}
	fprintf(f, "],\n\"referral\":{\"minimal\":%zu,\"full\":%zu},"
	    "\"problems\":%zu,\"warnings\":%zu}}\n", r->ref.minimal,
	    r->ref.full, r->problems, r->warnings);
}
