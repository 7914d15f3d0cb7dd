# lib/observe.sh: what the servers serve now.  A step that depends on
# someone else's publication (the parent's steps 4, 8 and 12; the other
# operator's steps) is done at the first moment *every* configured
# address serves it, as seen by asking them, never when someone says so:
# the waits of PROCEDURE.md run from that moment.  An address that cannot
# be asked, or that answers anything else, is "not yet": nothing is
# recorded, and what depends on it is refused (fail closed).
#
# The servers are configured as words name=address[@port]:
#   PARENT_SERVERS  every address of the parent's servers (the root's)
#   A_SERVERS       every address of operator A's servers
#   B_SERVERS       every address of operator B's servers
# OBSERVE_TIMEOUT is how long a command keeps asking (every
# OBSERVE_INTERVAL seconds) before it gives up; 0 asks once.
#
# Queries go only to the addresses configured, with recursion off (RD
# clear) over TCP (kdig +tcp +norec), so that an answer is never cut and
# never comes from a cache; names are never looked up through the
# system's resolver.
#
# Sourced by lib.sh, never run alone.

# Check the server lists of the config (state_load calls this).
observe_load() {
	local v w
	: "${PARENT_SERVERS:=}" "${A_SERVERS:=}" "${B_SERVERS:=}"
	: "${OBSERVE_TIMEOUT:=0}" "${OBSERVE_INTERVAL:=5}"
	for v in OBSERVE_TIMEOUT OBSERVE_INTERVAL; do
		case ${!v} in
		''|*[!0-9]*) die "config: $v='${!v}': not a number of seconds" ;;
		esac
	done
	case ${LAB_ADDRESSES:=no} in
	yes|no) ;;
	*) die "config: LAB_ADDRESSES='$LAB_ADDRESSES': not yes or no" ;;
	esac
	[ "$OBSERVE_INTERVAL" -gt 0 ] ||
	    die "config: OBSERVE_INTERVAL=0: the servers would be asked without a pause"
	for v in PARENT_SERVERS A_SERVERS B_SERVERS; do
		for w in ${!v}; do
			server_word "$w" > /dev/null ||
			    die "config: $v: '$w': not name=address[@port] (see bero-migrate(1), OBSERVATION)"
		done
		[ -z "${!v}" ] || servers_vetted "$v"
	done
}

# server_word WORD: "name address port" of name=address[@port], or
# failure.  The address is IPv4 or IPv6 (a literal: nothing is looked
# up); the port 1 to 65535, 53 by default.
server_word() {
	local name addr port=53
	case $1 in
	*=*) ;;
	*) return 1 ;;
	esac
	name=${1%%=*}
	addr=${1#*=}
	case $addr in
	*@*) port=${addr##*@}; addr=${addr%@*} ;;
	esac
	case $name in
	*.) hostname_ok "$name" || return 1 ;;
	*) return 1 ;;
	esac
	case $addr in
	''|*[!0-9A-Fa-f:.]*) return 1 ;;
	*:*) ;;
	*.*.*.*) ;;
	*) return 1 ;;
	esac
	case $port in
	''|*[!0-9]*) return 1 ;;
	esac
	[ "$port" -ge 1 ] && [ "$port" -le 65535 ] || return 1
	printf '%s %s %s\n' "${name,,}" "$addr" "$port"
}

# servers_of parent|a|b: one line "name address port" per configured
# address.  None configured is an error: what cannot be asked cannot be
# observed.
servers_of() {
	local v w
	case $1 in
	parent) v=PARENT_SERVERS ;;
	a) v=A_SERVERS ;;
	b) v=B_SERVERS ;;
	*) die "servers_of: $1: no such party" ;;
	esac
	[ -n "${!v}" ] ||
	    die "config: $v is empty: the servers of the $(party_name "$1") cannot be asked, so nothing of theirs can be observed (see bero-migrate(1), OBSERVATION)"
	for w in ${!v}; do
		server_word "$w"
	done
}

