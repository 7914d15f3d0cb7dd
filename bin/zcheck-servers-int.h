/*
 * The pieces of zcheck-servers, shared between bin/zcheck-servers.c
 * (options, the servers and addresses read, the queries asked, main),
 * bin/parts/zcheck-servers/rules.c (the rules that need no answer: names,
 * addresses, the referral's size, diversity), bin/parts/zcheck-servers/answers.c
 * (the rules over what the servers answered) and
 * bin/parts/zcheck-servers/report.c (the findings written, as text or JSON).
 */
#ifndef ZCHECK_SERVERS_INT_H
#define ZCHECK_SERVERS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "dname.h"
#include "netaddr.h"
#include "probe.h"
#include "referral.h"
#include "zone.h"

#define DEFAULT_WAIT	5.0	/* seconds for the whole run */

#define EDNS_SIZE	1232	/* RFC 9715 */

/* The rules the findings cite. */
#define R_TWO		"RFC 1034 section 4.1; IANA"

#define R_HOST		"RFC 1123 section 2.1"

#define R_DISTINCT	"IANA: distinct addresses"

#define R_NET		"RFC 6890"

#define R_ANSWER	"IANA: answers over UDP and TCP; RFC 7766 section 5"

#define R_AUTH		"RFC 1034 section 4.3.1: authoritative answer"

#define R_SOURCE	"RFC 2181 section 4.1; RFC 5452 section 9.1"

#define R_RECURSION	"RFC 5358"

#define R_NS		"RFC 1034 section 4.2.2"

#define R_GLUE		"RFC 1034 section 4.2.1"

#define R_SERIAL	"RFC 1034 section 4.3.5"

#define R_DS		"RFC 4035 section 5.2"

#define R_KEYSET	"RFC 8901 section 2.1"

#define R_SIZE		"RFC 1035 section 4.2.1; IANA"

#define R_GLUEALL	"RFC 9471 section 3"

#define R_DIVERSE	"RFC 2182 section 3.1"

/* A name server. */
struct host {
	uint8_t		 wire[DNAME_MAXLEN];
	char		 name[DNAME_MAXTEXT];
	bool		 inzone;	/* at or below the zone: glue */
	bool		 asked;		/* a server to query */
	size_t		 ih;		/* index among the in-zone hosts */
};

/* The queries asked at one address, by probe_query index. */
enum { Q_SOA_U, Q_NS_U, Q_REC_U, Q_SOA_T, Q_NS_T, Q_KEY_T, Q_FIXED };

struct addr {
	size_t		 host;
	struct netaddr	 na;
	char		 text[NETADDR_TEXT];
	char		 where[DNAME_MAXTEXT + NETADDR_TEXT];
	enum netaddr_class cls;
	struct netaddr_block blk;
	bool		 queried;
	size_t		 q;		/* its first query */
	/* What it answered. */
	bool		 has_serial;
	uint32_t	 serial;
	ldns_rr_list	*ns;		/* NS RRset, NULL: none */
	ldns_rr_list	*keys;		/* DNSKEY RRset */
	ldns_rr_list	*keysigs;	/* RRSIGs over it */
	char		*keyset;	/* its keys as text, sorted */
};

struct finding {
	int		 check;
	bool		 warning;
	char		*where;
	char		*msg;
	const char	*rule;
};

struct run {
	/* Options. */
	bool		 json, lab, offline, quiet, verbose;
	const char	*dspath, *fragpath;
	uint16_t	 port;
	double		 wait;
	int64_t		 now;
	/* The zone. */
	uint8_t		 apex[DNAME_MAXLEN];
	char		 zname[DNAME_MAXTEXT];
	ldns_rdf	*zrdf;
	/* The servers, their addresses, and the NS RRset expected. */
	struct host	*host;
	size_t		 nhost;
	struct addr	*addr;
	size_t		 naddr;
	char		**expect;	/* NS targets, text */
	size_t		 nexpect;
	size_t		 ninzone;
	struct zone	*ds;		/* -D */
	/* The queries. */
	struct probe_query *q;
	size_t		 nq;
	struct probe_target *t;
	size_t		 nt;
	struct referral_size ref;
	struct finding	*f;
	size_t		 nf, problems, warnings;
};

