/*
 * Presentation of records.  The types a TLD zone is made of are written
 * first, directly, which is what makes writing millions of records fast;
 * the other types the reader knows by their fields (descs[]); the rest,
 * and any RDATA whose presentation would not read back to it, in the
 * generic form "\# len hex" (RFC 3597 §5).  Whatever is written reads
 * back to the same RDATA, so a record that reads always writes: the
 * text has no fixed cap, only the bound rdata_text_max() gives.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* The rare case of put_name(), out of its way. */
static char * __attribute__((noinline))
put_hash_name(char *p, size_t len)
{
	memmove(p + 4, p + 2, len - 1);
	memcpy(p, "\\035", 4);
	return p + len + 2;
}

/*
 * A name in RDATA.  A first label that starts with '#' is written
 * "\035...", not "\#...": at the start of RDATA the reader takes "\#"
 * for the generic form (RFC 3597 §5).
 */
static inline char *
put_name(char *p, const uint8_t *n)
{
	size_t len = dname_to_text(n, p);

	if (n[1] == '#' && n[0] != 0)
		return put_hash_name(p, len);
	return p + len;
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
static inline char *
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

/*
 * The types the reader (libzscanner) reads in presentation form, by the
 * mnemonic it knows them by, and the fields of their RDATA, one letter
 * each:
 *
 *	b  8 bits		s  16 bits		l  32 bits
 *	4  an IPv4 address	6  an IPv6 address	n  a name
 *	c  a character-string	C  character-strings to the end, one or more
 *	B  base64 to the end	H  hex to the end (neither of them empty)
 *	r  the rest as one quoted string, maybe empty (URI, CAA)
 *	g  a CAA tag		q  64 bits as four groups of hex (RFC 6742)
 *	e  EUI-48, six octets in hex joined by '-'; E  EUI-64, eight
 *	m  a type bit map to the end
 *
 * "" marks a type written by a function of its own (other_text()).
 * The types of a TLD zone are written by known_text() before this table
 * is looked at (their letters say what it writes).  A type not here is written TYPEnnn with its RDATA in
 * the generic form (RFC 3597 §5): the reader would take no other name,
 * and so no other presentation, for it (ldns knows names such as NULL,
 * WKS or DLV that the reader refuses).  RDATA that does not fit its
 * type's fields is written in the generic form too.
 */
struct rrdesc {
	const char	*name;
	const char	*fields;
};

enum {
	T_LOC = 29, T_APL = 42, T_IPSECKEY = 45, T_SVCB = 64, T_HTTPS = 65,
	T_LAST = 257
};

static const struct rrdesc descs[T_LAST + 1] = {
	[1] = { "A", "4" },		[2] = { "NS", "n" },
	[5] = { "CNAME", "n" },		[6] = { "SOA", "nnlllll" },
	[12] = { "PTR", "n" },		[13] = { "HINFO", "cc" },
	[14] = { "MINFO", "nn" },	[15] = { "MX", "sn" },
	[16] = { "TXT", "C" },		[17] = { "RP", "nn" },
	[18] = { "AFSDB", "sn" },	[21] = { "RT", "sn" },
	[25] = { "KEY", "sbbB" },	[28] = { "AAAA", "6" },
	[29] = { "LOC", "" },		[33] = { "SRV", "sssn" },
	[35] = { "NAPTR", "sscccn" },	[36] = { "KX", "sn" },
	[37] = { "CERT", "ssbB" },	[39] = { "DNAME", "n" },
	[42] = { "APL", "" },		[43] = { "DS", "sbbH" },
	[44] = { "SSHFP", "bbH" },	[45] = { "IPSECKEY", "" },
	[46] = { "RRSIG", "" },		[47] = { "NSEC", "nm" },
	[48] = { "DNSKEY", "sbbB" },	[49] = { "DHCID", "B" },
	[50] = { "NSEC3", "" },		[51] = { "NSEC3PARAM", "" },
	[52] = { "TLSA", "bbbH" },	[53] = { "SMIMEA", "bbbH" },
	[59] = { "CDS", "sbbH" },	[60] = { "CDNSKEY", "sbbB" },
	[61] = { "OPENPGPKEY", "B" },	[62] = { "CSYNC", "lsm" },
	[63] = { "ZONEMD", "lbbH" },	[64] = { "SVCB", "" },
	[65] = { "HTTPS", "" },		[99] = { "SPF", "C" },
	[104] = { "NID", "sq" },	[105] = { "L32", "s4" },
	[106] = { "L64", "sq" },	[107] = { "LP", "sn" },
	[108] = { "EUI48", "e" },	[109] = { "EUI64", "E" },
	[256] = { "URI", "ssr" },	[257] = { "CAA", "bgr" },
};

/* The mnemonic the writer gives a type, or NULL: TYPEnnn. */
const char *
rr_text_type(uint16_t t)
{
	return t <= T_LAST ? descs[t].name : NULL;
}

/* The mnemonics of a TLD zone's types without a table look-up. */
static char *
put_type(char *p, uint16_t t)
{
	const char *s;

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
	if ((s = rr_text_type(t)) != NULL)
		return put_s(p, s);
	memcpy(p, "TYPE", 4);
	return put_u(p + 4, t);
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

/*
 * Type bit maps (RFC 4034 §4.1.2), each type after a space; NULL when
 * the map is not what the RFC allows (windows in increasing order, of 1
 * to 32 octets, no trailing zero octet): the text of another map would
 * read back to other RDATA.  At most 256 windows of 256 types, and one
 * type is at most " TYPE65535": see rdata_text_max().
 */
static char *
put_bitmap(char *p, const uint8_t *b, size_t n)
{
	size_t i = 0;
	int win, len, k, bit, last = -1;

	while (i < n) {
		if (n - i < 2)
			return NULL;
		win = b[i];
		len = b[i + 1];
		if (win <= last || len < 1 || len > 32 ||
		    n - i - 2 < (size_t)len || b[i + 1 + len] == 0)
			return NULL;
		for (k = 0; k < len; k++)
			for (bit = 0; bit < 8; bit++)
				if (b[i + 2 + k] & (0x80 >> bit)) {
					*p++ = ' ';
					p = put_type(p, (uint16_t)(win * 256 +
					    k * 8 + bit));
				}
		last = win;
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

/* Octets in hex, in groups of g octets joined by sep. */
static char *
put_hex_groups(char *p, const uint8_t *b, size_t n, size_t g, char sep)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0 && i % g == 0)
			*p++ = sep;
		*p++ = hexd[b[i] >> 4];
		*p++ = hexd[b[i] & 15];
	}
	return p;
}

/* A CAA tag (RFC 8659 §4.1): 1 to 15 letters and digits, unquoted. */
static char *
put_caa_tag(char *p, const uint8_t *t, size_t n)
{
	size_t i;

	if (n < 1 || n > 15)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9')))
			return NULL;
		*p++ = (char)t[i];
	}
	return p;
}

