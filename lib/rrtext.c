/*
 * Presentation of records.  The types a TLD zone is made of are written
 * here directly, which is what makes writing millions of records fast;
 * other types known to ldns go through ldns's printer; the rest, and any
 * RDATA ldns cannot parse, in the generic form "\# len hex" (RFC 3597 §5).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#include "dname.h"
#include "rrtext.h"
#include "rrtype.h"
#include "zone.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hexd[] = "0123456789abcdef";
static const char b32hex[] = "0123456789abcdefghijklmnopqrstuv";

size_t
base64_encode(const uint8_t *in, size_t n, char *out)
{
	char *p = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		*p++ = b64[in[i] >> 2];
		*p++ = b64[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
		*p++ = b64[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)];
		*p++ = b64[in[i + 2] & 63];
	}
	if (n - i == 1) {
		*p++ = b64[in[i] >> 2];
		*p++ = b64[(in[i] & 3) << 4];
		*p++ = '=';
		*p++ = '=';
	} else if (n - i == 2) {
		*p++ = b64[in[i] >> 2];
		*p++ = b64[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
		*p++ = b64[(in[i + 1] & 15) << 2];
		*p++ = '=';
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* Decode base64, whitespace allowed anywhere.  Returns the length or -1. */
int
base64_decode(const char *s, uint8_t *out, size_t max)
{
	unsigned acc = 0, bits = 0;
	size_t n = 0;
	int pad = 0;

	for (; *s != '\0'; s++) {
		const char *q;
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (*s == '=') {
			pad++;
			continue;
		}
		if (pad || (q = strchr(b64, *s)) == NULL || *s == '\0')
			return -1;
		acc = (acc << 6) | (unsigned)(q - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == max)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return pad > 2 ? -1 : (int)n;
}

size_t
hex_encode(const uint8_t *in, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexd[in[i] >> 4];
		out[2 * i + 1] = hexd[in[i] & 15];
	}
	out[2 * n] = '\0';
	return 2 * n;
}

static size_t
b32hex_encode(const uint8_t *in, size_t n, char *out)
{
	size_t i, o = 0;
	unsigned long long acc;
	int k;

	for (i = 0; i < n; i += 5) {
		uint8_t blk[5] = { 0 };
		size_t take = n - i < 5 ? n - i : 5;
		/* Output characters for 1..5 input octets (RFC 4648 §7). */
		static const int chars[] = { 0, 2, 4, 5, 7, 8 };
		memcpy(blk, in + i, take);
		acc = 0;
		for (k = 0; k < 5; k++)
			acc = (acc << 8) | blk[k];
		for (k = 0; k < chars[take]; k++)
			out[o++] = b32hex[(acc >> (35 - 5 * k)) & 31];
	}
	out[o] = '\0';
	return o;
}

/* Two decimal digits at a time, from a table of "00" to "99". */
static const char digits2[] =
    "0001020304050607080910111213141516171819"
    "2021222324252627282930313233343536373839"
    "4041424344454647484950515253545556575859"
    "6061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static int
count_digits(unsigned long v)
{
	int n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	if (v >= 1000)
		return n + 3;
	if (v >= 100)
		return n + 2;
	return v >= 10 ? n + 1 : n;
}

