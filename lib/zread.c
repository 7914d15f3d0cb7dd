/*
 * Reading zone text (RFC 1035 §5) with libzscanner, which handles
 * $ORIGIN, $TTL, $INCLUDE, relative names, "@", parentheses, comments,
 * quoted strings, \DDD escapes and RFC 3597 "\#" RDATA, and gives wire
 * form directly.  Where libzscanner rejects base64 or hex split into
 * chunks that RFC 4034 allows, the text is rewritten by b64join() and
 * read again.
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

#define DEFAULT_TTL	3600
#define RELEASE_EVERY	65536
#define LOOK_EVERY	4096	/* records between a piece's looks at stop */
#define THREAD_FROM	(1 << 20)	/* input octets worth a second thread */
#define SPLIT_FROM	(8 << 20)	/* input octets worth reading in halves */

#define MAX_INCLUDE_DEPTH	16
#define ORIGIN_MAX	sizeof(((zs_scanner_t *)0)->zone_origin)

struct reader {
	struct zone	*z;
	struct diag	*d;
	const char	*name;		/* name of the top-level input */
	int		 retry;		/* a binary field to rejoin */
	int		 depth;		/* of $INCLUDE */
	struct zpipe	*pipe;
	const char	*last_file;	/* zone_file_index() of it: */
	uint16_t	 last_index;
	int		 split;		/* may read the file in pieces */
	int		 piece;		/* reads a piece of a large file */
	int		 include_ok;	/* $INCLUDE honoured, see include() */
	int		 stdin_file;	/* standard input read as a file */
	unsigned long	 zeroed;	/* TTLs over 2^31 - 1 taken as 0, */
	struct diag	 zeroed_at;	/* the first of them */
};

#define PIECES		8	/* of a large file, read on every core */

/*
 * A large file is read in pieces at once (see pieces_start()): piece 0
 * by the calling thread's own scanner, pieces 1 to n - 1 each by a
 * scanner of its own into a zone of its own, on whichever thread is
 * free, started in the state the file is in after its first record.
 */
struct piece {
	const char	*start, *end;	/* its text, which ends in a newline */
	struct zone	*z;
	struct diag	 d;
	uint32_t	 lines;		/* newlines in it */
	int		 ok;		/* read to its end without trouble */
	uint8_t		 origin[ORIGIN_MAX];	/* the state it ended in */
	uint32_t	 origin_len, ttl;
	uint16_t	 rclass;
	int		 last_default;	/* the last record had that class */
};

struct pieces {
	struct reader		 rd;	/* the caller's, a model for each */
	const char		*file, *base;
	pthread_mutex_t		 lock;
	int			 n;	/* pieces, 0 the caller's */
	int			 next;	/* the next one to read */
	int			 stop;	/* the caller gave up on them */
	struct piece		 p[PIECES];
	pthread_t		 tid[PIECES];
	int			 threads;
	uint8_t			 origin[ORIGIN_MAX];	/* the state every */
	uint32_t		 origin_len, ttl;	/* piece starts in */
	uint16_t		 rclass;
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
static uint32_t	newlines(const char *, const char *);

struct escape {
	const char	*at;		/* the first escape over 255, or NULL */
	unsigned long	 line;		/* its line */
};

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
		e->line = newlines(text, e->at) + 1;
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

static int
add_record(struct reader *rd, const zs_scanner_t *s, const char *file)
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
 * May a piece end at the newline at nl?  Not when a backslash stands
 * before it: "\" and a newline are one character of a name (RFC 1035
 * §5.1), so the record goes on over the next line, yet a piece that
 * ends there reads as a record complete at its end, and the next piece
 * reads the rest of it as a record of its own (a hostile zone had
 * "t NSEC x\" and "b NS NS" read as a delegation of b that reading the
 * file whole, or from standard input, does not see).  A parenthesis or
 * a quote left open at the end of a piece is an error there, which
 * makes the caller read on alone.  An escaped backslash before the
 * newline is skipped as well: cuts are plenty.
 */
