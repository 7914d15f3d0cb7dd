#!/usr/bin/env bats
# The lab (NSD, Unbound, loopback: t/lab/lab.sh) with the double-DS
# method and its back-out: scripts/bero-migrate runs steps 0 to 9 of
# METHOD=double-ds (ds3 and ds4 put DS_B at the test root before B is in
# any NS set; no KSK signature is exchanged), then backs out to A alone
# (b4 to b15), publishing to real servers and sleeping through every
# wait (10-second TTLs).  At every step, forward and back, every
# resolver in play must validate the probe set (lab.sh's probe):
#   keep-a  started at step 0, pinned to A (A serves throughout)
#   keep-b  started at step 2b, pinned to B until b13 (once the root
#           asks for DS_A alone, B's RRset, signed by KSK_B only, is
#           bogus to a fresh resolver; B stops at b15)
#   keep-u  started at step 0, following the root's delegation
#   new-u, new-a, new-b  started afresh at every step
# and the _operator TXT record names A or B where the NS sets leave no
# choice.

load helper
load lab/setup

setup_file() {
	lab_migration_setup_file 0840-double-ds-backout
}

teardown_file() {
	lab_migration_teardown_file
}

setup() {
	lab_setup
}

# lab_probe_all's hooks (t/lab/setup.bash).  Whether a resolver pinned
# to B validates at a step: from 2b (DS_B at the root long enough) to
# b12 (b13 asks for DS_A alone).
b_valid() {
	case $1 in
	0|1|2a|ds3|ds4|b13|b14|b15) return 1 ;;
	esac
}

# The operator an unpinned resolver must reach: A while only NS_A is in
# any NS set (to ds4) and once no NS set naming B may be held (b11 on;
# a fresh resolver from b10, when the root names A alone); B once the
# root names B alone and no NS set naming A may be held (a fresh
# resolver at 8, any at 9); either between.
u_op() {
	case $1:$2 in
	*:0|*:1|*:2a|*:ds3|*:ds4) echo A ;;
	new:8|*:9) echo B ;;
	new:b10|*:b11|*:b12|*:b13|*:b14|*:b15) echo A ;;
	*) echo any ;;
	esac
}

@test "step 0: init -M double-ds publishes the root and A" {
	run lab_step_0 -M double-ds
	assert_success
}

@test "double-DS steps 1 to 9: DS_B at the root before NS_B; every resolver validates at every step" {
	local s
	for s in 1 2a ds3 ds4 2b 3 4 5 6 7 8 9; do
		run run_step "$s"
		assert_success
		run lab_probe_all "$s"
		assert_success
	done
	# No KSK_A signature at B, ever.
	run grep -c 'DNSKEY RRset of .* is signed by a' "$LAB_OUT/steps/2a.out"
	assert_output 0
}

@test "back-out from step 9: NS_A back, then B out, DS_A alone, B stops; every resolver validates at every step" {
	local s
	for s in b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15; do
		run run_back "$s"
		assert_success
		run lab_probe_all "$s"
		assert_success
	done
	# B's servers no longer answer; the forward step 10 is refused.
	run lab_served_serial 127.53.0.21 example.
	assert_output ""
	runs bero step 10
	assert_equal "$status" 2
}

@test "every probe of every step, forward and back, was answered as a validating resolver must" {
	# 13 forward steps (0 to 9) and 12 back-out steps.
	lab_probes_ok 25
}