/* A number in decimal, written from its last digit back. */
static char *
put_u(char *p, unsigned long v)
{
	char *e = p + count_digits(v), *q = e;

	while (v >= 100) {
		q -= 2;
		memcpy(q, digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(q - 2, digits2 + 2 * v, 2);
	else
		q[-1] = (char)('0' + v);
	return e;
}

/* Three numbers separated by spaces, and a space: the head of DS,
 * DNSKEY, NSEC3 and NSEC3PARAM RDATA. */
static char *
put_u3(char *p, unsigned long a, unsigned long b, unsigned long c)
{
	p = put_u(p, a);
	*p++ = ' ';
	p = put_u(p, b);
	*p++ = ' ';
	p = put_u(p, c);
	*p++ = ' ';
	return p;
}

static char *
put_s(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *
put_name(char *p, const uint8_t *n)
{
	return p + dname_to_text(n, p);
}

/* RRSIG times as YYYYMMDDHHmmSS (RFC 4034 §3.2). */
static char *
put_time(char *p, uint32_t t)
{
	static __thread uint32_t last_t = 1;
	static __thread char last[32];
	struct tm tm;
	time_t tt = (time_t)t;

	if (t != last_t || last[0] == '\0') {
		gmtime_r(&tt, &tm);
		snprintf(last, sizeof(last), "%04d%02d%02d%02d%02d%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		last_t = t;
	}
	return put_s(p, last);
}

/* An IPv4 address in dotted decimal, as inet_ntop(3) writes it. */
static char *
put_ipv4(char *p, const uint8_t *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			*p++ = '.';
		p = put_u(p, a[i]);
	}
	return p;
}

/*
 * An IPv6 address as glibc's inet_ntop(3) writes it (RFC 5952 §4): hex
 * groups without leading zeros, the first longest run of two or more
 * zero groups as "::", and the last 32 bits in dotted decimal for an
 * IPv4-compatible or IPv4-mapped address (RFC 4291 §2.5.5).
 */
static char *
put_ipv6(char *p, const uint8_t *a)
{
	unsigned w[8];
	int i, best = -1, bestlen = 0, cur = -1, curlen = 0;

	for (i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0) {
				cur = i;
				curlen = 0;
			}
			if (++curlen > bestlen) {
				best = cur;
				bestlen = curlen;
			}
		} else
			cur = -1;
	}
	if (bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + bestlen) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i != 0)
			*p++ = ':';
		if (i == 6 && best == 0 &&
		    (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff)))
			return put_ipv4(p, a + 12);
		if (w[i] >= 0x1000)
			*p++ = hexd[w[i] >> 12];
		if (w[i] >= 0x100)
			*p++ = hexd[w[i] >> 8 & 15];
		if (w[i] >= 0x10)
			*p++ = hexd[w[i] >> 4 & 15];
		*p++ = hexd[w[i] & 15];
	}
	if (best >= 0 && best + bestlen == 8)
		*p++ = ':';
	return p;
}

/* The mnemonics of a TLD zone's types without a table look-up; the same
 * text rrtype_name() gives. */
static char *
put_type(char *p, uint16_t t)
{
	char buf[16];

	switch (t) {
	case T_NS:
		memcpy(p, "NS", 2);
		return p + 2;
	case T_DS:
		memcpy(p, "DS", 2);
		return p + 2;
	case T_A:
		*p = 'A';
		return p + 1;
	case T_AAAA:
		memcpy(p, "AAAA", 4);
		return p + 4;
	case T_RRSIG:
		memcpy(p, "RRSIG", 5);
		return p + 5;
	case T_NSEC:
		memcpy(p, "NSEC", 4);
		return p + 4;
	}
	return put_s(p, rrtype_name(t, buf));
}

/* A character-string (RFC 1035 §5.1), quoted. */
static char *
put_cstring(char *p, const uint8_t *s, size_t n)
{
	size_t i;

	*p++ = '"';
	for (i = 0; i < n; i++) {
		uint8_t c = s[i];
		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			*p++ = '\\';
			*p++ = (char)('0' + c / 100);
			*p++ = (char)('0' + c / 10 % 10);
			*p++ = (char)('0' + c % 10);
		} else
			*p++ = (char)c;
	}
	*p++ = '"';
	return p;
}

static uint16_t
u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Type bit maps (RFC 4034 §4.1.2); NULL when malformed. */
static char *
put_bitmap(char *p, const uint8_t *b, size_t n)
{
	size_t i = 0;
	int win, len, k, bit;

	while (i < n) {
		if (n - i < 2)
			return NULL;
		win = b[i];
		len = b[i + 1];
		if (len < 1 || len > 32 || n - i - 2 < (size_t)len)
			return NULL;
		for (k = 0; k < len; k++)
			for (bit = 0; bit < 8; bit++)
				if (b[i + 2 + k] & (0x80 >> bit)) {
					*p++ = ' ';
					p = put_type(p, (uint16_t)(win * 256 +
					    k * 8 + bit));
				}
		i += 2 + len;
	}
	return p;
}