# servers_vetted VAR: no address of the list is one a name server has no
# business on (RFC 6890: private, loopback, documentation, link-local,
# multicast, reserved), as zcheck-servers -O judges it, before any is
# asked; LAB_ADDRESSES=yes lets a lab's loopback, private and
# documentation addresses pass (-L), never the others.  Checked when the
# config is loaded, once a run per list.
servers_vetted() {
	local v=$1 w frag bad lab=
	case " ${SERVERS_VETTED:-} " in
	*" $v "*) return 0 ;;
	esac
	[ "$LAB_ADDRESSES" = yes ] && lab=-L
	frag=$(mktemp "${TMPDIR:-/tmp}/bero-servers.XXXXXX") ||
	    die "cannot make a temporary file"
	for w in ${!v}; do
		set -- $(server_word "$w")
		printf 'observe.invalid.\t3600\tIN\tNS\t%s\n' "$1"
		case $2 in
		*:*) printf '%s\t3600\tIN\tAAAA\t%s\n' "$1" "$2" ;;
		*) printf '%s\t3600\tIN\tA\t%s\n' "$1" "$2" ;;
		esac
	done > "$frag"
	bad=$(zcheck-servers -O $lab -n "$frag" observe.invalid. 2>&1 |
	    grep -F 'RFC 6890')
	rm -f "$frag"
	[ -z "$bad" ] ||
	    die "config: $v: an address no name server may have; nothing asked (see bero-migrate(1), OBSERVATION):
$bad"
	SERVERS_VETTED="${SERVERS_VETTED:-} $v"
}

party_name() {
	case $1 in
	parent) echo parent ;;
	a) echo "operator A" ;;
	b) echo "operator B" ;;
	*) echo "$1" ;;
	esac
}

# ask ADDRESS PORT NAME TYPE SECTION...: the records of the sections
# (answer, authority, additional: kdig's +answer ...) of the reply, in
# canonical form (zcanon -F).  Fails when the server cannot be reached
# or the reply is not NOERROR.  A query that gets no reply is sent again,
# one and then two seconds later, each time over a new connection, as a
# resolver retries: a server that reloads its zones (NSD on SIGHUP) may
# drop a connection its old process accepted, for as long as that
# process winds down.  Three unanswered: the server cannot be asked.
ask() {
	local addr=$1 port=$2 name=$3 type=$4 out try
	shift 4
	for try in 1 2 3; do
		out=$(kdig @"$addr" -p "$port" +tcp +norec +time=3 +retry=0 \
		    +noall +header "${@/#/+}" "$name" "$type" 2> /dev/null) &&
		    break
		[ "$try" != 3 ] || return 1
		sleep "$try"
	done
	printf '%s\n' "$out" | grep -q 'status: NOERROR' || return 1
	printf '%s\n' "$out" | grep -v '^;' | grep . | zcanon -F -z . 2> /dev/null
}

# rrset FILE OWNER TYPE: the records of OWNER and TYPE in a canonical
# zone or fragment, without their TTL (what a server serves is compared
# by data: the parent sets its own TTLs).
rrset() {
	awk -F '\t' -v o="$2" -v t="$3" \
	    'tolower($1) == o && $4 == t { print $1 "\t" $3 "\t" $4 "\t" $5 }' "$1"
}

# glue_of FILE HOST...: the A and AAAA records of the hosts, without TTL.
glue_of() {
	local f=$1
	shift
	awk -F '\t' -v hosts="$*" '
	    BEGIN { n = split(tolower(hosts), h, " "); for (i = 1; i <= n; i++) want[h[i]] = 1 }
	    want[tolower($1)] && ($4 == "A" || $4 == "AAAA") { print $1 "\t" $3 "\t" $4 "\t" $5 }' "$f"
}

