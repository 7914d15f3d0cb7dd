/*
 * Reading zone text (RFC 1035 §5) with libzscanner, which handles
 * $ORIGIN, $TTL, $INCLUDE, relative names, "@", parentheses, comments,
 * quoted strings, \DDD escapes and RFC 3597 "\#" RDATA, and gives wire
 * form directly.  Where libzscanner rejects base64 or hex split into
 * chunks that RFC 4034 allows, the text is rewritten by b64join() and
 * read again.
 *
 * A large file is read in pieces on every core by lib/zread-pieces.c;
 * standard input is made a file to read by lib/zread-stdin.c; the
 * reader's state they share is in lib/zread-int.h.
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

/* RDATA of a type whose fields the tools read, given in generic form
 * (RFC 3597 §5) without that type's shape, is refused: libzscanner
 * takes "\\# length hex" of any type as it comes. */
static int __attribute__((noinline))
bad_shape(struct reader *rd, const zs_scanner_t *s, const char *file)
{
	char why[RDSHAPE_WHY];

	if (rdshape_check(s->r_type, s->r_data, s->r_data_length, why,
	    sizeof(why)) == 0)
		return 0;
	diag_set(rd->d, file, s->line_counter, "%s", why);
	return -1;
}

/* A type bit map that is malformed or not in its one canonical form
 * (RFC 4034 §4.1.2) is refused, not rewritten: libzscanner makes the
 * map of a type list but takes "\#" RDATA as it comes. */
static int __attribute__((noinline))
bad_bitmap(struct reader *rd, const zs_scanner_t *s, const char *file)
{
	char why[TYPEBITMAP_WHY];

	if (typebitmap_rdata_check(s->r_type, s->r_data, s->r_data_length,
	    why, sizeof(why)) == 0)
		return 0;
	diag_set(rd->d, file, s->line_counter, "%s", why);
	return -1;
}

/*
 * RFC 2181 §8: a TTL is an unsigned 31-bit number, and a value with the
 * top bit set is taken as zero.  The first such record and their number
 * are kept for one warning when the whole input has been read (a
 * rejoined text is read twice; a hostile zone could have a million of
 * them).  A piece of a large file leaves such a record to the caller's
 * scanner, which reads on from the cut and meets it in its place.
 */
static int __attribute__((noinline))
ttl_over(struct reader *rd, const zs_scanner_t *s, const char *file)
{
	if (rd->piece) {
		diag_set(rd->d, file, s->line_counter, "TTL over 2^31 - 1");
		return -1;
	}
	if (rd->zeroed++ == 0)
		diag_set(&rd->zeroed_at, file, s->line_counter,
		    "TTL %u is over 2147483647: taken as 0 (RFC 2181 "
		    "section 8)", s->r_ttl);
	return 0;
}

/* The warning of ttl_over(), once the input is read. */
static void
warn_zeroed(const struct reader *rd)
{
	if (rd->zeroed == 0)
		return;
	if (rd->zeroed == 1)
		diag_warn("%s:%lu: %s", rd->zeroed_at.file,
		    rd->zeroed_at.line, rd->zeroed_at.msg);
	else
		diag_warn("%s:%lu: %s; %lu records in all",
		    rd->zeroed_at.file, rd->zeroed_at.line, rd->zeroed_at.msg,
		    rd->zeroed);
}

/*
 * A type that is no data has no place in a zone: 0 is reserved, 128 to
 * 255 are query and meta-types (RFC 6895 §3.1: AXFR, ANY, TSIG, TKEY,
 * ...), and OPT must not be stored in or loaded from zone files (RFC
 * 6891 §6.1.1).  libzscanner refuses their names but takes them as
 * "TYPEn", which no reader, ours included, takes back once written.
 */
static int __attribute__((noinline))
meta_type(struct reader *rd, const zs_scanner_t *s, const char *file)
{
	uint16_t t = s->r_type;

	if (t == 0)
		diag_set(rd->d, file, s->line_counter, "TYPE0 is reserved, "
		    "not a type of data (RFC 6895 section 3.1)");
	else if (t == 41)
		diag_set(rd->d, file, s->line_counter, "TYPE41 (OPT) is not "
		    "data: not allowed in a zone (RFC 6891 section 6.1.1)");
	else if (t >= 128 && t <= 255)
		diag_set(rd->d, file, s->line_counter, "TYPE%u is a query or "
		    "meta-type, not a type of data: not allowed in a zone "
		    "(RFC 6895 section 3.1)", t);
	else
		return 0;
	return -1;
}

