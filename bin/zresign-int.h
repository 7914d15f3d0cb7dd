/*
 * What the files of zresign share: the options as given (struct args),
 * the job the program works with (struct job), and the functions its
 * pieces export.  bin/zresign.c reads the options, the keys and the
 * zones, signs and writes; bin/parts/zresign/cds.c makes, keeps or drops
 * the CDS and CDNSKEY RRsets (-c); bin/parts/zresign/timing.c reads the
 * keys' timing metadata (-m); bin/parts/zresign/serial.c sets the SOA
 * serial (-s).
 */
#ifndef ZRESIGN_INT_H
#define ZRESIGN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keyfile.h"
#include "zone.h"
#include "zsign.h"

#define DAY		86400
#define DEF_VALIDITY	(30 * DAY)	/* expiration, from now */
#define DEF_SKEW	3600		/* inception, before now */

/* What becomes of the CDS and CDNSKEY RRsets (-c). */
enum cds { CDS_KEEP, CDS_PUBLISH, CDS_DELETE, CDS_DROP };

enum serial { SERIAL_KEEP, SERIAL_INCREMENT, SERIAL_UNIXTIME, SERIAL_DATE,
	SERIAL_SET };

/* What the options say, as given. */
struct args {
	const char	*keyname[ZSIGN_MAXKEYS];
	int		 keyrole[ZSIGN_MAXKEYS];	/* 0: flags */
	size_t		 nkeys;
	const char	*inception, *expiration, *key_expiration;
	const char	*refresh, *jitter, *seed, *salt, *iterations;
	const char	*now, *threads, *serial, *foreign, *cds;
	const char	*outpath, *origin, *prevpath, *in;
	const char	*pin;		/* -p: a PIN file or env:NAME */
	bool		 nsec3, nsec, optout, no_optout, quiet, weak, zonemd,
			 timing;
	int		 verbose;
};

/* What the program works with. */
struct job {
	struct args		 a;
	struct zsign_params	 p;
	struct zsign_key	 key[ZSIGN_MAXKEYS];
	struct keyfile		*kf[ZSIGN_MAXKEYS];
	size_t			 nkeys;		/* given */
	bool			 publish[ZSIGN_MAXKEYS];	/* at -t */
	bool			 sign[ZSIGN_MAXKEYS];
	bool			 sync[ZSIGN_MAXKEYS];	/* CDS, at -t */
	size_t			 nsign;		/* key[] to sign with */
	enum serial		 serial;
	enum cds		 cds;
	uint32_t		 serial_set;	/* -s number */
	uint32_t		 serial_in;	/* the input's SOA serial */
	struct zone		*z, *prev;
	struct zsign_report	 rep;
	double			 t_read;	/* seconds, for -vv */
	unsigned		 zonemd_algs;	/* ZONEMD hash algorithms, bits */
	uint32_t		 zonemd_ttl;
	bool			 zonemd_ttl_set;
};

/* bin/parts/zresign/cds.c */
void		 zr_edit_cds(struct job *);

/* bin/parts/zresign/timing.c */
void		 zr_settle_timing(struct job *);
bool		 zr_is_unpublished(const struct rr *, void *);

/* bin/parts/zresign/serial.c */
void		 zr_note_input(struct job *);
void		 zr_set_serial(struct job *);
void		 zr_warn_kept_serial(const struct job *);

#endif
