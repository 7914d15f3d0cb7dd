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

struct job {
	const struct rr	*rr;
	size_t		 n;
	int		 skip_soa;
	char		*buf;
	size_t		 used, cap;
	int		 err;
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

static void *
format_chunk(void *arg)
{
	struct job *j = arg;
	size_t i;

	j->used = 0;
	for (i = 0; i < j->n; i++) {
		if (j->skip_soa && j->rr[i].type == T_SOA)
			continue;
		if (reserve(j, RRTEXT_MAX + 1) != 0) {
			j->err = 1;
			break;
		}
		j->used += rr_text(&j->rr[i], j->buf + j->used);
		j->buf[j->used++] = '\n';
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

static int
write_range(FILE *f, const struct rr *rr, size_t n, int skip_soa)
{
	struct job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	int nt = thread_count(n), t, started[MAX_THREADS], err = 0;
	size_t next = 0;

	memset(jobs, 0, sizeof(jobs));
	while (next < n && !err) {
		for (t = 0; t < nt; t++) {
			size_t take = n - next < CHUNK ? n - next : CHUNK;
			jobs[t].rr = rr + next;
			jobs[t].n = take;
			jobs[t].skip_soa = skip_soa;
			next += take;
			started[t] = t > 0 && take > 0 && pthread_create(&tid[t],
			    NULL, format_chunk, &jobs[t]) == 0;
			if (t > 0 && take > 0 && !started[t])
				format_chunk(&jobs[t]);
		}
		format_chunk(&jobs[0]);
		for (t = 1; t < nt; t++)
			if (started[t])
				pthread_join(tid[t], NULL);
		for (t = 0; t < nt; t++) {
			err |= jobs[t].err;
			if (!err && jobs[t].n > 0 && jobs[t].used > 0 &&
			    fwrite(jobs[t].buf, 1, jobs[t].used, f) !=
			    jobs[t].used)
				err = 1;
			jobs[t].n = 0;
		}
	}
	for (t = 0; t < nt; t++)
		free(jobs[t].buf);
	return err || ferror(f) ? -1 : 0;
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
