/*
 * Test driver for all-or-nothing output (lib/out.c): opens the output
 * file with out_open(), then copies standard input into it and commits,
 * so that a test holding standard input open (a FIFO) finds the program
 * in the middle of writing, with its temporary file made, for as long
 * as it likes.  Says "open" on standard error once the file is open.
 * With "die", it gives up after copying, without committing
 * (diag_fatal(), exit 2), as a program that finds trouble late does.
 *
 *	outtest file [die]
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "out.h"

int
main(int argc, char *argv[])
{
	struct out o;
	struct diag d;
	int c;

	diag_init("outtest");
	if (argc != 2 && (argc != 3 || strcmp(argv[2], "die") != 0)) {
		fprintf(stderr, "usage: outtest file [die]\n");
		return 2;
	}
	if (out_open(&o, argv[1], &d) != 0)
		diag_die(&d);
	diag_msg("open");
	while ((c = getchar()) != EOF)
		if (putc(c, o.f) == EOF)
			break;
	if (argc == 3)
		diag_fatal("told to give up");
	if (out_commit(&o, &d) != 0)
		diag_die(&d);
	return 0;
}
