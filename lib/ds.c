/*
 * See ds.h.
 */
#define OPENSSL_API_COMPAT	30000
#define OPENSSL_NO_DEPRECATED

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "ds.h"
#include "wire.h"

static const EVP_MD *
digest_md(uint8_t type)
{
	switch (type) {
	case DS_SHA1:
		return EVP_sha1();
	case DS_SHA256:
		return EVP_sha256();
	case DS_SHA384:
		return EVP_sha384();
	default:
		return NULL;
	}
}

/* GOST R 34.11-94 (type 3) is not supported: RFC 8624 §3.3 says MUST NOT
 * for DS generation, and OpenSSL 3 does not carry it. */
bool
ds_digest_supported(uint8_t type)
{
	return digest_md(type) != NULL;
}

size_t
ds_digest_len(uint8_t type)
{
	switch (type) {
	case DS_SHA1:
		return 20;
	case DS_SHA256:
		return 32;
	case DS_SHA384:
		return 48;
	default:
		return 0;
	}
}

const char *
ds_digest_name(uint8_t type)
{
	switch (type) {
	case DS_SHA1:
		return "SHA-1";
	case DS_SHA256:
		return "SHA-256";
	case DS_SHA384:
		return "SHA-384";
	default:
		return "unknown";
	}
}

/* digest = hash(canonical owner name | DNSKEY RDATA), RFC 4034 §5.1.4. */
static int
hash_key(const uint8_t *owner, const uint8_t *key, size_t keylen,
    uint8_t type, uint8_t *out)
{
	uint8_t name[DNAME_MAXLEN];
	const EVP_MD *md;
	EVP_MD_CTX *ctx;
	size_t nlen;
	int ok;

	if ((md = digest_md(type)) == NULL)
		return -1;
	nlen = dname_len_bounded(owner, DNAME_MAXLEN);
	if (nlen == 0)
		return -1;
	memcpy(name, owner, nlen);
	dname_lower(name);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, name, nlen) == 1 &&
	    EVP_DigestUpdate(ctx, key, keylen) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/*
 * Make the DS RDATA (RFC 4034 §5.1) of the DNSKEY RDATA key at owner,
 * with the given digest type, into out (DS_RDATA_MAX octets).
 */
int
ds_make(const uint8_t *owner, const uint8_t *key, size_t keylen,
    uint8_t type, uint8_t *out, size_t *outlen, struct diag *d)
{
	struct wire_dnskey k;
	uint8_t *p;

	if (!dnskey_rdata_ok(key, keylen)) {
		diag_set(d, NULL, 0, "malformed DNSKEY RDATA");
		return -1;
	}
	if (!ds_digest_supported(type)) {
		diag_set(d, NULL, 0, "unsupported DS digest type %u", type);
		return -1;
	}
	(void)wire_dnskey(&k, key, keylen);
	/* RFC 4034 §5.1: key tag, algorithm, digest type, digest. */
	p = wire_put16(out, dnskey_tag(key, keylen));
	*p++ = k.algorithm;
	*p++ = type;
	if (hash_key(owner, key, keylen, type, p) != 0) {
		diag_set(d, NULL, 0, "%s digest failed", ds_digest_name(type));
		return -1;
	}
	*outlen = (size_t)(p - out) + ds_digest_len(type);
	return 0;
}

/*
 * Whether the DS RDATA ds names the DNSKEY RDATA key at owner: the key
 * tag, the algorithm and the recomputed digest must all agree.  Key tags
 * collide (RFC 4034 Appendix B), so the tag alone proves nothing.  A DS
 * with an unsupported digest type never matches; callers that must tell
 * that case apart (RFC 4035 §5.2) ask ds_digest_supported().
 */
bool
ds_matches(const uint8_t *owner, const uint8_t *key, size_t keylen,
    const uint8_t *ds, size_t dslen)
{
	struct wire_ds v;
	struct wire_dnskey k;
	uint8_t dig[48];
	size_t dlen;

	if (wire_ds(&v, ds, dslen) != 0 || !dnskey_rdata_ok(key, keylen) ||
	    wire_dnskey(&k, key, keylen) != 0)
		return false;
	dlen = ds_digest_len(v.digest_type);
	if (dlen == 0 || v.digest_len != dlen)
		return false;
	if (v.key_tag != dnskey_tag(key, keylen) || v.algorithm != k.algorithm)
		return false;
	if (hash_key(owner, key, keylen, v.digest_type, dig) != 0)
		return false;
	return CRYPTO_memcmp(dig, v.digest, dlen) == 0;
}
