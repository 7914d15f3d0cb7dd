#!/bin/bash
# make demo: a rehearsal of the migration between three parties, each in
# a state directory of its own as on its own machine (bero-migration(7),
# The model): operator A (demo-out/a), operator B (demo-out/b) and the
# registry (demo-out/registry), with a test root as the parent.  Each
# step is run by its party with the commands a real party types
# (bero-migrate init -R, import -y with the DS digests read out of the
# other's bundle as a person would confirm them by telephone, step,
# export, observe), and what each hands over moves as bundles
# (demo-out/bundles).  A is an incumbent with a signer of its own: its
# zone was signed by BIND's dnssec-signzone with keys dnssec-keygen made
# beforehand (demo-out/a-signer), berokit holds A's public keys only
# (A_SIGNER=external), and A adds B's keys and name servers its own way.
#
# Every step observes what the servers serve, so the demo runs three
# NSD instances of its own (scripts/demo/servers.sh): the test root, A's
# and B's, on loopback addresses (127.77.0.0/24) and a port above 1024
# (DEMO_PORT, 10053), everything under demo-out/servers.  They are
# stopped when the demo ends, on failure and on Ctrl-C too; a run killed
# outright leaves them running, and the next one refuses to start until
# they are stopped (make demo-stop).  The TTLs and propagation delays
# are seconds (DEMO_TTL, 10), so the waits are real and short: the
# clock is the real one.
#
# The demo goes as far as the driver allows the parties in their own
# directories, and says where it stops.
#
# It runs either method (bero-migration(7), METHODS): DEMO_METHOD=exchange,
# the default (the steps below), or DEMO_METHOD=double-ds (init -M
# double-ds and the steps of scripts/demo/double-ds.sh: DS_B at the root
# before NS_B, no KSK signature exchanged, A still signing with KSK_A
# only).
#
# usage: bash scripts/demo.sh [BINDIR]          run it
#        bash scripts/demo.sh -k [BINDIR]       stop what a killed run left
# (DEMO_OUT: another place than demo-out; DEMO_DELEGATIONS: the size of
# the sample TLD, 1000; DEMO_PORT, DEMO_NET: the servers' port and
# addresses; DEMO_METHOD: exchange or double-ds; DEMO_STEP_HOOK: a command run with the step's name once
# the parties are through with each step, its output in
# demo-out/hook.log: the lab's resolvers, t/0850; DEMO_LIVING=1, a
# delegation added at step 2, one deleted at step 7 and both operators'
# refresh in the wait of step 5; DEMO_PARENT_LATE=1, the registry's
# observation of step 4 refused before the parent publishes: both off by
# default, scripts/demo/living.sh, t/0855)

stop_only=
if [ "${1:-}" = -k ]; then
	stop_only=1
	shift
