/*
 * The query engine of zcheck-servers: non-blocking sockets and one poll(2)
 * loop, so that a run over many addresses takes one round trip, or one
 * time-out when some never answer, not one per query.  No DNS wire
 * format is read or written here by hand: ldns builds the queries
 * (ldns_pkt2wire) and parses the replies (ldns_wire2pkt); only the two-
 * octet length that frames a message over TCP (RFC 1035 section 4.2.2)
 * is ours.
 */
#include <time.h>		/* before errqueue.h, which needs timespec */
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "diag.h"
#include "probe.h"
#include "wire.h"

#define MSG_MAX	65535

/* The queries of one address over one transport. */
struct conn {
	const struct probe_target *t;
	bool		 tcp;
	int		 fd;
	bool		 connecting;
	size_t		*q;		/* query indexes */
	size_t		 nq;
	size_t		 pending;
	uint16_t	 base;		/* the ID of the first query */
	uint8_t		*out;		/* TCP: what is left to write */
	size_t		 outlen, outoff;
	uint8_t		*in;		/* TCP: what was read */
	size_t		 inlen;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static bool
same_sockaddr(const struct sockaddr_storage *x,
    const struct sockaddr_storage *y)
{
	if (x->ss_family != y->ss_family)
		return false;
	if (x->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)x;
		const struct sockaddr_in *b = (const struct sockaddr_in *)y;
		return a->sin_port == b->sin_port &&
		    a->sin_addr.s_addr == b->sin_addr.s_addr;
	}
	if (x->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)x;
		const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)y;
		return a->sin6_port == b->sin6_port &&
		    memcmp(&a->sin6_addr, &b->sin6_addr, 16) == 0;
	}
	return false;
}

static void
finish(struct probe_query *pq, struct conn *c, enum probe_state st, int err)
{
	if (pq->state != PROBE_PENDING)
		return;
	pq->state = st;
	pq->err = err;
	c->pending--;
}

static void
fail_conn(struct probe_query *qs, struct conn *c, int err)
{
	size_t k;

	for (k = 0; k < c->nq; k++)
		finish(&qs[c->q[k]], c, PROBE_FAILED, err);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Whether the reply answers the query: the same question (RFC 5452
 * section 9.1; ldns compares names without regard to case). */
static bool
same_question(const ldns_pkt *q, const ldns_pkt *r)
{
	const ldns_rr_list *a = ldns_pkt_question(q);
	const ldns_rr_list *b = ldns_pkt_question(r);
	const ldns_rr *x, *y;

	if (ldns_rr_list_rr_count(a) != 1 || ldns_rr_list_rr_count(b) != 1)
		return false;
	x = ldns_rr_list_rr(a, 0);
	y = ldns_rr_list_rr(b, 0);
	return ldns_rr_get_type(x) == ldns_rr_get_type(y) &&
	    ldns_rr_get_class(x) == ldns_rr_get_class(y) &&
	    ldns_dname_compare(ldns_rr_owner(x), ldns_rr_owner(y)) == 0;
}

/* A message read from c: it answers the pending query with its ID and
 * question, or it is dropped. */
static void
take(struct probe_query *qs, struct conn *c, const uint8_t *msg,
    size_t len, const struct sockaddr_storage *from, double t0)
{
	ldns_pkt *r = NULL;
	struct probe_query *pq;
	uint16_t k;

	if (ldns_wire2pkt(&r, msg, len) != LDNS_STATUS_OK)
		return;
	k = (uint16_t)(ldns_pkt_id(r) - c->base);
	if (k >= c->nq || (pq = &qs[c->q[k]])->state != PROBE_PENDING ||
	    !same_question(pq->q, r)) {
		ldns_pkt_free(r);
		return;
	}
	pq->reply = r;
	pq->ms = now_ms() - t0;
	if (from != NULL) {
		pq->from = *from;
		pq->stray = !same_sockaddr(from, &c->t->sa);
	} else
		pq->from = c->t->sa;
	finish(pq, c, PROBE_ANSWERED, 0);
}

static void
udp_send(struct probe_query *qs, struct conn *c, bool again)
{
	size_t k;

	for (k = 0; k < c->nq; k++) {
		struct probe_query *pq = &qs[c->q[k]];
		if (pq->state != PROBE_PENDING || (again && pq->resent))
			continue;
		pq->resent = again;
		if (sendto(c->fd, pq->wire, pq->wlen, 0,
		    (const struct sockaddr *)&c->t->sa, c->t->salen) < 0 &&
		    errno != EAGAIN)
			finish(pq, c, PROBE_FAILED, errno);
	}
}

/*
 * An ICMP error for the address asked (port or host unreachable), which
 * Linux queues on an unconnected socket when asked with IP_RECVERR: the
 * address will not answer over UDP, so its queries fail at once instead
 * of waiting for the time-out.
 */
static void
udp_error(struct probe_query *qs, struct conn *c)
{
	char ctl[512];
	uint8_t b[1];
	struct iovec iov = { b, sizeof(b) };
	struct sockaddr_storage off;
	struct msghdr m;
	struct cmsghdr *cm;
	int err = 0;

	for (;;) {
		memset(&m, 0, sizeof(m));
		m.msg_name = &off;
		m.msg_namelen = sizeof(off);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		if (recvmsg(c->fd, &m, MSG_ERRQUEUE) < 0)
			break;
		for (cm = CMSG_FIRSTHDR(&m); cm != NULL;
		    cm = CMSG_NXTHDR(&m, cm)) {
			const struct sock_extended_err *ee;
			if (!((cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_RECVERR) ||
			    (cm->cmsg_level == IPPROTO_IPV6 &&
			    cm->cmsg_type == IPV6_RECVERR)))
				continue;
			ee = (const struct sock_extended_err *)CMSG_DATA(cm);
			if (ee->ee_origin == SO_EE_ORIGIN_ICMP ||
			    ee->ee_origin == SO_EE_ORIGIN_ICMP6)
				err = (int)ee->ee_errno;
		}
	}
	if (err != 0)
		fail_conn(qs, c, err);
}

static void
udp_read(struct probe_query *qs, struct conn *c, uint8_t *buf, double t0)
{
	struct sockaddr_storage from;
	socklen_t fl;
	ssize_t n;

	for (;;) {
		fl = sizeof(from);
		memset(&from, 0, sizeof(from));
		n = recvfrom(c->fd, buf, MSG_MAX, 0, (struct sockaddr *)&from,
		    &fl);
		if (n < 0)
			return;
		take(qs, c, buf, (size_t)n, &from, t0);
	}
}

static void
tcp_write(struct probe_query *qs, struct conn *c)
{
	ssize_t n;

	while (c->outoff < c->outlen) {
		n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				fail_conn(qs, c, errno);
			return;
		}
		c->outoff += (size_t)n;
	}
}

