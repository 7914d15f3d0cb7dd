/*
 * See keyring.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "diag.h"
#include "dnskey.h"
#include "keyring.h"
#include "wire.h"

void
keyring_init(struct keyring *kr)
{
	memset(kr, 0, sizeof(*kr));
}

void
keyring_free(struct keyring *kr)
{
	size_t i;

	for (i = 0; i < kr->n; i++)
		crypto_pubkey_free(kr->key[i].pk);
	free(kr->key);
	memset(kr, 0, sizeof(*kr));
}

long
keyring_find_rdata(const struct keyring *kr, const uint8_t *rd, size_t len)
{
	size_t i;

	for (i = 0; i < kr->n; i++)
		if (kr->key[i].rdlen == len &&
		    memcmp(kr->key[i].rdata, rd, len) == 0)
			return (long)i;
	return -1;
}

/*
 * Add a DNSKEY RDATA (kept by reference: it must outlive the ring) and
 * return its index, the existing one when the ring has it already;
 * -1 when memory is short or the RDATA is too short for a DNSKEY.  A key whose
 * public key cannot be parsed, or whose algorithm is not supported, is
 * kept with pk NULL and the reason in why.
 */
long
keyring_add(struct keyring *kr, const uint8_t *rd, size_t len)
{
	struct keyring_key *k;
	struct wire_dnskey v;
	struct diag d;
	long i;

	if (wire_dnskey(&v, rd, len) != 0 || v.key_len == 0 || len > 65535)
		return -1;
	if ((i = keyring_find_rdata(kr, rd, len)) >= 0)
		return i;
	if (kr->n == kr->cap) {
		size_t cap = kr->cap ? kr->cap * 2 : 16;
		struct keyring_key *p = realloc(kr->key, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		kr->key = p;
		kr->cap = cap;
	}
	k = &kr->key[kr->n];
	memset(k, 0, sizeof(*k));
	k->rdata = rd;
	k->rdlen = (uint16_t)len;
	k->tag = dnskey_tag(rd, len);
	k->flags = v.flags;
	k->protocol = v.protocol;
	k->alg = v.algorithm;
	if (k->protocol != 3)
		snprintf(k->why, sizeof(k->why), "protocol %u is not 3",
		    k->protocol);
	else if (!crypto_alg_can_verify(k->alg))
		snprintf(k->why, sizeof(k->why), "algorithm %u is not "
		    "supported", k->alg);
	else if ((k->pk = crypto_pubkey_new(k->alg, v.key, v.key_len,
	    &d)) == NULL)
		snprintf(k->why, sizeof(k->why), "%s", d.msg);
	return (long)kr->n++;
}

size_t
keyring_words(const struct keyring *kr)
{
	return (kr->n + 63) / 64 + (kr->n == 0);
}

uint64_t *
keyring_set_new(const struct keyring *kr)
{
	return calloc(keyring_words(kr), sizeof(uint64_t));
}

void
keyring_set_add(uint64_t *s, size_t i)
{
	s[i / 64] |= (uint64_t)1 << (i % 64);
}

bool
keyring_set_has(const uint64_t *s, size_t i)
{
	return (s[i / 64] >> (i % 64)) & 1;
}

bool
keyring_set_meets(const uint64_t *a, const uint64_t *b, size_t words)
{
	size_t i;

	for (i = 0; i < words; i++)
		if (a[i] & b[i])
			return true;
	return false;
}

bool
keyring_set_empty(const uint64_t *a, size_t words)
{
	size_t i;

	for (i = 0; i < words; i++)
		if (a[i] != 0)
			return false;
	return true;
}
