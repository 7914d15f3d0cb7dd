/*
 * Type mnemonics come from ldns's descriptor table, so that every type
 * ldns knows is named; unknown types are TYPEnnn (RFC 3597 §5).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "dname.h"
#include "rrtype.h"
#include "wire.h"

/* buf needs 16 octets. */
const char *
rrtype_name(uint16_t type, char *buf)
{
	const ldns_rr_descriptor *d = ldns_rr_descript(type);

	if (d != NULL && d->_name != NULL && strncmp(d->_name, "TYPE", 4) != 0)
		return d->_name;
	snprintf(buf, 16, "TYPE%u", type);
	return buf;
}

int
rrtype_from_name(const char *s)
{
	ldns_rr_type t;
	char buf[16];

	if (strncasecmp(s, "TYPE", 4) == 0 && s[4] >= '0' && s[4] <= '9') {
		unsigned long v = strtoul(s + 4, NULL, 10);
		return v > 65535 ? -1 : (int)v;
	}
	t = ldns_get_rr_type_by_name(s);
	if (t == 0)
		return -1;
	/* ldns answers for names it merely passes through; insist on a
	 * round trip so that a typo is not taken for a type. */
	if (strcasecmp(rrtype_name((uint16_t)t, buf), s) != 0)
		return -1;
	return (int)t;
}

const char *
rrclass_name(uint16_t rclass, char *buf)
{
	switch (rclass) {
	case 1:
		return "IN";
	case 3:
		return "CH";
	case 4:
		return "HS";
	default:
		snprintf(buf, 16, "CLASS%u", rclass);
		return buf;
	}
}

/* Lower-case the name at off, checking its structure on the way (as
 * dname_len_bounded()); returns the offset past it or 0. */
static size_t
lower_name(uint8_t *rd, size_t len, size_t off)
{
	size_t i = off, end;
	uint8_t c;

	while (i < len) {
		if (rd[i] == 0)
			return i + 1 - off > DNAME_MAXLEN ? 0 : i + 1;
		if (rd[i] > 63 || (end = i + 1 + rd[i]) > len)
			return 0;
		for (i++; i < end; i++)
			if ((c = rd[i]) >= 'A' && c <= 'Z')
				rd[i] = c + ('a' - 'A');
	}
	return 0;
}

static size_t
skip_strings(const uint8_t *rd, size_t len, size_t off, int count)
{
	while (count-- > 0) {
		if (off >= len)
			return 0;
		off += 1 + rd[off];
	}
	return off;
}

/*
 * Lower-case the names embedded in RDATA for the types RFC 4034 §6.2
 * item 3 lists, less NSEC (RFC 6840 §5.1).  Returns -1 when the RDATA is
 * too short to hold the names its type requires.
 */
int
rdata_canonicalize(uint16_t type, uint8_t *rd, size_t len)
{
	size_t off;
	uint8_t plen;

	switch (type) {
	case 2: case 3: case 4: case 5: case 7: case 8: case 9: case 12:
	case 39:	/* NS MD MF CNAME MB MG MR PTR DNAME */
		return lower_name(rd, len, 0) == len ? 0 : -1;
	case 6:		/* SOA: MNAME RNAME and 20 octets */
		if ((off = lower_name(rd, len, 0)) == 0 ||
		    (off = lower_name(rd, len, off)) == 0)
			return -1;
		return off + 20 == len ? 0 : -1;
	case 14: case 17:	/* MINFO RP */
		if ((off = lower_name(rd, len, 0)) == 0)
			return -1;
		return lower_name(rd, len, off) == len ? 0 : -1;
	case 15: case 18: case 21: case 36:	/* MX AFSDB RT KX */
		return lower_name(rd, len, 2) == len ? 0 : -1;
	case 26:	/* PX */
		if ((off = lower_name(rd, len, 2)) == 0)
			return -1;
		return lower_name(rd, len, off) == len ? 0 : -1;
	case 33:	/* SRV */
		return lower_name(rd, len, 6) == len ? 0 : -1;
	case 35:	/* NAPTR: order, preference, three strings, name */
		if ((off = skip_strings(rd, len, 4, 3)) == 0)
			return -1;
		return lower_name(rd, len, off) == len ? 0 : -1;
	case 24: case 46:	/* SIG RRSIG: signer after 18 octets */
		return lower_name(rd, len, WIRE_RRSIG_FIXED) == 0 ? -1 : 0;
	case 30:	/* NXT */
		return lower_name(rd, len, 0) == 0 ? -1 : 0;
	case 38:	/* A6: prefix length, suffix, prefix name */
		if (wire_read8(rd, len, 0, &plen) != 0 || plen > 128)
			return -1;
		off = 1 + (128 - (size_t)plen) / 8;
		if (plen == 0)
			return off == len ? 0 : -1;
		return lower_name(rd, len, off) == len ? 0 : -1;
	default:
		return 0;
	}
}
