/*
 * Domain names in wire form: length, comparison in canonical order
 * (RFC 4034 §6.1), presentation (RFC 1035 §5.1) and a sort key whose
 * byte order is the canonical order.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dname.h"

static inline uint8_t
lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

size_t
dname_len(const uint8_t *n)
{
	const uint8_t *p = n;

	while (*p != 0)
		p += *p + 1;
	return (size_t)(p - n) + 1;
}

/*
 * The length of a name in a buffer of max octets, or 0 when the name is
 * malformed: a label over 63 octets, a compression pointer, a name over
 * 255 octets or one running past the buffer.
 */
size_t
dname_len_bounded(const uint8_t *n, size_t max)
{
	size_t i = 0;

	while (i < max) {
		if (n[i] == 0)
			return i + 1 > DNAME_MAXLEN ? 0 : i + 1;
		if (n[i] > 63)
			return 0;
		i += n[i] + 1;
	}
	return 0;
}

int
dname_labels(const uint8_t *n)
{
	int count = 0;

	for (; *n != 0; n += *n + 1)
		count++;
	return count;
}

bool
dname_is_wildcard(const uint8_t *n)
{
	return n[0] == 1 && n[1] == '*';
}

/* The Labels field of an RRSIG: the owner's labels less a leading
 * wildcard label (RFC 4034 §3.1.3). */
int
dname_rrsig_labels(const uint8_t *n)
{
	int count = dname_labels(n);

	return dname_is_wildcard(n) ? count - 1 : count;
}

void
dname_lower(uint8_t *n)
{
	uint8_t i;

	for (; *n != 0; n += *n + 1)
		for (i = 1; i <= *n; i++)
			n[i] = lower(n[i]);
}

bool
dname_equal(const uint8_t *a, const uint8_t *b)
{
	uint8_t i;

	for (;;) {
		if (*a != *b)
			return false;
		if (*a == 0)
			return true;
		for (i = 1; i <= *a; i++)
			if (lower(a[i]) != lower(b[i]))
				return false;
		a += *a + 1;
		b += *b + 1;
	}
}

static int
label_offsets(const uint8_t *n, const uint8_t **offs)
{
	int count = 0;

	for (; *n != 0; n += *n + 1)
		offs[count++] = n;
	return count;
}

/* Octet for octet the same name: for names already in lower case, as a
 * zone's owners are, this is equality without folding case. */
bool
dname_same(const uint8_t *a, const uint8_t *b)
{
	for (;;) {
		if (*a != *b)
			return false;
		if (*a == 0)
			return true;
		if (memcmp(a + 1, b + 1, *a) != 0)
			return false;
		a += *a + 1;
		b += *b + 1;
	}
}

/*
 * Canonical order (RFC 4034 §6.1): labels compared from the root down,
 * each as a left-justified octet string with upper case folded to lower
 * case; an absent label sorts first.
 */
int
dname_canon_cmp(const uint8_t *a, const uint8_t *b)
{
	const uint8_t *la[128], *lb[128];
	int na = label_offsets(a, la), nb = label_offsets(b, lb);
	int i, j;

	for (i = na - 1, j = nb - 1; i >= 0 && j >= 0; i--, j--) {
		const uint8_t *x = la[i], *y = lb[j];
		unsigned k, lx = x[0], ly = y[0];
		unsigned m = lx < ly ? lx : ly;

		for (k = 1; k <= m; k++) {
			uint8_t cx = lower(x[k]), cy = lower(y[k]);
			if (cx != cy)
				return cx < cy ? -1 : 1;
		}
		if (lx != ly)
			return lx < ly ? -1 : 1;
	}
	if (na == nb)
		return 0;
	return na < nb ? -1 : 1;
}

/* Is a strictly below b? */
bool
dname_is_below(const uint8_t *a, const uint8_t *b)
{
	int na = dname_labels(a), nb = dname_labels(b);

	if (na <= nb)
		return false;
	while (na-- > nb)
		a += *a + 1;
	return dname_equal(a, b);
}

bool
dname_is_at_or_below(const uint8_t *a, const uint8_t *b)
{
	return dname_equal(a, b) || dname_is_below(a, b);
}

const uint8_t *
dname_parent(const uint8_t *n)
{
	return *n == 0 ? NULL : n + *n + 1;
}

/*
 * A key whose memcmp(3) order is the canonical order: the labels from
 * the root down, lower-cased, each followed by a 0x00 separator.  So that
 * an octet inside a label never compares like a separator, octets 0x00
 * and 0x01 are written as 0x01 0x01 and 0x01 0x02; that code keeps the
 * order of octets and is prefix-free.  out needs 2 * 255 octets.
 */
size_t
dname_canon_key(const uint8_t *n, uint8_t *out)
{
	return dname_canon_key_prefix(n, out, SIZE_MAX);
}

/*
 * The first octets of dname_canon_key(): at least max of them when the
 * key is that long (an escaped octet may make it one more), the whole key
 * otherwise; returns how many were written.  A sort that looks at a key's
 * first octets needs no more.
 */
