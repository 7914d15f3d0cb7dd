/*
 * Fuzz target of the zone reader and everything a filter does after it:
 * the input is read as zone text (origin "example."), sorted, its apex
 * found, its records classified, and written, once to /dev/null and
 * once to memory.  The oracle is the round trip: when the input was
 * read, the canonical text written must read again, to the very same
 * records (owner, type, class, TTL and RDATA, in the same order), and
 * give byte-identical canonical text.  Anything else is a bug (abort(),
 * so that libFuzzer keeps the input).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dname.h"
#include "fuzz_zone.h"
#include "zone.h"
#include "zwrite.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static FILE *devnull;

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
