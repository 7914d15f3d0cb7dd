/*
 * A bump allocator over large chunks.  Objects are byte-aligned: the
 * arena holds names and RDATA, which are octet strings.  Allocation
 * failure is fatal to the caller's job, so it returns NULL and the caller
 * reports it.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define CHUNK	(4u << 20)

struct chunk {
	struct chunk	*next;
	size_t		 used, size;
	unsigned char	 data[];
};

struct arena {
	struct chunk	*head;
};

struct arena *
arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

static struct chunk *
chunk_new(size_t want)
{
	struct chunk *c;
	size_t size = want > CHUNK ? want : CHUNK;

	if ((c = malloc(sizeof(*c) + size)) == NULL)
		return NULL;
	c->used = 0;
	c->size = size;
	return c;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;
	void *p;

	if (c == NULL || c->size - c->used < n) {
		if ((c = chunk_new(n)) == NULL)
			return NULL;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

void *
arena_dup(struct arena *a, const void *src, size_t n)
{
	void *p;

	if ((p = arena_alloc(a, n)) != NULL && n > 0)
		memcpy(p, src, n);
	return p;
}

void
arena_free(struct arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}