static size_t
generic_text(const uint8_t *rd, size_t n, char *out)
{
	char *p = put_s(out, "\\# ");

	p = put_u(p, n);
	if (n > 0) {
		*p++ = ' ';
		p += hex_encode(rd, n, p);
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* Name at off, checked; returns the offset past it or 0. */
static size_t
name_at(const uint8_t *rd, size_t n, size_t off)
{
	size_t l;

	if (off >= n || (l = dname_len_bounded(rd + off, n - off)) == 0)
		return 0;
	return off + l;
}

/* A name server's name: NS RDATA that is one name and nothing more. */
static char *
put_ns(char *p, const uint8_t *rd, size_t n)
{
	if (name_at(rd, n, 0) != n)
		return NULL;
	return put_name(p, rd);
}

/* The types written directly; NULL when the RDATA does not fit the
 * type, and the caller falls back to the generic form. */
static char *
known_text(uint16_t type, const uint8_t *rd, size_t n, char *p)
{
	size_t off, e;

	switch (type) {
	case T_A:
		if (n != 4)
			return NULL;
		return put_ipv4(p, rd);
	case T_AAAA:
		if (n != 16)
			return NULL;
		return put_ipv6(p, rd);
	case T_NS:
		return put_ns(p, rd, n);
	case T_CNAME: case T_PTR: case T_DNAME:
		if (name_at(rd, n, 0) != n)
			return NULL;
		return put_name(p, rd);
	case T_MX:
		if (n < 3 || name_at(rd, n, 2) != n)
			return NULL;
		p = put_u(p, u16(rd));
		*p++ = ' ';
		return put_name(p, rd + 2);
	case T_SRV:
		if (n < 7 || name_at(rd, n, 6) != n)
			return NULL;
		p = put_u3(p, u16(rd), u16(rd + 2), u16(rd + 4));
		return put_name(p, rd + 6);
	case T_SOA:
		if ((off = name_at(rd, n, 0)) == 0 ||
		    (e = name_at(rd, n, off)) == 0 || e + 20 != n)
			return NULL;
		p = put_name(p, rd);
		*p++ = ' ';
		p = put_name(p, rd + off);
		for (off = e; off < n; off += 4) {
			*p++ = ' ';
			p = put_u(p, u32(rd + off));
		}
		return p;
	case T_TXT:
		if (n == 0)
			return NULL;
		for (off = 0; off < n; off += 1 + rd[off]) {
			if (off + 1 + rd[off] > n)
				return NULL;
			if (off > 0)
				*p++ = ' ';
			p = put_cstring(p, rd + off + 1, rd[off]);
		}
		return p;
	case T_DS: case T_CDS:
		if (n < 5)
			return NULL;
		p = put_u3(p, u16(rd), rd[2], rd[3]);
		return p + hex_encode(rd + 4, n - 4, p);
	case T_DNSKEY: case T_CDNSKEY:
		if (n < 5)
			return NULL;
		p = put_u3(p, u16(rd), rd[2], rd[3]);
		return p + base64_encode(rd + 4, n - 4, p);
	case T_RRSIG:
		if (n < 20 || (off = name_at(rd, n, 18)) == 0 || off == n)
			return NULL;
		p = put_type(p, u16(rd));
		*p++ = ' ';
		p = put_u3(p, rd[2], rd[3], u32(rd + 4));
		p = put_time(p, u32(rd + 8));
		*p++ = ' ';
		p = put_time(p, u32(rd + 12));
		*p++ = ' ';
		p = put_u(p, u16(rd + 16));
		*p++ = ' ';
		p = put_name(p, rd + 18);
		*p++ = ' ';
		return p + base64_encode(rd + off, n - off, p);
	case T_NSEC:
		if ((off = name_at(rd, n, 0)) == 0)
			return NULL;
		p = put_name(p, rd);
		return put_bitmap(p, rd + off, n - off);
	case T_NSEC3:
		if (n < 5 || (off = 5 + rd[4]) >= n || off + 1 + rd[off] > n ||
		    rd[off] == 0)
			return NULL;
		p = put_u3(p, rd[0], rd[1], u16(rd + 2));
		if (rd[4] == 0)
			*p++ = '-';
		else
			p += hex_encode(rd + 5, rd[4], p);
		*p++ = ' ';
		p += b32hex_encode(rd + off + 1, rd[off], p);
		off += 1 + rd[off];
		return put_bitmap(p, rd + off, n - off);
	case T_NSEC3PARAM:
		if (n < 5 || 5 + (size_t)rd[4] != n)
			return NULL;
		p = put_u3(p, rd[0], rd[1], u16(rd + 2));
		if (rd[4] == 0)
			*p++ = '-';
		else
			p += hex_encode(rd + 5, rd[4], p);
		return p;
	case T_ZONEMD:
		if (n < 7)
			return NULL;
		p = put_u3(p, u32(rd), rd[4], rd[5]);
		return p + hex_encode(rd + 6, n - 6, p);
	}
	return NULL;
}

/* Any other type ldns can parse and print. */
static size_t
ldns_text(uint16_t type, const uint8_t *rd, size_t n, char *out)
{
	uint8_t wire[11 + 65535];
	ldns_rr *rr = NULL;
	ldns_buffer *buf;
	size_t pos = 0, i, len = 0;

	if (ldns_rr_descript(type) == NULL)
		return 0;
	wire[0] = 0;
	wire[1] = (uint8_t)(type >> 8);
	wire[2] = (uint8_t)type;
	wire[3] = 0;
	wire[4] = 1;
	memset(wire + 5, 0, 4);
	wire[9] = (uint8_t)(n >> 8);
	wire[10] = (uint8_t)n;
	memcpy(wire + 11, rd, n);
	if (ldns_wire2rr(&rr, wire, 11 + n, &pos, LDNS_SECTION_ANSWER) !=
	    LDNS_STATUS_OK || pos != 11 + n)
		goto fail;
	if ((buf = ldns_buffer_new(256)) == NULL)
		goto fail;
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		if (i > 0)
			ldns_buffer_write_u8(buf, ' ');
		if (ldns_rdf2buffer_str(buf, ldns_rr_rdf(rr, i)) !=
		    LDNS_STATUS_OK)
			break;
	}
	if (i == ldns_rr_rd_count(rr) && ldns_buffer_status_ok(buf) &&
	    ldns_buffer_position(buf) < RRTEXT_MAX - 1024) {
		len = ldns_buffer_position(buf);
		memcpy(out, ldns_buffer_begin(buf), len);
		out[len] = '\0';
	}
	ldns_buffer_free(buf);
fail:
	ldns_rr_free(rr);
	return len;
}

size_t
rdata_text(uint16_t type, const uint8_t *rd, size_t n, char *out)
{
	char *p;
	size_t len;

	if ((p = known_text(type, rd, n, out)) != NULL) {
		*p = '\0';
		return (size_t)(p - out);
	}
	switch (type) {
	case T_A: case T_AAAA: case T_NS: case T_CNAME: case T_PTR:
	case T_DNAME: case T_MX: case T_SRV: case T_SOA: case T_TXT:
	case T_DS: case T_CDS: case T_DNSKEY: case T_CDNSKEY: case T_RRSIG:
	case T_NSEC: case T_NSEC3: case T_NSEC3PARAM: case T_ZONEMD:
		return generic_text(rd, n, out);
	}
	if (n > 0 && (len = ldns_text(type, rd, n, out)) > 0)
		return len;
	return generic_text(rd, n, out);
}

/* Is the wire name a exactly the n octets of b?  Label by label, so
 * that a is never read past its end. */
static int
same_wire(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (a[i] != b[i])
			return 0;
		if (a[i] == 0)
			return i + 1 == n;
		if (memcmp(a + i + 1, b + i + 1, a[i]) != 0)
			return 0;
		i += a[i] + 1;
	}
	return 0;
}