# parent_serves REQUEST: 0 when every parent address serves the NS, the
# glue and the DS records the request (a zone fragment: scripts/lib/
# parent.sh, delegation) gives the TLD; what differs, per address, on
# standard error.  The NS and glue come in the referral's authority and
# additional sections; the DS in the answer (the parent is authoritative
# for it, RFC 4035 section 3.1.4.1).
parent_serves() {
	local req=$1 name addr port got want hosts bad=0 ds
	need "$req"
	hosts=$(rrset "$req" "$TLD" NS | cut -f 4 | sort -u)
	want=$( { rrset "$req" "$TLD" NS
		  # shellcheck disable=SC2086
		  glue_of "$req" $hosts; } | sort)
	ds=$(rrset "$req" "$TLD" DS | sort)
	while read -r name addr port; do
		got=$(ask "$addr" "$port" "$TLD" NS authority additional) || {
			printf '%s: %s (%s port %s): cannot be asked\n' \
			    "$PROG" "$name" "$addr" "$port" >&2
			bad=1
			continue
		}
		got=$( { rrset <(printf '%s\n' "$got") "$TLD" NS
			 # shellcheck disable=SC2086
			 glue_of <(printf '%s\n' "$got") $hosts; } | sort)
		if [ "$got" != "$want" ]; then
			printf '%s: %s (%s port %s): serves NS and glue\n%s\n  not those asked for:\n%s\n' \
			    "$PROG" "$name" "$addr" "$port" "$(printf '%s' "$got" | sed 's/^/    /')" \
			    "$(printf '%s' "$want" | sed 's/^/    /')" >&2
			bad=1
		fi
		got=$(ask "$addr" "$port" "$TLD" DS answer) &&
		    got=$(rrset <(printf '%s\n' "$got") "$TLD" DS | sort) || {
			printf '%s: %s (%s port %s): its DS RRset cannot be asked\n' \
			    "$PROG" "$name" "$addr" "$port" >&2
			bad=1
			continue
		}
		if [ "$got" != "$ds" ]; then
			printf '%s: %s (%s port %s): serves the DS RRset\n%s\n  not the one asked for:\n%s\n' \
			    "$PROG" "$name" "$addr" "$port" "$(printf '%s' "$got" | sed 's/^/    /')" \
			    "$(printf '%s' "$ds" | sed 's/^/    /')" >&2
			bad=1
		fi
	done < <(servers_of parent)
	return "$bad"
}

# parent_ds_served: the TLD's DS RRset (canonical, with the parent's
# TTL) as every parent address serves it.  Fails, naming the address,
# when one cannot be asked or serves another set than the first.
parent_ds_served() {
	local name addr port got first= firstname=
	while read -r name addr port; do
		got=$(ask "$addr" "$port" "$TLD" DS answer) &&
		    got=$(awk -F '\t' -v o="$TLD" 'tolower($1) == o && $4 == "DS"' \
		        <<< "$got" | sort) || {
			printf '%s: %s (%s port %s): the DS RRset of %s cannot be asked\n' \
			    "$PROG" "$name" "$addr" "$port" "$TLD" >&2
			return 1
		}
		if [ -z "$firstname" ]; then
			first=$got
			firstname="$name ($addr port $port)"
		elif [ "$got" != "$first" ]; then
			printf '%s: %s (%s port %s) serves another DS RRset of %s than %s\n' \
			    "$PROG" "$name" "$addr" "$port" "$TLD" "$firstname" >&2
			return 1
		fi
	done < <(servers_of parent)
	[ -n "$first" ] || {
		printf '%s: the parent serves no DS record for %s\n' "$PROG" "$TLD" >&2
		return 1
	}
	printf '%s\n' "$first"
}