/*
 * RDATA by the fields of its type (see descs[]), a space between two
 * fields; NULL when the RDATA is too short for them, longer, or holds a
 * value the fields cannot show.
 */
static char *
put_fields(char *p, const char *f, const uint8_t *rd, size_t n)
{
	size_t off = 0, e, len;
	const char *first = f;

	for (; *f != '\0'; f++) {
		if (f != first && *f != 'm')
			*p++ = ' ';
		len = n - off;
		switch (*f) {
		case 'b':
			if (len < 1)
				return NULL;
			p = put_u(p, rd[off]);
			off += 1;
			break;
		case 's':
			if (len < 2)
				return NULL;
			p = put_u(p, u16(rd + off));
			off += 2;
			break;
		case 'l':
			if (len < 4)
				return NULL;
			p = put_u(p, u32(rd + off));
			off += 4;
			break;
		case '4':
			if (len < 4)
				return NULL;
			p = put_ipv4(p, rd + off);
			off += 4;
			break;
		case '6':
			if (len < 16)
				return NULL;
			p = put_ipv6(p, rd + off);
			off += 16;
			break;
		case 'n':
			if ((e = name_at(rd, n, off)) == 0)
				return NULL;
			p = put_name(p, rd + off);
			off = e;
			break;
		case 'c':
			if (len < 1 || len < 1 + (size_t)rd[off])
				return NULL;
			p = put_cstring(p, rd + off + 1, rd[off]);
			off += 1 + rd[off];
			break;
		case 'C':
			if (len < 1)
				return NULL;
			for (e = off; off < n; off += 1 + rd[off]) {
				if (n - off < 1 + (size_t)rd[off])
					return NULL;
				if (off > e)
					*p++ = ' ';
				p = put_cstring(p, rd + off + 1, rd[off]);
			}
			break;
		case 'B':
			if (len < 1)
				return NULL;
			p += base64_encode(rd + off, len, p);
			off = n;
			break;
		case 'H':
			if (len < 1)
				return NULL;
			p += hex_encode(rd + off, len, p);
			off = n;
			break;
		case 'r':
			p = put_cstring(p, rd + off, len);
			off = n;
			break;
		case 'g':
			if (len < 1 || len < 1 + (size_t)rd[off] ||
			    (p = put_caa_tag(p, rd + off + 1, rd[off])) == NULL)
				return NULL;
			off += 1 + rd[off];
			break;
		case 'q':
			if (len < 8)
				return NULL;
			p = put_hex_groups(p, rd + off, 8, 2, ':');
			off += 8;
			break;
		case 'e': case 'E':
			e = *f == 'e' ? 6 : 8;
			if (len < e)
				return NULL;
			p = put_hex_groups(p, rd + off, e, 1, '-');
			off += e;
			break;
		case 'm':
			if ((p = put_bitmap(p, rd + off, len)) == NULL)
				return NULL;
			off = n;
			break;
		default:
			return NULL;
		}
	}
	return off == n ? p : NULL;
}

