/*
 * Fuzz target of the RDATA views of lib/wire.c: the first octet of the
 * input picks the view, the rest is the RDATA, in a buffer of exactly its
 * length.  Oracle: a view that is made covers its RDATA with its fields,
 * each inside it, in order, and each field's octets are read (so that
 * the sanitizers see a field that runs past the end); a view refused
 * leaves nothing behind; the bounded accessors refuse exactly the
 * offsets past the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint8_t *rd_at, *rd_end;
static volatile unsigned sink;

static void
fail(const char *what, size_t a, size_t b)
{
	fprintf(stderr, "fuzz_wire: %s (%zu, %zu)\n", what, a, b);
	abort();
}

/* A field of n octets at p: inside the RDATA, and read. */
static const uint8_t *
field(const uint8_t *p, size_t n)
{
	size_t i;

	if (p < rd_at || p > rd_end || n > (size_t)(rd_end - p))
		fail("field outside the RDATA", (size_t)(p - rd_at), n);
	for (i = 0; i < n; i++)
		sink += p[i];
	return p + n;
}

/* The fields, in order, end where the RDATA ends. */
static void
ends(const uint8_t *p)
{
	if (p != rd_end)
		fail("fields do not cover the RDATA", (size_t)(p - rd_at),
		    (size_t)(rd_end - rd_at));
}

static void
views(unsigned which, const uint8_t *rd, size_t len)
{
	switch (which % 8) {
	case 0: {
		struct wire_rrsig v;
		if (wire_rrsig(&v, rd, len) == 0) {
			ends(field(field(v.signer, v.signer_len), v.sig_len));
			if (v.signer != rd + WIRE_RRSIG_FIXED ||
			    wire_rrsig_covered(rd, len) != v.covered)
				fail("rrsig fields", v.signer_len, v.sig_len);
		}
		break;
	}
	case 1: {
		struct wire_dnskey v;
		if (wire_dnskey(&v, rd, len) == 0)
			ends(field(rd, WIRE_DNSKEY_FIXED) == v.key ?
			    field(v.key, v.key_len) : NULL);
		break;
	}
	case 2: {
		struct wire_ds v;
		if (wire_ds(&v, rd, len) == 0)
			ends(field(rd, WIRE_DS_FIXED) == v.digest ?
			    field(v.digest, v.digest_len) : NULL);
		break;
	}
	case 3: {
		struct wire_soa v;
		if (wire_soa(&v, rd, len) == 0)
			ends(field(field(field(v.mname, v.mname_len) ==
			    v.rname ? v.rname : NULL, v.rname_len),
			    WIRE_SOA_NUMBERS));
		break;
	}
	case 4: {
		struct wire_nsec v;
		if (wire_nsec(&v, rd, len) == 0)
			ends(field(field(v.next, v.next_len) == v.bitmap ?
			    v.bitmap : NULL, v.bitmap_len));
		break;
	}
	case 5: {
		struct wire_nsec3 v;
		if (wire_nsec3(&v, rd, len) == 0) {
			if (field(rd, WIRE_NSEC3PARAM_FIXED) != v.salt ||
			    field(v.salt, v.salt_len) + 1 != v.next ||
			    field(v.next, v.next_len) != v.bitmap)
				fail("nsec3 fields", v.salt_len, v.next_len);
			ends(field(v.bitmap, v.bitmap_len));
		}
		break;
	}
	case 6: {
		struct wire_nsec3param v;
		if (wire_nsec3param(&v, rd, len) == 0)
			ends(field(rd, WIRE_NSEC3PARAM_FIXED) == v.salt ?
			    field(v.salt, v.salt_len) : NULL);
		break;
	}
	case 7: {
		struct wire_zonemd v;
		if (wire_zonemd(&v, rd, len) == 0)
			ends(field(rd, WIRE_ZONEMD_FIXED) == v.digest ?
			    field(v.digest, v.digest_len) : NULL);
		break;
	}
	}
}

/* The bounded accessors at every offset up to two past the end. */
static void
accessors(const uint8_t *rd, size_t len)
{
	size_t off;
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v48;

	for (off = 0; off <= len + 2 && off < 64; off++) {
		if ((wire_read8(rd, len, off, &v8) == 0) != (off + 1 <= len) ||
		    (wire_read16(rd, len, off, &v16) == 0) != (off + 2 <= len) ||
		    (wire_read32(rd, len, off, &v32) == 0) != (off + 4 <= len) ||
		    (wire_read48(rd, len, off, &v48) == 0) != (off + 6 <= len))
			fail("accessor bound", off, len);
	}
	if (wire_read16(rd, len, SIZE_MAX, &v16) == 0 ||
	    wire_read48(rd, len, SIZE_MAX - 3, &v48) == 0)
		fail("accessor bound near SIZE_MAX", 0, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *rd;
	size_t len;

	if (size == 0)
		return 0;
	len = size - 1;
	if ((rd = malloc(len ? len : 1)) == NULL)
		return 0;
	memcpy(rd, data + 1, len);
	rd_at = rd;
	rd_end = rd + len;
	views(data[0], rd, len);
	accessors(rd, len);
	free(rd);
	return 0;
}
