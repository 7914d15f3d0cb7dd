/*
 * The values the presentation format is made of, written without
 * printf(3) or inet_ntop(3) (the writer's speed): numbers, names (RFC 1035
 * §5.1), times as YYYYMMDDHHmmSS (RFC 4034 §3.2), IPv4 and IPv6 addresses
 * (RFC 5952 §4), base64 (RFC 4648 §4), hex and base32hex (RFC 4648 §7).
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

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const char rrtext_hexd[] = "0123456789abcdef";
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
		out[2 * i] = rrtext_hexd[in[i] >> 4];
		out[2 * i + 1] = rrtext_hexd[in[i] & 15];
	}
	out[2 * n] = '\0';
	return 2 * n;
}

size_t
rrtext_b32hex_encode(const uint8_t *in, size_t n, char *out)
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
		/* Five octets make eight 5-bit digits: base32hex's group,
		 * not a wire field. */
		for (k = 0; k < 5; k++)
			acc = acc << 8 | blk[k]; /* wire-lint: not wire */
		for (k = 0; k < chars[take]; k++)
			out[o++] = b32hex[(acc >> (35 - 5 * k)) & 31];
	}
	out[o] = '\0';
	return o;
}

/* Two decimal digits at a time, from a table of "00" to "99". */
const char rrtext_digits2[] =
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
char *
rrtext_put_u(char *p, unsigned long v)
{
	char *e = p + count_digits(v), *q = e;

	while (v >= 100) {
		q -= 2;
		memcpy(q, rrtext_digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(q - 2, rrtext_digits2 + 2 * v, 2);
	else
		q[-1] = (char)('0' + v);
	return e;
}

/* Three numbers separated by spaces, and a space: the head of DS,
 * DNSKEY, NSEC3 and NSEC3PARAM RDATA. */
char *
rrtext_put_u3(char *p, unsigned long a, unsigned long b, unsigned long c)
{
	p = rrtext_put_u(p, a);
	*p++ = ' ';
	p = rrtext_put_u(p, b);
	*p++ = ' ';
	p = rrtext_put_u(p, c);
	*p++ = ' ';
	return p;
}

char *
rrtext_put_s(char *p, const char *s)
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
char *
rrtext_put_name(char *p, const uint8_t *n)
{
	size_t len = dname_to_text(n, p);

	if (n[1] == '#' && n[0] != 0)
		return put_hash_name(p, len);
	return p + len;
}

/* RRSIG times as YYYYMMDDHHmmSS (RFC 4034 §3.2). */
char *
rrtext_put_time(char *p, uint32_t t)
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
	return rrtext_put_s(p, last);
}

/* An IPv4 address in dotted decimal, as inet_ntop(3) writes it. */
char *
rrtext_put_ipv4(char *p, const uint8_t *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			*p++ = '.';
		p = rrtext_put_u(p, a[i]);
	}
	return p;
}

/*
 * An IPv6 address as glibc's inet_ntop(3) writes it (RFC 5952 §4): hex
 * groups without leading zeros, the first longest run of two or more
 * zero groups as "::", and the last 32 bits in dotted decimal for an
 * IPv4-compatible or IPv4-mapped address (RFC 4291 §2.5.5).
 */
char *
rrtext_put_ipv6(char *p, const uint8_t *a)
{
	unsigned w[8];
	int i, best = -1, bestlen = 0, cur = -1, curlen = 0;

	for (i = 0; i < 8; i++) {
		w[i] = wire_get16(a + 2 * i);
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
			return rrtext_put_ipv4(p, a + 12);
		if (w[i] >= 0x1000)
			*p++ = rrtext_hexd[w[i] >> 12];
		if (w[i] >= 0x100)
			*p++ = rrtext_hexd[w[i] >> 8 & 15];
		if (w[i] >= 0x10)
			*p++ = rrtext_hexd[w[i] >> 4 & 15];
		*p++ = rrtext_hexd[w[i] & 15];
	}
	if (best >= 0 && best + bestlen == 8)
		*p++ = ':';
	return p;
}
