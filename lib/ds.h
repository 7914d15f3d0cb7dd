/*
 * DS records (RFC 4034 §5): the digest of a DNSKEY over the canonical
 * (lower-case, uncompressed) owner name followed by the DNSKEY RDATA
 * (RFC 4034 §5.1.4), with digest type 1 SHA-1 (RFC 4034 Appendix A.2),
 * 2 SHA-256 (RFC 4509) or 4 SHA-384 (RFC 6605 §3).  The same RDATA
 * serves for CDS (RFC 7344 §3.1).
 */
#ifndef DS_H
#define DS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;

#define DS_SHA1		1
#define DS_SHA256	2
#define DS_SHA384	4

/* Key tag, algorithm, digest type and the longest digest (SHA-384). */
#define DS_RDATA_MAX	(4 + 48)

bool		 ds_digest_supported(uint8_t);
size_t		 ds_digest_len(uint8_t);
const char	*ds_digest_name(uint8_t);
int		 ds_make(const uint8_t *, const uint8_t *, size_t, uint8_t,
		    uint8_t *, size_t *, struct diag *);
bool		 ds_matches(const uint8_t *, const uint8_t *, size_t,
		    const uint8_t *, size_t);

#endif
