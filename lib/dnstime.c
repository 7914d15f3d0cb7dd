/*
 * See dnstime.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dnstime.h"

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm: days since 1970-01-01. */
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/*
 * A time given as seconds since the epoch, or as YYYYMMDDHHmmSS in UTC
 * (the RRSIG presentation form, RFC 4034 §3.2).  Returns 0 or -1.
 */
int
dnstime_parse(const char *s, int64_t *t)
{
	size_t n = strlen(s), i;
	char *end;
	long long v;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	if (n == 14) {
		int y, mo, d, h, mi, se;
		char buf[5];
		memcpy(buf, s, 4);
		buf[4] = '\0';
		y = atoi(buf);
#define TWO(o) ((s[o] - '0') * 10 + (s[(o) + 1] - '0'))
		mo = TWO(4);
		d = TWO(6);
		h = TWO(8);
		mi = TWO(10);
		se = TWO(12);
#undef TWO
		if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
		    mi > 59 || se > 60)
			return -1;
		*t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
		    h * 3600 + mi * 60 + se;
		return 0;
	}
	if (n == 0 || n > 12)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < 0)
		return -1;
	*t = v;
	return 0;
}

/*
 * A duration: digits and an optional unit, s, m, h, d or w (seconds,
 * minutes, hours, days, weeks).  Returns 0 or -1.
 */
int
dnstime_duration(const char *s, int64_t *v)
{
	char *end;
	long long n;
	int64_t unit = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0': case 's':
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	case 'w':
		unit = 7 * 86400;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (n < 0 || n > (long long)(INT64_MAX / 2) / unit)
		return -1;
	*v = n * unit;
	return 0;
}

/*
 * A time as every program's options take it (berokit(7), Time): "now",
 * the time given as now; an absolute time (dnstime_parse()); or an
 * offset from now, '+' or '-' and a duration.  Returns 0 or -1.
 */
int
dnstime_arg(const char *s, int64_t now, int64_t *t)
{
	int64_t d;

	if (strcmp(s, "now") == 0) {
		*t = now;
		return 0;
	}
	if (s[0] == '+' || s[0] == '-') {
		if (dnstime_duration(s + 1, &d) != 0)
			return -1;
		*t = s[0] == '+' ? now + d : now - d;
		return 0;
	}
	return dnstime_parse(s, t);
}

/* RFC 1982 §3.2: -1, 0 or 1; 2 when the comparison is undefined (the
 * two are exactly 2^31 apart). */
int
serial_cmp(uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	if ((a < b && b - a < 0x80000000u) || (a > b && a - b > 0x80000000u))
		return -1;
	if ((a < b && b - a > 0x80000000u) || (a > b && a - b < 0x80000000u))
		return 1;
	return 2;
}

uint32_t
dnstime_wire(int64_t t)
{
	return (uint32_t)((uint64_t)t & 0xffffffffu);
}

/* Is now within [inception, expiration] (RFC 4034 §3.1.5, RFC 4035
 * §5.3.1), in serial number arithmetic? */
bool
dnstime_within(uint32_t inception, uint32_t expiration, int64_t now)
{
	uint32_t n = dnstime_wire(now);
	int a = serial_cmp(inception, n), b = serial_cmp(n, expiration);

	return (a == -1 || a == 0) && (b == -1 || b == 0);
}
