#!/bin/bash
# The end-to-end lab: real authoritative servers (NSD) for a test root and
# for operators A and B, and real validating resolvers (Unbound) that trust
# the test root's key, all on addresses of 127.53.0.0/24, port 53.
#
# The lab tests source this file; run as a program it calls one of its
# functions, so that "lab.sh reload_party a FILE" can be the driver's
# publish hook (LAB_DIR names the lab, as for every function here).
#
# When the kernel lets us, everything runs in a network namespace of the
# lab's own that holds nothing but its loopback interface: no query can
# leave the machine and no system service can hold our port.  Without
# one (LAB_NETNS=no, or no unshare), the daemons bind the same addresses
# on the host's loopback after a check that nothing else holds port 53
# there.  Every resolver is also told not to query any address outside
# 127.0.0.0/8.
#
# Every daemon runs in the foreground as a child of the test, its PID
# written to $LAB_DIR/pids; lab_cleanup stops exactly those PIDs.

# NSD's configuration, as the demo's servers have it.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/demo/nsd-conf.sh"

LAB_TLD=${LAB_TLD:-example.}
LAB_ROOT_ADDR=${LAB_ROOT_ADDR:-127.53.0.1}
LAB_A_ADDRS=${LAB_A_ADDRS:-127.53.0.11 127.53.0.12}
LAB_B_ADDRS=${LAB_B_ADDRS:-127.53.0.21 127.53.0.22}
LAB_RES_NET=${LAB_RES_NET:-127.53.0.}
LAB_RES_FIRST=${LAB_RES_FIRST:-101}
LAB_WAIT=${LAB_WAIT:-15}

# The whole IPv4 space less 127.0.0.0/8: Unbound may query none of it.
LAB_FOREIGN="0.0.0.0/2 64.0.0.0/3 96.0.0.0/4 112.0.0.0/5 120.0.0.0/6"
LAB_FOREIGN="$LAB_FOREIGN 124.0.0.0/7 126.0.0.0/8 128.0.0.0/1"

lab_say() {
	printf 'lab: %s\n' "$*" >&2
}

# The first program the lab needs that is not installed, if any.
lab_missing() {
	local p
	for p in nsd nsd-control nsd-checkconf unbound unbound-control \
	    unbound-checkconf dig ldns-read-zone dnssec-dsfromkey; do
		command -v "$p" > /dev/null || { printf '%s\n' "$p"; return 0; }
	done
	return 1
}

# Run a command in the lab's network.
lab_exec() {
	if [ -n "${LAB_NSPID:-}" ]; then
		nsenter -t "$LAB_NSPID" -n -- "$@"
	else
		"$@"
	fi
}

# Start a command in the background in the lab's network; its PID (the
# command's own: nsenter execs it) goes to LAB_PID and the pid list.
lab_spawn() {
	local name=$1 out=$2
	shift 2
	if [ -n "${LAB_NSPID:-}" ]; then
		nsenter -t "$LAB_NSPID" -n -- "$@" < /dev/null > "$out" 2>&1 3>&- &
	else
		"$@" < /dev/null > "$out" 2>&1 3>&- &
	fi
	LAB_PID=$!
	printf '%s %s %s\n' "$LAB_PID" "$name" "$(basename "$1")" \
	    >> "$LAB_DIR/pids"
}