# operator_serves PARTY ZONE: 0 when every address of PARTY's servers
# serves the SOA serial, the DNSKEY RRset and the apex NS RRset of the
# zone file; what differs, per address, on standard error.
operator_serves() {
	local party=$1 zone=$2 name addr port got want bad=0 t serial
	need "$zone"
	serial=$(serial "$zone") || return 1
	while read -r name addr port; do
		got=$(ask "$addr" "$port" "$TLD" SOA answer) &&
		    got=$(rrset <(printf '%s\n' "$got") "$TLD" SOA | cut -f 4 |
		        awk '{ print $3 }') || got=
		if [ "$got" != "$serial" ]; then
			printf '%s: %s (%s port %s): serves serial %s, not %s\n' \
			    "$PROG" "$name" "$addr" "$port" "${got:-(none)}" "$serial" >&2
			bad=1
			continue
		fi
		for t in DNSKEY NS; do
			want=$(rrset "$zone" "$TLD" "$t" | sort)
			got=$(ask "$addr" "$port" "$TLD" "$t" answer) &&
			    got=$(rrset <(printf '%s\n' "$got") "$TLD" "$t" | sort) || got=
			if [ "$got" != "$want" ]; then
				printf '%s: %s (%s port %s): serves another %s RRset than %s\n' \
				    "$PROG" "$name" "$addr" "$port" "$t" "$zone" >&2
				bad=1
			fi
		done
	done < <(servers_of "$party")
	return "$bad"
}

# served_serial ADDRESS PORT: the SOA serial the address serves for the
# TLD; fails when it cannot be asked or serves no SOA record.
served_serial() {
	local got
	got=$(ask "$1" "$2" "$TLD" SOA answer) &&
	    got=$(rrset <(printf '%s\n' "$got") "$TLD" SOA | cut -f 4 |
	        awk '{ print $3 }') && is_num "$got" || return 1
	printf '%s\n' "$got"
}

# served_apex ZONE NAME ADDRESS PORT [SIGNER...]: 0 when the address
# serves the zone's DNSKEY RRset, its apex NS RRset and the address
# records of its name servers inside the TLD (the request's glue: IANA
# checks glue against the authoritative data), whatever its serial, and
# over its DNSKEY RRset an RRSIG by each SIGNER ("tag/algorithm":
# dnskey_signers, signers_wanted); what differs on standard error.
served_apex() {
	local z=$1 name=$2 addr=$3 port=$4 t got want h bad=0 sigs='' k opt
	shift 4
	for t in DNSKEY NS; do
		want=$(rrset "$z" "$TLD" "$t" | sort)
		# The DNSKEY RRset with its RRSIGs (DO set, RFC 4035
		# section 3.2.1): whose signatures it carries.
		opt=
		[ "$t" != DNSKEY ] || opt=dnssec
		got=$(ask "$addr" "$port" "$TLD" "$t" answer ${opt:+"$opt"}) || got=
		[ "$t" != DNSKEY ] ||
		    sigs=$(dnskey_signers <(printf '%s\n' "$got") | paste -sd ' ')
		got=$(rrset <(printf '%s\n' "$got") "$TLD" "$t" | sort)
		if [ "$got" != "$want" ]; then
			printf '%s: %s (%s port %s): serves another %s RRset than %s\n' \
			    "$PROG" "$name" "$addr" "$port" "$t" "$z" >&2
			bad=1
		fi
	done
	for k; do
		case " $sigs " in
		*" $k "*) ;;
		*) printf '%s: %s (%s port %s): serves no signature over the DNSKEY RRset by key %s (key tag/algorithm), which %s has (it serves %s)\n' \
		       "$PROG" "$name" "$addr" "$port" "$k" "$z" "${sigs:-none}" >&2
		   bad=1 ;;
		esac
	done
	for h in $(apex_ns "$z"); do
		case $h in
		*."$TLD") ;;
		*) continue ;;
		esac
		want=$(glue_of "$z" "$h" | sort -u)
		got=$(for t in A AAAA; do
			ask "$addr" "$port" "$h" "$t" answer additional || echo '; cannot be asked'
		done)
		# A server adds the host's other addresses to either answer.
		got=$(glue_of <(printf '%s\n' "$got") "$h" | sort -u)
		if [ "$got" != "$want" ]; then
			printf '%s: %s (%s port %s): serves other addresses of %s than %s\n' \
			    "$PROG" "$name" "$addr" "$port" "$h" "$z" >&2
			bad=1
		fi
	done
	return "$bad"
}

