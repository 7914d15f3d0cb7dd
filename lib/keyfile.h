/*
 * BIND key pairs: K<name>+<alg>+<tag>.key holds the DNSKEY record in
 * zone text (comments allowed), K<name>+<alg>+<tag>.private the private
 * key in "Private-key-format: v1.2" (or v1.3) form: "Algorithm:" and,
 * for RSA (RFC 3447 §3.2 numbers) Modulus, PublicExponent,
 * PrivateExponent, Prime1, Prime2, Exponent1, Exponent2, Coefficient, or
 * for ECDSA and EdDSA one PrivateKey, each in base64.
 *
 * A key is named by its base name (Kexample.+013+05021), its .key path
 * or its .private path.  When the private half is read, the public key
 * it implies must equal the DNSKEY's, so that a .key and a .private of
 * different pairs are never used together.  Private numbers are wiped as
 * soon as the key is built, and the key itself when it is freed; they
 * are read into memory locked against swapping where the system allows
 * (sodium_malloc(3); a refused mlock(2) is no error).  Before the first
 * .private file is read, the process turns core dumps off for the rest
 * of its life (the core size limit to 0 and, on Linux, not dumpable).
 */
#ifndef KEYFILE_H
#define KEYFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct keyfile;
struct crypto_privkey;
struct pkcs11_key;

/* How keyfile_load() treats the .private file. */
#define KEYFILE_PUBLIC_ONLY	0x1	/* never read it */
#define KEYFILE_NEED_PRIVATE	0x2	/* it must be there */
#define KEYFILE_SEP		0x4	/* a URI's DNSKEY: flags 257 */
/* Otherwise it is read, and checked, when it exists. */

struct keyfile	*keyfile_load(const char *, int, struct diag *);
void		 keyfile_free(struct keyfile *);

const uint8_t	*keyfile_owner(const struct keyfile *);	/* wire, lower */
const uint8_t	*keyfile_rdata(const struct keyfile *, size_t *);
uint32_t	 keyfile_ttl(const struct keyfile *);
uint16_t	 keyfile_flags(const struct keyfile *);
uint8_t		 keyfile_algorithm(const struct keyfile *);
uint16_t	 keyfile_tag(const struct keyfile *);
bool		 keyfile_has_private(const struct keyfile *);
const struct crypto_privkey *keyfile_privkey(const struct keyfile *);
const char	*keyfile_public_path(const struct keyfile *);
const char	*keyfile_private_path(const struct keyfile *);
unsigned long	 keyfile_line(const struct keyfile *);

/*
 * Keys in a token (pkcs11.h): a key file whose .private file names the
 * key by a "Label: pkcs11:..." line, as BIND writes them, or a key named
 * by its URI alone.  Such a key has no crypto_privkey; it signs through
 * the token.  A URI alone gives no owner: the key is "unplaced" (its
 * owner the root, its flags 256, or 257 with KEYFILE_SEP, its TTL
 * 3600) until the program places it at the zone's apex.
 */
const struct pkcs11_key *keyfile_token(const struct keyfile *);
bool		 keyfile_unplaced(const struct keyfile *);
void		 keyfile_place(struct keyfile *, const uint8_t *, uint16_t,
		    uint32_t);

#endif