/*
 * RFC 1035 §5.1: "\DDD" is the octet whose value is the decimal number
 * DDD, so DDD is at most 255.  libzscanner refuses more in a string but
 * takes it modulo 256 in a name ("a\300" reads as "a,", "ns\301x" as
 * "ns-x", "\999" as "\231"): a name the text does not hold, and which
 * BIND refuses ("bad escape").  The first such escape of a text outside
 * comments is found before it is read, while the text is there (at the
 * end of an input without a last newline libzscanner reads from a block
 * of its own, and has unmapped a file), and reported when the scanner
 * has read past it (escape_due()), so that the errors before it come
 * first.  A text without a backslash costs one memchr().
 */
uint32_t	zread_newlines(const char *, const char *);

static void
escape_find(struct escape *e, const char *text, const char *end)
{
	const char *p;
	int quote = 0;

	e->at = NULL;
	if (text == NULL || text >= end ||
	    memchr(text, '\\', (size_t)(end - text)) == NULL)
		return;
	for (p = text; p < end && e->at == NULL; p++) {
		if (*p == '\\') {
			if (end - p > 3 && p[1] >= '0' && p[1] <= '9' &&
			    p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
			    p[3] <= '9' && (p[1] - '0') * 100 +
			    (p[2] - '0') * 10 + (p[3] - '0') > 255)
				e->at = p;
			else if (p + 1 < end)
				p++;
		} else if (*p == '"')
			quote = !quote;
		else if (*p == ';' && !quote)
			while (p + 1 < end && p[1] != '\n')
				p++;
	}
	if (e->at != NULL)
		e->line = zread_newlines(text, e->at) + 1;
}

/* Has the scanner read past the escape?  Its position is compared as an
 * address, never read: it may be in libzscanner's own last block (then
 * input.eof is set), and the text unmapped. */
static int
escape_due(struct reader *rd, const zs_scanner_t *s, const char *file,
    const struct escape *e)
{
	if (e->at == NULL || (!s->input.eof && s->state != ZS_STATE_EOF &&
	    (uintptr_t)s->input.current <= (uintptr_t)e->at))
		return 0;
	diag_set(rd->d, file, e->line, "\\DDD escape over 255: not an "
	    "octet (RFC 1035 section 5.1)");
	return -1;
}

int
zread_add_record(struct reader *rd, const zs_scanner_t *s, const char *file)
{
	uint32_t ttl = s->r_ttl;

	if (s->r_type <= 255 && (meta_type(rd, s, file) != 0 ||
	    bad_shape(rd, s, file) != 0))
		return -1;

	if (ttl > 0x7fffffffu) {
		if (ttl_over(rd, s, file) != 0)
			return -1;
		ttl = 0;
	}
	/* One comparison for every type but the few from NSEC to CSYNC. */
	if ((unsigned)s->r_type - TYPEBITMAP_NSEC <=
	    TYPEBITMAP_CSYNC - TYPEBITMAP_NSEC && bad_bitmap(rd, s, file) != 0)
		return -1;
	if (file != rd->last_file) {
		rd->last_index = zone_file_index(rd->z, file);
		rd->last_file = file;
	}
	if (zpipe_add(rd->pipe, s->r_owner, s->r_type, s->r_class, ttl,
	    s->r_data, s->r_data_length, rd->last_index,
	    (uint32_t)s->line_counter) != 0) {
		diag_set(rd->d, file, s->line_counter, "out of memory");
		return -1;
	}
	return 0;
}

static int scan(struct reader *, const char *, const char *, const char *,
    size_t, const char *);

/* Newlines in [p, end), eight octets at a time: an octet of w ^ 0x0a..
 * is zero where w holds a newline, and its high bit in t is then clear
 * (exactly then: no carry crosses octets). */
