#!/usr/bin/env bats
# Bounded trust in the other operator's keys with three state
# directories, at a real validating resolver (Unbound): make demo's
# script (as t/0850 runs it: the lab's network, addresses and port 53,
# each party in its own directory, A signed by BIND's dnssec-signzone)
# to the end; after step 10 its hook (t/lab/three-parties.sh,
# replay_after_step) keeps what the former operator holds then: A's
# state directory, where B's zone of step 6 carries the four-key DNSKEY
# RRset with KSK_B's signature (short-lived: KEY_SIG_VALIDITY), and the
# private keys of A's own signer.  With them A forges forged.TLD, signed
# by ZSK_A under that RRset (t/0830 makes the same forgery in the
# rehearsal), and serves it on its own addresses; the test root serves
# what the parent published at step 12 (DS_B alone), B its own zone.
# Unbound, pinned to A's addresses and validating at a date of the
# test's (val-override-date), takes the forgery an hour after step 12,
# still within KEY_SIG_VALIDITY of step 10 (the window is real), and
# answers SERVFAIL at step 10 + KEY_SIG_VALIDITY + 1 day + 1 s, the day
# being the largest clock skew Unbound allows (val-sig-skew-max), while
# a resolver pinned to B validates B's zone at that date.  The times are
# the parties' logs' (observed), KEY_SIG_VALIDITY B's config's.  The
# code is t/lab/three-parties.sh's (replay_*), shared with t/0858, which
# does the same with the double-DS method.

load helper
load lab/setup
. "$BATS_TEST_DIRNAME/lab/three-parties.sh"

setup_file() {
	replay_setup_file 0857-three-parties-replay replay_after_step
}

teardown_file() {
	replay_teardown_file
}

setup() {
	lab_setup
}

@test "after step 10 A's directory held the four-key DNSKEY RRset with KSK_B's signature, bounded by KEY_SIG_VALIDITY; the root serves DS_B alone from step 12" {
	replay_check_held
}

@test "within KEY_SIG_VALIDITY after step 10 the replay validates from DS_B at a resolver pinned to A (the window is real)" {
	replay_check_window
}

@test "at step 10 + KEY_SIG_VALIDITY + Unbound's largest clock skew (1 day) + 1 s the replay is bogus at Unbound: SERVFAIL" {
	replay_check_bogus
}

@test "at that date B's own zone validates at a resolver pinned to B (the bogus answer is the forgery's)" {
	replay_check_b
}
