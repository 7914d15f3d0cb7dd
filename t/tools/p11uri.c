/*
 * p11uri URI...: each URI parsed by lib/p11uri.c, its attributes one
 * per line in a fixed order ("id" in hex), or the diagnostic; exit 1
 * when one was refused.  For t/0525-zresign-pkcs11-uri.bats.
 */
#include <stdio.h>

#include "diag.h"
#include "p11uri.h"

static void
show(const struct p11uri *u)
{
	static const char *types[] = { "any", "private", "public", "cert",
	    "secret-key", "data" };
	size_t i;

	for (i = 0; i < P11URI_NSTR; i++)
		if (u->s[i] != NULL)
			printf("%s=[%s]\n", p11uri_attr_name(i), u->s[i]);
	if (u->has_id) {
		printf("id=");
		for (i = 0; i < u->idlen; i++)
			printf("%02x", u->id[i]);
		printf("\n");
	}
	if (u->type != P11URI_ANY)
		printf("type=%s\n", types[u->type]);
	if (u->has_slot_id)
		printf("slot-id=%lu\n", u->slot_id);
	if (u->has_lib_version)
		printf("library-version=%u.%u\n", u->lib_major, u->lib_minor);
}

int
main(int argc, char *argv[])
{
	struct p11uri u;
	struct diag d;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (p11uri_parse(&u, argv[i], &d) != 0) {
			printf("refused: %s\n", d.msg);
			rc = 1;
			continue;
		}
		show(&u);
		p11uri_free(&u);
	}
	return rc;
}
