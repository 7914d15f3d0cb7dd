#!/usr/bin/env bats
# The lab with three state directories: make demo's script
# (scripts/demo.sh) run in the lab's network namespace on the lab's
# addresses and port 53 (the test root on 127.53.0.1, A on .11 and .12,
# B on .21 and .22), each party running its steps in its own directory
# with the commands a real party types, A signed by BIND's
# dnssec-signzone, the parent signed and delegating as the registry's
# requests say.  After every step the demo ran (DEMO_STEP_HOOK), real
# validating resolvers (Unbound, t/lab/lab.sh) that trust the test
# root's key answer a probe set:
#   keep-u   started after step 0, following the root's delegation, its
#            cache kept from step to step
#   new-u    a fresh one per step, following the root's delegation
#   new-a    a fresh one per step pinned to A's addresses, while a
#            resolver may reach A (to step 11: from step 12 the root
#            holds DS_B alone, and the waits keep every resolver away
#            from A)
#   new-b    a fresh one per step pinned to B's addresses, from step 2a
#            (when B's DNSKEY RRset carries KSK_A's signature)
# Each must answer as a validating resolver should: the apex SOA, NS
# and DNSKEY, an apex no-data answer and an address record validated
# (AD), and a name that does not exist never SERVFAIL (opt-out: RFC
# 5155 section 9.2).  The demo goes as far as the driver lets the
# parties run their parts in their own directories: every step it ran
# is probed.

load helper
load lab/setup

setup_file() {
	lab_demo_file 0850-three-parties three_after_step
}

teardown_file() {
	[ -n "${LAB_SKIP:-}" ] && return 0
	lab_cleanup
	[ -s "$LAB_DIR/probes.log" ] && lab_summary | lab_note
	return 0
}

setup() {
	lab_setup
}

@test "the demo's parties ran their steps in their own directories, on the lab's servers" {
	run cat "$LAB_OUT/demo.rc"
	assert_output 0 || { cat "$LAB_OUT/demo.out" "$LAB_OUT/demo.err"; false; }
	run cat "$LAB_OUT/demo.out"
	assert_line --regexp '^== [0-9]+ commands by the parties in [0-9]+ s; the servers are stopped$'
	grep -q '^2b ' "$LAB_OUT/demo/b/log"
	grep -qx 'A_SIGNER=external' "$LAB_OUT/demo/a/config"
}

@test "after every step the demo ran, every resolver validated what it was asked" {
	local s steps
	steps=$(awk '{ print $1 }' "$LAB_DIR/probes.log" | uniq | tr '\n' ' ')
	# Step 0 and at least 1, 2a and 2b were probed, in order.
	[[ "$steps" == "0 1 2a 2b "* ]] || fail "steps probed: $steps"
	# Every step the demo ran was probed (its last one too).
	for s in $(awk '{ print $1 }' "$LAB_OUT/demo/a/log" "$LAB_OUT/demo/b/log" | sort -u); do
		[[ " $steps " == *" $s "* ]] || fail "step $s ran and was not probed"
	done
	run awk '$9 != "ok"' "$LAB_DIR/probes.log"
	assert_output ""
	# Resolvers pinned to B from 2a, to A before 12, and the unpinned.
	grep -q '^2a new-b-2a b ' "$LAB_DIR/probes.log"
	grep -q '^2b new-a-2b a ' "$LAB_DIR/probes.log"
	grep -q '^2b keep-u u ' "$LAB_DIR/probes.log"
	# Validated: AD on the apex SOA, NS, DNSKEY at every step.
	run awk '$5 ~ /^(SOA|NS|DNSKEY)$/ && $7 != "AD"' "$LAB_DIR/probes.log"
	assert_output ""
}

@test "the probes are not blind: a resolver pinned to B before step 2a answers SERVFAIL (B's keys are in no DS the root holds, and its RRset lacks KSK_A's signature)" {
	run awk '$1 == 1 && $2 == "control-b" && $5 ~ /^(SOA|DNSKEY)$/ { print $5, $6, $7, $9 }' "$LAB_DIR/probes.log.control"
	assert_output "SOA SERVFAIL - FAIL
DNSKEY SERVFAIL - FAIL"
}
