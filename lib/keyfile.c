/*
 * See keyfile.h.  The .key file is read as zone text by zone.h; the
 * .private file is parsed here, line by line, into the numbers
 * crypto.h builds a key from.
 */
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "keyfile.h"
#include "p11uri.h"
#include "pkcs11.h"
#include "rrtext.h"
#include "rrtype.h"
#include "wire.h"
#include "zone.h"

#define PRIVATE_MAX	65536	/* a 4096-bit RSA key file is under 4 KiB */
#define FIELD_MAX	1024	/* octets of one decoded number */

struct keyfile {
	char			*pubpath;
	char			*privpath;
	uint8_t			 owner[DNAME_MAXLEN];
	uint8_t			*rdata;
	size_t			 rdlen;
	uint32_t		 ttl;
	unsigned long		 line;
	struct crypto_privkey	*priv;
	struct pkcs11_key	*tok;		/* a key in a token */
	bool			 unplaced;	/* a URI: no owner yet */
};

/* The fields of a v1.2/v1.3 private key file that carry key material. */
enum {
	F_MODULUS, F_PUBEXP, F_PRIVEXP, F_PRIME1, F_PRIME2, F_EXP1, F_EXP2,
	F_COEFF, F_PRIVKEY, F_COUNT
};

static const char *field_names[F_COUNT] = {
	"Modulus", "PublicExponent", "PrivateExponent", "Prime1", "Prime2",
	"Exponent1", "Exponent2", "Coefficient", "PrivateKey"
};

struct secrets {
	uint8_t		 v[F_COUNT][FIELD_MAX];
	size_t		 len[F_COUNT];
	bool		 seen[F_COUNT];
	int		 alg;
	bool		 format;
	char		*label;		/* Label: a PKCS #11 URI */
};

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The .key and .private paths of a key named by its base name, its .key
 * path or its .private path. */
static int
key_paths(struct keyfile *k, const char *name, struct diag *d)
{
	size_t n = strlen(name);

	if (ends_with(name, ".key"))
		n -= 4;
	else if (ends_with(name, ".private"))
		n -= 8;
	if (n == 0) {
		diag_set(d, name, 0, "not a key name");
		return -1;
	}
	if ((k->pubpath = malloc(n + 5)) == NULL ||
	    (k->privpath = malloc(n + 9)) == NULL) {
		diag_set(d, name, 0, "out of memory");
		return -1;
	}
	memcpy(k->pubpath, name, n);
	memcpy(k->pubpath + n, ".key", 5);
	memcpy(k->privpath, name, n);
	memcpy(k->privpath + n, ".private", 9);
	return 0;
}

