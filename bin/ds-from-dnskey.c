/*
 * ds-from-dnskey reads DNSKEY records from zone files, from BIND key
 * files or from standard input, and writes the DS records (or, with -C,
 * the CDS records) a parent zone would publish for them: SHA-256 by
 * default, SHA-384 or SHA-1 on request, in canonical order and
 * berokit's one presentation format.  By default only secure entry
 * points (flags 257) are taken; keys that are not zone keys never are
 * (RFC 4034 §2.1.1), and revoked keys are skipped (RFC 5011 §3).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "ds.h"
#include "keyfile.h"
#include "out.h"
#include "p11uri.h"
#include "rrtype.h"
#include "wire.h"
#include "zone.h"
#include "zwrite.h"

struct opts {
	uint8_t		 digest[3];
	int		 ndigest;
	int		 all;		/* -a: every zone key, not only SEP */
	int		 cds;		/* -C: CDS rather than DS */
	int		 quiet;
	long		 ttl;		/* -L, or -1 for the DNSKEY's TTL */
	const char	*origin;	/* -z */
};

/* Where a DNSKEY came from, for messages. */
struct source {
	const char	*file;
	unsigned long	 line;
	int		 named;		/* a key file the user named */
};

static void
usage(void)
{
	fprintf(stderr, "usage: ds-from-dnskey [-124aCqv] [-o file] "
	    "[-L ttl] [-z origin] [-k key]\n"
	    "                      [file | key ...]\n");
	exit(2);
}

/* A key operand: a .key or .private path, a base name
 * K<name>+<alg>+<tag> as dnssec-keygen and ldns-keygen write them, or
 * a PKCS #11 URI (RFC 7512) of a key in a token. */
static int
is_key_name(const char *arg)
{
	const char *b = strrchr(arg, '/'), *p;
	size_t n = strlen(arg);
	int i;

	if (p11uri_is(arg))
		return 1;
	b = b != NULL ? b + 1 : arg;
	if ((n > 4 && strcmp(arg + n - 4, ".key") == 0) ||
	    (n > 8 && strcmp(arg + n - 8, ".private") == 0))
		return 1;
	if (b[0] != 'K' || (n = strlen(b)) < 12)
		return 0;
	p = b + n - 10;
	if (p[0] != '+' || p[4] != '+')
		return 0;
	for (i = 1; i < 10; i++)
		if (i != 4 && (p[i] < '0' || p[i] > '9'))
			return 0;
	return 1;
}

static long
parse_ttl(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	/* RFC 2181 §8: a TTL is an unsigned 31-bit number. */
	if (errno != 0 || end == s || *end != '\0' || v < 0 ||
	    v > 0x7fffffffL)
		diag_fatal("bad TTL \"%s\"", s);
	return v;
}

/* " (NAME)" for a known algorithm, "" for one without a name. */
static const char *
alg_label(uint8_t alg)
{
	static char buf[40];
	const char *name = dnskey_alg_name(alg);

	if (strcmp(name, "unknown") == 0)
		return "";
	snprintf(buf, sizeof(buf), " (%s)", name);
	return buf;
}

/*
 * Whether a DNSKEY yields DS records.  A key from a zone file that does
 * not qualify is skipped; a key the user named must never vanish, so for
 * it every reason to skip is an error.
 */
