/*
 * The signing pool: the candidates verified and the new signatures
 * made on threads (lib/workpool.c), each thread with its own signers and
 * scratch space, ECDSA in batches; the jitter of expiration times.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "arena.h"
#include "crypto.h"
#include "denial.h"
#include "diag.h"
#include "dname.h"
#include "dnskey.h"
#include "dnstime.h"
#include "keyfile.h"
#include "nsecchain.h"
#include "report.h"
#include "rrsig.h"
#include "rrtype.h"
#include "workpool.h"
#include "zone.h"
#include "zsign.h"
#include "zsign-int.h"

/* Per-thread scratch: a buffer for signed data and, per key, a signer
 * (crypto_signer) and a checker (crypto_selfcheck). */
int
zsign_make_scratch(struct signer *s)
{
	size_t n = (size_t)s->threads * s->nkey, i;

	if ((s->buf = calloc(s->threads, sizeof(*s->buf))) == NULL ||
	    (s->bufcap = calloc(s->threads, sizeof(*s->bufcap))) == NULL ||
	    (s->chk = calloc(n, sizeof(*s->chk))) == NULL ||
	    (s->sg = calloc(n, sizeof(*s->sg))) == NULL)
		return zsign_oom(s);
	for (i = 0; i < n; i++)
		if ((s->chk[i] = crypto_selfcheck_new(s->key[i % s->nkey].kf,
		    s->d)) == NULL ||
		    (s->sg[i] = crypto_signer_new(s->key[i % s->nkey].kf,
		    s->d)) == NULL)
			return -1;
	for (i = 0; i < s->nkey; i++)
		if (zsign_own_pubkey(s, i) != 0)
			return -1;
	return 0;
}

void
zsign_free_scratch(struct signer *s)
{
	size_t i;

	if (s->chk != NULL)
		for (i = 0; i < (size_t)s->threads * s->nkey; i++)
			crypto_selfcheck_free(s->chk[i]);
	if (s->sg != NULL)
		for (i = 0; i < (size_t)s->threads * s->nkey; i++)
			crypto_signer_free(s->sg[i]);
	free(s->sg);
	for (i = 0; i < s->nkey; i++)
		crypto_pubkey_free(s->ownpk[i]);
	if (s->buf != NULL)
		for (i = 0; i < s->threads; i++)
			free(s->buf[i]);
	free(s->chk);
	free(s->buf);
	free(s->bufcap);
}

static void
thread_fail(struct signer *s, const char *fmt, const uint8_t *owner,
    uint16_t type)
{
	char name[DNAME_MAXTEXT], t[16];

	pthread_mutex_lock(&s->lock);
	if (!s->failed) {
		s->failed = true;
		dname_to_text(owner, name);
		diag_set(&s->fail, NULL, 0, fmt, name, rrtype_name(type, t));
	}
	pthread_mutex_unlock(&s->lock);
}

/* A signature not made: the signer's reason (a token's return code,
 * pkcs11.h) when it has one. */
static void
sign_fail(struct signer *s, const struct crypto_signer *sg,
    const struct rr *set)
{
	const char *why = crypto_signer_error(sg);
	char fmt[2 * sizeof(s->fail.msg) + 32];
	size_t o;

	/* The reason goes into thread_fail()'s format: its '%' doubled. */
	o = (size_t)snprintf(fmt, sizeof(fmt), "%%s %%s: signing failed%s",
	    *why ? ": " : "");
	for (; *why != '\0' && o + 3 < sizeof(fmt); why++) {
		if (*why == '%')
			fmt[o++] = '%';
		fmt[o++] = *why;
	}
	fmt[o] = '\0';
	thread_fail(s, fmt, set->owner, set->type);
}

static void
batch_run(struct signer *s, unsigned thread, struct batch *b, size_t k)
{
	int8_t ok[CRYPTO_SELFCHECK_BATCH];
	size_t i, n;

	n = crypto_selfcheck_run(s->chk[thread * s->nkey + k], ok);
	for (i = 0; i < n && i < b->n[k]; i++)
		*b->slot[k][i] = ok[i];
	b->n[k] = 0;
}

void
zsign_batch_add(struct signer *s, unsigned thread, struct batch *b, size_t k,
    const uint8_t *data, size_t len, const struct wire_rrsig *r, int8_t *slot)
{
	struct crypto_selfcheck *c = s->chk[thread * s->nkey + k];

	if (b->n[k] == CRYPTO_SELFCHECK_BATCH)
		batch_run(s, thread, b, k);
	(void)crypto_selfcheck_add(c, data, len, r->sig, r->sig_len);
	b->slot[k][b->n[k]++] = slot;
}

