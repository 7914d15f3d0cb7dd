/*
 * Name-server addresses and the special-purpose address blocks (RFC 6890,
 * section 2.2: the IPv4 and IPv6 Special-Purpose Address Registries that
 * IANA keeps, with the blocks later RFCs added).  A block whose registry
 * entry says "globally reachable: false" is where a name server of a TLD
 * cannot be: resolvers on the Internet could not reach it, and a check
 * that queried it would send packets into someone's private network.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netaddr.h"

struct block {
	enum netaddr_class cls;
	const char	*prefix;
	const char	*source;
};

/*
 * First match wins, so the globally reachable exceptions inside a larger
 * special block come before it.  IPv6 space outside 2000::/3 that no
 * entry names is reserved (RFC 4291 section 2.4: only 2000::/3 is
 * allocated as global unicast).
 */
static const struct block blocks[] = {
	/* IPv4, RFC 6890 section 2.2.2 and later additions */
	{ NETADDR_GLOBAL, "192.0.0.9/32", "RFC 7723" },
	{ NETADDR_GLOBAL, "192.0.0.10/32", "RFC 8155" },
	{ NETADDR_RESERVED, "0.0.0.0/8", "RFC 791, \"this network\"" },
	{ NETADDR_PRIVATE, "10.0.0.0/8", "RFC 1918" },
	{ NETADDR_PRIVATE, "100.64.0.0/10", "RFC 6598, shared address space" },
	{ NETADDR_LOOPBACK, "127.0.0.0/8", "RFC 1122 section 3.2.1.3" },
	{ NETADDR_LINKLOCAL, "169.254.0.0/16", "RFC 3927" },
	{ NETADDR_PRIVATE, "172.16.0.0/12", "RFC 1918" },
	{ NETADDR_RESERVED, "192.0.0.0/24", "RFC 6890, IETF protocol "
	    "assignments" },
	{ NETADDR_DOCUMENTATION, "192.0.2.0/24", "RFC 5737" },
	{ NETADDR_RESERVED, "192.88.99.0/24", "RFC 7526, deprecated 6to4 "
	    "relay anycast" },
	{ NETADDR_PRIVATE, "192.168.0.0/16", "RFC 1918" },
	{ NETADDR_RESERVED, "198.18.0.0/15", "RFC 2544, benchmarking" },
	{ NETADDR_DOCUMENTATION, "198.51.100.0/24", "RFC 5737" },
	{ NETADDR_DOCUMENTATION, "203.0.113.0/24", "RFC 5737" },
	{ NETADDR_MULTICAST, "224.0.0.0/4", "RFC 5771" },
	{ NETADDR_RESERVED, "240.0.0.0/4", "RFC 1112 section 4, and "
	    "255.255.255.255 RFC 919" },
	/* IPv6, RFC 6890 section 2.2.3 and later additions */
	{ NETADDR_RESERVED, "::/128", "RFC 4291, unspecified address" },
	{ NETADDR_LOOPBACK, "::1/128", "RFC 4291" },
	{ NETADDR_RESERVED, "::ffff:0:0/96", "RFC 4291, IPv4-mapped" },
	{ NETADDR_GLOBAL, "64:ff9b::/96", "RFC 6052" },
	{ NETADDR_RESERVED, "64:ff9b:1::/48", "RFC 8215, local-use "
	    "translation" },
	{ NETADDR_RESERVED, "100::/64", "RFC 6666, discard-only" },
	{ NETADDR_GLOBAL, "2001:1::1/128", "RFC 7723" },
	{ NETADDR_GLOBAL, "2001:1::2/128", "RFC 8155" },
	{ NETADDR_GLOBAL, "2001:3::/32", "RFC 7450" },
	{ NETADDR_GLOBAL, "2001:4:112::/48", "RFC 7535" },
	{ NETADDR_GLOBAL, "2001:20::/28", "RFC 7343" },
	{ NETADDR_RESERVED, "2001::/23", "RFC 2928, IETF protocol "
	    "assignments" },
	{ NETADDR_DOCUMENTATION, "2001:db8::/32", "RFC 3849" },
	{ NETADDR_DOCUMENTATION, "3fff::/20", "RFC 9637" },
	{ NETADDR_GLOBAL, "2000::/3", "RFC 4291 section 2.4" },
	{ NETADDR_PRIVATE, "fc00::/7", "RFC 4193, unique local" },
	{ NETADDR_LINKLOCAL, "fe80::/10", "RFC 4291" },
	{ NETADDR_MULTICAST, "ff00::/8", "RFC 4291" },
	{ NETADDR_RESERVED, "::/0", "RFC 4291 section 2.4, not allocated "
	    "as global unicast" },
};

/* "192.0.2.1", "2001:db8::1", "[2001:db8::1]", each with an optional
 * "@port" (1 to 65535). */