# lab_init DIR: a new lab in DIR (made if needed).  Returns 1 with the
# reason on stderr when the lab cannot run here.
lab_init() {
	local miss
	LAB_DIR=$1
	export LAB_DIR
	mkdir -p "$LAB_DIR" || return 1
	LAB_DIR=$(cd "$LAB_DIR" && pwd)
	# A shell of its own stops the lab when it exits, also on failure;
	# under Bats, which owns the EXIT trap, teardown_file does.
	[ -n "${BATS_TEST_FILENAME:-}" ] || trap lab_cleanup EXIT
	: > "$LAB_DIR/pids"
	: > "$LAB_DIR/probes.log"
	: > "$LAB_DIR/answers.log"
	: > "$LAB_DIR/publish.log"
	echo "$LAB_RES_FIRST" > "$LAB_DIR/next-resolver"
	if miss=$(lab_missing); then
		lab_say "$miss not installed"
		return 1
	fi
	lab_make_net || return 1
	{
		printf 'LAB_NSPID=%s\n' "${LAB_NSPID:-}"
		printf 'LAB_TLD=%s\n' "$LAB_TLD"
		printf 'LAB_ROOT_ADDR=%s\n' "$LAB_ROOT_ADDR"
		printf "LAB_A_ADDRS='%s'\n" "$LAB_A_ADDRS"
		printf "LAB_B_ADDRS='%s'\n" "$LAB_B_ADDRS"
		printf 'LAB_T0=%s\n' "$(date +%s)"
	} > "$LAB_DIR/env"
}

# lab_tsig NAME ALG SECRET: the TSIG key (RFC 8945) that every server
# started after accepts for zone transfers (the driver's AXFR).
lab_tsig() {
	lab_load || return 1
	{
		printf 'LAB_TSIG_NAME=%s\n' "$1"
		printf 'LAB_TSIG_ALG=%s\n' "$2"
		printf 'LAB_TSIG_SECRET=%s\n' "$3"
	} >> "$LAB_DIR/env"
	. "$LAB_DIR/env"
}

# Read back what lab_init decided (for a hook run in another process).
lab_load() {
	[ -n "${LAB_DIR:-}" ] && [ -f "$LAB_DIR/env" ] || {
		lab_say "LAB_DIR does not name a lab"
		return 1
	}
	. "$LAB_DIR/env"
}

lab_make_net() {
	local i
	LAB_NSPID=
	if [ "${LAB_NETNS:-auto}" != no ] && unshare -n true 2> /dev/null &&
	    command -v nsenter > /dev/null && command -v ip > /dev/null; then
		# The holder keeps the namespace alive; bounded, in case
		# nothing is left to stop it.
		unshare -n sleep 3600 < /dev/null > /dev/null 2>&1 3>&- &
		LAB_NSPID=$!
		printf '%s netns sleep\n' "$LAB_NSPID" >> "$LAB_DIR/pids"
		for i in $(seq 50); do
			[ "$(readlink "/proc/$LAB_NSPID/ns/net")" != \
			    "$(readlink /proc/self/ns/net)" ] && break
			sleep 0.1
		done
		nsenter -t "$LAB_NSPID" -n -- ip link set lo up || return 1
		return 0
	fi
	if [ "${LAB_NETNS:-auto}" = yes ]; then
		lab_say "no network namespace (unshare -n) here"
		return 1
	fi
	lab_port_free
}

# Without a namespace of our own: nothing may hold port 53 on the
# wildcard address or on ours (a system resolver on 127.0.0.1 is fine).
lab_port_free() {
	local busy
	busy=$(ss -Hlnu 'sport = :53' 2> /dev/null; ss -Hlnt 'sport = :53' \
	    2> /dev/null)
	busy=$(printf '%s\n' "$busy" | awk '$4 ~ /^(0\.0\.0\.0|\*|\[::\]):53$/ ||
	    $4 ~ /^127\.53\.0\.[0-9]+:53$/ { print $4 }')
	if [ -n "$busy" ]; then
		lab_say "port 53 already taken: $(echo $busy)"
		return 1
	fi
}

# The zone a party serves and the addresses it answers on.
lab_party() {
	case $1 in
	root)	LAB_ZONE=.; LAB_ADDRS=$LAB_ROOT_ADDR ;;
	a)	LAB_ZONE=$LAB_TLD; LAB_ADDRS=$LAB_A_ADDRS ;;
	b)	LAB_ZONE=$LAB_TLD; LAB_ADDRS=$LAB_B_ADDRS ;;
	*)	lab_say "party '$1' is not root, a or b"; return 1 ;;
	esac
}

# The SOA serial written in a zone file.
lab_file_serial() {
	ldns-read-zone -E SOA "$1" 2> /dev/null |
	    awk '$4 == "SOA" { print $7; exit }'
}

