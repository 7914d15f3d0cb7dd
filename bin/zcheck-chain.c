/*
 * zcheck-chain reads the DS sets a validating resolver may hold (-D),
 * the zones it may be served now (operands: each operator's copy) and
 * older versions still in caches (-h), and checks the chain of trust
 * whole: every DNSKEY RRset from every DS set, every RRset and denial
 * proof of every zone with every DNSKEY RRset, every RRSIG verified,
 * the denial chains complete, signature headroom, DNSKEY answer size,
 * and what the operators must agree on (PROCEDURE.md, G1-G10).  It
 * reports every problem, one per line, and exits 0 when all holds, 1
 * when something does not, 2 when it could not check.  -j writes the
 * findings as JSON, -G the chain of trust as a Graphviz picture.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chaincheck.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "ds.h"
#include "keyring.h"
#include "nsec3.h"
#include "out.h"
#include "report.h"
#include "rrtype.h"
#include "wire.h"
#include "workpool.h"
#include "zone.h"

#define DEFAULT_LIMIT	1232	/* octets: RFC 9715, DNS flag day 2020 */

struct args {
	const char	**zones, **old, **ds;
	size_t		 nzones, nold, nds;
	int		 json, dot, quiet, verbose;
};

static void
usage(void)
{
	fprintf(stderr, "usage: zcheck-chain [-AGjquv] [-D dsset] [-h zone] "
	    "[-l octets] [-T threads]\n"
	    "                    [-t time] [-w window] [-x name[/type]] "
	    "[zone ...]\n");
	exit(2);
}

/* A duration as every tool reads one (dnstime_duration: seconds, or
 * minutes, hours, days or weeks with the suffix m, h, d or w), at most
 * 2^31 - 1 seconds: no signature lasts longer (RFC 4034 section 3.1.5);
 * a negative one (a wait already over) counts as none. */
static int
parse_window(const char *s, int64_t *out)
{
	int neg = *s == '-';

	if (dnstime_duration(s + neg, out) != 0 || *out > 2147483647)
		return -1;
	if (neg)
		*out = 0;
	return 0;
}

static int
parse_count(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

static struct zone *
read_zone(const char *path, bool apex)
{
	struct zone *z;
	struct diag d;

	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_load(z, path, NULL, apex ? 0 : ZONE_LOAD_FRAGMENT,
	    &d) != 0 || nsec3_check_iterations(z, &d) != 0) {
		zone_free(z);
		diag_die(&d);
	}
	return z;
}

