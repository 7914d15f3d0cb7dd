/*
 * The DNSKEYs a check knows of, each once: the apex DNSKEY RRsets of
 * every zone given, merged by RDATA, each public key parsed once
 * (crypto_pubkey_new()) and shared by every thread that verifies with
 * it.  Keys are found by key tag and algorithm, which only narrows the
 * search: key tags collide (RFC 4034 Appendix B), so a signature is
 * tried against every key that carries its tag and algorithm.
 *
 * Sets of keys (a zone's DNSKEY RRset, the keys whose signatures over
 * an RRset are good) are bit sets over the ring's indexes, of
 * keyring_words() words each.
 */
#ifndef KEYRING_H
#define KEYRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct crypto_pubkey;

struct keyring_key {
	const uint8_t	*rdata;		/* the zone's copy */
	uint16_t	 rdlen;
	uint16_t	 tag;
	uint16_t	 flags;
	uint8_t		 protocol;
	uint8_t		 alg;
	struct crypto_pubkey *pk;	/* NULL when it cannot be used */
	char		 why[800];	/* and why not */
};

struct keyring {
	struct keyring_key *key;
	size_t		 n, cap;
};

void		 keyring_init(struct keyring *);
void		 keyring_free(struct keyring *);
long		 keyring_add(struct keyring *, const uint8_t *, size_t);
long		 keyring_find_rdata(const struct keyring *, const uint8_t *,
		    size_t);
size_t		 keyring_words(const struct keyring *);
uint64_t	*keyring_set_new(const struct keyring *);
void		 keyring_set_add(uint64_t *, size_t);
bool		 keyring_set_has(const uint64_t *, size_t);
bool		 keyring_set_meets(const uint64_t *, const uint64_t *, size_t);
bool		 keyring_set_empty(const uint64_t *, size_t);

#endif
