/*
 * Addresses of name servers: parsing ("192.0.2.1", "2001:db8::1", with
 * an optional "@port"), printing, and the special-purpose blocks of the
 * IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and
 * the RFCs that added to them) in which a name server of a TLD has no
 * business: private, loopback, link-local, documentation, multicast and
 * reserved space.
 */
#ifndef NETADDR_H
#define NETADDR_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETADDR_TEXT	64	/* "[ffff:...:ffff]@65535" fits */

enum netaddr_class {
	NETADDR_GLOBAL,		/* none of the below */
	NETADDR_LOOPBACK,
	NETADDR_PRIVATE,	/* RFC 1918, RFC 6598, RFC 4193 */
	NETADDR_DOCUMENTATION,
	NETADDR_LINKLOCAL,
	NETADDR_MULTICAST,
	NETADDR_RESERVED	/* every other block not globally reachable */
};

struct netaddr {
	int		 family;	/* AF_INET or AF_INET6 */
	uint8_t		 a[16];		/* 4 or 16 octets, network order */
	uint16_t	 port;		/* 0: not given */
};

/* What a block is, for messages: "192.0.2.0/24", "RFC 5737". */
struct netaddr_block {
	enum netaddr_class cls;
	const char	*prefix;
	const char	*source;
};

int		 netaddr_parse(const char *, struct netaddr *);
size_t		 netaddr_len(const struct netaddr *);
bool		 netaddr_equal(const struct netaddr *, const struct netaddr *);
bool		 netaddr_same_prefix(const struct netaddr *,
		    const struct netaddr *, unsigned);
void		 netaddr_text(const struct netaddr *, char *, size_t);
enum netaddr_class netaddr_classify(const struct netaddr *,
		    struct netaddr_block *);
const char	*netaddr_class_name(enum netaddr_class);
bool		 netaddr_lab_class(enum netaddr_class);
socklen_t	 netaddr_sockaddr(const struct netaddr *, uint16_t,
		    struct sockaddr_storage *);
int		 netaddr_from_sockaddr(const struct sockaddr_storage *,
		    struct netaddr *);

#endif
