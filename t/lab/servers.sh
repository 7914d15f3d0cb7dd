# zcheck-servers' lab (t/065N-zcheck-servers-*.bats): real NSD servers,
# one Unbound and a few misbehaving relays (t/tools/zcs-relay.c), each on
# addresses of 127.0.0.0/8 and a port above 1024, in a network namespace
# of their own when "unshare -n" works (then nothing else on the machine
# sees them, and a test running at the same time cannot take their port),
# else on the host's loopback.  The lab's daemons run in the foreground
# as children of the test; their PIDs are in $ZCS_DIR/pids and zcs_stop
# stops those and nothing else.
#
# Every address is in its own /24 unless a test wants otherwise, so that
# the diversity warning (check 9) shows only where it is meant to.

ZCS_KEYS=$BATS_TEST_DIRNAME/data/examples

# NSD's configuration, as the demo's servers have it.
. "$BATS_TEST_DIRNAME/../scripts/demo/nsd-conf.sh"

# The first program the lab needs that is missing, if any.
zcs_missing() {
	local p
	for p in nsd unbound dig cc; do
		command -v "$p" > /dev/null || { printf '%s\n' "$p"; return 0; }
	done
	return 1
}

# Run a command in the lab's network.
zcs_exec() {
	if [ -n "${ZCS_NSPID:-}" ]; then
		nsenter -t "$ZCS_NSPID" -n -- "$@"
	else
		"$@"
	fi
}

# zcheck-servers in the lab's network, on its port.
zcs() {
	zcs_exec "$BK_BIN/zcheck-servers" -P "$ZCS_PORT" "$@"
}

zcs_spawn() {
	local name=$1 out=$2
	shift 2
	if [ -n "${ZCS_NSPID:-}" ]; then
		nsenter -t "$ZCS_NSPID" -n -- "$@" < /dev/null > "$out" 2>&1 3>&- &
	else
		"$@" < /dev/null > "$out" 2>&1 3>&- &
	fi
	ZCS_PID=$!
	printf '%s %s\n' "$ZCS_PID" "$name" >> "$ZCS_DIR/pids"
}

# zcs_net: a network namespace when we may make one, else the host's
# loopback with a port of this run's own.
zcs_net() {
	local i
	ZCS_NSPID=
	if [ "${ZCS_NETNS:-auto}" != no ] && unshare -n true 2> /dev/null &&
	    command -v nsenter > /dev/null && command -v ip > /dev/null; then
		unshare -n sleep 3600 < /dev/null > /dev/null 2>&1 3>&- &
		ZCS_NSPID=$!
		printf '%s netns\n' "$ZCS_NSPID" >> "$ZCS_DIR/pids"
		for i in $(seq 50); do
			[ "$(readlink "/proc/$ZCS_NSPID/ns/net")" != \
			    "$(readlink /proc/self/ns/net)" ] && break
			sleep 0.1
		done
		nsenter -t "$ZCS_NSPID" -n -- ip link set lo up || return 1
		ZCS_PORT=5300
	else
		ZCS_PORT=$((20000 + $$ % 20000))
	fi
}

# zcs_zone FILE ORIGIN SERIAL NS... : an unsigned zone with those NS
# targets; address records come on standard input ("name A addr").
zcs_zone() {
	local f=$1 o=$2 s=$3 n d=.$2
	shift 3
	[ "$o" != . ] || d=.
	{
		printf '$ORIGIN %s\n$TTL 3600\n' "$o"
		printf '@ SOA ns%s hostmaster%s %s 3600 600 864000 300\n' \
		    "$d" "$d" "$s"
		for n; do
			printf '@ NS %s\n' "$n"
		done
		cat
	} > "$f"
}

# zcs_sign IN OUT OPERATOR: signed with operator a's or b's keys of
# t/data/examples, valid from 2026-12-01 for 30 days.
zcs_sign() {
	local ksk zsk
	case $3 in
	a)	ksk=Kexample.+013+05021 zsk=Kexample.+013+40244 ;;
	b)	ksk=Kexample.+013+62651 zsk=Kexample.+013+48585 ;;
	esac
	"$BK_BIN/zresign" -t 20261201000000 -i 20261201000000 \
	    -e 20261231000000 -K "$ZCS_KEYS/$ksk" -k "$ZCS_KEYS/$zsk" \
	    -o "$2" "$1"
}

# zcs_nsd NAME "ADDR..." ZONE=FILE...: an NSD answering on the addresses
# for the zones, started in the background: zcs_ready waits for it.
zcs_nsd() {
	local name=$1 addrs=$2 d=$ZCS_DIR/nsd-$1 a zf
	shift 2
	mkdir -p "$d" || return 1
	{
		# shellcheck disable=SC2086
		nsd_conf_server "$d" "$ZCS_PORT" $addrs
		nsd_conf_probed
		nsd_conf_control
		for zf; do
			printf 'zone:\n\tname: "%s"\n\tzonefile: "%s"\n' \
			    "${zf%%=*}" "${zf#*=}"
		done
	} > "$d/nsd.conf"
	zcs_spawn "nsd-$name" "$d/nsd.out" nsd -d -c "$d/nsd.conf"
	for a in $addrs; do
		for zf; do
			printf '%s %s %s\n' "$d" "$a" "${zf%%=*}" >> \
			    "$ZCS_DIR/wait"
		done
	done
}