/* A zone is labelled by its file name, standard input "<stdin>". */
static const char *
label_of(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static void
load(struct chaincheck *cc, const struct args *a)
{
	struct diag d;
	size_t i;

	for (i = 0; i < a->nds; i++)
		if (chaincheck_add_ds(cc, label_of(a->ds[i]),
		    read_zone(a->ds[i], false), &d) != 0)
			diag_die(&d);
	for (i = 0; i < a->nzones; i++)
		if (chaincheck_add_zone(cc, label_of(a->zones[i]),
		    read_zone(a->zones[i], true), true, &d) != 0)
			diag_die(&d);
	for (i = 0; i < a->nold; i++)
		if (chaincheck_add_zone(cc, label_of(a->old[i]),
		    read_zone(a->old[i], true), false, &d) != 0)
			diag_die(&d);
}

/* The human list: the findings, one a line, on standard output. */
static void
print_list(FILE *f, const struct chaincheck *cc)
{
	const struct report *r = &cc->report;
	char line[2048];
	size_t i;

	for (i = 0; i < r->n; i++) {
		report_line(&r->item[i], line, sizeof(line));
		fprintf(f, "%s: %s%s\n", diag_prog(),
		    r->item[i].kind == REPORT_PROBLEM ? "" : "warning: ", line);
	}
}

static void
print_summary(const struct chaincheck *cc)
{
	char t[32];
	size_t i;

	for (i = 0; i < cc->nzones; i++) {
		const struct chaincheck_zone *zn = &cc->zone[i];
		diag_info("%s: serial %" PRIu32 ", %zu records, %zu RRsets "
		    "signed, %zu of %zu RRSIGs valid, earliest expiration %s, "
		    "DNSKEY answer %zu octets", zn->label, zn->serial,
		    zn->z->n, zn->rrsets, zn->sigs_good, zn->sigs,
		    zn->has_earliest ? chaincheck_time(zn->earliest,
		    cc->opts.now, t) : "none", zn->dnskey_answer);
	}
	diag_info("%zu problem%s, %zu warning%s", cc->report.problems,
	    cc->report.problems == 1 ? "" : "s", cc->report.warnings,
	    cc->report.warnings == 1 ? "" : "s");
}

static void
json_key(FILE *f, const struct chaincheck *cc, const struct chaincheck_zone
    *zn, size_t k, int first)
{
	const struct keyring_key *key = &cc->ring.key[k];
	const struct chaincheck_keyuse *u = &zn->use[k];
	char t[32];

	fprintf(f, "%s\n\t\t{\"tag\": %u, \"algorithm\": %u, \"flags\": %u, "
	    "\"in_dnskey\": %s, \"signs_dnskey\": %s, "
	    "\"failing_dnskey_signature\": %s, \"data_signatures\": %zu, "
	    "\"failing_data_signatures\": %zu, \"earliest_expiration\": ",
	    first ? "" : ",", key->tag, key->alg, key->flags,
	    u->in_dnskey ? "true" : "false",
	    u->dnskey_good ? "true" : "false",
	    u->dnskey_bad ? "true" : "false", u->data_good, u->data_bad);
	if (u->has_earliest)
		fprintf(f, "\"%s\"}", chaincheck_time(u->earliest,
		    cc->opts.now, t));
	else
		fputs("null}", f);
}

static void
json_zone(FILE *f, const struct chaincheck *cc, size_t i)
{
	const struct chaincheck_zone *zn = &cc->zone[i];
	const struct denial_info *dn = &zn->denial;
	char t[32], apex[DNAME_MAXTEXT];
	size_t k;
	int first = 1;

	dname_to_text(zn->z->apex, apex);
	fprintf(f, "%s\n\t{\"label\": ", i ? "," : "");
	report_json_string(f, zn->label);
	fprintf(f, ", \"current\": %s, \"apex\": ",
	    zn->current ? "true" : "false");
	report_json_string(f, apex);
	fprintf(f, ", \"serial\": %" PRIu32 ", \"records\": %zu, "
	    "\"rrsets\": %zu, \"signatures\": %zu, \"valid_signatures\": %zu, "
	    "\"earliest_expiration\": ", zn->serial, zn->z->n, zn->rrsets,
	    zn->sigs, zn->sigs_good);
	if (zn->has_earliest)
		fprintf(f, "\"%s\"", chaincheck_time(zn->earliest,
		    cc->opts.now, t));
	else
		fputs("null", f);
	fprintf(f, ", \"dnskey_answer_octets\": %zu,\n\t \"denial\": "
	    "{\"type\": \"%s\", \"records\": %zu, \"names\": %zu, "
	    "\"empty_non_terminals\": %zu, \"opt_out\": %zu", zn->dnskey_answer,
	    dn->mode == DENIAL_NSEC3 ? "NSEC3" : dn->mode == DENIAL_NSEC ?
	    "NSEC" : "none", dn->records, dn->names, dn->ents, dn->optout);
	if (dn->mode == DENIAL_NSEC3 && dn->has_params) {
		fprintf(f, ", \"nsec3param\": \"%u 0 %u ", dn->hash_alg,
		    dn->iterations);
		if (dn->saltlen == 0)
			fputc('-', f);
		for (k = 0; k < dn->saltlen; k++)
			fprintf(f, "%02x", dn->salt[k]);
		fputc('"', f);
	}
	fputs("},\n\t \"keys\": [", f);
	for (k = 0; k < zn->nuse; k++) {
		const struct chaincheck_keyuse *u = &zn->use[k];
		if (!u->in_dnskey && !u->has_earliest)
			continue;
		json_key(f, cc, zn, k, first);
		first = 0;
	}
	fputs("]}", f);
}

static void
json_ds(FILE *f, const struct chaincheck *cc, size_t d)
{
	static const char *view[] = { "valid", "insecure", "bogus" };
	const struct chaincheck_ds *ds = &cc->ds[d];
	const struct zone *z = ds->z;
	size_t i, x;

	fprintf(f, "%s\n\t{\"file\": ", d ? "," : "");
	report_json_string(f, ds->file);
	fputs(", \"records\": [", f);
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		struct wire_ds v;
		if (r->type == T_DS && wire_ds(&v, r->rdata, r->rdlen) == 0)
			fprintf(f, "%s{\"line\": %" PRIu32 ", \"type\": "
			    "\"DS\", \"tag\": %u, \"algorithm\": %u, "
			    "\"digest_type\": %u}", i ? ", " : "", r->line,
			    v.key_tag, v.algorithm, v.digest_type);
		else
			fprintf(f, "%s{\"line\": %" PRIu32 ", \"type\": "
			    "\"%s\", \"tag\": %u, \"algorithm\": %u}",
			    i ? ", " : "", r->line, r->type == T_DS ? "DS" :
			    "DNSKEY", r->type == T_DNSKEY ?
			    dnskey_tag(r->rdata, r->rdlen) : 0,
			    r->type == T_DNSKEY && r->rdlen > 4 ?
			    dnskey_algorithm(r->rdata) : 0);
	}
	fputs("],\n\t \"views\": [", f);
	for (x = 0; x < cc->nzones; x++) {
		fprintf(f, "%s{\"zone\": ", x ? ", " : "");
		report_json_string(f, cc->zone[x].label);
		fprintf(f, ", \"result\": \"%s\"}",
		    view[cc->dsview[d * cc->nzones + x]]);
	}
	fputs("]}", f);
}

