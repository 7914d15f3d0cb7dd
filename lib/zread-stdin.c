/*
 * Standard input read as a file is (issue 14): a regular file is that
 * file, a pipe is moved with splice(2) to a file in memory (memfd) or in
 * $TMPDIR, or the text into memory when no such file can take it.
 */
#define _GNU_SOURCE	/* splice(2) */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libzscanner/scanner.h>

#include "b64join.h"
#include "diag.h"
#include "dname.h"
#include "rdshape.h"
#include "rrtype.h"
#include "typebitmap.h"
#include "workpool.h"
#include "zone.h"
#include "zpipe.h"
#include "zread-int.h"

/*
 * Standard input read as a file is (issue 14): a regular file (zone <
 * file) is that file, mapped; a pipe is moved to a file in memory
 * (memfd_create(2)), or to a temporary file in $TMPDIR when it is set,
 * unlinked at once.  So the text is not held in
 * memory to the end: the pages already read are given back
 * (release_input()), a large text is read in pieces on every core, and
 * it can be read again (b64join()).  A copy in memory cost 1.5 times the
 * peak memory of a file and a third more time.  The text is read into
 * memory after all when no temporary file can be made, or it cannot
 * take the text (a full file system), and with $INCLUDE honoured (a
 * relative name is one of the current directory, include()).
 */
#define SPOOL_BUF	(1 << 20)

/* A write that failed for want of room, not for want of input. */
static int
no_room(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

/* What the temporary file took, the n octets of pend not written yet
 * and the rest of standard input, in memory. */
static int
spool_back(struct spool *sp, const char *pend, size_t n)
{
	off_t end = lseek(sp->fd, 0, SEEK_END);
	size_t o = 0;
	ssize_t got;
	char *buf;

	if (end < 0 || (buf = malloc((size_t)end + n + 1)) == NULL)
		return -1;
	while (o < (size_t)end && (got = pread(sp->fd, buf + o,
	    (size_t)end - o, (off_t)o)) > 0)
		o += (size_t)got;
	if (o < (size_t)end) {
		free(buf);
		return -1;
	}
	if (n > 0)
		memcpy(buf + o, pend, n);
	return (sp->text = zread_slurp_onto(stdin, buf, o + n,
	    &sp->len)) == NULL ? -1 : 0;
}

/* Standard input into the temporary file sp->fd: moved from a pipe
 * (splice(2)), copied from another kind of input (a terminal, a socket,
 * a file read in part). */
static int
spool_copy(struct spool *sp)
{
	char *buf;
	ssize_t got, put;
	size_t o;
	int spliced = 0, rc = -1;

	/* A pipe of SPOOL_BUF octets, not the default 64 KiB: the writer
	 * and this reader take turns sixteen times less often (on a loaded
	 * machine each turn is a wait to be scheduled).  Not a pipe, or
	 * over /proc/sys/fs/pipe-max-size: the pipe stays as it is. */
	(void)fcntl(STDIN_FILENO, F_SETPIPE_SZ, SPOOL_BUF);
	while ((got = splice(STDIN_FILENO, NULL, sp->fd, NULL, SPOOL_BUF,
	    SPLICE_F_MOVE)) != 0) {
		if (got > 0)
			spliced = 1;
		else if (errno == EINVAL && !spliced)
			break;
		else if (no_room(errno))
			return spool_back(sp, NULL, 0);
		else if (errno != EINTR)
			return -1;
	}
	if (got == 0)
		return 0;
	if ((buf = malloc(SPOOL_BUF)) == NULL)
		return -1;
	while ((got = read(STDIN_FILENO, buf, SPOOL_BUF)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto out;
		for (o = 0; o < (size_t)got; o += (size_t)put)
			if ((put = write(sp->fd, buf + o, (size_t)got - o)) <
			    0 && no_room(errno)) {
				rc = spool_back(sp, buf + o, (size_t)got - o);
				goto out;
			} else if (put < 0 && errno != EINTR)
				goto out;
			else if (put < 0)
				put = 0;
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

/* Standard input as a path to read it by, or as text; -1 (errno) when
 * it could not be read. */
int
zread_stdin_open(struct spool *sp, int include)
{
	const char *dir = getenv("TMPDIR");
	char tmp[4096] = "";
	struct stat st;
	int fd, e;

	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
	/* Opened again by its name in /dev/fd, which may be refused (a
	 * file the shell could open for us and we cannot): then copied. */
	snprintf(sp->path, sizeof(sp->path), "/dev/fd/%d", STDIN_FILENO);
	if (!include && fstat(STDIN_FILENO, &st) == 0 &&
	    S_ISREG(st.st_mode) && lseek(STDIN_FILENO, 0, SEEK_CUR) == 0 &&
	    (fd = open(sp->path, O_RDONLY)) >= 0) {
		close(fd);
		return 0;
	}
	/* With no TMPDIR, a file in memory (memfd_create(2)), as a file
	 * of /tmp is wherever /tmp is a tmpfs: on a disk file system the
	 * pipe's copy cost twice the system time (bench/stdin.sh), and the
	 * budget of a pipe is 10% over a file's.  Its pages are mapped as
	 * they are read and given back as a file's are; TMPDIR names a
	 * directory for a file on disk instead. */
	sp->fd = include || (dir != NULL && *dir != '\0') ? -1 :
	    memfd_create("berokit-stdin", MFD_CLOEXEC);
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if (sp->fd < 0 && (include || (size_t)snprintf(tmp, sizeof(tmp),
	    "%s/berokit-stdin.XXXXXX", dir) >= sizeof(tmp) ||
	    (sp->fd = mkstemp(tmp)) < 0)) {
		sp->fd = -1;
		return (sp->text = zread_slurp(stdin,
		    &sp->len)) == NULL ? -1 : 0;
	}
	if (sp->fd >= 0 && *tmp != '\0')
		(void)unlink(tmp);
	snprintf(sp->path, sizeof(sp->path), "/dev/fd/%d", sp->fd);
	if (spool_copy(sp) == 0 && sp->text == NULL)
		return 0;
	e = errno;
	close(sp->fd);
	sp->fd = -1;
	errno = e;
	return sp->text != NULL ? 0 : -1;
}