# The SOA serial one address answers for a zone (empty if none).
lab_served_serial() {
	lab_exec dig +norecurse +time=1 +tries=1 +short \
	    @"$1" "$2" SOA 2> /dev/null |
	    awk 'NF == 7 && $3 ~ /^[0-9]+$/ { print $3; exit }'
}

# lab_wait_serial PARTY SERIAL: until every address of the party
# answers that serial, LAB_WAIT seconds at most.
lab_wait_serial() {
	local party=$1 serial=$2 a n
	lab_party "$party" || return 1
	for a in $LAB_ADDRS; do
		n=0
		while [ "$(lab_served_serial "$a" "$LAB_ZONE")" != "$serial" ]
		do
			n=$((n + 1))
			if [ "$n" -gt $((LAB_WAIT * 10)) ]; then
				lab_say "$party: $a does not serve serial" \
				    "$serial of $LAB_ZONE"
				return 1
			fi
			sleep 0.1
		done
	done
}

# One NSD's configuration: the party's addresses, files of its own, a
# control socket, no rate limit; and when LAB_TSIG_NAME, LAB_TSIG_ALG
# and LAB_TSIG_SECRET are set, zone transfers for that key (the driver's
# AXFR of steps 1 and 6).
lab_nsd_conf() {
	local party=$1 d=$2
	# shellcheck disable=SC2086
	nsd_conf_server "$d" 53 $LAB_ADDRS
	printf '\tidentity: "lab-%s"\n' "$party"
	nsd_conf_probed
	nsd_conf_control "$d"
	if [ -n "${LAB_TSIG_NAME:-}" ]; then
		cat <<EOF
key:
	name: "$LAB_TSIG_NAME"
	algorithm: ${LAB_TSIG_ALG:-hmac-sha256}
	secret: "$LAB_TSIG_SECRET"
EOF
	fi
	cat <<EOF
zone:
	name: "$LAB_ZONE"
	zonefile: "$d/zone.db"
EOF
	if [ -n "${LAB_TSIG_NAME:-}" ]; then
		printf '\tprovide-xfr: 127.0.0.0/8 %s\n' "$LAB_TSIG_NAME"
	fi
}

# lab_nsd_start PARTY ZONEFILE: a server for the party, serving the file.
lab_nsd_start() {
	local party=$1 file=$2 d serial
	lab_party "$party" || return 1
	d=$LAB_DIR/nsd-$party
	if [ -s "$d/pid" ] && lab_alive "$(cat "$d/pid")"; then
		lab_say "nsd for $party already runs"
		return 1
	fi
	serial=$(lab_file_serial "$file")
	[ -n "$serial" ] || { lab_say "$file: no SOA"; return 1; }
	mkdir -p "$d" || return 1
	cp "$file" "$d/zone.db" || return 1
	lab_nsd_conf "$party" "$d" > "$d/nsd.conf"
	nsd-checkconf "$d/nsd.conf" || return 1
	lab_spawn "nsd-$party" "$d/nsd.out" nsd -d -c "$d/nsd.conf"
	echo "$LAB_PID" > "$d/pid"
	printf '%s start %s %s\n' "$(date +%s)" "$party" "$serial" \
	    >> "$LAB_DIR/publish.log"
	lab_wait_serial "$party" "$serial" || {
		cat "$d/nsd.out" "$d/nsd.log" >&2 2> /dev/null
		return 1
	}
}

