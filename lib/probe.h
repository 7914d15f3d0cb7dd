/*
 * Asking many name servers at once: every query of a run is sent at the
 * start, over UDP (one socket per address) or TCP (one connection per
 * address, the queries pipelined, RFC 7766 section 6.2.1), and a single
 * poll(2) loop collects the replies until all have come or the one
 * time-out of the run has passed.  Packets are built and parsed by ldns;
 * a reply is taken only with the ID and question of its query (RFC 5452
 * section 9.1), and a UDP reply from an address or port other than the
 * one asked is kept but marked.
 */
#ifndef PROBE_H
#define PROBE_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>

#include <ldns/ldns.h>

struct diag;

enum probe_state {
	PROBE_PENDING,
	PROBE_ANSWERED,
	PROBE_TIMEOUT,		/* no reply in time */
	PROBE_FAILED		/* the send or the connection failed: err */
};

struct probe_query {
	/* Given by the caller. */
	size_t		 target;	/* index of the address asked */
	bool		 tcp;
	ldns_pkt	*q;		/* the query; its ID is set here */
	/* Results. */
	enum probe_state state;
	int		 err;		/* errno of a failure */
	ldns_pkt	*reply;		/* owned by the query */
	bool		 stray;		/* UDP reply from elsewhere: from */
	struct sockaddr_storage from;
	double		 ms;		/* round trip */
	/* Private. */
	uint8_t		*wire;
	size_t		 wlen;
	bool		 resent;
};

struct probe_target {
	struct sockaddr_storage sa;
	socklen_t	 salen;
};

int	 probe_run(const struct probe_target *, size_t, struct probe_query *,
	    size_t, int, struct diag *);
void	 probe_clear(struct probe_query *, size_t);

#endif
