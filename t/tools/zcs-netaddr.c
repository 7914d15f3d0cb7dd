/*
 * netaddr_parse() and netaddr_classify() of lib/netaddr.c for t/0650:
 * for each operand, "text class prefix", or "text bad" when it does not
 * parse.  Addresses in globally reachable space can be classified here
 * without zcheck-servers sending anything to them.
 */
#include <stdio.h>

#include "netaddr.h"

int
main(int argc, char *argv[])
{
	struct netaddr na;
	struct netaddr_block b;
	char t[NETADDR_TEXT];
	int i;

	for (i = 1; i < argc; i++) {
		if (netaddr_parse(argv[i], &na) != 0) {
			printf("%s bad\n", argv[i]);
			continue;
		}
		netaddr_text(&na, t, sizeof(t));
		netaddr_classify(&na, &b);
		printf("%s %s %s\n", t, netaddr_class_name(b.cls), b.prefix);
	}
	return 0;
}