int
netaddr_parse(const char *s, struct netaddr *na)
{
	char buf[NETADDR_TEXT];
	char *at, *end, *host = buf;
	unsigned long port;
	size_t n;

	memset(na, 0, sizeof(*na));
	if ((n = strlen(s)) == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	if ((at = strrchr(buf, '@')) != NULL) {
		*at++ = '\0';
		if (*at < '0' || *at > '9')
			return -1;
		errno = 0;
		port = strtoul(at, &end, 10);
		if (errno != 0 || *end != '\0' || port == 0 || port > 65535)
			return -1;
		na->port = (uint16_t)port;
	}
	n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		host[n - 1] = '\0';
		host++;
		if (inet_pton(AF_INET6, host, na->a) == 1) {
			na->family = AF_INET6;
			return 0;
		}
		return -1;
	}
	if (inet_pton(AF_INET, host, na->a) == 1) {
		na->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, host, na->a) == 1) {
		na->family = AF_INET6;
		return 0;
	}
	return -1;
}

size_t
netaddr_len(const struct netaddr *na)
{
	return na->family == AF_INET ? 4 : 16;
}

/* The same address and port. */
bool
netaddr_equal(const struct netaddr *x, const struct netaddr *y)
{
	return x->family == y->family && x->port == y->port &&
	    memcmp(x->a, y->a, netaddr_len(x)) == 0;
}

/* Whether the first bits of both addresses agree (same family). */
bool
netaddr_same_prefix(const struct netaddr *x, const struct netaddr *y,
    unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (x->family != y->family || bits > 8 * netaddr_len(x))
		return false;
	if (memcmp(x->a, y->a, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return (x->a[full] & mask) == (y->a[full] & mask);
}

/* The address, with "@port" when one was given. */
void
netaddr_text(const struct netaddr *na, char *out, size_t size)
{
	char host[INET6_ADDRSTRLEN];

	if (inet_ntop(na->family, na->a, host, sizeof(host)) == NULL)
		strcpy(host, "?");
	if (na->port != 0)
		snprintf(out, size, "%s@%u", host, (unsigned)na->port);
	else
		snprintf(out, size, "%s", host);
}

static bool
in_block(const struct netaddr *na, const char *prefix)
{
	char buf[64];
	struct netaddr p;
	const char *slash = strchr(prefix, '/');
	size_t n = (size_t)(slash - prefix);
	unsigned bits = (unsigned)atoi(slash + 1);

	memcpy(buf, prefix, n);
	buf[n] = '\0';
	memset(&p, 0, sizeof(p));
	p.family = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	if (p.family != na->family || inet_pton(p.family, buf, p.a) != 1)
		return false;
	return netaddr_same_prefix(na, &p, bits);
}

/* The class of the first block of the registries that holds the address;
 * the block itself in *b when b is not NULL. */
enum netaddr_class
netaddr_classify(const struct netaddr *na, struct netaddr_block *b)
{
	size_t i;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (in_block(na, blocks[i].prefix)) {
			if (b != NULL) {
				b->cls = blocks[i].cls;
				b->prefix = blocks[i].prefix;
				b->source = blocks[i].source;
			}
			return blocks[i].cls;
		}
	if (b != NULL) {
		b->cls = NETADDR_GLOBAL;
		b->prefix = na->family == AF_INET ? "0.0.0.0/0" : "::/0";
		b->source = "";
	}
	return NETADDR_GLOBAL;
}

const char *
netaddr_class_name(enum netaddr_class c)
{
	switch (c) {
	case NETADDR_GLOBAL:
		return "global";
	case NETADDR_LOOPBACK:
		return "loopback";
	case NETADDR_PRIVATE:
		return "private";
	case NETADDR_DOCUMENTATION:
		return "documentation";
	case NETADDR_LINKLOCAL:
		return "link-local";
	case NETADDR_MULTICAST:
		return "multicast";
	case NETADDR_RESERVED:
		return "reserved";
	}
	return "?";
}

/* The classes a lab may use (-L): loopback, private and documentation
 * space.  Link-local, multicast and reserved space never name a server. */
bool
netaddr_lab_class(enum netaddr_class c)
{
	return c == NETADDR_LOOPBACK || c == NETADDR_PRIVATE ||
	    c == NETADDR_DOCUMENTATION;
}

/* A socket address for na, on its own port or else on port. */
socklen_t
netaddr_sockaddr(const struct netaddr *na, uint16_t port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (na->port != 0)
		port = na->port;
	if (na->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, na->a, 4);
		return sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, na->a, 16);
		return sizeof(*s6);
	}
}

/* The address and port of a socket address. */
int
netaddr_from_sockaddr(const struct sockaddr_storage *ss, struct netaddr *na)
{
	memset(na, 0, sizeof(*na));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		na->family = AF_INET;
		memcpy(na->a, &s4->sin_addr, 4);
		na->port = ntohs(s4->sin_port);
		return 0;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 =
		    (const struct sockaddr_in6 *)ss;
		na->family = AF_INET6;
		memcpy(na->a, &s6->sin6_addr, 16);
		na->port = ntohs(s6->sin6_port);
		return 0;
	}
	return -1;
}