/* A length of a LOC size or precision (RFC 1876 §2): a digit, and a
 * power of ten of centimetres from 0 to 9; zero only as 0e0, the one
 * form the reader gives "0m". */
static int
loc_size_ok(uint8_t v)
{
	return (v >> 4) <= 9 && (v & 15) <= 9 && (v >= 0x10 || v == 0);
}

static char *
put_loc_size(char *p, uint8_t v)
{
	unsigned long long cm = v >> 4;
	int e;

	for (e = v & 15; e > 0; e--)
		cm *= 10;
	p = put_u(p, (unsigned long)(cm / 100));
	*p++ = '.';
	memcpy(p, digits2 + 2 * (cm % 100), 2);
	p += 2;
	*p++ = 'm';
	return p;
}

/* A latitude or a longitude in thousandths of a second of arc off
 * 2^31 (RFC 1876 §2): degrees, minutes, seconds and the hemisphere. */
static char *
put_loc_angle(char *p, uint32_t v, char pos, char neg)
{
	uint32_t a = v >= 0x80000000u ? v - 0x80000000u : 0x80000000u - v;

	p = put_u(p, a / 3600000);
	*p++ = ' ';
	p = put_u(p, a / 60000 % 60);
	*p++ = ' ';
	p = put_u(p, a / 1000 % 60);
	*p++ = '.';
	*p++ = (char)('0' + a / 100 % 10);
	memcpy(p, digits2 + 2 * (a % 100), 2);
	p += 2;
	*p++ = ' ';
	*p++ = v >= 0x80000000u ? pos : neg;
	return p;
}

/*
 * LOC (RFC 1876 §3): every field, sizes and precisions in metres.  RDATA
 * of another version, or with a value out of the legal ranges (a
 * latitude beyond 90 degrees, a longitude beyond 180, a size that is not
 * a digit times a power of ten up to 9), has no presentation that reads
 * back to it: NULL, and the generic form.
 */
static char *
put_loc(char *p, const uint8_t *rd, size_t n)
{
	uint32_t lat, lon;
	long long alt;

	if (n != 16 || rd[0] != 0 || !loc_size_ok(rd[1]) ||
	    !loc_size_ok(rd[2]) || !loc_size_ok(rd[3]))
		return NULL;
	lat = u32(rd + 4);
	lon = u32(rd + 8);
	if ((lat >= 0x80000000u ? lat - 0x80000000u : 0x80000000u - lat) >
	    90u * 3600000 ||
	    (lon >= 0x80000000u ? lon - 0x80000000u : 0x80000000u - lon) >
	    180u * 3600000)
		return NULL;
	p = put_loc_angle(p, lat, 'N', 'S');
	*p++ = ' ';
	p = put_loc_angle(p, lon, 'E', 'W');
	*p++ = ' ';
	/* Altitude in centimetres above 100,000 m below the WGS 84
	 * reference spheroid. */
	alt = (long long)u32(rd + 12) - 10000000;
	if (alt < 0) {
		*p++ = '-';
		alt = -alt;
	}
	p = put_u(p, (unsigned long)(alt / 100));
	*p++ = '.';
	memcpy(p, digits2 + 2 * (alt % 100), 2);
	p += 2;
	*p++ = 'm';
	for (n = 1; n <= 3; n++) {
		*p++ = ' ';
		p = put_loc_size(p, rd[n]);
	}
	return p;
}

/*
 * APL (RFC 3123 §5): items "[!]family:address/prefix" for the families
 * 1 (IPv4) and 2 (IPv6).  The address part without trailing zero
 * octets (§4), as reading gives it; anything else is NULL.
 */
