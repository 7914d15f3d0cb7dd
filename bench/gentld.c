/*
 * gentld writes a generated TLD zone to standard output: the SOA, the
 * apex NS RRset with the glue of its name servers, then the given number
 * of delegations in random order.  Each delegation has two or three NS
 * records; a few percent use name servers inside the delegated name,
 * with A (and often AAAA) glue, the rest use the hosts of a pool of
 * providers outside the zone that many delegations share, the larger
 * providers far more often.  About one delegation in ten has one or two
 * DS records (digest type 2, RFC 4509).  Names vary in length and
 * alphabet, some are IDNA labels (RFC 5890 §2.3.2.1).  The text mixes
 * relative and absolute names, omitted and given owners, TTLs and
 * classes, one record per line, as zone files written by hand and by
 * registry systems do.
 *
 * The output is the benchmark workload of bench/run.sh.  It depends
 * only on the arguments: a small PRNG of its own (splitmix64) is the
 * only source of randomness, so the same arguments give byte-identical
 * output on every machine.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXLABEL	63
#define ZONE_TTL	86400

static const char *prog = "gentld";

struct rng {
	uint64_t	s;
};

/* The set of the delegated labels: 64-bit fingerprints, open addressing.
 * A fingerprint collision only makes a fresh name be drawn again, which
 * keeps the output deterministic and the names distinct. */
struct nameset {
	uint64_t	*slot;
	size_t		 mask;
};

struct provider {
	char	domain[96];
	int	nhosts;
	char	host[4][8];
};

struct gen {
	struct rng	 r;
	struct nameset	 names;
	struct provider	*prov;
	size_t		 nprov;
	const char	*tld;		/* without the final dot */
	int		 mixcase;
};

static void
usage(void)
{
	fprintf(stderr, "usage: gentld [-S] [-n delegations] [-s seed] "
	    "[-z tld]\n");
	exit(2);
}

static void
die(const char *msg)
{
	fprintf(stderr, "%s: %s\n", prog, msg);
	exit(2);
}

/* splitmix64 (Steele, Lea and Flood, 2014). */
static uint64_t
next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0; the bias of the modulo is below 2^-32 for
 * the small n used here, which is irrelevant for a workload. */
static uint32_t
below(struct rng *r, uint32_t n)
{
	return (uint32_t)((next(r) >> 32) * n >> 32);
}

/* True with probability permille / 1000. */
static int
chance(struct rng *r, uint32_t permille)
{
	return below(r, 1000) < permille;
}

static uint64_t
fingerprint(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a, then mixed */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1;
}

static void
nameset_init(struct nameset *ns, size_t n)
{
	size_t cap = 1024;

	while (cap < 2 * n + 16)
		cap *= 2;
	if ((ns->slot = calloc(cap, sizeof(*ns->slot))) == NULL)
		die("out of memory");
	ns->mask = cap - 1;
}

/* Add a name; 0 when it was there already. */
static int
nameset_add(struct nameset *ns, const char *name)
{
	uint64_t h = fingerprint(name);
	size_t i = (size_t)h & ns->mask;

	while (ns->slot[i] != 0) {
		if (ns->slot[i] == h)
			return 0;
		i = (i + 1) & ns->mask;
	}
	ns->slot[i] = h;
	return 1;
}

/* A letter-digit-hyphen label (RFC 1123 §2.1, RFC 5891 §4.2.3.1: no
 * hyphen first or last, none in the third and fourth positions). */
static void
ldh_label(struct rng *r, char *out, int len, int digits, int hyphens)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
	int i;

	for (i = 0; i < len; i++) {
		if (digits && chance(r, 150))
			out[i] = (char)('0' + below(r, 10));
		else
			out[i] = letters[below(r, 26)];
	}
	if (hyphens && len >= 5) {
		int k = 1 + (int)below(r, 2), p;
		while (k-- > 0) {
			p = 1 + (int)below(r, (uint32_t)(len - 2));
			if (p != 2 && p != 3 && out[p - 1] != '-' &&
			    out[p + 1] != '-')
				out[p] = '-';
		}
	}
	out[len] = '\0';
}

/* Lengths of the delegated labels: mostly 5 to 12 characters, a tail of
 * longer brand and phrase names, a few of three or four. */
static int
label_length(struct rng *r)
{
	uint32_t u = below(r, 1000);

	if (u < 40)
		return 3 + (int)below(r, 2);
	if (u < 800)
		return 5 + (int)below(r, 8);
	if (u < 970)
		return 13 + (int)below(r, 8);
	return 21 + (int)below(r, 20);
}

/* A delegated label: an IDNA A-label for about 4%, else LDH with digits
 * in some and hyphens in some. */
