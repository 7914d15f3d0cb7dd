/*
 * The pieces of the presentation format (see rrtext.h), shared between
 * lib/rrtext.c (records: owner, type, the RDATA of every type by its
 * fields), lib/rrtext-put.c (the values fields are made of: numbers,
 * names, times, addresses, base64, hex, base32hex) and lib/rrtext-types.c
 * (the types written by functions of their own: LOC, APL, IPSECKEY, SVCB
 * and HTTPS).  Each put_ function writes at p and returns the end of what
 * it wrote.  Private to those files; programs use rrtext.h.
 *
 * Included after rrtext.h (including it here would make an include cycle:
 * rrtext.c includes this file).
 */
#ifndef RRTEXT_INT_H
#define RRTEXT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	T_LOC = 29, T_APL = 42, T_IPSECKEY = 45, T_SVCB = 64, T_HTTPS = 65,
	T_LAST = 257
};

/* lib/rrtext.c: fields. */
/* A character-string (RFC 1035 §5.1), quoted. */
char		*rrtext_put_cstring(char *p, const uint8_t *s, size_t n);

/* lib/rrtext-put.c: values. */
/* The hex digits, lower case. */
extern const char rrtext_hexd[];
size_t		 rrtext_b32hex_encode(const uint8_t *in, size_t n, char *out);
/* Two decimal digits at a time, from a table of "00" to "99". */
extern const char rrtext_digits2[];
/* A number in decimal, written from its last digit back. */
char		*rrtext_put_u(char *p, unsigned long v);
/* Three numbers separated by spaces, and a space: the head of DS,
 * DNSKEY, NSEC3 and NSEC3PARAM RDATA. */
char		*rrtext_put_u3(char *p, unsigned long a, unsigned long b,
		    unsigned long c);
char		*rrtext_put_s(char *p, const char *s);
/*
 * A name in RDATA.  A first label that starts with '#' is written
 * "\035...", not "\#...": at the start of RDATA the reader takes "\#"
 * for the generic form (RFC 3597 §5).
 */
char		*rrtext_put_name(char *p, const uint8_t *n);
/* RRSIG times as YYYYMMDDHHmmSS (RFC 4034 §3.2). */
char		*rrtext_put_time(char *p, uint32_t t);
/* An IPv4 address in dotted decimal, as inet_ntop(3) writes it. */
char		*rrtext_put_ipv4(char *p, const uint8_t *a);
/*
 * An IPv6 address as glibc's inet_ntop(3) writes it (RFC 5952 §4): hex
 * groups without leading zeros, the first longest run of two or more
 * zero groups as "::", and the last 32 bits in dotted decimal for an
 * IPv4-compatible or IPv4-mapped address (RFC 4291 §2.5.5).
 */
char		*rrtext_put_ipv6(char *p, const uint8_t *a);

/* lib/rrtext-types.c: types with functions of their own. */
/*
 * LOC (RFC 1876 §3): every field, sizes and precisions in metres.  RDATA
 * of another version, or with a value out of the legal ranges (a
 * latitude beyond 90 degrees, a longitude beyond 180, a size that is not
 * a digit times a power of ten up to 9), has no presentation that reads
 * back to it: NULL, and the generic form.
 */
char		*rrtext_put_loc(char *p, const uint8_t *rd, size_t n);
/*
 * APL (RFC 3123 §5): items "[!]family:address/prefix" for the families
 * 1 (IPv4) and 2 (IPv6).  The address part without trailing zero
 * octets (§4), as reading gives it; anything else is NULL.
 */
char		*rrtext_put_apl(char *p, const uint8_t *rd, size_t n);
/* IPSECKEY (RFC 4025 §3): the gateway as its type says, then the key,
 * if any, in base64. */
char		*rrtext_put_ipseckey(char *p, const uint8_t *rd, size_t n);
/*
 * SVCB and HTTPS (RFC 9460 §2.1): priority, target and the SvcParams in
 * increasing order of key, as the wire form has them (§2.2); NULL, and
 * the generic form, for a wire form that breaks the rules the reader
 * checks (keys out of order or repeated, a mandatory key missing, a
 * value of the wrong shape).
 */
char		*rrtext_put_svcb(char *p, const uint8_t *rd, size_t n);

#endif