# Whether a process runs (a zombie waiting for its parent does not).
lab_alive() {
	local st
	st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" \
	    2> /dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# lab_stop_pid PID: TERM, then KILL if it lingers; only a PID the lab
# started.
lab_stop_pid() {
	local pid=$1 n=0
	grep -q "^$pid " "$LAB_DIR/pids" 2> /dev/null || return 0
	lab_alive "$pid" || return 0
	kill -TERM "$pid" 2> /dev/null || true
	while lab_alive "$pid" && [ "$n" -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if lab_alive "$pid"; then
		kill -KILL "$pid" 2> /dev/null || true
	fi
	# Reap it when it is our child (the hook's processes are not).
	wait "$pid" 2> /dev/null || true
	return 0
}

lab_nsd_stop() {
	local d=$LAB_DIR/nsd-$1
	[ -s "$d/pid" ] || return 0
	lab_stop_pid "$(cat "$d/pid")"
	rm -f "$d/pid"
	printf '%s stop %s\n' "$(date +%s)" "$1" >> "$LAB_DIR/publish.log"
}

# reload_party PARTY FILE: the party serves FILE from now on; returns
# once every address of the party answers FILE's SOA serial.  The first
# call for a party starts its server; a FILE that is empty or no longer
# exists (the driver's step 13 for A) stops it.
reload_party() {
	local party=$1 file=${2:-} d serial loads n
	lab_load || return 1
	lab_party "$party" || return 1
	d=$LAB_DIR/nsd-$party
	if [ -z "$file" ] || ! [ -e "$file" ]; then
		lab_nsd_stop "$party"
		return
	fi
	[ -r "$file" ] || { lab_say "$file: cannot read"; return 1; }
	if ! [ -s "$d/pid" ] || ! lab_alive "$(cat "$d/pid")"; then
		lab_nsd_start "$party" "$file"
		return
	fi
	serial=$(lab_file_serial "$file")
	[ -n "$serial" ] || { lab_say "$file: no SOA"; return 1; }
	loads=$(lab_loads "$d")
	cp "$file" "$d/zone.db.new" && mv -f "$d/zone.db.new" "$d/zone.db" ||
	    return 1
	nsd-control -c "$d/nsd.conf" reload "$LAB_ZONE" > /dev/null || return 1
	printf '%s reload %s %s\n' "$(date +%s)" "$party" "$serial" \
	    >> "$LAB_DIR/publish.log"
	# NSD read the new file (a file it rejects leaves the old zone in
	# service, and the serial alone would not tell when it is the same).
	n=0
	while [ "$(lab_loads "$d")" -le "$loads" ]; do
		n=$((n + 1))
		if [ "$n" -gt $((LAB_WAIT * 10)) ]; then
			lab_say "$party: nsd did not load $file"
			tail -n 5 "$d/nsd.log" >&2
			return 1
		fi
		sleep 0.1
	done
	lab_wait_serial "$party" "$serial"
}

# How many times a server read its zone file (its log says so each time).
lab_loads() {
	grep -c -F "zone $LAB_ZONE read with success" "$1/nsd.log" || true
}

# lab_root ROOTZONE: root hints and the trust anchor (the DS of the
# root's KSK, RFC 4034 section 5) for every resolver started after.
lab_root() {
	local z=$1
	lab_load || return 1
	ldns-read-zone -E NS "$z" 2> /dev/null |
	    awk '$1 == "." && $4 == "NS" { print $5 }' > "$LAB_DIR/root.ns"
	[ -s "$LAB_DIR/root.ns" ] || { lab_say "$z: no root NS"; return 1; }
	awk -v a="$LAB_ROOT_ADDR" '{
		printf ". 3600000 IN NS %s\n%s 3600000 IN A %s\n", $1, $1, a
	}' "$LAB_DIR/root.ns" > "$LAB_DIR/root.hints"
	dnssec-dsfromkey -2 -f "$z" . > "$LAB_DIR/root.anchor" 2> /dev/null
	[ -s "$LAB_DIR/root.anchor" ] || {
		lab_say "$z: no KSK for the trust anchor"
		return 1
	}
}

lab_unbound_conf() {
	local d=$1 addr=$2 pin=$3 a
	cat <<EOF
server:
	interface: $addr
	outgoing-interface: $addr
	port: 53
	do-ip6: no
	username: ""
	chroot: ""
	directory: "$d"
	pidfile: "$d/unbound.pid"
	logfile: "$d/unbound.log"
	use-syslog: no
	verbosity: 1
	num-threads: 1
	so-reuseport: no
	outgoing-range: 64
	access-control: 127.0.0.0/8 allow
	do-not-query-localhost: no
EOF
	for a in $LAB_FOREIGN; do
		printf '\tdo-not-query-address: %s\n' "$a"
	done
	cat <<EOF
	root-hints: "$LAB_DIR/root.hints"
	trust-anchor-file: "$d/anchor"
	trust-anchor-signaling: no
	module-config: "validator iterator"
	ede: yes
	val-log-level: 2
	log-servfail: yes
EOF
	# A test that validates at a time of its own (t/0830): the date
	# used for RRSIG inception and expiration, never the clock.
	[ -z "${LAB_VAL_DATE:-}" ] ||
	    printf '\tval-override-date: "%s"\n' "$LAB_VAL_DATE"
	cat <<EOF
remote-control:
	control-enable: yes
	control-interface: "$d/ctl.sock"
	control-use-cert: no
EOF
	lab_stub "$pin"
}

# The stub-zone that pins a resolver to one operator's addresses; none
# for "u", which follows the root's delegation.
lab_stub() {
	local a
	case $1 in
	u)	return 0 ;;
	a)	LAB_ADDRS=$LAB_A_ADDRS ;;
	b)	LAB_ADDRS=$LAB_B_ADDRS ;;
	*)	lab_say "pin '$1' is not a, b or u"; return 1 ;;
	esac
	printf 'stub-zone:\n\tname: "%s"\n' "$LAB_TLD"
	for a in $LAB_ADDRS; do
		printf '\tstub-addr: %s\n' "$a"
	done
}

