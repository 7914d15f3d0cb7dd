/*
 * All-or-nothing output (STYLE.md, after djbdns): "-o file" writes a
 * temporary file in the same directory, fsyncs it, renames it into
 * place and fsyncs the directory, so that a failed run leaves the old
 * file untouched and -o may name the input.  Without a file, or with
 * "-", standard output.
 *
 * The file keeps the permission bits of the file it replaces (a zone
 * kept 0640, or a file of secrets kept 0600, stays so); a new file gets
 * 0666 less the umask, as any file a program makes.  The owner and
 * group are the writer's.  Until the rename, SIGINT, SIGTERM and SIGHUP
 * remove the temporary file before the process dies of the signal, and
 * so does exit(3) (a program that gives up after out_open()).
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

/*
 * The one way a program commits what it writes, a file or standard
 * output (a report printed to standard output is committed too):
 * out_open(), writing to o.f, then out_commit(), or out_fail() when the
 * writing failed (errno says why), or out_abort() when the program gives
 * up for a reason of its own.  out_open(), out_commit() and out_fail()
 * return -1 with a diagnostic that names the file, what failed and why
 * ("example.zone: write: No space left on device"); a file that could
 * not be committed is removed, and the one it would replace is as it
 * was.
 */
int	out_open(struct out *, const char *, struct diag *);
int	out_commit(struct out *, struct diag *);
int	out_fail(struct out *, struct diag *);
void	out_abort(struct out *);

#endif
