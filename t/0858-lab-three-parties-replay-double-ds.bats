#!/usr/bin/env bats
# Bounded trust in the other operator's keys with the double-DS method
# (issue 13), at a real validating resolver (Unbound): t/0857's replay
# after make demo's script with DEMO_METHOD=double-ds (as t/0856 runs
# it).  From step 2a to 10 B's DNSKEY RRset holds A's keys, KSK_A and
# ZSK_A, signed by KSK_B alone (short-lived: KEY_SIG_VALIDITY); no
# exchanged signature, but the same exposure.  A former operator needs
# no copy of B's zone for it: it may ask B's servers, as anyone may.  So
# the hook (t/lab/three-parties.sh, replay_after_step with
# REPLAY_SOURCE=served) keeps, after step 9, the four-key DNSKEY RRset
# and its signatures as B's server serves them, and after step 10 A's
# directory (its own zone) and its signer's private keys.  A forges
# forged.TLD signed by ZSK_A, under that RRset in place of its own, and
# serves it on its own addresses; the test root serves what the parent
# published at step 12 (DS_B alone), B its own zone.  Unbound pinned to
# A validates the forgery an hour after step 12 (the window is real)
# and answers SERVFAIL at step 10 + KEY_SIG_VALIDITY + 1 day + 1 s
# (val-sig-skew-max); a resolver pinned to B validates B's zone then.

load helper
load lab/setup
. "$BATS_TEST_DIRNAME/lab/three-parties.sh"

export REPLAY_SOURCE=served

setup_file() {
	replay_setup_file 0858-three-parties-replay-dds replay_after_step \
	    DEMO_METHOD=double-ds REPLAY_SOURCE=served
}

teardown_file() {
	replay_teardown_file
}

setup() {
	lab_setup
}

@test "double-DS: before step 10 B served the four-key DNSKEY RRset with KSK_B's signature, bounded by step 10 + KEY_SIG_VALIDITY; the root serves DS_B alone from step 12" {
	replay_check_held
}

@test "double-DS: within KEY_SIG_VALIDITY after step 10 the replay validates from DS_B at a resolver pinned to A (the window is real)" {
	replay_check_window
}

@test "double-DS: at step 10 + KEY_SIG_VALIDITY + Unbound's largest clock skew (1 day) + 1 s the replay is bogus at Unbound: SERVFAIL" {
	replay_check_bogus
}

@test "double-DS: at that date B's own zone validates at a resolver pinned to B (the bogus answer is the forgery's)" {
	replay_check_b
}
