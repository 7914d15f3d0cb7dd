/*
 * The pieces of the reader (zone_read_file() and the others of zone.h),
 * shared between lib/zread.c (reading a text with libzscanner, record by
 * record), lib/zread-pieces.c (a large file read in pieces on every core)
 * and lib/zread-stdin.c (standard input read as a file is): the reader's
 * state and the functions one piece calls in another.  Private to those
 * files.
 */
#ifndef ZREAD_INT_H
#define ZREAD_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libzscanner/scanner.h>

#include "diag.h"
#include "zone.h"
#include "zpipe.h"

#define DEFAULT_TTL	3600

#define RELEASE_EVERY	65536

#define LOOK_EVERY	4096	/* records between a piece's looks at stop */

#define THREAD_FROM	(1 << 20)	/* input octets worth a second thread */

#define SPLIT_FROM	(8 << 20)	/* input octets worth reading in halves */

#define MAX_INCLUDE_DEPTH	16

#define ORIGIN_MAX	sizeof(((zs_scanner_t *)0)->zone_origin)

struct reader {
	struct zone	*z;
	struct diag	*d;
	const char	*name;		/* name of the top-level input */
	int		 retry;		/* a binary field to rejoin */
	int		 depth;		/* of $INCLUDE */
	struct zpipe	*pipe;
	const char	*last_file;	/* zone_file_index() of it: */
	uint16_t	 last_index;
	int		 split;		/* may read the file in pieces */
	int		 piece;		/* reads a piece of a large file */
	int		 include_ok;	/* $INCLUDE honoured, see include() */
	int		 stdin_file;	/* standard input read as a file */
	unsigned long	 zeroed;	/* TTLs over 2^31 - 1 taken as 0, */
	struct diag	 zeroed_at;	/* the first of them */
};

#define PIECES		8	/* of a large file, read on every core */

/*
 * A large file is read in pieces at once (see pieces_start()): piece 0
 * by the calling thread's own scanner, pieces 1 to n - 1 each by a
 * scanner of its own into a zone of its own, on whichever thread is
 * free, started in the state the file is in after its first record.
 */
struct piece {
	const char	*start, *end;	/* its text, which ends in a newline */
	struct zone	*z;
	struct diag	 d;
	uint32_t	 lines;		/* newlines in it */
	int		 ok;		/* read to its end without trouble */
	uint8_t		 origin[ORIGIN_MAX];	/* the state it ended in */
	uint32_t	 origin_len, ttl;
	uint16_t	 rclass;
	int		 last_default;	/* the last record had that class */
};

struct pieces {
	struct reader		 rd;	/* the caller's, a model for each */
	const char		*file, *base;
	pthread_mutex_t		 lock;
	int			 n;	/* pieces, 0 the caller's */
	int			 next;	/* the next one to read */
	int			 stop;	/* the caller gave up on them */
	struct piece		 p[PIECES];
	pthread_t		 tid[PIECES];
	int			 threads;
	uint8_t			 origin[ORIGIN_MAX];	/* the state every */
	uint32_t		 origin_len, ttl;	/* piece starts in */
	uint16_t		 rclass;
};

struct escape {
	const char	*at;		/* the first escape over 255, or NULL */
	unsigned long	 line;		/* its line */
};

struct spool {
	char		 path[64];	/* /dev/fd/N, to read the file by */
	int		 fd;		/* to close, -1 for none */
	char		*text;		/* or the text, in memory */
	size_t		 len;
};

/* lib/zread.c: records and texts. */
/* One record of the scanner, checked and stored. */
int		 zread_add_record(struct reader *rd, const zs_scanner_t *s,
		    const char *file);
/* Newlines in [p, end), eight octets at a time: an octet of w ^ 0x0a..
 * is zero where w holds a newline, and its high bit in t is then clear
 * (exactly then: no carry crosses octets). */
uint32_t	 zread_newlines(const char *p, const char *end);
/* The rest of f after the n octets of buf (malloc'd, or NULL). */
char		*zread_slurp_onto(FILE *f, char *buf, size_t n, size_t *len);
/* All of f (malloc'd, or NULL). */
char		*zread_slurp(FILE *f, size_t *len);

/* lib/zread-pieces.c: a large file in pieces. */
/* The pieces' threads stopped and their memory freed. */
void		 zread_pieces_free(struct pieces *ps);
/*
 * Cut a large file into pieces to read at once, libzscanner being the
 * larger part of reading.  Each cut is a newline near an nth of the file
 * followed by an owner, and every piece but the first starts in the
 * state the first one is in now, after its first record: the origin, the
 * default TTL and the class.  Whether that is sound is only known when
 * the pieces are joined (pieces_join()); until then they are guesses.
 * Threads read the pieces in turn, one per core beside the caller's.
 * Returns NULL when there is no cut.
 */
struct pieces	*zread_pieces_start(const struct reader *rd,
		    const zs_scanner_t *s, const char *file);
/*
 * The caller's scanner has read the record that ends at the first cut.
 * It helps read the pieces left, and then takes them all, in order, if
 * each was read to its end without trouble and the state before it
 * (the caller's scanner's now, then each piece's at its end) is the one
 * it started in.  Returns 0 when they were taken; otherwise none is, and
 * the caller reads on from the cut.
 */
int		 zread_pieces_join(struct reader *rd, struct pieces *ps,
		    const zs_scanner_t *s);

/* lib/zread-stdin.c: standard input. */
/* Standard input as a path to read it by, or as text; -1 (errno) when
 * it could not be read. */
int		 zread_stdin_open(struct spool *sp, int include);

#endif
