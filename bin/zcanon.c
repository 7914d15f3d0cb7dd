/*
 * zcanon reads a zone file, or standard input, and writes it in
 * berokit's canonical form: canonical order (RFC 4034 §6), duplicates
 * removed, the SOA first, one record per line in one presentation format.
 * It is the read-sort-write pass every other filter is built on, and the
 * way to make two zone files comparable with diff(1).  With -U it drops
 * the zone's DNSSEC records, leaving the data an operator signs again.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "out.h"
#include "rrtype.h"
#include "zone.h"
#include "zwrite.h"

static void
usage(void)
{
	fprintf(stderr, "usage: zcanon [-FIU] [-o file] [-z origin] [file]\n");
	exit(2);
}

/*
 * The records a signer makes (RFC 4035 section 2: RRSIG, NSEC, NSEC3,
 * NSEC3PARAM, the DNSKEY RRset; RFC 7344's CDS and CDNSKEY; RFC 8976's
 * ZONEMD, which covers the signatures): the receiving operator of a
 * migration signs the data again with its own keys.  DS records stay:
 * at a delegation they are the child's data, signed by this zone.
 */
static bool
is_dnssec(const struct rr *r, void *arg)
{
	(void)arg;
	switch (r->type) {
	case T_RRSIG: case T_NSEC: case T_NSEC3: case T_NSEC3PARAM:
	case T_DNSKEY: case T_CDS: case T_CDNSKEY: case T_ZONEMD:
		return true;
	default:
		return false;
	}
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
	bool unsigned_only = false;

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "FIo:Uz:")) != -1) {
		switch (ch) {
		case 'F':
			flags |= ZONE_LOAD_FRAGMENT;
			break;
		case 'I':
			flags |= ZONE_LOAD_INCLUDE;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'U':
			unsigned_only = true;
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
	if (unsigned_only)
		zone_remove_if(z, is_dnssec, NULL);
	if (out_open(&o, outpath, &d) != 0)
		die(z, &d);
	/* Out of memory while formatting leaves the stream without an
	 * error of its own: never commit what is cut short. */
	if (zwrite_zone(o.f, z) != 0) {
		out_fail(&o, &d);
		die(z, &d);
	}
	if (out_commit(&o, &d) != 0)
		die(z, &d);
	zone_free(z);
	return 0;
}
