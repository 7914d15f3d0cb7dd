/*
 * See zpipe.h.  Batches are byte buffers of packed records; a small ring
 * of them moves between the two threads under one mutex.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dname.h"
#include "wire.h"
#include "zone.h"
#include "zpipe.h"

#define BATCH_BYTES	(64u << 10)	/* a batch is full past this */
#define NBATCH		4
#define HEADER		25	/* file, line, type, class, ttl, rdlen, hash,
				 * owner length */
/* The largest record packed: a 255-octet owner (RFC 1035 §3.1) and
 * 65,535 octets of RDATA (RFC 1035 §3.2.1), more than BATCH_BYTES: a
 * batch's buffer holds one such record alone. */
#define RECORD_MAX	(HEADER + DNAME_MAXLEN + 65535u)
#define BATCH_ALLOC	(BATCH_BYTES > RECORD_MAX ? BATCH_BYTES : RECORD_MAX)
#define MAX_RECORDS	(BATCH_BYTES / (HEADER + 1))
#define SLOT_AHEAD	16	/* records whose cache slot is fetched */
#define ENTRY_AHEAD	8	/* records whose cache entry is fetched */

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
	uint32_t	*off;		/* of each record, while storing */
};

static uint64_t
hash_at(const unsigned char *p)
{
	uint64_t h;

	memcpy(&h, p + 16, sizeof(h));
	return h;
}

/*
 * Store every record of a batch; -1 when the zone cannot grow.  Each
 * record is first put in the form the zone keeps, in place, which gives
 * its RDATA cache hash; the records are then stored with the cache slot
 * and entry of the records a little ahead on their way from memory (the
 * cache misses were most of storing).
 */
static int
store(struct zone *z, struct batch *b, uint32_t *off)
{
	unsigned char *p = b->buf, *end = b->buf + b->used;
	size_t n = 0, i;
	uint64_t h;

	for (; p < end; p += HEADER + p[24] + wire_get16(p + 14)) {
		h = zone_prepare(wire_get16(p + 6), p + HEADER, p[24],
		    p + HEADER + p[24], wire_get16(p + 14));
		memcpy(p + 16, &h, sizeof(h));
		off[n++] = (uint32_t)(p - b->buf);
	}
	for (i = 0; i < n; i++) {
		if (i + SLOT_AHEAD < n)
			zone_prefetch(z, hash_at(b->buf + off[i + SLOT_AHEAD]),
			    0);
		if (i + ENTRY_AHEAD < n)
			zone_prefetch(z,
			    hash_at(b->buf + off[i + ENTRY_AHEAD]), 1);
		p = b->buf + off[i];
		if (zone_add_prepared(z, p + HEADER, p[24], wire_get16(p + 6),
		    wire_get16(p + 8), wire_get32(p + 10), p + HEADER + p[24],
		    wire_get16(p + 14), hash_at(p), wire_get16(p), wire_get32(p + 2)) == NULL)
			return -1;
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
		rc = zp->failed ? 0 : store(zp->z, b, zp->off);
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
	if ((zp->off = malloc(MAX_RECORDS * sizeof(*zp->off))) == NULL)
		goto fail;
	for (i = 0; i < NBATCH; i++)
		if ((zp->b[i].buf = malloc(BATCH_ALLOC)) == NULL)
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
	free(zp->off);
	free(zp);
	return NULL;
}

/*
 * Store on a thread of its own from now on.  Until then each full batch
 * was stored on the caller's thread; the batch being filled goes to the
 * new thread when it is full.  Without a thread (none can be started)
 * storing goes on as before.
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
		if (store(zp->z, zp->cur, zp->off) != 0)
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
	/* A full batch goes to the thread, or without one is stored now.
	 * A record larger than BATCH_BYTES goes into an empty batch, whose
	 * buffer holds it (BATCH_ALLOC); used may then pass BATCH_BYTES. */
	if (zp->cur->used + need > BATCH_BYTES && zp->cur->used > 0 &&
	    hand_over(zp) != 0)
		return -1;
	p = zp->cur->buf + zp->cur->used;
	wire_put16(p, file);
	wire_put32(p + 2, line);
	wire_put16(p + 6, type);
	wire_put16(p + 8, rclass);
	wire_put32(p + 10, ttl);
	wire_put16(p + 14, (uint16_t)rdlen);
	p[24] = (unsigned char)olen;
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
	free(zp->off);
	free(zp);
	return rc;
}