uint32_t
zread_newlines(const char *p, const char *end)
{
	const uint64_t nl = 0x0a0a0a0a0a0a0a0au, low = 0x7f7f7f7f7f7f7f7fu;
	uint64_t w, x, t;
	uint32_t n = 0;

	for (; end - p >= 8; p += 8) {
		memcpy(&w, p, 8);
		x = w ^ nl;
		t = ((x & low) + low) | x;
		/* One bit per octet: their sum lands in the top octet. */
		n += (uint32_t)((((~t & ~low) >> 7) * 0x0101010101010101u) >>
		    56);
	}
	for (; p < end; p++)
		n += *p == '\n';
	return n;
}

char	*zread_slurp(FILE *, size_t *);

/*
 * libzscanner meets an unclosed parenthesis (RFC 1035 §5.1) at the end
 * of its input and reports the line it stands on there.  The text (the
 * file read again: libzscanner ends on a block of its own) is read as
 * libzscanner reads it (a backslash escapes the next character, quotes
 * and comments hide parentheses, a quoted string in parentheses may
 * hold newlines) for the line of the parenthesis or quote left open.
 * Only on this error: no cost to reading.
 */
static void
unclosed(struct reader *rd, const zs_scanner_t *s, const char *file,
    const char *path, const char *text, size_t len)
{
	const char *p, *end;
	char *buf = NULL;
	unsigned long line = 1, paren = 0, quote = 0;
	FILE *f;

	if (path != NULL && (f = fopen(path, "r")) != NULL) {
		text = buf = zread_slurp(f, &len);
		fclose(f);
	}
	for (p = text, end = text + len; text != NULL && p < end; p++) {
		if (*p == '\\' && p + 1 < end) {
			if (*++p == '\n')
				line++;
		} else if (*p == '\n') {
			line++;
		} else if (quote) {
			if (*p == '"')
				quote = 0;
		} else if (*p == '"') {
			quote = line;
		} else if (*p == ';') {
			while (p + 1 < end && p[1] != '\n')
				p++;
		} else if (*p == '(') {
			if (paren == 0)
				paren = line;
		} else if (*p == ')')
			paren = 0;
	}
	free(buf);
	if (quote != 0)
		diag_set(rd->d, file, quote, "unclosed quoted string");
	else if (paren != 0)
		diag_set(rd->d, file, paren, "unclosed parenthesis");
	else
		diag_set(rd->d, file, s->line_counter, "%s",
		    zs_strerror(s->error.code));
}

/*
 * $INCLUDE (RFC 1035 §5.1): libzscanner gives the file, resolved against
 * the including file's directory, and the origin in presentation form,
 * and leaves reading it to us (it opens nothing in zs_parse_record()).
 * Zones and fragments come from the other operator: an $INCLUDE in them
 * could read any local file into a zone that is then published.  It is
 * honoured only when the caller asks (ZONE_LOAD_INCLUDE: zcanon -I),
 * and then refused before the file is looked at.
 */