fi
bin=$(cd "${1:-build/bin}" && pwd) || exit 2
DEMO_TOP=$(cd "$(dirname "$0")/.." && pwd)
PATH=$bin:$DEMO_TOP/scripts:$PATH
export PATH
out=${DEMO_OUT:-$DEMO_TOP/demo-out}
case $out in /*) ;; *) out=$PWD/$out ;; esac
n=${DEMO_DELEGATIONS:-1000}
DEMO_TLD=example.
DEMO_TTL=${DEMO_TTL:-10}
DEMO_SRV=$out/servers
export DEMO_SRV DEMO_TLD
DEMO_METHOD=${DEMO_METHOD:-exchange}
case $DEMO_METHOD in
exchange) method=() ;;
double-ds) method=(-M double-ds) ;;
*) echo "demo: DEMO_METHOD=$DEMO_METHOD: exchange or double-ds" >&2; exit 2 ;;
esac

. "$DEMO_TOP/scripts/demo/servers.sh"
. "$DEMO_TOP/scripts/demo/a-signer.sh"
. "$DEMO_TOP/scripts/demo/parent.sh"
. "$DEMO_TOP/scripts/demo/living.sh"

die() {
	printf 'demo: %s\n' "$*" >&2
	exit 2
}

# ---------------------------------------------------------------- set-up

srv_env "$DEMO_SRV"
if [ -n "$stop_only" ]; then
	[ -d "$DEMO_SRV" ] || exit 0
	left=$(srv_running)
	srv_stop
	[ -z "$left" ] || echo "demo: stopped the servers left in $DEMO_SRV:" $left
	exit 0
fi

for t in zcanon zmerge-dnskey zadd-bero-ns ds-from-dnskey zdiff-dnssec \
    zresign zcheck-chain zcheck-servers; do
	command -v "$t" > /dev/null || die "$t is missing from $bin: make it first"
done
for t in nsd nsd-control nsd-checkconf kdig dnssec-keygen dnssec-signzone ss; do
	command -v "$t" > /dev/null || die "$t is not installed (make demo installs it)"
done

# A run killed outright (kill -9, a closed terminal) left its servers:
# never start a second set beside them, nor remove their files.
left=$(srv_running)
[ -z "$left" ] ||
    die "$out: the servers of an earlier run still run (PID $(echo $left)): stop them first (make demo-stop, or bash scripts/demo.sh -k)"
busy=$(srv_busy)
[ -z "$busy" ] ||
    die "$busy: the demo's address and port are taken (another demo?): set DEMO_PORT or DEMO_NET"

rm -rf "$out"
mkdir -p "$DEMO_SRV" "$out/bundles" || die "$out: cannot create"
{
	printf 'DEMO_PORT=%s\n' "$DEMO_PORT"
	printf 'DEMO_NET=%s\n' "$DEMO_NET"
} > "$DEMO_SRV/env"
: > "$DEMO_SRV/pids"
: > "$out/who"
: > "$out/transcript"

START=$(date +%s)
STOPPED=

# On any end: stop our servers, say how far the demo went and how long
# it took.
finish() {
	local rc=$?
	# Stopped by a signal: its status, whatever the last command said.
	[ -z "$SIGNALLED" ] || rc=$SIGNALLED
	trap - EXIT INT TERM HUP
	srv_stop
	echo
	if [ -n "$STOPPED" ]; then
		echo "== the demo stops here: $STOPPED"
	elif [ "$rc" -ne 0 ]; then
		echo "== the demo FAILED (status $rc): the whole output of each command is in $out/transcript" >&2
	fi
	echo "== $(awk 'END { print NR }' "$out/who") commands by the parties in $(($(date +%s) - START)) s; the servers are stopped"
	exit "$rc"
}
SIGNALLED=
trap finish EXIT
trap 'SIGNALLED=130; exit 130' INT
trap 'SIGNALLED=143; exit 143' TERM HUP

# say_as PARTY TEXT: what a party does, as it would type it.
say_as() {
	printf '  %-10s $ %s\n' "$(party_label "$1")" "$2"
}

party_label() {
	case $1 in
	A|a) echo "A" ;;
	B|b) echo "B" ;;
	R|r|registry) echo "registry" ;;
	P|parent) echo "parent" ;;
	esac
}

# as PARTY COMMAND...: PARTY runs bero-migrate COMMAND in its own state
# directory (demo-out/PARTY), with its own publish hook (its server
# only); the command is shown as typed, and what it printed that says
# what happened.  The whole output goes to demo-out/transcript, and a
# line "time party status command" to demo-out/who.  The status is the
# command's, or 3 when the driver does not let the party run its part
# in its own directory yet.
as() {
	local p=$1 dir rc f
	shift
	dir=$(party_dir "$p")
	say_as "$p" "bero-migrate -d $dir $*"
	f=$out/.last
	(
		cd "$out" || exit 2
		if [ "$p" = r ]; then
			unset BERO_PUBLISH_HOOK
		else
			export BERO_PUBLISH_HOOK="bash $DEMO_TOP/scripts/demo/servers.sh publish $p"
		fi
		bero-migrate -d "$dir" "$@"
	) > "$f" 2>&1
	rc=$?
	printf '%s %s %s %s\n' "$(date +%s)" "$p" "$rc" "$*" >> "$out/who"
	{
		printf '\n[%s] %s $ bero-migrate -d %s %s (status %s)\n' \
		    "$(date -u +%H:%M:%S)" "$(party_label "$p")" "$dir" "$*" "$rc"
		cat "$f"
	} >> "$out/transcript"
	grep -E '^(step [0-9a-z]+: |  observed: |  published: |  removed: |imported: |  next: |ok: every DS|bero-migrate: )' "$f" |
	    sed 's/^ *//; s/^/               /' | awk '!seen[$0]++'
	if [ "$rc" -ne 0 ] && grep -q 'not written for a party' "$f"; then
		return 3
	fi
	return "$rc"
}

# must PARTY COMMAND... [-- STATUS]: as, and the demo stops on a
# failure (a status other than 0, or STATUS, which the command may end
# with: B's step 6 ends 1 until A's part is done), or where the driver
# does not yet let the party run its part in its own directory.
must() {
	local rc ok=0 p=$1
	shift
	if [ $# -ge 2 ] && [ "${*: -2:1}" = -- ]; then
		ok=${*: -1}
		set -- "${@:1:$(($# - 2))}"
	fi
	as "$p" "$@"
	rc=$?
	case $rc in
	0|"$ok") return 0 ;;
	3) stop_here "$p" "$2" ;;
	*) exit "$rc" ;;
	esac
}

