/*
 * zcanon reads a zone file, or standard input, and writes it in
 * berokit's canonical form: canonical order (RFC 4034 §6), duplicates
 * removed, the SOA first, one record per line in one presentation format.
 * It is the read-sort-write pass every other filter is built on, and the
 * way to make two zone files comparable with diff(1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "out.h"
#include "zone.h"
#include "zwrite.h"

static void
usage(void)
{
	fprintf(stderr, "usage: zcanon [-Fi] [-o file] [-z origin] [file]\n");
	exit(2);
}

/* The message, status 2; the zone freed first, so that a leak checker
 * sees every exit alike. */
static void	die(struct zone *, struct diag *) __attribute__((noreturn));

static void
die(struct zone *z, struct diag *d)
{
	zone_free(z);
	diag_die(d);
}

int
main(int argc, char *argv[])
{
	const char *outpath = NULL, *origin = NULL, *in = "-";
	struct zone *z;
	struct diag d;
	struct out o;
	int ch, flags = ZONE_LOAD_SORT;

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "Fio:z:")) != -1) {
		switch (ch) {
		case 'F':
			flags |= ZONE_LOAD_FRAGMENT;
			break;
		case 'i':
			flags |= ZONE_LOAD_INCLUDE;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'z':
			origin = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage();
	if (argc == 1)
		in = argv[0];

	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_load(z, in, origin, flags, &d) != 0)
		die(z, &d);
	if (out_open(&o, outpath, &d) != 0)
		die(z, &d);
	errno = 0;
	if (zwrite_zone(o.f, z) != 0) {
		/* Out of memory while formatting leaves the stream without
		 * an error of its own: never commit what is cut short. */
		diag_set(&d, outpath != NULL && strcmp(outpath, "-") != 0 ?
		    outpath : "<stdout>", 0, "write: %s",
		    errno != 0 ? strerror(errno) : "error");
		out_abort(&o);
		die(z, &d);
	}
	if (out_commit(&o, &d) != 0)
		die(z, &d);
	zone_free(z);
	return 0;
}
