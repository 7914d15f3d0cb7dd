/*
 * See p11uri.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "p11uri.h"

#define PREFIX	"pkcs11:"

static const char *names[P11URI_NSTR] = {
	"token", "manufacturer", "serial", "model", "library-manufacturer",
	"library-description", "slot-description", "slot-manufacturer",
	"object", "pin-source", "module-name", "module-path"
};

/* Which attributes belong to the query part (RFC 7512 section 2.3). */
static bool
is_query(int i)
{
	return i == P11URI_PIN_SOURCE || i == P11URI_MODULE_NAME ||
	    i == P11URI_MODULE_PATH;
}

bool
p11uri_is(const char *s)
{
	return strncmp(s, PREFIX, sizeof(PREFIX) - 1) == 0;
}

const char *
p11uri_attr_name(enum p11uri_attr a)
{
	return names[a];
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode v[0..n) into a new buffer (NUL-terminated for the
 * strings); *len gets the length.  NULL on a bad escape, with *bad set.
 */
static uint8_t *
decode(const char *v, size_t n, size_t *len, bool *bad)
{
	uint8_t *out;
	size_t i, o = 0;
	int h, l;

	*bad = false;
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (v[i] != '%') {
			out[o++] = (uint8_t)v[i];
			continue;
		}
		if (i + 2 >= n || (h = hexval(v[i + 1])) < 0 ||
		    (l = hexval(v[i + 2])) < 0) {
			*bad = true;
			free(out);
			return NULL;
		}
		out[o++] = (uint8_t)(h << 4 | l);
		i += 2;
	}
	out[o] = '\0';
	*len = o;
	return out;
}

static int
set_type(struct p11uri *u, const char *v, const char *uri, struct diag *d)
{
	static const char *types[] = { NULL, "private", "public", "cert",
	    "secret-key", "data" };
	int i;

	for (i = 1; i < (int)(sizeof(types) / sizeof(types[0])); i++)
		if (strcmp(v, types[i]) == 0) {
			u->type = (enum p11uri_type)i;
			return 0;
		}
	diag_set(d, NULL, 0, "%s: type=%s: not private, public, cert, "
	    "secret-key or data (RFC 7512 section 2.3)", uri, v);
	return -1;
}