void
zsign_batch_finish(struct signer *s, unsigned thread, struct batch *b)
{
	size_t k;

	for (k = 0; k < s->nkey; k++)
		if (b->n[k] > 0)
			batch_run(s, thread, b, k);
}

/* Our key with this tag and algorithm: its index, -1 for none, -2 when
 * two of ours share them (then each is tried in turn). */
int
zsign_own_key(const struct signer *s, uint16_t tag, uint8_t alg)
{
	size_t k;
	int found = -1;

	for (k = 0; k < s->nkey; k++)
		if (s->tag[k] == tag && s->alg[k] == alg)
			found = found == -1 ? (int)k : -2;
	return found;
}

/* A signature that two keys of ours could have made: each tried. */
int8_t
zsign_check_each(struct signer *s, unsigned thread, const uint8_t *data,
    size_t len, const struct wire_rrsig *r)
{
	size_t k;

	for (k = 0; k < s->nkey; k++)
		if (s->tag[k] == r->key_tag && s->alg[k] == r->algorithm &&
		    crypto_selfcheck(s->chk[thread * s->nkey + k], data, len,
		    r->sig, r->sig_len))
			return 1;
	return 0;
}

/* Verify input signatures: ours with the key pair, another's with every
 * key of the DNSKEY RRset that has its tag and algorithm. */
void
zsign_verify_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct signer *s = arg;
	struct batch b;
	size_t i, j, len;
	struct wire_rrsig r;

	memset(b.n, 0, sizeof(b.n));
	for (i = begin; i < end; i++) {
		struct vjob *v = &s->vjob[i];
		const struct rr *sig = &s->insig[v->sig];

		v->ok = 0;
		if (wire_rrsig(&r, sig->rdata, sig->rdlen) != 0 ||
		    rrsig_signed_data(&r, &s->z->rr[v->set], v->nset,
		    &s->buf[thread], &s->bufcap[thread], &len) != 0)
			continue;
		if (v->key >= 0) {
			zsign_batch_add(s, thread, &b, (size_t)v->key,
			    s->buf[thread], len, &r, &v->ok);
			continue;
		}
		for (j = 0; j < s->ndk && !v->ok; j++)
			if (s->dk[j].own < 0 && s->dk[j].pk != NULL &&
			    s->dk[j].tag == r.key_tag &&
			    s->dk[j].alg == r.algorithm)
				v->ok = (int8_t)crypto_pubkey_verify(
				    s->dk[j].pk, s->buf[thread], len, r.sig,
				    r.sig_len);
	}
	zsign_batch_finish(s, thread, &b);
}

/*
 * After verification: a pending entry keeps the first of its candidates
 * that verifies, or is signed afresh; another's signature stays if it
 * verified.  A signature two entries could keep (its tag is ours and
 * another's) stays once.  Candidates not kept are counted as dropped.
 */
void
zsign_resolve(struct signer *s)
{
	size_t i, j, set = SIZE_MAX;
	bool tried = false, held = false;

	for (i = 0; i < s->nent; i++) {
		struct ent *e = &s->ent[i];
		size_t first = e->aux, end = first + e->naux;
		/* An RRset's entries are together (zsign_plan()). */
		if (e->set != set) {
			if (set != SIZE_MAX)
				zsign_judge_rrset(s, set, tried, held);
			set = e->set;
			tried = held = false;
		}
		held |= e->state == E_SAME;
		if (e->state != E_PENDING && e->state != E_FOREIGN)
			continue;
		tried |= e->naux > 0;
		for (j = first; j < end; j++) {
			const struct vjob *v = &s->vjob[j];
			if (v->ok && s->fate[v->sig] == F_TAKEN &&
			    e->rdata == NULL) {
				e->rdata = s->insig[v->sig].rdata;
				e->rdlen = s->insig[v->sig].rdlen;
				e->aux = v->sig;
				s->fate[v->sig] = F_KEPT;
			}
		}
		held |= e->rdata != NULL;
		if (e->rdata != NULL) {
			e->naux = 0;
			e->state = E_KEEP;
		} else
			e->state = e->state == E_PENDING ? E_FRESH : E_DROP;
	}
	if (set != SIZE_MAX)
		zsign_judge_rrset(s, set, tried, held);
	for (j = 0; j < s->nvjob; j++) {
		const struct vjob *v = &s->vjob[j];
		if (s->fate[v->sig] == F_TAKEN)
			zsign_drop_sig(s, v->sig, v->ok ? ZSIGN_DROP_REPLACED :
			    ZSIGN_DROP_BAD);
	}
}

/*
 * The jitter of a signature's expiration: a keyed hash (SipHash-2-4) of
 * owner, type and key under the seed, so that it is spread but the same
 * in every run and on any number of threads.
 */