static int
cut_here(const char *nl)
{
	return owner_start(nl[1]) && nl[-1] != '\\';
}

static int
pieces_stopped(struct pieces *ps)
{
	int stop;

	pthread_mutex_lock(&ps->lock);
	stop = ps->stop;
	pthread_mutex_unlock(&ps->lock);
	return stop;
}

/* The next piece nobody reads yet, or -1. */
static int
piece_claim(struct pieces *ps)
{
	int i = -1;

	pthread_mutex_lock(&ps->lock);
	if (!ps->stop && ps->next < ps->n)
		i = ps->next++;
	pthread_mutex_unlock(&ps->lock);
	return i;
}

/* Newlines in [p, end), eight octets at a time: an octet of w ^ 0x0a..
 * is zero where w holds a newline, and its high bit in t is then clear
 * (exactly then: no carry crosses octets). */
static uint32_t
newlines(const char *p, const char *end)
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

/* A scanner for text in the state the pieces start in. */
static zs_scanner_t *
piece_scanner(const struct pieces *ps, const struct piece *pc)
{
	zs_scanner_t *s;

	if ((s = malloc(sizeof(*s))) == NULL)
		return NULL;
	if (zs_init(s, ".", CLASS_IN, DEFAULT_TTL) != 0) {
		free(s);
		return NULL;
	}
	memcpy(s->zone_origin, ps->origin, ps->origin_len);
	s->zone_origin_length = ps->origin_len;
	s->default_ttl = ps->ttl;
	s->default_class = ps->rclass;
	if (zs_set_input_string(s, pc->start,
	    (size_t)(pc->end - pc->start)) != 0) {
		zs_deinit(s);
		free(s);
		return NULL;
	}
	return s;
}

/* Keep the state a piece's scanner ended in. */
static void
piece_end_state(struct piece *pc, const zs_scanner_t *s)
{
	memcpy(pc->origin, s->zone_origin, s->zone_origin_length);
	pc->origin_len = s->zone_origin_length;
	pc->ttl = s->default_ttl;
	pc->rclass = s->default_class;
	pc->last_default = s->r_class == s->default_class;
}

/*
 * Read piece i into a zone of its own.  $INCLUDE (whose path is relative
 * to the file) and errors end it; the caller then reads on from where it
 * is, and meets them in their place.
 */
static void
piece_read(struct pieces *ps, int i)
{
	struct piece *pc = &ps->p[i];
	struct reader rd = ps->rd;
	zs_scanner_t *s;
	size_t count = 0;

	pc->lines = newlines(pc->start, pc->end);
	if ((pc->z = zone_new()) == NULL ||
	    (s = piece_scanner(ps, pc)) == NULL)
		return;
	rd.z = pc->z;
	rd.d = &pc->d;
	rd.retry = 0;
	rd.depth = 0;
	rd.last_file = NULL;
	rd.split = 0;
	rd.piece = 1;
	if ((rd.pipe = zpipe_start(pc->z, 0)) == NULL) {
		zs_deinit(s);
		free(s);
		return;
	}
	while (zs_parse_record(s) == 0) {
		if (s->state == ZS_STATE_EOF) {
			pc->ok = 1;
			break;
		}
		if (s->state != ZS_STATE_DATA ||
		    add_record(&rd, s, ps->file) != 0)
			break;
		if (++count % LOOK_EVERY != 0)
			continue;
		if (count % RELEASE_EVERY == 0)
			release_range(pc->start, s->input.current);
		if (pieces_stopped(ps))
			break;
	}
	if (zpipe_finish(rd.pipe) != 0)
		pc->ok = 0;
	if (pc->ok)
		piece_end_state(pc, s);
	zs_deinit(s);
	free(s);
}

static void *
piece_worker(void *arg)
{
	struct pieces *ps = arg;
	int i;

	while ((i = piece_claim(ps)) >= 0)
		piece_read(ps, i);
	return NULL;
}