static char *
put_apl(char *p, const uint8_t *rd, size_t n)
{
	size_t off = 0, alen;
	unsigned fam, pfx;
	uint8_t a[16];

	if (n == 0)
		return NULL;
	while (off < n) {
		if (n - off < 4)
			return NULL;
		fam = u16(rd + off);
		pfx = rd[off + 2];
		alen = rd[off + 3] & 0x7f;
		if (n - off - 4 < alen ||
		    (alen > 0 && rd[off + 3 + alen] == 0) ||
		    !((fam == 1 && alen <= 4 && pfx <= 32) ||
		    (fam == 2 && alen <= 16 && pfx <= 128)))
			return NULL;
		memset(a, 0, sizeof(a));
		memcpy(a, rd + off + 4, alen);
		if (off > 0)
			*p++ = ' ';
		if (rd[off + 3] & 0x80)
			*p++ = '!';
		*p++ = (char)('0' + fam);
		*p++ = ':';
		p = fam == 1 ? put_ipv4(p, a) : put_ipv6(p, a);
		*p++ = '/';
		p = put_u(p, pfx);
		off += 4 + alen;
	}
	return p;
}

/* IPSECKEY (RFC 4025 §3): the gateway as its type says, then the key,
 * if any, in base64. */
static char *
put_ipseckey(char *p, const uint8_t *rd, size_t n)
{
	size_t off = 3;

	if (n < 3)
		return NULL;
	p = put_u3(p, rd[0], rd[1], rd[2]);
	switch (rd[1]) {
	case 0:
		*p++ = '.';
		break;
	case 1:
		if (n < 7)
			return NULL;
		p = put_ipv4(p, rd + 3);
		off = 7;
		break;
	case 2:
		if (n < 19)
			return NULL;
		p = put_ipv6(p, rd + 3);
		off = 19;
		break;
	case 3:
		if ((off = name_at(rd, n, 3)) == 0)
			return NULL;
		p = put_name(p, rd + 3);
		break;
	default:
		return NULL;
	}
	/* The reader takes no key after algorithm 0 (RFC 4025 §2.4). */
	if (off < n) {
		if (rd[2] == 0)
			return NULL;
		*p++ = ' ';
		p += base64_encode(rd + off, n - off, p);
	}
	return p;
}

/* The SvcParamKeys the reader knows by name (RFC 9460 §14.3.2); key 7,
 * "dohpath" (RFC 9461), it reads only as "key7". */
static const char *const svc_names[] = {
	"mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech",
	"ipv6hint"
};

static char *
put_svc_key(char *p, uint16_t k)
{
	if (k < sizeof(svc_names) / sizeof(svc_names[0]))
		return put_s(p, svc_names[k]);
	memcpy(p, "key", 3);
	return put_u(p + 3, k);
}

/* Is key k among the SvcParams from off on? */
static int
svc_has(const uint8_t *rd, size_t n, size_t off, uint16_t k)
{
	for (; off + 4 <= n; off += 4 + u16(rd + off + 2))
		if (u16(rd + off) == k)
			return 1;
	return 0;
}

/*
 * An ALPN id in the value of "alpn" (RFC 9460 §7.1.1, Appendix A): the
 * list is a character-string whose text is then split at commas, so a
 * comma or a backslash of an id is escaped twice ("\\," and "\\\\"), a
 * quote or an octet that does not print once.
 */
static char *
put_alpn_id(char *p, const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = s[i];
		if (c == ',' || c == '\\') {
			*p++ = '\\';
			*p++ = '\\';
			if (c == '\\') {
				*p++ = '\\';
				*p++ = '\\';
			} else
				*p++ = ',';
		} else if (c == '"') {
			*p++ = '\\';
			*p++ = '"';
		} else if (c < 0x20 || c >= 0x7f) {
			*p++ = '\\';
			*p++ = (char)('0' + c / 100);
			*p++ = (char)('0' + c / 10 % 10);
			*p++ = (char)('0' + c % 10);
		} else
			*p++ = (char)c;
	}
	return p;
}

/*
 * Does the reader (libzscanner 3.2) read put_alpn_id()'s text of this
 * id back to it?  It reads a one-octet id before a comma as an empty
 * one, and an id that starts with a comma or a backslash, or has a
 * backslash that is not followed by a letter, as something else: such
 * ids leave the record to the generic form.
 */
static int
alpn_id_readable(const uint8_t *s, size_t n, int last)
{
	size_t i;
	uint8_t c;

	if (n == 1 && !last)
		return 0;
	if (s[0] == ',' || s[0] == '\\')
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] != '\\')
			continue;
		if (i + 1 == n)
			return 0;
		c = s[i + 1] | 0x20;
		if (c < 'a' || c > 'z')
			return 0;
	}
	return 1;
}

/* The value of one SvcParam after "key=", or NULL when the value does
 * not fit what the key holds (RFC 9460 §7). */
