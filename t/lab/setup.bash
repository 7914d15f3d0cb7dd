# Shared by the lab's bats files (t/08NN-lab-*.bats): when the lab may
# run, where it keeps its logs, and how it reports.
. "$BATS_TEST_DIRNAME/lab/lab.sh"

# lab_setup_file NAME: a new lab whose logs stay in
# $(dirname $BK_BIN)/lab/NAME after the run (the build directory), or,
# when the lab cannot run here, the reason in LAB_SKIP: lab_setup skips
# every test with it (Bats 1.8 cannot skip from setup_file).
lab_setup_file() {
	LAB_SKIP=
	export LAB_SKIP
	# "make check" runs the lab in both passes: in the sanitizer one the
	# driver's programs are the sanitized ones (about 100 s more).
	if [ "$(id -u)" != 0 ]; then
		LAB_SKIP="the lab needs root (port 53)"
	elif LAB_SKIP=$(lab_missing); then
		LAB_SKIP="$LAB_SKIP not installed (make deps)"
	else
		LAB_SKIP=
	fi
	[ -z "$LAB_SKIP" ] || return 0
	LAB_OUT=${BK_LAB_OUT:-$(dirname "$BK_BIN")/lab}/$1
	export LAB_OUT
	rm -rf "$LAB_OUT"
	mkdir -p "$LAB_OUT" || return 1
	if ! lab_init "$LAB_OUT" 2> "$LAB_OUT/init.err"; then
		lab_cleanup
		LAB_SKIP="the lab cannot run here: $(cat "$LAB_OUT/init.err")"
	fi
}

# lab_driver_conf TTL_KEY: a TSIG key for the transfers, the driver's
# config in $LAB_OUT/lab.conf (short TTLs, TTL_KEY as given, the lab's
# addresses, AXFR; every step logged when the lab's servers are seen
# serving it: PARENT_SERVERS, A_SERVERS, B_SERVERS) and its publish
# hook, which reloads our servers.
lab_driver_conf() {
	lab_tsig lab-xfr. hmac-sha256 "$(head -c 32 /dev/urandom | base64)"
	cat > "$LAB_OUT/lab.conf" <<EOF
TLD=example.
NS_A="ns1.nic-a.example. ns2.nic-a.example."
NS_B="ns1.nic-b.example. ns2.nic-b.example."
ROOT_NS="a.root-servers.lab."
ADDRS="ns1.nic-a.example.=127.53.0.11 ns2.nic-a.example.=127.53.0.12 ns1.nic-b.example.=127.53.0.21 ns2.nic-b.example.=127.53.0.22 a.root-servers.lab.=$LAB_ROOT_ADDR"
TTL_KEY=$1
TTL_NS_C=10
TTL_ZONE=10
TTL_NS_P=10
TTL_DS_P=10
TTL_GLUE_P=10
Dprp_C=2
Dprp_P=2
SERVE_STALE=10
TRANSFER=axfr
A_XFR_ADDR=127.53.0.11
B_XFR_ADDR=127.53.0.21
TSIG_NAME=$LAB_TSIG_NAME
TSIG_ALG=$LAB_TSIG_ALG
TSIG_SECRET=$LAB_TSIG_SECRET
LAB_OPERATOR_TXT=yes
LAB_ADDRESSES=yes
PARENT_SERVERS="a.root-servers.lab.=$LAB_ROOT_ADDR"
A_SERVERS="ns1.nic-a.example.=127.53.0.11 ns2.nic-a.example.=127.53.0.12"
B_SERVERS="ns1.nic-b.example.=127.53.0.21 ns2.nic-b.example.=127.53.0.22"
OBSERVE_TIMEOUT=20
OBSERVE_INTERVAL=1
EOF
	export BERO_PUBLISH_HOOK="bash $BATS_TEST_DIRNAME/lab/lab.sh reload_party"
}

# In setup: skip when the lab cannot run, else load it.
lab_setup() {
	[ -z "${LAB_SKIP:-}" ] || skip "$LAB_SKIP"
	lab_load
}

# Say something on the TAP stream, shown whether the test passes or not.
lab_note() {
	sed 's/^/# /' >&3
}

