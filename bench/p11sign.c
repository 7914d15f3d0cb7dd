/*
 * p11sign URI THREADS SECONDS: the token's own signing rate, the bound
 * zresign's rate through PKCS #11 is measured against (bench/pkcs11.sh).
 * THREADS threads, each with a session of its own (lib/pkcs11.c, as
 * zresign opens them), call C_SignInit and C_Sign in a loop over 100
 * octets (the size of a small signed RRset) for SECONDS; prints
 * "N signatures in S s: R/s".  The PIN as zresign takes it (-p): from
 * the URI's pin-source or BENCH_PIN_SOURCE.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "pkcs11.h"

struct worker {
	pthread_t		 tid;
	struct pkcs11_session	*s;
	double			 until;
	unsigned long		 n;
	int			 failed;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	uint8_t data[100], sig[1024];
	struct diag d;

	memset(data, 0x5a, sizeof(data));
	while (now() < w->until) {
		data[0] = (uint8_t)w->n;
		if (pkcs11_sign(w->s, data, sizeof(data), sig, &d) != 0) {
			fprintf(stderr, "p11sign: %s\n", d.msg);
			w->failed = 1;
			break;
		}
		w->n++;
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct pkcs11_key *k;
	struct worker w[64];
	struct diag d;
	unsigned long total = 0;
	int i, nt;
	double t0, secs;

	if (argc != 4 || (nt = atoi(argv[2])) < 1 || nt > 64 ||
	    (secs = atof(argv[3])) <= 0) {
		fprintf(stderr, "usage: p11sign uri threads seconds\n");
		return 2;
	}
	pkcs11_pin_source(getenv("BENCH_PIN_SOURCE"));
	if ((k = pkcs11_key_open(argv[1], 0, true, &d)) == NULL) {
		fprintf(stderr, "p11sign: %s\n", d.msg);
		return 2;
	}
	memset(w, 0, sizeof(w));
	for (i = 0; i < nt; i++)
		if ((w[i].s = pkcs11_session_new(k, &d)) == NULL) {
			fprintf(stderr, "p11sign: %s\n", d.msg);
			return 2;
		}
	t0 = now();
	for (i = 0; i < nt; i++) {
		w[i].until = t0 + secs;
		pthread_create(&w[i].tid, NULL, work, &w[i]);
	}
	for (i = 0; i < nt; i++) {
		pthread_join(w[i].tid, NULL);
		total += w[i].n;
		pkcs11_session_free(w[i].s);
	}
	secs = now() - t0;
	printf("%lu signatures in %.2f s: %.0f/s\n", total, secs,
	    (double)total / secs);
	pkcs11_key_free(k);
	for (i = 0; i < nt; i++)
		if (w[i].failed)
			return 1;
	return 0;
}
