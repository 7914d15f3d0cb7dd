/*
 * See dnskey.h.
 */
#include <string.h>

#include "dnskey.h"
#include "wire.h"

/*
 * The fields of a DNSKEY RDATA the caller holds to be one (at least its
 * four octets of fields: zone_load() refuses a shorter one, rdshape.c).
 */
static struct wire_dnskey
fields(const uint8_t *rd)
{
	struct wire_dnskey v;

	(void)wire_dnskey(&v, rd, WIRE_DNSKEY_FIXED);
	return v;
}

uint16_t
dnskey_flags(const uint8_t *rd)
{
	return fields(rd).flags;
}

uint8_t
dnskey_protocol(const uint8_t *rd)
{
	return fields(rd).protocol;
}

uint8_t
dnskey_algorithm(const uint8_t *rd)
{
	return fields(rd).algorithm;
}

/* RFC 4034 Appendix B: the one's-complement-like sum over the RDATA
 * taken as 16-bit numbers, an odd last octet as the high half of one.
 * Algorithm 1 (RSA/MD5) used other bits, but it is long retired
 * (RFC 8624 §3.1) and berokit treats it as unsupported. */
uint16_t
dnskey_tag(const uint8_t *rd, size_t n)
{
	uint32_t ac = 0;
	size_t i;

	for (i = 0; i < n; i += 2) {
		uint8_t pair[2] = { 0, 0 };
		memcpy(pair, rd + i, n - i < 2 ? n - i : 2);
		ac += wire_get16(pair);
	}
	ac += (ac >> 16) & 0xffff;	/* wire-lint: not wire: the carry */
	return (uint16_t)(ac & 0xffff);
}

/* Four octets of fields and a key; protocol 3 (RFC 4034 §2.1.2). */
bool
dnskey_rdata_ok(const uint8_t *rd, size_t n)
{
	struct wire_dnskey v;

	return wire_dnskey(&v, rd, n) == 0 && v.key_len > 0 && v.protocol == 3;
}

const char *
dnskey_alg_name(uint8_t alg)
{
	switch (alg) {
	case 5:
		return "RSASHA1";
	case 7:
		return "RSASHA1-NSEC3-SHA1";
	case 8:
		return "RSASHA256";
	case 10:
		return "RSASHA512";
	case 13:
		return "ECDSAP256SHA256";
	case 14:
		return "ECDSAP384SHA384";
	case 15:
		return "ED25519";
	case 16:
		return "ED448";
	default:
		return "unknown";
	}
}

/* Algorithms berokit can verify. */
bool
dnskey_alg_supported(uint8_t alg)
{
	switch (alg) {
	case 5: case 7: case 8: case 10: case 13: case 14: case 15: case 16:
		return true;
	default:
		return false;
	}
}

/* RFC 8624 §3.1: RSAMD5, DSA, RSASHA1 and RSASHA1-NSEC3-SHA1 MUST NOT
 * (or NOT RECOMMENDED to) be used for signing; ECC-GOST MUST NOT. */
bool
dnskey_alg_may_sign(uint8_t alg)
{
	switch (alg) {
	case 8: case 10: case 13: case 14: case 15: case 16:
		return true;
	default:
		return false;
	}
}
