/*
 * Shared by the fuzz targets that read their input as zone text.
 */
#ifndef FUZZ_ZONE_H
#define FUZZ_ZONE_H

#include <stddef.h>
#include <stdint.h>
#include <strings.h>

/* $INCLUDE would make the reader open files named by the input (RFC
 * 1035 §5.1): a fuzzer must not read /dev/stdin or the whole disk. */
static inline int
fuzz_has_include(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 8 <= n; i++)
		if (p[i] == '$' && strncasecmp((const char *)p + i + 1,
		    "include", 7) == 0)
			return 1;
	return 0;
}

#endif