static void
json_finding(FILE *f, const struct report_item *it, int first)
{
	char line[2048], tb[16];

	report_line(it, line, sizeof(line));
	fprintf(f, "%s\n\t{\"severity\": \"%s\", \"check\": ", first ? "" :
	    ",", it->kind == REPORT_PROBLEM ? "problem" : "warning");
	report_json_string(f, it->check);
	fputs(", \"cite\": ", f);
	report_json_string(f, it->cite);
	fputs(", \"zone\": ", f);
	report_json_string(f, it->label);
	fputs(", \"file\": ", f);
	report_json_string(f, it->file);
	fprintf(f, ", \"line\": %lu, \"owner\": ", it->line);
	report_json_string(f, it->owner);
	fputs(", \"type\": ", f);
	report_json_string(f, it->type ? rrtype_name(it->type, tb) : NULL);
	fputs(", \"covered\": ", f);
	report_json_string(f, it->covered ? rrtype_name(it->covered, tb) :
	    NULL);
	if (it->has_key)
		fprintf(f, ", \"key\": {\"tag\": %u, \"algorithm\": %u}",
		    it->tag, it->alg);
	else
		fputs(", \"key\": null", f);
	fputs(", \"message\": ", f);
	report_json_string(f, it->text);
	fputs(", \"line_text\": ", f);
	report_json_string(f, line);
	fputc('}', f);
}

static void
write_json(FILE *f, const struct chaincheck *cc)
{
	char t[32];
	size_t i, x, y;

	fprintf(f, "{\"verdict\": \"%s\", \"now\": \"%s\", \"problems\": %zu, "
	    "\"warnings\": %zu,\n\"zones\": [", cc->report.problems ?
	    "invalid" : "valid", chaincheck_time(dnstime_wire(cc->opts.now),
	    cc->opts.now, t), cc->report.problems, cc->report.warnings);
	for (i = 0; i < cc->nzones; i++)
		json_zone(f, cc, i);
	fputs("],\n\"ds_sets\": [", f);
	for (i = 0; i < cc->nds; i++)
		json_ds(f, cc, i);
	fputs("],\n\"views\": [", f);
	for (x = 0; x < cc->nzones; x++)
		for (y = 0; y < cc->nzones; y++) {
			const struct chaincheck_pair *p =
			    &cc->pair[x * cc->nzones + y];
			fprintf(f, "%s\n\t{\"dnskey_of\": ", x + y ? "," : "");
			report_json_string(f, cc->zone[x].label);
			fputs(", \"data_of\": ", f);
			report_json_string(f, cc->zone[y].label);
			fprintf(f, ", \"valid\": %s, \"failing_rrsets\": %zu}",
			    p->fail ? "false" : "true", p->fail);
		}
	fputs("],\n\"findings\": [", f);
	for (i = 0; i < cc->report.n; i++)
		json_finding(f, &cc->report.item[i], i == 0);
	fputs("]}\n", f);
}

/* A DOT string: quotes and backslashes escaped. */
static void
dot_string(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putc('\\', f);
		putc(*s, f);
	}
	putc('"', f);
}

static const char *
role(uint16_t flags)
{
	if (!(flags & DNSKEY_F_ZONE))
		return "key";
	return (flags & DNSKEY_F_SEP) ? "KSK" : "ZSK";
}