# dnskey_signers FILE: the keys whose RRSIGs cover the TLD's DNSKEY
# RRset in FILE (canonical records), "tag/algorithm", one a line, sorted.
dnskey_signers() {
	awk -F '\t' -v o="$TLD" 'tolower($1) == o && $4 == "RRSIG" {
	    split($5, f, " "); if (f[1] == "DNSKEY") print (f[7] + 0) "/" (f[2] + 0) }' "$1" |
	    sort -u
}

# zone_party ZONE: the operator whose zone it is (a or b): the one whose
# keys (keys/a, keys/b, as this directory holds them) made the RRSIG
# over its SOA record, its zone-signing key.  Nothing when no key held
# here made it (B's zone of step 1 at its import, B's keys not yet
# kept).
zone_party() {
	local soa p
	soa=$(awk -F '\t' -v o="$TLD" 'tolower($1) == o && $4 == "RRSIG" {
	    split($5, f, " "); if (f[1] == "SOA") { print (f[7] + 0) "/" (f[2] + 0); exit } }' "$1")
	[ -n "$soa" ] || return 0
	for p in a b; do
		keys "$p"
		[ "${#KEYS[@]}" -gt 0 ] || continue
		case $(keytags "$p") in
		*" $soa "*) printf '%s\n' "$p"; return 0 ;;
		esac
	done
	return 0
}

# signers_wanted ZONE PARTY: the signatures over the DNSKEY RRset that
# every address of PARTY's servers must serve for ZONE (a zone handed
# over in a bundle) to count as served there whatever the serial: all of
# ZONE's when ZONE is PARTY's own (or whose it is is not known here);
# at the other operator's servers, ZONE's signatures but those by the
# keys of the operator whose zone it is, which that other operator does
# not carry (A never carries KSK_B's).  With the exchange, B's zones
# carry KSK_A's signature over the four keys, which a resolver holding
# DS_A alone needs at B (RFC 6781 section 4.3.5.1; PROCEDURE.md, step
# 2a): a later serial at B without it is not B's step served, and at A
# that signature is A's own.  With double-DS, B's zones carry KSK_B's
# alone, and nothing of A's signatures is asked at A.
signers_wanted() {
	local z=$1 p=$2 m
	m=$(zone_party "$z")
	if [ -z "$m" ] || [ "$m" = "$p" ]; then
		dnskey_signers "$z"
		return
	fi
	dnskey_signers "$z" | awk -v own="$(keytags "$m")" 'index(own, " " $0 " ") == 0'
}

