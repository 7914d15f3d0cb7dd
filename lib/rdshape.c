/*
 * See rdshape.h.  RFC 3597 §5: a known type in generic form is still
 * that type, and processed as one; its RDATA must then have that type's
 * shape.  These are the types whose fields the tools read (the SOA's
 * serial, the names of NS, CNAME and DNAME, the key tag of DS and
 * DNSKEY, the salt of NSEC3PARAM) and the RFC 1035 types made of names
 * and numbers: names uncompressed (a compression pointer, RFC 1035
 * §4.1.4, has no message to point into in a zone file), labels of at
 * most 63 octets, names of at most 255 (RFC 1035 §3.1).  RRSIG is left to its readers, which drop a
 * malformed one (zresign), and A and AAAA to theirs; the bit maps of
 * NSEC, NSEC3 and CSYNC are checked by typebitmap_rdata_check().
 */

#include "diag.h"
#include "dname.h"
#include "rdshape.h"
#include "wire.h"

/* RDATA of pre octets, then a name that ends it. */
static int
name_last(const uint8_t *rd, size_t len, size_t pre)
{
	return len > pre && dname_len_bounded(rd + pre, len - pre) ==
	    len - pre;
}

/* SOA (RFC 1035 §3.3.13): two names, then five 32-bit numbers. */
static int
soa_shape(const uint8_t *rd, size_t len)
{
	size_t m, r;

	if ((m = dname_len_bounded(rd, len)) == 0)
		return 0;
	if ((r = dname_len_bounded(rd + m, len - m)) == 0)
		return 0;
	return len - m - r == 20;
}

int
rdshape_check(uint16_t type, const uint8_t *rd, size_t len, char *why,
    size_t size)
{
	const char *name, *shape, *rfc;
	struct wire_nsec3param n3p;
	int ok;

	switch (type) {
	case 2: case 3: case 4: case 5: case 7: case 8: case 9: case 12:
	case 39:
		/* NS, MD, MF, CNAME, MB, MG, MR, PTR, DNAME. */
		name = type == 2 ? "NS" : type == 5 ? "CNAME" : type == 12 ?
		    "PTR" : type == 39 ? "DNAME" : type == 3 ? "MD" :
		    type == 4 ? "MF" : type == 7 ? "MB" : type == 8 ? "MG" :
		    "MR";
		shape = "one name";
		rfc = type == 39 ? "RFC 6672 section 2.1" :
		    "RFC 1035 section 3.3";
		ok = name_last(rd, len, 0);
		break;
	case 6:
		name = "SOA";
		shape = "two names and five 32-bit numbers";
		rfc = "RFC 1035 section 3.3.13";
		ok = soa_shape(rd, len);
		break;
	case 15: case 18: case 21: case 36:
		name = type == 15 ? "MX" : type == 18 ? "AFSDB" : type == 21 ?
		    "RT" : "KX";
		shape = "a 16-bit number and a name";
		rfc = type == 15 ? "RFC 1035 section 3.3.9" : type == 36 ?
		    "RFC 2230 section 3.1" : "RFC 1183";
		ok = name_last(rd, len, 2);
		break;
	case 33:
		name = "SRV";
		shape = "three 16-bit numbers and a name";
		rfc = "RFC 2782";
		ok = name_last(rd, len, 6);
		break;
	case 43: case 59:
		name = type == 43 ? "DS" : "CDS";
		shape = "a key tag, an algorithm, a digest type and a digest";
		rfc = "RFC 4034 section 5.1";
		ok = len >= 4;
		break;
	case 48: case 60:
		name = type == 48 ? "DNSKEY" : "CDNSKEY";
		shape = "flags, a protocol, an algorithm and a key";
		rfc = "RFC 4034 section 2.1";
		ok = len >= 4;
		break;
	case 51:
		name = "NSEC3PARAM";
		shape = "a hash algorithm, flags, iterations and a salt of the "
		    "length it gives";
		rfc = "RFC 5155 section 4.2";
		ok = wire_nsec3param(&n3p, rd, len) == 0;
		break;
	default:
		return 0;
	}
	if (ok)
		return 0;
	diag_why(why, size, "%s RDATA of %zu octet%s is not %s (%s)", name, len,
	    len == 1 ? "" : "s", shape, rfc);
	return -1;
}
