/*
 * The findings of a checker: problems (the check failed) and warnings
 * (worth saying, not a failure), kept in the order they were found, each
 * with its place (input file and line), the zone it concerns, the owner
 * and type, the key where one is involved, the check it belongs to (the
 * G1-G10 of the migration procedure) and the rule it cites.  The program
 * prints them, one per line, or writes them as JSON.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct rr;
struct zone;

enum report_kind {
	REPORT_PROBLEM,
	REPORT_WARNING
};

/* Where and what: fill with report_at() or report_at_rr(), then set the
 * fields that apply.  Strings other than the owner must outlive the
 * report (labels, file names and citations are). */
struct report_where {
	const char	*label;		/* the zone, NULL for none */
	const char	*file;		/* the place, NULL for none */
	unsigned long	 line;		/* 0 for none */
	const uint8_t	*owner;		/* wire form, NULL for none */
	uint16_t	 type;		/* 0 for none */
	uint16_t	 covered;	/* of an RRSIG, 0 for none */
	bool		 has_key;
	uint16_t	 tag;
	uint8_t		 alg;
	const char	*check;		/* "G1".."G10", NULL for none */
	const char	*cite;		/* "RFC 4035 section 2.2", or NULL */
};

struct report_item {
	enum report_kind kind;
	const char	*label, *file, *check, *cite;
	unsigned long	 line;
	const char	*owner;		/* text, NULL for none */
	uint16_t	 type, covered;
	bool		 has_key;
	uint16_t	 tag;
	uint8_t		 alg;
	const char	*text;
};

struct report {
	struct report_item *item;
	size_t		 n, cap;
	size_t		 problems, warnings;
	struct arena	*arena;
	struct arena	**taken;	/* the arenas of reports taken over */
	size_t		 ntaken;
	bool		 failed;	/* out of memory: a finding was lost */
};

void	 report_init(struct report *);
void	 report_free(struct report *);
void	 report_at(struct report_where *, const char *, const char *,
	    unsigned long);
void	 report_at_rr(struct report_where *, const char *,
	    const struct zone *, const struct rr *);
void	 report_key(struct report_where *, uint16_t, uint8_t);
void	 report_add(struct report *, enum report_kind,
	    const struct report_where *, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
void	 report_vadd(struct report *, enum report_kind,
	    const struct report_where *, const char *, va_list);
int	 report_take(struct report *, struct report *);
size_t	 report_line(const struct report_item *, char *, size_t);
void	 report_json_string(FILE *, const char *);

#endif
