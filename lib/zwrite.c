/*
 * The zone writer.  Text is built in a large buffer and written with
 * fwrite(3) in big blocks; this is the hot path of every filter.
 */
#include <stdlib.h>
#include <string.h>

#include "rrtext.h"
#include "rrtype.h"
#include "zone.h"
#include "zwrite.h"

#define BUFSZ	(4u << 20)

struct wbuf {
	FILE	*f;
	char	*buf;
	size_t	 used;
	int	 err;
};

static void
flush(struct wbuf *w)
{
	if (w->used > 0 && fwrite(w->buf, 1, w->used, w->f) != w->used)
		w->err = 1;
	w->used = 0;
}

static void
put_rr(struct wbuf *w, const struct rr *r)
{
	if (BUFSZ - w->used < RRTEXT_MAX)
		flush(w);
	w->used += rr_text(r, w->buf + w->used);
	w->buf[w->used++] = '\n';
}

static int
write_range(FILE *f, const struct rr *rr, size_t n, int soa_first)
{
	struct wbuf w = { f, NULL, 0, 0 };
	size_t i;

	if ((w.buf = malloc(BUFSZ)) == NULL)
		return -1;
	if (soa_first)
		for (i = 0; i < n; i++)
			if (rr[i].type == T_SOA)
				put_rr(&w, &rr[i]);
	for (i = 0; i < n; i++)
		if (!soa_first || rr[i].type != T_SOA)
			put_rr(&w, &rr[i]);
	flush(&w);
	free(w.buf);
	return w.err || ferror(f) ? -1 : 0;
}

/* The whole zone, its SOA first (where zone files and transfers keep
 * it, RFC 1035 §5.2), then every other record in canonical order. */
int
zwrite_zone(FILE *f, const struct zone *z)
{
	return write_range(f, z->rr, z->n, 1);
}

/* Records as they are, e.g. a fragment without SOA. */
int
zwrite_rrs(FILE *f, const struct rr *rr, size_t n)
{
	return write_range(f, rr, n, 0);
}
