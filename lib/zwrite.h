/*
 * Writing a zone: canonical order, the SOA first, one presentation
 * format (rrtext.h), so that equal zones give byte-identical text.
 * Both return 0, or -1 with errno saying why, whichever thread failed
 * (for out_fail(), out.h).
 */
#ifndef ZWRITE_H
#define ZWRITE_H

#include <stdio.h>

struct zone;
struct rr;

int	zwrite_zone(FILE *, const struct zone *);
int	zwrite_rrs(FILE *, const struct rr *, size_t);

#endif