# operators_serve_from ZONE PARTY...: ZONE (a zone handed over in a
# bundle: B's for the registry's requests and observations, A's of
# steps 6 and b12) as served while registrations flow (bero-migrate sync
# moves the serial on at both operators between a step and the moment
# another party asks).  0 when every address of the parties' servers
# serves one SOA serial, as IANA's technical checks require of the
# servers a delegation lists ("Technical requirements for authoritative
# name servers": the authoritative servers consistent; Zonemaster's
# CONSISTENCY01 reads it as one SOA serial at every address; RFC 1034
# section 4.3.5), that serial equal to ZONE's or after it (RFC 1982
# section 3.2: a serial behind is an older zone), and at every address
# ZONE's DNSKEY RRset, apex NS RRset and glue, and the signatures over
# the DNSKEY RRset that ZONE has and that party carries (served_apex,
# signers_wanted: a later serial may carry the same keys with other
# signatures, the exchanged KSK_A signature gone).  SERVED_SERIAL is the
# serial served; SERVED_BAD the parties of the addresses that fail; what
# differs, per address, on standard error.  operator_serves, the exact
# zone, stays what confirms an operator's own step (observe_operator).
operators_serve_from() {
	local z=$1 p list name addr port got want first= firstname= sigs
	shift
	SERVED_SERIAL='' SERVED_BAD=''
	need "$z"
	want=$(serial "$z") || die "$z: no SOA serial"
	for p; do
		# None configured: servers_of says so, and nothing is asked.
		list=$(servers_of "$p") || exit 2
		sigs=$(signers_wanted "$z" "$p") || exit 2
		while read -r name addr port; do
			if ! got=$(served_serial "$addr" "$port"); then
				printf '%s: %s (%s port %s): serves no serial (cannot be asked)\n' \
				    "$PROG" "$name" "$addr" "$port" >&2
				operator_bad "$p"
				continue
			fi
			if [ -z "$firstname" ]; then
				first=$got firstname="$name ($addr port $port)"
			elif [ "$got" != "$first" ]; then
				printf '%s: %s (%s port %s): serves serial %s, where %s serves %s: the servers of the delegation serve more than one serial (IANA: consistent servers)\n' \
				    "$PROG" "$name" "$addr" "$port" "$got" "$firstname" "$first" >&2
				operator_bad "$p"
				continue
			fi
			if serial_gt "$want" "$got"; then
				printf '%s: %s (%s port %s): serves serial %s, behind %s of %s (RFC 1982): an older zone\n' \
				    "$PROG" "$name" "$addr" "$port" "$got" "$want" "$z" >&2
				operator_bad "$p"
				continue
			fi
			# shellcheck disable=SC2086
			served_apex "$z" "$name" "$addr" "$port" $sigs || operator_bad "$p"
		done <<< "$list"
	done
	[ -z "$SERVED_BAD" ] || return 1
	SERVED_SERIAL=$first
}

# operator_bad PARTY: PARTY is among SERVED_BAD (operators_serve_from).
operator_bad() {
	case " $SERVED_BAD " in
	*" $1 "*) ;;
	*) SERVED_BAD="${SERVED_BAD:+$SERVED_BAD }$1" ;;
	esac
}

# observe_until FN ARGS...: ask (FN ARGS) until it succeeds, for at most
# OBSERVE_TIMEOUT seconds; OBSERVED is set to the time of the round of
# queries that succeeded (its start: every address served it then, or
# before).  Fails when it never did, the reasons of the last round on
# standard error.
#
# The time recorded is the driver's clock (now: BERO_NOW in tests); how
# long it keeps asking is measured on the wall clock (bash's SECONDS).
observe_until() {
	local t start=$SECONDS why
	why=$(mktemp "${TMPDIR:-/tmp}/bero-observe.XXXXXX") ||
	    die "cannot make a temporary file"
	while :; do
		t=$(now) || { rm -f "$why"; return 2; }
		if "$@" 2> "$why"; then
			rm -f "$why"
			OBSERVED=$t
			return 0
		fi
		if [ $((SECONDS - start + OBSERVE_INTERVAL)) -gt "$OBSERVE_TIMEOUT" ]; then
			cat "$why" >&2
			rm -f "$why"
			return 1
		fi
		sleep "$OBSERVE_INTERVAL"
	done
}

# The request a parent step publishes: step 4 that of step 3, 8 of 7,
# 12 of 11, ds4 (double-DS) that of ds3.
parent_request() {
	case $1 in
	4) echo r/step-3.request ;;
	ds4) echo r/step-ds3.request ;;
	8) echo r/step-7.request ;;
	12) echo r/step-11.request ;;
	*) return 1 ;;
	esac
}