static void
dot_zone(FILE *f, const struct chaincheck *cc, size_t x)
{
	const struct chaincheck_zone *zn = &cc->zone[x];
	char buf[512];
	size_t k;

	fprintf(f, "\tsubgraph cluster_z%zu {\n\t\tlabel=", x);
	snprintf(buf, sizeof(buf), "%s%s (serial %" PRIu32 ")", zn->label,
	    zn->current ? "" : ", older version", zn->serial);
	dot_string(f, buf);
	fprintf(f, ";\n\t\tz%zu_dnskey [shape=ellipse, label=\"DNSKEY "
	    "RRset\\n%zu octets\"];\n", x, zn->dnskey_answer);
	for (k = 0; k < zn->nuse; k++) {
		const struct chaincheck_keyuse *u = &zn->use[k];
		const struct keyring_key *key = &cc->ring.key[k];
		if (!u->in_dnskey && !u->has_earliest)
			continue;
		fprintf(f, "\t\tz%zu_k%zu [label=\"%s %u/%u%s\"%s];\n", x, k,
		    role(key->flags), key->tag, key->alg, u->in_dnskey ? "" :
		    "\\nnot in the DNSKEY RRset", u->in_dnskey ? "" :
		    ", style=dashed, color=red");
	}
	fprintf(f, "\t\tz%zu_data [shape=folder, label=\"signed data\\n%zu "
	    "RRsets, %zu bogus\"%s];\n\t}\n", x, zn->rrsets,
	    cc->pair[x * cc->nzones + x].fail,
	    cc->pair[x * cc->nzones + x].fail ? ", color=red" : "");
	for (k = 0; k < zn->nuse; k++) {
		const struct chaincheck_keyuse *u = &zn->use[k];
		if (u->dnskey_good || u->dnskey_bad)
			fprintf(f, "\tz%zu_k%zu -> z%zu_dnskey [%s];\n", x, k,
			    x, u->dnskey_good ? "label=\"signs\"" :
			    "color=red, label=\"signature fails\"");
		if (u->data_good || u->data_bad) {
			if (u->in_dnskey)
				fprintf(f, "\tz%zu_dnskey -> z%zu_k%zu "
				    "[style=dotted, label=\"holds\"];\n", x,
				    x, k);
			fprintf(f, "\tz%zu_k%zu -> z%zu_data [label=\"%zu "
			    "good, %zu failing\"%s];\n", x, k, x, u->data_good,
			    u->data_bad, u->data_bad ? ", color=red" : "");
		}
	}
}

static void
dot_ds(FILE *f, const struct chaincheck *cc, size_t d)
{
	const struct chaincheck_ds *ds = &cc->ds[d];
	const struct zone *z = ds->z;
	char buf[512];
	size_t i, x;

	fprintf(f, "\tsubgraph cluster_d%zu {\n\t\tlabel=", d);
	snprintf(buf, sizeof(buf), "DS set %s", ds->file);
	dot_string(f, buf);
	fputs(";\n", f);
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		struct wire_ds v;
		if (r->type == T_DS && wire_ds(&v, r->rdata, r->rdlen) == 0)
			snprintf(buf, sizeof(buf), "DS %u/%u digest %u",
			    v.key_tag, v.algorithm, v.digest_type);
		else
			snprintf(buf, sizeof(buf), "trust anchor %u/%u",
			    dnskey_tag(r->rdata, r->rdlen), r->rdlen > 4 ?
			    dnskey_algorithm(r->rdata) : 0);
		fprintf(f, "\t\td%zu_r%zu [shape=note, label=\"%s\"];\n", d, i,
		    buf);
	}
	fputs("\t}\n", f);
	for (x = 0; x < cc->nzones; x++) {
		enum chaincheck_view v = cc->dsview[d * cc->nzones + x];
		const long *key = cc->dskey[d * cc->nzones + x];
		for (i = 0; i < z->n; i++) {
			if (key[i] >= 0)
				fprintf(f, "\td%zu_r%zu -> z%zu_k%ld%s;\n", d,
				    i, x, key[i], v == CHAINCHECK_BOGUS ?
				    " [color=red]" : "");
			else if (v != CHAINCHECK_INSECURE)
				fprintf(f, "\td%zu_r%zu -> z%zu_dnskey "
				    "[color=red, style=dashed, label=\"matches "
				    "no key\"];\n", d, i, x);
			else
				fprintf(f, "\td%zu_r%zu -> z%zu_dnskey "
				    "[color=gray, style=dashed, label="
				    "\"insecure\"];\n", d, i, x);
		}
	}
}

static void
write_dot(FILE *f, const struct chaincheck *cc)
{
	size_t d, x, y;

	fputs("digraph \"zcheck-chain\" {\n\trankdir=LR;\n\tnode [shape=box, "
	    "fontname=\"Helvetica\"];\n\tedge [fontname=\"Helvetica\", "
	    "fontsize=10];\n", f);
	for (x = 0; x < cc->nzones; x++)
		dot_zone(f, cc, x);
	for (d = 0; d < cc->nds; d++)
		dot_ds(f, cc, d);
	for (x = 0; x < cc->nzones; x++)
		for (y = 0; y < cc->nzones; y++) {
			const struct chaincheck_pair *p =
			    &cc->pair[x * cc->nzones + y];
			if (x == y)
				continue;
			if (p->fail)
				fprintf(f, "\tz%zu_dnskey -> z%zu_data "
				    "[color=red, label=\"%zu RRsets do not "
				    "validate\"];\n", x, y, p->fail);
			else
				fprintf(f, "\tz%zu_dnskey -> z%zu_data "
				    "[color=gray, style=dashed, label="
				    "\"validates\"];\n", x, y);
		}
	fputs("}\n", f);
}

