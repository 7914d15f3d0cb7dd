/*
 * Running a function over the items 0..n of an array on several
 * threads.  Each thread takes the next chunk of items in turn, so that
 * slow items (RSA signatures next to ECDSA ones) do not leave a thread
 * idle; the function stores its results by item index, so that what the
 * caller does with them afterwards does not depend on the number of
 * threads or on which thread did what.
 */
#ifndef WORKPOOL_H
#define WORKPOOL_H

#include <stddef.h>

/* fn(begin, end, thread, arg) handles items [begin, end); thread is the
 * number of the thread (0..threads-1) for per-thread scratch space. */
typedef void	 workpool_fn(size_t, size_t, unsigned, void *);

unsigned	 workpool_cores(void);
int		 workpool_run(size_t, size_t, unsigned, workpool_fn *, void *);

#endif
