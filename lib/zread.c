/*
 * Reading zone text (RFC 1035 §5) with libzscanner, which handles
 * $ORIGIN, $TTL, $INCLUDE, relative names, "@", parentheses, comments,
 * quoted strings, \DDD escapes and RFC 3597 "\#" RDATA, and gives wire
 * form directly.  Where libzscanner rejects base64 or hex split into
 * chunks that RFC 4034 allows, the text is rewritten by b64join() and
 * read again.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libzscanner/scanner.h>

#include "b64join.h"
#include "diag.h"
#include "dname.h"
#include "rrtype.h"
#include "zone.h"
#include "zpipe.h"

#define DEFAULT_TTL	3600
#define RELEASE_EVERY	65536
#define THREAD_FROM	(1 << 20)	/* input octets worth a second thread */

#define MAX_INCLUDE_DEPTH	16

struct reader {
	struct zone	*z;
	struct diag	*d;
	const char	*name;		/* name of the top-level input */
	int		 retry;		/* a binary field to rejoin */
	int		 depth;		/* of $INCLUDE */
	struct zpipe	*pipe;
	const char	*last_file;	/* zone_file_index() of it: */
	uint16_t	 last_index;
};

/* Give back the pages of the input already read, so that peak memory
 * stays that of the records rather than records plus text. */
static void
release_input(zs_scanner_t *s)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t start, cur;

	if (!s->input.mmaped || s->input.start == NULL)
		return;
	start = (uintptr_t)s->input.start & ~(uintptr_t)(pg - 1);
	cur = (uintptr_t)s->input.current & ~(uintptr_t)(pg - 1);
	if (cur > start)
		(void)madvise((void *)start, cur - start, MADV_DONTNEED);
}

static int
add_record(struct reader *rd, const zs_scanner_t *s, const char *file)
{
	/* RFC 2181 §8: a TTL is an unsigned 31-bit number. */
	if (s->r_ttl > 0x7fffffffu) {
		diag_set(rd->d, file, s->line_counter,
		    "TTL %u is over 2147483647 (RFC 2181 section 8)",
		    s->r_ttl);
		return -1;
	}
	if (file != rd->last_file) {
		rd->last_index = zone_file_index(rd->z, file);
		rd->last_file = file;
	}
	if (zpipe_add(rd->pipe, s->r_owner, s->r_type, s->r_class, s->r_ttl,
	    s->r_data, s->r_data_length, rd->last_index,
	    (uint32_t)s->line_counter) != 0) {
		diag_set(rd->d, file, s->line_counter, "out of memory");
		return -1;
	}
	return 0;
}

static int scan(struct reader *, const char *, const char *, const char *,
    size_t, const char *);

/* $INCLUDE (RFC 1035 §5.1): libzscanner gives the file, resolved against
 * the including file's directory, and the origin in presentation form. */
static int
include(struct reader *rd, const zs_scanner_t *s, const char *file)
{
	char *path, *origin;
	int rc;

	if (rd->depth >= MAX_INCLUDE_DEPTH) {
		diag_set(rd->d, file, s->line_counter,
		    "$INCLUDE nested more than %d deep", MAX_INCLUDE_DEPTH);
		return -1;
	}
	if (access(s->include_filename, R_OK) != 0) {
		diag_set(rd->d, file, s->line_counter, "$INCLUDE %s: %s",
		    s->include_filename, strerror(errno));
		return -1;
	}
	path = strdup(s->include_filename);
	origin = strdup((const char *)s->buffer);
	if (path == NULL || origin == NULL) {
		free(path);
		free(origin);
		diag_set(rd->d, file, s->line_counter, "out of memory");
		return -1;
	}
	rd->depth++;
	rc = scan(rd, path, path, NULL, 0, origin);
	rd->depth--;
	free(path);
	free(origin);
	return rc;
}

/*
 * Scan one input, a file (path) or a string, record by record.  Errors
 * stop at the first: later ones are often its echoes.
 */
static int
scan(struct reader *rd, const char *file, const char *path, const char *text,
    size_t len, const char *origin)
{
	zs_scanner_t *s;
	size_t count = 0;
	int rc = -1;

	if ((s = malloc(sizeof(*s))) == NULL) {
		diag_set(rd->d, file, 0, "out of memory");
		return -1;
	}
	if (zs_init(s, origin, CLASS_IN, DEFAULT_TTL) != 0) {
		diag_set(rd->d, file, 0, "bad origin %s", origin);
		free(s);
		return -1;
	}
	errno = 0;
	if ((path != NULL ? zs_set_input_file(s, path) :
	    zs_set_input_string(s, text, len)) != 0) {
		diag_set(rd->d, file, 0, "%s", path != NULL && errno != 0 ?
		    strerror(errno) : zs_strerror(s->error.code));
		goto out;
	}
	while (zs_parse_record(s) == 0) {
		switch (s->state) {
		case ZS_STATE_DATA:
			if (add_record(rd, s, file) != 0)
				goto out;
			if (++count % RELEASE_EVERY == 0)
				release_input(s);
			continue;
		case ZS_STATE_INCLUDE:
			if (include(rd, s, file) != 0)
				goto out;
			continue;
		case ZS_STATE_EOF:
			rc = 0;
			goto out;
		case ZS_STATE_ERROR:
		default:
			break;
		}
		break;
	}
	if (s->error.code == ZS_BAD_BASE64_CHAR ||
	    s->error.code == ZS_BAD_HEX_CHAR ||
	    s->error.code == ZS_BAD_HEX_RDATA)
		rd->retry = 1;
	diag_set(rd->d, file, s->line_counter, "%s",
	    zs_strerror(s->error.code));
out:
	zs_deinit(s);
	free(s);
	return rc;
}

