#!/bin/bash
# scripts/demo/servers.sh: the name servers of make demo.  Three NSD
# instances, as the three real parties would run them: the test root
# (the parent), operator A's and operator B's, each on loopback
# addresses of its own (127.77.0.0/24 by default) and a port above 1024
# (DEMO_PORT), so that no root privilege is needed and nothing outside
# the machine can query them.  Everything they use is under
# DEMO_SRV (demo-out/servers): one directory per server with its
# configuration, zone file, control socket and log, and the file pids
# ("PID party"), the only processes srv_stop ever stops.
#
# Sourced by scripts/demo.sh; run as a program, it is the publish hook
# of one party's state directory (BERO_PUBLISH_HOOK, bero-migrate(1)):
#   servers.sh publish OWNER PARTY FILE
# makes FILE what OWNER's server serves (nsd-control reload), refusing
# a PARTY that is not OWNER: a party's hook reloads its own server only;
# a FILE that no longer exists (A's step 13) stops that server.
#   servers.sh stop DIR
# stops the servers a run left in DIR (make demo-stop).

. "$(dirname "${BASH_SOURCE[0]}")/nsd-conf.sh"

# srv_env DIR [run]: the servers' directory, their port and addresses:
# DEMO_PORT and DEMO_NET or the defaults; with "run", what the run
# that started them wrote in DIR/env (the publish hook).
srv_env() {
	DEMO_SRV=$1
	if [ "${2:-}" = run ] && [ -f "$DEMO_SRV/env" ]; then
		. "$DEMO_SRV/env"
	fi
	: "${DEMO_PORT:=10053}" "${DEMO_NET:=127.77.0}"
	SRV_ROOT="$DEMO_NET.1"
	SRV_A="$DEMO_NET.11 $DEMO_NET.12"
	SRV_B="$DEMO_NET.21 $DEMO_NET.22"
}

srv_say() {
	printf 'demo: %s\n' "$*" >&2
}

# srv_addrs PARTY, srv_zone PARTY: a server's addresses and its zone.
srv_addrs() {
	case $1 in
	root) echo "$SRV_ROOT" ;;
	a) echo "$SRV_A" ;;
	b) echo "$SRV_B" ;;
	*) srv_say "no server for '$1'"; return 1 ;;
	esac
}

srv_zone() {
	case $1 in
	root) echo . ;;
	*) echo "${DEMO_TLD:-example.}" ;;
	esac
}

# srv_conf PARTY DIR: NSD's configuration: the party's addresses, files
# of its own under DIR, a control socket (nsd-control), no rate limit.
srv_conf() {
	local addrs
	addrs=$(srv_addrs "$1") || return 1
	# shellcheck disable=SC2086
	nsd_conf_server "$2" "$DEMO_PORT" $addrs
	printf '\tidentity: "demo-%s"\n' "$1"
	nsd_conf_probed
	nsd_conf_control "$2"
	printf 'zone:\n\tname: "%s"\n\tzonefile: "%s/zone.db"\n' \
	    "$(srv_zone "$1")" "$2"
}

# srv_busy: the first of our addresses and port something else already
# listens on (another demo, a service), if any.
srv_busy() {
	ss -Hlnut 2> /dev/null | awk -v p=":$DEMO_PORT" -v net="$DEMO_NET." '
	    { a = $5 }
	    substr(a, length(a) - length(p) + 1) == p {
		h = substr(a, 1, length(a) - length(p))
		if (h == "0.0.0.0" || h == "*" || h == "[::]" ||
		    index(h, net) == 1) { print a; exit }
	    }'
}

# srv_serial ADDR ZONE: the SOA serial an address serves (empty if none).
srv_serial() {
	kdig @"$1" -p "$DEMO_PORT" +tcp +norec +time=1 +retry=0 +short \
	    "$2" SOA 2> /dev/null | awk 'NF == 7 { print $3; exit }'
}

# srv_answers ADDR: whether the server on ADDR answers at all (a server
# with no zone loaded yet answers SERVFAIL).
srv_answers() {
	kdig @"$1" -p "$DEMO_PORT" +tcp +norec +time=1 +retry=0 \
	    "${DEMO_TLD:-example.}" SOA 2> /dev/null | grep -q 'status: '
}

# srv_start PARTY [FILE]: the party's server, serving FILE (none yet:
# it answers SERVFAIL for the zone until its first publication).
# Returns once every address answers.
srv_start() {
	local p=$1 d=$DEMO_SRV/$1 a i
	mkdir -p "$d" || return 1
	if [ -n "${2:-}" ]; then
		cp "$2" "$d/zone.db" || return 1
	fi
	srv_conf "$p" "$d" > "$d/nsd.conf" || return 1
	nsd-checkconf "$d/nsd.conf" || return 1
	nsd -d -c "$d/nsd.conf" < /dev/null > "$d/nsd.out" 2>&1 9>&- &
	printf '%s %s\n' "$!" "$p" >> "$DEMO_SRV/pids"
	for a in $(srv_addrs "$p"); do
		for i in $(seq 100); do
			srv_answers "$a" && break
			if [ "$i" = 100 ]; then
				srv_say "the server of $p on $a port $DEMO_PORT does not answer:"
				cat "$d/nsd.out" "$d/nsd.log" >&2 2> /dev/null
				return 1
			fi
			sleep 0.1
		done
	done
}