# stop_here PARTY STEP: the end of what the driver allows today.
stop_here() {
	STOPPED="the driver does not let $(party_label "$1") run its part of step $2 in its own directory yet (\"not written for a party's own directory\"); every step before it ran as its party"
	exit 0
}

# gate PARTY STEP: asks for a step the party cannot do yet (its order):
# refused either way, nothing done; the demo stops here if the refusal
# says the part is not written.  Only in the transcript.
gate() {
	local dir rc
	dir=$(party_dir "$1")
	(cd "$out" && bero-migrate -d "$dir" step "$2") > "$out/.gate" 2>&1
	rc=$?
	{
		printf '\n[%s] (the demo asks whether %s may run step %s in its directory: status %s)\n' \
		    "$(date -u +%H:%M:%S)" "$(party_label "$1")" "$2" "$rc"
		cat "$out/.gate"
	} >> "$out/transcript"
	if grep -q 'not written for a party' "$out/.gate"; then
		say_as "$1" "bero-migrate -d $dir step $2"
		sed 's/^/               /' "$out/.gate"
		stop_here "$1" "$2"
	fi
	return 0
}

party_dir() {
	case $1 in a) echo a ;; b) echo b ;; r) echo registry ;; esac
}

# parent_publish STEP: the parent (IANA) publishes the delegation of the
# registry's request of STEP in the test root, and its server reloads.
parent_publish() {
	local req=$out/registry/r/step-$1.request
	[ -s "$req" ] || die "$req: the registry's request of step $1 is not there"
	SERIAL=$((SERIAL + 1))
	say_as P "publishes the delegation of the registry's request (registry/r/step-$1.request) in the root zone, serial $SERIAL"
	parent_zone "$req" "$out/root/root.zone" &&
	    srv_publish root "$out/root/root.zone" || die "the parent could not publish"
}

# late_steps TITLE: steps 9 to 13, the same in both methods once the
# parent serves NS_B alone (step 8), TITLE step 10's heading.
late_steps() {
	local p
	header 9 "Step 9: every party waits until no resolver can reach A"
	for p in a b r; do
		wait_for "$p" 9
		must "$p" step 9
	done

	header 10 "$1"
	must b step 10
	must b export 10 -o bundles/b-10
	must r import bundles/b-10
	must r observe 10

	header 11 "Step 11: the registry asks the parent for DS_B alone"
	wait_for r 11
	must r step 11

	header 12 "Step 12: the parent publishes DS_B alone; every party observes it"
	parent_publish 11
	for p in a b r; do
		must "$p" observe 12
	done

	header 13 "Step 13: A stops serving the TLD"
	wait_for a 13
	must a step 13
}

# wait_for PARTY STEP: sleep until the party's driver allows the step
# (bero-migrate when: the wait of bero-migration(7), THE WAITS).
wait_for() {
	local dir due now
	dir=$(party_dir "$1")
	due=$(cd "$out" && bero-migrate -d "$dir" when "$2") || exit 2
	now=$(date +%s)
	if [ "$due" -gt "$now" ]; then
		echo "  ... $(party_label "$1") waits $((due - now)) s before step $2 (bero-migrate -d $dir when $2)"
		sleep $((due - now))
	fi
}

# digests BUNDLE: the SHA-256 DS digests of the keys in a bundle's ds
# file, as the receiver reads them back to the sender to confirm them.
digests() {
	awk -F '\t' '$4 == "DS" { split($5, f, " "); if (f[3] == 2) print f[4] }' \
	    "$out/bundles/$1/ds"
}

# header STEP TEXT: a step begins; the one before it has ended: its
# DEMO_STEP_HOOK runs (after_step).
header() {
	after_step
	CUR_STEP=$1
	shift
	echo
	echo "== $*"
}

# after_step: DEMO_STEP_HOOK STEP once the parties are through with a
# step (the lab's resolvers probe what is served then, t/0850); the
# demo stops when it fails.
CUR_STEP=
after_step() {
	[ -n "$CUR_STEP" ] && [ -n "${DEMO_STEP_HOOK:-}" ] || return 0
	echo "  (after step $CUR_STEP: $DEMO_STEP_HOOK $CUR_STEP)"
	DEMO_OUT=$out $DEMO_STEP_HOOK "$CUR_STEP" >> "$out/hook.log" 2>&1 ||
	    die "after step $CUR_STEP: $DEMO_STEP_HOOK failed (see $out/hook.log)"
}

