/*
 * The zone writer, the hot path of every filter.  Records are formatted
 * in rounds: in each round every formatting thread (one per core) takes
 * a chunk into its own buffer; the calling thread writes the buffers of
 * a round in order with fwrite(3) while the formatters go on with the
 * next round into a second set of buffers.  The output is the same
 * whatever the number of threads.
 */
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
#define PREFETCH	12	/* records ahead */

struct job {
	char		*buf;
	size_t		 used, cap;
	int		 err;
};

struct writer {
	FILE			*f;
	const struct rr		*rr;
	size_t			 n;
	int			 skip_soa;
	int			 nt;		/* formatting threads */
	pthread_barrier_t	 round;
	pthread_mutex_t		 lock;
	pthread_cond_t		 go;
	int			 ready;
	struct job		 jobs[2][MAX_THREADS];	/* two sets */
	int			 err;
};

struct worker {
	struct writer	*w;
	int		 id;
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
 * Round r: thread t formats chunk r * nt + t into set r % 2.  A record
 * whose owner is the previous record's (the same name in memory, as the
 * reader shares it) takes the owner's text from the line before.
 */
static void
format_chunk(struct writer *w, int t, size_t r)
{
	struct job *j = &w->jobs[r % 2][t];
	size_t start = (r * (size_t)w->nt + (size_t)t) * CHUNK, end, i;
	size_t oat = 0, olen = 0;
	const uint8_t *owner = NULL;
	char *p;

	j->used = 0;
	if (start >= w->n)
		return;
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
		if (reserve(j, RRTEXT_MAX + 1) != 0) {
			j->err = 1;
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

static void
write_set(struct writer *w, size_t r)
{
	int t;

	for (t = 0; t < w->nt; t++) {
		struct job *j = &w->jobs[r % 2][t];
		w->err |= j->err;
		if (!w->err && j->used > 0 &&
		    fwrite(j->buf, 1, j->used, w->f) != j->used)
			w->err = 1;
	}
}

static size_t
rounds(const struct writer *w)
{
	size_t per = (size_t)w->nt * CHUNK;

	return (w->n + per - 1) / per;
}

/*
 * A formatting thread.  The barrier at the end of round r lets the
 * writer take set r % 2; the formatters go on with round r + 1 in the
 * other set, and meet the writer again at the end of it, by which time
 * set r % 2 is written and free for round r + 2.
 */
static void *
formatter(void *arg)
{
	struct worker *k = arg;
	struct writer *w = k->w;
	size_t r, nr;

	pthread_mutex_lock(&w->lock);
	while (!w->ready)
		pthread_cond_wait(&w->go, &w->lock);
	pthread_mutex_unlock(&w->lock);
	if (k->id >= w->nt)
		return NULL;
	nr = rounds(w);
	for (r = 0; r < nr; r++) {
		format_chunk(w, k->id, r);
		pthread_barrier_wait(&w->round);
	}
	return NULL;
}

static int
thread_count(size_t n)
{
	long c = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 4 * CHUNK || c < 2)
		return 0;
	return c > MAX_THREADS ? MAX_THREADS : (int)c;
}

/* Start the formatters; the barrier is made for as many as started, and
 * the writer.  Returns how many threads were created. */
static int
start_formatters(struct writer *w, pthread_t *tid, struct worker *k)
{
	int t, want = w->nt;

	for (t = 0; t < want; t++) {
		k[t].w = w;
		k[t].id = t;
		if (pthread_create(&tid[t], NULL, formatter, &k[t]) != 0)
			break;
	}
	w->nt = t;
	if (w->nt > 0 && pthread_barrier_init(&w->round, NULL, w->nt + 1) != 0)
		w->nt = 0;
	pthread_mutex_lock(&w->lock);
	w->ready = 1;
	pthread_cond_broadcast(&w->go);
	pthread_mutex_unlock(&w->lock);
	return t;
}

static int
write_range(FILE *f, const struct rr *rr, size_t n, int skip_soa)
{
	struct writer w;
	struct worker k[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	size_t r, nr;
	int t, started, barrier;

	memset(&w, 0, sizeof(w));
	w.f = f;
	w.rr = rr;
	w.n = n;
	w.skip_soa = skip_soa;
	w.nt = thread_count(n);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.go, NULL);
	started = start_formatters(&w, tid, k);
	barrier = w.nt > 0;
	if (w.nt == 0) {
		/* No formatting thread: format and write in turn. */
		w.nt = 1;
		nr = rounds(&w);
		for (r = 0; r < nr; r++) {
			format_chunk(&w, 0, r);
			write_set(&w, r);
		}
	} else {
		nr = rounds(&w);
		for (r = 0; r < nr; r++) {
			pthread_barrier_wait(&w.round);
			write_set(&w, r);
		}
	}
	/* The formatters may still be leaving the last wait: the barrier
	 * goes once they are gone. */
	for (t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	if (barrier)
		pthread_barrier_destroy(&w.round);
	pthread_cond_destroy(&w.go);
	pthread_mutex_destroy(&w.lock);
	for (t = 0; t < MAX_THREADS; t++) {
		free(w.jobs[0][t].buf);
		free(w.jobs[1][t].buf);
	}
	return w.err || ferror(f) ? -1 : 0;
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
