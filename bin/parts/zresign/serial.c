/*
 * zresign -s: the SOA serial of the zone written (keep, increment,
 * unixtime, date or a number), never behind the input's or the
 * previous zone's (RFC 1982), and the warning when it is kept while the
 * zone changed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "ds.h"
#include "keyfile.h"
#include "keytime.h"
#include "rrtype.h"
#include "zone.h"
#include "wire.h"
#include "zsign.h"

#include "../../zresign-int.h"

/* YYYYMMDD of a time, in UTC. */
static uint32_t
date_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	return (uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) *
	    100 + tm.tm_mday);
}

/* The index of the zone's SOA record, whose RDATA is two names and
 * the five 32-bit fields (RFC 1035 section 3.3.13), and its view. */
static size_t
soa_index(const struct zone *z, const char *what, struct wire_soa *v)
{
	size_t i;

	for (i = 0; i < z->n && z->rr[i].type != T_SOA; i++)
		;
	if (i == z->n || wire_soa(v, z->rr[i].rdata, z->rr[i].rdlen) != 0)
		diag_fatal("%s: no well-formed SOA record", what);
	return i;
}

static uint32_t
soa_serial(const struct zone *z, const char *what)
{
	struct wire_soa v;

	(void)soa_index(z, what, &v);
	return v.serial;
}

/* The input's serial, before anything changes it. */
void
zr_note_input(struct job *j)
{
	j->serial_in = soa_serial(j->z, j->a.in);
}

/* new against the serial old of what: equal or greater in RFC 1982
 * arithmetic (section 3.2), or trouble: a secondary that holds old
 * takes a zone whose serial is not greater for no change (RFC 1034
 * section 4.3.5), and one that is "behind" never. */
static void
not_behind(const struct zone *z, uint32_t new, uint32_t old,
    const char *what)
{
	struct wire_soa v;
	const struct rr *r = &z->rr[soa_index(z, "the zone", &v)];
	int c = serial_cmp(new, old);

	if (c == 0 || c == 1)
		return;
	diag_fatal("%s:%u: SOA serial %u is behind %u of %s (RFC 1982 "
	    "section 3.2): secondaries would not transfer the zone",
	    zone_rr_file(z, r), r->line, new, old, what);
}

/*
 * The SOA serial (RFC 1982 arithmetic): kept (both operators must
 * publish the same one), one more, the time now, today's date with a
 * two-digit counter, or the number given.  The computed ones count from
 * the greater of the input's serial and the previous zone's (-P), and
 * are incremented when they would not be greater; a serial kept or
 * given that is behind either is refused.
 */
void
zr_set_serial(struct job *j)
{
	struct zone *z = j->z;
	struct wire_soa v;
	size_t i, at;
	uint32_t old = j->serial_in, new;
	uint8_t *rd;

	if (j->prev != NULL && serial_cmp(soa_serial(j->prev, j->a.prevpath),
	    old) == 1)
		old = soa_serial(j->prev, j->a.prevpath);
	new = old + 1;
	if (j->serial == SERIAL_KEEP)
		new = j->serial_in;
	else if (j->serial == SERIAL_SET)
		new = j->serial_set;
	else if (j->serial == SERIAL_UNIXTIME)
		new = dnstime_wire(j->p.now);
	else if (j->serial == SERIAL_DATE)
		new = date_of(j->p.now) * 100;
	if (j->serial != SERIAL_KEEP && j->serial != SERIAL_SET &&
	    serial_cmp(new, old) != 1)
		new = old + 1;
	not_behind(z, new, j->serial_in, "the input");
	if (j->prev != NULL)
		not_behind(z, new, soa_serial(j->prev, j->a.prevpath),
		    j->a.prevpath);
	if (new == j->serial_in)
		return;
	/* The RDATA may be shared through the zone's cache: change a copy
	 * in the zone's arena. */
	i = soa_index(z, j->a.in, &v);
	if ((rd = arena_dup(z->arena, z->rr[i].rdata, z->rr[i].rdlen)) ==
	    NULL)
		diag_fatal("out of memory");
	/* SERIAL follows RNAME. */
	at = (size_t)(v.rname - z->rr[i].rdata) + v.rname_len;
	z->rr[i].rdata = rd;
	(void)wire_put32(rd + at, new);
}

/* Do two sorted zones hold the same records? */
static bool
same_zone(const struct zone *a, const struct zone *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct rr *x = &a->rr[i], *y = &b->rr[i];
		if (x->type != y->type || x->rclass != y->rclass ||
		    x->ttl != y->ttl || x->rdlen != y->rdlen ||
		    !dname_equal(x->owner, y->owner) ||
		    memcmp(x->rdata, y->rdata, x->rdlen) != 0)
			return false;
	}
	return true;
}

/*
 * A serial that stays what the secondaries have while the zone changes
 * leaves them with the old zone (RFC 1034 section 4.3.5): a warning.
 * What they have is the previous zone (-P).  Without it, a signed input
 * tells what it was when signed, and so what was published with its
 * serial: when a signature over its SOA RRset verifies (the serial is
 * the one signed), an RRset whose signatures no longer verify, or that
 * has none, or a signature over an RRset gone, changed since
 * (zsign_report).  An unsigned input, or one signed by keys not given,
 * says nothing (it may be the other operator's zone, whose serial both
 * publish).
 */
void
zr_warn_kept_serial(const struct job *j)
{
	uint32_t out = soa_serial(j->z, "the zone");
	char owner[DNAME_MAXTEXT], type[16];

	if (j->a.quiet)
		return;
	if (j->prev != NULL) {
		if (out == soa_serial(j->prev, j->a.prevpath) &&
		    !same_zone(j->z, j->prev))
			diag_warn("SOA serial %u kept while the zone changed "
			    "from %s: secondaries that have it will not "
			    "transfer the new one (RFC 1034 section 4.3.5); "
			    "-s sets a new serial", out, j->a.prevpath);
		return;
	}
	if (out != j->serial_in || !j->rep.soa_holds || j->rep.changed == 0)
		return;
	dname_to_text(j->rep.changed_owner, owner);
	diag_warn("SOA serial %u kept while the zone changed since %s was "
	    "signed (%zu RRset%s, the first %s %s): secondaries that have it "
	    "will not transfer the new one (RFC 1034 section 4.3.5); -s sets a "
	    "new serial", out, strcmp(j->a.in, "-") == 0 ? "<stdin>" : j->a.in,
	    j->rep.changed, j->rep.changed == 1 ? "" : "s", owner,
	    rrtype_name(j->rep.changed_type, type));
}
