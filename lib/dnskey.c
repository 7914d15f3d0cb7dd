/*
 * See dnskey.h.
 */
#include "dnskey.h"

uint16_t
dnskey_flags(const uint8_t *rd)
{
	return (uint16_t)(rd[0] << 8 | rd[1]);
}

uint8_t
dnskey_protocol(const uint8_t *rd)
{
	return rd[2];
}

uint8_t
dnskey_algorithm(const uint8_t *rd)
{
	return rd[3];
}

/* RFC 4034 Appendix B: the one's-complement-like sum over the RDATA.
 * Algorithm 1 (RSA/MD5) used other bits, but it is long retired
 * (RFC 8624 §3.1) and berokit treats it as unsupported. */
uint16_t
dnskey_tag(const uint8_t *rd, size_t n)
{
	uint32_t ac = 0;
	size_t i;

	for (i = 0; i < n; i++)
		ac += (i & 1) ? rd[i] : (uint32_t)rd[i] << 8;
	ac += (ac >> 16) & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

/* Four octets of header and a key; protocol 3 (RFC 4034 §2.1.2). */
bool
dnskey_rdata_ok(const uint8_t *rd, size_t n)
{
	return n > 4 && rd[2] == 3;
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
