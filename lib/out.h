/*
 * All-or-nothing output (STYLE.md, after djbdns): "-o file" writes a
 * temporary file in the same directory, fsyncs it and renames it into
 * place, so that a failed run leaves the old file untouched and -o may
 * name the input.  Without a file, or with "-", standard output.
 */
#ifndef OUT_H
#define OUT_H

#include <stdio.h>

struct diag;

struct out {
	FILE	*f;
	char	*path;		/* NULL for standard output */
	char	*tmp;
};

int	out_open(struct out *, const char *, struct diag *);
int	out_commit(struct out *, struct diag *);
void	out_abort(struct out *);

#endif
