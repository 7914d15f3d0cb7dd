/*
 * Fuzz target of the zone reader and everything a filter does after it:
 * the input is read as zone text (origin "example."), sorted, its apex
 * found, its records classified, and written, once to /dev/null and
 * once to memory.  The oracle is the round trip: when the input was
 * read, the canonical text written must read again, to the very same
 * records (owner, type, class, TTL and RDATA, in the same order), and
 * give byte-identical canonical text, no record's text longer than
 * rr_text_max() says.
 *
 * The same input is then taken as one record's wire form, so that the
 * writer meets every type with any RDATA, whatever text the fuzzer has
 * found so far: its first octet picks one of the types the writer names
 * (or, when the second octet is 0xff, the first two give any type), the
 * rest is the RDATA.  Given to the reader in the generic form (RFC 3597
 * section 5), it need not read; when it does, the text the writer makes
 * of it must read again to the same RDATA.  Anything else is a bug
 * (abort(), so that libFuzzer keeps the input).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dname.h"
#include "fuzz_zone.h"
#include "rrtext.h"
#include "zone.h"
#include "zwrite.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static FILE *devnull;
static uint16_t named[256];	/* the types the writer names */
static size_t nnamed;

static void
fail(const char *what, const struct diag *d, const char *text)
{
	fprintf(stderr, "fuzz_zread: %s", what);
	if (d != NULL)
		fprintf(stderr, ": %s:%lu: %s", d->file, d->line, d->msg);
	fprintf(stderr, "\n");
	if (text != NULL)
		fprintf(stderr, "--- canonical text ---\n%s--- end ---\n",
		    text);
	abort();
}

/* Sort and write a zone to memory; the text is malloc'd. */
static char *
canonical(struct zone *z, size_t *len)
{
	char *text = NULL;
	FILE *f;

	zone_sort(z);
	if ((f = open_memstream(&text, len)) == NULL)
		fail("open_memstream", NULL, NULL);
	if (zwrite_zone(f, z) != 0)
		fail("zwrite_zone to memory", NULL, NULL);
	if (fclose(f) != 0)
		fail("fclose of the memory stream", NULL, NULL);
	return text;
}

/* Both zones sorted: the same records in the same order. */
static void
compare(const struct zone *a, const struct zone *b, const char *text)
{
	size_t i;

	if (a->n != b->n)
		fail("the canonical text reads to another number of records",
		    NULL, text);
	for (i = 0; i < a->n; i++) {
		const struct rr *x = &a->rr[i], *y = &b->rr[i];
		if (!dname_equal(x->owner, y->owner) || x->type != y->type ||
		    x->rclass != y->rclass || x->ttl != y->ttl ||
		    x->rdlen != y->rdlen || (x->rdlen > 0 &&
		    memcmp(x->rdata, y->rdata, x->rdlen) != 0)) {
			fprintf(stderr, "fuzz_zread: record %zu differs\n", i);
			fail("the canonical text reads to other records", NULL,
			    text);
		}
	}
}

/* Every record's text within the bound the writer's buffers take. */
static void
check_bounds(const struct zone *z)
{
	size_t i, len;
	char *buf;

	for (i = 0; i < z->n; i++) {
		if ((buf = malloc(rr_text_max(&z->rr[i]))) == NULL)
			fail("malloc", NULL, NULL);
		len = rr_text(&z->rr[i], buf);
		if (len + 1 > rr_text_max(&z->rr[i]))
			fail("a record's text is over rr_text_max()", NULL,
			    buf);
		free(buf);
	}
}

static struct zone *
read_text(const char *name, const char *text, size_t len, struct diag *d)
{
	struct zone *z;

	if ((z = zone_new()) == NULL)
		fail("zone_new", NULL, NULL);
	if (zone_read_string(z, name, text, len, "example.", d) != 0) {
		zone_free(z);
		return NULL;
	}
	return z;
}

