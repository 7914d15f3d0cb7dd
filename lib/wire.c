/*
 * See wire.h.  Each constructor checks, before it reads a field, that
 * the field lies inside the RDATA; the view is written only when the
 * whole RDATA has its type's shape.
 */
#include "dname.h"
#include "wire.h"

/* The bound first, without overflow: off may be anything. */
int
wire_read(const uint8_t *b, size_t len, size_t off, size_t width,
    uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (width < 1 || width > 8 || off > len || len - off < width)
		return -1;
	for (i = 0; i < width; i++)
		x = x << 8 | b[off + i];
	*v = x;
	return 0;
}

/*
 * RFC 4034 §3.1: Type Covered (2), Algorithm (1), Labels (1), Original
 * TTL (4), Signature Expiration (4), Signature Inception (4), Key Tag
 * (2), the Signer's Name (uncompressed, RFC 4034 §3.1.7), then the
 * signature to the end (which may be empty here: its length is the
 * algorithm's to judge).
 */
int
wire_rrsig(struct wire_rrsig *v, const uint8_t *rd, size_t len)
{
	size_t n;

	if (len <= WIRE_RRSIG_FIXED ||
	    (n = dname_len_bounded(rd + WIRE_RRSIG_FIXED,
	    len - WIRE_RRSIG_FIXED)) == 0)
		return -1;
	v->covered = wire_get16(rd);
	v->algorithm = rd[2];
	v->labels = rd[3];
	v->original_ttl = wire_get32(rd + 4);
	v->expiration = wire_get32(rd + 8);
	v->inception = wire_get32(rd + 12);
	v->key_tag = wire_get16(rd + 16);
	v->signer = rd + WIRE_RRSIG_FIXED;
	v->signer_len = n;
	v->sig = rd + WIRE_RRSIG_FIXED + n;
	v->sig_len = len - WIRE_RRSIG_FIXED - n;
	return 0;
}

/* The type an RRSIG covers, the first field (RFC 4034 §3.1.1), for the
 * loops that only sort signatures by it; 0 (a type no RRset has) when
 * the RDATA is too short to hold it. */
uint16_t
wire_rrsig_covered(const uint8_t *rd, size_t len)
{
	uint16_t t;

	return wire_read16(rd, len, 0, &t) == 0 ? t : 0;
}

/* RFC 4034 §2.1: Flags (2), Protocol (1), Algorithm (1), Public Key. */
int
wire_dnskey(struct wire_dnskey *v, const uint8_t *rd, size_t len)
{
	if (len < WIRE_DNSKEY_FIXED)
		return -1;
	v->flags = wire_get16(rd);
	v->protocol = rd[2];
	v->algorithm = rd[3];
	v->key = rd + WIRE_DNSKEY_FIXED;
	v->key_len = len - WIRE_DNSKEY_FIXED;
	return 0;
}

/* RFC 4034 §5.1: Key Tag (2), Algorithm (1), Digest Type (1), Digest. */
int
wire_ds(struct wire_ds *v, const uint8_t *rd, size_t len)
{
	if (len < WIRE_DS_FIXED)
		return -1;
	v->key_tag = wire_get16(rd);
	v->algorithm = rd[2];
	v->digest_type = rd[3];
	v->digest = rd + WIRE_DS_FIXED;
	v->digest_len = len - WIRE_DS_FIXED;
	return 0;
}

/* RFC 1035 §3.3.13: MNAME, RNAME, SERIAL, REFRESH, RETRY, EXPIRE,
 * MINIMUM, and nothing after. */
int
wire_soa(struct wire_soa *v, const uint8_t *rd, size_t len)
{
	const uint8_t *p;
	size_t m, r;

	if ((m = dname_len_bounded(rd, len)) == 0 ||
	    (r = dname_len_bounded(rd + m, len - m)) == 0 ||
	    len - m - r != WIRE_SOA_NUMBERS)
		return -1;
	v->mname = rd;
	v->mname_len = m;
	v->rname = rd + m;
	v->rname_len = r;
	p = rd + m + r;
	v->serial = wire_get32(p);
	v->refresh = wire_get32(p + 4);
	v->retry = wire_get32(p + 8);
	v->expire = wire_get32(p + 12);
	v->minimum = wire_get32(p + 16);
	return 0;
}