static void
deleg_label(struct rng *r, char *out)
{
	if (chance(r, 40)) {
		memcpy(out, "xn--", 4);
		ldh_label(r, out + 4, 4 + (int)below(r, 17), 1, 0);
		/* Punycode ends the basic code points with a hyphen
		 * (RFC 3492 §3.1), inside the label, never at its ends. */
		if (chance(r, 600))
			out[5 + below(r, (uint32_t)strlen(out + 4) - 2)] = '-';
		return;
	}
	ldh_label(r, out, label_length(r), chance(r, 200), chance(r, 150));
}

static void
make_providers(struct gen *g, size_t ndeleg)
{
	static const char *tlds[] = { "net", "com", "org", "de", "eu",
	    "io", "nl", "fr", "ch", "uk" };
	static const char *styles[][4] = {
		{ "ns1", "ns2", "ns3", "ns4" },
		{ "dns1", "dns2", "dns3", "dns4" },
		{ "a", "b", "c", "d" },
		{ "ns", "ns2", "ns3", "ns4" },
		{ "pdns1", "pdns2", "pdns3", "pdns4" },
	};
	size_t i;
	char label[MAXLABEL + 1];
	int s, k;

	g->nprov = ndeleg / 400 < 40 ? 40 : ndeleg / 400;
	if ((g->prov = calloc(g->nprov, sizeof(*g->prov))) == NULL)
		die("out of memory");
	for (i = 0; i < g->nprov; i++) {
		struct provider *p = &g->prov[i];
		ldh_label(&g->r, label, 4 + (int)below(&g->r, 12),
		    chance(&g->r, 100), chance(&g->r, 200));
		snprintf(p->domain, sizeof(p->domain), "%s%s.%s", label,
		    i % 7 == 3 ? "-dns" : "", tlds[below(&g->r, 10)]);
		s = (int)below(&g->r, 5);
		p->nhosts = 2 + (int)below(&g->r, 3);
		for (k = 0; k < p->nhosts; k++)
			snprintf(p->host[k], sizeof(p->host[k]), "%s",
			    styles[s][k]);
	}
}

/* A provider, the large ones far more often: index n * u^3. */
static const struct provider *
pick_provider(struct gen *g)
{
	double u = (double)(next(&g->r) >> 11) / 9007199254740992.0;

	return &g->prov[(size_t)(u * u * u * (double)g->nprov)];
}

/* Write a label of an owner, in mixed case when asked (RFC 4343). */
static void
put_label(struct gen *g, const char *s)
{
	int mix = g->mixcase && chance(&g->r, 50);

	for (; *s != '\0'; s++)
		putchar(mix && chance(&g->r, 400) ?
		    toupper((unsigned char)*s) : *s);
}

/* An owner: relative, absolute, or omitted (the previous owner, RFC
 * 1035 §5.1) when same is set and the dice allow. */
static void
put_owner(struct gen *g, const char *prefix, const char *label, int same)
{
	if (same && chance(&g->r, 500)) {
		putchar('\t');
		return;
	}
	if (prefix != NULL) {
		fputs(prefix, stdout);
		putchar('.');
	}
	put_label(g, label);
	if (chance(&g->r, 250))
		printf(".%s.", g->tld);
	putchar('\t');
}

/* TTL and class: each present or omitted, the TTL equal across the
 * RRset (RFC 2181 §5.2), so that omitted means $TTL, the same value. */
static void
put_ttl_class(struct gen *g, uint32_t ttl)
{
	if (ttl != ZONE_TTL || chance(&g->r, 300))
		printf("%u ", ttl);
	if (chance(&g->r, 600))
		fputs("IN ", stdout);
}

static void
put_ipv4(struct gen *g)
{
	uint32_t a = (uint32_t)next(&g->r);

	/* 198.18.0.0/15, the benchmarking range (RFC 2544, RFC 6890). */
	printf("198.%u.%u.%u", 18 + (a >> 16 & 1), a >> 8 & 255,
	    1 + (a & 255) % 254);
}

static void
put_ipv6(struct gen *g)
{
	uint64_t a = next(&g->r);

	/* 2001:db8::/32, the documentation prefix (RFC 3849). */
	printf("2001:db8:%x:%x::%x", (unsigned)(a >> 48),
	    (unsigned)(a >> 32 & 0xffff), 1 + (unsigned)(a & 0xfff));
}

static void
put_ds(struct gen *g, const char *label, uint32_t ttl)
{
	static const int algs[] = { 8, 13, 13, 13, 14, 15 };
	int i;

	put_owner(g, NULL, label, 1);
	put_ttl_class(g, ttl);
	printf("DS\t%u %d 2 ", below(&g->r, 65536), algs[below(&g->r, 6)]);
	for (i = 0; i < 4; i++)
		printf("%016llX", (unsigned long long)next(&g->r));
	putchar('\n');
}

