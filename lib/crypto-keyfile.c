/*
 * Signing with a key pair of keyfile.h: in memory through the
 * back-ends of crypto.c, or in a token through PKCS #11 (lib/pkcs11.c);
 * signers for many signatures and the checkers of one's own signatures.
 * The one crypto file that includes keyfile.h (the layers of lib/README).
 */
#define OPENSSL_API_COMPAT	30000
#define OPENSSL_NO_DEPRECATED

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include "crypto.h"
#include "diag.h"
#include "ecdsa.h"
#include "keyfile.h"
#include "pkcs11.h"
#include "wire.h"
#include "crypto-int.h"

int
crypto_keyfile_sign(const struct keyfile *kf, const uint8_t *data, size_t len,
    uint8_t *sig, size_t *siglen, struct diag *d)
{
	const struct crypto_privkey *k = keyfile_privkey(kf);
	struct pkcs11_session *ps;
	int rc;

	if (keyfile_token(kf) != NULL) {
		if ((ps = pkcs11_session_new(keyfile_token(kf), d)) == NULL)
			return -1;
		rc = pkcs11_sign(ps, data, len, sig, d);
		*siglen = pkcs11_key_sig_len(keyfile_token(kf));
		pkcs11_session_free(ps);
		return rc;
	}
	if (k == NULL) {
		diag_set(d, keyfile_public_path(kf), 0, "no private key");
		return -1;
	}
	return crypto_privkey_sign(k, data, len, sig, siglen, d);
}

/* A signer with a key in a token has a session of its own (pkcs11.h),
 * and keeps the reason of its last failure. */
struct crypto_signer {
	const struct crypto_privkey *k;
	struct ecdsa_batch	*eb;		/* ECDSA */
	struct pkcs11_session	*ps;		/* a key in a token */
	struct diag		 d;
};

struct crypto_signer *
crypto_signer_new(const struct keyfile *kf, struct diag *d)
{
	const struct crypto_privkey *k = keyfile_privkey(kf);
	struct crypto_signer *sg;

	if (k == NULL && keyfile_token(kf) == NULL) {
		diag_set(d, keyfile_public_path(kf), 0, "no private key");
		return NULL;
	}
	if ((sg = calloc(1, sizeof(*sg))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	if (k == NULL) {
		if ((sg->ps = pkcs11_session_new(keyfile_token(kf), d)) ==
		    NULL) {
			free(sg);
			return NULL;
		}
		return sg;
	}
	sg->k = k;
	if (crypto_is_ecdsa(k->alg) &&
	    (sg->eb = ecdsa_batch_new(k->pkey, k->alg)) == NULL) {
		diag_set(d, keyfile_private_path(kf), 0, "ECDSA signer: %s",
		    crypto_ossl_reason());
		free(sg);
		return NULL;
	}
	return sg;
}

int
crypto_signer_add(struct crypto_signer *sg, const uint8_t *data, size_t len,
    uint8_t *sig)
{
	size_t siglen;

	if (sg->ps != NULL)
		return pkcs11_sign(sg->ps, data, len, sig, &sg->d);
	if (sg->eb == NULL)
		return crypto_privkey_sign(sg->k, data, len, sig, &siglen,
		    &sg->d);
	if (ecdsa_batch_queued(sg->eb) == ECDSA_BATCH &&
	    ecdsa_batch_run(sg->eb) != 0)
		return -1;
	return ecdsa_batch_add(sg->eb, data, len, sig);
}

int
crypto_signer_run(struct crypto_signer *sg)
{
	return sg->eb == NULL ? 0 : ecdsa_batch_run(sg->eb);
}

void
crypto_signer_free(struct crypto_signer *sg)
{
	if (sg == NULL)
		return;
	ecdsa_batch_free(sg->eb);
	pkcs11_session_free(sg->ps);
	free(sg);
}

/* Why the last crypto_signer_add() failed, or "" when it is not known. */
const char *
crypto_signer_error(const struct crypto_signer *sg)
{
	return sg->d.msg;
}

size_t
crypto_keyfile_sig_len(const struct keyfile *kf)
{
	const struct crypto_privkey *k = keyfile_privkey(kf);

	if (keyfile_token(kf) != NULL)
		return pkcs11_key_sig_len(keyfile_token(kf));
	return k != NULL ? k->siglen : 0;
}

/* The public key of kf's DNSKEY (RFC 4034 §2.1.4), for verifying. */
static struct crypto_pubkey *
dnskey_pubkey(const struct keyfile *kf, uint8_t alg, struct diag *d)
{
	struct wire_dnskey v;
	const uint8_t *rd;
	size_t rdlen;

	rd = keyfile_rdata(kf, &rdlen);
	if (wire_dnskey(&v, rd, rdlen) != 0) {
		diag_set(d, keyfile_public_path(kf), 0, "malformed DNSKEY");
		return NULL;
	}
	return crypto_pubkey_new(alg, v.key, v.key_len, d);
}

/*
 * A key in a token gives out no private key: its signatures are
 * verified with the DNSKEY's public key, every one (pkcs11.h).
 */
static struct crypto_selfcheck *
selfcheck_token(const struct keyfile *kf, struct diag *d)
{
	struct crypto_selfcheck *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	c->alg = keyfile_algorithm(kf);
	if ((c->pk = dnskey_pubkey(kf, c->alg, d)) == NULL) {
		crypto_selfcheck_free(c);
		return NULL;
	}
	if (crypto_is_ecdsa(c->alg) && (crypto_selfcheck_ecdsa_init(c) != 0 ||
	    crypto_selfcheck_q_init(c) != 0)) {
		diag_set(d, keyfile_public_path(kf), 0, "ECDSA check: %s",
		    crypto_ossl_reason());
		crypto_selfcheck_free(c);
		return NULL;
	}
	return c;
}

struct crypto_selfcheck *
crypto_selfcheck_new(const struct keyfile *kf, struct diag *d)
{
	struct crypto_selfcheck *c;

	if (keyfile_token(kf) != NULL)
		return selfcheck_token(kf, d);
	if (keyfile_privkey(kf) == NULL) {
		diag_set(d, keyfile_public_path(kf), 0, "no private key");
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return NULL;
	}
	c->k = keyfile_privkey(kf);
	c->alg = c->k->alg;
	if (crypto_is_ecdsa(c->alg)) {
		if (crypto_selfcheck_ecdsa_init(c) != 0) {
			diag_set(d, keyfile_private_path(kf), 0, "ECDSA check: "
			    "%s", crypto_ossl_reason());
			crypto_selfcheck_free(c);
			return NULL;
		}
	} else if (c->alg == 15) {
		if (!crypto_sodium_ready() ||
		    crypto_selfcheck_ed25519_init(c) != 0) {
			diag_set(d, NULL, 0, "libsodium failed");
			crypto_selfcheck_free(c);
			return NULL;
		}
	} else {
		if ((c->pk = dnskey_pubkey(kf, c->alg, d)) == NULL) {
			crypto_selfcheck_free(c);
			return NULL;
		}
	}
	return c;
}
