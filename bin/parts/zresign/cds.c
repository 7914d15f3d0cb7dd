/*
 * zresign's CDS and CDNSKEY RRsets (-c; RFC 7344, RFC 8078): kept and
 * checked, made anew for the KSKs, the delete form, or dropped.
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
#include "wire.h"
#include "zone.h"
#include "zsign.h"

#include "../../zresign-int.h"

/* Is this a CDS or CDNSKEY record at the apex? */
static bool
is_apex_cds(const struct rr *r, void *arg)
{
	const struct zone *z = arg;

	return (r->type == T_CDS || r->type == T_CDNSKEY) &&
	    dname_equal(r->owner, z->apex);
}

static void
add_rr(struct zone *z, uint16_t type, uint16_t rclass, uint32_t ttl,
    const uint8_t *rd, size_t len)
{
	if (zone_add(z, z->apex, type, rclass, ttl, rd, len, NULL, 0) == NULL)
		diag_fatal("out of memory");
}

/*
 * Is the apex DNSKEY r a KSK whose CDS and CDNSKEY go out: a zone key
 * with the SEP flag, not revoked (RFC 7344 section 4: the child's
 * KSKs, for the DS RRset it wants), and not one of ours that does not
 * sign at -t, or whose SyncPublish and SyncDelete times keep its CDS
 * back at -t (-m)?
 */
static bool
cds_wanted(const struct job *j, const struct rr *r)
{
	const uint8_t *rd;
	size_t k, len;
	uint16_t f;

	if (!dnskey_rdata_ok(r->rdata, r->rdlen))
		return false;
	f = dnskey_flags(r->rdata);
	if (!(f & DNSKEY_F_ZONE) || !(f & DNSKEY_F_SEP) ||
	    (f & DNSKEY_F_REVOKE))
		return false;
	for (k = 0; k < j->nkeys; k++) {
		rd = keyfile_rdata(j->kf[k], &len);
		if ((!j->sign[k] || !j->sync[k]) && len == r->rdlen &&
		    memcmp(rd, r->rdata, len) == 0)
			return false;
	}
	return true;
}

/* Is the apex CDS or CDNSKEY r the delete form (RFC 8078 section 4):
 * CDS "0 0 0 00", CDNSKEY "0 3 0 AA=="? */
static bool
is_delete_form(const struct rr *r)
{
	struct wire_ds ds;
	struct wire_dnskey key;

	if (r->type == T_CDS)
		return wire_ds(&ds, r->rdata, r->rdlen) == 0 &&
		    ds.key_tag == 0 && ds.algorithm == 0 &&
		    ds.digest_type == 0 && ds.digest_len == 1 &&
		    ds.digest[0] == 0;
	return wire_dnskey(&key, r->rdata, r->rdlen) == 0 &&
	    key.flags == 0 && key.protocol == 3 && key.algorithm == 0 &&
	    key.key_len == 1 && key.key[0] == 0;
}

/* The key tag and algorithm a CDS or CDNSKEY names, 0 and 0 when its
 * RDATA is too short for them. */
static void
cds_key(const struct rr *r, unsigned *tag, unsigned *alg)
{
	struct wire_ds ds;
	struct wire_dnskey key;

	*tag = *alg = 0;
	if (r->type == T_CDS && wire_ds(&ds, r->rdata, r->rdlen) == 0) {
		*tag = ds.key_tag;
		*alg = ds.algorithm;
	} else if (r->type != T_CDS &&
	    wire_dnskey(&key, r->rdata, r->rdlen) == 0) {
		*tag = dnskey_tag(r->rdata, r->rdlen);
		*alg = key.algorithm;
	}
}

/*
 * The CDS and CDNSKEY records kept (-c keep) must each name a key of
 * the DNSKEY RRset as it is published, or be the delete form: a parent
 * that follows one naming no key there installs a DS that matches no
 * DNSKEY (RFC 7344 section 4.1 asks it to refuse such a set, RFC 8078
 * section 3 to check it first).  A warning names each one.
 */
