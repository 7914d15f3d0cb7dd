/*
 * Test driver of lib/wire.c, for t/0050-wire-views.bats.  Every RDATA is
 * copied into a buffer of exactly its length, so that a read past it is
 * a sanitizer report in the ASan build.
 *
 *	wiretest TYPE HEX
 *		The view of TYPE (rrsig, dnskey, ds, soa, nsec, nsec3,
 *		nsec3param, zonemd) made from the RDATA HEX ("" for none):
 *		its fields, one "name value" a line, names and octet
 *		strings in hex; or "refused" and exit 1.
 *	wiretest cur=FIELDS HEX
 *		lib/wire.h's field reader over HEX, one field a letter of
 *		FIELDS: b, s, l (8, 16, 32 bits), n (a name), c (a
 *		character-string), 4 (four octets), r (the rest); each
 *		"letter value" a line, then "left N"; at a field that does
 *		not fit, "at OFF" (where the cursor stayed) and "refused".
 *	wiretest -s TYPE HEX
 *		Every prefix of HEX, from none to all of it: the lengths
 *		whose view is made, on one line ("none" when none is).
 *	wiretest read8|read16|read32|read48 HEX OFF
 *		The field at OFF, in decimal, or "refused" and exit 1.
 *	wiretest read HEX OFF WIDTH
 *		The same by wire_read, the field of WIDTH octets.
 *	wiretest put HEX
 *		wire_put16, wire_put32 and wire_put48 of the number HEX
 *		(cut to each width), read back by wire_get16/32/48, in hex.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

/* Where the views are printed: standard output, or /dev/null while the
 * prefixes are tried (every field is still written out, so read). */
static FILE *o;

static void
hex(const char *name, const uint8_t *p, size_t n)
{
	size_t i;

	fprintf(o, "%s ", name);
	for (i = 0; i < n; i++)
		fprintf(o, "%02x", p[i]);
	fprintf(o, "%s\n", n ? "" : "-");
}

static uint8_t *
unhex(const char *s, size_t *len)
{
	size_t n = strlen(s) / 2, i;
	uint8_t *b;
	unsigned v;

	if (strlen(s) % 2 != 0)
		exit(2);
	/* A buffer of exactly n octets (one when n is 0, never read). */
	if ((b = malloc(n ? n : 1)) == NULL)
		exit(2);
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			exit(2);
		b[i] = (uint8_t)v;
	}
	*len = n;
	return b;
}

/* The fields f read by lib/wire.h's cursor from rd, printed to o. */
static int
cursor(const char *f, const uint8_t *rd, size_t len)
{
	struct wire_cur c;
	const uint8_t *v;
	size_t n;
	uint32_t l;
	uint16_t s;
	uint8_t b;
	int r;

	wire_cur_init(&c, rd, len);
	for (; *f != '\0'; f++) {
		switch (*f) {
		case 'b':
			if ((r = wire_take8(&c, &b)) == 0)
				fprintf(o, "b %u\n", b);
			break;
		case 's':
			if ((r = wire_take16(&c, &s)) == 0)
				fprintf(o, "s %u\n", s);
			break;
		case 'l':
			if ((r = wire_take32(&c, &l)) == 0)
				fprintf(o, "l %u\n", l);
			break;
		case 'n':
			if ((r = wire_take_name(&c, &v, &n)) == 0)
				hex("n", v, n);
			break;
		case 'c':
			if ((r = wire_take_cstring(&c, &v, &b)) == 0)
				hex("c", v, b);
			break;
		case '4':
			if ((r = wire_take(&c, 4, &v)) == 0)
				hex("4", v, 4);
			break;
		case 'r':
			v = wire_take_rest(&c, &n);
			hex("r", v, n);
			r = 0;
			break;
		default:
			fprintf(stderr, "wiretest: %c: unknown field\n", *f);
			exit(2);
		}
		if (r != 0) {
			fprintf(o, "at %zu\n", c.off);
			return -1;
		}
	}
	fprintf(o, "left %zu\n", wire_left(&c));
	return 0;
}

