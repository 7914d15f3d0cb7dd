/*
 * Keys in a token, used through PKCS #11 (version 2.40, the p11-kit
 * header): a key named by an RFC 7512 URI (p11uri.h) is found in its
 * token, its public key read (the private one never leaves the token,
 * and nothing here asks for it), and signatures are made by the token:
 *
 *	 8 RSASHA256	CKM_SHA256_RSA_PKCS over the data (RFC 5702 §3)
 *	10 RSASHA512	CKM_SHA512_RSA_PKCS
 *	13, 14 ECDSA	CKM_ECDSA over the SHA-256 or SHA-384 hash computed
 *			here; the token's r | s (PKCS #11 2.40 §2.3.1) is
 *			RFC 6605 §4's form already, a DER one is converted
 *	15 ED25519	CKM_EDDSA over the data (RFC 8080 §4)
 *
 * The module (a shared object) is loaded at run time with dlopen(3):
 * the URI's module-path, or the module p11-kit's configuration names as
 * its module-name (pkcs11.conf(5), read by p11-kit's library, itself
 * loaded at run time), else p11-kit's proxy module, which offers every
 * module p11-kit is configured with.  It is initialised for use by
 * several threads (CKF_OS_LOCKING_OK).
 *
 * PIN: from the file the URI's pin-source names, else from the source
 * the program was given (pkcs11_pin_source(): a file, or "env:NAME", an
 * environment variable), never from anything else.  It is read only
 * to log in, kept in memory locked against swapping and wiped at once.
 *
 * Threads: a key is opened, and freed, by one thread; each thread that
 * signs opens a session of its own (pkcs11_session_new()), since
 * PKCS #11 sessions must not be used by two threads at once.
 *
 * Every message names the token and the object, and the PKCS #11
 * function and its return code by name (CKR_PIN_INCORRECT).
 */
#ifndef BK_PKCS11_H
#define BK_PKCS11_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct pkcs11_key;
struct pkcs11_session;

/* The longest public key field made here (RSA 4096, 3-octet exponent). */
#define PKCS11_PUBKEY_MAX	(3 + 4 + 512)

void		 pkcs11_pin_source(const char *);

/*
 * Open the key the URI names.  alg is the DNSKEY algorithm it must
 * serve (0: the one its key type implies: RSA 8, P-256 13, P-384 14,
 * Ed25519 15).  With need_private, the private key object must be
 * there and able to sign (a PIN is then needed unless the token needs
 * no login); otherwise only the public key is read.
 */
struct pkcs11_key *pkcs11_key_open(const char *, uint8_t, bool,
		    struct diag *);
uint8_t		 pkcs11_key_algorithm(const struct pkcs11_key *);
const uint8_t	*pkcs11_key_public(const struct pkcs11_key *, size_t *);
size_t		 pkcs11_key_sig_len(const struct pkcs11_key *);
const char	*pkcs11_key_name(const struct pkcs11_key *);
void		 pkcs11_key_free(struct pkcs11_key *);

/* One signature of data into sig (pkcs11_key_sig_len() octets). */
struct pkcs11_session *pkcs11_session_new(const struct pkcs11_key *,
		    struct diag *);
int		 pkcs11_sign(struct pkcs11_session *, const uint8_t *, size_t,
		    uint8_t *, struct diag *);
void		 pkcs11_session_free(struct pkcs11_session *);

#endif