/* Wait for the pieces' threads, which end when no piece is left. */
static void
pieces_wait(struct pieces *ps)
{
	int t;

	for (t = 0; t < ps->threads; t++)
		pthread_join(ps->tid[t], NULL);
	ps->threads = 0;
}

/* Stop the pieces' threads (they stop at their next look) and wait. */
static void
pieces_stop(struct pieces *ps)
{
	pthread_mutex_lock(&ps->lock);
	ps->stop = 1;
	pthread_mutex_unlock(&ps->lock);
	pieces_wait(ps);
}

static void
pieces_free(struct pieces *ps)
{
	int i;

	if (ps == NULL)
		return;
	pieces_stop(ps);
	for (i = 1; i < ps->n; i++)
		zone_free(ps->p[i].z);
	pthread_mutex_destroy(&ps->lock);
	free(ps);
}

/*
 * Cut a large file into pieces to read at once, libzscanner being the
 * larger part of reading.  Each cut is a newline near an nth of the file
 * followed by an owner, and every piece but the first starts in the
 * state the first one is in now, after its first record: the origin, the
 * default TTL and the class.  Whether that is sound is only known when
 * the pieces are joined (pieces_join()); until then they are guesses.
 * Threads read the pieces in turn, one per core beside the caller's.
 * Returns NULL when there is no cut.
 */
static struct pieces *
pieces_start(const struct reader *rd, const zs_scanner_t *s,
    const char *file)
{
	const char *base = s->input.start, *end = s->input.end, *p, *prev;
	struct pieces *ps;
	unsigned t, cores = workpool_cores();
	int i;

	if (!s->input.mmaped || base == NULL || end - base < SPLIT_FROM ||
	    (ps = calloc(1, sizeof(*ps))) == NULL)
		return NULL;
	for (prev = s->input.current, i = 1; i < PIECES; i++) {
		for (p = base + (size_t)(end - base) / PIECES * i;
		    p < end - 1; p++) {
			if ((p = memchr(p, '\n', (size_t)(end - 1 - p))) ==
			    NULL)
				p = end - 1;
			else if (cut_here(p))
				break;
		}
		if (p >= end - 1)
			break;
		if (p <= prev)
			continue;
		ps->p[ps->n].end = p + 1;
		ps->p[++ps->n].start = p + 1;
		prev = p;
	}
	if (ps->n == 0) {
		free(ps);
		return NULL;
	}
	ps->p[ps->n++].end = end;
	ps->p[0].start = base;
	ps->rd = *rd;
	ps->file = file;
	ps->base = base;
	ps->next = 1;
	memcpy(ps->origin, s->zone_origin, s->zone_origin_length);
	ps->origin_len = s->zone_origin_length;
	ps->ttl = s->default_ttl;
	ps->rclass = s->default_class;
	pthread_mutex_init(&ps->lock, NULL);
	for (t = 1; t < cores && (int)t < ps->n; t++)
		if (pthread_create(&ps->tid[ps->threads], NULL, piece_worker,
		    ps) == 0)
			ps->threads++;
	return ps;
}

/* A scanner's state, or a piece's at its end, is the one every piece
 * starts in: the same origin and default TTL (RFC 1035 §5.1), and the
 * class every record there without one gets, whichever of the default
 * and the last class that is. */
static int
starts_next(const struct pieces *ps, const uint8_t *origin,
    uint32_t origin_len, uint32_t ttl, uint16_t rclass, int last_default)
{
	return origin_len == ps->origin_len &&
	    memcmp(origin, ps->origin, origin_len) == 0 && ttl == ps->ttl &&
	    rclass == ps->rclass && last_default;
}

/*
 * The caller's scanner has read the record that ends at the first cut.
 * It helps read the pieces left, and then takes them all, in order, if
 * each was read to its end without trouble and the state before it
 * (the caller's scanner's now, then each piece's at its end) is the one
 * it started in.  Returns 0 when they were taken; otherwise none is, and
 * the caller reads on from the cut.
 */