/* The .key file: one DNSKEY record in zone text. */
static int
read_public(struct keyfile *k, struct diag *d)
{
	struct zone *z;
	const struct rr *r;
	uint8_t alg;
	bool known;
	int rc = -1;

	if ((z = zone_new()) == NULL) {
		diag_set(d, k->pubpath, 0, "out of memory");
		return -1;
	}
	if (zone_read_file(z, k->pubpath, NULL, d) != 0)
		goto out;
	if (z->n != 1) {
		diag_set(d, k->pubpath, z->n ? z->rr[1].line : 0, z->n ?
		    "more than one record in a key file" : "no DNSKEY record");
		goto out;
	}
	r = &z->rr[0];
	if (r->type != T_DNSKEY) {
		diag_set(d, k->pubpath, r->line, "not a DNSKEY record");
		goto out;
	}
	if (!dnskey_rdata_ok(r->rdata, r->rdlen)) {
		diag_set(d, k->pubpath, r->line, "malformed DNSKEY (RFC 4034 "
		    "section 2.1: protocol must be 3)");
		goto out;
	}
	alg = dnskey_algorithm(r->rdata);
	known = strcmp(dnskey_alg_name(alg), "unknown") != 0;
	if (!crypto_alg_can_verify(alg)) {
		diag_set(d, k->pubpath, r->line, "key %u: unsupported "
		    "algorithm %u%s%s%s", dnskey_tag(r->rdata, r->rdlen), alg,
		    known ? " (" : "", known ? dnskey_alg_name(alg) : "",
		    known ? ")" : "");
		goto out;
	}
	if ((k->rdata = malloc(r->rdlen)) == NULL) {
		diag_set(d, k->pubpath, 0, "out of memory");
		goto out;
	}
	memcpy(k->rdata, r->rdata, r->rdlen);
	k->rdlen = r->rdlen;
	memcpy(k->owner, r->owner, dname_len(r->owner));
	dname_lower(k->owner);
	k->ttl = r->ttl;
	k->line = r->line;
	rc = 0;
out:
	zone_free(z);
	return rc;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* One "Name: value" line of the private key file. */
static int
parse_line(struct secrets *s, char *line, const char *path,
    unsigned long lineno, struct diag *d)
{
	char *colon, *key, *val, *end;
	long alg;
	int i, n;

	key = trim(line);
	if (*key == '\0' || *key == ';')
		return 0;
	if ((colon = strchr(key, ':')) == NULL) {
		diag_set(d, path, lineno, "expected \"name: value\"");
		return -1;
	}
	*colon = '\0';
	val = trim(colon + 1);
	key = trim(key);
	if (!s->format) {
		if (strcmp(key, "Private-key-format") != 0) {
			diag_set(d, path, lineno, "not a private key file "
			    "(no Private-key-format line)");
			return -1;
		}
		/* v1.2 and v1.3 differ only in fields that carry no key. */
		if (strcmp(val, "v1.2") != 0 && strcmp(val, "v1.3") != 0) {
			diag_set(d, path, lineno, "unsupported private key "
			    "format %s", val);
			return -1;
		}
		s->format = true;
		return 0;
	}
	/* BIND's key files of keys in a token: the key is named by its
	 * URI on a Label: line, and no number is given. */
	if (strcmp(key, "Label") == 0) {
		if (s->label != NULL) {
			diag_set(d, path, lineno, "Label given twice");
			return -1;
		}
		if (!p11uri_is(val)) {
			diag_set(d, path, lineno, "Label: not a PKCS #11 URI "
			    "(RFC 7512)");
			return -1;
		}
		s->label = val;
		return 0;
	}
	if (strcmp(key, "Algorithm") == 0) {
		errno = 0;
		alg = strtol(val, &end, 10);
		if (errno != 0 || end == val || alg < 0 || alg > 255 ||
		    (*end != '\0' && *end != ' ' && *end != '\t')) {
			diag_set(d, path, lineno, "bad algorithm \"%s\"", val);
			return -1;
		}
		s->alg = (int)alg;
		return 0;
	}
	for (i = 0; i < F_COUNT; i++)
		if (strcmp(key, field_names[i]) == 0)
			break;
	if (i == F_COUNT)
		return 0;	/* Created:, Publish: and the like */
	if (s->seen[i]) {
		diag_set(d, path, lineno, "%s given twice", key);
		return -1;
	}
	n = base64_decode(val, s->v[i], FIELD_MAX);
	if (n <= 0) {
		diag_set(d, path, lineno, "%s: bad base64", key);
		return -1;
	}
	s->len[i] = (size_t)n;
	s->seen[i] = true;
	return 0;
}

static int
parse_private(struct secrets *s, char *text, const char *path,
    struct diag *d)
{
	unsigned long lineno = 0;
	char *line, *next;

	for (line = text; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (parse_line(s, line, path, lineno, d) != 0)
			return -1;
	}
	if (!s->format) {
		diag_set(d, path, 0, "not a private key file "
		    "(no Private-key-format line)");
		return -1;
	}
	if (s->alg < 0) {
		diag_set(d, path, 0, "no Algorithm line");
		return -1;
	}
	return 0;
}

/* Read the whole .private file; 1 when it does not exist. */
static int
slurp_private(const char *path, char *buf, size_t max, struct diag *d)
{
	FILE *f;
	size_t n;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 1;
		diag_set(d, path, 0, "%s", strerror(errno));
		return -1;
	}
	n = fread(buf, 1, max - 1, f);
	if (ferror(f) || !feof(f)) {
		diag_set(d, path, 0, "%s", ferror(f) ? strerror(errno) :
		    "too long for a private key file");
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[n] = '\0';
	if (strlen(buf) != n) {
		diag_set(d, path, 0, "not a private key file (NUL octet)");
		return -1;
	}
	return 0;
}

static bool
need(const struct secrets *s, const int *f, int n, const char *path,
    struct diag *d)
{
	int i;

	for (i = 0; i < n; i++)
		if (!s->seen[f[i]]) {
			diag_set(d, path, 0, "no %s line", field_names[f[i]]);
			return false;
		}
	return true;
}

/* Build the key from the numbers; pub gets the public key they imply. */
static struct crypto_privkey *
build_private(const struct secrets *s, const char *path, uint8_t *pub,
    size_t *publen, struct diag *d)
{
	static const int rsa[] = { F_MODULUS, F_PUBEXP, F_PRIVEXP, F_PRIME1,
	    F_PRIME2, F_EXP1, F_EXP2, F_COEFF };
	static const int raw[] = { F_PRIVKEY };
	struct crypto_rsa_fields f;
	struct crypto_privkey *k;
	uint8_t alg = (uint8_t)s->alg;

	if (alg == 5 || alg == 7 || alg == 8 || alg == 10) {
		if (!need(s, rsa, 8, path, d))
			return NULL;
		f.n = s->v[F_MODULUS];		f.nlen = s->len[F_MODULUS];
		f.e = s->v[F_PUBEXP];		f.elen = s->len[F_PUBEXP];
		f.d = s->v[F_PRIVEXP];		f.dlen = s->len[F_PRIVEXP];
		f.p = s->v[F_PRIME1];		f.plen = s->len[F_PRIME1];
		f.q = s->v[F_PRIME2];		f.qlen = s->len[F_PRIME2];
		f.dp = s->v[F_EXP1];		f.dplen = s->len[F_EXP1];
		f.dq = s->v[F_EXP2];		f.dqlen = s->len[F_EXP2];
		f.qinv = s->v[F_COEFF];		f.qinvlen = s->len[F_COEFF];
		k = crypto_privkey_rsa(alg, &f, pub, publen, d);
	} else {
		if (!need(s, raw, 1, path, d))
			return NULL;
		k = crypto_privkey_raw(alg, s->v[F_PRIVKEY],
		    s->len[F_PRIVKEY], pub, publen, d);
	}
	if (k == NULL && d != NULL)
		snprintf(d->file, sizeof(d->file), "%s", path);
	return k;
}

/*
 * No core dump from a process that holds private keys: a dump would
 * write them to a file.  The core size limit goes to 0, soft and hard,
 * before the first .private file is opened, for the rest of the process
 * (so nothing can raise it again).  On Linux, a core_pattern that pipes
 * the dump to a program (systemd-coredump, apport) is not bound by that
 * limit (core(5)), so the process is made not dumpable as well, which
 * also keeps other processes of the same user from attaching to it with
 * ptrace(2).
 */
static int
no_core_dumps(const char *path, struct diag *d)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) != 0) {
		diag_set(d, path, 0, "cannot turn core dumps off: %s",
		    strerror(errno));
		return -1;
	}
