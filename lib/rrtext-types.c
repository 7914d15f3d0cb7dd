/*
 * The types the presentation format writes with functions of their own:
 * LOC (RFC 1876 §3), APL (RFC 3123 §5), IPSECKEY (RFC 4025 §3), SVCB and
 * HTTPS (RFC 9460 §2.1, §7).  Each returns NULL when the RDATA cannot be
 * shown so that it reads back: the record is then written in the generic
 * form.
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
	p = rrtext_put_u(p, (unsigned long)(cm / 100));
	*p++ = '.';
	memcpy(p, rrtext_digits2 + 2 * (cm % 100), 2);
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

	p = rrtext_put_u(p, a / 3600000);
	*p++ = ' ';
	p = rrtext_put_u(p, a / 60000 % 60);
	*p++ = ' ';
	p = rrtext_put_u(p, a / 1000 % 60);
	*p++ = '.';
	*p++ = (char)('0' + a / 100 % 10);
	memcpy(p, rrtext_digits2 + 2 * (a % 100), 2);
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
char *
rrtext_put_loc(char *p, const uint8_t *rd, size_t n)
{
	struct wire_cur c;
	uint8_t version, size[3];
	uint32_t lat, lon, alt32;
	long long alt;
	int i;

	wire_cur_init(&c, rd, n);
	if (wire_take8(&c, &version) != 0 || version != 0)
		return NULL;
	for (i = 0; i < 3; i++)
		if (wire_take8(&c, &size[i]) != 0 || !loc_size_ok(size[i]))
			return NULL;
	if (wire_take32(&c, &lat) != 0 || wire_take32(&c, &lon) != 0 ||
	    wire_take32(&c, &alt32) != 0 || wire_left(&c) != 0)
		return NULL;
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
	alt = (long long)alt32 - 10000000;
	if (alt < 0) {
		*p++ = '-';
		alt = -alt;
	}
	p = rrtext_put_u(p, (unsigned long)(alt / 100));
	*p++ = '.';
	memcpy(p, rrtext_digits2 + 2 * (alt % 100), 2);
	p += 2;
	*p++ = 'm';
	for (i = 0; i < 3; i++) {
		*p++ = ' ';
		p = put_loc_size(p, size[i]);
	}
	return p;
}

/*
 * APL (RFC 3123 §5): items "[!]family:address/prefix" for the families
 * 1 (IPv4) and 2 (IPv6).  The address part without trailing zero
 * octets (§4), as reading gives it; anything else is NULL.
 */
char *
rrtext_put_apl(char *p, const uint8_t *rd, size_t n)
{
	struct wire_cur c;
	const uint8_t *addr;
	size_t alen;
	uint16_t fam;
	uint8_t pfx, nl;
	uint8_t a[16];
	int first = 1;

	if (n == 0)
		return NULL;
	wire_cur_init(&c, rd, n);
	while (wire_left(&c) > 0) {
		/* ADDRESSFAMILY (2), PREFIX (1), N and AFDLENGTH (1). */
		if (wire_take16(&c, &fam) != 0 || wire_take8(&c, &pfx) != 0 ||
		    wire_take8(&c, &nl) != 0)
			return NULL;
		alen = nl & 0x7f;
		if (wire_take(&c, alen, &addr) != 0 ||
		    (alen > 0 && addr[alen - 1] == 0) ||
		    !((fam == 1 && alen <= 4 && pfx <= 32) ||
		    (fam == 2 && alen <= 16 && pfx <= 128)))
			return NULL;
		memset(a, 0, sizeof(a));
		memcpy(a, addr, alen);
		if (!first)
			*p++ = ' ';
		first = 0;
		if (nl & 0x80)
			*p++ = '!';
		*p++ = (char)('0' + fam);
		*p++ = ':';
		p = fam == 1 ? rrtext_put_ipv4(p, a) : rrtext_put_ipv6(p, a);
		*p++ = '/';
		p = rrtext_put_u(p, pfx);
	}
	return p;
}

/* IPSECKEY (RFC 4025 §3): the gateway as its type says, then the key,
 * if any, in base64. */
