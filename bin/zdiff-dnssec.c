/*
 * zdiff-dnssec compares two versions of a zone, the old and the new, and
 * reports what a person reviewing a migration stage needs to see, in
 * four groups: the zone's data (delegations summarised per child), the
 * apex (SOA, NS, DNSKEY by key, CDS, CDNSKEY, ZONEMD), denial of
 * existence (NSEC or NSEC3 and their parameters), and the signatures,
 * counted per signing key.  A zone signed twice differs only in its
 * signatures, and says so in one line.  It answers a question, so it
 * exits 0 when the groups asked for are the same, 1 when they differ,
 * and 2 when it could not compare, as diff(1) does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "out.h"
#include "rrtext.h"
#include "rrtype.h"
#include "wire.h"
#include "zdiff.h"
#include "zone.h"

struct opts {
	bool		 brief, json, data_status;
	bool		 show[ZDIFF_NGROUPS];
	int		 full;		/* the group listed in full, or -1 */
	const char	*file[2];
};

/* A small JSON writer: one member per line, two spaces per level. */
struct json {
	FILE	*f;
	int	 depth;
	bool	 first[16];
};

static char	*rdbuf;			/* the text of one record, */
static size_t	 rdcap;			/* grown to fit each */

static void
usage(void)
{
	fprintf(stderr, "usage: zdiff-dnssec [-bEjS] [-F group | -g groups] "
	    "[-z origin] old new\n");
	exit(2);
}

/* Presentation of a name; four buffers, so that one printf(3) may show
 * several names. */
static const char *
name_text(const uint8_t *n)
{
	static char buf[4][DNAME_MAXTEXT];
	static int k;

	k = (k + 1) % 4;
	dname_to_text(n, buf[k]);
	return buf[k];
}

static const char *
type_text(uint16_t t)
{
	static char buf[4][16];
	static int k;

	k = (k + 1) % 4;
	return rrtype_name(t, buf[k]);
}

/* Room for n octets of text: a type bit map's alone may take 650 KB
 * (rrtext.h), so the buffer grows to what each record needs. */
static char *
text_buf(size_t n)
{
	char *nb;

	if (n > rdcap) {
		if ((nb = realloc(rdbuf, n)) == NULL)
			diag_fatal("out of memory");
		rdbuf = nb;
		rdcap = n;
	}
	return rdbuf;
}

static const char *
rdata_str(const struct rr *r)
{
	rdata_text(r->type, r->rdata, r->rdlen,
	    text_buf(rdata_text_max(r->type, r->rdlen)));
	return rdbuf;
}

/* A whole record as zcanon writes it. */
static const char *
rr_str(const struct rr *r)
{
	rr_text(r, text_buf(rr_text_max(r)));
	return rdbuf;
}

