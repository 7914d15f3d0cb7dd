#!/usr/bin/env bats
# Steps observed on the servers, not assumed (issue 13, "Observed, not
# typed"): with PARENT_SERVERS, A_SERVERS and B_SERVERS configured, a
# step that publishes is logged at the first moment every address serves
# what it published, and a parent step when every parent address serves
# the request; until then nothing is logged and the steps after it are
# refused, with the reason.  Real NSD servers for the test root, A and B
# on 127.0.0.0/8 (t/lab/servers.sh, a network namespace of the file's
# own when one can be made); the driver runs in that network.  The
# publish hook plays each party's name server: it installs the file and
# reloads NSD, unless the test holds that party back.

load helper
load bero-migrate
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	zcs_start "$BATS_TEST_TMPDIR/lab" || return 1
	zcs_load
	L=$BATS_TEST_TMPDIR/lab
	mkdir -p "$L/zones"
	cat > "$L/hook" <<'EOF'
#!/bin/sh
# party file: install the file as what the party's NSD serves and
# reload it, unless hold-PARTY says the party publishes late.
case $1 in root|a|b) ;; *) exit 0 ;; esac
[ -e "$LAB/hold-$1" ] && exit 0
cp "$2" "$LAB/zones/$1.zone" || exit 1
pid=$(awk -v n="nsd-$1" '$2 == n { print $1 }' "$LAB/pids")
[ -z "$pid" ] || kill -HUP "$pid" 2> /dev/null || :  # a server stopped by the test
EOF
	chmod +x "$L/hook"
	export LAB=$L BERO_PUBLISH_HOOK=$L/hook
	P=$ZCS_PORT
	cat > conf <<EOF
PARENT_SERVERS="a.root-servers.test.=127.5.0.1@$P"
A_SERVERS="ns1.nic-a.\$TLD=127.5.1.1@$P ns2.nic-a.\$TLD=127.5.1.2@$P"
B_SERVERS="ns1.nic-b.\$TLD=127.5.2.1@$P ns2.nic-b.\$TLD=127.5.2.2@$P"
OBSERVE_TIMEOUT=8
OBSERVE_INTERVAL=1
LAB_ADDRESSES=yes
EOF
	zcs_exec env BERO_NOW=$T0 bero-migrate -d st init -N 20 -C conf > /dev/null
	# The servers start with what step 0 published; B's serves A's
	# zone until step 1 (any zone will do: B is in no NS set).
	cp st/published/root/root.zone "$L/zones/root.zone"
	cp st/published/a/example.zone "$L/zones/a.zone"
	cp st/published/a/example.zone "$L/zones/b.zone"
	zcs_nsd root 127.5.0.1 ".=$L/zones/root.zone"
	zcs_nsd a "127.5.1.1 127.5.1.2" "example.=$L/zones/a.zone"
	zcs_nsd b "127.5.2.1 127.5.2.2" "example.=$L/zones/b.zone"
	zcs_ready
}

teardown() {
	zcs_stop
}

# bm STEP|observe STEP ...: the driver in the lab's network, at BM_NOW.
bm() {
	zcs_exec env BERO_NOW="$BM_NOW" bero-migrate -d st "$@"
}

# upto STEP: every step before STEP at its earliest time.
upto() {
	local s t
	BM_NOW=$T0
	for s in $BM_STEPS; do
		[ "$s" = "$1" ] && return 0
		t=$(bero-migrate -d st when "$s") || return 1
		[ "$t" -gt "$BM_NOW" ] && BM_NOW=$t
		bm step "$s" > /dev/null || { echo "step $s failed" >&2; return 1; }
	done
}

served_serial() {
	zcs_exec dig +short +norec -p "$P" @"$1" example. SOA | awk '{ print $3 }'
}

@test "observe: an operator's step is logged only once every address serves it" {
	touch "$L/hold-b"
	BM_NOW=$T0
	runs bm step 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"not observed"* ]]
	[[ "$output" == *"bero-migrate -d st observe 1"* ]]
	[[ "$stderr" == *"127.5.2.1 port $P): serves another DNSKEY RRset"* ]]
	[ "$(bm_time st 1)" = "" ]
	# Step 1 again: it published already; observe is the way on.
	runs bm step 1
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"published by an earlier run"* ]]
	runs bm step 2a
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"next step is 1, published but not yet seen"* ]]
	# B's servers get it: observe logs step 1 at the time it was seen.
	rm "$L/hold-b"
	"$L/hook" b "$PWD/st/history/b-1.zone"
	BM_NOW=$((T0 + 77))
	runs bm observe 1
	[ "$status" -eq 0 ]
	[[ "$output" == *"observed: every address of operator B serves"* ]]
	[ "$(bm_time st 1)" = $((T0 + 77)) ]
}

@test "observe: the parent publishes late; step 4 waits, then goes on when every parent address serves the request" {
	upto 4
	touch "$L/hold-root"
	# Not published at the parent: step 4 is not logged, and step 5
	# says why it cannot follow.
	runs bm step 4
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"a.root-servers.test. (127.5.0.1 port $P): serves NS and glue"* ]]
	[ "$(bm_time st 4)" = "" ]
	runs bm step 5
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"next step is 4, published but not yet seen"* ]]
	# observe 4 refuses while the root does not serve it ...
	runs bm observe 4
	[ "$status" -eq 1 ]
	[ "$(bm_time st 4)" = "" ]
	# ... and, asking every second, logs it once the parent publishes
	# (here 3 s later).
	rm "$L/hold-root"
	( sleep 3; "$L/hook" root "$PWD/st/history/root-4.zone" ) 3>&- &
	late=$!
	BM_NOW=$((BM_NOW + 600))
	runs bm observe 4
	wait "$late"
	[ "$status" -eq 0 ]
	[[ "$output" == *"observed: every parent address serves r/step-3.request"* ]]
	[ "$(bm_time st 4)" = "$BM_NOW" ]
}

