/*
 * phases times the steps of zcanon one by one on a zone file, to show
 * where the time and the memory of the read, sort and write pass go:
 * zone_read_file(), zone_find_apex(), zone_sort() and zwrite_zone() to
 * the output file (/dev/null unless -o is given), then libzscanner alone
 * with a callback that does nothing (the floor of reading).
 * For each step it prints the wall-clock and CPU seconds, the peak RSS
 * so far and the malloc(3) heap in use after it, and the records.  The
 * libzscanner-only pass runs last, after the zone is freed, so that the
 * input it maps does not count in the peaks of the real steps.
 */
#include <sys/resource.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <libzscanner/scanner.h>

#include "diag.h"
#include "zone.h"
#include "zwrite.h"

struct mark {
	double	wall, cpu;
};

static void
usage(void)
{
	fprintf(stderr, "usage: phases [-o file] [-z origin] file\n");
	exit(2);
}

static struct mark
now(void)
{
	struct timespec ts;
	struct rusage ru;
	struct mark m;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	getrusage(RUSAGE_SELF, &ru);
	m.wall = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	m.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec /
	    1e6 + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec /
	    1e6;
	return m;
}

static void
report(const char *step, struct mark from, size_t records)
{
	struct mark to = now();
	struct rusage ru;
	struct mallinfo2 mi = mallinfo2();

	getrusage(RUSAGE_SELF, &ru);
	printf("%-10s %8.3f %8.3f %10.1f %10.1f %12zu\n", step,
	    to.wall - from.wall, to.cpu - from.cpu, ru.ru_maxrss / 1024.0,
	    (double)(mi.uordblks + mi.hblkhd) / 1048576, records);
}

static void
count(zs_scanner_t *s)
{
	++*(size_t *)s->process.data;
}

/* The reader's floor: libzscanner with nothing done per record. */
static size_t
scan_only(const char *path, const char *origin)
{
	zs_scanner_t s;
	size_t n = 0;

	if (zs_init(&s, origin, 1, 3600) != 0 ||
	    zs_set_input_file(&s, path) != 0 ||
	    zs_set_processing(&s, count, NULL, &n) != 0 ||
	    zs_parse_all(&s) != 0)
		diag_fatal("%s: libzscanner: %s", path,
		    zs_strerror(s.error.code));
	zs_deinit(&s);
	return n;
}

int
main(int argc, char *argv[])
{
	const char *outpath = "/dev/null", *origin = NULL;
	struct zone *z;
	struct diag d;
	struct mark m;
	FILE *f;
	size_t n;
	int ch;

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "o:z:")) != -1) {
		switch (ch) {
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
	if (argc - optind != 1)
		usage();

	printf("%-10s %8s %8s %10s %10s %12s\n", "step", "wall s", "cpu s",
	    "maxrss MiB", "heap MiB", "records");
	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	m = now();
	if (zone_read_file(z, argv[optind], origin, &d) != 0)
		diag_die(&d);
	report("read", m, z->n);
	m = now();
	if (zone_find_apex(z, origin, &d) != 0)
		diag_die(&d);
	report("apex", m, z->n);
	m = now();
	zone_sort(z);
	report("sort", m, z->n);
	if ((f = fopen(outpath, "w")) == NULL)
		diag_fatal("%s: cannot open", outpath);
	m = now();
	if (zwrite_zone(f, z) != 0 || fclose(f) != 0)
		diag_fatal("%s: write error", outpath);
	report("write", m, z->n);
	zone_free(z);
	/* Last, so that the input it maps does not count in the peak RSS
	 * of the steps above. */
	m = now();
	n = scan_only(argv[optind], origin != NULL ? origin : ".");
	report("zscanner", m, n);
	return 0;
}