static int
pieces_join(struct reader *rd, struct pieces *ps, const zs_scanner_t *s)
{
	uint32_t lines;
	size_t keep;
	int i;

	while ((i = piece_claim(ps)) >= 0)
		piece_read(ps, i);
	pieces_wait(ps);
	if (!starts_next(ps, s->zone_origin, s->zone_origin_length,
	    s->default_ttl, s->default_class, s->r_class == s->default_class))
		return -1;
	for (i = 1; i < ps->n; i++) {
		const struct piece *pc = &ps->p[i];
		if (!pc->ok || (i + 1 < ps->n && !starts_next(ps, pc->origin,
		    pc->origin_len, pc->ttl, pc->rclass, pc->last_default)))
			return -1;
	}
	if (zpipe_flush(rd->pipe) != 0)
		return -1;
	lines = newlines(ps->base, ps->p[1].start);
	keep = rd->z->n;
	for (i = 1; i < ps->n; i++) {
		if (zone_append(rd->z, ps->p[i].z, lines) != 0) {
			/* Out of memory: none taken (the ones appended
			 * are the zone's to free), the caller reads on. */
			rd->z->n = keep;
			return -1;
		}
		ps->p[i].z = NULL;
		lines += ps->p[i].lines;
	}
	rd->z->pieces = (unsigned)ps->n;
	return 0;
}

static char	*slurp(FILE *, size_t *);

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
		text = buf = slurp(f, &len);
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
			    add_record(rd, s, file) != 0)
				goto out;
			if (++count % RELEASE_EVERY == 0)
				release_input(s);
			if (count == 1 && rd->split && rd->depth == 0 &&
			    esc.at == NULL) {
				if ((ps = pieces_start(rd, s, file)) == NULL)
					zpipe_thread(rd->pipe);
			} else if (ps != NULL &&
			    s->input.current >= ps->p[0].end - 1) {
				/* Past the cut, or at it: a record ends
				 * there only when the scanner stands on its
				 * newline. */
				if (s->input.current == ps->p[0].end - 1 &&
				    pieces_join(rd, ps, s) == 0) {
					rc = 0;
					goto out;
				}
				pieces_free(ps);
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
	pieces_free(ps);
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
static char *
slurp_onto(FILE *f, char *buf, size_t n, size_t *len)
{
	size_t cap = n + (1 << 16), got;
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

static char *
slurp(FILE *f, size_t *len)
{
	return slurp_onto(f, NULL, 0, len);
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

/*
 * Standard input read as a file is (issue 14): a regular file (zone <
 * file) is that file, mapped; a pipe is moved to a temporary file,
 * unlinked at once, in $TMPDIR or /tmp.  So the text is not held in
 * memory to the end: the pages already read are given back
 * (release_input()), a large text is read in pieces on every core, and
 * it can be read again (b64join()).  A copy in memory cost 1.5 times the
 * peak memory of a file and a third more time.  The text is read into
 * memory after all when no temporary file can be made, or it cannot
 * take the text (a full file system), and with $INCLUDE honoured (a
 * relative name is one of the current directory, include()).
 */
#define SPOOL_BUF	(1 << 20)

struct spool {
	char		 path[64];	/* /dev/fd/N, to read the file by */
	int		 fd;		/* to close, -1 for none */
	char		*text;		/* or the text, in memory */
	size_t		 len;
};

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
	return (sp->text = slurp_onto(stdin, buf, o + n, &sp->len)) == NULL ?
	    -1 : 0;
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
static int
stdin_open(struct spool *sp, int include)
{
	const char *dir = getenv("TMPDIR");
	char tmp[4096];
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
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if (include || (size_t)snprintf(tmp, sizeof(tmp),
	    "%s/berokit-stdin.XXXXXX", dir) >= sizeof(tmp) ||
	    (sp->fd = mkstemp(tmp)) < 0) {
		sp->fd = -1;
		return (sp->text = slurp(stdin, &sp->len)) == NULL ? -1 : 0;
	}
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
	if ((f = fopen(path, "r")) == NULL || (text = slurp(f, &len)) == NULL) {
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
		if (stdin_open(&sp, include) != 0) {
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
