/*
 * See nsec3.h.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>

#include "diag.h"
#include "dname.h"
#include "nsec3.h"
#include "rrtype.h"
#include "wire.h"
#include "zone.h"

/* SHA-1 fetched once: fetching it for every hash costs more than the
 * hash of a short name. */
static EVP_MD *sha1;
static pthread_once_t sha1_once = PTHREAD_ONCE_INIT;

static void
fetch_sha1(void)
{
	sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
}

/* The Iterations field of an NSEC3 or NSEC3PARAM record (RFC 5155
 * §3.2, §4.2), 0 when its RDATA is too short to hold one. */
unsigned
nsec3_rr_iterations(const struct rr *r)
{
	uint16_t v;

	return wire_read16(r->rdata, r->rdlen, 2, &v) == 0 ? v : 0;
}

/*
 * Every NSEC3 and NSEC3PARAM record of z within NSEC3_MAX_ITERATIONS:
 * the first that is not is refused at its file and line.  The tools
 * that hash a zone's names with its parameters check here first, where
 * they read the zone.  Returns 0, or -1 and *d.
 */
int
nsec3_check_iterations(const struct zone *z, struct diag *d)
{
	char t[16];
	size_t i;

	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		unsigned n;
		if (r->type != T_NSEC3 && r->type != T_NSEC3PARAM)
			continue;
		if ((n = nsec3_rr_iterations(r)) <= NSEC3_MAX_ITERATIONS)
			continue;
		diag_set(d, zone_rr_file(z, r), r->line, "%s iterations %u: "
		    "more than %u (RFC 5155 section 10.3)",
		    rrtype_name(r->type, t), n, NSEC3_MAX_ITERATIONS);
		return -1;
	}
	return 0;
}

/* The record that gives z's NSEC3 parameters: its first NSEC3PARAM at
 * the apex (RFC 5155 §4), or else its first NSEC3 record; or NULL. */
const struct rr *
nsec3_zone_params(const struct zone *z)
{
	const struct rr *nsec3 = NULL;
	size_t i;

	for (i = 0; i < z->n; i++) {
		const struct rr *r = &z->rr[i];
		if (r->type == T_NSEC3PARAM && r->rdlen >= 4 &&
		    (z->apex == NULL || dname_equal(r->owner, z->apex)))
			return r;
		if (r->type == T_NSEC3 && r->rdlen >= 4 && nsec3 == NULL)
			nsec3 = r;
	}
	return nsec3;
}

/*
 * IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) ||
 * salt) (RFC 5155 §5), x the owner in canonical (lower-case) wire form.
 * out needs NSEC3_HASH_LEN octets.  Returns 0, or -1 (also for more
 * than NSEC3_MAX_ITERATIONS).
 */
int
nsec3_hash(const uint8_t *owner, const uint8_t *salt, size_t saltlen,
    uint16_t iterations, uint8_t *out)
{
	uint8_t name[DNAME_MAXLEN];
	size_t n = dname_len(owner);
	EVP_MD_CTX *ctx;
	unsigned int len;
	unsigned k;
	int ok = 1;

	if (iterations > NSEC3_MAX_ITERATIONS)
		return -1;
	memcpy(name, owner, n);
	dname_lower(name);
	pthread_once(&sha1_once, fetch_sha1);
	if (sha1 == NULL || (ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	for (k = 0; ok && k <= iterations; k++) {
		ok = EVP_DigestInit_ex(ctx, sha1, NULL) == 1 &&
		    EVP_DigestUpdate(ctx, k == 0 ? name : out,
		    k == 0 ? n : NSEC3_HASH_LEN) == 1 &&
		    (saltlen == 0 ||
		    EVP_DigestUpdate(ctx, salt, saltlen) == 1) &&
		    EVP_DigestFinal_ex(ctx, out, &len) == 1;
	}
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

static const char b32[] = "0123456789abcdefghijklmnopqrstuv";

/* out needs 8 characters for every 5 octets, plus a NUL; no padding. */
size_t
nsec3_b32hex_encode(const uint8_t *in, size_t n, char *out)
{
	size_t i, o = 0;
	unsigned acc = 0, bits = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];	/* wire-lint: not wire: base32 */
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[o++] = b32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return o;
}

/* Decode a label (case-insensitive); returns the length or -1. */
int
nsec3_b32hex_decode(const uint8_t *in, size_t n, uint8_t *out, size_t max)
{
	unsigned acc = 0, bits = 0;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int c = in[i], v;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'v')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'V')
			v = c - 'A' + 10;
		else
			return -1;
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o == max)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* Left-over bits must be zero padding (RFC 4648 §6). */
	if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
		return -1;
	return (int)o;
}
