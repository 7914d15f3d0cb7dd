/*
 * Test driver of the writer (lib/rrtext.c) against the reader
 * (libzscanner through lib/zread.c), for t/0105.
 *
 *	rrwire types
 *		Every type the reader reads by a mnemonic, "number name" a
 *		line: each name libknot's table (libzscanner's own) or ldns
 *		knows is offered to the scanner, and the ones it does not
 *		refuse as an unsupported type are listed.  Exits 1, saying
 *		why, when the writer's mnemonics (rr_text_type()) are not
 *		exactly these.
 *	rrwire dump [-m] file
 *		The zone read (as zcanon -F reads it), in canonical order,
 *		a record a line in the generic form of RFC 3597 §5: owner,
 *		TTL, class, TYPEnnn (with -m, the writer's mnemonic where
 *		it has one) and \# len hex.  Exits 1 when a record's text
 *		is longer than rr_text_max() said.
 *	rrwire mutate file n seed
 *		n times: the RDATA of a record of the file (each type the
 *		file has) changed at random (octets set, flipped, cut,
 *		added), given to the reader in the generic form; when it
 *		reads, the writer's text of it must read again to the same
 *		RDATA, within rr_text_max().  The first failures are
 *		printed and the exit status is 1.  The same seed makes the
 *		same changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>
#include <libknot/descriptor.h>
#include <libzscanner/scanner.h>

#include "diag.h"
#include "dname.h"
#include "rrtext.h"
#include "zone.h"

/* Does the scanner read type name?  "\# 0" may be refused for its
 * RDATA, but only an unknown name is an unsupported type. */
static int
reads(const char *name)
{
	char text[128];
	zs_scanner_t s;
	int ok;

	snprintf(text, sizeof(text), "x. 0 IN %s \\# 0\n", name);
	if (zs_init(&s, ".", 1, 0) != 0 ||
	    zs_set_input_string(&s, text, strlen(text)) != 0)
		exit(2);
	ok = zs_parse_record(&s) == 0 && s.state == ZS_STATE_DATA;
	if (!ok && s.error.code != ZS_UNSUPPORTED_TYPE)
		ok = 1;
	zs_deinit(&s);
	return ok;
}

static int
types(void)
{
	const ldns_rr_descriptor *d;
	const char *w, *name;
	char kn[64];
	int t, bad = 0;

	for (t = 1; t < 65536; t++) {
		name = NULL;
		if (knot_rrtype_to_string((uint16_t)t, kn, sizeof(kn)) > 0 &&
		    strncmp(kn, "TYPE", 4) != 0 && reads(kn))
			name = kn;
		else if ((d = ldns_rr_descript((uint16_t)t)) != NULL &&
		    d->_name != NULL && strncmp(d->_name, "TYPE", 4) != 0 &&
		    reads(d->_name))
			name = d->_name;
		w = rr_text_type((uint16_t)t);
		if (name != NULL)
			printf("%d %s\n", t, name);
		if (name == NULL && w != NULL) {
			fprintf(stderr, "rrwire: the writer names type %d %s, "
			    "which the reader does not read\n", t, w);
			bad = 1;
		} else if (name != NULL && (w == NULL ||
		    strcasecmp(w, name) != 0)) {
			fprintf(stderr, "rrwire: the reader reads type %d as "
			    "%s, the writer writes %s\n", t, name,
			    w ? w : "TYPEnnn");
			bad = 1;
		}
	}
	return bad;
}

static int
dump(const char *file, int mnemonic)
{
	struct zone *z;
	struct diag d;
	char owner[DNAME_MAXTEXT], *text, *hex;
	const char *m;
	size_t i, len, max;
	int bad = 0;

	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_load(z, file, NULL, ZONE_LOAD_SORT | ZONE_LOAD_FRAGMENT,
	    &d) != 0)
		diag_die(&d);
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		max = rr_text_max(r);
		if ((text = malloc(max + 4096)) == NULL ||
		    (hex = malloc(2 * (size_t)r->rdlen + 1)) == NULL)
			diag_fatal("out of memory");
		len = rr_text(r, text);
		if (len + 1 > max) {
			fprintf(stderr, "rrwire: %s:%u: %zu characters of "
			    "text, over rr_text_max()'s %zu\n",
			    zone_rr_file(z, r), r->line, len, max);
			bad = 1;
		}
		dname_to_text(r->owner, owner);
		hex_encode(r->rdata, r->rdlen, hex);
		if (mnemonic && (m = rr_text_type(r->type)) != NULL)
			printf("%s\t%u\tIN\t%s\t\\# %u %s\n", owner, r->ttl,
			    m, r->rdlen, hex);
		else
			printf("%s\t%u\tIN\tTYPE%u\t\\# %u %s\n", owner,
			    r->ttl, r->type, r->rdlen, hex);
		free(hex);
		free(text);
	}
	zone_free(z);
	return bad;
}

