/*
 * See workpool.h.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "workpool.h"

struct pool {
	pthread_mutex_t	 lock;
	size_t		 next, n, chunk;
	workpool_fn	*fn;
	void		*arg;
};

struct worker {
	struct pool	*pool;
	unsigned	 id;
	pthread_t	 thread;
};

/* The number of processors online, at least 1. */
unsigned
workpool_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

static void *
work(void *p)
{
	struct worker *w = p;
	struct pool *pl = w->pool;

	for (;;) {
		size_t begin, end;

		pthread_mutex_lock(&pl->lock);
		begin = pl->next;
		end = begin + pl->chunk < pl->n ? begin + pl->chunk : pl->n;
		pl->next = end;
		pthread_mutex_unlock(&pl->lock);
		if (begin >= end)
			return NULL;
		pl->fn(begin, end, w->id, pl->arg);
	}
}

/*
 * Run fn over [0, n) in chunks of chunk items on threads threads (the
 * calling thread is one of them).  Returns 0, or -1 when not even one
 * more thread could be started (the work is then done on the calling
 * thread alone, so the result is the same).
 */
int
workpool_run(size_t n, size_t chunk, unsigned threads, workpool_fn *fn,
    void *arg)
{
	struct pool pl;
	struct worker *w;
	unsigned i, started = 0;

	if (n == 0)
		return 0;
	if (chunk == 0)
		chunk = 1;
	if (threads < 1)
		threads = 1;
	if ((size_t)threads > (n + chunk - 1) / chunk)
		threads = (unsigned)((n + chunk - 1) / chunk);
	pl.next = 0;
	pl.n = n;
	pl.chunk = chunk;
	pl.fn = fn;
	pl.arg = arg;
	if (threads == 1) {
		fn(0, n, 0, arg);
		return 0;
	}
	if ((w = calloc(threads, sizeof(*w))) == NULL) {
		fn(0, n, 0, arg);
		return -1;
	}
	pthread_mutex_init(&pl.lock, NULL);
	for (i = 0; i < threads; i++) {
		w[i].pool = &pl;
		w[i].id = i;
	}
	for (i = 1; i < threads; i++) {
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0)
			break;
		started++;
	}
	(void)work(&w[0]);
	for (i = 1; i <= started; i++)
		pthread_join(w[i].thread, NULL);
	pthread_mutex_destroy(&pl.lock);
	free(w);
	return 0;
}
