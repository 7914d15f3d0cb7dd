/*
 * Reproducer of the stale text caches of lib/rrtext.c (put_owner() and
 * put_ns() key their per-thread caches on the owner and RDATA pointers,
 * which are reused once a zone is freed): it reads, writes and frees
 * 2000 one-record zones in turn and counts those written with another
 * zone's names.  Exit 0 when none is.  Build from the top directory:
 *
 *	cc -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib \
 *	    -o stale-cache fuzz/crashes/stale-cache.c build/libberokit.a \
 *	    $(pkg-config --libs ldns libzscanner libcrypto libsodium) -lpthread
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "zone.h"
#include "zwrite.h"

#define ZONES	2000

static char *
write_one(int i)
{
	char in[128], *got = NULL;
	struct zone *z;
	struct diag d;
	size_t len;
	FILE *f;

	snprintf(in, sizeof(in), "h%d NS ns%d.example.net.\n", i, i);
	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_read_string(z, "<t>", in, strlen(in), "example.", &d) != 0)
		diag_die(&d);
	zone_sort(z);
	if ((f = open_memstream(&got, &len)) == NULL ||
	    zwrite_rrs(f, z->rr, z->n) != 0 || fclose(f) != 0)
		diag_fatal("write error");
	zone_free(z);
	return got;
}

int
main(void)
{
	char want[128], *got;
	int i, bad = 0;

	diag_init("stale-cache");
	for (i = 0; i < ZONES; i++) {
		snprintf(want, sizeof(want),
		    "h%d.example.\t3600\tIN\tNS\tns%d.example.net.\n", i, i);
		got = write_one(i);
		if (strcmp(got, want) != 0 && bad++ < 3)
			printf("zone %d: want %s         got %s", i, want, got);
		free(got);
	}
	printf("%d of %d zones written with another zone's names\n", bad,
	    ZONES);
	return bad != 0;
}
