/*
 * A large zone file read in pieces at once: cut at the start of an
 * owner's line, each piece read by its own scanner on whichever thread is
 * free, started in the state the file is in there, and the pieces taken
 * only when each started in the state the one before it ended in;
 * otherwise reading goes on from the first cut in one go.
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

	pc->lines = zread_newlines(pc->start, pc->end);
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
		    zread_add_record(&rd, s, ps->file) != 0)
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

void
zread_pieces_free(struct pieces *ps)
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
struct pieces *
zread_pieces_start(const struct reader *rd, const zs_scanner_t *s,
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
int
zread_pieces_join(struct reader *rd, struct pieces *ps, const zs_scanner_t *s)
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
	lines = zread_newlines(ps->base, ps->p[1].start);
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