static char *
put_svc_value(char *p, uint16_t k, const uint8_t *v, size_t len,
    const uint8_t *rd, size_t n, size_t params)
{
	size_t i;
	int last = -1;

	switch (k) {
	case 0:		/* mandatory: keys present, in increasing order */
		if (len == 0 || len % 2 != 0)
			return NULL;
		for (i = 0; i < len; i += 2) {
			if ((int)u16(v + i) <= last || u16(v + i) == 0 ||
			    !svc_has(rd, n, params, u16(v + i)))
				return NULL;
			last = u16(v + i);
			if (i > 0)
				*p++ = ',';
			p = put_svc_key(p, u16(v + i));
		}
		return p;
	case 1:		/* alpn: ids of 1 to 255 octets */
		if (len == 0)
			return NULL;
		*p++ = '"';
		for (i = 0; i < len; i += 1 + v[i]) {
			if (v[i] == 0 || len - i < 1 + (size_t)v[i] ||
			    !alpn_id_readable(v + i + 1, v[i],
			    i + 1 + v[i] == len))
				return NULL;
			if (i > 0)
				*p++ = ',';
			p = put_alpn_id(p, v + i + 1, v[i]);
		}
		*p++ = '"';
		return p;
	case 3:		/* port */
		return len == 2 ? put_u(p, u16(v)) : NULL;
	case 4:		/* ipv4hint */
	case 6:		/* ipv6hint */
		i = k == 4 ? 4 : 16;
		if (len == 0 || len % i != 0)
			return NULL;
		for (len /= i; len > 0; len--, v += i) {
			p = i == 4 ? put_ipv4(p, v) : put_ipv6(p, v);
			if (len > 1)
				*p++ = ',';
		}
		return p;
	case 5:		/* ech: an ECHConfigList in base64 */
		if (len == 0)
			return NULL;
		return p + base64_encode(v, len, p);
	default:	/* opaque, as a character-string (§2.1) */
		return put_cstring(p, v, len);
	}
}

/*
 * SVCB and HTTPS (RFC 9460 §2.1): priority, target and the SvcParams in
 * increasing order of key, as the wire form has them (§2.2); NULL, and
 * the generic form, for a wire form that breaks the rules the reader
 * checks (keys out of order or repeated, a mandatory key missing, a
 * value of the wrong shape).
 */
static char *
put_svcb(char *p, const uint8_t *rd, size_t n)
{
	size_t off, params, len;
	int last = -1;
	uint16_t k;

	if (n < 3 || (off = name_at(rd, n, 2)) == 0)
		return NULL;
	p = put_u(p, u16(rd));
	*p++ = ' ';
	p = put_name(p, rd + 2);
	for (params = off; off < n; off += 4 + len) {
		if (n - off < 4)
			return NULL;
		k = u16(rd + off);
		len = u16(rd + off + 2);
		if ((int)k <= last || n - off - 4 < len)
			return NULL;
		last = k;
		*p++ = ' ';
		p = put_svc_key(p, k);
		if (k == 2) {	/* no-default-alpn: no value, with alpn */
			if (len != 0 || !svc_has(rd, n, params, 1))
				return NULL;
			continue;
		}
		if (len == 0 && k > 6)
			continue;
		*p++ = '=';
		if ((p = put_svc_value(p, k, rd + off + 4, len, rd, n,
		    params)) == NULL)
			return NULL;
	}
	return p;
}

/* The other types the reader knows (descs[]); NULL for the rest. */
static char *
other_text(uint16_t type, const uint8_t *rd, size_t n, char *p)
{
	if (type > T_LAST || descs[type].name == NULL)
		return NULL;
	switch (type) {
	case T_LOC:
		return put_loc(p, rd, n);
	case T_APL:
		return put_apl(p, rd, n);
	case T_IPSECKEY:
		return put_ipseckey(p, rd, n);
	case T_SVCB: case T_HTTPS:
		return put_svcb(p, rd, n);
	}
	if (descs[type].fields[0] == '\0')
		return NULL;
	return put_fields(p, descs[type].fields, rd, n);
}

/* The types of a TLD zone written directly, the others by their
 * fields; NULL when the RDATA does not fit the type, and the caller
 * falls back to the generic form. */
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
	return other_text(type, rd, n, p);
}

size_t
rdata_text(uint16_t type, const uint8_t *rd, size_t n, char *out)
{
	char *p;

	if ((p = known_text(type, rd, n, out)) == NULL)
		return generic_text(rd, n, out);
	*p = '\0';
	return (size_t)(p - out);
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

size_t
rr_text_max(const struct rr *r)
{
	return RRTEXT_HEAD + rdata_text_max(r->type, r->rdlen);
}