/* The input as a type and RDATA (see the top of the file). */
static void
wire_round_trip(const uint8_t *data, size_t size)
{
	struct zone *a, *b;
	struct diag d;
	uint16_t type;
	size_t n, i, len;
	char *line, *text;

	if (size < 2)
		return;
	if (nnamed == 0)
		for (i = 1; i < 65536 && nnamed < 256; i++)
			if (rr_text_type((uint16_t)i) != NULL)
				named[nnamed++] = (uint16_t)i;
	type = data[1] == 0xff ? (uint16_t)(data[0] << 8 | data[1]) :
	    named[data[0] % nnamed];
	n = size - 2 > 65535 ? 65535 : size - 2;
	if ((line = malloc(2 * n + 64)) == NULL)
		fail("malloc", NULL, NULL);
	len = (size_t)sprintf(line, "x. 0 IN TYPE%u \\# %zu ", type, n);
	len += hex_encode(data + 2, n, line + len);
	line[len++] = '\n';
	if ((a = read_text("<wire>", line, len, &d)) == NULL) {
		free(line);
		return;
	}
	if (a->n != 1)
		fail("one record in generic form reads to several", NULL, line);
	if ((text = malloc(rr_text_max(&a->rr[0]) + 1)) == NULL)
		fail("malloc", NULL, NULL);
	len = rr_text(&a->rr[0], text);
	if (len + 1 > rr_text_max(&a->rr[0]))
		fail("a record's text is over rr_text_max()", NULL, text);
	text[len++] = '\n';
	text[len] = '\0';
	if ((b = read_text("<written>", text, len, &d)) == NULL)
		fail("the text written of RDATA read in generic form does not "
		    "read again", &d, text);
	if (b->n != 1 || b->rr[0].type != type ||
	    b->rr[0].rdlen != a->rr[0].rdlen || (a->rr[0].rdlen > 0 &&
	    memcmp(b->rr[0].rdata, a->rr[0].rdata, a->rr[0].rdlen) != 0))
		fail("the text written of RDATA read in generic form reads to "
		    "other RDATA", NULL, text);
	zone_free(b);
	zone_free(a);
	free(text);
	free(line);
}

static void
exercise(struct zone *z)
{
	struct diag d;
	uint8_t *where;

	zone_sort(z);
	if (zone_find_apex(z, NULL, &d) == 0) {
		if ((where = zone_classify(z)) == NULL)
			fail("zone_classify", NULL, NULL);
		free(where);
	}
	if (zwrite_zone(devnull, z) != 0)
		fail("zwrite_zone to /dev/null", NULL, NULL);
	check_bounds(z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zone *z, *z2;
	struct diag d;
	char *in, *text, *text2;
	size_t len, len2;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		fail("/dev/null", NULL, NULL);
	wire_round_trip(data, size);
	if (fuzz_has_include(data, size))
		return 0;
	/* A copy of exactly the input's size, so that reading past its end
	 * is caught by the address sanitizer. */
	if ((in = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	if ((z = zone_new()) == NULL)
		fail("zone_new", NULL, NULL);
	if (zone_read_string(z, "<fuzz>", in, size, "example.", &d) != 0) {
		zone_free(z);
		free(in);
		return 0;
	}
	exercise(z);
	text = canonical(z, &len);

	/* The first zone stays alive while the text is read again, so that
	 * the two cannot share addresses. */
	if ((z2 = zone_new()) == NULL)
		fail("zone_new", NULL, NULL);
	if (zone_read_string(z2, "<canonical>", text, len, "example.",
	    &d) != 0)
		fail("the canonical text does not read again", &d, text);
	zone_sort(z2);
	compare(z, z2, text);
	text2 = canonical(z2, &len2);
	if (len2 != len || memcmp(text, text2, len) != 0) {
		fprintf(stderr, "--- written again ---\n%s", text2);
		fail("the canonical text is not a fixed point", NULL, text);
	}
	free(text2);
	free(text);
	zone_free(z2);
	zone_free(z);
	free(in);
	return 0;
}