# zcs_ready: returns once every NSD started serves each of its zones at
# each of its addresses (their start-ups overlap).
zcs_ready() {
	local d a z i
	[ -f "$ZCS_DIR/wait" ] || return 0
	while read -r d a z; do
		for i in $(seq 200); do
			zcs_exec dig +norecurse +time=1 +tries=1 +short \
			    -p "$ZCS_PORT" @"$a" "$z" SOA 2> /dev/null |
			    grep -q . && break
			[ "$i" = 200 ] && {
				cat "$d/nsd.out" "$d/nsd.log" >&2
				return 1
			}
			sleep 0.05
		done
	done < "$ZCS_DIR/wait"
	rm -f "$ZCS_DIR/wait"
}

# zcs_relay NAME ARGS...: a misbehaving relay (zcs-relay), ready when it
# says so.
zcs_relay() {
	local name=$1 i
	shift
	zcs_spawn "relay-$name" "$ZCS_DIR/relay-$name.out" \
	    "$ZCS_DIR/zcs-relay" -p "$ZCS_PORT" "$@"
	for i in $(seq 100); do
		grep -q ready "$ZCS_DIR/relay-$name.out" 2> /dev/null && return 0
		sleep 0.05
	done
	cat "$ZCS_DIR/relay-$name.out" >&2
	return 1
}

# zcs_unbound NAME ADDR STUB=ADDR...: a recursive Unbound (no
# validation) answering on ADDR, sent to the stubs given for each zone.
zcs_unbound() {
	local name=$1 addr=$2 d=$ZCS_DIR/unbound-$1 s i
	shift 2
	mkdir -p "$d" || return 1
	{
		cat <<EOF
server:
	interface: $addr
	port: $ZCS_PORT
	do-ip6: no
	username: ""
	chroot: ""
	directory: "$d"
	pidfile: "$d/unbound.pid"
	logfile: "$d/unbound.log"
	use-syslog: no
	num-threads: 1
	so-reuseport: no
	outgoing-range: 64
	# allow_snoop: queries without RD are answered from the cache, as
	# a resolver mistaken for a name server answers them.
	access-control: 127.0.0.0/8 allow_snoop
	do-not-query-localhost: no
	module-config: "iterator"
	harden-referral-path: no
	qname-minimisation: no
remote-control:
	control-enable: no
EOF
		for s; do
			printf 'stub-zone:\n\tname: "%s"\n\tstub-addr: %s@%s\n' \
			    "${s%%=*}" "${s#*=}" "$ZCS_PORT"
		done
	} > "$d/unbound.conf"
	zcs_spawn "unbound-$name" "$d/unbound.out" unbound -d -c "$d/unbound.conf"
	for i in $(seq 100); do
		zcs_exec dig +time=1 +tries=1 +short -p "$ZCS_PORT" @"$addr" \
		    . SOA 2> /dev/null | grep -q . && return 0
		sleep 0.05
	done
	cat "$d/unbound.out" "$d/unbound.log" >&2
	return 1
}

# zcs_start DIR: a new lab in DIR, or the reason it cannot run in
# ZCS_SKIP.
zcs_start() {
	local miss
	ZCS_DIR=$1
	ZCS_SKIP=
	export ZCS_DIR ZCS_SKIP
	mkdir -p "$ZCS_DIR" || return 1
	: > "$ZCS_DIR/pids"
	if miss=$(zcs_missing); then
		ZCS_SKIP="$miss not installed (make deps)"
		return 0
	fi
	zcs_net || return 1
	build_driver "$BATS_TEST_DIRNAME/tools/zcs-relay.c" \
	    "$ZCS_DIR/zcs-relay" || return 1
	# ::1 where the lab's loopback has it (a kernel may run without
	# IPv6).
	ZCS_V6=no
	zcs_exec ip -6 addr show dev lo 2> /dev/null | grep -q 'inet6 ::1/' &&
	    ZCS_V6=yes
	{
		printf 'ZCS_NSPID=%s\n' "$ZCS_NSPID"
		printf 'ZCS_PORT=%s\n' "$ZCS_PORT"
		printf 'ZCS_V6=%s\n' "$ZCS_V6"
	} > "$ZCS_DIR/env"
}

# In setup: skip when the lab cannot run, else read what zcs_start
# decided.
zcs_load() {
	[ -z "${ZCS_SKIP:-}" ] || skip "$ZCS_SKIP"
	. "$ZCS_DIR/env"
}

# Whether a process runs (a zombie waiting for its parent does not).
zcs_alive() {
	local st
	st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" \
	    2> /dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# zcs_stop: stop every process the lab started, by PID: TERM to all at
# once, then KILL to any still there after 3 s.
zcs_stop() {
	local pid rest n=0 left
	[ -n "${ZCS_DIR:-}" ] && [ -f "$ZCS_DIR/pids" ] || return 0
	while read -r pid rest; do
		zcs_alive "$pid" && kill -TERM "$pid" 2> /dev/null
	done < "$ZCS_DIR/pids"
	while :; do
		left=
		while read -r pid rest; do
			zcs_alive "$pid" && left="$left $pid"
		done < "$ZCS_DIR/pids"
		[ -n "$left" ] && [ "$n" -lt 30 ] || break
		sleep 0.1
		n=$((n + 1))
	done
	for pid in $left; do
		kill -KILL "$pid" 2> /dev/null
	done
	while read -r pid rest; do
		wait "$pid" 2> /dev/null
	done < "$ZCS_DIR/pids"
	return 0
}