/* RRSIG times as in the records (RFC 4034 §3.2). */
static const char *
time_text(uint32_t t)
{
	static char buf[2][32];
	static int k;
	time_t tt = (time_t)t;
	struct tm tm;

	k = (k + 1) % 2;
	gmtime_r(&tt, &tm);
	snprintf(buf[k], sizeof(buf[k]), "%04d%02d%02d%02d%02d%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return buf[k];
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Reading: the whole zone, its apex, canonical order. */
static struct zone *
load(const char *path, const char *origin)
{
	struct zone *z;
	struct diag d;

	if ((z = zone_new()) == NULL)
		diag_fatal("out of memory");
	if (zone_load(z, path, origin, ZONE_LOAD_SORT, &d) != 0)
		diag_die(&d);
	return z;
}

static void
check_same_zone(const struct zone *o, const struct zone *n,
    const struct opts *op)
{
	const struct rr *so = &o->rr[zone_find(o, o->apex, T_SOA)];
	const struct rr *sn = &n->rr[zone_find(n, n->apex, T_SOA)];
	const char *f = strcmp(op->file[1], "-") ? op->file[1] : "<stdin>";

	if (!dname_equal(o->apex, n->apex))
		diag_fatal("%s: apex %s is not the old zone's apex %s", f,
		    name_text(n->apex), name_text(o->apex));
	if (so->rclass != sn->rclass)
		diag_fatal("%s: class differs from the old zone's class", f);
}

/* The words of a DNSKEY, CDNSKEY or CDS record that a reviewer knows a
 * key by (RFC 4034 §2.1 and §5.1, RFC 8078 §4 for the delete form); two
 * buffers, for a change from one key to another. */
static const char *
key_text(const struct zdiff *zd, int side, const struct rr *r)
{
	static char bufs[2][128];
	static int n;
	const uint8_t *rd = r->rdata;
	char *buf = bufs[n = !n];
	struct wire_ds ds;
	struct wire_zonemd zm;

	switch (r->type) {
	case T_DNSKEY:
	case T_CDNSKEY:
		if (r->rdlen < 5)
			return rdata_str(r);
		if (r->type == T_CDNSKEY && dnskey_algorithm(rd) == 0)
			return "delete (RFC 8078)";
		snprintf(buf, sizeof(bufs[0]), "key %u/%u flags %u%s%s%s",
		    dnskey_tag(rd, r->rdlen), dnskey_algorithm(rd),
		    dnskey_flags(rd), r->type == T_DNSKEY ? " " : "",
		    r->type == T_DNSKEY ? zdiff_key_role(zd, side, rd,
		    r->rdlen) : "", dnskey_flags(rd) & DNSKEY_F_REVOKE ?
		    " revoked" : "");
		return buf;
	case T_CDS:
		if (r->rdlen < 5 || wire_ds(&ds, rd, r->rdlen) != 0)
			return rdata_str(r);
		if (ds.algorithm == 0)
			return "delete (RFC 8078)";
		snprintf(buf, sizeof(bufs[0]), "key %u/%u digest type %u",
		    ds.key_tag, ds.algorithm, ds.digest_type);
		return buf;
	case T_ZONEMD:
		if (r->rdlen < 7 || wire_zonemd(&zm, rd, r->rdlen) != 0)
			return rdata_str(r);
		snprintf(buf, sizeof(bufs[0]), "serial %u scheme %u hash %u",
		    zm.serial, zm.scheme, zm.hash_alg);
		return buf;
	}
	return rdata_str(r);
}

/* The two values of a changed field, as text. */
static void
field_values(const struct zdiff *zd, const struct zdiff_item *it,
    char *from, char *to, size_t len)
{
	static const char *const num[] = {
		"serial", "refresh", "retry", "expire", "minimum"
	};
	const struct rr *r[2] = { it->o, it->n };
	char *out[2] = { from, to };
	size_t k;
	int s;

	for (s = 0; s < 2; s++) {
		const uint8_t *rd = r[s]->rdata;
		struct wire_soa soa;
		struct wire_zonemd zm;
		if (strcmp(it->field, "ttl") == 0)
			snprintf(out[s], len, "%u", r[s]->ttl);
		else if (strcmp(it->field, "flags") == 0)
			snprintf(out[s], len, "%u", dnskey_flags(rd));
		else if (strcmp(it->field, "role") == 0)
			snprintf(out[s], len, "%s", zdiff_key_role(zd, s, rd,
			    r[s]->rdlen));
		else if (it->type == T_SOA && strcmp(it->field, "rdata") != 0 &&
		    wire_soa(&soa, rd, r[s]->rdlen) == 0) {
			const uint32_t v[5] = { soa.serial, soa.refresh,
			    soa.retry, soa.expire, soa.minimum };
			if (strcmp(it->field, "mname") == 0)
				snprintf(out[s], len, "%s",
				    name_text(soa.mname));
			else if (strcmp(it->field, "rname") == 0)
				snprintf(out[s], len, "%s",
				    name_text(soa.rname));
			for (k = 0; k < 5; k++)
				if (strcmp(it->field, num[k]) == 0)
					snprintf(out[s], len, "%u", v[k]);
		} else if (strcmp(it->field, "digest") == 0 &&
		    wire_zonemd(&zm, rd, r[s]->rdlen) == 0)
			snprintf(out[s], len, "%u", zm.serial);
		else
			snprintf(out[s], len, "%s", rdata_str(r[s]));
	}
}

static void
print_item(const struct zdiff *zd, const struct zdiff_item *it)
{
	const struct rr *r = it->o != NULL ? it->o : it->n;
	const uint8_t *apex = zd->z[ZDIFF_OLD]->apex;
	struct wire_zonemd zm;
	char from[512], to[512];

	printf("  ");
	if (!dname_equal(r->owner, apex))
		printf("%s ", name_text(r->owner));
	printf("%s ", type_text(it->type));
	if (it->op == ZDIFF_ADDED) {
		printf("added %s\n", key_text(zd, ZDIFF_NEW, it->n));
		return;
	}
	if (it->op == ZDIFF_REMOVED) {
		printf("removed %s\n", key_text(zd, ZDIFF_OLD, it->o));
		return;
	}
	field_values(zd, it, from, to, sizeof(from));
	if (strcmp(it->field, "flags") == 0)
		printf("%s, was %s\n", key_text(zd, ZDIFF_NEW, it->n),
		    key_text(zd, ZDIFF_OLD, it->o));
	else if (strcmp(it->field, "role") == 0)
		printf("key %u/%u role %s -> %s\n",
		    dnskey_tag(it->n->rdata, it->n->rdlen),
		    dnskey_algorithm(it->n->rdata), from, to);
	else if (strcmp(it->field, "digest") == 0 &&
	    wire_zonemd(&zm, it->n->rdata, it->n->rdlen) == 0)
		printf("scheme %u hash %u digest changed, serial %s -> %s\n",
		    zm.scheme, zm.hash_alg, from, to);
	else if (strcmp(it->field, "ttl") == 0)
		printf("TTL %s -> %s\n", from, to);
	else
		printf("%s %s -> %s\n", it->field, from, to);
}

static void
print_more(size_t shown, size_t total)
{
	if (total > shown)
		printf("  ... and %zu more\n", total - shown);
}

/* The full list of one group: "-" old records, "+" new ones. */
static void
print_records(const struct zdiff *zd, int g)
{
	const struct zone *o = zd->z[ZDIFF_OLD], *n = zd->z[ZDIFF_NEW];
	size_t i;

	for (i = 0; i < zd->nev[g]; i++) {
		const struct zdiff_ev *e = &zd->ev[g][i];
		if (e->o != ZDIFF_NONE) {
			printf("- %s\n", rr_str(&o->rr[e->o]));
		}
		if (e->n != ZDIFF_NONE) {
			printf("+ %s\n", rr_str(&n->rr[e->n]));
		}
	}
}

static void
print_rrset(const struct zdiff *zd, const struct zdiff_unit *u,
    const struct zdiff_rrset *s)
{
	const struct rr *o = zd->z[ZDIFF_OLD]->rr, *n = zd->z[ZDIFF_NEW]->rr;

	if (s->role == ZDIFF_GLUE)
		printf("glue ");
	else if (s->role == ZDIFF_OCCLUDED)
		printf("occluded ");
	if (!dname_equal(s->owner, u->name))
		printf("%s ", name_text(s->owner));
	printf("%s", type_text(s->type));
	if (s->added + s->removed > 0)
		printf(" +%u -%u", s->added, s->removed);
	if (s->ob < s->oe && s->nb < s->ne && o[s->ob].ttl != n[s->nb].ttl)
		printf(" TTL %u -> %u", o[s->ob].ttl, n[s->nb].ttl);
	else if (s->ttl > 0)
		printf(" TTL changed on %u", s->ttl);
}

static void
print_data(const struct zdiff *zd, const struct opts *op)
{
	const struct zdiff_data *d = &zd->data;
	size_t i, k, other = d->units - d->delegations;

	if (d->units == 0) {
		printf("data: no differences\n");
		return;
	}
	printf("data: ");
	if (d->delegations > 0)
		printf("%zu delegation%s", d->delegations,
		    plural(d->delegations));
	if (d->delegations > 0 && other > 0)
		printf(" and %zu other name%s", other, plural(other));
	else if (other > 0)
		printf("%zu name%s", other, plural(other));
	printf(" differ%s: %zu record%s added, %zu removed, %zu with a new "
	    "TTL\n", d->units == 1 ? "s" : "", d->added, plural(d->added),
	    d->removed, d->ttl);
	if (op->brief || op->full == ZDIFF_DATA)
		return;
	for (i = 0; i < d->nunit; i++) {
		const struct zdiff_unit *u = &d->unit[i];
		printf("  %s: ", name_text(u->name));
		if (!u->in_old)
			printf("%s added: ", u->delegation ? "delegation" :
			    "name");
		else if (!u->in_new)
			printf("%s removed: ", u->delegation ? "delegation" :
			    "name");
		for (k = 0; k < u->nrrset; k++) {
			if (k > 0)
				printf(", ");
			print_rrset(zd, u, &u->rrset[k]);
		}
		printf("\n");
	}
	print_more(d->nunit, d->units);
}

static void
print_apex(const struct zdiff *zd, const struct opts *op)
{
	const struct zdiff_apex *a = &zd->apex;
	size_t i;

	if (a->nitem == 0) {
		printf("apex: no differences\n");
		return;
	}
	printf("apex: %zu change%s\n", a->nitem, plural(a->nitem));
	if (op->brief || op->full == ZDIFF_APEX)
		return;
	for (i = 0; i < a->nitem && i < zd->limit; i++)
		print_item(zd, &a->item[i]);
	print_more(i, a->nitem);
}

/* "NSEC", "NSEC3 1 0 0 - opt-out" or "none": the denial of one side. */
static const char *
denial_text(const struct zdiff_denial_side *s)
{
	static char buf[2][600];
	static int k;
	char *p;

	k = (k + 1) % 2;
	p = buf[k];
	p += sprintf(p, "%s", s->nsec && (s->nsec3 || s->nparam) ?
	    "NSEC and NSEC3" : s->nsec3 || s->nparam ? "NSEC3" :
	    s->nsec ? "NSEC" : "none");
	if (s->param != NULL && s->param->rdlen < 260)
		p += sprintf(p, " %s", rdata_str(s->param));
	if (s->optout > 0)
		sprintf(p, " opt-out");
	return buf[k];
}

static void
print_denial(const struct zdiff *zd, const struct opts *op)
{
	static const char *const tn[] = { "NSEC", "NSEC3" };
	const struct zdiff_denial *dn = &zd->denial;
	const struct zdiff_denial_side *so = &dn->side[0], *sn = &dn->side[1];
	size_t k, i, add = 0, rem = 0, chg = 0, kept = 0, ttl = 0;
	const char *o = denial_text(so), *n = denial_text(sn);

	for (k = 0; k < 2; k++) {
		add += dn->added[k];
		rem += dn->removed[k];
		chg += dn->changed[k];
		kept += dn->kept[k];
		ttl += dn->ttl[k];
	}
	if (!dn->differs && kept == 0) {
		printf("denial: no differences (no NSEC or NSEC3)\n");
		return;
	}
	if (!dn->differs) {
		printf("denial: no differences (%s, %zu record%s)\n", n,
		    kept, plural(kept));
		return;
	}
	printf("denial: %s%s%s: %zu added, %zu removed, %zu changed, "
	    "%zu kept, %zu with a new TTL\n", o, strcmp(o, n) ? " -> " : "",
	    strcmp(o, n) ? n : "", add, rem, chg, kept, ttl);
	if (op->brief || op->full == ZDIFF_DENIAL)
		return;
	/* Counts per type only when there are both. */
	for (k = 0; k < 2 && so->nsec + sn->nsec > 0 &&
	    so->nsec3 + sn->nsec3 > 0; k++) {
		printf("  %s: %zu added, %zu removed, %zu changed, %zu kept, "
		    "%zu with a new TTL\n", tn[k], dn->added[k],
		    dn->removed[k], dn->changed[k], dn->kept[k], dn->ttl[k]);
	}
	if (so->optout != sn->optout)
		printf("  NSEC3 with opt-out: %zu -> %zu\n", so->optout,
		    sn->optout);
	for (i = 0; i < dn->nitem; i++)
		print_item(zd, &dn->item[i]);
}

/* The role of a signing key: from the DNSKEY RRset of the new zone,
 * else of the old one. */
static const char *
signer_role(const struct zdiff *zd, const struct zdiff_key *k)
{
	static char buf[32];
	const struct zone *z;
	size_t i, e;
	int s;

	for (s = ZDIFF_NEW; s >= ZDIFF_OLD; s--) {
		z = zd->z[s];
		i = zone_find(z, z->apex, T_DNSKEY);
		e = i < z->n ? zone_rrset_end(z, i) : i;
		for (; i < e; i++) {
			const struct rr *r = &z->rr[i];
			if (r->rdlen <= 4 || dnskey_algorithm(r->rdata) !=
			    k->alg || dnskey_tag(r->rdata, r->rdlen) != k->tag)
				continue;
			snprintf(buf, sizeof(buf), "%s%s", zdiff_key_role(zd,
			    s, r->rdata, r->rdlen), dnskey_flags(r->rdata) &
			    DNSKEY_F_REVOKE ? " revoked" : "");
			return buf;
		}
	}
	return "not in DNSKEY";
}

static void
print_expiry(const struct zdiff_key *k, int s)
{
	printf("%s", time_text(k->exp_min[s]));
	if (k->exp_max[s] != k->exp_min[s])
		printf("..%s", time_text(k->exp_max[s]));
}

static void
print_sigs(const struct zdiff *zd, const struct opts *op)
{
	const struct zdiff_sigs *sg = &zd->sigs;
	size_t i;

	if (sg->nkey == 0)
		printf("signatures: no differences (no RRSIG)\n");
	else if (!zdiff_differs(zd, ZDIFF_SIGS))
		printf("signatures: no differences (%zu key%s, %zu kept)\n",
		    sg->nkey, plural(sg->nkey), sg->kept);
	else
		printf("signatures: %zu made, %zu removed, %zu kept, "
		    "%zu refreshed, by %zu key%s\n", sg->made, sg->removed,
		    sg->kept, sg->refreshed, sg->nkey, plural(sg->nkey));
	if (op->brief || op->full == ZDIFF_SIGS)
		return;
	for (i = 0; i < sg->nkey && i < zd->limit; i++) {
		const struct zdiff_key *k = &sg->key[i];
		printf("  key %u/%u %s: %zu made, %zu removed, %zu kept, "
		    "%zu refreshed; ", k->tag, k->alg, signer_role(zd, k),
		    k->made, k->removed, k->kept, k->refreshed);
		if (k->nsig[ZDIFF_NEW] > 0) {
			printf("expiring ");
			print_expiry(k, ZDIFF_NEW);
		} else
			printf("none left");
		if (k->nsig[ZDIFF_OLD] > 0 &&
		    (k->nsig[ZDIFF_NEW] == 0 ||
		    k->exp_min[0] != k->exp_min[1] ||
		    k->exp_max[0] != k->exp_max[1])) {
			printf(", old ones expiring ");
			print_expiry(k, ZDIFF_OLD);
		}
		printf("\n");
	}
	print_more(i, sg->nkey);
}

static void
print_text(const struct zdiff *zd, const struct opts *op)
{
	static void (*const fn[])(const struct zdiff *, const struct opts *) =
	    { print_data, print_apex, print_denial, print_sigs };
	int g;

	for (g = 0; g < ZDIFF_NGROUPS; g++) {
		if (!op->show[g])
			continue;
		fn[g](zd, op);
		if (op->full == g)
			print_records(zd, g);
	}
}

/* JSON (RFC 8259), members in a fixed order. */
static void
j_sep(struct json *j, const char *key)
{
	if (j->depth > 0) {
		fputs(j->first[j->depth] ? "\n" : ",\n", j->f);
		j->first[j->depth] = false;
	}
	fprintf(j->f, "%*s", 2 * j->depth, "");
	if (key != NULL)
		fprintf(j->f, "\"%s\": ", key);
}

static void
j_open(struct json *j, const char *key, char c)
{
	j_sep(j, key);
	fputc(c, j->f);
	j->first[++j->depth] = true;
}

static void
j_close(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (empty)
		fputc(c, j->f);
	else
		fprintf(j->f, "\n%*s%c", 2 * j->depth, "", c);
	if (j->depth == 0)
		fputc('\n', j->f);
}

static void
j_str(struct json *j, const char *key, const char *s)
{
	j_sep(j, key);
	if (s == NULL) {
		fputs("null", j->f);
		return;
	}
	fputc('"', j->f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(j->f, "\\%c", c);
		else if (c == '\t')
			fputs("\\t", j->f);
		else if (c < 0x20)
			fprintf(j->f, "\\u%04x", c);
		else
			fputc(c, j->f);
	}
	fputc('"', j->f);
}

static void
j_num(struct json *j, const char *key, unsigned long long v)
{
	j_sep(j, key);
	fprintf(j->f, "%llu", v);
}

static void
j_bool(struct json *j, const char *key, bool v)
{
	j_sep(j, key);
	fputs(v ? "true" : "false", j->f);
}

static void
j_records(struct json *j, const struct zdiff *zd, int g)
{
	size_t i;

	j_open(j, "records", '[');
	for (i = 0; i < zd->nev[g]; i++) {
		const struct zdiff_ev *e = &zd->ev[g][i];
		if (e->o != ZDIFF_NONE) {
			j_open(j, NULL, '{');
			j_str(j, "op", "-");
			j_str(j, "rr", rr_str(&zd->z[ZDIFF_OLD]->rr[e->o]));
			j_close(j, '}');
		}
		if (e->n != ZDIFF_NONE) {
			j_open(j, NULL, '{');
			j_str(j, "op", "+");
			j_str(j, "rr", rr_str(&zd->z[ZDIFF_NEW]->rr[e->n]));
			j_close(j, '}');
		}
	}
	j_close(j, ']');
}

static const char *
role_name(int role)
{
	static const char *const names[] = {
		"auth", "ns", "ds", "glue", "occluded"
	};

	return names[role];
}

static void
j_data(struct json *j, const struct zdiff *zd, const struct opts *op)
{
	const struct zdiff_data *d = &zd->data;
	const struct rr *o = zd->z[ZDIFF_OLD]->rr, *n = zd->z[ZDIFF_NEW]->rr;
	size_t i, k;

	j_num(j, "delegations", d->delegations);
	j_num(j, "names", d->units - d->delegations);
	j_num(j, "added", d->added);
	j_num(j, "removed", d->removed);
	j_num(j, "ttl_changed", d->ttl);
	if (op->brief || op->full == ZDIFF_DATA)
		return;
	j_open(j, "units", '[');
	for (i = 0; i < d->nunit; i++) {
		const struct zdiff_unit *u = &d->unit[i];
		j_open(j, NULL, '{');
		j_str(j, "name", name_text(u->name));
		j_str(j, "kind", u->delegation ? "delegation" : "name");
		j_str(j, "status", !u->in_old ? "added" : !u->in_new ?
		    "removed" : "changed");
		j_open(j, "rrsets", '[');
		for (k = 0; k < u->nrrset; k++) {
			const struct zdiff_rrset *s = &u->rrset[k];
			j_open(j, NULL, '{');
			j_str(j, "owner", name_text(s->owner));
			j_str(j, "type", type_text(s->type));
			j_str(j, "role", role_name(s->role));
			j_num(j, "old", s->oe - s->ob);
			j_num(j, "new", s->ne - s->nb);
			j_num(j, "added", s->added);
			j_num(j, "removed", s->removed);
			j_num(j, "ttl_changed", s->ttl);
			if (s->ob < s->oe)
				j_num(j, "old_ttl", o[s->ob].ttl);
			else
				j_str(j, "old_ttl", NULL);
			if (s->nb < s->ne)
				j_num(j, "new_ttl", n[s->nb].ttl);
			else
				j_str(j, "new_ttl", NULL);
			j_close(j, '}');
		}
		j_close(j, ']');
		j_close(j, '}');
	}
	j_close(j, ']');
	j_num(j, "more", d->units - d->nunit);
}

static void
j_record(struct json *j, const char *key, const struct zdiff *zd, int s,
    const struct rr *r)
{
	if (r == NULL) {
		j_str(j, key, NULL);
		return;
	}
	j_open(j, key, '{');
	j_str(j, "owner", name_text(r->owner));
	j_num(j, "ttl", r->ttl);
	j_str(j, "rdata", rdata_str(r));
	if (r->type == T_DNSKEY && r->rdlen > 4) {
		j_num(j, "tag", dnskey_tag(r->rdata, r->rdlen));
		j_num(j, "algorithm", dnskey_algorithm(r->rdata));
		j_num(j, "flags", dnskey_flags(r->rdata));
		j_str(j, "role", zdiff_key_role(zd, s, r->rdata, r->rdlen));
		j_bool(j, "revoked", dnskey_flags(r->rdata) & DNSKEY_F_REVOKE);
	}
	j_close(j, '}');
}

static void
j_items(struct json *j, const struct zdiff *zd, const struct zdiff_item *it,
    size_t n, size_t limit)
{
	static const char *const ops[] = { "added", "removed", "changed" };
	char from[512], to[512];
	size_t i;

	j_open(j, "items", '[');
	for (i = 0; i < n && i < limit; i++) {
		j_open(j, NULL, '{');
		j_str(j, "type", type_text(it[i].type));
		j_str(j, "op", ops[it[i].op]);
		if (it[i].op == ZDIFF_CHANGED) {
			field_values(zd, &it[i], from, to, sizeof(from));
			j_str(j, "field", it[i].field);
			j_str(j, "from", from);
			j_str(j, "to", to);
		} else {
			j_str(j, "field", NULL);
			j_str(j, "from", NULL);
			j_str(j, "to", NULL);
		}
		j_record(j, "old", zd, ZDIFF_OLD, it[i].o);
		j_record(j, "new", zd, ZDIFF_NEW, it[i].n);
		j_close(j, '}');
	}
	j_close(j, ']');
	j_num(j, "more", n - i);
}

static void
j_apex(struct json *j, const struct zdiff *zd, const struct opts *op)
{
	j_num(j, "changes", zd->apex.nitem);
	if (!op->brief && op->full != ZDIFF_APEX)
		j_items(j, zd, zd->apex.item, zd->apex.nitem, zd->limit);
}

static void
j_denial(struct json *j, const struct zdiff *zd, const struct opts *op)
{
	static const char *const side[] = { "old", "new" };
	static const char *const tn[] = { "nsec", "nsec3" };
	const struct zdiff_denial *dn = &zd->denial;
	int s, k;

	for (s = 0; s < 2; s++) {
		const struct zdiff_denial_side *ds = &dn->side[s];
		j_open(j, side[s], '{');
		j_str(j, "kind", ds->nsec && (ds->nsec3 || ds->nparam) ?
		    "NSEC and NSEC3" : ds->nsec3 || ds->nparam ? "NSEC3" :
		    ds->nsec ? "NSEC" : "none");
		j_str(j, "nsec3param", ds->param ? rdata_str(ds->param) : NULL);
		j_num(j, "nsec", ds->nsec);
		j_num(j, "nsec3", ds->nsec3);
		j_num(j, "opt_out", ds->optout);
		j_close(j, '}');
	}
	for (k = 0; k < 2; k++) {
		j_open(j, tn[k], '{');
		j_num(j, "added", dn->added[k]);
		j_num(j, "removed", dn->removed[k]);
		j_num(j, "changed", dn->changed[k]);
		j_num(j, "kept", dn->kept[k]);
		j_num(j, "ttl_changed", dn->ttl[k]);
		j_close(j, '}');
	}
	if (!op->brief && op->full != ZDIFF_DENIAL)
		j_items(j, zd, dn->item, dn->nitem, dn->nitem);
}

static void
j_expiry(struct json *j, const char *key, const struct zdiff_key *k, int s)
{
	if (k->nsig[s] == 0) {
		j_str(j, key, NULL);
		return;
	}
	j_open(j, key, '{');
	j_num(j, "signatures", k->nsig[s]);
	j_str(j, "earliest_expiration", time_text(k->exp_min[s]));
	j_str(j, "latest_expiration", time_text(k->exp_max[s]));
	j_close(j, '}');
}

static void
j_sigs(struct json *j, const struct zdiff *zd, const struct opts *op)
{
	const struct zdiff_sigs *sg = &zd->sigs;
	size_t i;

	j_num(j, "made", sg->made);
	j_num(j, "removed", sg->removed);
	j_num(j, "kept", sg->kept);
	j_num(j, "refreshed", sg->refreshed);
	if (op->brief || op->full == ZDIFF_SIGS)
		return;
	j_open(j, "keys", '[');
	for (i = 0; i < sg->nkey && i < zd->limit; i++) {
		const struct zdiff_key *k = &sg->key[i];
		j_open(j, NULL, '{');
		j_num(j, "tag", k->tag);
		j_num(j, "algorithm", k->alg);
		j_str(j, "role", signer_role(zd, k));
		j_num(j, "made", k->made);
		j_num(j, "removed", k->removed);
		j_num(j, "kept", k->kept);
		j_num(j, "refreshed", k->refreshed);
		j_expiry(j, "old", k, ZDIFF_OLD);
		j_expiry(j, "new", k, ZDIFF_NEW);
		j_close(j, '}');
	}
	j_close(j, ']');
	j_num(j, "more", sg->nkey - i);
}

static void
j_zone(struct json *j, const char *key, const char *file,
    const struct zone *z)
{
	j_open(j, key, '{');
	j_str(j, "file", file);
	j_str(j, "apex", name_text(z->apex));
	j_num(j, "records", z->n);
	j_close(j, '}');
}

static void
print_json(const struct zdiff *zd, const struct opts *op, bool differs)
{
	static void (*const fn[])(struct json *, const struct zdiff *,
	    const struct opts *) = { j_data, j_apex, j_denial, j_sigs };
	struct json j = { stdout, 0, { true } };
	int g;

	j_open(&j, NULL, '{');
	j_zone(&j, "old", op->file[0], zd->z[ZDIFF_OLD]);
	j_zone(&j, "new", op->file[1], zd->z[ZDIFF_NEW]);
	j_bool(&j, "ignore_serial", zd->ignore_serial);
	j_bool(&j, "differences", differs);
	for (g = 0; g < ZDIFF_NGROUPS; g++) {
		if (!op->show[g])
			continue;
		j_open(&j, zdiff_group_name(g), '{');
		j_bool(&j, "differences", zdiff_differs(zd, g));
		fn[g](&j, zd, op);
		if (op->full == g)
			j_records(&j, zd, g);
		j_close(&j, '}');
	}
	j_close(&j, '}');
}

/* -g data,apex: the groups to show, at least one. */
static int
parse_groups(char *s, bool *show)
{
	char *tok;
	int g, n = 0;

	memset(show, 0, ZDIFF_NGROUPS * sizeof(*show));
	for (tok = strtok(s, ","); tok != NULL; tok = strtok(NULL, ",")) {
		if ((g = zdiff_group_from_name(tok)) < 0)
			return -1;
		show[g] = true;
		n++;
	}
	return n > 0 ? 0 : -1;
}

static int
status(const struct zdiff *zd, const struct opts *op)
{
	int g;

	if (op->data_status)
		return zdiff_differs(zd, ZDIFF_DATA);
	for (g = 0; g < ZDIFF_NGROUPS; g++)
		if (op->show[g] && zdiff_differs(zd, g))
			return 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct opts op = { false, false, false, { true, true, true, true },
	    -1, { NULL, NULL } };
	const char *origin = NULL;
	char *groups = NULL;
	struct zone *z[2];
	struct zdiff zd;
	struct diag d;
	struct out out;
	bool ignore_serial = false;
	int ch, rc, g;

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "bEF:g:jSz:")) != -1) {
		switch (ch) {
		case 'b':
			op.brief = true;
			break;
		case 'E':
			op.data_status = true;
			break;
		case 'F':
			if ((op.full = zdiff_group_from_name(optarg)) < 0)
				usage();
			break;
		case 'g':
			groups = optarg;
			break;
		case 'j':
			op.json = true;
			break;
		case 'S':
			ignore_serial = true;
			break;
		case 'z':
			origin = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 || (op.full >= 0 && (groups != NULL || op.brief)))
		usage();
	if (groups != NULL && parse_groups(groups, op.show) != 0)
		usage();
	if (op.full >= 0)
		for (g = 0; g < ZDIFF_NGROUPS; g++)
			op.show[g] = g == op.full;
	op.file[0] = argv[0];
	op.file[1] = argv[1];
	if (strcmp(argv[0], "-") == 0 && strcmp(argv[1], "-") == 0)
		diag_fatal("old and new are both standard input");

	z[0] = load(op.file[0], origin);
	z[1] = load(op.file[1], origin);
	check_same_zone(z[0], z[1], &op);
	zdiff_init(&zd, z[0], z[1]);
	zd.ignore_serial = ignore_serial;
	if (op.full >= 0)
		zd.full[op.full] = true;
	if (zdiff_run(&zd) != 0)
		diag_fatal("out of memory");
	rc = status(&zd, &op);
	/* Standard output, committed as any output is (out.h); the
	 * report goes to it through stdout. */
	if (out_open(&out, NULL, &d) != 0)
		diag_die(&d);
	if (op.json)
		print_json(&zd, &op, rc == 1);
	else
		print_text(&zd, &op);
	if (out_commit(&out, &d) != 0)
		diag_die(&d);

	zdiff_free(&zd);
	zone_free(z[0]);
	zone_free(z[1]);
	free(rdbuf);
	return rc;
}
