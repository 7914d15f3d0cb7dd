/*
 * Test driver for the reader (lib/zread.c): reads a zone file, or
 * standard input for "-", and prints how many records it holds and in
 * how many pieces it was read at once (0: in one go), so that the tests
 * see that a large file takes the parallel path, not only that the
 * result is right.
 *
 *	zreadtest file
 */
#include <stdio.h>

#include "diag.h"
#include "zone.h"

int
main(int argc, char *argv[])
{
	struct zone *z;
	struct diag d;

	diag_init("zreadtest");
	if (argc != 2) {
		fprintf(stderr, "usage: zreadtest file\n");
		return 2;
	}
	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_read_file(z, argv[1], NULL, &d) != 0) {
		zone_free(z);
		diag_die(&d);
	}
	printf("records %zu pieces %u\n", z->n, z->pieces);
	zone_free(z);
	return 0;
}
