/*
 * ecdsainv: a test-only driver, built by t/0510-zresign-keys.bats with
 * cc(1) against the library of the build under test, that watches which
 * modular inversions the ECDSA signer makes while it holds secrets.
 *
 *	ecdsainv key n		sign n messages with the key pair (one
 *				batch of n, then n batches of one, as a KSK
 *				signs) and check each signature with the key
 *				pair (crypto_selfcheck) and with the DNSKEY
 *
 * It prints, for each way of batching, how many times BN_mod_inverse()
 * was called while signing and while checking, whether every signature
 * verified with the DNSKEY, and whether both ways gave the same
 * signatures (RFC 6979 nonces make them deterministic).
 *
 * BN_mod_inverse() is OpenSSL's binary extended Euclid: its time depends
 * on the value inverted.  The projective Z of k G, and so the product of
 * the Z of a batch, is a function of the nonce k; so is k' = (e + r d) /
 * s in the check.  The driver defines BN_mod_inverse() itself, which the
 * static library's calls bind to (and libcrypto's own, through its
 * procedure linkage table), counts the calls made while signing or
 * checking, and hands each to libcrypto's.  Set-up is counted apart: its
 * BN_MONT_CTX_set() inverts the public moduli inside libcrypto, so
 * "inversions seen" there shows that the driver does see calls.
 */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "crypto.h"
#include "diag.h"
#include "keyfile.h"

#define NMAX	64

typedef BIGNUM *inverse_fn(BIGNUM *, const BIGNUM *, const BIGNUM *,
    BN_CTX *);

static int watching;
static unsigned long calls, setup;

BIGNUM *
BN_mod_inverse(BIGNUM *r, const BIGNUM *a, const BIGNUM *n, BN_CTX *ctx)
{
	static inverse_fn *real;

	if (real == NULL && (real = (inverse_fn *)dlsym(RTLD_NEXT,
	    "BN_mod_inverse")) == NULL) {
		fprintf(stderr, "ecdsainv: no BN_mod_inverse in libcrypto\n");
		exit(2);
	}
	if (watching)
		calls++;
	return real(r, a, n, ctx);
}

/* Sign the n messages in batches of batch; the calls counted while
 * signing and while checking go to *sign and *check. */
static int
run(const struct keyfile *kf, size_t n, size_t batch,
    uint8_t sig[][CRYPTO_SIG_MAX], unsigned long *sign,
    unsigned long *check, int *verified)
{
	struct crypto_signer *sg;
	struct crypto_selfcheck *c;
	struct diag d;
	char msg[32];
	int8_t ok[CRYPTO_SELFCHECK_BATCH];
	const uint8_t *rd;
	size_t i, j, rdlen, len = crypto_keyfile_sig_len(kf);

	calls = 0;
	watching = 1;
	if ((sg = crypto_signer_new(kf, &d)) == NULL ||
	    (c = crypto_selfcheck_new(kf, &d)) == NULL)
		diag_die(&d);
	watching = 0;
	setup += calls;
	rd = keyfile_rdata(kf, &rdlen);
	*sign = *check = 0;
	*verified = 1;
	for (i = 0; i < n; i += batch) {
		calls = 0;
		watching = 1;
		for (j = i; j < i + batch && j < n; j++) {
			snprintf(msg, sizeof(msg), "message %zu", j);
			if (crypto_signer_add(sg, (const uint8_t *)msg,
			    strlen(msg), sig[j]) != 0)
				return -1;
		}
		if (crypto_signer_run(sg) != 0)
			return -1;
		*sign += calls;
		calls = 0;
		for (j = i; j < i + batch && j < n; j++) {
			snprintf(msg, sizeof(msg), "message %zu", j);
			(void)crypto_selfcheck_add(c, (const uint8_t *)msg,
			    strlen(msg), sig[j], len);
		}
		(void)crypto_selfcheck_run(c, ok);
		*check += calls;
		watching = 0;
		for (j = i; j < i + batch && j < n; j++) {
			snprintf(msg, sizeof(msg), "message %zu", j);
			if (!ok[j - i] || crypto_dnskey_verify(
			    keyfile_algorithm(kf), rd + 4, rdlen - 4,
			    (const uint8_t *)msg, strlen(msg), sig[j],
			    len) != 1)
				*verified = 0;
		}
	}
	crypto_selfcheck_free(c);
	crypto_signer_free(sg);
	return 0;
}

int
main(int argc, char *argv[])
{
	static uint8_t a[NMAX][CRYPTO_SIG_MAX], b[NMAX][CRYPTO_SIG_MAX];
	struct keyfile *kf;
	struct diag d;
	unsigned long s1, c1, sn, cn;
	int v1, vn;
	size_t n;

	diag_init("ecdsainv");
	if (argc != 3 || (n = strtoul(argv[2], NULL, 10)) == 0 || n > NMAX) {
		fprintf(stderr, "usage: ecdsainv key n (1 to %d)\n", NMAX);
		return 2;
	}
	if ((kf = keyfile_load(argv[1], KEYFILE_NEED_PRIVATE, &d)) == NULL)
		diag_die(&d);
	if (run(kf, n, n, a, &sn, &cn, &vn) != 0 ||
	    run(kf, n, 1, b, &s1, &c1, &v1) != 0) {
		fprintf(stderr, "ecdsainv: signing failed\n");
		return 2;
	}
	printf("batch of %zu: %lu inversions signing, %lu checking, %s\n", n,
	    sn, cn, vn ? "verified" : "NOT VERIFIED");
	printf("batches of 1: %lu inversions signing, %lu checking, %s\n", s1,
	    c1, v1 ? "verified" : "NOT VERIFIED");
	printf("%s\n", memcmp(a, b, sizeof(a)) == 0 ? "same signatures" :
	    "DIFFERENT SIGNATURES");
	printf("set-up: %s\n", setup > 0 ? "inversions seen" : "none seen");
	keyfile_free(kf);
	return 0;
}
