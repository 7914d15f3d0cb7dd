/*
 * PKCS #11 URIs (RFC 7512): "pkcs11:" then path attributes separated by
 * ';', then optionally '?' and query attributes separated by '&', each
 * "name=value" with its value percent-encoded (RFC 7512 section 2.3,
 * RFC 3986 section 2.1).  They name a key in a token:
 *
 *	pkcs11:token=tld-ksk;object=ksk-2026;type=private
 *	pkcs11:token=tld-ksk;id=%01%02?module-path=/usr/lib/x.so
 *
 * Every attribute of RFC 7512 is read; an attribute given twice, an
 * attribute RFC 7512 does not define, a bad escape or a value with a NUL
 * octet is refused, since a key named by an attribute that is not
 * matched could be another key than the one meant.  Of the query
 * attributes, pin-value is refused (a PIN in a URI is a PIN on a command
 * line, in ps(1) and in shell histories), and pin-source may only name a
 * file (a path or a file: URI), never a command ("|...").
 */
#ifndef P11URI_H
#define P11URI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;

/* type= (RFC 7512 section 2.3) */
enum p11uri_type {
	P11URI_ANY, P11URI_PRIVATE, P11URI_PUBLIC, P11URI_CERT,
	P11URI_SECRET, P11URI_DATA
};

/* The attributes that are strings, in p11uri.s[]. */
enum p11uri_attr {
	P11URI_TOKEN, P11URI_MANUFACTURER, P11URI_SERIAL, P11URI_MODEL,
	P11URI_LIB_MANUFACTURER, P11URI_LIB_DESCRIPTION,
	P11URI_SLOT_DESCRIPTION, P11URI_SLOT_MANUFACTURER, P11URI_OBJECT,
	P11URI_PIN_SOURCE, P11URI_MODULE_NAME, P11URI_MODULE_PATH,
	P11URI_NSTR
};

struct p11uri {
	char		*s[P11URI_NSTR];	/* NULL when not given */
	uint8_t		*id;			/* id=, octets */
	size_t		 idlen;
	bool		 has_id;
	enum p11uri_type type;
	bool		 has_slot_id;
	unsigned long	 slot_id;
	bool		 has_lib_version;
	unsigned	 lib_major, lib_minor;
};

bool	 p11uri_is(const char *);
int	 p11uri_parse(struct p11uri *, const char *, struct diag *);
void	 p11uri_free(struct p11uri *);
const char *p11uri_attr_name(enum p11uri_attr);
void	 p11uri_shown(const char *, char *, size_t);

#endif