@test "observe: a parent that publishes the NS change but not DS_B: step 4 is never observed, every later step refused with the reason" {
	upto 4
	touch "$L/hold-root"
	runs bm step 4
	[ "$status" -eq 1 ]
	# The root as IANA published it: the new NS set, the old DS set.
	awk -F '\t' -v ds="$(cut -f 5 st/r/ds-b.txt)" \
	    '!($1 == "example." && $4 == "DS" && $5 == ds)' \
	    st/history/root-4.zone > "$L/zones/root.zone"
	kill -HUP "$(awk '$2 == "nsd-root" { print $1 }' "$L/pids")"
	sleep 1
	runs bm observe 4
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"serves the DS RRset"* ]]
	[[ "$stderr" != *"serves NS and glue"* ]]
	for s in 5 6 7; do
		runs bm step "$s"
		[ "$status" -eq 2 ]
		[[ "$stderr" == *"the next step is 4"* ]]
	done
	[ "$(bm_time st 4)" = "" ]
}

@test "observe: a parent step recorded only when served: observe before the request refuses, without PARENT_SERVERS observe has nothing to ask" {
	upto 3
	runs bm observe 4
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"out of order: the next step is 3"* ]]
	runs bm observe 3
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"has not published anything here yet"* ]]
}

@test "observe: after step 4, a parent that goes back to the old delegation voids the waits: step 5 refused" {
	upto 5
	cp st/history/root-0.zone "$L/zones/root.zone"
	kill -HUP "$(awk '$2 == "nsd-root" { print $1 }' "$L/pids")"
	sleep 1
	BM_NOW=$(bero-migrate -d st when 5)
	runs bm step 5
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"the parent no longer serves what step 4 was observed serving"* ]]
}

@test "observe: a party's server that cannot be asked is 'not yet', never a pass" {
	kill -TERM "$(awk '$2 == "nsd-b" { print $1 }' "$L/pids")"
	sleep 0.5
	BM_NOW=$T0
	runs bm step 1
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"127.5.2.1 port $P): serves serial (none)"* ]]
	[ "$(bm_time st 1)" = "" ]
}

@test "observe: a server word that is not name=address[@port] is refused in the config" {
	for w in 'x=127.0.0.1' 'ns.example.=host.example' 'ns.example.=127.0.0.1@99999' 'ns.example.=127.1'; do
		sed -i "s|^PARENT_SERVERS=.*|PARENT_SERVERS=\"$w\"|" st/config
		runs bero-migrate -d st status
		[ "$status" -eq 2 ]
		[[ "$stderr" == *"PARENT_SERVERS: '$w': not name=address[@port]"* ]]
	done
}

@test "status: per address, what the parent and each operator serve now (zcheck-servers -v)" {
	upto 2a
	runs bm status
	[ "$status" -eq 0 ]
	[[ "$output" == *"served by the parent (PARENT_SERVERS), for example.:"* ]]
	[[ "$output" == *"a.root-servers.test. 127.5.0.1 port $P: NS ns1.nic-a.example. ns2.nic-a.example.; DS key tags "* ]]
	[[ "$output" == *"served by operator A (A_SERVERS; zcheck-servers -v):"* ]]
	[[ "$output" == *"served by operator B (B_SERVERS; zcheck-servers -v):"* ]]
	serial=$(awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3]; exit }' st/history/b-1.zone)
	[[ "$output" == *"127.5.2.1"*"$serial"* ]]
	# One address of B stops: status says so and logs nothing.
	kill -TERM "$(awk '$2 == "nsd-b" { print $1 }' "$L/pids")"
	sleep 0.5
	cp st/log log.before
	runs bm status
	[[ "$output" == *"127.5.2.1"* ]]
	cmp st/log log.before
}

@test "observe: an address no name server may have is refused before anything is asked or published; LAB_ADDRESSES=yes lets a lab's loopback pass, never multicast" {
	BM_NOW=$T0
	sed -i "s|^B_SERVERS=.*|B_SERVERS=\"ns1.nic-b.example.=224.0.0.53@$P ns2.nic-b.example.=127.5.2.2@$P\"|" st/config
	runs bm step 1
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"config: B_SERVERS: an address no name server may have; nothing asked"* ]]
	[[ "$stderr" == *"ns1.nic-b.example./224.0.0.53: multicast"* ]]
	[ ! -e st/history/b-1.zone ]
	[ "$(bm_time st 1)" = "" ]
	# Loopback only with LAB_ADDRESSES=yes.
	sed -i "s|^B_SERVERS=.*|B_SERVERS=\"ns1.nic-b.example.=127.5.2.1@$P\"|; s/^LAB_ADDRESSES=yes$/LAB_ADDRESSES=no/" st/config
	runs bm status
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"config: PARENT_SERVERS: an address no name server may have"*"a.root-servers.test./127.5.0.1: loopback"* ]]
}
