/*
 * Fuzz target of b64join(): on any text it must return, write no more
 * than the twice the input its buffer is sized for, end the output with
 * a NUL, and keep every newline, since the reader's line numbers depend
 * on them (b64join.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b64join.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static size_t
newlines(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static void
fail(const char *what, size_t a, size_t b)
{
	fprintf(stderr, "fuzz_b64join: %s (%zu, %zu)\n", what, a, b);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *out;
	size_t outlen = (size_t)-1;

	/* Exactly the input, no terminator: b64join() takes a length. */
	if ((in = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	if ((out = b64join(in, size, &outlen)) == NULL) {
		free(in);
		return 0;
	}
	if (outlen > 2 * size)
		fail("output longer than twice the input", outlen, size);
	if (out[outlen] != '\0')
		fail("output not terminated", outlen, size);
	if (newlines(out, outlen) != newlines(in, size))
		fail("newlines not kept", newlines(out, outlen),
		    newlines(in, size));
	free(out);
	free(in);
	return 0;
}
