/*
 * A zone in memory: records in wire form, in an arena, each with the file
 * and line it came from.  After zone_sort() the records are in canonical
 * order (RFC 4034 §6.1 and §6.3), duplicates removed, so that RRsets are
 * runs of records with equal owner, class and type.
 */
#ifndef ZONE_H
#define ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct diag;

#define ZONE_INTERN	16384	/* slots of the RDATA cache */

struct rr {
	const uint8_t	*owner;	/* wire form, lower case, may be shared */
	const uint8_t	*rdata;	/* canonical form (RFC 4034 §6.2) */
	uint32_t	 ttl;
	uint16_t	 type;
	uint16_t	 rclass;
	uint16_t	 rdlen;
	uint16_t	 file;	/* index into zone.files; 0 is "no file" */
	uint32_t	 line;
};

struct zone {
	struct arena	*arena;
	struct rr	*rr;
	size_t		 n, cap;
	char		**files;	/* files[0] is "" */
	size_t		 nfiles;
	const uint8_t	*apex;		/* set by zone_find_apex() */
	const uint8_t	**intern;	/* RDATA cache, see zone_add() */
	struct arena	*interned;	/* the RDATA it holds */
	const uint8_t	*last_owner;	/* the last owner added, */
	size_t		 last_olen;	/* and its length */
	bool		 sorted;
	unsigned	 pieces;	/* the last large file was read in so
					 * many pieces at once (zread.c); 0:
					 * in one go */
	struct zone	*part;		/* appended, see zone_append() */
};

/* Where a record stands relative to the zone cuts (RFC 4035 §2.2). */
/* zone_load() flags */
#define ZONE_LOAD_SORT		0x1	/* canonical order */
#define ZONE_LOAD_FRAGMENT	0x2	/* no SOA needed: not a whole zone */
#define ZONE_LOAD_INCLUDE	0x4	/* $INCLUDE honoured (zread.c) */

enum rr_where {
	RR_AUTH,	/* authoritative data: signed, in the denial chain */
	RR_DELEG,	/* NS of a delegation point: not signed */
	RR_GLUE,	/* address record at or below a zone cut: not signed */
	RR_OCCLUDED	/* other data below a zone cut or a DNAME */
};

struct zone	*zone_new(void);
void		 zone_free(struct zone *);
int		 zone_read_file(struct zone *, const char *, const char *,
		    struct diag *);
int		 zone_read_string(struct zone *, const char *, const char *,
		    size_t, const char *, struct diag *);
int		 zone_load(struct zone *, const char *, const char *, int,
		    struct diag *);
struct rr	*zone_add(struct zone *, const uint8_t *, uint16_t, uint16_t,
		    uint32_t, const uint8_t *, size_t, const char *, uint32_t);
struct rr	*zone_add_at(struct zone *, const uint8_t *, uint16_t,
		    uint16_t, uint32_t, const uint8_t *, size_t, uint16_t,
		    uint32_t);
uint64_t	 zone_prepare(uint16_t, uint8_t *, size_t, uint8_t *, size_t);
void		 zone_prefetch(const struct zone *, uint64_t, int);
struct rr	*zone_add_prepared(struct zone *, const uint8_t *, size_t,
		    uint16_t, uint16_t, uint32_t, const uint8_t *, size_t,
		    uint64_t, uint16_t, uint32_t);
int		 zone_append(struct zone *, struct zone *, uint32_t);
uint16_t	 zone_file_index(struct zone *, const char *);
const char	*zone_rr_file(const struct zone *, const struct rr *);
/* For programs: bad input found in a record, said at its file and line
 * (diag_die()), exit 2.  It lives here, not in diag.c, so that the
 * diagnostics stay below the records (lib/README). */
void		 zone_die_rr(const struct zone *, const struct rr *,
		    const char *, ...)
		    __attribute__((noreturn, format(printf, 3, 4)));
void		 zone_sort(struct zone *);
int		 zone_find_apex(struct zone *, const char *, struct diag *);
void		 zone_remove_if(struct zone *,
		    bool (*)(const struct rr *, void *), void *);
size_t		 zone_rrset_end(const struct zone *, size_t);
size_t		 zone_name_end(const struct zone *, size_t);
size_t		 zone_find(const struct zone *, const uint8_t *, uint16_t);
uint8_t		*zone_classify(const struct zone *);
int		 rr_canon_cmp(const struct rr *, const struct rr *);
bool		 rr_same_set(const struct rr *, const struct rr *);

#endif
