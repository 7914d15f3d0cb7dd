/*
 * See zpipe.h.  Batches are byte buffers of packed records; a small ring
 * of them moves between the two threads under one mutex.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dname.h"
#include "zone.h"
#include "zpipe.h"

#define BATCH_BYTES	(256u << 10)
#define NBATCH		4
#define HEADER		16	/* file, line, type, class, ttl, rdlen */

struct batch {
	size_t		 used;
	unsigned char	*buf;
};

struct zpipe {
	struct zone	*z;
	pthread_t	 tid;
	int		 threaded;
	pthread_mutex_t	 lock;
	pthread_cond_t	 changed;
	struct batch	 b[NBATCH];
	size_t		 head, tail;	/* full batches: [tail, head) */
	int		 done, failed;
	struct batch	*cur;		/* being filled by the scanner */
};

static void
put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* Store every record of a batch; -1 when the zone cannot grow. */
static int
store(struct zone *z, const struct batch *b)
{
	const unsigned char *p = b->buf, *end = b->buf + b->used;

	while (p < end) {
		const uint8_t *owner = p + HEADER;
		size_t olen = dname_len(owner);
		uint16_t rdlen = get16(p + 14);

		if (zone_add_at(z, owner, get16(p + 6), get16(p + 8),
		    get32(p + 10), owner + olen, rdlen, get16(p),
		    get32(p + 2)) == NULL)
			return -1;
		p += HEADER + olen + rdlen;
	}
	return 0;
}

static void *
consumer(void *arg)
{
	struct zpipe *zp = arg;
	struct batch *b;
	int rc;

	pthread_mutex_lock(&zp->lock);
	for (;;) {
		while (zp->tail == zp->head && !zp->done)
			pthread_cond_wait(&zp->changed, &zp->lock);
		if (zp->tail == zp->head)
			break;
		b = &zp->b[zp->tail % NBATCH];
		pthread_mutex_unlock(&zp->lock);
		rc = zp->failed ? 0 : store(zp->z, b);
		pthread_mutex_lock(&zp->lock);
		if (rc != 0)
			zp->failed = 1;
		b->used = 0;
		zp->tail++;
		pthread_cond_broadcast(&zp->changed);
	}
	pthread_mutex_unlock(&zp->lock);
	return NULL;
}

struct zpipe *
zpipe_start(struct zone *z, int threaded)
{
	struct zpipe *zp;
	int i;

	if ((zp = calloc(1, sizeof(*zp))) == NULL)
		return NULL;
	zp->z = z;
	for (i = 0; i < NBATCH; i++)
		if ((zp->b[i].buf = malloc(BATCH_BYTES)) == NULL)
			goto fail;
	pthread_mutex_init(&zp->lock, NULL);
	pthread_cond_init(&zp->changed, NULL);
	zp->cur = &zp->b[0];
	if (threaded)
		zpipe_thread(zp);
	return zp;
fail:
	for (i = 0; i < NBATCH; i++)
		free(zp->b[i].buf);
	free(zp);
	return NULL;
}

/*
 * Store on a thread of its own from now on.  Until then every record was
 * stored as it came, so nothing is waiting.  Without a thread (none can
 * be started) storing goes on as before.
 */
void
zpipe_thread(struct zpipe *zp)
{
	if (!zp->threaded && !zp->failed)
		zp->threaded =
		    pthread_create(&zp->tid, NULL, consumer, zp) == 0;
}

/* Hand the current batch over and wait for a free one. */
static int
hand_over(struct zpipe *zp)
{
	if (!zp->threaded) {
		if (store(zp->z, zp->cur) != 0)
			zp->failed = 1;
		zp->cur->used = 0;
		return zp->failed ? -1 : 0;
	}
	pthread_mutex_lock(&zp->lock);
	zp->head++;
	pthread_cond_broadcast(&zp->changed);
	while (zp->head - zp->tail == NBATCH && !zp->failed)
		pthread_cond_wait(&zp->changed, &zp->lock);
	zp->cur = &zp->b[zp->head % NBATCH];
	pthread_mutex_unlock(&zp->lock);
	return zp->failed ? -1 : 0;
}

int
zpipe_add(struct zpipe *zp, const uint8_t *owner, uint16_t type,
    uint16_t rclass, uint32_t ttl, const uint8_t *rdata, size_t rdlen,
    uint16_t file, uint32_t line)
{
	size_t olen = dname_len(owner), need = HEADER + olen + rdlen;
	unsigned char *p;

	if (rdlen > 65535 || olen > DNAME_MAXLEN)
		return -1;
	/* Without a thread there is nothing to hand over: store now. */
	if (!zp->threaded) {
		if (zone_add_at(zp->z, owner, type, rclass, ttl, rdata, rdlen,
		    file, line) == NULL)
			zp->failed = 1;
		return zp->failed ? -1 : 0;
	}
	if (BATCH_BYTES - zp->cur->used < need && hand_over(zp) != 0)
		return -1;
	p = zp->cur->buf + zp->cur->used;
	put16(p, file);
	put32(p + 2, line);
	put16(p + 6, type);
	put16(p + 8, rclass);
	put32(p + 10, ttl);
	put16(p + 14, (uint16_t)rdlen);
	memcpy(p + HEADER, owner, olen);
	memcpy(p + HEADER + olen, rdata, rdlen);
	zp->cur->used += need;
	return 0;
}

/* Store every record added so far; -1 when storing failed. */
int
zpipe_flush(struct zpipe *zp)
{
	if (zp->cur->used > 0)
		(void)hand_over(zp);
	if (zp->threaded) {
		pthread_mutex_lock(&zp->lock);
		while (zp->tail != zp->head && !zp->failed)
			pthread_cond_wait(&zp->changed, &zp->lock);
		pthread_mutex_unlock(&zp->lock);
	}
	return zp->failed ? -1 : 0;
}

/* Store what is left, stop the thread; -1 when storing failed. */
int
zpipe_finish(struct zpipe *zp)
{
	int i, rc;

	if (zp->cur->used > 0)
		(void)hand_over(zp);
	if (zp->threaded) {
		pthread_mutex_lock(&zp->lock);
		zp->done = 1;
		pthread_cond_broadcast(&zp->changed);
		pthread_mutex_unlock(&zp->lock);
		pthread_join(zp->tid, NULL);
	}
	rc = zp->failed ? -1 : 0;
	pthread_cond_destroy(&zp->changed);
	pthread_mutex_destroy(&zp->lock);
	for (i = 0; i < NBATCH; i++)
		free(zp->b[i].buf);
	free(zp);
	return rc;
}
