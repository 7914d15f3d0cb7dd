/*
 * The timing metadata of a BIND key pair, as dnssec-keygen -P -A -I -D
 * and dnssec-settime write it: when the DNSKEY is to be published
 * (Publish), when the key is to sign (Activate), when it stops signing
 * (Inactive) and when its DNSKEY goes (Delete); and when the CDS and
 * CDNSKEY of the key go out to the parent (SyncPublish) and are taken
 * back (SyncDelete; RFC 7344 section 4, dnssec-settime -Psync -Dsync).
 * The .private file has
 * them as "Publish: YYYYMMDDHHmmSS" lines, the .key file as comments
 * "; Publish: YYYYMMDDHHmmSS (text)"; a time the .private file gives is
 * the one taken.  A time that is absent does not bound: a key without
 * any is published and active at any time.
 */
#ifndef KEYTIME_H
#define KEYTIME_H

#include <stdbool.h>
#include <stdint.h>

struct diag;

enum { KEYTIME_PUBLISH, KEYTIME_ACTIVATE, KEYTIME_INACTIVE, KEYTIME_DELETE,
	KEYTIME_SYNCPUBLISH, KEYTIME_SYNCDELETE, KEYTIME_N };

struct keytime {
	int64_t		 t[KEYTIME_N];	/* seconds since the epoch */
	bool		 set[KEYTIME_N];
};

int		 keytime_load(const char *, const char *, struct keytime *,
		    struct diag *);
bool		 keytime_published(const struct keytime *, int64_t);
bool		 keytime_active(const struct keytime *, int64_t);
bool		 keytime_synced(const struct keytime *, int64_t);
const char	*keytime_name(int);

#endif
