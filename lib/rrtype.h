/*
 * RR types: mnemonics, the canonical form of RDATA (RFC 4034 §6.2 as
 * corrected by RFC 6840 §5.1) and the structure checks the rest of the
 * library relies on.
 */
#ifndef RRTYPE_H
#define RRTYPE_H

#include <stddef.h>
#include <stdint.h>

enum {
	T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_MX = 15,
	T_TXT = 16, T_AAAA = 28, T_SRV = 33, T_NAPTR = 35, T_DNAME = 39,
	T_DS = 43, T_RRSIG = 46, T_NSEC = 47, T_DNSKEY = 48, T_NSEC3 = 50,
	T_NSEC3PARAM = 51, T_CDS = 59, T_CDNSKEY = 60, T_ZONEMD = 63
};

#define CLASS_IN	1

const char	*rrtype_name(uint16_t, char *);
int		 rrtype_from_name(const char *);
const char	*rrclass_name(uint16_t, char *);
int		 rdata_canonicalize(uint16_t, uint8_t *, size_t);

#endif