/*
 * Consecutive records mostly share an owner: its text is made once and
 * kept, with the name, per thread.  The name is compared, not its
 * address, so that what is kept from a zone since freed is never taken
 * for a new one.
 */
struct owner_cache {
	uint8_t		 wire[DNAME_MAXLEN];
	char		 text[DNAME_MAXTEXT];
	size_t		 wlen, tlen;
};

static char *
put_owner(char *p, const uint8_t *owner)
{
	static __thread struct owner_cache last;
	size_t tlen;

	if (last.wlen > 0 && same_wire(owner, last.wire, last.wlen)) {
		memcpy(p, last.text, last.tlen);
		return p + last.tlen;
	}
	tlen = dname_to_text(owner, p);
	last.wlen = dname_len(owner);
	memcpy(last.wire, owner, last.wlen);
	memcpy(last.text, p, tlen);
	last.tlen = tlen;
	return p + tlen;
}

/*
 * Fetch ahead what rr_text() will read for a record: its owner and its
 * RDATA.  A writer going through records calls it a few records ahead,
 * so that the cache misses of one record overlap the formatting of
 * others.
 */
void
rr_text_prefetch(const struct rr *r)
{
#ifdef __GNUC__
	__builtin_prefetch(r->owner);
	__builtin_prefetch(r->rdata);
#else
	(void)r;
#endif
}

/* A record's line after its owner: TTL, class, type and RDATA, each
 * after a tab. */
size_t
rr_text_tail(const struct rr *r, char *out)
{
	char *p = out, buf[16];

	*p++ = '\t';
	p = put_u(p, r->ttl);
	if (r->rclass == CLASS_IN) {
		memcpy(p, "\tIN\t", 4);
		p += 4;
	} else {
		*p++ = '\t';
		p = put_s(p, rrclass_name(r->rclass, buf));
		*p++ = '\t';
	}
	p = put_type(p, r->type);
	*p++ = '\t';
	p += rdata_text(r->type, r->rdata, r->rdlen, p);
	*p = '\0';
	return (size_t)(p - out);
}

size_t
rr_text(const struct rr *r, char *out)
{
	char *p = put_owner(out, r->owner);

	return (size_t)(p - out) + rr_text_tail(r, p);
}
