/*
 * The zone writer, the hot path of every filter.  Records are formatted
 * in chunks, each into a buffer of its own, by as many threads as there
 * are cores, the calling thread among them: each takes the next chunk
 * in turn.  Chunks are written in order by whichever thread finds the
 * next one to write done and nobody writing, so that the copy into the
 * kernel is not one more thread wanting the cores.  A chunk is taken
 * only when its buffer is free, that is when the chunk SLOTS before it
 * is written.  The output is the same whatever the number of threads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dname.h"
#include "rrtext.h"
#include "rrtype.h"
#include "zone.h"
#include "zwrite.h"

#define CHUNK		16384	/* records formatted by one thread at once */
#define MAX_THREADS	16
#define SLOTS		(2 * MAX_THREADS)	/* chunk buffers at most */
#define PREFETCH	12	/* records ahead */

struct job {
	char		*buf;
	size_t		 used, cap;
	int		 err;		/* errno: formatting failed */
	int		 done;		/* formatted, not yet written */
};

struct writer {
	FILE			*f;
	int			 fd;		/* f's, or -1: fwrite(3) */
	const struct rr		*rr;
	size_t			 n;
	int			 skip_soa;
	size_t			 chunks;
	int			 slots;
	pthread_mutex_t		 lock;
	pthread_cond_t		 moved;		/* a chunk written */
	size_t			 next;		/* the next chunk to take */
	size_t			 written;	/* chunks written */
	int			 writing;	/* a thread is writing */
	int			 err;		/* errno of the first failure */
	struct job		 jobs[SLOTS];
};

static int
reserve(struct job *j, size_t want)
{
	char *nb;
	size_t cap;

	if (j->cap - j->used >= want)
		return 0;
	cap = j->cap ? j->cap : 1 << 20;
	while (cap - j->used < want)
		cap *= 2;
	if ((nb = realloc(j->buf, cap)) == NULL)
		return -1;
	j->buf = nb;
	j->cap = cap;
	return 0;
}

/*
 * Chunk c into its job.  A record whose owner is the previous record's
 * (the same name in memory, as the reader shares it) takes the owner's
 * text from the line before.
 */
static void
format_chunk(struct writer *w, struct job *j, size_t c)
{
	size_t start = c * CHUNK, end, i;
	size_t oat = 0, olen = 0;
	const uint8_t *owner = NULL;
	char *p;

	j->used = 0;
	end = w->n - start < CHUNK ? w->n : start + CHUNK;
	for (i = start; i < end; i++) {
		const struct rr *rr = &w->rr[i];
		/* The records are in canonical order, but their owners
		 * and RDATA are where reading left them, all over the
		 * arena: fetched ahead, their cache misses overlap. */
		if (i + PREFETCH < end)
			rr_text_prefetch(&w->rr[i + PREFETCH]);
		if (w->skip_soa && rr->type == T_SOA)
			continue;
		/* Room for the line, however long (rrtext.h). */
		if (reserve(j, RRTEXT_ANY_MAX(rr->rdlen) + 1) != 0) {
			j->err = ENOMEM;
			break;
		}
		p = j->buf + j->used;
		if (rr->owner == owner) {
			memcpy(p, j->buf + oat, olen);
			p += olen;
		} else {
			owner = rr->owner;
			oat = j->used;
			olen = dname_to_text(owner, p);
			p += olen;
		}
		p += rr_text_tail(rr, p);
		*p++ = '\n';
		j->used = (size_t)(p - j->buf);
	}
}

/*
 * Write a buffer with write(2), straight from where it was formatted.
 * What write(2) refuses goes to fwrite(3), which fails the same way and
 * leaves the error in the stream for the caller's ferror(3) and
 * fflush(3), as if the whole buffer had gone through it.
 */