size_t
dname_canon_key_prefix(const uint8_t *n, uint8_t *out, size_t max)
{
	const uint8_t *offs[128];
	int count = label_offsets(n, offs), i;
	size_t len = 0;

	for (i = count - 1; i >= 0 && len < max; i--) {
		const uint8_t *l = offs[i];
		unsigned k;

		for (k = 1; k <= l[0] && len < max; k++) {
			uint8_t c = lower(l[k]);
			if (c <= 1) {
				out[len++] = 1;
				out[len++] = c + 1;
			} else
				out[len++] = c;
		}
		if (k <= l[0])
			break;		/* cut short */
		out[len++] = 0;
	}
	return len;
}

/*
 * How each octet is written in a name: 0 as is, 1 after a backslash,
 * 2 as \DDD.  Only letters, digits, "-", "_", "*" and "/" go bare:
 * other readers (libzscanner among them) take nothing else unescaped,
 * and a name written must read back as the same name.
 */
static const uint8_t text_classes[256] = {
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0x00 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0x10 */
	2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0,	/* 0x20 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1,	/* 0x30 */
	1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0,	/* 0x50 */
	1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2,	/* 0x70 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0x80 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0x90 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xa0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xb0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xc0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xd0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xe0 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,	/* 0xf0 */
};

static inline int
text_class(uint8_t c)
{
	return text_classes[c];
}

/* One octet of a label as text; the slow path of escaped labels. */
static char *
put_octet(char *p, uint8_t c)
{
	switch (text_class(c)) {
	case 0:
		*p++ = (char)c;
		break;
	case 1:
		*p++ = '\\';
		*p++ = (char)c;
		break;
	default:
		*p++ = '\\';
		*p++ = (char)('0' + c / 100);
		*p++ = (char)('0' + c / 10 % 10);
		*p++ = (char)('0' + c % 10);
	}
	return p;
}

/*
 * Presentation form (RFC 1035 §5.1, RFC 4343 §2.1): "." and "\" escaped
 * with a backslash, other specials and non-printing octets as \DDD.
 * out needs DNAME_MAXTEXT octets.  Returns the length written.
 */
size_t
dname_to_text(const uint8_t *n, char *out)
{
	char *p = out;
	unsigned i, len;
	uint8_t esc;

	if (*n == 0) {
		*p++ = '.';
		*p = '\0';
		return 1;
	}
	for (; (len = *n) != 0; n += len + 1) {
		/* Most labels have nothing to escape: copied as they are
		 * while their octets are classed, written again octet by
		 * octet only when one needs a backslash. */
		esc = 0;
		for (i = 1; i <= len; i++) {
			p[i - 1] = (char)n[i];
			esc |= text_classes[n[i]];
		}
		if (esc == 0)
			p += len;
		else
			for (i = 1; i <= len; i++)
				p = put_octet(p, n[i]);
		*p++ = '.';
	}
	*p = '\0';
	return (size_t)(p - out);
}

/*
 * Parse a name in presentation form; a relative name is completed with
 * origin (which may be NULL for "absolute only").  Returns the wire
 * length, DNAME_TOOLONG for a name over 255 octets in wire form (RFC 1035
 * §2.3.4), or -1 on another malformed name.  out needs DNAME_MAXLEN
 * octets, and nothing is written past them, whatever s holds.
 */
int
dname_from_text(const char *s, const uint8_t *origin, uint8_t *out)
{
	size_t pos = 0, lab = 0;
	int absolute = 0;

	if (strcmp(s, ".") == 0) {
		out[0] = 0;
		return 1;
	}
	if (strcmp(s, "@") == 0 && origin != NULL) {
		size_t ol = dname_len(origin);
		memcpy(out, origin, ol);
		return (int)ol;
	}
	out[0] = 0;
	pos = 1;
	while (*s != '\0') {
		int c = (unsigned char)*s++;

		if (c == '.') {
			if (out[lab] == 0)
				return -1;
			if (*s == '\0') {
				absolute = 1;
				break;
			}
			lab = pos++;
			if (pos >= DNAME_MAXLEN)
				return DNAME_TOOLONG;
			out[lab] = 0;
			continue;
		}
		if (c == '\\') {
			if (isdigit((unsigned char)s[0]) &&
			    isdigit((unsigned char)s[1]) &&
			    isdigit((unsigned char)s[2])) {
				c = (s[0] - '0') * 100 + (s[1] - '0') * 10 +
				    (s[2] - '0');
				if (c > 255)
					return -1;
				s += 3;
			} else if (*s != '\0')
				c = (unsigned char)*s++;
			else
				return -1;
		}
		if (out[lab] == 63)
			return -1;
		/* This octet at pos, and the root label at least after it. */
		if (pos + 2 > DNAME_MAXLEN)
			return DNAME_TOOLONG;
		out[lab]++;
		out[pos++] = (uint8_t)c;
	}
	if (out[lab] == 0)
		return -1;
	if (absolute || origin == NULL) {
		if (!absolute)
			return -1;
		out[pos++] = 0;
	} else {
		size_t ol = dname_len(origin);
		if (pos + ol > DNAME_MAXLEN)
			return DNAME_TOOLONG;
		memcpy(out + pos, origin, ol);
		pos += ol;
	}
	return (int)pos;
}