# The parties whose publication a step makes, and so whose servers
# must show it: "a", "b", "a b", "b a", or nothing (lib/role.sh's table).
step_publishers() {
	step_field 3 "$1"
}

# observed_at TIME: the time the running step's publication was
# observed, kept for finish (reports/STEP.observed): the latest of the
# publications the step made.
observed_at() {
	local prev
	prev=$(cat "reports/$STEP.observed" 2> /dev/null) || prev=
	if [ -z "$prev" ] || [ "$1" -gt "$prev" ]; then
		printf '%s\n' "$1" > "reports/$STEP.observed" ||
		    die "step $STEP: reports/$STEP.observed: cannot write"
	fi
}

# observe_parent STEP: a parent step is done when every configured parent
# address serves the request (PARENT_SERVERS).  Without them the parent
# is the rehearsal's own test root (ROLE=all only): the step is done when
# its file is published, and the output says so.
observe_parent() {
	local req
	req=$(parent_request "$1") || die "step $1: not a step of the parent"
	if [ -z "$PARENT_SERVERS" ]; then
		[ "${ROLE:-all}" = all ] ||
		    die "step $1: config: PARENT_SERVERS is empty: the parent's publication cannot be observed (see bero-migrate(1), OBSERVATION)"
		say "  parent: the rehearsal's test root (no PARENT_SERVERS): done when published"
		return 0
	fi
	if ! observe_until parent_serves "$req"; then
		say "step $1: not observed: some parent address does not serve $req (above); nothing logged"
		return 1
	fi
	say "  observed: every parent address serves $req at $(fmt_time "$OBSERVED")"
	observed_at "$OBSERVED"
}

# observe_operator PARTY ZONE: after a publication, when the party's
# servers are configured (A_SERVERS, B_SERVERS), the step is done once
# every address serves it.  In a party's own directory another party's
# step is observed from the zone of its bundle, its serial or a later
# one (observe_others).  A party's own step, and every step of the
# rehearsal (ROLE=all), is confirmed by the exact zone (operator_serves:
# its serial, DNSKEY and NS RRsets): the party made that zone a moment
# ago, hands exactly it over in its bundle (whose receivers check it
# against what they observe), and syncs only when it chooses, so a
# later serial on its own servers is not its step served but something
# it did not publish (or a sync it ran before observing: observe first).
observe_operator() {
	local party=$1 zone=$2 v
	v=${party^^}_SERVERS
	if [ -z "${!v}" ]; then
		[ "${ROLE:-all}" = all ] ||
		    die "step $STEP: config: $v is empty: the publication cannot be observed (see bero-migrate(1), OBSERVATION)"
		return 0
	fi
	if [ "${ROLE:-all}" != all ] && [ "$party" != "$(role_party)" ]; then
		observe_others "$zone" "$party"
		return
	fi
	if ! observe_until operator_serves "$party" "$zone"; then
		say "step $STEP: not observed: some address of $(party_name "$party") does not serve $zone (above); nothing logged"
		return 1
	fi
	say "  observed: every address of $(party_name "$party") serves $zone at $(fmt_time "$OBSERVED")"
	observed_at "$OBSERVED"
}

