/*
 * Presentation of records.  The types a TLD zone is made of are written
 * first, directly, which is what makes writing millions of records fast;
 * the other types the reader knows by their fields (descs[]); the rest,
 * and any RDATA whose presentation would not read back to it, in the
 * generic form "\# len hex" (RFC 3597 §5).  Whatever is written reads
 * back to the same RDATA, so a record that reads always writes: the
 * text has no fixed cap, only the bound rdata_text_max() gives.
 *
 * The values fields are made of are written by lib/rrtext-put.c, the
 * types with functions of their own by lib/rrtext-types.c; what they
 * share is in lib/rrtext-int.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dname.h"
#include "rrtext.h"
#include "rrtype.h"
#include "zone.h"
#include "rrtext-int.h"

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
		return rrtext_put_s(p, s);
	memcpy(p, "TYPE", 4);
	return rrtext_put_u(p + 4, t);
}

/* A character-string (RFC 1035 §5.1), quoted. */
char *
rrtext_put_cstring(char *p, const uint8_t *s, size_t n)
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

uint16_t
rrtext_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t
rrtext_u32(const uint8_t *p)
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
	char *p = rrtext_put_s(out, "\\# ");

	p = rrtext_put_u(p, n);
	if (n > 0) {
		*p++ = ' ';
		p += hex_encode(rd, n, p);
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* Name at off, checked; returns the offset past it or 0. */
size_t
rrtext_name_at(const uint8_t *rd, size_t n, size_t off)
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
	if (rrtext_name_at(rd, n, 0) != n)
		return NULL;
	return rrtext_put_name(p, rd);
}

/* Octets in hex, in groups of g octets joined by sep. */
static char *
put_hex_groups(char *p, const uint8_t *b, size_t n, size_t g, char sep)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0 && i % g == 0)
			*p++ = sep;
		*p++ = rrtext_hexd[b[i] >> 4];
		*p++ = rrtext_hexd[b[i] & 15];
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
			p = rrtext_put_u(p, rd[off]);
			off += 1;
			break;
		case 's':
			if (len < 2)
				return NULL;
			p = rrtext_put_u(p, rrtext_u16(rd + off));
			off += 2;
			break;
		case 'l':
			if (len < 4)
				return NULL;
			p = rrtext_put_u(p, rrtext_u32(rd + off));
			off += 4;
			break;
		case '4':
			if (len < 4)
				return NULL;
			p = rrtext_put_ipv4(p, rd + off);
			off += 4;
			break;
		case '6':
			if (len < 16)
				return NULL;
			p = rrtext_put_ipv6(p, rd + off);
			off += 16;
			break;
		case 'n':
			if ((e = rrtext_name_at(rd, n, off)) == 0)
				return NULL;
			p = rrtext_put_name(p, rd + off);
			off = e;
			break;
		case 'c':
			if (len < 1 || len < 1 + (size_t)rd[off])
				return NULL;
			p = rrtext_put_cstring(p, rd + off + 1, rd[off]);
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
				p = rrtext_put_cstring(p, rd + off + 1,
				    rd[off]);
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
			p = rrtext_put_cstring(p, rd + off, len);
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