static void
tcp_read(struct probe_query *qs, struct conn *c, double t0)
{
	size_t len;
	ssize_t n;

	for (;;) {
		n = read(c->fd, c->in + c->inlen, 2 + MSG_MAX - c->inlen);
		if (n == 0) {
			fail_conn(qs, c, ECONNRESET);
			return;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				fail_conn(qs, c, errno);
			return;
		}
		c->inlen += (size_t)n;
		/* Each message comes after its length (RFC 1035 §4.2.2). */
		while (c->inlen >= 2 &&
		    c->inlen >= 2 + (len = wire_get16(c->in))) {
			take(qs, c, c->in + 2, len, NULL, t0);
			memmove(c->in, c->in + 2 + len, c->inlen - 2 - len);
			c->inlen -= 2 + len;
		}
		if (c->pending == 0)
			return;
	}
}

/* Open the socket of a connection and send, or start sending. */
static int
conn_open(struct probe_query *qs, struct conn *c, struct diag *d)
{
	size_t k, off = 0;

	c->fd = socket(c->t->sa.ss_family, (c->tcp ? SOCK_STREAM :
	    SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOMEM ||
		    errno == ENOBUFS) {
			diag_set(d, NULL, 0, "socket: %s", strerror(errno));
			return -1;
		}
		fail_conn(qs, c, errno);
		return 0;
	}
	if (!c->tcp) {
		int one = 1;
		if (c->t->sa.ss_family == AF_INET)
			setsockopt(c->fd, IPPROTO_IP, IP_RECVERR, &one,
			    sizeof(one));
		else
			setsockopt(c->fd, IPPROTO_IPV6, IPV6_RECVERR, &one,
			    sizeof(one));
		udp_send(qs, c, false);
		return 0;
	}
	for (k = 0; k < c->nq; k++)
		c->outlen += 2 + qs[c->q[k]].wlen;
	if ((c->out = malloc(c->outlen)) == NULL ||
	    (c->in = malloc(2 + MSG_MAX)) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		return -1;
	}
	for (k = 0; k < c->nq; k++) {
		const struct probe_query *pq = &qs[c->q[k]];
		off = (size_t)(wire_put16(c->out + off, (uint16_t)pq->wlen) -
		    c->out);
		memcpy(c->out + off, pq->wire, pq->wlen);
		off += pq->wlen;
	}
	if (connect(c->fd, (const struct sockaddr *)&c->t->sa,
	    c->t->salen) == 0)
		tcp_write(qs, c);
	else if (errno == EINPROGRESS)
		c->connecting = true;
	else
		fail_conn(qs, c, errno);
	return 0;
}

static void
conn_event(struct probe_query *qs, struct conn *c, short ev, uint8_t *buf,
    double t0)
{
	int err = 0;
	socklen_t el = sizeof(err);

	if (!c->tcp) {
		if (ev & POLLIN)
			udp_read(qs, c, buf, t0);
		if (c->fd >= 0 && (ev & POLLERR))
			udp_error(qs, c);
		return;
	}
	if (c->connecting) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
			err = errno;
		if (err != 0) {
			fail_conn(qs, c, err);
			return;
		}
		if (!(ev & (POLLOUT | POLLIN)))
			return;
		c->connecting = false;
	}
	if (c->fd >= 0 && (ev & POLLOUT))
		tcp_write(qs, c);
	if (c->fd >= 0 && (ev & (POLLIN | POLLHUP | POLLERR)))
		tcp_read(qs, c, t0);
}

