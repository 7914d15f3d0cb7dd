/*
 * The comparison behind zdiff-dnssec (see zdiff.h): its interface, and
 * the lists of differences that the pieces record and the report reads.
 *
 * Both zones are in canonical order (RFC 4034 §6.1), so one merge walk
 * over the two record arrays (lib/zdiff-walk.c) meets each owner name
 * once, each RRset of it once, and each record of an RRset once: the
 * whole comparison is linear, with no hashing and no allocation per
 * name.  Signatures are matched by key (lib/zdiff-sigs.c).  The apex,
 * whose few RRsets are compared field by field, is looked at again after
 * the walk by binary search (lib/zdiff-apex.c).
 */
#include <stdlib.h>
#include <string.h>

#include "dname.h"
#include "dnskey.h"
#include "rrtype.h"
#include "zdiff-int.h"
#include "zdiff.h"
#include "zone.h"

#define LIMIT	20

static const char *const group_names[ZDIFF_NGROUPS] = {
	"data", "apex", "denial", "signatures"
};

const char *
zdiff_group_name(enum zdiff_group g)
{
	return g < ZDIFF_NGROUPS ? group_names[g] : "";
}

int
zdiff_group_from_name(const char *s)
{
	int g;

	for (g = 0; g < ZDIFF_NGROUPS; g++)
		if (strcmp(s, group_names[g]) == 0)
			return g;
	return -1;
}

void
zdiff_init(struct zdiff *zd, const struct zone *old, const struct zone *new)
{
	memset(zd, 0, sizeof(*zd));
	zd->z[ZDIFF_OLD] = old;
	zd->z[ZDIFF_NEW] = new;
	zd->limit = LIMIT;
}

void
zdiff_free(struct zdiff *zd)
{
	size_t i;
	int g;

	for (i = 0; i < zd->data.nunit; i++)
		free(zd->data.unit[i].rrset);
	free(zd->data.unit);
	free(zd->apex.item);
	free(zd->denial.item);
	free(zd->sigs.key);
	for (g = 0; g < ZDIFF_NGROUPS; g++)
		free(zd->ev[g]);
	free(zd->cur.rrset);
	free(zd->host);
	free(zd->mark);
	free(zd->where[0]);
	free(zd->where[1]);
	memset(zd, 0, sizeof(*zd));
}

/* Grow an array to hold one more element; false when memory is out. */
bool
zdiff_grow(struct zdiff *zd, void **p, size_t n, size_t *cap, size_t size)
{
	void *np;
	size_t nc;

	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : 16;
	if ((np = realloc(*p, nc * size)) == NULL) {
		zd->nomem = 1;
		return false;
	}
	*p = np;
	*cap = nc;
	return true;
}

void
zdiff_push_ev(struct zdiff *zd, int g, size_t o, size_t n, int op)
{
	struct zdiff_ev *e;

	if (!zd->full[g] || !zdiff_grow(zd, (void **)&zd->ev[g], zd->nev[g],
	    &zd->capev[g], sizeof(*e)))
		return;
	e = &zd->ev[g][zd->nev[g]++];
	e->o = o == ZDIFF_NONE ? ZDIFF_NONE : (uint32_t)o;
	e->n = n == ZDIFF_NONE ? ZDIFF_NONE : (uint32_t)n;
	e->op = (uint8_t)op;
}

void
zdiff_push_item(struct zdiff *zd, struct zdiff_item **items, size_t *n,
    size_t *cap, uint16_t type, int op, const char *field,
    const struct rr *o, const struct rr *nr)
{
	struct zdiff_item *it;

	if (!zdiff_grow(zd, (void **)items, *n, cap, sizeof(**items)))
		return;
	it = &(*items)[(*n)++];
	it->type = type;
	it->op = (uint8_t)op;
	it->field = field;
	it->o = o;
	it->n = nr;
}

static int
key_qcmp(const void *pa, const void *pb)
{
	const struct zdiff_key *a = pa, *b = pb;

	if (a->tag != b->tag)
		return a->tag < b->tag ? -1 : 1;
	return (a->alg > b->alg) - (a->alg < b->alg);
}

int
zdiff_run(struct zdiff *zd)
{
	if ((zd->where[0] = zone_classify(zd->z[0])) == NULL ||
	    (zd->where[1] = zone_classify(zd->z[1])) == NULL ||
	    zdiff_collect_hosts(zd) != 0)
		return -1;
	zdiff_walk(zd);
	if (zd->sigs.nkey > 0)
		qsort(zd->sigs.key, zd->sigs.nkey, sizeof(*zd->sigs.key),
		    key_qcmp);
	zdiff_compare_apex(zd);
	zdiff_compare_params(zd);
	return zd->nomem ? -1 : 0;
}

bool
zdiff_differs(const struct zdiff *zd, enum zdiff_group g)
{
	switch (g) {
	case ZDIFF_DATA:
		return zd->data.units > 0;
	case ZDIFF_APEX:
		return zd->apex.nitem > 0;
	case ZDIFF_DENIAL:
		return zd->denial.differs;
	case ZDIFF_SIGS:
		return zd->sigs.made + zd->sigs.removed +
		    zd->sigs.refreshed > 0;
	default:
		return false;
	}
}

const struct zdiff_key *
zdiff_key_find(const struct zdiff *zd, uint16_t tag, uint8_t alg)
{
	size_t i;

	for (i = 0; i < zd->sigs.nkey; i++)
		if (zd->sigs.key[i].tag == tag && zd->sigs.key[i].alg == alg)
			return &zd->sigs.key[i];
	return NULL;
}

/*
 * The role of a DNSKEY on one side.  The SEP flag names a KSK (RFC 4034
 * §2.1.1, advisory only, RFC 6840 §6.2); one that also signs the zone's
 * other RRsets is a CSK.  A key without the flag is a ZSK, unless it is
 * what signs the DNSKEY RRset and the rest alone: a CSK without SEP.
 * Keys without the Zone Key flag sign nothing (RFC 4034 §2.1.1).
 */
const char *
zdiff_key_role(const struct zdiff *zd, enum zdiff_side side,
    const uint8_t *rd, size_t len)
{
	const struct zdiff_key *k;
	uint16_t flags;
	size_t i;

	if (len < 5)
		return "none";
	flags = dnskey_flags(rd);
	k = zdiff_key_find(zd, dnskey_tag(rd, len), dnskey_algorithm(rd));
	if (!(flags & DNSKEY_F_ZONE))
		return "none";
	if (flags & DNSKEY_F_SEP)
		return k != NULL && k->signs_other[side] ? "CSK" : "KSK";
	if (k == NULL || !k->signs_dnskey[side] || !k->signs_other[side])
		return "ZSK";
	for (i = 0; i < zd->sigs.nkey; i++)
		if (&zd->sigs.key[i] != k && zd->sigs.key[i].signs_dnskey[side])
			return "ZSK";
	return "CSK";
}