# ------------------------------------------------- what exists before

a_addrs="ns1.nic-a.$DEMO_TLD=$DEMO_NET.11 ns2.nic-a.$DEMO_TLD=$DEMO_NET.12"
b_addrs="ns1.nic-b.$DEMO_TLD=$DEMO_NET.21 ns2.nic-b.$DEMO_TLD=$DEMO_NET.22"
servers() {
	local w p=$2 first=1
	for w in $1; do
		[ -n "$first" ] || printf ' '
		printf '%s@%s' "$w" "$p"
		first=
	done
}

header "" "Before the migration: A serves $DEMO_TLD ($n delegations), signed by its own signer (BIND); the parent delegates it to A with DS_A"
asig=$out/a-signer
asig_init "$asig" "$n" "$a_addrs" || die "A's keys and zone could not be made"
asig_sign "$asig" "$asig/zone.unsigned" "$asig/zone.signed" || die "A's zone could not be signed"
PARENT_DIR=$out/root
mkdir -p "$PARENT_DIR" || exit 2
say_as P "dnssec-keygen -K keys/root -a ECDSAP256SHA256 -L $DEMO_TTL -f KSK .   (and a ZSK)"
parent_keys "$PARENT_DIR" || die "the parent's keys could not be made"
{
	printf '%s\t%s\tIN\tNS\tns1.nic-a.%s\n' "$DEMO_TLD" "$DEMO_TTL" "$DEMO_TLD"
	printf '%s\t%s\tIN\tNS\tns2.nic-a.%s\n' "$DEMO_TLD" "$DEMO_TTL" "$DEMO_TLD"
	printf 'ns1.nic-a.%s\t%s\tIN\tA\t%s.11\n' "$DEMO_TLD" "$DEMO_TTL" "$DEMO_NET"
	printf 'ns2.nic-a.%s\t%s\tIN\tA\t%s.12\n' "$DEMO_TLD" "$DEMO_TTL" "$DEMO_NET"
	ds-from-dnskey -2 "$(grep -l 'DNSKEY 257' "$asig"/public/*.key)"
} > "$out/root/delegation-0" || die "the parent's delegation could not be made"
SERIAL=1
parent_zone "$out/root/delegation-0" "$out/root/root.zone" ||
    die "the test root could not be made"
say_as P "serves the test root (signed by its keys): $DEMO_TLD delegated to NS_A with DS_A"
srv_start root "$out/root/root.zone" || exit 2
say_as A "serves $DEMO_TLD on $DEMO_NET.11 and .12 port $DEMO_PORT"
srv_start a "$asig/zone.signed" || exit 2
say_as B "runs its name servers on $DEMO_NET.21 and .22 port $DEMO_PORT (no $DEMO_TLD yet)"
srv_start b || exit 2

# What the three parties agree on before they start: the TLD, each
# operator's name servers and their addresses, the parent's servers
# and each operator's (to observe), the TTLs (seconds, for the demo).
cat > "$out/demo.conf" <<EOF
TLD=$DEMO_TLD
NS_A="ns1.nic-a.$DEMO_TLD ns2.nic-a.$DEMO_TLD"
NS_B="ns1.nic-b.$DEMO_TLD ns2.nic-b.$DEMO_TLD"
ROOT_NS="a.root-servers.test."
ADDRS="$a_addrs $b_addrs a.root-servers.test.=$DEMO_NET.1"
TTL_KEY=$DEMO_TTL
TTL_NS_C=$DEMO_TTL
TTL_ZONE=$DEMO_TTL
TTL_NS_P=$DEMO_TTL
TTL_DS_P=$DEMO_TTL
TTL_GLUE_P=$DEMO_TTL
Dprp_C=2
Dprp_P=2
SERVE_STALE=$DEMO_TTL
LAB_ADDRESSES=yes
PARENT_SERVERS="$(servers "a.root-servers.test.=$DEMO_NET.1" "$DEMO_PORT")"
A_SERVERS="$(servers "$a_addrs" "$DEMO_PORT")"
B_SERVERS="$(servers "$b_addrs" "$DEMO_PORT")"
OBSERVE_TIMEOUT=20
OBSERVE_INTERVAL=1
EOF
living_conf >> "$out/demo.conf" || exit 2

# ------------------------------------------------------------------ init