# ------------------------------------------------ the driver in the lab
# Shared by the lab's migrations (t/0800, t/0840, t/0845): the driver's
# state in $LAB_OUT/state, each step's output in $LAB_OUT/steps.

BERO=$TOP/scripts/bero-migrate

# The programs the driver runs; the test skips, naming the first one
# missing, rather than fake it.
lab_missing_tool() {
	local p
	[ -x "$BERO" ] || { echo "scripts/bero-migrate"; return 0; }
	for p in zresign zcheck-chain zadd-bero-ns zmerge-dnskey \
	    ds-from-dnskey zdiff-dnssec zcanon kdig; do
		command -v "$p" > /dev/null || { echo "$p"; return 0; }
	done
	return 1
}

# lab_migration_setup_file NAME: setup_file of a migration in the lab:
# a new lab (lab_setup_file NAME), the driver's config with 10-second
# TTLs (lab_driver_conf), STATE exported.
lab_migration_setup_file() {
	local miss
	lab_setup_file "$1"
	if [ -z "$LAB_SKIP" ] && miss=$(lab_missing_tool); then
		LAB_SKIP="$miss not built"
		lab_cleanup
	fi
	[ -z "$LAB_SKIP" ] || return 0
	STATE=$LAB_OUT/state
	export STATE
	lab_driver_conf 10
	mkdir -p "$LAB_OUT/steps"
}

# lab_migration_teardown_file: the lab stopped, its table of probes
# printed and kept in $LAB_OUT/summary.txt.
lab_migration_teardown_file() {
	lab_cleanup
	[ -n "${LAB_OUT:-}" ] && [ -s "$LAB_OUT/probes.log" ] || return 0
	. "$LAB_OUT/env"
	{
		lab_summary
		echo "lab run time: $(($(date +%s) - LAB_T0)) s"
		echo "answers: $LAB_OUT/answers.log"
	} | tee "$LAB_OUT/summary.txt" | lab_note
}

# The driver, in the lab's network (its AXFR reaches NSD there).
bero() {
	lab_exec "$BERO" -d "$STATE" "$@"
}

# sleep_until T: the wall clock at T or later; the wait in waits.log.
sleep_until() {
	local now
	now=$(date +%s)
	[ "$1" -gt "$now" ] || return 0
	echo "${2:-wait}: waiting $(($1 - now)) s" >> "$LAB_OUT/waits.log"
	sleep $(($1 - now))
}

# run_step N: sleep until the driver accepts step N (its "when"), run
# it, keep its output in steps/N.out.
run_step() {
	local due
	due=$(bero when "$1" | awk '{ t = $NF } END { print t }')
	[[ "$due" =~ ^[0-9]+$ ]] || { echo "when $1: $due"; return 1; }
	sleep_until "$due" "step $1"
	bero step "$1" > "$LAB_OUT/steps/$1.out" 2>&1 ||
	    { cat "$LAB_OUT/steps/$1.out"; return 1; }
}

# run_back B: sleep until the driver accepts back-out step B (the next
# one), run it, keep its output in steps/B.out.
run_back() {
	local due
	if [ -e "$STATE/backout-log" ]; then
		due=$(bero when "$1" | awk '{ t = $NF } END { print t }')
		[[ "$due" =~ ^[0-9]+$ ]] || { echo "when $1: $due"; return 1; }
		sleep_until "$due" "back-out step $1"
	fi
	bero backout > "$LAB_OUT/steps/$1.out" 2>&1 ||
	    { cat "$LAB_OUT/steps/$1.out"; return 1; }
	grep -q "^== back-out step $1 " "$LAB_OUT/steps/$1.out" ||
	    { echo "not back-out step $1"; cat "$LAB_OUT/steps/$1.out"; return 1; }
}