#ifdef __linux__
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		diag_set(d, path, 0, "cannot turn core dumps off: %s",
		    strerror(errno));
		return -1;
	}
#endif
	return 0;
}

/*
 * Read and check the .private file.  Returns 0 when the key is loaded,
 * 1 when there is no such file, -1 on error.
 */
/* Whether pub is the public key of k's DNSKEY RDATA (RFC 4034 §2.1.4). */
static bool
same_key(const struct keyfile *k, const uint8_t *pub, size_t publen)
{
	struct wire_dnskey v;

	return wire_dnskey(&v, k->rdata, k->rdlen) == 0 &&
	    v.key_len == publen && memcmp(pub, v.key, publen) == 0;
}

/* The key of a Label: line, in its token: its public key must be the
 * DNSKEY's. */
static int
open_token(struct keyfile *k, const char *uri, bool need_private,
    struct diag *d)
{
	const uint8_t *pub;
	size_t publen;

	if ((k->tok = pkcs11_key_open(uri, dnskey_algorithm(k->rdata),
	    need_private, d)) == NULL) {
		snprintf(d->file, sizeof(d->file), "%s", k->privpath);
		return -1;
	}
	pub = pkcs11_key_public(k->tok, &publen);
	if (!same_key(k, pub, publen)) {
		diag_set(d, k->privpath, 0, "%s: not the key of %s",
		    pkcs11_key_name(k->tok), k->pubpath);
		return -1;
	}
	return 0;
}

