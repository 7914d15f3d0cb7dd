/*
 * See sigverify.h.
 */
#include <stdlib.h>

#include "crypto.h"
#include "keyring.h"
#include "rrsig.h"
#include "sigverify.h"
#include "workpool.h"
#include "zone.h"

/* Jobs per chunk a thread takes: small enough to balance RSA against
 * ECDSA, large enough that the lock is cold. */
#define CHUNK	64

struct scratch {
	uint8_t		*buf;
	size_t		 cap;
};

struct run {
	const struct zone	*z;
	struct sigverify_job	*job;
	const struct keyring	*kr;
	const uint64_t		*prefer;
	struct scratch		*scratch;
};

/* Try the keys with the signature's tag and algorithm, preferred ones
 * in the first round, the others in the second. */
static int32_t
try_keys(const struct run *r, const struct wire_rrsig *s, const uint8_t *data,
    size_t len)
{
	const struct keyring *kr = r->kr;
	int round, found = 0, usable = 0;
	size_t i;

	for (round = 0; round < 2; round++)
		for (i = 0; i < kr->n; i++) {
			const struct keyring_key *k = &kr->key[i];
			int pref = r->prefer != NULL &&
			    keyring_set_has(r->prefer, i);
			if (k->tag != s->key_tag || k->alg != s->algorithm ||
			    pref != (round == 0))
				continue;
			found = 1;
			if (k->pk == NULL)
				continue;
			usable = 1;
			if (crypto_pubkey_verify(k->pk, data, len, s->sig,
			    s->sig_len) == 1)
				return (int32_t)i;
		}
	if (!found)
		return SIGVERIFY_NOKEY;
	return usable ? SIGVERIFY_BAD : SIGVERIFY_UNUSABLE;
}

static void
verify_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct run *r = arg;
	struct scratch *sc = &r->scratch[thread];
	size_t i, len;

	for (i = begin; i < end; i++) {
		struct sigverify_job *j = &r->job[i];
		const struct rr *sig = &r->z->rr[j->sig];
		struct wire_rrsig s;

		if (wire_rrsig(&s, sig->rdata, sig->rdlen) != 0 ||
		    rrsig_signed_data(&s, &r->z->rr[j->set], j->nset,
		    &sc->buf, &sc->cap, &len) != 0) {
			j->key = SIGVERIFY_DATA;
			continue;
		}
		j->key = try_keys(r, &s, sc->buf, len);
	}
}

/*
 * Verify the jobs on threads threads.  prefer (a key set, or NULL) lists
 * the keys to try first.  Returns 0, or -1 when memory is short.
 */
int
sigverify_run(const struct zone *z, struct sigverify_job *job, size_t n,
    const struct keyring *kr, const uint64_t *prefer, unsigned threads)
{
	struct run r;
	unsigned i;

	if (threads < 1)
		threads = 1;
	r.z = z;
	r.job = job;
	r.kr = kr;
	r.prefer = prefer;
	if ((r.scratch = calloc(threads, sizeof(*r.scratch))) == NULL)
		return -1;
	(void)workpool_run(n, CHUNK, threads, verify_some, &r);
	for (i = 0; i < threads; i++)
		free(r.scratch[i].buf);
	free(r.scratch);
	return 0;
}
