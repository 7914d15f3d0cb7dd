/*
 * Fuzz target of the BIND key-file reader (lib/keyfile.c): the
 * .private file of a key pair is any bytes.  The first byte of the input
 * chooses one of the key pairs of t/data/ds-from-dnskey/vectors (one per
 * algorithm: 8, 10, 13, 14, 15, 16), whose .key file is copied into a
 * scratch directory once; the rest of the input becomes its .private
 * file, and keyfile_load() reads the pair.  The oracle: when the pair
 * loads, the private key is the one of the DNSKEY (keyfile.c checks
 * that), so a signature made with it must verify with the DNSKEY;
 * anything else is a bug (abort(), so that libFuzzer keeps the input).
 *
 * The key directory is FUZZ_KEYDIR, or the one above relative to the
 * working directory (make fuzz-smoke runs from the top of the tree).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "diag.h"
#include "keyfile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const keys[] = {
	"Kexample.net.+008+09033",
	"Kexample.net.+010+03740",
	"Krfc6979.+013+23698",
	"Krfc6979.+014+23943",
	"Kexample.com.+015+03613",
	"Kexample.com.+016+09713",
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static char dir[] = "/tmp/fuzz_keyfile.XXXXXX";

static void
cleanup(void)
{
	char path[512];
	size_t k;

	for (k = 0; k < NKEYS; k++) {
		snprintf(path, sizeof(path), "%s/%s.key", dir, keys[k]);
		(void)unlink(path);
		snprintf(path, sizeof(path), "%s/%s.private", dir, keys[k]);
		(void)unlink(path);
	}
	(void)rmdir(dir);
}

static void
copy(const char *from, const char *to)
{
	char buf[8192];
	FILE *in, *out;
	size_t n;

	if ((in = fopen(from, "r")) == NULL || (out = fopen(to, "w")) ==
	    NULL) {
		fprintf(stderr, "fuzz_keyfile: %s: cannot copy (set "
		    "FUZZ_KEYDIR)\n", from);
		exit(2);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		(void)fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) != 0)
		exit(2);
}

static void
setup(void)
{
	const char *src = getenv("FUZZ_KEYDIR");
	char from[512], to[512];
	size_t k;

	if (src == NULL)
		src = "t/data/ds-from-dnskey/vectors";
	if (mkdtemp(dir) == NULL) {
		perror("fuzz_keyfile: mkdtemp");
		exit(2);
	}
	atexit(cleanup);
	for (k = 0; k < NKEYS; k++) {
		snprintf(from, sizeof(from), "%s/%s.key", src, keys[k]);
		snprintf(to, sizeof(to), "%s/%s.key", dir, keys[k]);
		copy(from, to);
	}
	diag_init("fuzz_keyfile");
}

/* A pair that loaded must sign what its DNSKEY verifies. */
static void
check_pair(const struct keyfile *kf)
{
	static const uint8_t msg[] = "fuzz_keyfile";
	uint8_t sig[CRYPTO_SIG_MAX];
	const uint8_t *rd;
	size_t siglen, rdlen;
	struct diag d;

	rd = keyfile_rdata(kf, &rdlen);
	if (rdlen < 4 || crypto_keyfile_sign(kf, msg, sizeof(msg), sig,
	    &siglen, &d) != 0 || crypto_dnskey_verify(rd[3], rd + 4,
	    rdlen - 4, msg, sizeof(msg), sig, siglen) != 1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char base[512], path[512];
	struct keyfile *kf;
	struct diag d;
	FILE *f;
	size_t k;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	/* A "Label: pkcs11:..." line names a key in a token (keyfile.h):
	 * following it loads a PKCS #11 module (lib/pkcs11.c), whose own
	 * leaks and slowness are not this target's; the URI's parser has
	 * its test (t/0525). */
	for (k = 0; k + 7 <= size; k++)
		if (memcmp(data + k, "pkcs11:", 7) == 0)
			return 0;
	k = data[0] % NKEYS;
	snprintf(base, sizeof(base), "%s/%s", dir, keys[k]);
	snprintf(path, sizeof(path), "%s.private", base);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (size > 1)
		(void)fwrite(data + 1, 1, size - 1, f);
	if (fclose(f) != 0)
		abort();
	if ((kf = keyfile_load(base, KEYFILE_NEED_PRIVATE, &d)) != NULL) {
		check_pair(kf);
		keyfile_free(kf);
	}
	return 0;
}
