/*
 * The one place that reads and writes wire fields.  Numbers in DNS wire
 * form are big-endian ("network order", RFC 1035 §2.3.2); the typed views
 * below give the fields of every RDATA the toolkit interprets, each from
 * a constructor that checks the RDATA's length against the fields first
 * and returns -1 when they do not fit.  No other file indexes RDATA by
 * number or assembles a number from octets (tools/wire-lint.sh checks).
 *
 * The views point into the RDATA they were made from: they live as long
 * as it does, and copy nothing.
 */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Accessors without bounds, for callers that hold a length already
 * checked (a view's constructor, a record header of known size).
 */
static inline uint16_t
wire_get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t
wire_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* 48 bits: the time fields of TSIG (RFC 8945 §4.2). */
static inline uint64_t
wire_get48(const uint8_t *p)
{
	return (uint64_t)wire_get16(p) << 32 | wire_get32(p + 2);
}

/* The writers return the octet after the field. */
static inline uint8_t *
wire_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static inline uint8_t *
wire_put32(uint8_t *p, uint32_t v)
{
	return wire_put16(wire_put16(p, (uint16_t)(v >> 16)), (uint16_t)v);
}

static inline uint8_t *
wire_put48(uint8_t *p, uint64_t v)
{
	return wire_put32(wire_put16(p, (uint16_t)(v >> 32)), (uint32_t)v);
}

/*
 * The accessor with bounds: the big-endian number of width octets (1 to
 * 8) at offset off of a buffer of len octets, or -1 (and *v untouched)
 * when it does not fit.  The named ones below are its widths.
 */
int	 wire_read(const uint8_t *, size_t, size_t, size_t, uint64_t *);

static inline int
wire_read8(const uint8_t *b, size_t len, size_t off, uint8_t *v)
{
	uint64_t x;

	if (wire_read(b, len, off, 1, &x) != 0)
		return -1;
	*v = (uint8_t)x;
	return 0;
}

static inline int
wire_read16(const uint8_t *b, size_t len, size_t off, uint16_t *v)
{
	uint64_t x;

	if (wire_read(b, len, off, 2, &x) != 0)
		return -1;
	*v = (uint16_t)x;
	return 0;
}

static inline int
wire_read32(const uint8_t *b, size_t len, size_t off, uint32_t *v)
{
	uint64_t x;

	if (wire_read(b, len, off, 4, &x) != 0)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* 48 bits: the time fields of TSIG (RFC 8945 §4.2). */
static inline int
wire_read48(const uint8_t *b, size_t len, size_t off, uint64_t *v)
{
	return wire_read(b, len, off, 6, v);
}

/* RRSIG (RFC 4034 §3.1): 18 octets of fields, the signer's name, the
 * signature. */
#define WIRE_RRSIG_FIXED	18

struct wire_rrsig {
	uint16_t	 covered;
	uint8_t		 algorithm;
	uint8_t		 labels;
	uint32_t	 original_ttl;
	uint32_t	 expiration;
	uint32_t	 inception;
	uint16_t	 key_tag;
	const uint8_t	*signer;	/* wire, inside the RDATA */
	size_t		 signer_len;
	const uint8_t	*sig;
	size_t		 sig_len;
};

int		 wire_rrsig(struct wire_rrsig *, const uint8_t *, size_t);
uint16_t	 wire_rrsig_covered(const uint8_t *, size_t);

/* DNSKEY and CDNSKEY (RFC 4034 §2.1, RFC 7344 §3.2). */
#define WIRE_DNSKEY_FIXED	4

struct wire_dnskey {
	uint16_t	 flags;
	uint8_t		 protocol;
	uint8_t		 algorithm;
	const uint8_t	*key;
	size_t		 key_len;
};

int	 wire_dnskey(struct wire_dnskey *, const uint8_t *, size_t);

/* DS and CDS (RFC 4034 §5.1, RFC 7344 §3.1). */
#define WIRE_DS_FIXED		4

struct wire_ds {
	uint16_t	 key_tag;
	uint8_t		 algorithm;
	uint8_t		 digest_type;
	const uint8_t	*digest;
	size_t		 digest_len;
};

int	 wire_ds(struct wire_ds *, const uint8_t *, size_t);

/* SOA (RFC 1035 §3.3.13): two names, then five 32-bit numbers that end
 * the RDATA. */
#define WIRE_SOA_NUMBERS	20

struct wire_soa {
	const uint8_t	*mname;
	size_t		 mname_len;
	const uint8_t	*rname;
	size_t		 rname_len;
	uint32_t	 serial;
	uint32_t	 refresh;
	uint32_t	 retry;
	uint32_t	 expire;
	uint32_t	 minimum;
};

int	 wire_soa(struct wire_soa *, const uint8_t *, size_t);

/* NSEC (RFC 4034 §4.1): the next owner name, then the type bit maps
 * (their inside is typebitmap.c's). */
struct wire_nsec {
	const uint8_t	*next;
	size_t		 next_len;
	const uint8_t	*bitmap;
	size_t		 bitmap_len;
};

int	 wire_nsec(struct wire_nsec *, const uint8_t *, size_t);

/* NSEC3 (RFC 5155 §3.2) and NSEC3PARAM (RFC 5155 §4.2): a hash
 * algorithm, flags, iterations, a salt of the length its octet gives;
 * NSEC3 then the next hashed owner, of the length its octet gives, and
 * the type bit maps; NSEC3PARAM nothing more. */
#define WIRE_NSEC3PARAM_FIXED	5

struct wire_nsec3 {
	uint8_t		 hash_alg;
	uint8_t		 flags;
	uint16_t	 iterations;
	const uint8_t	*salt;
	uint8_t		 salt_len;
	const uint8_t	*next;
	uint8_t		 next_len;
	const uint8_t	*bitmap;
	size_t		 bitmap_len;
};

struct wire_nsec3param {
	uint8_t		 hash_alg;
	uint8_t		 flags;
	uint16_t	 iterations;
	const uint8_t	*salt;
	uint8_t		 salt_len;
};

int	 wire_nsec3(struct wire_nsec3 *, const uint8_t *, size_t);
int	 wire_nsec3param(struct wire_nsec3param *, const uint8_t *, size_t);

/* ZONEMD (RFC 8976 §2.2): serial, scheme, hash algorithm, digest.  The
 * view takes the digest as it comes; its length is the reader's to
 * judge (RFC 8976 §2.2.4). */
#define WIRE_ZONEMD_FIXED	6

struct wire_zonemd {
	uint32_t	 serial;
	uint8_t		 scheme;
	uint8_t		 hash_alg;
	const uint8_t	*digest;
	size_t		 digest_len;
};

int	 wire_zonemd(struct wire_zonemd *, const uint8_t *, size_t);

/*
 * A bounded reader of RDATA field after field, for the types that have
 * no view above (the presentation of RDATA by its fields, rrtext.c):
 * each wire_take function reads the field at the cursor and moves past
 * it, or returns -1 and leaves the cursor where it was when the field
 * does not fit in what is left.
 */
struct wire_cur {
	const uint8_t	*b;
	size_t		 len;
	size_t		 off;
};

static inline void
wire_cur_init(struct wire_cur *c, const uint8_t *b, size_t len)
{
	c->b = b;
	c->len = len;
	c->off = 0;
}

/* The octets not yet read. */
static inline size_t
wire_left(const struct wire_cur *c)
{
	return c->len - c->off;
}

/* n octets, as a pointer into the RDATA. */
static inline int
wire_take(struct wire_cur *c, size_t n, const uint8_t **v)
{
	if (c->len - c->off < n)
		return -1;
	*v = c->b + c->off;
	c->off += n;
	return 0;
}

static inline int
wire_take8(struct wire_cur *c, uint8_t *v)
{
	if (c->off >= c->len)
		return -1;
	*v = c->b[c->off++];
	return 0;
}

static inline int
wire_take16(struct wire_cur *c, uint16_t *v)
{
	if (c->len - c->off < 2)
		return -1;
	*v = wire_get16(c->b + c->off);
	c->off += 2;
	return 0;
}

static inline int
wire_take32(struct wire_cur *c, uint32_t *v)
{
	if (c->len - c->off < 4)
		return -1;
	*v = wire_get32(c->b + c->off);
	c->off += 4;
	return 0;
}

/* What is left, maybe nothing: the last field of many types. */
static inline const uint8_t *
wire_take_rest(struct wire_cur *c, size_t *n)
{
	const uint8_t *v = c->b + c->off;

	*n = c->len - c->off;
	c->off = c->len;
	return v;
}

/* A character-string (RFC 1035 §3.3): a length octet, then as many
 * octets. */
int	 wire_take_cstring(struct wire_cur *, const uint8_t **, uint8_t *);
/* A domain name, uncompressed (RFC 3597 §4 for the types after RFC
 * 1035), of at most 255 octets, labels of at most 63. */
int	 wire_take_name(struct wire_cur *, const uint8_t **, size_t *);

#endif