static int
qualifies(const uint8_t *rd, size_t n, const struct source *src,
    const struct opts *o)
{
	struct diag d;
	struct wire_dnskey v;
	uint16_t flags = dnskey_flags(rd), tag = dnskey_tag(rd, n);
	uint8_t alg = dnskey_algorithm(rd);
	const char *why = NULL;
	struct crypto_pubkey *pk;
	char msg[sizeof(d.msg)];

	if (!dnskey_rdata_ok(rd, n) || wire_dnskey(&v, rd, n) != 0) {
		diag_set(&d, src->file, src->line, "key %u: malformed DNSKEY "
		    "(RFC 4034 section 2.1.2: protocol must be 3)", tag);
		diag_die(&d);
	}
	if (!(flags & DNSKEY_F_ZONE))
		why = "not a zone key (RFC 4034 section 2.1.1)";
	else if (flags & DNSKEY_F_REVOKE)
		why = "revoked (RFC 5011 section 3)";
	else if (!(flags & DNSKEY_F_SEP) && !o->all)
		why = "not a secure entry point (flags 256; -a takes it)";
	if (why != NULL && src->named) {
		diag_set(&d, src->file, src->line, "key %u/%u: %s", tag, alg,
		    why);
		diag_die(&d);
	}
	if (why != NULL) {
		if ((flags & DNSKEY_F_REVOKE) && (flags & DNSKEY_F_ZONE) &&
		    !o->quiet)
			diag_warn("%s:%lu: key %u/%u skipped: %s", src->file,
			    src->line, tag, alg, why);
		else
			diag_info("%s:%lu: key %u/%u skipped: %s", src->file,
			    src->line, tag, alg, why);
		return 0;
	}
	/* A DS for a key no validator can use would make the delegation
	 * insecure, or bogus, rather than signed (RFC 4035 §5.2). */
	if (!crypto_alg_can_verify(alg)) {
		diag_set(&d, src->file, src->line, "key %u: unsupported "
		    "algorithm %u%s", tag, alg, alg_label(alg));
		diag_die(&d);
	}
	/* Nor is a DS for a key that cannot be parsed of any use. */
	if ((pk = crypto_pubkey_new(alg, v.key, v.key_len, &d)) == NULL) {
		snprintf(msg, sizeof(msg), "%s", d.msg);
		diag_set(&d, src->file, src->line, "key %u: %s", tag, msg);
		diag_die(&d);
	}
	crypto_pubkey_free(pk);
	return 1;
}

static void
add_ds(struct zone *out, const uint8_t *owner, uint16_t rclass,
    uint32_t ttl, const uint8_t *rd, size_t n, const struct source *src,
    const struct opts *o)
{
	uint8_t ds[DS_RDATA_MAX];
	struct diag d;
	size_t len;
	int i;

	if (!qualifies(rd, n, src, o))
		return;
	if (o->ttl >= 0)
		ttl = (uint32_t)o->ttl;
	for (i = 0; i < o->ndigest; i++) {
		if (ds_make(owner, rd, n, o->digest[i], ds, &len, &d) != 0) {
			diag_set(&d, src->file, src->line, "%s", d.msg);
			diag_die(&d);
		}
		if (zone_add(out, owner, o->cds ? T_CDS : T_DS, rclass, ttl,
		    ds, len, src->file, (uint32_t)src->line) == NULL)
			diag_fatal("out of memory");
	}
	diag_info("%s:%lu: key %u/%u", src->file, src->line,
	    dnskey_tag(rd, n), dnskey_algorithm(rd));
}

static void
load_zone(struct zone *out, const char *path, const struct opts *o)
{
	uint8_t apex[DNAME_MAXLEN];
	struct source src = { NULL, 0, 0 };
	struct zone *z;
	struct diag d;
	size_t i;
	int rc;

	if (o->origin != NULL && (rc = dname_from_text(o->origin, NULL,
	    apex)) < 0)
		diag_fatal(rc == DNAME_TOOLONG ? "-z %.300s%s: name too long "
		    "(over 255 octets, RFC 1035 section 2.3.4)" :
		    "bad origin \"%.300s%s\"", o->origin,
		    strlen(o->origin) > 300 ? "..." : "");
	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_read_file(z, path, o->origin, &d) != 0)
		diag_die(&d);
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];

		if (r->type != T_DNSKEY)
			continue;
		src.file = zone_rr_file(z, r);
		src.line = r->line;
		if (o->origin != NULL && !dname_equal(r->owner, apex)) {
			diag_info("%s:%lu: DNSKEY not at the origin, skipped",
			    src.file, src.line);
			continue;
		}
		add_ds(out, r->owner, r->rclass, r->ttl, r->rdata, r->rdlen,
		    &src, o);
	}
	zone_free(z);
}

/*
 * A key pair: when the .private file is there it must match.  A key in
 * a token named by its URI has only its public key there: it is taken
 * as a secure entry point (flags 257) of the zone -z names, TTL 3600.
 */
