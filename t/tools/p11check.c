/*
 * p11check: a test-only driver, built by t/0521-zresign-pkcs11-errors.bats
 * with cc(1) against the library of the build under test: the check of
 * signatures made by a key in a token (crypto_selfcheck with the public
 * key only), on good and on damaged signatures.
 *
 *	p11check key n i...	sign n messages ("message 0", ...) with the
 *				key (a PKCS #11 URI), damage the signatures
 *				numbered i (one bit of s flipped; of r when
 *				i is negative, -i being the number), and
 *				check all n in batches, in order
 *
 * It prints the numbers of the signatures the check refused, one a
 * line.  The check computes u1 G + u2 Q in two ways, by a variable base
 * for its first 1024 signatures and by precomputed multiples of Q after
 * (crypto.c, SELFCHECK_Q_TABLE): n over 1024 tries both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "diag.h"
#include "keyfile.h"

#define SIGMAX	132

int
main(int argc, char *argv[])
{
	struct diag d;
	struct keyfile *kf;
	struct crypto_signer *sg;
	struct crypto_selfcheck *c;
	uint8_t (*sig)[SIGMAX], msg[32];
	int8_t ok[CRYPTO_SELFCHECK_BATCH];
	size_t n, i, j, from, len, siglen;
	long b;
	int a;

	diag_init("p11check");
	if (argc < 3 || (n = strtoul(argv[2], NULL, 10)) == 0)
		return 2;
	memset(&d, 0, sizeof(d));
	if ((kf = keyfile_load(argv[1], KEYFILE_NEED_PRIVATE, &d)) == NULL ||
	    (sg = crypto_signer_new(kf, &d)) == NULL ||
	    (c = crypto_selfcheck_new(kf, &d)) == NULL)
		diag_die(&d);
	siglen = crypto_keyfile_sig_len(kf);
	if ((sig = calloc(n, sizeof(*sig))) == NULL || siglen > SIGMAX)
		return 2;
	for (i = 0; i < n; i++) {
		len = (size_t)snprintf((char *)msg, sizeof(msg), "message %zu",
		    i);
		if (crypto_signer_add(sg, msg, len, sig[i]) != 0 ||
		    crypto_signer_run(sg) != 0) {
			fprintf(stderr, "p11check: %s\n",
			    crypto_signer_error(sg));
			return 2;
		}
	}
	for (a = 3; a < argc; a++) {
		b = strtol(argv[a], NULL, 10);
		if (b < 0)
			sig[-b][siglen / 2 - 1] ^= 1;	/* r */
		else
			sig[b][siglen - 1] ^= 1;	/* s */
	}
	for (from = 0; from < n; from += j) {
		for (j = 0; j < CRYPTO_SELFCHECK_BATCH && from + j < n; j++) {
			len = (size_t)snprintf((char *)msg, sizeof(msg),
			    "message %zu", from + j);
			(void)crypto_selfcheck_add(c, msg, len, sig[from + j],
			    siglen);
		}
		(void)crypto_selfcheck_run(c, ok);
		for (i = 0; i < j; i++)
			if (!ok[i])
				printf("%zu\n", from + i);
	}
	crypto_selfcheck_free(c);
	crypto_signer_free(sg);
	keyfile_free(kf);
	free(sig);
	return 0;
}
