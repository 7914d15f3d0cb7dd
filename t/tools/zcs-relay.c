/*
 * A misbehaving name server for zcheck-servers' tests, on IPv4 loopback
 * addresses: it passes queries on to a real server (NSD) and its replies
 * back, with one fault of the tests' choosing.
 *
 *	zcs-relay [-bU] [-D count] [-s source] [-u upstream] -p port
 *	    -l address ...
 *
 * -u address@port  the real server to pass queries to
 * -s address       send UDP replies from this address (same port), not
 *                  from the one asked
 * -U               no TCP: a connection is refused
 * -D count         drop the first count UDP queries (a lossy path: only
 *                  a query sent again is answered)
 * -b               a black hole: take UDP queries and TCP connections
 *                  and never answer (a time-out, not a refusal); it
 *                  writes "udp ADDRESS" or "tcp ADDRESS" on standard
 *                  output for each, so a test sees what reached it
 *
 * It writes "ready" on standard output once every socket is bound, and
 * runs until it is killed.  DNS messages pass through as octets: nothing
 * here reads them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXL	64

static struct sockaddr_in up;
static bool have_up;

static void
die(const char *what)
{
	fprintf(stderr, "zcs-relay: %s: %s\n", what, strerror(errno));
	exit(2);
}

static struct sockaddr_in
sin_of(const char *a, int port)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, a, &s.sin_addr) != 1) {
		fprintf(stderr, "zcs-relay: %s: not an IPv4 address\n", a);
		exit(2);
	}
	return s;
}

static int
bound(int type, struct sockaddr_in *s)
{
	int fd = socket(AF_INET, type, 0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)s, sizeof(*s)) != 0)
		die("bind");
	if (type == SOCK_STREAM && listen(fd, 64) != 0)
		die("listen");
	return fd;
}

/* One UDP query to the real server, its reply back to the client. */
static void
udp_pass(int fd, int out)
{
	unsigned char buf[65536];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	struct pollfd p;
	ssize_t n;
	int u;

	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	if (n <= 0 || !have_up)
		return;
	if ((u = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		die("socket");
	if (connect(u, (struct sockaddr *)&up, sizeof(up)) != 0 ||
	    send(u, buf, (size_t)n, 0) != n) {
		close(u);
		return;
	}
	p.fd = u;
	p.events = POLLIN;
	if (poll(&p, 1, 2000) == 1 && (n = recv(u, buf, sizeof(buf), 0)) > 0)
		sendto(out, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
	close(u);
}

/* A TCP connection piped to the real server, in a child of its own. */
static void
tcp_pass(int c)
{
	unsigned char buf[65536];
	struct pollfd p[2];
	ssize_t n;
	int u, i;

	if ((u = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(u, (struct sockaddr *)&up, sizeof(up)) != 0)
		_exit(1);
	p[0].fd = c;
	p[1].fd = u;
	p[0].events = p[1].events = POLLIN;
	for (;;) {
		if (poll(p, 2, 3000) <= 0)
			_exit(0);
		for (i = 0; i < 2; i++) {
			if (!p[i].revents)
				continue;
			if ((n = read(p[i].fd, buf, sizeof(buf))) <= 0 ||
			    write(p[1 - i].fd, buf, (size_t)n) != n)
				_exit(0);
		}
	}
}

int
main(int argc, char *argv[])
{
	const char *listen_on[MAXL], *src = NULL;
	struct pollfd p[3 * MAXL + 4096];
	int udp[MAXL], tcp[MAXL], out[MAXL];
	int nl = 0, port = 0, ch, i, np, held = 0;
	bool blackhole = false, notcp = false;
	int drop = 0;
	char *at;

	while ((ch = getopt(argc, argv, "bD:l:p:s:u:U")) != -1) {
		switch (ch) {
		case 'D':
			drop = atoi(optarg);
			break;
		case 'b':
			blackhole = true;
			break;
		case 'l':
			if (nl == MAXL)
				return 2;
			listen_on[nl++] = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 's':
			src = optarg;
			break;
		case 'u':
			if ((at = strchr(optarg, '@')) == NULL)
				return 2;
			*at = '\0';
			up = sin_of(optarg, atoi(at + 1));
			have_up = true;
			break;
		case 'U':
			notcp = true;
			break;
		default:
			return 2;
		}
	}
	if (nl == 0 || port == 0 || (!blackhole && !have_up)) {
		fprintf(stderr, "usage: zcs-relay [-bU] [-s source] "
		    "[-u address@port] -p port -l address ...\n");
		return 2;
	}
	signal(SIGCHLD, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < nl; i++) {
		struct sockaddr_in s = sin_of(listen_on[i], port);
		udp[i] = bound(SOCK_DGRAM, &s);
		tcp[i] = notcp ? -1 : bound(SOCK_STREAM, &s);
		out[i] = udp[i];
		if (src != NULL) {
			struct sockaddr_in o = sin_of(src, port);
			out[i] = bound(SOCK_DGRAM, &o);
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		np = 0;
		for (i = 0; i < nl; i++) {
			p[np].fd = udp[i];
			p[np++].events = POLLIN;
			p[np].fd = tcp[i];
			p[np++].events = POLLIN;
		}
		for (i = 0; i < held; i++) {
			p[np + i].fd = p[2 * nl + i].fd;
			p[np + i].events = POLLIN;
		}
		np += held;
		if (poll(p, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (i = 0; i < nl; i++) {
			if (p[2 * i].revents & POLLIN) {
				if (blackhole || drop > 0) {
					char b[512];
					if (!blackhole) {
						(void)recv(udp[i], b, sizeof(b),
						    0);
						drop--;
					} else if (recv(udp[i], b, sizeof(b),
					    0) >= 0)
						printf("udp %s\n",
						    listen_on[i]);
					fflush(stdout);
				} else
					udp_pass(udp[i], out[i]);
			}
			if (tcp[i] >= 0 && (p[2 * i + 1].revents & POLLIN)) {
				int c = accept(tcp[i], NULL, NULL);
				if (c < 0)
					continue;
				if (blackhole) {
					printf("tcp %s\n", listen_on[i]);
					fflush(stdout);
					/* Held open, never answered. */
					if (held < 4096)
						p[2 * nl + held++].fd = c;
					continue;
				}
				if (fork() == 0)
					tcp_pass(c);
				close(c);
			}
		}
		/* Data on a held connection is read and dropped. */
		for (i = 0; i < held; i++)
			if (p[2 * nl + i].revents & POLLIN) {
				char b[512];
				if (read(p[2 * nl + i].fd, b, sizeof(b)) <= 0)
					p[2 * nl + i].fd = -1;
			}
	}
}