static int
include(struct reader *rd, const zs_scanner_t *s, const char *file)
{
	char *path, *origin;
	int rc;

	if (!rd->include_ok) {
		diag_set(rd->d, file, s->line_counter, "$INCLUDE %s: not "
		    "allowed (see berokit(7))", s->include_filename);
		return -1;
	}
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
	struct pieces *ps = NULL;
	struct escape esc;
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
	/* Standard input read as a file (stdin_open()): a relative
	 * $INCLUDE names a file of the current directory, as when the text
	 * is read from memory, not of the directory of a file the user did
	 * not name. */
	if (rd->stdin_file && rd->depth == 0 && path != NULL) {
		char *dot = strdup(".");
		if (dot == NULL) {
			diag_set(rd->d, file, 0, "out of memory");
			goto out;
		}
		free(s->path);
		s->path = dot;
	}
	escape_find(&esc, s->input.start, s->input.end);
	while (zs_parse_record(s) == 0) {
		switch (s->state) {
		case ZS_STATE_DATA:
			if (escape_due(rd, s, file, &esc) != 0 ||
			    zread_add_record(rd, s, file) != 0)
				goto out;
			if (++count % RELEASE_EVERY == 0)
				release_input(s);
			if (count == 1 && rd->split && rd->depth == 0 &&
			    esc.at == NULL) {
				if ((ps = zread_pieces_start(rd, s,
				    file)) == NULL)
					zpipe_thread(rd->pipe);
			} else if (ps != NULL &&
			    s->input.current >= ps->p[0].end - 1) {
				/* Past the cut, or at it: a record ends
				 * there only when the scanner stands on its
				 * newline. */
				if (s->input.current == ps->p[0].end - 1 &&
				    zread_pieces_join(rd, ps, s) == 0) {
					rc = 0;
					goto out;
				}
				zread_pieces_free(ps);
				ps = NULL;
				/* Reading on alone: store on a second core. */
				zpipe_thread(rd->pipe);
			}
			continue;
		case ZS_STATE_INCLUDE:
			if (include(rd, s, file) != 0)
				goto out;
			continue;
		case ZS_STATE_EOF:
			if (escape_due(rd, s, file, &esc) == 0)
				rc = 0;
			goto out;
		case ZS_STATE_ERROR:
		default:
			break;
		}
		break;
	}
	if (s->error.code == ZS_BAD_BASE64_CHAR ||
	    s->error.code == ZS_BAD_BASE32HEX_CHAR ||
	    s->error.code == ZS_BAD_HEX_CHAR ||
	    s->error.code == ZS_BAD_HEX_RDATA)
		rd->retry = 1;
	if (s->error.code == ZS_UNCLOSED_MULTILINE)
		unclosed(rd, s, file, path, text, len);
	else
		diag_set(rd->d, file, s->line_counter, "%s",
		    zs_strerror(s->error.code));
out:
	zread_pieces_free(ps);
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
	rd->z->pieces = 0;
	big = path != NULL ? stat(path, &st) == 0 && st.st_size >= THREAD_FROM :
	    len >= THREAD_FROM;
	rd->split = big && path != NULL && st.st_size >= SPLIT_FROM &&
	    workpool_cores() >= 2;
	/* Read in pieces, each stores its own records on the thread that
	 * reads it: no thread waits on another's store. */
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

/* The rest of f after the n octets of buf (malloc'd, or NULL). */
char *
zread_slurp_onto(FILE *f, char *buf, size_t n, size_t *len)
{
	size_t cap = n + 64 * 1024, got;
	char *nb;

	if ((nb = realloc(buf, cap)) == NULL) {
		free(buf);
		return NULL;
	}
	buf = nb;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
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
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

char *
zread_slurp(FILE *f, size_t *len)
{
	return zread_slurp_onto(f, NULL, 0, len);
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
	rd->zeroed = 0;
	rc = scan_top(rd, rd->name, NULL, joined, jlen, origin);
	free(joined);
	/* When rejoining did not help, the first complaint is the clearer. */
	if (rc != 0 && strcmp(rd->d->msg, first.msg) != 0 &&
	    rd->d->line == first.line)
		*rd->d = first;
	return rc;
}

/* The end of a read: the warnings it gave, when it succeeded.  The
 * library does not print, but for this: every program reads its zones,
 * fragments and key files here, and a warning each caller had to fetch
 * would be lost by the one that forgot. */
static int
read_done(const struct reader *rd, int rc)
{
	if (rc == 0)
		warn_zeroed(rd);
	return rc;
}

static int	read_string(struct zone *, const char *, const char *, size_t,
		    const char *, int, struct diag *);

/* A zone file read by its path, under its name in messages. */
static int
read_path(struct zone *z, const char *name, const char *path,
    const char *origin, int include, struct diag *d)
{
	struct reader rd = { .z = z, .d = d, .include_ok = include };
	size_t keep = z->n, len;
	char *text;
	FILE *f;
	int rc;

	rd.name = name;
	rd.stdin_file = strcmp(name, "<stdin>") == 0;
	if (scan_top(&rd, name, path, NULL, 0, origin) == 0)
		return read_done(&rd, 0);
	if (!rd.retry)
		return -1;
	if ((f = fopen(path, "r")) == NULL || (text = zread_slurp(f,
	    &len)) == NULL) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	rc = rescan_joined(&rd, text, len, origin, keep);
	free(text);
	return read_done(&rd, rc);
}

/* A zone file ("-" for standard input), its records appended; include:
 * $INCLUDE is honoured (a name relative to the directory of the file,
 * the current one for standard input: that is read into memory). */
static int
read_file(struct zone *z, const char *path, const char *origin, int include,
    struct diag *d)
{
	struct spool sp;
	int rc;

	if (origin == NULL)
		origin = ".";
	if (strcmp(path, "-") == 0) {
		if (zread_stdin_open(&sp, include) != 0) {
			diag_set(d, "<stdin>", 0, "read: %s", strerror(errno));
			return -1;
		}
		if (sp.text != NULL) {
			rc = read_string(z, "<stdin>", sp.text, sp.len, origin,
			    include, d);
			free(sp.text);
			return rc;
		}
		rc = read_path(z, "<stdin>", sp.path, origin, include, d);
		if (sp.fd >= 0)
			close(sp.fd);
		return rc;
	}
	if (access(path, R_OK) != 0) {
		diag_set(d, path, 0, "%s", strerror(errno));
		return -1;
	}
	return read_path(z, path, path, origin, include, d);
}

/*
 * Read a zone file ("-" for standard input) and append its records.
 * origin is the initial $ORIGIN ("." when NULL).  $INCLUDE is refused:
 * the file may come from anyone (include()).
 */
int
zone_read_file(struct zone *z, const char *path, const char *origin,
    struct diag *d)
{
	return read_file(z, path, origin, 0, d);
}

static int
read_string(struct zone *z, const char *name, const char *text, size_t len,
    const char *origin, int include, struct diag *d)
{
	struct reader rd = { .z = z, .d = d, .name = name,
	    .include_ok = include };
	size_t keep = z->n;

	if (origin == NULL)
		origin = ".";
	if (scan_top(&rd, name, NULL, text, len, origin) == 0)
		return read_done(&rd, 0);
	if (!rd.retry)
		return -1;
	return read_done(&rd, rescan_joined(&rd, text, len, origin, keep));
}

/* Zone text in memory, read as zone_read_file() reads a file. */
int
zone_read_string(struct zone *z, const char *name, const char *text,
    size_t len, const char *origin, struct diag *d)
{
	return read_string(z, name, text, len, origin, 0, d);
}

/*
 * A zone transfer begins and ends with the zone's SOA (RFC 5936 §2.2),
 * and "dig AXFR" and "kdig AXFR" print it so, between comments: a file
 * whose last record is the SOA it began with, TTL included, is such a
 * transcript, and the closing SOA goes.  A second SOA anywhere else
 * stays an error (zone_find_apex()).
 */
static void
drop_closing_soa(struct zone *z, size_t first)
{
	const struct rr *a, *b;

	if (z->n < first + 2)
		return;
	a = &z->rr[first];
	b = &z->rr[z->n - 1];
	if (a->type == T_SOA && b->type == T_SOA && a->rclass == b->rclass &&
	    a->ttl == b->ttl && a->rdlen == b->rdlen &&
	    dname_equal(a->owner, b->owner) &&
	    memcmp(a->rdata, b->rdata, a->rdlen) == 0)
		z->n--;
}

/*
 * A whole zone read ("-" for standard input) and its apex found (RFC
 * 1035 §5.2); with ZONE_LOAD_SORT, in canonical order.  An AXFR
 * transcript is read as the zone it carries (drop_closing_soa()).
 * ZONE_LOAD_FRAGMENT takes records that need not form a zone (no apex).
 * ZONE_LOAD_INCLUDE honours $INCLUDE, for a file the user names and
 * trusts.
 */
int
zone_load(struct zone *z, const char *path, const char *origin, int flags,
    struct diag *d)
{
	size_t first = z->n;

	if (read_file(z, path, origin, (flags & ZONE_LOAD_INCLUDE) != 0,
	    d) != 0)
		return -1;
	drop_closing_soa(z, first);
	if (!(flags & ZONE_LOAD_FRAGMENT) && zone_find_apex(z, origin, d) != 0)
		return -1;
	if (flags & ZONE_LOAD_SORT)
		zone_sort(z);
	return 0;
}