static void
check_kept_cds(const struct job *j)
{
	const struct zone *z = j->z;
	char name[DNAME_MAXTEXT], type[16];
	size_t i, k;
	unsigned tag, alg;
	bool found;

	if (j->a.quiet)
		return;
	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		if ((r->type != T_CDS && r->type != T_CDNSKEY) ||
		    !dname_equal(r->owner, z->apex) || is_delete_form(r))
			continue;
		for (found = false, k = 0; k < z->n && !found; k++) {
			const struct rr *d = &z->rr[k];
			if (d->type != T_DNSKEY || !dname_equal(d->owner, z->apex))
				continue;
			found = r->type == T_CDS ? ds_matches(z->apex, d->rdata,
			    d->rdlen, r->rdata, r->rdlen) : (d->rdlen ==
			    r->rdlen && memcmp(d->rdata, r->rdata, r->rdlen) ==
			    0);
		}
		if (found)
			continue;
		dname_to_text(z->apex, name);
		cds_key(r, &tag, &alg);
		diag_warn("%s:%u: %s %s %u/%u matches no key of the DNSKEY "
		    "RRset: a parent following it would install a DS that "
		    "matches no DNSKEY (RFC 7344 section 4.1); -c publish makes "
		    "them anew, -c drop drops them", zone_rr_file(z, r),
		    r->line, name, rrtype_name(r->type, type), tag, alg);
	}
}

/*
 * The CDS and CDNSKEY RRsets (RFC 7344 section 3), -c: kept as the zone
 * has them (and signed again, as the DNSKEY RRset is), made anew for
 * the KSKs of the DNSKEY RRset (CDS with digest type 2, SHA-256, RFC
 * 7344 section 4 and RFC 8624 section 3.3), the delete form of RFC
 * 8078 section 4 (CDS 0 0 0 00, CDNSKEY 0 3 0 AA==: remove the DS RRset),
 * or dropped.  Their TTL is the DNSKEY RRset's.
 */
void
zr_edit_cds(struct job *j)
{
	static const uint8_t del_cds[] = { 0, 0, 0, 0, 0 };
	static const uint8_t del_cdnskey[] = { 0, 0, 3, 0, 0 };
	struct zone *z = j->z;
	uint8_t ds[DS_RDATA_MAX];
	size_t i, n, len, made = 0;
	uint32_t ttl = 0;
	uint16_t rclass = z->rr[0].rclass;
	bool have = false;
	struct diag d;

	if (j->cds == CDS_KEEP) {
		check_kept_cds(j);
		return;
	}
	zone_remove_if(z, is_apex_cds, z);
	if (j->cds == CDS_DROP) {
		diag_info("CDS and CDNSKEY: dropped (-c drop)");
		return;
	}
	n = z->n;
	for (i = 0; i < n && !have; i++)
		if (z->rr[i].type == T_DNSKEY &&
		    dname_equal(z->rr[i].owner, z->apex)) {
			ttl = z->rr[i].ttl;
			have = true;
		}
	if (j->cds == CDS_DELETE) {
		add_rr(z, T_CDS, rclass, ttl, del_cds, sizeof(del_cds));
		add_rr(z, T_CDNSKEY, rclass, ttl, del_cdnskey,
		    sizeof(del_cdnskey));
		diag_info("CDS and CDNSKEY: the delete form (RFC 8078 section "
		    "4)");
		return;
	}
	for (i = 0; i < n; i++) {
		const struct rr *r = &z->rr[i];
		if (r->type != T_DNSKEY || !dname_equal(r->owner, z->apex) ||
		    !cds_wanted(j, r))
			continue;
		if (ds_make(z->apex, r->rdata, r->rdlen, DS_SHA256, ds, &len,
		    &d) != 0)
			diag_die(&d);
		add_rr(z, T_CDS, rclass, ttl, ds, len);
		add_rr(z, T_CDNSKEY, rclass, ttl, z->rr[i].rdata,
		    z->rr[i].rdlen);
		made++;
	}
	if (made == 0)
		diag_fatal("-c publish: no KSK in the DNSKEY RRset (a zone key "
		    "with the SEP flag, not revoked, that signs): no CDS to "
		    "make (RFC 7344 section 4)");
	diag_info("CDS and CDNSKEY: %zu KSK%s, CDS digest type 2 (SHA-256)",
	    made, made == 1 ? "" : "s");
}
