/*
 * See rrsig.h.
 */
#include <stdlib.h>
#include <string.h>

#include "dname.h"
#include "rrsig.h"
#include "wire.h"
#include "zone.h"

/* The RRSIG RDATA less the signature, signer in lower case (RFC 4034
 * §3.1.8.1, §6.2).  out needs WIRE_RRSIG_FIXED + 255 octets. */
size_t
rrsig_header(const struct wire_rrsig *s, uint8_t *out)
{
	uint8_t *p = out;

	p = wire_put16(p, s->covered);
	*p++ = s->algorithm;
	*p++ = s->labels;
	p = wire_put32(p, s->original_ttl);
	p = wire_put32(p, s->expiration);
	p = wire_put32(p, s->inception);
	p = wire_put16(p, s->key_tag);
	memcpy(p, s->signer, s->signer_len);
	dname_lower(p);
	return (size_t)(p - out) + s->signer_len;
}

/*
 * Build the signed data for the RRset rrs[0..n) (canonical order, RDATA
 * canonical, as a sorted zone holds them).  The owner as signed: when
 * the Labels field is less than the owner's label count, the owner was
 * expanded from a wildcard and the signed name is "*." and the rightmost
 * Labels labels (RFC 4035 §5.3.2); a wildcard owner itself has one label
 * more than its Labels field (RFC 4034 §3.1.3).  *buf is grown as needed
 * (malloc'd, *cap its size; the caller frees it).  Returns 0, or -1 when
 * the Labels field does not fit the owner or memory is short.
 */
int
rrsig_signed_data(const struct wire_rrsig *s, const struct rr *rrs, size_t n,
    uint8_t **buf, size_t *cap, size_t *len)
{
	uint8_t owner[DNAME_MAXLEN + 2], *p;
	size_t need, olen, i;
	int have = dname_labels(rrs[0].owner);

	if (s->labels > have)
		return -1;
	if (s->labels == have || (dname_is_wildcard(rrs[0].owner) &&
	    s->labels == have - 1)) {
		olen = dname_len(rrs[0].owner);
		memcpy(owner, rrs[0].owner, olen);
	} else {
		const uint8_t *o = rrs[0].owner;
		int k;
		for (k = have; k > s->labels; k--)
			o += *o + 1;
		owner[0] = 1;
		owner[1] = '*';
		olen = dname_len(o);
		if (olen + 2 > DNAME_MAXLEN)
			return -1;
		memcpy(owner + 2, o, olen);
		olen += 2;
	}
	dname_lower(owner);
	need = WIRE_RRSIG_FIXED + s->signer_len;
	for (i = 0; i < n; i++)
		need += olen + 10 + rrs[i].rdlen;
	if (need > *cap) {
		if ((p = realloc(*buf, need)) == NULL)
			return -1;
		*buf = p;
		*cap = need;
	}
	p = *buf + rrsig_header(s, *buf);
	for (i = 0; i < n; i++) {
		memcpy(p, owner, olen);
		p += olen;
		p = wire_put16(p, rrs[i].type);
		p = wire_put16(p, rrs[i].rclass);
		p = wire_put32(p, s->original_ttl);
		p = wire_put16(p, rrs[i].rdlen);
		if (rrs[i].rdlen > 0)
			memcpy(p, rrs[i].rdata, rrs[i].rdlen);
		p += rrs[i].rdlen;
	}
	*len = (size_t)(p - *buf);
	return 0;
}