# observe_others ZONE PARTY... (a party's own directory): another
# party's step, whose zone this directory has from a bundle, is done
# once every address of the parties' servers serves it as
# operators_serve_from judges while registrations flow: one serial,
# ZONE's or a later one (a sync since the step), with ZONE's DNSKEY
# RRset, its signatures that party carries, apex NS RRset and glue.
# Logged at the start of the round of queries that succeeded
# (observe_until: seen then, never assumed; a sync between the step and
# the observation only makes the time later, the safe side of every
# wait that runs from it).
observe_others() {
	local z=$1 p v who='' zs
	shift
	for p; do
		v=${p^^}_SERVERS
		[ -n "${!v}" ] ||
		    die "step $STEP: config: $v is empty: the publication cannot be observed (see bero-migrate(1), OBSERVATION)"
		who="${who:+$who and }$(party_name "$p")"
	done
	if ! observe_until operators_serve_from "$z" "$@"; then
		say "step $STEP: not observed: some address of $who does not serve $z, its serial or a later one (above); nothing logged"
		return 1
	fi
	zs=$(serial "$z") || die "step $STEP: $z: no SOA serial"
	if [ "$SERVED_SERIAL" = "$zs" ]; then
		say "  observed: every address of $who serves $z at $(fmt_time "$OBSERVED")"
	else
		say "  observed: every address of $who serves serial $SERVED_SERIAL, later than $zs of $z (a sync since; RFC 1982), with its DNSKEY RRset and signatures, NS RRset and glue, at $(fmt_time "$OBSERVED")"
	fi
	observed_at "$OBSERVED"
}

# parent_still_serves: before a step after a parent step, the parent must
# still serve the last request it was observed serving: a delegation
# changed since (a rollback at the parent) invalidates every wait that
# ran from it.  Without PARENT_SERVERS (the test root), nothing to ask.
parent_still_serves() {
	local s req= last
	[ -n "$PARENT_SERVERS" ] || return 0
	for s in ds4 4 8 12; do
		[ -n "$(logtime "$s")" ] && req=$(parent_request "$s") && last=$s
	done
	[ -n "$req" ] || return 0
	OBSERVE_TIMEOUT=0 parent_serves "$req" ||
	    die "the parent no longer serves what step $last was observed serving ($req): every wait since then is void; see bero-migration(7), BACK-OUT"
}

# status_servers: what every configured address serves now, for status:
# the parent's NS and DS records for the TLD, per address; each
# operator's serial, DNSKEY key tags, signatures over the DNSKEY RRset
# (key tag, expiration) and NS RRset, per address, as zcheck-servers -v
# prints them (its findings too).  Asking is not observing: nothing is
# logged.
status_servers() {
	local party v name addr port got ds lab=() t
	[ "${LAB_ADDRESSES:-no}" = yes ] && lab=(-L)
	t=$(date -u -d "@$NOW" +%Y%m%d%H%M%S) || die "cannot format the time $NOW"
	if [ -n "$PARENT_SERVERS" ]; then
		say "served by the parent (PARENT_SERVERS), for $TLD:"
		while read -r name addr port; do
			if got=$(ask "$addr" "$port" "$TLD" NS authority) &&
			    got=$(rrset <(printf '%s\n' "$got") "$TLD" NS | cut -f 4 | sort | tr '\n' ' ') &&
			    ds=$(ask "$addr" "$port" "$TLD" DS answer | awk -F '\t' '$4 == "DS" { split($5, f, " "); print f[1] }' | sort -n | tr '\n' ' '); then
				got=${got% } ds=${ds% }
				say "  $name $addr port $port: NS ${got:-(none)}; DS key tags ${ds:-(none)}"
			else
				say "  $name $addr port $port: cannot be asked"
			fi
		done < <(servers_of parent)
	fi
	for party in a b; do
		v=${party^^}_SERVERS
		[ -n "${!v}" ] || continue
		say "served by $(party_name "$party") ($v; zcheck-servers -v):"
		# shellcheck disable=SC2046
		zcheck-servers "${lab[@]}" -v -t "$t" "$TLD" $(server_args "$party") 2>&1 |
		    sed 's/^/  /'
	done
	return 0
}

# server_args PARTY: the party's servers as zcheck-servers operands,
# name=address@port[,address@port...], one word per host.
server_args() {
	servers_of "$1" | awk '
	    { a = $2; if (a ~ /:/) a = "[" a "]"; a = a "@" $3
	      if (!($1 in w)) { order[++n] = $1; w[$1] = a } else w[$1] = w[$1] "," a }
	    END { for (i = 1; i <= n; i++) print order[i] "=" w[order[i]] }'
}