static void
put_glue(struct gen *g, const char *host, const char *label, uint32_t ttl)
{
	char prefix[16];

	snprintf(prefix, sizeof(prefix), "%s", host);
	put_owner(g, prefix, label, 0);
	put_ttl_class(g, ttl);
	fputs("A\t", stdout);
	put_ipv4(g);
	putchar('\n');
	if (chance(&g->r, 600)) {
		put_owner(g, prefix, label, 1);
		put_ttl_class(g, ttl);
		fputs("AAAA\t", stdout);
		put_ipv6(g);
		putchar('\n');
	}
}

/*
 * One delegation: its NS RRset (RFC 1034 §4.2.1), DS RRset when signed
 * (RFC 4035 §2.4), and the glue of name servers inside the delegated
 * name, without which they could not be reached (RFC 1034 §4.2.1).
 */
static void
put_delegation(struct gen *g, const char *label)
{
	static const char *own[] = { "ns1", "ns2", "ns3" };
	const struct provider *p = NULL, *q = NULL;
	uint32_t ttl = chance(&g->r, 50) ? 3600 : ZONE_TTL;
	int nns = chance(&g->r, 250) ? 3 : 2, inb, i, nds;

	inb = chance(&g->r, 30);
	if (!inb) {
		p = pick_provider(g);
		q = chance(&g->r, 80) ? pick_provider(g) : p;
		if (p->nhosts < nns)
			nns = p->nhosts;
	}
	for (i = 0; i < nns; i++) {
		put_owner(g, NULL, label, i > 0);
		put_ttl_class(g, ttl);
		if (inb) {
			printf("NS\t%s.", own[i]);
			if (chance(&g->r, 500))
				printf("%s.%s.\n", label, g->tld);
			else
				printf("%s\n", label);
		} else if (i == nns - 1 && q != p)
			printf("NS\t%s.%s.\n", q->host[0], q->domain);
		else
			printf("NS\t%s.%s.\n", p->host[i], p->domain);
	}
	nds = chance(&g->r, 100) ? 1 + (int)chance(&g->r, 300) : 0;
	for (i = 0; i < nds; i++)
		put_ds(g, label, ttl);
	if (inb)
		for (i = 0; i < nns; i++)
			put_glue(g, own[i], label, ttl);
}

static void
put_apex(struct gen *g, const char *argline)
{
	static const char *hosts[] = { "a.nic", "b.nic", "c.nic" };
	int i;

	printf("; %s\n", argline);
	printf("$ORIGIN %s.\n$TTL %d\n", g->tld, ZONE_TTL);
	printf("@\tIN SOA\ta.nic hostmaster.nic.%s. "
	    "2026112801 1800 900 1209600 3600\n", g->tld);
	for (i = 0; i < 3; i++)
		printf("%s\tIN NS\t%s.%s.\n", i == 0 ? "@" : "", hosts[i],
		    g->tld);
	for (i = 0; i < 3; i++) {
		printf("%s\tIN A\t", hosts[i]);
		put_ipv4(g);
		printf("\n\tIN AAAA\t");
		put_ipv6(g);
		putchar('\n');
	}
}

static void
put_delegations(struct gen *g, unsigned long n)
{
	char label[MAXLABEL + 1];
	unsigned long i;

	nameset_init(&g->names, n + 1);
	(void)nameset_add(&g->names, "nic");
	for (i = 0; i < n; i++) {
		do
			deleg_label(&g->r, label);
		while (!nameset_add(&g->names, label));
		put_delegation(g, label);
	}
}

static unsigned long
number(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v > max ||
	    *s == '-')
		usage();
	return v;
}

/* The TLD as given, without its final dot, checked to be a name. */
static const char *
tld_name(char *s)
{
	size_t n = strlen(s), i, lab = 0;

	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	if (n == 0 || n > 200)
		usage();
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (lab == 0)
				usage();
			lab = 0;
		} else if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			usage();
		else if (++lab > MAXLABEL)
			usage();
	}
	return s;
}

int
main(int argc, char *argv[])
{
	struct gen g;
	unsigned long n = 1000000, seed = 1;
	char argline[256];
	int ch;

	memset(&g, 0, sizeof(g));
	g.tld = "tld";
	while ((ch = getopt(argc, argv, "Sn:s:z:")) != -1) {
		switch (ch) {
		case 'S':
			g.mixcase = 1;
			break;
		case 'n':
			n = number(optarg, 100000000);
			break;
		case 's':
			seed = number(optarg, 0xffffffffUL);
			break;
		case 'z':
			g.tld = tld_name(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	snprintf(argline, sizeof(argline), "gentld%s -n %lu -s %lu -z %s",
	    g.mixcase ? " -S" : "", n, seed, g.tld);
	g.r.s = seed;
	make_providers(&g, n);
	put_apex(&g, argline);
	put_delegations(&g, n);
	free(g.names.slot);
	free(g.prov);
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		die("write error");
	return 0;
}