# srv_loads DIR ZONE: how many times a server read its zone file.
srv_loads() {
	grep -c -F "zone $2 read with success" "$1/nsd.log" 2> /dev/null || true
}

# srv_publish PARTY FILE: the party's server serves FILE from now on;
# returns once NSD read it and every address answers its serial.
srv_publish() {
	local p=$1 f=$2 d=$DEMO_SRV/$1 z serial loads a n
	z=$(srv_zone "$p")
	if [ ! -e "$f" ]; then
		srv_stop_one "$p"
		return
	fi
	serial=$(awk -F '\t' '$4 == "SOA" { split($5, r, " "); print r[3]; exit }' "$f")
	[ -n "$serial" ] || { srv_say "$f: no SOA serial"; return 1; }
	loads=$(srv_loads "$d" "$z")
	cp "$f" "$d/zone.db.new" && mv -f "$d/zone.db.new" "$d/zone.db" ||
	    return 1
	nsd-control -c "$d/nsd.conf" reload "$z" > /dev/null || return 1
	n=0
	while [ "$(srv_loads "$d" "$z")" -le "$loads" ]; do
		n=$((n + 1))
		[ "$n" -le 150 ] || {
			srv_say "$p: nsd did not load $f"
			tail -n 5 "$d/nsd.log" >&2
			return 1
		}
		sleep 0.1
	done
	for a in $(srv_addrs "$p"); do
		n=0
		while [ "$(srv_serial "$a" "$z")" != "$serial" ]; do
			n=$((n + 1))
			[ "$n" -le 150 ] || {
				srv_say "$p: $a does not serve serial $serial"
				return 1
			}
			sleep 0.1
		done
	done
}

# srv_ours PID: whether PID runs one of this directory's servers (its
# command line names a configuration under DEMO_SRV), so that a PID
# reused by another process is never touched.
srv_ours() {
	[ -r "/proc/$1/cmdline" ] || return 1
	tr '\0' ' ' 2> /dev/null < "/proc/$1/cmdline" |
	    grep -qF -- "$DEMO_SRV/" || return 1
	# A zombie no longer runs.
	! awk '{ sub(/^.*\) /, ""); exit !($1 == "Z" || $1 == "X") }' \
	    "/proc/$1/stat" 2> /dev/null
}

# srv_running: the PIDs of the pid list that still run one of ours.
srv_running() {
	local pid rest
	[ -f "$DEMO_SRV/pids" ] || return 0
	while read -r pid rest; do
		srv_ours "$pid" && printf '%s\n' "$pid"
	done < "$DEMO_SRV/pids"
	return 0
}

# srv_kill PID...: TERM, then KILL to any still there after 3 s.
srv_kill() {
	local pid n=0 left
	for pid; do
		kill -TERM "$pid" 2> /dev/null
	done
	while :; do
		left=
		for pid; do
			srv_ours "$pid" && left="$left $pid"
		done
		[ -n "$left" ] && [ "$n" -lt 30 ] || break
		sleep 0.1
		n=$((n + 1))
	done
	for pid in $left; do
		kill -KILL "$pid" 2> /dev/null
	done
	for pid; do
		wait "$pid" 2> /dev/null
	done
	return 0
}

# srv_stop_one PARTY: stop the party's server (A's, at step 13).
srv_stop_one() {
	local pid p
	[ -f "$DEMO_SRV/pids" ] || return 0
	while read -r pid p; do
		[ "$p" = "$1" ] && srv_ours "$pid" && srv_kill "$pid"
	done < "$DEMO_SRV/pids"
	return 0
}

# srv_stop: stop every server of the pid list.
srv_stop() {
	local pids
	pids=$(srv_running)
	# shellcheck disable=SC2086
	[ -z "$pids" ] || srv_kill $pids
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-} in
	publish)
		[ $# -eq 4 ] || { srv_say "usage: servers.sh publish owner party file"; exit 2; }
		[ "$2" = "$3" ] || {
			srv_say "the publish hook of $2's directory was asked to publish $3's zone: refused"
			exit 2
		}
		[ -n "${DEMO_SRV:-}" ] || { srv_say "DEMO_SRV is not set"; exit 2; }
		srv_env "$DEMO_SRV" run
		srv_publish "$3" "$4" || exit 2 ;;
	stop)
		[ $# -eq 2 ] && [ -d "$2" ] || { srv_say "usage: servers.sh stop dir"; exit 2; }
		srv_env "$(cd "$2" && pwd)"
		srv_stop ;;
	*)
		srv_say "usage: servers.sh publish owner party file | stop dir"
		exit 2 ;;
	esac
fi
