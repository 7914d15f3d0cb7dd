/*
 * See typebitmap.h.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "dname.h"
#include "rrtype.h"
#include "typebitmap.h"
#include "wire.h"

static void
sort_types(uint16_t *t, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint16_t v = t[i];
		for (j = i; j > 0 && t[j - 1] > v; j--)
			t[j] = t[j - 1];
		t[j] = v;
	}
}

/*
 * The bit map of the n types (any order, repeats allowed; the array is
 * sorted in place, by insertion: a name has few types).  out needs
 * TYPEBITMAP_MAX octets, or 34 per window the types use.  Returns the
 * length, 0 for no types.
 */
size_t
typebitmap_make(uint16_t *t, size_t n, uint8_t *out)
{
	size_t i = 0, len = 0;

	sort_types(t, n);
	while (i < n) {
		/* wire-lint: not wire: a type's window (RFC 4034 §4.1.2) */
		uint8_t win = (uint8_t)(t[i] >> 8), *w = out + len;	/* wire-lint: not wire */
		size_t octets = 0;

		memset(w + 2, 0, 32);
		for (; i < n && t[i] >> 8 == win; i++) {
			uint8_t lo = (uint8_t)t[i];
			w[2 + lo / 8] |= (uint8_t)(0x80 >> (lo % 8));
			if ((size_t)lo / 8 + 1 > octets)
				octets = (size_t)lo / 8 + 1;
		}
		w[0] = win;
		w[1] = (uint8_t)octets;
		len += 2 + octets;
	}
	return len;
}

/*
 * RFC 4034 §4.1.2: windows in increasing order, each of 1 to 32
 * octets, the last octet not zero.  An empty map is valid (an empty
 * non-terminal's NSEC3, RFC 5155 §7.1).  Returns 0 when bm is such a
 * map; otherwise -1 and, when why is not NULL, the first fault in it
 * (at most size octets with the NUL).
 */
int
typebitmap_check(const uint8_t *bm, size_t len, char *why, size_t size)
{
	size_t i = 0, n;
	int last = -1;

	for (; i < len; last = bm[i], i += 2 + n) {
		if (len - i < 2) {
			diag_why(why, size, "window %u without its length",
			    bm[i]);
			return -1;
		}
		n = bm[i + 1];
		if ((int)bm[i] <= last)
			diag_why(why, size, "window %u %s", bm[i], (int)bm[i] ==
			    last ? "repeated" : "out of order");
		else if (n == 0)
			diag_why(why, size, "window %u empty", bm[i]);
		else if (n > 32)
			diag_why(why, size, "window %u of %zu octets, over 32",
			    bm[i], n);
		else if (len - i - 2 < n)
			diag_why(why, size, "window %u cut short", bm[i]);
		else if (bm[i + 1 + n] == 0)
			diag_why(why, size, "window %u ends in a zero octet",
			    bm[i]);
		else
			continue;
		return -1;
	}
	return 0;
}

bool
typebitmap_valid(const uint8_t *bm, size_t len)
{
	return typebitmap_check(bm, len, NULL, 0) == 0;
}

/*
 * The type bit map in the RDATA of a record of the given type, checked:
 * NSEC (RFC 4034 §4.1: the next owner name, uncompressed, then the map),
 * NSEC3 (RFC 5155 §3.2: algorithm, flags, iterations, salt and next
 * hashed owner, each length first, then the map) and CSYNC (RFC 7477
 * §2.1.1: serial and flags, then the map).  Returns 0 when the RDATA
 * holds a valid map, or the type has none; otherwise -1 with the fault
 * in why, the RFC section named.
 */
int
typebitmap_rdata_check(uint16_t type, const uint8_t *rd, size_t len,
    char *why, size_t size)
{
	const char *name, *rfc;
	struct wire_nsec3 n3;
	char fw[160];
	size_t at;

	switch (type) {
	case TYPEBITMAP_NSEC:
		name = "NSEC";
		rfc = "RFC 4034 section 4.1.2";
		at = dname_len_bounded(rd, len);
		break;
	case TYPEBITMAP_NSEC3:
		name = "NSEC3";
		rfc = "RFC 5155 section 3.2.1";
		at = wire_nsec3(&n3, rd, len) != 0 ? 0 :
		    (size_t)(n3.bitmap - rd);
		break;
	case TYPEBITMAP_CSYNC:
		name = "CSYNC";
		rfc = "RFC 7477 section 2.1.1.2.1";
		at = len < 6 ? 0 : 6;
		break;
	default:
		return 0;
	}
	if (at == 0) {
		diag_why(why, size, "%s RDATA cut short before the type bit map "
		    "(%s)", name, rfc);
		return -1;
	}
	if (typebitmap_check(rd + at, len - at, fw, sizeof(fw)) == 0)
		return 0;
	diag_why(why, size, "%s type bit map: %s (%s)", name, fw, rfc);
	return -1;
}

bool
typebitmap_has(const uint8_t *bm, size_t len, uint16_t type)
{
	size_t i = 0;
	uint8_t win = (uint8_t)(type >> 8), lo = (uint8_t)type;	/* wire-lint: not wire: the window */

	while (i + 2 <= len) {
		size_t n = bm[i + 1];
		if (i + 2 + n > len)
			return false;
		if (bm[i] == win)
			return lo / 8 < n &&
			    (bm[i + 2 + lo / 8] & (0x80 >> (lo % 8))) != 0;
		i += 2 + n;
	}
	return false;
}

/* The types of a well-formed bit map, in increasing order: at most max
 * of them are stored in out; returns how many there are. */
size_t
typebitmap_types(const uint8_t *bm, size_t len, uint16_t *out, size_t max)
{
	size_t i = 0, count = 0, k;
	unsigned b;

	while (i + 2 <= len) {
		size_t n = bm[i + 1];
		if (i + 2 + n > len)
			break;
		for (k = 0; k < n; k++)
			for (b = 0; b < 8; b++)
				if (bm[i + 2 + k] & (0x80 >> b)) {
					if (count < max)
						out[count] = (uint16_t)(bm[i] <<
						    8 | (k * 8 + b));
					count++;
				}
		i += 2 + n;
	}
	return count;
}

/*
 * The types as text, mnemonics separated by blanks ("NS DS RRSIG"),
 * for messages: at most size octets with the NUL, cut short with
 * "..." when they do not fit.  Returns out.
 */
char *
typebitmap_text(const uint8_t *bm, size_t len, char *out, size_t size)
{
	uint16_t t[256];
	size_t n, i, used = 0;
	char buf[16];

	if (size == 0)
		return out;
	out[0] = '\0';
	n = typebitmap_types(bm, len, t, 256);
	for (i = 0; i < n && i < 256; i++) {
		const char *name = rrtype_name(t[i], buf);
		size_t l = strlen(name) + (i > 0);
		if (used + l + 4 >= size) {
			snprintf(out + used, size - used, "%s...",
			    i > 0 ? " " : "");
			return out;
		}
		snprintf(out + used, size - used, "%s%s", i > 0 ? " " : "",
		    name);
		used += l;
	}
	if (n > 256 && used + 5 < size)
		snprintf(out + used, size - used, " ...");
	return out;
}