static int
read_private(struct keyfile *k, bool need_private, struct diag *d)
{
	struct secrets *s;
	char *text;
	uint8_t pub[CRYPTO_PUBKEY_MAX];
	size_t publen = 0;
	uint8_t alg = dnskey_algorithm(k->rdata);
	int rc;

	text = sodium_malloc(PRIVATE_MAX);
	s = sodium_malloc(sizeof(*s));
	if (text == NULL || s == NULL) {
		diag_set(d, k->privpath, 0, "out of memory");
		rc = -1;
		goto out;
	}
	memset(s, 0, sizeof(*s));
	s->alg = -1;
	if ((rc = no_core_dumps(k->privpath, d)) != 0 ||
	    (rc = slurp_private(k->privpath, text, PRIVATE_MAX, d)) != 0 ||
	    (rc = parse_private(s, text, k->privpath, d)) != 0)
		goto out;
	rc = -1;
	if (s->alg != alg) {
		diag_set(d, k->privpath, 0, "private key does not match "
		    "public key %s (algorithm %d, not %u)", k->pubpath,
		    s->alg, alg);
		goto out;
	}
	if (s->label != NULL) {
		rc = open_token(k, s->label, need_private, d);
		goto out;
	}
	if ((k->priv = build_private(s, k->privpath, pub, &publen,
	    d)) == NULL)
		goto out;
	/* The public key the private one implies must be the DNSKEY's. */
	if (!same_key(k, pub, publen)) {
		diag_set(d, k->privpath, 0, "private key does not match "
		    "public key %s", k->pubpath);
		crypto_privkey_free(k->priv);
		k->priv = NULL;
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(pub, sizeof(pub));
	sodium_free(text);	/* sodium_free wipes before freeing */
	sodium_free(s);
	return rc;
}

/*
 * A key named by its URI alone: its DNSKEY is made from the public key
 * the token gives, with the flags the caller asks for (KEYFILE_SEP) and
 * TTL 3600, and has no owner until keyfile_place() gives it one.
 */
static int
token_key(struct keyfile *k, const char *uri, int flags, struct diag *d)
{
	const uint8_t *pub;
	uint8_t *q;
	size_t publen;
	uint16_t f = (flags & KEYFILE_SEP) ? 257 : 256;
	char shown[256];

	p11uri_shown(uri, shown, sizeof(shown));
	if ((k->pubpath = strdup(shown)) == NULL ||
	    (k->privpath = strdup(shown)) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return -1;
	}
	if ((flags & KEYFILE_NEED_PRIVATE) && no_core_dumps(shown, d) != 0)
		return -1;
	if ((k->tok = pkcs11_key_open(uri, 0, (flags & KEYFILE_NEED_PRIVATE)
	    != 0, d)) == NULL)
		return -1;
	pub = pkcs11_key_public(k->tok, &publen);
	if ((k->rdata = malloc(4 + publen)) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return -1;
	}
	/* RFC 4034 §2.1: flags, protocol 3, algorithm, public key. */
	q = wire_put16(k->rdata, f);
	*q++ = 3;
	*q++ = pkcs11_key_algorithm(k->tok);
	memcpy(q, pub, publen);
	k->rdlen = 4 + publen;
	k->owner[0] = 0;
	k->ttl = 3600;
	k->unplaced = true;
	return 0;
}

/*
 * Load the key pair named by name (base name, .key or .private path).
 * flags say what to do with the private half (keyfile.h).
 */
struct keyfile *
keyfile_load(const char *name, int flags, struct diag *d)
{
	struct keyfile *k;
	int rc;

	if (sodium_init() < 0) {
		diag_set(d, NULL, 0, "libsodium cannot start");
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		diag_set(d, name, 0, "out of memory");
		return NULL;
	}
	if (p11uri_is(name)) {
		if (token_key(k, name, flags, d) != 0)
			goto fail;
		return k;
	}
	if (key_paths(k, name, d) != 0 || read_public(k, d) != 0)
		goto fail;
	/* A .private path named on purpose must be read. */
	if (ends_with(name, ".private"))
		flags = (flags & ~KEYFILE_PUBLIC_ONLY) | KEYFILE_NEED_PRIVATE;
	if (flags & KEYFILE_PUBLIC_ONLY)
		return k;
	rc = read_private(k, (flags & KEYFILE_NEED_PRIVATE) != 0, d);
	if (rc < 0)
		goto fail;
	if (rc == 1 && (flags & KEYFILE_NEED_PRIVATE)) {
		diag_set(d, k->privpath, 0, "%s", strerror(ENOENT));
		goto fail;
	}
	return k;
fail:
	keyfile_free(k);
	return NULL;
}

void
keyfile_free(struct keyfile *k)
{
	if (k == NULL)
		return;
	crypto_privkey_free(k->priv);
	pkcs11_key_free(k->tok);
	free(k->rdata);
	free(k->pubpath);
	free(k->privpath);
	free(k);
}

const uint8_t *
keyfile_owner(const struct keyfile *k)
{
	return k->owner;
}

const uint8_t *
keyfile_rdata(const struct keyfile *k, size_t *len)
{
	if (len != NULL)
		*len = k->rdlen;
	return k->rdata;
}

uint32_t
keyfile_ttl(const struct keyfile *k)
{
	return k->ttl;
}

uint16_t
keyfile_flags(const struct keyfile *k)
{
	return dnskey_flags(k->rdata);
}

uint8_t
keyfile_algorithm(const struct keyfile *k)
{
	return dnskey_algorithm(k->rdata);
}

uint16_t
keyfile_tag(const struct keyfile *k)
{
	return dnskey_tag(k->rdata, k->rdlen);
}

bool
keyfile_has_private(const struct keyfile *k)
{
	return k->priv != NULL || (k->tok != NULL &&
	    pkcs11_key_sig_len(k->tok) > 0);
}

const struct pkcs11_key *
keyfile_token(const struct keyfile *k)
{
	return k->tok;
}

bool
keyfile_unplaced(const struct keyfile *k)
{
	return k->unplaced;
}

/* A key named by its URI alone gets its owner and flags (the key tag
 * changes with them, RFC 4034 Appendix B) and TTL. */
void
keyfile_place(struct keyfile *k, const uint8_t *owner, uint16_t flags,
    uint32_t ttl)
{
	if (!k->unplaced)
		return;
	memcpy(k->owner, owner, dname_len(owner));
	dname_lower(k->owner);
	(void)wire_put16(k->rdata, flags);	/* the Flags field */
	k->ttl = ttl;
	k->unplaced = false;
}

const struct crypto_privkey *
keyfile_privkey(const struct keyfile *k)
{
	return k->priv;
}

const char *
keyfile_public_path(const struct keyfile *k)
{
	return k->pubpath;
}

const char *
keyfile_private_path(const struct keyfile *k)
{
	return k->privpath;
}

unsigned long
keyfile_line(const struct keyfile *k)
{
	return k->line;
}
