/*
 * Editing the apex of a zone, as zadd-bero-ns and zmerge-dnskey do:
 * read a zone and the fragments that describe a change, mark records to
 * drop, add records, give a changed RRset one TTL (RFC 2181 §5.2), drop
 * the signatures that no longer cover their RRset, and write the result
 * in canonical form, all or nothing.
 *
 * An edit decides which signatures to keep by the type they cover and
 * the key that made them: zedit_sig() gives an RRSIG record's fields
 * (RFC 4034 §3.1) as lib/wire.h's view, struct wire_rrsig.
 */
#ifndef ZEDIT_H
#define ZEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct rr;
struct wire_rrsig;
struct zone;

const char	*zedit_name(const char *);
int		 zedit_load_part(struct zone *, const char *,
		    const struct zone *, struct diag *);
bool		 zedit_sig(const struct rr *, struct wire_rrsig *);
bool		 zedit_sig_covers(const struct rr *, uint16_t);
bool		 zedit_sig_later(uint32_t, uint32_t);
bool		 zedit_rrset_ttl(const struct zone *, const uint8_t *,
		    uint16_t, uint32_t *, bool *);
void		 zedit_set_ttl(struct zone *, const uint8_t *, uint16_t,
		    uint32_t);
size_t		 zedit_mark_sigs(const struct zone *, const uint8_t *,
		    uint16_t, bool *);
void		 zedit_remove_marked(struct zone *, const bool *);
int		 zedit_merge(struct zone *, size_t);
int		 zedit_write(struct zone *, const char *, struct diag *);

#endif