header 0 "Step 0: each party makes its own state directory"
must a init -R a "${method[@]}" -C demo.conf -k a-signer/public -f a-signer/zone.signed
must b init -R b "${method[@]}" -C demo.conf
must r init -R registry "${method[@]}" -C demo.conf
must a export 0 -o bundles/a-0
if [ "$DEMO_METHOD" = double-ds ]; then
	. "$DEMO_TOP/scripts/demo/double-ds.sh"
	dds_steps
	after_step
	echo
	echo "== the migration is complete (double-DS)"
	exit 0
fi

# ------------------------------------------------------------- step 1

header 1 "Step 1: B takes A's zone and keys (checked against the DS the parent serves) and signs it with its own keys"
must b import bundles/a-0
must b step 1
must b export 1 -o bundles/b-1
d=$(digests b-1)
[ -n "$d" ] || die "bundles/b-1/ds: no SHA-256 digest"
echo "  (B reads the digests of its KSK to A and to the registry, who check them against the bundle: $d)"
# shellcheck disable=SC2086
must a import bundles/b-1 -y $d
# shellcheck disable=SC2086
must r import bundles/b-1 -y $d

# ------------------------------------------------------------ step 2a

header 2a "Step 2a: A and B each publish the four keys; B carries KSK_A's signature"
asig_edit "$asig" 2a "$out/bundles/b-1" || die "A's signer: zone-2a"
asig_sign "$asig" "$asig/zone-2a.unsigned" "$asig/zone-2a.signed" || die "A's signer failed"
must a step 2a -f a-signer/zone-2a.signed
must a export 2a -o bundles/a-2a
must b import bundles/a-2a
must b step 2a
must b export 2a -o bundles/b-2a
must a import bundles/b-2a
living_add

# ------------------------------------------------------------ step 2b

header 2b "Step 2b: once no resolver holds a DNSKEY RRset without B's keys, A and B add NS_B"
{
	for h in ns1.nic-b.$DEMO_TLD ns2.nic-b.$DEMO_TLD; do
		printf '%s\t%s\tIN\tNS\t%s\n' "$DEMO_TLD" "$DEMO_TTL" "$h"
	done
	for w in $b_addrs; do
		printf '%s\t%s\tIN\tA\t%s\n' "${w%%=*}" "$DEMO_TTL" "${w#*=}"
	done
} > "$asig/ns-b" || exit 2
wait_for a 2b
asig_edit "$asig" 2b "$out/bundles/b-1" "$asig/ns-b" || die "A's signer: zone-2b"
asig_sign "$asig" "$asig/zone-2b.unsigned" "$asig/zone-2b.signed" || die "A's signer failed"
must a step 2b -f a-signer/zone-2b.signed
must a export 2b -o bundles/a-2b
must b import bundles/a-2b
wait_for b 2b
must b step 2b
must b export 2b -o bundles/b-2b
must a import bundles/b-2b

# ------------------------------------------------------- steps 3 to 13
#
# What follows runs as far as the driver lets each party run its part in
# its own directory (gate: the party's step asked for before it can be
# done is refused for its order once the part is written, and with "not
# written for a party's own directory" until then).

header 3 "Step 3: the registry asks the parent for DS_B beside DS_A, once A and B serve step 2b"
gate r 3
must r import bundles/b-2b
must r observe 2b
must r step 3

header 4 "Step 4: the parent (IANA) publishes DS_B beside DS_A; every party observes it on the parent's servers"
gate a 5
gate b 6
gate a 6
gate r 7
living_parent_late 4
parent_publish 3
for p in a b r; do
	must "$p" observe 4
done

header 5 "Step 5: every party waits until no resolver holds the DS RRset without DS_B"
living_refresh
for p in a b r; do
	wait_for "$p" 5
	must "$p" step 5
done

header 6 "Step 6: B, then A, put NS_B alone at the apex; A signs B's data with its own signer"
must b step 6 -- 1
must b export 6 -o bundles/b-6
must a import bundles/b-6
must r import bundles/b-6
asig_six "$asig" "$out/a/b/step-6.xfr" "$out/bundles/b-1" || die "A's signer: zone-6"
asig_sign "$asig" "$asig/zone-6.unsigned" "$asig/zone-6.signed" || die "A's signer failed"
must a step 6 -f a-signer/zone-6.signed
must a export 6 -o bundles/a-6
must b import bundles/a-6
must b observe 6
must r observe 6

header 7 "Step 7: the registry asks the parent for NS_B alone"
must r step 7
living_delete

header 8 "Step 8: the parent publishes NS_B; every party observes it"
gate a 9
gate b 10
gate r 11
gate a 13
parent_publish 7
for p in a b r; do
	must "$p" observe 8
done

late_steps "Step 10: B takes A's keys and signatures out of its zone"

after_step
echo
echo "== the migration is complete"
