/*
 * See b64join.h.  A small lexer over zone text (RFC 1035 §5.1): tokens,
 * quoted strings, comments, parentheses; a record ends at a newline
 * outside parentheses.  For the types whose last field is base64 or hex
 * (after a fixed number of fields), the tokens of that field are joined.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "b64join.h"

struct tok {
	size_t	start, end;
};

struct lexer {
	const char	*s;
	size_t		 len, pos;
	int		 depth;
};

/* Fields before the binary field, or -1 when the type has none. */
static int
binary_field_index(const char *t, size_t n)
{
	static const struct {
		const char	*name;
		int		 fields;
	} types[] = {
		{ "DNSKEY", 3 }, { "CDNSKEY", 3 }, { "KEY", 3 },
		{ "RRSIG", 8 }, { "SIG", 8 }, { "DS", 3 }, { "CDS", 3 },
		{ "ZONEMD", 3 }, { "TLSA", 3 }, { "SMIMEA", 3 },
		{ "SSHFP", 2 }, { "DHCID", 0 }, { "OPENPGPKEY", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].name) == n &&
		    strncasecmp(types[i].name, t, n) == 0)
			return types[i].fields;
	return -1;
}

static int
is_class(const char *t, size_t n)
{
	return (n == 2 && (strncasecmp(t, "IN", 2) == 0 ||
	    strncasecmp(t, "CH", 2) == 0 || strncasecmp(t, "HS", 2) == 0)) ||
	    (n > 5 && strncasecmp(t, "CLASS", 5) == 0);
}

/* Characters that end an unquoted token; a NUL is token text. */
static int
is_delim(char c)
{
	return c != '\0' && strchr(" \t\r\n();\"", c) != NULL;
}

/* The end of the token at pos: a quoted string with its quotes, or a
 * run of token text; a backslash escapes the next character in both. */
static size_t
token_end(const char *s, size_t pos, size_t len)
{
	if (s[pos] == '"') {
		pos++;
		while (pos < len && s[pos] != '"') {
			if (s[pos] == '\\' && pos + 1 < len)
				pos++;
			pos++;
		}
		return pos < len ? pos + 1 : pos;
	}
	while (pos < len && !is_delim(s[pos])) {
		if (s[pos] == '\\' && pos + 1 < len)
			pos++;
		pos++;
	}
	return pos;
}

/*
 * Next token of the current record, or 0 at the end of the record
 * (the newline that ends it is consumed).  Parentheses and comments are
 * skipped; newlines inside parentheses are whitespace.
 */
static int
next_token(struct lexer *lx, struct tok *t)
{
	const char *s = lx->s;

	for (;;) {
		if (lx->pos >= lx->len)
			return 0;
		switch (s[lx->pos]) {
		case ' ': case '\t': case '\r':
			lx->pos++;
			continue;
		case '(':
			lx->depth++;
			lx->pos++;
			continue;
		case ')':
			if (lx->depth > 0)
				lx->depth--;
			lx->pos++;
			continue;
		case ';':
			while (lx->pos < lx->len && s[lx->pos] != '\n')
				lx->pos++;
			continue;
		case '\n':
			lx->pos++;
			if (lx->depth == 0)
				return 0;
			continue;
		}
		break;
	}
	t->start = lx->pos;
	lx->pos = token_end(s, lx->pos, lx->len);
	t->end = lx->pos;
	return 1;
}

/* Index of the type token among the record's tokens, or -1. */
static int
type_index(const char *s, const struct tok *tk, int n, int has_owner)
{
	int i = has_owner ? 1 : 0, skipped = 0;

	while (i < n && skipped < 2) {
		const char *t = s + tk[i].start;
		size_t len = tk[i].end - tk[i].start;
		if (!isdigit((unsigned char)t[0]) && !is_class(t, len))
			break;
		i++;
		skipped++;
	}
	return i < n ? i : -1;
}