# lab_probe_all STEP: every resolver in play at STEP asks the probe set
# (probe_many), as the file's own hooks say it must be answered:
# b_valid STEP, whether a resolver pinned to B validates (new-b-STEP
# and keep-b are asked then), and u_op new|keep STEP, the operator an
# unpinned resolver must reach (A, B or any).  keep-a and keep-u run
# from step 0 (lab_step_0); keep-b starts at the first step where B
# validates and stops at the first where it no longer does.  The
# resolvers started for STEP alone are stopped; failed probes printed.
lab_probe_all() {
	local s=$1 bad=0 r
	lab_resolver_start "new-u-$s" u
	lab_resolver_start "new-a-$s" a
	if b_valid "$s"; then
		lab_resolver_start "new-b-$s" b
		[ -e "$LAB_DIR/unbound-keep-b" ] || lab_resolver_start keep-b b
	else
		lab_resolver_stop keep-b
	fi
	r="new-u-$s:$(u_op new "$s") keep-u:$(u_op keep "$s") new-a-$s:A keep-a:A"
	b_valid "$s" && r="$r new-b-$s:B keep-b:B"
	# shellcheck disable=SC2086
	probe_many "$s" $r || bad=1
	lab_resolver_stop "new-u-$s"
	lab_resolver_stop "new-a-$s"
	lab_resolver_stop "new-b-$s"
	if [ "$bad" = 1 ]; then
		awk -v s="$s" '$1 == s && $9 != "ok"' "$LAB_DIR/probes.log"
		return 1
	fi
}

# lab_step_0 [OPTION...]: step 0 in the lab: bero init with OPTIONs,
# the lab's config and its zone (the output in steps/0.out); the root
# and A serve what it published, the root's key is the resolvers'
# anchor, keep-a (pinned to A) and keep-u (unpinned) start, and every
# resolver validates (lab_probe_all 0).  Run it with "run" (as
# lab_probe_all): a failed probe does not end it.
lab_step_0() {
	bero init "$@" -C "$LAB_OUT/lab.conf" \
	    -f "$BATS_TEST_DIRNAME/lab/example.zone" > "$LAB_OUT/steps/0.out" 2>&1 ||
	    { cat "$LAB_OUT/steps/0.out"; return 1; }
	reload_party root "$STATE/published/root/root.zone" &&
	    reload_party a "$STATE/published/a/example.zone" &&
	    lab_root "$STATE/published/root/root.zone" &&
	    lab_resolver_start keep-a a &&
	    lab_resolver_start keep-u u || return 1
	lab_probe_all 0
}

# lab_probes_ok STEPS: every probe of the run was answered as a
# validating resolver must, and the probes cover STEPS steps.
lab_probes_ok() {
	run awk '$9 != "ok"' "$LAB_DIR/probes.log"
	assert_output ""
	run awk '{ print $1 }' "$LAB_DIR/probes.log"
	assert_equal "$(printf '%s\n' "$output" | sort -u | wc -l)" "$1"
}

# lab_demo_file NAME HOOK [VAR=VALUE...]: the setup_file of a lab file
# of the three parties' directories: make demo's script
# (scripts/demo.sh) run in the lab's network on the lab's addresses and
# port 53, with the demo's VARs (DEMO_METHOD, DEMO_LIVING, ...), HOOK (a
# function of t/lab/three-parties.sh) run after each step, in the lab's
# network; the demo's exit status in LAB_OUT/demo.rc, its output in
# LAB_OUT/demo.out and demo.err.  The file is skipped (LAB_SKIP) without
# the lab or BIND's signer.
lab_demo_file() {
	local name=$1 hook=$2 rc=0
	shift 2
	lab_setup_file "$name"
	[ -z "$LAB_SKIP" ] || return 0
	command -v dnssec-signzone > /dev/null || {
		LAB_SKIP="dnssec-signzone not installed (make deps)"
		lab_cleanup
		return 0
	}
	cat > "$LAB_OUT/after-step" <<EOS
#!/bin/bash
. "$BATS_TEST_DIRNAME/lab/lab.sh"
. "$BATS_TEST_DIRNAME/lab/three-parties.sh"
$hook "\$@"
EOS
	chmod +x "$LAB_OUT/after-step"
	lab_exec env DEMO_OUT="$LAB_OUT/demo" DEMO_PORT=53 \
	    DEMO_NET=127.53.0 DEMO_DELEGATIONS=20 "$@" \
	    DEMO_STEP_HOOK="$LAB_OUT/after-step" \
	    bash "$TOP/scripts/demo.sh" "$BK_BIN" \
	    > "$LAB_OUT/demo.out" 2> "$LAB_OUT/demo.err" 3>&- || rc=$?
	echo "$rc" > "$LAB_OUT/demo.rc"
}