# lab_resolver_start NAME PIN: a new resolver (PIN a, b or u), on the
# next free address, with an empty cache.
lab_resolver_start() {
	local name=$1 pin=$2 d n addr i
	lab_load || return 1
	d=$LAB_DIR/unbound-$name
	[ -e "$d" ] && { lab_say "resolver $name exists"; return 1; }
	n=$(cat "$LAB_DIR/next-resolver")
	[ "$n" -le 254 ] || { lab_say "no addresses left"; return 1; }
	echo $((n + 1)) > "$LAB_DIR/next-resolver"
	addr=$LAB_RES_NET$n
	mkdir -p "$d" || return 1
	cp "$LAB_DIR/root.anchor" "$d/anchor" || return 1
	echo "$addr" > "$d/addr"
	echo "$pin" > "$d/pin"
	lab_unbound_conf "$d" "$addr" "$pin" > "$d/unbound.conf" || return 1
	unbound-checkconf "$d/unbound.conf" > /dev/null || return 1
	lab_spawn "unbound-$name" "$d/unbound.out" unbound -d -c "$d/unbound.conf"
	echo "$LAB_PID" > "$d/pid"
	for i in $(seq $((LAB_WAIT * 10))); do
		unbound-control -c "$d/unbound.conf" status > /dev/null 2>&1 &&
		    return 0
		lab_alive "$LAB_PID" || break
		sleep 0.1
	done
	lab_say "resolver $name did not start"
	cat "$d/unbound.out" "$d/unbound.log" >&2 2> /dev/null
	return 1
}

lab_resolver_stop() {
	local d=$LAB_DIR/unbound-$1
	[ -s "$d/pid" ] || return 0
	lab_stop_pid "$(cat "$d/pid")"
	rm -f "$d/pid"
}

# lab_resolver_pin NAME PIN: pin a running resolver elsewhere; its cache
# stays.
lab_resolver_pin() {
	local name=$1 pin=$2 d a
	d=$LAB_DIR/unbound-$name
	unbound-control -c "$d/unbound.conf" stub_remove "$LAB_TLD" \
	    > /dev/null 2>&1 || true
	case $pin in
	u)	;;
	a|b)	lab_stub "$pin" > /dev/null
		unbound-control -c "$d/unbound.conf" stub_add "$LAB_TLD" \
		    $LAB_ADDRS > /dev/null || return 1 ;;
	*)	lab_say "pin '$pin' is not a, b or u"; return 1 ;;
	esac
	echo "$pin" > "$d/pin"
}

# lab_ctl NAME COMMAND...: unbound-control for one resolver.
lab_ctl() {
	local d=$LAB_DIR/unbound-$1
	shift
	unbound-control -c "$d/unbound.conf" "$@"
}

