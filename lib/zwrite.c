/*
 * The zone writer, the hot path of every filter.  Records are formatted
 * in chunks by all cores at once, each chunk into its own buffer, and
 * the buffers written in order with fwrite(3), so the output is the same
 * whatever the number of threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rrtext.h"
#include "rrtype.h"
#include "zone.h"
#include "zwrite.h"

#define CHUNK		16384	/* records formatted by one thread at once */
#define MAX_THREADS	16

struct writer;

struct job {
	struct writer	*w;
	int		 id;
	size_t		 n;		/* records in this round's chunk */
	const struct rr	*rr;
	char		*buf;
	size_t		 used, cap;
	int		 err;
};

struct writer {
	FILE			*f;
	const struct rr		*rr;
	size_t			 n;
	int			 skip_soa;
	int			 nt;
	pthread_barrier_t	 formatted, written;
	pthread_mutex_t		 lock;
	pthread_cond_t		 go;
	int			 ready;
	struct job		 jobs[MAX_THREADS];
	int			 err;
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

static void
format_chunk(struct job *j, int skip_soa)
{
	size_t i;

	j->used = 0;
	for (i = 0; i < j->n; i++) {
		if (skip_soa && j->rr[i].type == T_SOA)
			continue;
		if (reserve(j, RRTEXT_MAX + 1) != 0) {
			j->err = 1;
			break;
		}
		j->used += rr_text(&j->rr[i], j->buf + j->used);
		j->buf[j->used++] = '\n';
	}
}

/* Round r: thread t formats chunk r * nt + t. */
static void
chunk_of(struct writer *w, struct job *j, size_t round)
{
	size_t start = (round * w->nt + j->id) * CHUNK;

	j->rr = w->rr + (start < w->n ? start : w->n);
	j->n = start >= w->n ? 0 : (w->n - start < CHUNK ? w->n - start :
	    CHUNK);
}

static void
write_round(struct writer *w)
{
	int t;

	for (t = 0; t < w->nt; t++) {
		struct job *j = &w->jobs[t];
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

/* The helper threads: format, wait for the main thread to write. */
static void *
worker(void *arg)
{
	struct job *j = arg;
	struct writer *w = j->w;
	size_t r, nr;

	pthread_mutex_lock(&w->lock);
	while (!w->ready)
		pthread_cond_wait(&w->go, &w->lock);
	pthread_mutex_unlock(&w->lock);
	if (j->id >= w->nt)
		return NULL;
	nr = rounds(w);
	for (r = 0; r < nr; r++) {
		chunk_of(w, j, r);
		format_chunk(j, w->skip_soa);
		pthread_barrier_wait(&w->formatted);
		pthread_barrier_wait(&w->written);
	}
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

/*
 * The threads wait until the main thread knows how many of them could
 * start; the barriers are then made for that many, and the rounds run.
 */
static int
start_workers(struct writer *w, pthread_t *tid)
{
	int t, want = w->nt;

	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->go, NULL);
	for (t = 1; t < want; t++)
		if (pthread_create(&tid[t], NULL, worker, &w->jobs[t]) != 0)
			break;
	w->nt = t;
	if (w->nt > 1 &&
	    pthread_barrier_init(&w->formatted, NULL, w->nt) != 0)
		w->nt = 1;
	else if (w->nt > 1 &&
	    pthread_barrier_init(&w->written, NULL, w->nt) != 0) {
		pthread_barrier_destroy(&w->formatted);
		w->nt = 1;
	}
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
	pthread_t tid[MAX_THREADS];
	size_t r, nr;
	int t, started;

	memset(&w, 0, sizeof(w));
	w.f = f;
	w.rr = rr;
	w.n = n;
	w.skip_soa = skip_soa;
	w.nt = thread_count(n);
	for (t = 0; t < MAX_THREADS; t++) {
		w.jobs[t].w = &w;
		w.jobs[t].id = t;
	}
	started = start_workers(&w, tid);
	nr = rounds(&w);
	for (r = 0; r < nr; r++) {
		chunk_of(&w, &w.jobs[0], r);
		format_chunk(&w.jobs[0], skip_soa);
		if (w.nt > 1)
			pthread_barrier_wait(&w.formatted);
		write_round(&w);
		if (w.nt > 1)
			pthread_barrier_wait(&w.written);
	}
	for (t = 1; t < started; t++)
		pthread_join(tid[t], NULL);
	if (w.nt > 1) {
		pthread_barrier_destroy(&w.formatted);
		pthread_barrier_destroy(&w.written);
	}
	pthread_cond_destroy(&w.go);
	pthread_mutex_destroy(&w.lock);
	for (t = 0; t < MAX_THREADS; t++)
		free(w.jobs[t].buf);
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