/* RFC 4034 §4.1: Next Domain Name (uncompressed, §4.1.1), Type Bit
 * Maps to the end. */
int
wire_nsec(struct wire_nsec *v, const uint8_t *rd, size_t len)
{
	size_t n;

	if ((n = dname_len_bounded(rd, len)) == 0)
		return -1;
	v->next = rd;
	v->next_len = n;
	v->bitmap = rd + n;
	v->bitmap_len = len - n;
	return 0;
}

/* The fields NSEC3 and NSEC3PARAM share (RFC 5155 §3.2, §4.2); the
 * offset after the salt, or 0 when the salt does not fit. */
static size_t
nsec3_head(const uint8_t *rd, size_t len, uint8_t *alg, uint8_t *flags,
    uint16_t *iter, const uint8_t **salt, uint8_t *salt_len)
{
	if (len < WIRE_NSEC3PARAM_FIXED ||
	    len - WIRE_NSEC3PARAM_FIXED < rd[4])
		return 0;
	*alg = rd[0];
	*flags = rd[1];
	*iter = wire_get16(rd + 2);
	*salt_len = rd[4];
	*salt = rd + WIRE_NSEC3PARAM_FIXED;
	return WIRE_NSEC3PARAM_FIXED + (size_t)rd[4];
}

/* RFC 5155 §3.2: the shared fields, Hash Length (1), Next Hashed Owner
 * Name, Type Bit Maps to the end. */
int
wire_nsec3(struct wire_nsec3 *v, const uint8_t *rd, size_t len)
{
	struct wire_nsec3 t;
	size_t off;

	if ((off = nsec3_head(rd, len, &t.hash_alg, &t.flags, &t.iterations,
	    &t.salt, &t.salt_len)) == 0 || off >= len ||
	    len - off - 1 < rd[off])
		return -1;
	t.next_len = rd[off];
	t.next = rd + off + 1;
	off += 1 + (size_t)t.next_len;
	t.bitmap = rd + off;
	t.bitmap_len = len - off;
	*v = t;
	return 0;
}

/* RFC 5155 §4.2: the shared fields and nothing after. */
int
wire_nsec3param(struct wire_nsec3param *v, const uint8_t *rd, size_t len)
{
	struct wire_nsec3param t;
	size_t off;

	if ((off = nsec3_head(rd, len, &t.hash_alg, &t.flags, &t.iterations,
	    &t.salt, &t.salt_len)) == 0 || off != len)
		return -1;
	*v = t;
	return 0;
}

/* RFC 8976 §2.2: Serial (4), Scheme (1), Hash Algorithm (1), Digest. */
int
wire_zonemd(struct wire_zonemd *v, const uint8_t *rd, size_t len)
{
	if (len < WIRE_ZONEMD_FIXED)
		return -1;
	v->serial = wire_get32(rd);
	v->scheme = rd[4];
	v->hash_alg = rd[5];
	v->digest = rd + WIRE_ZONEMD_FIXED;
	v->digest_len = len - WIRE_ZONEMD_FIXED;
	return 0;
}

int
wire_take_cstring(struct wire_cur *c, const uint8_t **v, uint8_t *n)
{
	if (c->off >= c->len || c->len - c->off - 1 < c->b[c->off])
		return -1;
	*n = c->b[c->off];
	*v = c->b + c->off + 1;
	c->off += 1 + (size_t)*n;
	return 0;
}

int
wire_take_name(struct wire_cur *c, const uint8_t **v, size_t *n)
{
	size_t l;

	if (c->off >= c->len ||
	    (l = dname_len_bounded(c->b + c->off, c->len - c->off)) == 0)
		return -1;
	*v = c->b + c->off;
	*n = l;
	c->off += l;
	return 0;
}