/* A whole input, its records stored through the pipeline. */
static int
scan_top(struct reader *rd, const char *file, const char *path,
    const char *text, size_t len, const char *origin)
{
	struct stat st;
	int rc, big;

	(void)zone_file_index(rd->z, file);	/* named even when empty */
	big = path != NULL ? stat(path, &st) == 0 && st.st_size >= THREAD_FROM :
	    len >= THREAD_FROM;
	if ((rd->pipe = zpipe_start(rd->z, big)) == NULL) {
		diag_set(rd->d, file, 0, "out of memory");
		return -1;
	}
	rc = scan(rd, file, path, text, len, origin);
	if (zpipe_finish(rd->pipe) != 0 && rc == 0) {
		diag_set(rd->d, file, 0, "out of memory");
		rc = -1;
	}
	rd->pipe = NULL;
	return rc;
}

static char *
slurp(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap), *nb;

	while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
	}
	if (buf != NULL && ferror(f)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Read again, after rewriting the text with b64join(). */
static int
rescan_joined(struct reader *rd, const char *text, size_t len,
    const char *origin, size_t keep)
{
	char *joined;
	size_t jlen;
	struct diag first = *rd->d;
	int rc;

	if ((joined = b64join(text, len, &jlen)) == NULL)
		return -1;
	rd->z->n = keep;
	rd->retry = 0;
	rc = scan_top(rd, rd->name, NULL, joined, jlen, origin);
	free(joined);
	/* When rejoining did not help, the first complaint is the clearer. */
	if (rc != 0 && strcmp(rd->d->msg, first.msg) != 0 &&
	    rd->d->line == first.line)
		*rd->d = first;
	return rc;
}

/*
 * Read a zone file ("-" for standard input) and append its records.
 * origin is the initial $ORIGIN ("." when NULL).
 */
int
zone_read_file(struct zone *z, const char *path, const char *origin,
    struct diag *d)
{
	struct reader rd = { z, d, NULL, 0, 0, NULL, NULL, 0 };
	size_t keep = z->n, len;
	char *text;
	FILE *f;
	int rc;

	if (origin == NULL)
		origin = ".";
	if (strcmp(path, "-") == 0) {
		if ((text = slurp(stdin, &len)) == NULL) {
			diag_set(d, "<stdin>", 0, "read: %s", strerror(errno));
			return -1;
		}
		rc = zone_read_string(z, "<stdin>", text, len, origin, d);
		free(text);
		return rc;
	}
	if (access(path, R_OK) != 0) {
		diag_set(d, path, 0, "%s", strerror(errno));
		return -1;
	}
	rd.name = path;
	if (scan_top(&rd, path, path, NULL, 0, origin) == 0)
		return 0;
	if (!rd.retry)
		return -1;
	if ((f = fopen(path, "r")) == NULL || (text = slurp(f, &len)) == NULL) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	rc = rescan_joined(&rd, text, len, origin, keep);
	free(text);
	return rc;
}

int
zone_read_string(struct zone *z, const char *name, const char *text,
    size_t len, const char *origin, struct diag *d)
{
	struct reader rd = { z, d, name, 0, 0, NULL, NULL, 0 };
	size_t keep = z->n;

	if (origin == NULL)
		origin = ".";
	if (scan_top(&rd, name, NULL, text, len, origin) == 0)
		return 0;
	if (!rd.retry)
		return -1;
	return rescan_joined(&rd, text, len, origin, keep);
}

/*
 * A whole zone read ("-" for standard input) and its apex found (RFC
 * 1035 §5.2); with ZONE_LOAD_SORT, in canonical order.
 * ZONE_LOAD_FRAGMENT takes records that need not form a zone (no apex).
 */
int
zone_load(struct zone *z, const char *path, const char *origin, int flags,
    struct diag *d)
{
	if (zone_read_file(z, path, origin, d) != 0)
		return -1;
	if (!(flags & ZONE_LOAD_FRAGMENT) && zone_find_apex(z, origin, d) != 0)
		return -1;
	if (flags & ZONE_LOAD_SORT)
		zone_sort(z);
	return 0;
}