char *
rrtext_put_ipseckey(char *p, const uint8_t *rd, size_t n)
{
	struct wire_cur c;
	const uint8_t *gw, *key;
	size_t len;
	uint8_t prec, gwtype, alg;

	wire_cur_init(&c, rd, n);
	if (wire_take8(&c, &prec) != 0 || wire_take8(&c, &gwtype) != 0 ||
	    wire_take8(&c, &alg) != 0)
		return NULL;
	p = rrtext_put_u3(p, prec, gwtype, alg);
	switch (gwtype) {
	case 0:
		*p++ = '.';
		break;
	case 1:
		if (wire_take(&c, 4, &gw) != 0)
			return NULL;
		p = rrtext_put_ipv4(p, gw);
		break;
	case 2:
		if (wire_take(&c, 16, &gw) != 0)
			return NULL;
		p = rrtext_put_ipv6(p, gw);
		break;
	case 3:
		if (wire_take_name(&c, &gw, &len) != 0)
			return NULL;
		p = rrtext_put_name(p, gw);
		break;
	default:
		return NULL;
	}
	/* The reader takes no key after algorithm 0 (RFC 4025 §2.4). */
	key = wire_take_rest(&c, &len);
	if (len > 0) {
		if (alg == 0)
			return NULL;
		*p++ = ' ';
		p += base64_encode(key, len, p);
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
		return rrtext_put_s(p, svc_names[k]);
	memcpy(p, "key", 3);
	return rrtext_put_u(p + 3, k);
}

/* Is key k among the SvcParams the cursor is at? */
static int
svc_has(struct wire_cur c, uint16_t k)
{
	const uint8_t *v;
	uint16_t key, len;

	while (wire_take16(&c, &key) == 0 && wire_take16(&c, &len) == 0) {
		if (key == k)
			return 1;
		if (wire_take(&c, len, &v) != 0)
			break;
	}
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
 * not fit what the key holds (RFC 9460 §7); params is a cursor at the
 * first SvcParam, for the keys "mandatory" names. */
static char *
put_svc_value(char *p, uint16_t k, const uint8_t *v, size_t len,
    struct wire_cur params)
{
	struct wire_cur c;
	const uint8_t *id, *a;
	size_t step;
	uint16_t key;
	uint8_t idlen;
	int last = -1;

	wire_cur_init(&c, v, len);
	switch (k) {
	case 0:		/* mandatory: keys present, in increasing order */
		if (len == 0 || len % 2 != 0)
			return NULL;
		while (wire_take16(&c, &key) == 0) {
			if ((int)key <= last || key == 0 ||
			    !svc_has(params, key))
				return NULL;
			if (last >= 0)
				*p++ = ',';
			last = key;
			p = put_svc_key(p, key);
		}
		return p;
	case 1:		/* alpn: ids of 1 to 255 octets */
		if (len == 0)
			return NULL;
		*p++ = '"';
		while (wire_left(&c) > 0) {
			if (wire_take_cstring(&c, &id, &idlen) != 0 ||
			    idlen == 0 ||
			    !alpn_id_readable(id, idlen, wire_left(&c) == 0))
				return NULL;
			if (last >= 0)
				*p++ = ',';
			last = 0;
			p = put_alpn_id(p, id, idlen);
		}
		*p++ = '"';
		return p;
	case 3:		/* port */
		if (wire_take16(&c, &key) != 0 || wire_left(&c) != 0)
			return NULL;
		return rrtext_put_u(p, key);
	case 4:		/* ipv4hint */
	case 6:		/* ipv6hint */
		step = k == 4 ? 4 : 16;
		if (len == 0 || len % step != 0)
			return NULL;
		while (wire_take(&c, step, &a) == 0) {
			p = step == 4 ? rrtext_put_ipv4(p, a) :
			    rrtext_put_ipv6(p, a);
			if (wire_left(&c) > 0)
				*p++ = ',';
		}
		return p;
	case 5:		/* ech: an ECHConfigList in base64 */
		if (len == 0)
			return NULL;
		return p + base64_encode(v, len, p);
	default:	/* opaque, as a character-string (§2.1) */
		return rrtext_put_cstring(p, v, len);
	}
}

/*
 * SVCB and HTTPS (RFC 9460 §2.1): priority, target and the SvcParams in
 * increasing order of key, as the wire form has them (§2.2); NULL, and
 * the generic form, for a wire form that breaks the rules the reader
 * checks (keys out of order or repeated, a mandatory key missing, a
 * value of the wrong shape).
 */
char *
rrtext_put_svcb(char *p, const uint8_t *rd, size_t n)
{
	struct wire_cur c, params;
	const uint8_t *target, *v;
	size_t tlen;
	int last = -1;
	uint16_t prio, k, len;

	wire_cur_init(&c, rd, n);
	if (wire_take16(&c, &prio) != 0 ||
	    wire_take_name(&c, &target, &tlen) != 0)
		return NULL;
	p = rrtext_put_u(p, prio);
	*p++ = ' ';
	p = rrtext_put_name(p, target);
	params = c;
	while (wire_left(&c) > 0) {
		/* SvcParamKey (2), SvcParamValue length (2), the value. */
		if (wire_take16(&c, &k) != 0 || wire_take16(&c, &len) != 0 ||
		    (int)k <= last || wire_take(&c, len, &v) != 0)
			return NULL;
		last = k;
		*p++ = ' ';
		p = put_svc_key(p, k);
		if (k == 2) {	/* no-default-alpn: no value, with alpn */
			if (len != 0 || !svc_has(params, 1))
				return NULL;
			continue;
		}
		if (len == 0 && k > 6)
			continue;
		*p++ = '=';
		if ((p = put_svc_value(p, k, v, len, params)) == NULL)
			return NULL;
	}
	return p;
}