# The probe set (RFC 4035 section 5): name, type, and what a validating
# resolver must answer.  "secure" is NOERROR with data and AD, "nodata"
# NOERROR without data and with AD, "insecure-nodata" and "nxdomain" the
# denials that an opt-out span covers (RFC 5155 section 9.2: no AD
# expected, but never SERVFAIL).
lab_probe_set() {
	local tld=$LAB_TLD
	cat <<EOF
$tld SOA secure
$tld NS secure
$tld DNSKEY secure
alpha.$tld DS secure
$tld A nodata
bravo.$tld DS insecure-nodata
$1.$tld A nxdomain
_operator.$tld TXT operator
EOF
}

# probe RESOLVER STEP [OPERATOR]: ask the probe set through the resolver
# and record every answer: the full dig output in answers.log, one line
# per probe in probes.log:
#   step resolver pin qname qtype rcode ad data verdict
# OPERATOR is the operator (A or B) the TXT probe must name, or "any".
# Returns 1 when an answer is not what a validating resolver must give.
probe() {
	local name=$1 step=$2 want=${3:-any} d addr pin set out q t kind
	local rcode ad n data verdict bad=0 nx
	local plog=${LAB_PROBES:-$LAB_DIR/probes.log}
	local alog=${LAB_ANSWERS:-$LAB_DIR/answers.log}
	lab_load || return 1
	d=$LAB_DIR/unbound-$name
	addr=$(cat "$d/addr") pin=$(cat "$d/pin")
	nx=nx-$step-$name-$RANDOM
	nx=${nx//[!a-zA-Z0-9-]/-}
	set=$(lab_probe_set "$nx")
	# One dig asks the whole set, one query after the other.
	# shellcheck disable=SC2046
	out=$(lab_exec dig +dnssec +time=5 +tries=1 @"$addr" \
	    $(printf '%s\n' "$set" | awk '{ print $1, $2 }') 2>&1) || true
	printf '=== step %s resolver %s (pin %s) at %(%s)T\n%s\n' \
	    "$step" "$name" "$pin" -1 "$out" >> "$alog"
	while read -r q t kind rcode ad n data; do
		verdict=ok
		case $kind in
		secure)	[ "$rcode" = NOERROR ] && [ "$ad" = AD ] &&
			    [ "$n" -gt 0 ] || verdict=FAIL ;;
		nodata)	[ "$rcode" = NOERROR ] && [ "$ad" = AD ] &&
			    [ "$n" = 0 ] || verdict=FAIL ;;
		insecure-nodata)
			[ "$rcode" = NOERROR ] && [ "$n" = 0 ] ||
			    verdict=FAIL ;;
		nxdomain)
			[ "$rcode" = NXDOMAIN ] || verdict=FAIL ;;
		operator)
			[ "$rcode" = NOERROR ] && [ "$ad" = AD ] &&
			    [ "$n" -gt 0 ] || verdict=FAIL
			[ "$want" = any ] || [ "$data" = "$want" ] ||
			    verdict=FAIL ;;
		*)	verdict=FAIL ;;
		esac
		[ "$verdict" = ok ] || bad=1
		printf '%s %s %s %s %s %s %s %s %s\n' "$step" "$name" "$pin" \
		    "$q" "$t" "$rcode" "$ad" "$data" "$verdict" >> "$plog"
	done <<EOF
$(printf '%s\n' "$out" | awk -v set="$set" "$LAB_PARSE")
EOF
	return $bad
}

