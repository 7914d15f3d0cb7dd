/*
 * A two-stage pipeline for reading zones: the scanner (libzscanner)
 * runs in the calling thread and hands batches of records to a second
 * thread that stores them (zone_add_at()), so that scanning and storing,
 * about equal in cost, use both cores.  The records arrive in input
 * order.  Without a thread (small inputs, where starting one costs more
 * than it saves, or a half of a large file read on a thread of its own),
 * each batch is stored when full, on the scanner's thread; zpipe_thread()
 * starts the thread later, when it turns out to be worth it.  Storing a
 * batch at once lets it look ahead (see store()).  zpipe_flush() waits until every
 * record added is stored.
 */
#ifndef ZPIPE_H
#define ZPIPE_H

#include <stddef.h>
#include <stdint.h>

struct zone;
struct zpipe;

struct zpipe	*zpipe_start(struct zone *, int);
int		 zpipe_add(struct zpipe *, const uint8_t *, uint16_t, uint16_t,
		    uint32_t, const uint8_t *, size_t, uint16_t, uint32_t);
void		 zpipe_thread(struct zpipe *);
int		 zpipe_flush(struct zpipe *);
int		 zpipe_finish(struct zpipe *);

#endif