static int
set_number(const char *v, unsigned long *n)
{
	char *end;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	*n = strtoul(v, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

/* library-version: M or M.N (RFC 7512 section 2.3). */
static int
set_version(struct p11uri *u, char *v)
{
	unsigned long ma, mi = 0;
	char *dot = strchr(v, '.');

	if (dot != NULL)
		*dot = '\0';
	if (set_number(v, &ma) != 0 || ma > 255 ||
	    (dot != NULL && (set_number(dot + 1, &mi) != 0 || mi > 255)))
		return -1;
	u->lib_major = (unsigned)ma;
	u->lib_minor = (unsigned)mi;
	u->has_lib_version = true;
	return 0;
}

/*
 * The PIN may come from a file only: "file:" URIs with an empty or
 * "localhost" authority (RFC 8089 section 2), or a path.  A command
 * ("|/bin/x", as some consumers accept) or another scheme is refused.
 */
static int
check_pin_source(char *v, const char *uri, struct diag *d)
{
	size_t skip = 0;

	if (strncmp(v, "file:///", 8) == 0)
		skip = 7;
	else if (strncmp(v, "file://localhost/", 17) == 0)
		skip = 16;
	else if (strncmp(v, "file:/", 6) == 0)
		skip = 5;
	else if (v[0] == '|' || strchr(v, ':') != NULL || v[0] == '\0') {
		diag_set(d, NULL, 0, "%s: pin-source: only a file is accepted "
		    "(a path or a file: URI), not a command or another "
		    "scheme", uri);
		return -1;
	}
	memmove(v, v + skip, strlen(v + skip) + 1);
	return 0;
}

/* One name=value of the path (query false) or the query (true). */
static int
attribute(struct p11uri *u, const char *a, size_t n, bool query,
    const char *uri, struct diag *d)
{
	const char *eq = memchr(a, '=', n);
	size_t nlen, vlen;
	uint8_t *v;
	bool bad;
	int i, rc = -1;

	if (eq == NULL) {
		diag_set(d, NULL, 0, "%s: \"%.*s\": not name=value (RFC 7512 "
		    "section 2.3)", uri, (int)n, a);
		return -1;
	}
	nlen = (size_t)(eq - a);
	if ((v = decode(eq + 1, n - nlen - 1, &vlen, &bad)) == NULL) {
		diag_set(d, NULL, 0, bad ? "%s: %.*s: bad percent escape" :
		    "%s: %.*s: out of memory", uri, (int)nlen, a);
		return -1;
	}
	if (!(nlen == 2 && memcmp(a, "id", 2) == 0) && strlen((char *)v) !=
	    vlen) {
		diag_set(d, NULL, 0, "%s: %.*s: NUL octet in the value", uri,
		    (int)nlen, a);
		goto out;
	}
	if (nlen == 9 && memcmp(a, "pin-value", 9) == 0) {
		diag_set(d, NULL, 0, "%s: pin-value is refused: a PIN is "
		    "never given on the command line; name a file with "
		    "pin-source or an environment variable (see berokit(7))",
		    uri);
		goto out;
	}
	for (i = 0; i < P11URI_NSTR; i++)
		if (strlen(names[i]) == nlen &&
		    memcmp(a, names[i], nlen) == 0)
			break;
	if (i < P11URI_NSTR && is_query(i) == query) {
		if (u->s[i] != NULL)
			goto twice;
		if (i == P11URI_PIN_SOURCE &&
		    check_pin_source((char *)v, uri, d) != 0)
			goto out;
		u->s[i] = (char *)v;
		return 0;
	}
	if (!query && nlen == 2 && memcmp(a, "id", 2) == 0) {
		if (u->has_id)
			goto twice;
		u->id = v;
		u->idlen = vlen;
		u->has_id = true;
		return 0;
	}
	if (!query && nlen == 4 && memcmp(a, "type", 4) == 0) {
		if (u->type != P11URI_ANY)
			goto twice;
		rc = set_type(u, (char *)v, uri, d);
		goto out;
	}
	if (!query && nlen == 7 && memcmp(a, "slot-id", 7) == 0) {
		if (u->has_slot_id)
			goto twice;
		if (set_number((char *)v, &u->slot_id) != 0) {
			diag_set(d, NULL, 0, "%s: slot-id=%s: not a number",
			    uri, (char *)v);
			goto out;
		}
		u->has_slot_id = true;
		rc = 0;
		goto out;
	}
	if (!query && nlen == 15 && memcmp(a, "library-version", 15) == 0) {
		if (u->has_lib_version)
			goto twice;
		if (set_version(u, (char *)v) != 0) {
			diag_set(d, NULL, 0, "%s: library-version: not M or "
			    "M.N", uri);
			goto out;
		}
		rc = 0;
		goto out;
	}
	diag_set(d, NULL, 0, "%s: %.*s: not a %s attribute of RFC 7512 "
	    "section 2.3", uri, (int)nlen, a, query ? "query" : "path");
	goto out;
twice:
	diag_set(d, NULL, 0, "%s: %.*s given twice", uri, (int)nlen, a);
out:
	free(v);
	return rc;
}

/* The attributes of one part, separated by sep. */
static int
part(struct p11uri *u, const char *p, size_t n, char sep, bool query,
    const char *uri, struct diag *d)
{
	const char *end = p + n, *e;

	while (p < end) {
		if ((e = memchr(p, sep, (size_t)(end - p))) == NULL)
			e = end;
		if (e == p) {
			diag_set(d, NULL, 0, "%s: empty attribute", uri);
			return -1;
		}
		if (attribute(u, p, (size_t)(e - p), query, uri, d) != 0)
			return -1;
		p = e < end ? e + 1 : end;
	}
	return 0;
}

/*
 * The URI as messages show it: the value of a pin-value, which is
 * refused, is never repeated (it would reach logs).
 */
void
p11uri_shown(const char *uri, char *buf, size_t size)
{
	const char *p = uri, *v;
	size_t o = 0, n;

	while (*p != '\0' && o + 1 < size) {
		if ((v = strstr(p, "pin-value=")) == NULL)
			v = p + strlen(p);
		else
			v += 10;
		n = (size_t)(v - p);
		if (n > size - 1 - o)
			n = size - 1 - o;
		memcpy(buf + o, p, n);
		o += n;
		p = v;
		if (*p != '\0' && o + 4 < size) {
			memcpy(buf + o, "...", 3);
			o += 3;
			p += strcspn(p, "&;");
		}
	}
	buf[o] = '\0';
}

int
p11uri_parse(struct p11uri *u, const char *text, struct diag *d)
{
	const char *p, *q;
	char uri[512];

	memset(u, 0, sizeof(*u));
	p11uri_shown(text, uri, sizeof(uri));
	if (!p11uri_is(text)) {
		diag_set(d, NULL, 0, "%s: not a PKCS #11 URI (RFC 7512)", uri);
		return -1;
	}
	p = text + sizeof(PREFIX) - 1;
	q = strchr(p, '?');
	if (part(u, p, q != NULL ? (size_t)(q - p) : strlen(p), ';', false,
	    uri, d) != 0 || (q != NULL && part(u, q + 1, strlen(q + 1), '&',
	    true, uri, d) != 0)) {
		p11uri_free(u);
		return -1;
	}
	return 0;
}

void
p11uri_free(struct p11uri *u)
{
	int i;

	for (i = 0; i < P11URI_NSTR; i++)
		free(u->s[i]);
	free(u->id);
	memset(u, 0, sizeof(*u));
}