static uint32_t
jitter(const struct signer *s, const struct rr *r, int k)
{
	uint8_t in[DNAME_MAXLEN + 5], h[crypto_shorthash_BYTES];
	size_t n = dname_len(r->owner);
	uint64_t v = 0;
	int i;

	if (s->p->jitter == 0)
		return 0;
	memcpy(in, r->owner, n);
	*wire_put16(wire_put16(in + n, r->type), s->tag[k]) = s->alg[k];
	crypto_shorthash(h, in, n + 5, s->p->seed);
	for (i = 0; i < 8; i++)
		v = v << 8 | h[i];	/* wire-lint: not wire: a hash */
	return (uint32_t)(v % ((uint64_t)s->p->jitter + 1));
}

/* Make the new signatures: RRSIG RDATA (RFC 4034 §3.1) into the block,
 * each at its own offset; the signature fields are all written when
 * the thread's signers have run. */
static void
sign_some(size_t begin, size_t end, unsigned thread, void *arg)
{
	struct signer *s = arg;
	struct crypto_signer **sg = s->sg + (size_t)thread * s->nkey;
	struct wire_rrsig r;
	const struct rr *last = NULL;
	size_t i, len, hl, j;

	for (i = begin; i < end && !s->failed; i++) {
		struct ent *e = &s->ent[s->fresh[i]];
		const struct rr *set = &s->z->rr[e->set];
		uint8_t *out = s->block + s->off[i];
		int k = e->key;

		memset(&r, 0, sizeof(r));
		r.covered = set->type;
		r.algorithm = s->alg[k];
		r.labels = (uint8_t)dname_rrsig_labels(set->owner);
		r.original_ttl = set->ttl;
		r.expiration = (zsign_is_key_rrset(s,
		    set) ? s->p->key_expiration :
		    s->p->expiration) - jitter(s, set, k);
		r.inception = s->p->inception;
		r.key_tag = s->tag[k];
		r.signer = s->apex;
		r.signer_len = dname_len(s->apex);
		if (rrsig_signed_data(&r, set, e->nset, &s->buf[thread],
		    &s->bufcap[thread], &len) != 0) {
			thread_fail(s, "%s %s: out of memory", set->owner,
			    set->type);
			return;
		}
		hl = rrsig_header(&r, out);
		if (hl + s->siglen[k] > s->off[i + 1] - s->off[i] ||
		    crypto_signer_add(sg[k], s->buf[thread], len,
		    out + hl) != 0) {
			sign_fail(s, sg[k], set);
			return;
		}
		e->rdata = out;
		e->rdlen = (uint16_t)(hl + s->siglen[k]);
		last = set;
	}
	for (j = 0; j < s->nkey && last != NULL; j++)
		if (crypto_signer_run(sg[j]) != 0) {
			thread_fail(s, "%s %s: signing failed (or an RRset "
			    "signed just before it)", last->owner, last->type);
			return;
		}
}

/*
 * Chunks small enough for the threads to finish together when signing
 * is slow: with a key in a token, a chunk of 256 is a fifth of a second
 * of SoftHSM's ECDSA, and the thread that takes the last one works on
 * alone.  At least 64, an ECDSA batch (ecdsa.h), so that a key file's
 * batches stay full.
 */
static size_t
sign_chunk(const struct signer *s)
{
	size_t c = s->nfresh / ((size_t)s->threads * 32);

	return c < 64 ? 64 : c > SIGN_CHUNK ? SIGN_CHUNK : c;
}

int
zsign_sign_fresh(struct signer *s)
{
	size_t i, n = 0, total = 0, alen = dname_len(s->apex);

	for (i = 0; i < s->nent; i++)
		n += s->ent[i].state == E_FRESH;
	if ((s->fresh = malloc((n ? n : 1) * sizeof(*s->fresh))) == NULL ||
	    (s->off = malloc((n + 1) * sizeof(*s->off))) == NULL)
		return zsign_oom(s);
	for (i = 0; i < s->nent; i++)
		if (s->ent[i].state == E_FRESH) {
			s->off[s->nfresh] = total;
			s->fresh[s->nfresh++] = (uint32_t)i;
			total += WIRE_RRSIG_FIXED + alen +
			    s->siglen[s->ent[i].key];
		}
	s->off[s->nfresh] = total;
	if (n == 0)
		return 0;
	/* The signatures live as long as the zone, in its arena. */
	if ((s->block = arena_alloc(s->z->arena, total)) == NULL)
		return zsign_oom(s);
	workpool_run(s->nfresh, sign_chunk(s), s->threads, sign_some, s);
	if (s->failed) {
		*s->d = s->fail;
		return -1;
	}
	return 0;
}