static void
emit_record(const char *s, size_t rstart, size_t rend, const struct tok *tk,
    int ntok, int first_bin, char *out, size_t *o)
{
	size_t p, from = tk[first_bin].start;
	int i;

	memcpy(out + *o, s + rstart, from - rstart);
	*o += from - rstart;
	for (i = first_bin; i < ntok; i++) {
		memcpy(out + *o, s + tk[i].start, tk[i].end - tk[i].start);
		*o += tk[i].end - tk[i].start;
	}
	/* Keep the parentheses and newlines of the joined part, outside
	 * tokens, dropping comments, so that the record still closes and
	 * lines still count. */
	for (p = from; p < rend;) {
		if (s[p] == ';') {
			while (p < rend && s[p] != '\n')
				p++;
		} else if (s[p] == '(' || s[p] == ')' || s[p] == '\n') {
			out[(*o)++] = ' ';
			out[(*o)++] = s[p++];
		} else if (s[p] == ' ' || s[p] == '\t' || s[p] == '\r')
			p++;
		else
			p = token_end(s, p, rend);
	}
}

/* Is the field after the type "\#", the RDATA in generic form? */
static int
generic_rdata(const char *s, const struct tok *tk, int ntok, int ti)
{
	return ti + 1 < ntok && tk[ti + 1].end - tk[ti + 1].start == 2 &&
	    s[tk[ti + 1].start] == '\\' && s[tk[ti + 1].start + 1] == '#';
}

/*
 * RFC 5155 §3.3: the next hashed owner name is base32hex without
 * padding (RFC 4648 §7), and a hash not a multiple of 5 octets long is
 * then not a multiple of 8 characters; libzscanner takes only the
 * padded form.  The hash, field 5 after the type, is padded with "=".
 */
static int
pad_nsec3(const char *s, size_t rstart, size_t rend, const struct tok *tk,
    int ntok, int ti, char *out, size_t *o)
{
	const struct tok *h = &tk[ti + 5];
	size_t n = h->end - h->start;

	if (tk[ti].end - tk[ti].start != 5 ||
	    strncasecmp(s + tk[ti].start, "NSEC3", 5) != 0 || ti + 5 >= ntok ||
	    n % 8 == 0 || memchr(s + h->start, '=', n) != NULL)
		return 0;
	memcpy(out + *o, s + rstart, h->end - rstart);
	*o += h->end - rstart;
	for (; n % 8 != 0; n++)
		out[(*o)++] = '=';
	memcpy(out + *o, s + h->end, rend - h->end);
	*o += rend - h->end;
	return 1;
}

char *
b64join(const char *s, size_t len, size_t *outlen)
{
	struct lexer lx = { s, len, 0, 0 };
	struct tok *tk = NULL, t;
	size_t cap = 0, o = 0;
	char *out;

	/* Each newline may gain a space, an NSEC3 record 7 octets of
	 * padding (it has 8 fields): twice the input is enough. */
	if ((out = malloc(2 * len + 1)) == NULL)
		return NULL;
	while (lx.pos < len) {
		size_t rstart = lx.pos;
		int ntok = 0, ti, fields, has_owner, dir;

		has_owner = !strchr(" \t", s[rstart]);
		dir = s[rstart] == '$';
		while (next_token(&lx, &t)) {
			if ((size_t)ntok == cap) {
				struct tok *n;
				cap = cap ? 2 * cap : 64;
				if ((n = realloc(tk, cap * sizeof(*n))) == NULL) {
					free(tk);
					free(out);
					return NULL;
				}
				tk = n;
			}
			tk[ntok++] = t;
		}
		ti = dir ? -1 : type_index(s, tk, ntok, has_owner);
		/* RDATA in RFC 3597 form ("\# length hex", §5), which
		 * libzscanner takes with blanks in the hex, is copied as it
		 * is: its fields are not the type's, and joining or padding
		 * them would break the hex (a DHCID's length glued to it). */
		if (ti >= 0 && generic_rdata(s, tk, ntok, ti))
			ti = -1;
		fields = ti < 0 ? -1 : binary_field_index(s + tk[ti].start,
		    tk[ti].end - tk[ti].start);
		if (ti >= 0 && pad_nsec3(s, rstart, lx.pos, tk, ntok, ti,
		    out, &o))
			continue;
		if (fields < 0 || ti + 1 + fields + 1 >= ntok) {
			memcpy(out + o, s + rstart, lx.pos - rstart);
			o += lx.pos - rstart;
		} else
			emit_record(s, rstart, lx.pos, tk, ntok,
			    ti + 1 + fields, out, &o);
	}
	free(tk);
	out[o] = '\0';
	*outlen = o;
	return out;
}