/* Give every query an ID and its wire form; group them by address and
 * transport. */
static int
prepare(const struct probe_target *t, size_t nt, struct probe_query *qs,
    size_t nq, struct conn *cs, struct diag *d)
{
	size_t i;

	for (i = 0; i < 2 * nt; i++) {
		cs[i].t = &t[i / 2];
		cs[i].tcp = i % 2;
		cs[i].fd = -1;
		cs[i].base = ldns_get_random();
	}
	for (i = 0; i < nq; i++) {
		struct conn *c = &cs[2 * qs[i].target + qs[i].tcp];
		size_t *nqs = realloc(c->q, (c->nq + 1) * sizeof(*c->q));
		if (nqs == NULL) {
			diag_set(d, NULL, 0, "out of memory");
			return -1;
		}
		c->q = nqs;
		ldns_pkt_set_id(qs[i].q, (uint16_t)(c->base + c->nq));
		c->q[c->nq++] = i;
		c->pending++;
		qs[i].state = PROBE_PENDING;
		qs[i].reply = NULL;
		qs[i].stray = false;
		qs[i].resent = false;
		if (ldns_pkt2wire(&qs[i].wire, qs[i].q, &qs[i].wlen) !=
		    LDNS_STATUS_OK) {
			diag_set(d, NULL, 0, "cannot build a query");
			return -1;
		}
	}
	return 0;
}

/*
 * Send every query and wait for the replies, timeout_ms at most from the
 * start; UDP queries still unanswered halfway are sent once more.
 * Returns -1 (with d) only when the run could not be made at all.
 */
int
probe_run(const struct probe_target *t, size_t nt, struct probe_query *qs,
    size_t nq, int timeout_ms, struct diag *d)
{
	struct conn *cs;
	struct pollfd *pf = NULL;
	size_t *pc = NULL, i, np, left;
	uint8_t *buf = NULL;
	double t0 = now_ms(), end = t0 + timeout_ms, half = t0 +
	    timeout_ms / 2.0, now;
	bool resent = false;
	int rc = -1, wait;

	if ((cs = calloc(2 * nt + 1, sizeof(*cs))) == NULL ||
	    (pf = calloc(2 * nt + 1, sizeof(*pf))) == NULL ||
	    (pc = calloc(2 * nt + 1, sizeof(*pc))) == NULL ||
	    (buf = malloc(MSG_MAX)) == NULL) {
		diag_set(d, NULL, 0, "out of memory");
		goto out;
	}
	if (prepare(t, nt, qs, nq, cs, d) != 0)
		goto out;
	for (i = 0; i < 2 * nt; i++)
		if (cs[i].nq > 0 && conn_open(qs, &cs[i], d) != 0)
			goto out;
	for (;;) {
		left = 0;
		np = 0;
		for (i = 0; i < 2 * nt; i++) {
			struct conn *c = &cs[i];
			left += c->pending;
			if (c->fd < 0 || c->pending == 0)
				continue;
			pf[np].fd = c->fd;
			pf[np].events = POLLIN;
			if (c->tcp && (c->connecting || c->outoff < c->outlen))
				pf[np].events |= POLLOUT;
			pf[np].revents = 0;
			pc[np++] = i;
		}
		now = now_ms();
		if (left == 0 || now >= end)
			break;
		if (!resent && now >= half) {
			for (i = 0; i < 2 * nt; i++)
				if (!cs[i].tcp && cs[i].fd >= 0)
					udp_send(qs, &cs[i], true);
			resent = true;
			continue;
		}
		wait = (int)((resent ? end : half) - now) + 1;
		if (poll(pf, np, wait) < 0) {
			if (errno == EINTR)
				continue;
			diag_set(d, NULL, 0, "poll: %s", strerror(errno));
			goto out;
		}
		for (i = 0; i < np; i++)
			if (pf[i].revents != 0 && cs[pc[i]].fd >= 0)
				conn_event(qs, &cs[pc[i]], pf[i].revents, buf,
				    t0);
	}
	for (i = 0; i < 2 * nt; i++) {
		size_t k;
		for (k = 0; k < cs[i].nq; k++)
			finish(&qs[cs[i].q[k]], &cs[i], PROBE_TIMEOUT, 0);
	}
	rc = 0;
out:
	if (cs != NULL)
		for (i = 0; i < 2 * nt; i++) {
			if (cs[i].fd >= 0)
				close(cs[i].fd);
			free(cs[i].q);
			free(cs[i].out);
			free(cs[i].in);
		}
	free(cs);
	free(pf);
	free(pc);
	free(buf);
	return rc;
}

/* Free what a run left in the queries (replies and wire forms). */
void
probe_clear(struct probe_query *qs, size_t nq)
{
	size_t i;

	for (i = 0; i < nq; i++) {
		ldns_pkt_free(qs[i].reply);
		qs[i].reply = NULL;
		free(qs[i].wire);
		qs[i].wire = NULL;
	}
}
