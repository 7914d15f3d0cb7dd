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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libzscanner/scanner.h>

#include "b64join.h"
#include "diag.h"
#include "dname.h"
#include "rrtype.h"
#include "workpool.h"
#include "zone.h"
#include "zpipe.h"

#define DEFAULT_TTL	3600
#define RELEASE_EVERY	65536
#define THREAD_FROM	(1 << 20)	/* input octets worth a second thread */
#define SPLIT_FROM	(8 << 20)	/* input octets worth reading in halves */

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
	int		 split;		/* may read the file in two halves */
};

/*
 * The second half of a large file, read on a thread of its own into a
 * zone of its own while the calling thread reads the first half (see
 * half_start()).
 */
struct half {
	struct reader	 rd;
	struct diag	 d;
	zs_scanner_t	*s;
	const char	*file;
	const char	*base, *cut;	/* the input, the newline before it */
	size_t		 len;		/* of the input */
	uint32_t	 lines;		/* newlines before the half */
	pthread_t	 tid;
	pthread_mutex_t	 lock;
	int		 stop;		/* the first half gave up on it */
	int		 ok;		/* read to its end without trouble */
	uint8_t		 origin[sizeof(((zs_scanner_t *)0)->zone_origin)];
	uint32_t	 origin_len;	/* the state it started in */
	uint32_t	 ttl;
	uint16_t	 rclass;
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

/* The page-aligned part of [from, to) given back, as release_input(). */
static void
release_range(const char *from, const char *to)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE), a, b;

	a = ((uintptr_t)from + pg - 1) & ~(pg - 1);
	b = (uintptr_t)to & ~(pg - 1);
	if (b > a)
		(void)madvise((void *)a, b - a, MADV_DONTNEED);
}

static int
half_stopped(struct half *h)
{
	int stop;

	pthread_mutex_lock(&h->lock);
	stop = h->stop;
	pthread_mutex_unlock(&h->lock);
	return stop;
}

static void *
half_run(void *arg)
{
	struct half *h = arg;
	const char *p, *start = h->cut + 1;
	size_t count = 0;
	uint32_t lines = 0;

	for (p = h->base; (p = memchr(p, '\n', (size_t)(start - p))) != NULL;
	    p++)
		lines++;
	h->lines = lines;
	while (zs_parse_record(h->s) == 0) {
		if (h->s->state == ZS_STATE_EOF) {
			h->ok = 1;
			break;
		}
		/* $INCLUDE, whose path is relative to the file, and
		 * errors are left to the first half, reading on. */
		if (h->s->state != ZS_STATE_DATA ||
		    add_record(&h->rd, h->s, h->file) != 0)
			break;
		if (++count % RELEASE_EVERY == 0) {
			release_range(start, h->s->input.current);
			if (half_stopped(h))
				break;
		}
	}
	if (zpipe_finish(h->rd.pipe) != 0)
		h->ok = 0;
	h->rd.pipe = NULL;
	return NULL;
}

static void
half_free(struct half *h)
{
	if (h == NULL)
		return;
	zs_deinit(h->s);
	free(h->s);
	zone_free(h->rd.z);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

/* Tell the second half to stop, wait for it and free it. */
static void
half_abandon(struct half *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = 1;
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->tid, NULL);
	half_free(h);
}

/* Could a record's owner start here?  A letter, a digit or one of the
 * few other octets names begin with: not a blank (the previous owner), a
 * comment, a directive or a parenthesis. */
static int
owner_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '*' || c == '-';
}

/*
 * Start reading the second half of a large file on a second thread,
 * libzscanner being the larger part of reading.  The cut is a newline
 * near the middle followed by an owner, and the second half starts with
 * the state the first one is in now, after its first record: the
 * origin, the default TTL and the class.  Whether that is sound is only
 * known when the first half reaches the cut (half_join()); until then
 * the second half is a guess.  Returns NULL when there is no cut.
 */