/* The other types the reader knows (descs[]); NULL for the rest. */
static char *
other_text(uint16_t type, const uint8_t *rd, size_t n, char *p)
{
	if (type > T_LAST || descs[type].name == NULL)
		return NULL;
	switch (type) {
	case T_LOC:
		return rrtext_put_loc(p, rd, n);
	case T_APL:
		return rrtext_put_apl(p, rd, n);
	case T_IPSECKEY:
		return rrtext_put_ipseckey(p, rd, n);
	case T_SVCB: case T_HTTPS:
		return rrtext_put_svcb(p, rd, n);
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
		return rrtext_put_ipv4(p, rd);
	case T_AAAA:
		if (n != 16)
			return NULL;
		return rrtext_put_ipv6(p, rd);
	case T_NS:
		return put_ns(p, rd, n);
	case T_CNAME: case T_PTR: case T_DNAME:
		if (rrtext_name_at(rd, n, 0) != n)
			return NULL;
		return rrtext_put_name(p, rd);
	case T_MX:
		if (n < 3 || rrtext_name_at(rd, n, 2) != n)
			return NULL;
		p = rrtext_put_u(p, rrtext_u16(rd));
		*p++ = ' ';
		return rrtext_put_name(p, rd + 2);
	case T_SRV:
		if (n < 7 || rrtext_name_at(rd, n, 6) != n)
			return NULL;
		p = rrtext_put_u3(p, rrtext_u16(rd), rrtext_u16(rd + 2),
		    rrtext_u16(rd + 4));
		return rrtext_put_name(p, rd + 6);
	case T_SOA:
		if ((off = rrtext_name_at(rd, n, 0)) == 0 ||
		    (e = rrtext_name_at(rd, n, off)) == 0 || e + 20 != n)
			return NULL;
		p = rrtext_put_name(p, rd);
		*p++ = ' ';
		p = rrtext_put_name(p, rd + off);
		for (off = e; off < n; off += 4) {
			*p++ = ' ';
			p = rrtext_put_u(p, rrtext_u32(rd + off));
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
			p = rrtext_put_cstring(p, rd + off + 1, rd[off]);
		}
		return p;
	case T_DS: case T_CDS:
		if (n < 5)
			return NULL;
		p = rrtext_put_u3(p, rrtext_u16(rd), rd[2], rd[3]);
		return p + hex_encode(rd + 4, n - 4, p);
	case T_DNSKEY: case T_CDNSKEY:
		if (n < 5)
			return NULL;
		p = rrtext_put_u3(p, rrtext_u16(rd), rd[2], rd[3]);
		return p + base64_encode(rd + 4, n - 4, p);
	case T_RRSIG:
		if (n < 20 || (off = rrtext_name_at(rd, n, 18)) == 0 ||
		    off == n)
			return NULL;
		p = put_type(p, rrtext_u16(rd));
		*p++ = ' ';
		p = rrtext_put_u3(p, rd[2], rd[3], rrtext_u32(rd + 4));
		p = rrtext_put_time(p, rrtext_u32(rd + 8));
		*p++ = ' ';
		p = rrtext_put_time(p, rrtext_u32(rd + 12));
		*p++ = ' ';
		p = rrtext_put_u(p, rrtext_u16(rd + 16));
		*p++ = ' ';
		p = rrtext_put_name(p, rd + 18);
		*p++ = ' ';
		return p + base64_encode(rd + off, n - off, p);
	case T_NSEC:
		if ((off = rrtext_name_at(rd, n, 0)) == 0)
			return NULL;
		p = rrtext_put_name(p, rd);
		return put_bitmap(p, rd + off, n - off);
	case T_NSEC3:
		if (n < 5 || (off = 5 + rd[4]) >= n || off + 1 + rd[off] > n ||
		    rd[off] == 0)
			return NULL;
		p = rrtext_put_u3(p, rd[0], rd[1], rrtext_u16(rd + 2));
		if (rd[4] == 0)
			*p++ = '-';
		else
			p += hex_encode(rd + 5, rd[4], p);
		*p++ = ' ';
		p += rrtext_b32hex_encode(rd + off + 1, rd[off], p);
		off += 1 + rd[off];
		return put_bitmap(p, rd + off, n - off);
	case T_NSEC3PARAM:
		if (n < 5 || 5 + (size_t)rd[4] != n)
			return NULL;
		p = rrtext_put_u3(p, rd[0], rd[1], rrtext_u16(rd + 2));
		if (rd[4] == 0)
			*p++ = '-';
		else
			p += hex_encode(rd + 5, rd[4], p);
		return p;
	case T_ZONEMD:
		if (n < 7)
			return NULL;
		p = rrtext_put_u3(p, rrtext_u32(rd), rd[4], rd[5]);
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
	p = rrtext_put_u(p, r->ttl);
	if (r->rclass == CLASS_IN) {
		memcpy(p, "\tIN\t", 4);
		p += 4;
	} else {
		*p++ = '\t';
		p = rrtext_put_s(p, rrclass_name(r->rclass, buf));
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