/* bin/zcheck-servers.c: options, input, queries. */
void		*zcs_xcalloc(size_t n, size_t size);
char		*zcs_xstrdup(const char *s);
/* A finding at a place ("name/address", a name, or the zone). */
void		 zcs_finding(struct run *r, int check, bool warning,
		    const char *where, const char *rule, const char *fmt, ...)
		    __attribute__((format(printf, 6, 7)));
/* A name in presentation form, absolute, lower case, and its wire form. */
int		 zcs_parse_name(const char *s, uint8_t *wire, char *text);
/* An ldns name for a wire name of ours. */
ldns_rdf	*zcs_to_rdf(const uint8_t *wire);
/* The text of an ldns name, lower case. */
void		 zcs_rdf_text(const ldns_rdf *rdf, char *out);

/* bin/parts/zcheck-servers/rules.c: rules without answers. */
/* Check 1: two servers at least, valid names, distinct addresses, none
 * in a special-purpose block (unless -L allows the lab's). */
void		 zcs_check_names(struct run *r);
/* Decide which addresses may be asked (check 1, networks). */
void		 zcs_classify(struct run *r);
/* Check 8: the referral the parent sends, from the NS RRset expected and
 * the glue given for in-zone hosts (every name server of a TLD is below
 * the root: in-bailiwick of the parent). */
void		 zcs_check_referral(struct run *r);
/* Check 9: diversity cannot be proven without routing data; all
 * addresses of a family in one /24 (IPv4) or /48 (IPv6) is a warning. */
void		 zcs_check_diversity(struct run *r);

/* bin/parts/zcheck-servers/answers.c: rules over the answers. */
/*
 * Check 2 for one address: SOA and NS over UDP and TCP.  The same fault
 * on both queries, or on both transports, is said once.
 */
void		 zcs_check_answers(struct run *r, struct addr *a);
/* Check 3: a UDP reply from an address or port other than the one asked
 * (a resolver drops it). */
void		 zcs_check_source(struct run *r, struct addr *a, size_t nq);
/* Check 4: no recursion for names outside the zone. */
void		 zcs_check_recursion(struct run *r, struct addr *a);
/* Check 5, the NS RRset: what the address serves against what is
 * expected (the fragment's, or the servers named). */
void		 zcs_check_ns(struct run *r, struct addr *a);
/* Check 5, the glue: the address records the address serves for each
 * in-zone host against the addresses given for it. */
void		 zcs_check_glue(struct run *r, struct addr *a);
/* The serial an address serves (UDP, else TCP). */
void		 zcs_take_serial(struct run *r, struct addr *a);
/* Check 6: one serial everywhere.  The serial most addresses serve (the
 * later one on a tie) is the reference; every other address is named
 * with its own. */
void		 zcs_check_serials(struct run *r);
/*
 * The DNSKEY RRset should be the same at every address: operators that
 * serve one zone together publish every operator's keys (RFC 8901
 * section 2.1), and a key set that changed at one address (a ZSK roll
 * at one operator in the middle of the migration, a server left behind)
 * breaks that.  The set most addresses serve (on a tie, the first
 * address's) is the reference; a warning names each other address with
 * what it has and lacks.
 */
void		 zcs_check_keysets(struct run *r);
/* The DNSKEY RRset and its signatures from the TCP answer. */
void		 zcs_take_keys(struct run *r, struct addr *a);
void		 zcs_ds_name(const struct rr *ds, char *out, size_t size);
/*
 * Check 7 at one address: every DS of -d names, by its recomputed
 * digest, a DNSKEY with the zone-key flag that the address serves, and
 * the DNSKEY RRset validates from the DS set: a signature over it, by a
 * key that a DS names, verifies and is valid at -t (RFC 4035 §5.2 and
 * §5.3).
 */
void		 zcs_check_keys(struct run *r, struct addr *a);

/* bin/parts/zcheck-servers/report.c: the report. */
void		 zcs_print_list(struct run *r, FILE *f);
/* -j: one object, the findings and a summary with every address. */
void		 zcs_print_json(struct run *r, FILE *f);

#endif