static struct half *
half_start(struct reader *rd, const zs_scanner_t *s, const char *file)
{
	const char *base = s->input.start, *end = s->input.end, *p;
	struct half *h;

	if (!s->input.mmaped || base == NULL || end - base < SPLIT_FROM)
		return NULL;
	for (p = base + (end - base) / 2; p < end - 1; p++) {
		if ((p = memchr(p, '\n', (size_t)(end - 1 - p))) == NULL)
			return NULL;
		if (owner_start(p[1]))
			break;
	}
	if (p >= end - 1 || p < s->input.current)
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->file = file;
	h->base = base;
	h->cut = p;
	h->len = (size_t)(end - base);
	pthread_mutex_init(&h->lock, NULL);
	if ((h->s = malloc(sizeof(*h->s))) == NULL ||
	    zs_init(h->s, ".", CLASS_IN, DEFAULT_TTL) != 0) {
		free(h->s);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	memcpy(h->origin, s->zone_origin, s->zone_origin_length);
	h->origin_len = s->zone_origin_length;
	h->ttl = s->default_ttl;
	h->rclass = s->default_class;
	memcpy(h->s->zone_origin, h->origin, h->origin_len);
	h->s->zone_origin_length = h->origin_len;
	h->s->default_ttl = h->ttl;
	h->s->default_class = h->rclass;
	h->rd = *rd;
	h->rd.z = NULL;		/* its own, below; never the caller's */
	h->rd.pipe = NULL;
	h->rd.retry = 0;
	h->rd.d = &h->d;
	h->rd.depth = 0;
	h->rd.last_file = NULL;
	h->rd.split = 0;
	if (zs_set_input_string(h->s, p + 1, (size_t)(end - p - 1)) != 0 ||
	    (h->rd.z = zone_new()) == NULL ||
	    (h->rd.pipe = zpipe_start(h->rd.z, 0)) == NULL) {
		half_free(h);
		return NULL;
	}
	if (pthread_create(&h->tid, NULL, half_run, h) != 0) {
		(void)zpipe_finish(h->rd.pipe);
		half_free(h);
		return NULL;
	}
	return h;
}

/*
 * The first half has read the record that ends at the cut.  The second
 * half's records are taken when it read to the end without trouble and
 * started in the state the first half is in now: the same origin and
 * default TTL (RFC 1035 §5.1), and the class every record there without
 * one gets, whichever of the default and the last class that is.
 * Returns 0 when they were taken; otherwise the first half reads on.
 */
static int
half_join(struct reader *rd, struct half *h, const zs_scanner_t *s)
{
	int rc = -1;

	pthread_join(h->tid, NULL);
	if (h->ok && s->zone_origin_length == h->origin_len &&
	    memcmp(s->zone_origin, h->origin, h->origin_len) == 0 &&
	    s->default_ttl == h->ttl && s->default_class == h->rclass &&
	    s->r_class == s->default_class && zpipe_flush(rd->pipe) == 0 &&
	    zone_append(rd->z, h->rd.z, h->lines) == 0) {
		h->rd.z = NULL;
		rc = 0;
	}
	half_free(h);
	return rc;
}

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
	struct half *h = NULL, *t;
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
			if (count == 1 && rd->split && rd->depth == 0) {
				if ((h = half_start(rd, s, file)) == NULL)
					zpipe_thread(rd->pipe);
			} else if (h != NULL && s->input.current >= h->cut) {
				/* Past the cut: no record ends there. */
				t = h;
				h = NULL;
				if (t->cut != s->input.current)
					half_abandon(t);
				else if (half_join(rd, t, s) == 0) {
					rc = 0;
					goto out;
				}
				/* Reading on alone: store on a second core. */
				zpipe_thread(rd->pipe);
			}
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
	half_abandon(h);
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
	rd->split = big && path != NULL && st.st_size >= SPLIT_FROM &&
	    workpool_cores() >= 2;
	/* Read in halves, each half stores its own records: two threads
	 * for two cores, neither half waiting on the other's store. */
	if ((rd->pipe = zpipe_start(rd->z, big && !rd->split)) == NULL) {
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
	struct reader rd = { z, d, NULL, 0, 0, NULL, NULL, 0, 0 };
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
	struct reader rd = { z, d, name, 0, 0, NULL, NULL, 0, 0 };
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
