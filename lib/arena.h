/*
 * Arena allocation: many small objects (names, RDATA) that live as long
 * as the zone they belong to, freed all at once.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena;

struct arena	*arena_new(void);
void		*arena_alloc(struct arena *, size_t);
void		*arena_dup(struct arena *, const void *, size_t);
void		 arena_free(struct arena *);

#endif