static int
write_out(struct writer *w, const char *b, size_t len)
{
	ssize_t k;

	while (w->fd >= 0 && len > 0) {
		if ((k = write(w->fd, b, len)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		b += k;
		len -= (size_t)k;
	}
	if (len > 0 && fwrite(b, 1, len, w->f) != len)
		return -1;
	return 0;
}

/* With the lock held and the writer's part taken: write every chunk
 * done, in order, the lock released while writing. */
static void
write_done(struct writer *w)
{
	struct job *j;

	while (w->written < w->chunks &&
	    (j = &w->jobs[w->written % w->slots])->done) {
		pthread_mutex_unlock(&w->lock);
		if (j->err && !w->err)
			w->err = j->err;
		/* errno is the writing thread's own: kept for the caller. */
		if (!w->err && j->used > 0 && write_out(w, j->buf, j->used))
			w->err = errno != 0 ? errno : EIO;
		pthread_mutex_lock(&w->lock);
		j->done = 0;
		w->written++;
		pthread_cond_broadcast(&w->moved);
	}
}

/*
 * What every thread does: take the next chunk when its buffer is free,
 * format it, and write what is done unless another thread is at it.
 * The writer's part is taken under the lock, and a thread marks its
 * chunk done under the lock before it looks, so no chunk is left: either
 * the writer sees it done, or it sees no writer and writes.  After an
 * error the chunks still go by, unwritten, so that nobody waits forever.
 */
static void
work(struct writer *w)
{
	struct job *j;
	size_t c;

	pthread_mutex_lock(&w->lock);
	while (w->next < w->chunks) {
		c = w->next;
		if (c >= w->written + (size_t)w->slots) {
			pthread_cond_wait(&w->moved, &w->lock);
			continue;
		}
		w->next++;
		j = &w->jobs[c % w->slots];
		pthread_mutex_unlock(&w->lock);
		format_chunk(w, j, c);
		pthread_mutex_lock(&w->lock);
		j->done = 1;
		if (!w->writing) {
			w->writing = 1;
			write_done(w);
			w->writing = 0;
		}
	}
	pthread_mutex_unlock(&w->lock);
}

static void *
worker(void *arg)
{
	work(arg);
	return NULL;
}

static int
thread_count(size_t n)
{
	long c = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 4 * CHUNK || c < 2)
		return 1;
	return c > MAX_THREADS ? MAX_THREADS : (int)c;
}

static int
write_range(FILE *f, const struct rr *rr, size_t n, int skip_soa)
{
	struct writer w;
	pthread_t tid[MAX_THREADS];
	int t, started, nt;

	memset(&w, 0, sizeof(w));
	w.f = f;
	w.rr = rr;
	w.n = n;
	w.skip_soa = skip_soa;
	w.chunks = (n + CHUNK - 1) / CHUNK;
	nt = thread_count(n);
	w.slots = 2 * nt;
	/* What the stream holds goes first; then its descriptor, if it
	 * has one, takes the chunks. */
	if (fflush(f) != 0)
		return -1;
	w.fd = fileno(f);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.moved, NULL);
	for (started = 0; started < nt - 1; started++)
		if (pthread_create(&tid[started], NULL, worker, &w) != 0)
			break;
	work(&w);
	/* The other threads' last chunks may still be being formatted
	 * or written. */
	pthread_mutex_lock(&w.lock);
	while (w.written < w.chunks)
		pthread_cond_wait(&w.moved, &w.lock);
	pthread_mutex_unlock(&w.lock);
	for (t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_cond_destroy(&w.moved);
	pthread_mutex_destroy(&w.lock);
	for (t = 0; t < SLOTS; t++)
		free(w.jobs[t].buf);
	if (w.err) {
		errno = w.err;
		return -1;
	}
	return ferror(f) ? -1 : 0;
}

/* The whole zone, its SOA first (where zone files and transfers keep
 * it, RFC 1035 §5.2), then every other record in canonical order. */
int
zwrite_zone(FILE *f, const struct zone *z)
{
	size_t i;

	for (i = 0; i < z->n; i++)
		if (z->rr[i].type == T_SOA &&
		    write_range(f, &z->rr[i], 1, 0) != 0)
			return -1;
	return write_range(f, z->rr, z->n, 1);
}

/* Records as they are, e.g. a fragment without SOA. */
int
zwrite_rrs(FILE *f, const struct rr *rr, size_t n)
{
	return write_range(f, rr, n, 0);
}
