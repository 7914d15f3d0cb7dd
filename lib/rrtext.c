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
#include "wire.h"
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

/* A name that is the whole RDATA (NS, CNAME, PTR, DNAME), or NULL. */
static char *
put_one_name(char *p, const uint8_t *rd, size_t n)
{
	struct wire_cur c;
	const uint8_t *name;
	size_t len;

	wire_cur_init(&c, rd, n);
	if (wire_take_name(&c, &name, &len) != 0 || wire_left(&c) != 0)
		return NULL;
	return rrtext_put_name(p, name);
}

/*
 * Character-strings to the end, one or more (TXT, SPF), a space between
 * two; NULL when there is none or the last runs past the RDATA.
 */
static char *
put_cstrings(char *p, struct wire_cur *c)
{
	const uint8_t *s;
	uint8_t len;
	int first = 1;

	if (wire_left(c) == 0)
		return NULL;
	while (wire_left(c) > 0) {
		if (wire_take_cstring(c, &s, &len) != 0)
			return NULL;
		if (!first)
			*p++ = ' ';
		p = rrtext_put_cstring(p, s, len);
		first = 0;
	}
	return p;
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
 * value the fields cannot show.  The fields are read by lib/wire.h's
 * bounded reader, which refuses one that does not fit.
 */
static char *
put_fields(char *p, const char *f, const uint8_t *rd, size_t n)
{
	struct wire_cur c;
	const uint8_t *v;
	const char *first = f;
	size_t len;
	uint32_t u32;
	uint16_t u16;
	uint8_t u8;

	wire_cur_init(&c, rd, n);
	for (; *f != '\0'; f++) {
		if (f != first && *f != 'm')
			*p++ = ' ';
		switch (*f) {
		case 'b':
			if (wire_take8(&c, &u8) != 0)
				return NULL;
			p = rrtext_put_u(p, u8);
			break;
		case 's':
			if (wire_take16(&c, &u16) != 0)
				return NULL;
			p = rrtext_put_u(p, u16);
			break;
		case 'l':
			if (wire_take32(&c, &u32) != 0)
				return NULL;
			p = rrtext_put_u(p, u32);
			break;
		case '4':
			if (wire_take(&c, 4, &v) != 0)
				return NULL;
			p = rrtext_put_ipv4(p, v);
			break;
		case '6':
			if (wire_take(&c, 16, &v) != 0)
				return NULL;
			p = rrtext_put_ipv6(p, v);
			break;
		case 'n':
			if (wire_take_name(&c, &v, &len) != 0)
				return NULL;
			p = rrtext_put_name(p, v);
			break;
		case 'c':
			if (wire_take_cstring(&c, &v, &u8) != 0)
				return NULL;
			p = rrtext_put_cstring(p, v, u8);
			break;
		case 'C':
			if ((p = put_cstrings(p, &c)) == NULL)
				return NULL;
			break;
		case 'B':
			v = wire_take_rest(&c, &len);
			if (len < 1)
				return NULL;
			p += base64_encode(v, len, p);
			break;
		case 'H':
			v = wire_take_rest(&c, &len);
			if (len < 1)
				return NULL;
			p += hex_encode(v, len, p);
			break;
		case 'r':
			v = wire_take_rest(&c, &len);
			p = rrtext_put_cstring(p, v, len);
			break;
		case 'g':
			if (wire_take_cstring(&c, &v, &u8) != 0 ||
			    (p = put_caa_tag(p, v, u8)) == NULL)
				return NULL;
			break;
		case 'q':
			if (wire_take(&c, 8, &v) != 0)
				return NULL;
			p = put_hex_groups(p, v, 8, 2, ':');
			break;
		case 'e': case 'E':
			len = *f == 'e' ? 6 : 8;
			if (wire_take(&c, len, &v) != 0)
				return NULL;
			p = put_hex_groups(p, v, len, 1, '-');
			break;
		case 'm':
			v = wire_take_rest(&c, &len);
			if ((p = put_bitmap(p, v, len)) == NULL)
				return NULL;
			break;
		default:
			return NULL;
		}
	}
	return wire_left(&c) == 0 ? p : NULL;
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

/* MX (RFC 1035 §3.3.9): preference, exchange. */
static char *
put_mx(char *p, const uint8_t *rd, size_t n)
{
	struct wire_cur c;
	const uint8_t *name;
	size_t len;
	uint16_t pref;

	wire_cur_init(&c, rd, n);
	if (wire_take16(&c, &pref) != 0 ||
	    wire_take_name(&c, &name, &len) != 0 || wire_left(&c) != 0)
		return NULL;
	p = rrtext_put_u(p, pref);
	*p++ = ' ';
	return rrtext_put_name(p, name);
}

/* SRV (RFC 2782): priority, weight, port, target. */
static char *
put_srv(char *p, const uint8_t *rd, size_t n)
{
	struct wire_cur c;
	const uint8_t *name;
	size_t len;
	uint16_t prio, weight, port;

	wire_cur_init(&c, rd, n);
	if (wire_take16(&c, &prio) != 0 || wire_take16(&c, &weight) != 0 ||
	    wire_take16(&c, &port) != 0 ||
	    wire_take_name(&c, &name, &len) != 0 || wire_left(&c) != 0)
		return NULL;
	p = rrtext_put_u3(p, prio, weight, port);
	return rrtext_put_name(p, name);
}

/* SOA (RFC 1035 §3.3.13): the two names and the five numbers. */
static char *
put_soa(char *p, const uint8_t *rd, size_t n)
{
	struct wire_soa v;

	if (wire_soa(&v, rd, n) != 0)
		return NULL;
	p = rrtext_put_name(p, v.mname);
	*p++ = ' ';
	p = rrtext_put_name(p, v.rname);
	*p++ = ' ';
	p = rrtext_put_u(p, v.serial);
	*p++ = ' ';
	p = rrtext_put_u3(p, v.refresh, v.retry, v.expire);
	return rrtext_put_u(p, v.minimum);
}

/* DS and CDS (RFC 4034 §5.3): the digest in hex, which the reader
 * takes only when it is not empty. */
static char *
put_ds(char *p, const uint8_t *rd, size_t n)
{
	struct wire_ds v;

	if (wire_ds(&v, rd, n) != 0 || v.digest_len == 0)
		return NULL;
	p = rrtext_put_u3(p, v.key_tag, v.algorithm, v.digest_type);
	return p + hex_encode(v.digest, v.digest_len, p);
}

/* DNSKEY and CDNSKEY (RFC 4034 §2.2): the key in base64, not empty. */
static char *
put_dnskey(char *p, const uint8_t *rd, size_t n)
{
	struct wire_dnskey v;

	if (wire_dnskey(&v, rd, n) != 0 || v.key_len == 0)
		return NULL;
	p = rrtext_put_u3(p, v.flags, v.protocol, v.algorithm);
	return p + base64_encode(v.key, v.key_len, p);
}

/* RRSIG (RFC 4034 §3.2): the signature in base64, not empty. */
static char *
put_rrsig(char *p, const uint8_t *rd, size_t n)
{
	struct wire_rrsig v;

	if (wire_rrsig(&v, rd, n) != 0 || v.sig_len == 0)
		return NULL;
	p = put_type(p, v.covered);
	*p++ = ' ';
	p = rrtext_put_u3(p, v.algorithm, v.labels, v.original_ttl);
	p = rrtext_put_time(p, v.expiration);
	*p++ = ' ';
	p = rrtext_put_time(p, v.inception);
	*p++ = ' ';
	p = rrtext_put_u(p, v.key_tag);
	*p++ = ' ';
	p = rrtext_put_name(p, v.signer);
	*p++ = ' ';
	return p + base64_encode(v.sig, v.sig_len, p);
}

/* NSEC3 and NSEC3PARAM's salt (RFC 5155 §3.3, §4.3): "-" when empty. */
static char *
put_salt(char *p, const uint8_t *salt, uint8_t len)
{
	if (len == 0)
		*p++ = '-';
	else
		p += hex_encode(salt, len, p);
	return p;
}

/* NSEC3 (RFC 5155 §3.3): the next hashed owner in base32hex, which the
 * reader takes only when it is not empty. */
static char *
put_nsec3(char *p, const uint8_t *rd, size_t n)
{
	struct wire_nsec3 v;

	if (wire_nsec3(&v, rd, n) != 0 || v.next_len == 0)
		return NULL;
	p = rrtext_put_u3(p, v.hash_alg, v.flags, v.iterations);
	p = put_salt(p, v.salt, v.salt_len);
	*p++ = ' ';
	p += rrtext_b32hex_encode(v.next, v.next_len, p);
	return put_bitmap(p, v.bitmap, v.bitmap_len);
}

/* The types of a TLD zone written directly, the others by their
 * fields; NULL when the RDATA does not fit the type, and the caller
 * falls back to the generic form. */
static char *
known_text(uint16_t type, const uint8_t *rd, size_t n, char *p)
{
	struct wire_cur c;
	struct wire_nsec nsec;
	struct wire_nsec3param n3p;
	struct wire_zonemd zmd;

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
	case T_CNAME: case T_PTR: case T_DNAME:
		return put_one_name(p, rd, n);
	case T_MX:
		return put_mx(p, rd, n);
	case T_SRV:
		return put_srv(p, rd, n);
	case T_SOA:
		return put_soa(p, rd, n);
	case T_TXT:
		wire_cur_init(&c, rd, n);
		return put_cstrings(p, &c);
	case T_DS: case T_CDS:
		return put_ds(p, rd, n);
	case T_DNSKEY: case T_CDNSKEY:
		return put_dnskey(p, rd, n);
	case T_RRSIG:
		return put_rrsig(p, rd, n);
	case T_NSEC:
		if (wire_nsec(&nsec, rd, n) != 0)
			return NULL;
		p = rrtext_put_name(p, nsec.next);
		return put_bitmap(p, nsec.bitmap, nsec.bitmap_len);
	case T_NSEC3:
		return put_nsec3(p, rd, n);
	case T_NSEC3PARAM:
		if (wire_nsec3param(&n3p, rd, n) != 0)
			return NULL;
		p = rrtext_put_u3(p, n3p.hash_alg, n3p.flags, n3p.iterations);
		return put_salt(p, n3p.salt, n3p.salt_len);
	case T_ZONEMD:
		/* RFC 8976 §2.3: the digest in hex, not empty. */
		if (wire_zonemd(&zmd, rd, n) != 0 || zmd.digest_len == 0)
			return NULL;
		p = rrtext_put_u3(p, zmd.serial, zmd.scheme, zmd.hash_alg);
		return p + hex_encode(zmd.digest, zmd.digest_len, p);
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