static void
load_key(struct zone *out, const char *name, const struct opts *o)
{
	struct keyfile *k;
	struct source src;
	struct diag d;
	const uint8_t *rd;
	uint8_t owner[DNAME_MAXLEN];
	size_t n;

	if ((k = keyfile_load(name, KEYFILE_SEP, &d)) == NULL)
		diag_die(&d);
	if (keyfile_unplaced(k)) {
		if (o->origin == NULL || dname_from_text(o->origin, NULL,
		    owner) < 0)
			diag_fatal("%s: a key named by its URI has no owner "
			    "name: give the zone with -z", keyfile_public_path(k));
		keyfile_place(k, owner, 257, 3600);
	}
	src.file = keyfile_public_path(k);
	src.line = keyfile_line(k);
	src.named = 1;
	rd = keyfile_rdata(k, &n);
	add_ds(out, keyfile_owner(k), CLASS_IN, keyfile_ttl(k), rd, n, &src,
	    o);
	keyfile_free(k);
}

/* RFC 2181 §5.2: the TTLs of an RRset should be equal. */
static void
check_ttls(const struct zone *z, const struct opts *o)
{
	char name[DNAME_MAXTEXT];
	size_t i;

	for (i = 1; i < z->n && !o->quiet; i++)
		if (rr_same_set(&z->rr[i - 1], &z->rr[i]) &&
		    z->rr[i - 1].ttl != z->rr[i].ttl) {
			dname_to_text(z->rr[i].owner, name);
			diag_warn("%s %s RRset has TTLs %u and %u "
			    "(RFC 2181 section 5.2): -L sets one", name,
			    o->cds ? "CDS" : "DS", z->rr[i - 1].ttl,
			    z->rr[i].ttl);
			return;
		}
}

static void
add_digest(struct opts *o, uint8_t type)
{
	int i;

	for (i = 0; i < o->ndigest; i++)
		if (o->digest[i] == type)
			return;
	o->digest[o->ndigest++] = type;
}

int
main(int argc, char *argv[])
{
	struct opts o = { { 0 }, 0, 0, 0, 0, -1, NULL };
	const char *outpath = NULL, **keys;
	struct zone *out;
	struct diag d;
	struct out w;
	int ch, i, nkeys = 0, sha1 = 0;

	diag_init(argv[0]);
	if ((keys = calloc((size_t)argc, sizeof(*keys))) == NULL)
		diag_fatal("out of memory");
	while ((ch = getopt(argc, argv, "124aCk:L:o:qvz:")) != -1) {
		switch (ch) {
		case '1':
			sha1 = 1;
			add_digest(&o, DS_SHA1);
			break;
		case '2':
			add_digest(&o, DS_SHA256);
			break;
		case '4':
			add_digest(&o, DS_SHA384);
			break;
		case 'a':
			o.all = 1;
			break;
		case 'C':
			o.cds = 1;
			break;
		case 'k':
			keys[nkeys++] = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'L':
			o.ttl = parse_ttl(optarg);
			break;
		case 'v':
			diag_verbose(1);
			break;
		case 'z':
			o.origin = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (o.ndigest == 0)
		add_digest(&o, DS_SHA256);
	/* RFC 8624 §3.3: SHA-1 MUST NOT be used to make DS records. */
	if (sha1 && !o.quiet)
		diag_warn("SHA-1 DS records must not be published "
		    "(RFC 8624 section 3.3)");

	if ((out = zone_new()) == NULL)
		diag_fatal("out of memory");
	for (i = 0; i < nkeys; i++)
		load_key(out, keys[i], &o);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0 && is_key_name(argv[i]))
			load_key(out, argv[i], &o);
		else
			load_zone(out, argv[i], &o);
	}
	if (argc == 0 && nkeys == 0)
		load_zone(out, "-", &o);
	if (out->n == 0)
		diag_fatal("no key qualifies for a %s record%s",
		    o.cds ? "CDS" : "DS", o.all ? "" :
		    " (only secure entry points are taken without -a)");
	zone_sort(out);
	check_ttls(out, &o);

	if (out_open(&w, outpath, &d) != 0)
		diag_die(&d);
	if (zwrite_rrs(w.f, out->rr, out->n) != 0 && out_fail(&w, &d) != 0)
		diag_die(&d);
	if (out_commit(&w, &d) != 0)
		diag_die(&d);
	zone_free(out);
	free(keys);
	return 0;
}
