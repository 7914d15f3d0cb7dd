/*
 * DNSKEY RDATA (RFC 4034 §2.1): flags, protocol, algorithm, public key;
 * the key tag (RFC 4034 Appendix B) and algorithm names (IANA registry,
 * RFC 8624 for what may be used).
 */
#ifndef DNSKEY_H
#define DNSKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNSKEY_F_ZONE	0x0100	/* RFC 4034 §2.1.1 */
#define DNSKEY_F_SEP	0x0001	/* RFC 4034 §2.1.1 */
#define DNSKEY_F_REVOKE	0x0080	/* RFC 5011 §3 */

uint16_t	 dnskey_flags(const uint8_t *);
uint8_t		 dnskey_protocol(const uint8_t *);
uint8_t		 dnskey_algorithm(const uint8_t *);
uint16_t	 dnskey_tag(const uint8_t *, size_t);
bool		 dnskey_rdata_ok(const uint8_t *, size_t);
const char	*dnskey_alg_name(uint8_t);
bool		 dnskey_alg_supported(uint8_t);
bool		 dnskey_alg_may_sign(uint8_t);

#endif
