#!/usr/bin/env bats
# The lab (NSD, Unbound, loopback: t/lab/lab.sh) with the exchange
# method and its back-out from step 5 (issue 13): scripts/bero-migrate
# runs steps 0 to 5 (the root names NS_A + NS_B and DS_A + DS_B), then
# backs out to A alone (b8 to b15), publishing to real servers and
# sleeping through every wait (10-second TTLs).  At every step, forward
# and back, every resolver in play must validate the probe set (lab.sh's
# probe):
#   keep-a  started at step 0, pinned to A (A serves throughout)
#   keep-b  started at step 2a, pinned to B until B stops (b15): B's
#           DNSKEY RRset carries KSK_A's signature throughout
#   keep-u  started at step 0, following the root's delegation
#   new-u, new-a, new-b  started afresh at every step
# and the _operator TXT record names A or B where the NS sets leave no
# choice.  The parent's steps of the back-out (b10, b14) are logged when
# every parent address serves them: a root that has not published b10
# yet leaves it unlogged, and the next back-out step refused.

load helper
load lab/setup

setup_file() {
	lab_migration_setup_file 0845-backout-exchange
}

teardown_file() {
	lab_migration_teardown_file
}

setup() {
	lab_setup
}

# lab_probe_all's hooks (t/lab/setup.bash).  Whether a resolver pinned
# to B validates at a step: from 2a (KSK_A's signature over B's DNSKEY
# RRset) until B stops (b15).
b_valid() {
	case $1 in
	0|1|b15) return 1 ;;
	esac
}

# The operator an unpinned resolver must reach: A while only NS_A is in
# any NS set (to 2a) and once no NS set naming B may be held (b11 on; a
# fresh resolver from b10, when the root names A alone); either between.
u_op() {
	case $1:$2 in
	*:0|*:1|*:2a) echo A ;;
	new:b10|*:b11|*:b12|*:b13|*:b14|*:b15) echo A ;;
	*) echo any ;;
	esac
}

@test "step 0: init publishes the root and A" {
	run lab_step_0
	assert_success
}

@test "exchange steps 1 to 5: the root names A and B; every resolver validates at every step" {
	local s
	for s in 1 2a 2b 3 4 5; do
		run run_step "$s"
		assert_success
		run lab_probe_all "$s"
		assert_success
	done
}

@test "back-out from step 5: NS_B out of the apex, then of the root (observed), B's keys out, DS_A alone (observed), B stops; every resolver validates at every step" {
	local s t0 t
	run bero plan -B 5
	assert_success
	assert_output --partial "back-out from step 5 (exchange): the way back to A alone"
	for s in b8 b9; do
		run run_back "$s"
		assert_success
		run lab_probe_all "$s"
		assert_success
	done
	# b10: the root's publication is not served yet (no reload): not
	# logged, and the next step is refused.
	t=$(bero when b10)
	sleep_until "$t" "back-out step b10"
	BERO_PUBLISH_HOOK=true runs bero backout
	assert_equal "$status" 1
	assert_output --partial "back-out step b10: not observed: some parent address does not serve r/step-b9.request"
	assert_output --partial "nothing logged"
	run grep -c '^b10 ' "$STATE/backout-log"
	assert_output 0
	runs bero when b11
	assert_equal "$status" 2
	[[ "$stderr" == *"goes on with b10"* ]] || fail "$stderr"
	# The parent publishes (late): the next run observes it and logs
	# the time it was first served, not when someone says so.
	t0=$(date +%s)
	reload_party root "$STATE/published/root/root.zone"
	run run_back b10
	assert_success
	assert_output ""
	grep -q "observed: every parent address serves r/step-b9.request" "$LAB_OUT/steps/b10.out"
	t=$(awk '$1 == "b10" { print $2 }' "$STATE/backout-log")
	[ "$t" -ge "$t0" ] || fail "b10 logged at $t, before the root served it ($t0)"
	run lab_probe_all b10
	assert_success
	for s in b11 b12 b13 b14 b15; do
		run run_back "$s"
		assert_success
		run lab_probe_all "$s"
		assert_success
	done
	grep -q "observed: every parent address serves r/step-b13.request" "$LAB_OUT/steps/b14.out"
	# B's servers no longer answer; forward step 6 is refused.
	run lab_served_serial 127.53.0.21 example.
	assert_output ""
	runs bero step 6
	assert_equal "$status" 2
}

@test "every probe of every step, forward and back, was answered as a validating resolver must" {
	# 7 forward steps (0 to 5) and 8 back-out steps.
	lab_probes_ok 15
}