/* Makes the view of type t from rd and prints it to o. */
static int
view(const char *t, const uint8_t *rd, size_t len)
{
	if (strncmp(t, "cur=", 4) == 0) {
		if (cursor(t + 4, rd, len) != 0)
			return -1;
	} else if (strcmp(t, "rrsig") == 0) {
		struct wire_rrsig v;
		if (wire_rrsig(&v, rd, len) != 0)
			return -1;
		{
			fprintf(o, "covered %u\nalgorithm %u\nlabels %u\n"
			    "original_ttl %u\nexpiration %u\ninception %u\n"
			    "key_tag %u\n", v.covered, v.algorithm, v.labels,
			    v.original_ttl, v.expiration, v.inception,
			    v.key_tag);
			hex("signer", v.signer, v.signer_len);
			hex("sig", v.sig, v.sig_len);
			fprintf(o, "covered_only %u\n",
			    wire_rrsig_covered(rd, len));
		}
	} else if (strcmp(t, "dnskey") == 0) {
		struct wire_dnskey v;
		if (wire_dnskey(&v, rd, len) != 0)
			return -1;
		{
			fprintf(o, "flags %u\nprotocol %u\nalgorithm %u\n",
			    v.flags, v.protocol, v.algorithm);
			hex("key", v.key, v.key_len);
		}
	} else if (strcmp(t, "ds") == 0) {
		struct wire_ds v;
		if (wire_ds(&v, rd, len) != 0)
			return -1;
		{
			fprintf(o, "key_tag %u\nalgorithm %u\ndigest_type %u\n",
			    v.key_tag, v.algorithm, v.digest_type);
			hex("digest", v.digest, v.digest_len);
		}
	} else if (strcmp(t, "soa") == 0) {
		struct wire_soa v;
		if (wire_soa(&v, rd, len) != 0)
			return -1;
		{
			hex("mname", v.mname, v.mname_len);
			hex("rname", v.rname, v.rname_len);
			fprintf(o, "serial %u\nrefresh %u\nretry %u\nexpire %u\n"
			    "minimum %u\n", v.serial, v.refresh, v.retry,
			    v.expire, v.minimum);
		}
	} else if (strcmp(t, "nsec") == 0) {
		struct wire_nsec v;
		if (wire_nsec(&v, rd, len) != 0)
			return -1;
		{
			hex("next", v.next, v.next_len);
			hex("bitmap", v.bitmap, v.bitmap_len);
		}
	} else if (strcmp(t, "nsec3") == 0) {
		struct wire_nsec3 v;
		if (wire_nsec3(&v, rd, len) != 0)
			return -1;
		{
			fprintf(o, "hash_alg %u\nflags %u\niterations %u\n",
			    v.hash_alg, v.flags, v.iterations);
			hex("salt", v.salt, v.salt_len);
			hex("next", v.next, v.next_len);
			hex("bitmap", v.bitmap, v.bitmap_len);
		}
	} else if (strcmp(t, "nsec3param") == 0) {
		struct wire_nsec3param v;
		if (wire_nsec3param(&v, rd, len) != 0)
			return -1;
		{
			fprintf(o, "hash_alg %u\nflags %u\niterations %u\n",
			    v.hash_alg, v.flags, v.iterations);
			hex("salt", v.salt, v.salt_len);
		}
	} else if (strcmp(t, "zonemd") == 0) {
		struct wire_zonemd v;
		if (wire_zonemd(&v, rd, len) != 0)
			return -1;
		{
			fprintf(o, "serial %u\nscheme %u\nhash_alg %u\n", v.serial,
			    v.scheme, v.hash_alg);
			hex("digest", v.digest, v.digest_len);
		}
	} else {
		fprintf(stderr, "wiretest: %s: unknown type\n", t);
		exit(2);
	}
	return 0;
}

static int
prefixes(const char *t, const uint8_t *rd, size_t len)
{
	size_t n;
	int any = 0;

	if ((o = fopen("/dev/null", "w")) == NULL)
		return 2;
	for (n = 0; n <= len; n++) {
		uint8_t *b = malloc(n ? n : 1);
		if (b == NULL)
			return 2;
		memcpy(b, rd, n);
		if (view(t, b, n) == 0) {
			fflush(o);
			printf("%s%zu", any ? " " : "", n);
			any = 1;
		}
		free(b);
	}
	printf("%s\n", any ? "" : "none");
	fclose(o);
	o = stdout;
	return 0;
}

static int
readn(const char *w, const uint8_t *b, size_t len, size_t off)
{
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v48;
	int r;

	if (strcmp(w, "read8") == 0 && (r = wire_read8(b, len, off, &v8)) == 0)
		printf("%u\n", v8);
	else if (strcmp(w, "read16") == 0 &&
	    (r = wire_read16(b, len, off, &v16)) == 0)
		printf("%u\n", v16);
	else if (strcmp(w, "read32") == 0 &&
	    (r = wire_read32(b, len, off, &v32)) == 0)
		printf("%u\n", v32);
	else if (strcmp(w, "read48") == 0 &&
	    (r = wire_read48(b, len, off, &v48)) == 0)
		printf("%llu\n", (unsigned long long)v48);
	else {
		printf("refused\n");
		return 1;
	}
	return 0;
}

static int
put(const char *s)
{
	unsigned long long v = strtoull(s, NULL, 16);
	uint8_t b[6], *e;

	e = wire_put16(b, (uint16_t)v);
	printf("16 %zu %04x\n", (size_t)(e - b), wire_get16(b));
	e = wire_put32(b, (uint32_t)v);
	printf("32 %zu %08x\n", (size_t)(e - b), wire_get32(b));
	e = wire_put48(b, v & 0xffffffffffffULL);
	printf("48 %zu %012llx\n", (size_t)(e - b),
	    (unsigned long long)wire_get48(b));
	hex("octets", b, 6);
	return 0;
}

int
main(int argc, char **argv)
{
	uint8_t *rd;
	size_t len;
	int r;

	o = stdout;
	if (argc == 3 && strcmp(argv[1], "put") == 0)
		return put(argv[2]);
	if (argc == 5 && strcmp(argv[1], "read") == 0) {
		uint64_t v;
		rd = unhex(argv[2], &len);
		if ((r = wire_read(rd, len, strtoul(argv[3], NULL, 10),
		    strtoul(argv[4], NULL, 10), &v)) == 0)
			printf("%llu\n", (unsigned long long)v);
		else
			printf("refused\n");
		free(rd);
		return r == 0 ? 0 : 1;
	}
	if (argc == 4 && strncmp(argv[1], "read", 4) == 0) {
		rd = unhex(argv[2], &len);
		r = readn(argv[1], rd, len, strtoul(argv[3], NULL, 10));
	} else if (argc == 4 && strcmp(argv[1], "-s") == 0) {
		rd = unhex(argv[3], &len);
		r = prefixes(argv[2], rd, len);
	} else if (argc == 3) {
		rd = unhex(argv[2], &len);
		if ((r = view(argv[1], rd, len)) != 0) {
			printf("refused\n");
			r = 1;
		}
	} else {
		fprintf(stderr, "usage: wiretest [-s] type hex\n");
		return 2;
	}
	free(rd);
	return r;
}
