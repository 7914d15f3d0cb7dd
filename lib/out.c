/*
 * See out.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "out.h"

int
out_open(struct out *o, const char *path, struct diag *d)
{
	struct stat st;
	int fd;

	memset(o, 0, sizeof(*o));
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	/* The rename would replace a device, a FIFO or a directory with a
	 * regular file: refuse anything but a regular file or nothing. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		diag_set(d, path, 0, "not a regular file (write to standard "
		    "output instead)");
		return -1;
	}
	if ((o->path = strdup(path)) == NULL ||
	    (o->tmp = malloc(strlen(path) + 16)) == NULL) {
		diag_set(d, path, 0, "out of memory");
		out_abort(o);
		return -1;
	}
	snprintf(o->tmp, strlen(path) + 16, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(o->tmp)) == -1 || (o->f = fdopen(fd, "w")) == NULL) {
		diag_set(d, path, 0, "%s", strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		out_abort(o);
		return -1;
	}
	(void)fchmod(fd, 0644);
	return 0;
}

/* Flush, sync and rename into place; for standard output, flush and
 * check that every write succeeded (sbase closes stdout explicitly). */
int
out_commit(struct out *o, struct diag *d)
{
	const char *name = o->path ? o->path : "<stdout>";

	if (fflush(o->f) != 0 || ferror(o->f) ||
	    (o->path != NULL && fsync(fileno(o->f)) != 0)) {
		diag_set(d, name, 0, "write: %s", strerror(errno));
		out_abort(o);
		return -1;
	}
	if (o->path == NULL) {
		if (fclose(stdout) != 0) {
			diag_set(d, name, 0, "write: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (fclose(o->f) != 0) {
		o->f = NULL;
		diag_set(d, name, 0, "write: %s", strerror(errno));
		out_abort(o);
		return -1;
	}
	o->f = NULL;
	if (rename(o->tmp, o->path) != 0) {
		diag_set(d, name, 0, "rename: %s", strerror(errno));
		out_abort(o);
		return -1;
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return 0;
}

void
out_abort(struct out *o)
{
	if (o->path != NULL && o->f != NULL)
		fclose(o->f);
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->f = NULL;
	o->tmp = o->path = NULL;
}