static uint64_t rng;

/* splitmix64: the same numbers on every machine. */
static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* One record read from text, or NULL. */
static struct zone *
read_one(const char *text)
{
	struct zone *z;
	struct diag d;

	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_read_string(z, "<mutant>", text, strlen(text), ".", &d) != 0 ||
	    z->n != 1) {
		zone_free(z);
		return NULL;
	}
	return z;
}

static void
mutate_one(uint8_t *rd, size_t *n)
{
	static const uint8_t odd[] = { 0, 1, 2, '\\', ',', '"', '#', ' ',
	    '0', 255, 0x80, 32 };
	int k, m = 1 + (int)(next() % 3);

	for (k = 0; k < m; k++) {
		size_t at = *n ? next() % *n : 0;
		switch (next() % 6) {
		case 0:
			if (*n)
				rd[at] = (uint8_t)next();
			break;
		case 1:
			if (*n)
				rd[at] ^= (uint8_t)(1 << (next() % 8));
			break;
		case 2:
			if (*n)
				*n -= next() % (*n < 4 ? *n + 1 : 5);
			break;
		case 3:
			if (*n < 65000)
				rd[(*n)++] = (uint8_t)next();
			break;
		case 4:
			if (*n)
				rd[at] = odd[next() % sizeof(odd)];
			break;
		case 5:
			if (*n)
				rd[at] = (uint8_t)(next() % 4);
			break;
		}
	}
}

static int
mutate(const char *file, long count, long seed)
{
	struct zone *z, *a, *b;
	struct diag d;
	char *line, *text, *hex;
	uint8_t *rd;
	size_t n, len;
	long i, shown = 0, tried = 0, written = 0;

	rng = (uint64_t)seed;
	if ((z = zone_new()) == NULL || (rd = malloc(65536)) == NULL ||
	    (hex = malloc(2 * 65536 + 1)) == NULL ||
	    (line = malloc(2 * 65536 + 64)) == NULL ||
	    (text = malloc(RRTEXT_ANY_MAX(65535) + 2)) == NULL)
		diag_fatal("out of memory");
	if (zone_load(z, file, NULL, ZONE_LOAD_FRAGMENT, &d) != 0)
		diag_die(&d);
	for (i = 0; i < count; i++) {
		const struct rr *r = &z->rr[next() % z->n];
		if ((n = r->rdlen) > 0)
			memcpy(rd, r->rdata, n);
		mutate_one(rd, &n);
		hex_encode(rd, n, hex);
		snprintf(line, 2 * 65536 + 64, "x. 0 IN TYPE%u \\# %zu %s\n",
		    r->type, n, hex);
		if ((a = read_one(line)) == NULL)
			continue;
		tried++;
		len = rr_text(&a->rr[0], text);
		if (len + 1 > rr_text_max(&a->rr[0]) && shown++ < 10)
			printf("over rr_text_max(): %s", line);
		if (strstr(text, "\\# ") == NULL)
			written++;
		text[len++] = '\n';
		text[len] = '\0';
		if ((b = read_one(text)) == NULL) {
			if (shown++ < 10)
				printf("does not read again: %s  as %s", line,
				    text);
		} else {
			if ((b->rr[0].rdlen != a->rr[0].rdlen ||
			    (a->rr[0].rdlen > 0 && memcmp(b->rr[0].rdata,
			    a->rr[0].rdata, a->rr[0].rdlen) != 0)) &&
			    shown++ < 10)
				printf("reads again to other RDATA: %s  as %s",
				    line, text);
			zone_free(b);
		}
		zone_free(a);
	}
	fprintf(stderr, "rrwire: %ld read of %ld, %ld of them in "
	    "presentation form, %ld failures\n", tried, count, written, shown);
	free(text);
	free(line);
	free(hex);
	free(rd);
	zone_free(z);
	return shown > 0;
}

int
main(int argc, char *argv[])
{
	diag_init("rrwire");
	if (argc == 2 && strcmp(argv[1], "types") == 0)
		return types();
	if (argc == 3 && strcmp(argv[1], "dump") == 0)
		return dump(argv[2], 0);
	if (argc == 4 && strcmp(argv[1], "dump") == 0 &&
	    strcmp(argv[2], "-m") == 0)
		return dump(argv[3], 1);
	if (argc == 5 && strcmp(argv[1], "mutate") == 0)
		return mutate(argv[2], atol(argv[3]), atol(argv[4]));
	fprintf(stderr, "usage: rrwire types | rrwire dump [-m] file | "
	    "rrwire mutate file n seed\n");
	return 2;
}