int
main(int argc, char *argv[])
{
	struct chaincheck_opts o;
	struct chaincheck *cc;
	struct args a;
	struct diag d;
	struct out out;
	unsigned long v;
	int ch, stdin_uses = 0, status;
	size_t i;

	diag_init(argv[0]);
	memset(&a, 0, sizeof(a));
	memset(&o, 0, sizeof(o));
	o.window = -1;
	o.size_limit = DEFAULT_LIMIT;
	o.threads = workpool_cores();
	o.now = (int64_t)time(NULL);
	if ((a.old = calloc((size_t)argc, sizeof(*a.old))) == NULL ||
	    (a.ds = calloc((size_t)argc, sizeof(*a.ds))) == NULL ||
	    (o.exempt = calloc((size_t)argc, sizeof(*o.exempt))) == NULL)
		diag_fatal("out of memory");
	while ((ch = getopt(argc, argv, "AD:Gh:jl:qT:t:uvw:x:")) != -1) {
		switch (ch) {
		case 'A':
			o.apart = true;
			break;
		case 'D':
			a.ds[a.nds++] = optarg;
			break;
		case 'G':
			a.dot = 1;
			break;
		case 'h':
			a.old[a.nold++] = optarg;
			break;
		case 'j':
			a.json = 1;
			break;
		case 'l':
			if (parse_count(optarg, 65535, &v) != 0)
				diag_fatal("-l %s: not a size in octets "
				    "(1 to 65535)", optarg);
			o.size_limit = v;
			o.size_strict = true;
			break;
		case 'q':
			a.quiet = 1;
			break;
		case 'T':
			if (parse_count(optarg, 1024, &v) != 0)
				diag_fatal("-T %s: not a number of threads "
				    "(1 to 1024)", optarg);
			o.threads = (unsigned)v;
			break;
		case 't':
			if (dnstime_arg(optarg, (int64_t)time(NULL), &o.now) != 0)
				diag_fatal("-t %s: not a time (now, "
				    "YYYYMMDDHHmmSS, seconds since the epoch, "
				    "or +/- a duration)", optarg);
			break;
		case 'u':
			o.ds_strict = true;
			break;
		case 'v':
			a.verbose = 1;
			break;
		case 'w':
			if (parse_window(optarg, &o.window) != 0)
				diag_fatal("-w %s: not a duration of at most "
				    "2147483647 seconds (seconds, or a number and "
				    "m, h, d or w)", optarg);
			break;
		case 'x':
			o.exempt[o.nexempt++] = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (a.json && a.dot)
		usage();
	a.zones = (const char **)argv;
	a.nzones = (size_t)argc;
	if (argc == 0) {
		static const char *in[] = { "-" };
		a.zones = in;
		a.nzones = 1;
	}
	for (i = 0; i < a.nzones; i++)
		stdin_uses += strcmp(a.zones[i], "-") == 0;
	for (i = 0; i < a.nold; i++)
		stdin_uses += strcmp(a.old[i], "-") == 0;
	for (i = 0; i < a.nds; i++)
		stdin_uses += strcmp(a.ds[i], "-") == 0;
	if (stdin_uses > 1)
		diag_fatal("standard input can be read only once");
	diag_verbose(a.verbose);

	if ((cc = chaincheck_new(&o)) == NULL)
		diag_fatal("out of memory");
	load(cc, &a);
	if (chaincheck_run(cc, &d) != 0)
		diag_die(&d);
	/* Standard output, committed as any output is (out.h). */
	if (out_open(&out, NULL, &d) != 0)
		diag_die(&d);
	if (a.json)
		write_json(out.f, cc);
	else if (a.dot)
		write_dot(out.f, cc);
	else if (!a.quiet)
		print_list(out.f, cc);
	if (out_commit(&out, &d) != 0)
		diag_die(&d);
	if (a.verbose)
		print_summary(cc);
	status = cc->report.problems > 0 ? 1 : 0;
	chaincheck_free(cc);
	free(a.old);
	free(a.ds);
	free(o.exempt);
	return status;
}
