/*
 * See out.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "out.h"

/* The signals on which the temporary file goes: an interrupt from the
 * terminal, a kill(1) or a lost terminal. */
static const int out_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIGNALS	(sizeof(out_signals) / sizeof(out_signals[0]))

/*
 * The temporary file of the output being written, for the signal
 * handler: one at a time (every tool writes one file).  The handler only
 * reads the pointer, and the string it points to is complete before the
 * pointer is set and freed only after it is cleared.
 */
static char *volatile pending;
static struct sigaction saved[NSIGNALS];

/*
 * unlink(2), sigaction(2) and raise(3) are async-signal-safe (POSIX.1-
 * 2008, 2.4.3).  The signal dies with its default action, so that the
 * parent sees it, once the handler returns and the signal is unblocked.
 */
static void
on_signal(int sig)
{
	struct sigaction dfl;
	char *tmp = pending;

	if (tmp != NULL)
		(void)unlink(tmp);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	(void)sigaction(sig, &dfl, NULL);
	(void)raise(sig);
}

/* A program that exits between out_open() and out_commit() (a
 * diag_fatal() after the output was opened) leaves no temporary file
 * either. */
static void
at_exit(void)
{
	char *tmp = pending;

	if (tmp != NULL)
		(void)unlink(tmp);
}

/* Catch the signals that are not ignored (nohup(1) keeps SIGHUP so). */
static void
catch_signals(char *tmp)
{
	static int registered;
	struct sigaction sa;
	size_t i;

	if (!registered)
		registered = atexit(at_exit) == 0;
	pending = tmp;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++)
		sigaddset(&sa.sa_mask, out_signals[i]);
	for (i = 0; i < NSIGNALS; i++) {
		(void)sigaction(out_signals[i], NULL, &saved[i]);
		if (saved[i].sa_handler != SIG_IGN)
			(void)sigaction(out_signals[i], &sa, NULL);
	}
}

static void
release_signals(void)
{
	size_t i;

	for (i = 0; i < NSIGNALS; i++)
		if (saved[i].sa_handler != SIG_IGN)
			(void)sigaction(out_signals[i], &saved[i], NULL);
	pending = NULL;
}

/*
 * A new file named path.tmpXXXXXX, made with O_EXCL (never through a
 * link planted there) and with mode, which the umask then narrows:
 * 0666 for a new output, the mode of the file it replaces otherwise, so
 * that the file is never more open while it is written than it will be.
 */
static int
make_tmp(char *tmp, size_t size, const char *path, mode_t mode)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct timespec ts;
	uint64_t x;
	int fd, tries, k;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 20 ^
	    (uint64_t)getpid() << 40;	/* wire-lint: not wire: a seed */
	for (tries = 0; tries < 100; tries++) {
		char suffix[7];
		for (k = 0; k < 6; k++) {
			/* A step of a 64-bit LCG (Knuth's MMIX constants):
			 * names only need to differ, O_EXCL does the rest. */
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			suffix[k] = set[(x >> 33) % (sizeof(set) - 1)];
		}
		suffix[6] = '\0';
		snprintf(tmp, size, "%s.tmp%s", path, suffix);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd != -1 || errno != EEXIST)
			return fd;
	}
	return -1;
}

int
out_open(struct out *o, const char *path, struct diag *d)
{
	struct stat st;
	mode_t mode = 0666;
	const char *what;
	size_t size;
	int fd, replaces;

	memset(o, 0, sizeof(*o));
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	/* The rename would replace a device, a FIFO or a directory with a
	 * regular file: refuse anything but a regular file or nothing. */
	replaces = stat(path, &st) == 0;
	if (replaces && !S_ISREG(st.st_mode)) {
		diag_set(d, path, 0, "not a regular file (write to standard "
		    "output instead)");
		return -1;
	}
	/* The permission bits of the file replaced, so that a file kept
	 * 0600 (or 0640 for a group) stays so. */
	if (replaces)
		mode = st.st_mode & 0777;
	size = strlen(path) + 16;
	if ((o->path = strdup(path)) == NULL ||
	    (o->tmp = malloc(size)) == NULL) {
		diag_set(d, path, 0, "out of memory");
		out_abort(o);
		return -1;
	}
	if ((fd = make_tmp(o->tmp, size, path, mode)) == -1)
		what = "create a temporary file beside it";
	else if (replaces && fchmod(fd, mode) != 0)
		what = "chmod";
	else if ((o->f = fdopen(fd, "w")) == NULL)
		what = "fdopen";
	else
		what = NULL;
	if (what != NULL) {
		diag_set(d, path, 0, "%s: %s", what, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		out_abort(o);
		return -1;
	}
	catch_signals(o->tmp);
	return 0;
}

/*
 * The directory entry the rename made is only durable once the
 * directory is synced (fsync(2)): without it a crash may leave the old
 * file, or none.  A file system that cannot sync a directory says
 * EINVAL, which is no fault of the output.
 */
static int
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, rc = 0, e;

	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		rc = -1;
	else if (fsync(fd) != 0 && errno != EINVAL)
		rc = -1;
	e = errno;
	if (fd != -1)
		close(fd);
	free(dir);
	errno = e;
	return rc;
}

/* What failed and why, errno's reason (or the stream's, when a write
 * failed earlier and left only its error flag). */
static void
say_failed(struct diag *d, const char *name, const char *what, int e)
{
	diag_set(d, name, 0, "%s: %s", what, e != 0 ? strerror(e) :
	    "failed (the reason was not kept)");
}

/* Flush, sync and rename into place, then sync the directory; for
 * standard output, flush and check that every write succeeded (sbase
 * closes stdout explicitly). */
int
out_commit(struct out *o, struct diag *d)
{
	const char *name = o->path ? o->path : "<stdout>";

	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f)) {
		say_failed(d, name, "write", errno);
		out_abort(o);
		return -1;
	}
	if (o->path == NULL) {
		if (fclose(stdout) != 0) {
			say_failed(d, name, "write", errno);
			return -1;
		}
		return 0;
	}
	if (fsync(fileno(o->f)) != 0) {
		say_failed(d, name, "fsync", errno);
		out_abort(o);
		return -1;
	}
	if (fclose(o->f) != 0) {
		o->f = NULL;
		say_failed(d, name, "write", errno);
		out_abort(o);
		return -1;
	}
	o->f = NULL;
	if (rename(o->tmp, o->path) != 0) {
		say_failed(d, name, "rename", errno);
		out_abort(o);
		return -1;
	}
	/* Renamed: a signal from now on finds no temporary file. */
	release_signals();
	free(o->tmp);
	o->tmp = NULL;
	if (sync_dir(o->path) != 0) {
		diag_set(d, name, 0, "written, but its directory could not "
		    "be synced: %s", strerror(errno));
		free(o->path);
		o->path = NULL;
		return -1;
	}
	free(o->path);
	o->path = NULL;
	return 0;
}

/* The writing failed, errno says why (zwrite.h keeps it so): said, and
 * the temporary file removed. */
int
out_fail(struct out *o, struct diag *d)
{
	say_failed(d, o->path ? o->path : "<stdout>", "write", errno);
	out_abort(o);
	return -1;
}

void
out_abort(struct out *o)
{
	if (o->path != NULL && o->f != NULL)
		fclose(o->f);
	if (o->tmp != NULL) {
		unlink(o->tmp);
		release_signals();
	}
	free(o->tmp);
	free(o->path);
	o->f = NULL;
	o->tmp = o->path = NULL;
}