# probe_many STEP RESOLVER:OPERATOR...: probe every resolver at once
# (each its own probe set, in parallel), the records appended in the
# order given.  Returns 1 when any answer is wrong.
probe_many() {
	local step=$1 r i=0 bad=0 tmp
	shift
	lab_load || return 1
	tmp=$LAB_DIR/probe.tmp
	rm -rf "$tmp" && mkdir -p "$tmp" || return 1
	for r; do
		i=$((i + 1))
		LAB_PROBES=$tmp/$i.p LAB_ANSWERS=$tmp/$i.a \
		    probe "${r%%:*}" "$step" "${r#*:}" > /dev/null 2>&1 &
		echo "$!" > "$tmp/$i.pid"
	done
	i=0
	for r; do
		i=$((i + 1))
		wait "$(cat "$tmp/$i.pid")" || bad=1
		cat "$tmp/$i.p" >> "$LAB_DIR/probes.log"
		cat "$tmp/$i.a" >> "$LAB_DIR/answers.log"
	done
	rm -rf "$tmp"
	return $bad
}

# What dig's answers say, one line per query of the set: the query and
# what it expects, then the rcode (TIMEOUT when no answer came), AD or
# "-", the number of records of the type asked in the answer, and one
# word for the data (the SOA serial, the TXT text, a count) or, with
# none, the Extended DNS Error (RFC 8914) that says why validation
# failed.  dig prints one block per answer, opened by its header line;
# the question section ties a block to its query.
LAB_PARSE='
function flush() {
	if (key == "") return
	if (n > 0 && t != "SOA" && t != "TXT") d = tolower(t) "=" n
	if (d == "") d = ede != "" ? ede : "-"
	res[key] = rc " " ad " " n + 0 " " d; key = "" }
/^;; ->>HEADER<<-/ { flush(); s = $0; sub(/.*status: /, "", s)
	sub(/,.*/, "", s); rc = s; ad = "-"; ede = ""; n = 0; d = ""; t = ""
	inq = 0; next }
/^;; flags:/ { g = $0; sub(/^;; flags: */, "", g); sub(/;.*/, "", g)
	if (" " g " " ~ / ad /) ad = "AD"; next }
/^; EDE: / && ede == "" { e = $3; sub(/[^0-9].*/, "", e); ede = "ede=" e }
/^;; QUESTION SECTION:/ { inq = 1; next }
inq && /^;/ { inq = 0; x = substr($1, 2); t = $3
	key = tolower(x) " " t; next }
t != "" && $1 !~ /^;/ && $4 == t { n++
	if (t == "SOA") d = "serial=" $7
	else if (t == "TXT") { x = $5; gsub(/"/, "", x); d = d == "" ? x : d "," x }
}
END { flush(); m = split(set, l, "\n")
	for (k = 1; k <= m; k++) { split(l[k], f, " ")
		r = res[tolower(f[1]) " " f[2]]
		print l[k], r != "" ? r : "TIMEOUT - 0 -" } }'

# lab_summary: per step, probes asked, answered as a validating
# resolver must, and validated (AD set).
lab_summary() {
	awk '
	!($1 in n) { order[++k] = $1 }
	{ n[$1]++; if ($9 == "ok") ok[$1]++; if ($7 == "AD") ad[$1]++
	  r[$1 " " $2] = 1 }
	END {
		printf "%-12s %9s %6s %8s %9s\n", "step", "resolvers", "probes",
		    "answered", "validated"
		for (i = 1; i <= k; i++) {
			s = order[i]; c = 0
			for (x in r) { split(x, f, " "); if (f[1] == s) c++ }
			printf "%-12s %9d %6d %8d %9d\n", s, c, n[s], ok[s] + 0,
			    ad[s] + 0
			tn += n[s]; tok += ok[s]; tad += ad[s]
		}
		printf "%-12s %9s %6d %8d %9d\n", "total", "", tn, tok, tad
	}' "$LAB_DIR/probes.log"
}

# lab_cleanup: stop every daemon the lab started, by PID, newest first.
lab_cleanup() {
	local pid rest
	[ -n "${LAB_DIR:-}" ] && [ -f "$LAB_DIR/pids" ] || return 0
	tac "$LAB_DIR/pids" | while read -r pid rest; do
		lab_stop_pid "$pid"
	done
	return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-} in
	reload_party|probe|lab_*)
		f=$1
		shift
		"$f" "$@"
		;;
	*)
		echo "usage: lab.sh reload_party root|a|b FILE" >&2
		exit 2
		;;
	esac
fi
