/*
 * See report.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dname.h"
#include "report.h"
#include "rrtype.h"
#include "zone.h"

void
report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->arena = arena_new();
	if (r->arena == NULL)
		r->failed = true;
}

void
report_free(struct report *r)
{
	size_t i;

	free(r->item);
	arena_free(r->arena);
	for (i = 0; i < r->ntaken; i++)
		arena_free(r->taken[i]);
	free(r->taken);
	memset(r, 0, sizeof(*r));
}

/*
 * Append the findings of src to dst, in their order, and empty src
 * (its strings move with them).  A report made apart, say on another
 * thread, so joins the main one at its place in the order.  Returns 0,
 * or -1 when memory is short (dst is then marked as having lost some).
 */
int
report_take(struct report *dst, struct report *src)
{
	struct report_item *it;
	struct arena **t;

	if ((t = realloc(dst->taken, (dst->ntaken + src->ntaken + 1) *
	    sizeof(*t))) == NULL) {
		dst->failed = true;
		return -1;
	}
	dst->taken = t;
	if (src->n > 0) {
		if ((it = realloc(dst->item, (dst->n + src->n) *
		    sizeof(*it))) == NULL) {
			dst->failed = true;
			return -1;
		}
		dst->item = it;
		dst->cap = dst->n + src->n;
		memcpy(dst->item + dst->n, src->item, src->n * sizeof(*it));
		dst->n += src->n;
		dst->problems += src->problems;
		dst->warnings += src->warnings;
	}
	t[dst->ntaken++] = src->arena;
	if (src->ntaken > 0)
		memcpy(t + dst->ntaken, src->taken, src->ntaken * sizeof(*t));
	dst->ntaken += src->ntaken;
	dst->failed |= src->failed;
	free(src->item);
	free(src->taken);
	memset(src, 0, sizeof(*src));
	return 0;
}

/* A place with no owner, type or key. */
void
report_at(struct report_where *w, const char *label, const char *file,
    unsigned long line)
{
	memset(w, 0, sizeof(*w));
	w->label = label;
	w->file = file;
	w->line = line;
}

/* The place, owner and type of a record. */
void
report_at_rr(struct report_where *w, const char *label,
    const struct zone *z, const struct rr *r)
{
	report_at(w, label, zone_rr_file(z, r), r->line);
	w->owner = r->owner;
	w->type = r->type;
}

void
report_key(struct report_where *w, uint16_t tag, uint8_t alg)
{
	w->has_key = true;
	w->tag = tag;
	w->alg = alg;
}

static const char *
keep(struct report *r, const char *s)
{
	char *p;

	if (s == NULL || r->arena == NULL)
		return NULL;
	if ((p = arena_dup(r->arena, s, strlen(s) + 1)) == NULL)
		r->failed = true;
	return p;
}

void
report_vadd(struct report *r, enum report_kind kind,
    const struct report_where *w, const char *fmt, va_list ap)
{
	struct report_item *it;
	char text[1024], owner[DNAME_MAXTEXT];

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct report_item *p = realloc(r->item, cap * sizeof(*p));
		if (p == NULL) {
			r->failed = true;
			return;
		}
		r->item = p;
		r->cap = cap;
	}
	it = &r->item[r->n];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->label = w->label;
	it->file = w->file;
	it->line = w->line;
	it->check = w->check;
	it->cite = w->cite;
	it->type = w->type;
	it->covered = w->covered;
	it->has_key = w->has_key;
	it->tag = w->tag;
	it->alg = w->alg;
	if (w->owner != NULL) {
		dname_to_text(w->owner, owner);
		it->owner = keep(r, owner);
	}
	vsnprintf(text, sizeof(text), fmt, ap);
	if ((it->text = keep(r, text)) == NULL)
		return;
	r->n++;
	if (kind == REPORT_PROBLEM)
		r->problems++;
	else
		r->warnings++;
}

void
report_add(struct report *r, enum report_kind kind,
    const struct report_where *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vadd(r, kind, w, fmt, ap);
	va_end(ap);
}

/*
 * One finding as a line, without the program name and a newline:
 *
 *	file:line: label: owner TYPE: key tag/alg: text (check, cite)
 *
 * where TYPE is "RRSIG A" for a signature over the A RRset.
 * Each part is left out when it does not apply; the label is left out
 * when it is the place's file name (a finding in the zone's own file).
 */
size_t
report_line(const struct report_item *it, char *buf, size_t len)
{
	size_t o = 0;
	char tb[16], cb[16];

#define PUT(...) do {							\
	int w_ = snprintf(buf + o, len > o ? len - o : 0, __VA_ARGS__);	\
	if (w_ > 0)							\
		o += (size_t)w_;					\
} while (0)
	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (it->file != NULL && it->file[0] != '\0') {
		if (it->line > 0)
			PUT("%s:%lu: ", it->file, it->line);
		else
			PUT("%s: ", it->file);
	}
	if (it->label != NULL && (it->file == NULL ||
	    strcmp(it->label, it->file) != 0))
		PUT("%s: ", it->label);
	if (it->owner != NULL && it->type != 0 && it->covered != 0)
		PUT("%s %s %s: ", it->owner, rrtype_name(it->type, tb),
		    rrtype_name(it->covered, cb));
	else if (it->owner != NULL && it->type != 0)
		PUT("%s %s: ", it->owner, rrtype_name(it->type, tb));
	else if (it->owner != NULL)
		PUT("%s: ", it->owner);
	if (it->has_key)
		PUT("key %u/%u: ", it->tag, it->alg);
	PUT("%s", it->text);
	if (it->check != NULL && it->cite != NULL)
		PUT(" (%s, %s)", it->check, it->cite);
	else if (it->check != NULL || it->cite != NULL)
		PUT(" (%s)", it->check != NULL ? it->check : it->cite);
#undef PUT
	return o < len ? o : len - 1;
}

/* A JSON string (RFC 8259 §7), quotes included; NULL is null. */
void
report_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			putc(*p, f);
	}
	putc('"', f);
}
