#!/usr/bin/env bats
# Bounded trust in the other operator's keys, at a real validating
# resolver (Unbound): after step 10, A serves a replay of the four-key
# DNSKEY RRset with KSK_B's signature and a record of its own signed by
# ZSK_A (t/0762 makes the same forgery).  The root publishes DS_B alone
# (step 12).  Unbound validates an hour after step 12, still within
# KEY_SIG_VALIDITY after step 10 (the forgery validates: the window is
# real), and once KSK_B's signature has expired
# by more than the clock skew Unbound allows (10% of the signature's
# lifetime, between val-sig-skew-min and -max, 1 hour and 1 day by
# default: at step 10 + KEY_SIG_VALIDITY + 9.7 hours it still validates)
# at step 10 + KEY_SIG_VALIDITY + 1 day + 1 s (bogus: SERVFAIL); its
# validation date set with val-override-date, so that the test does not
# depend on the day it runs.

load helper
load bero-migrate
load lab/setup

setup_file() {
	local -a ks=()
	local k
	lab_setup_file 0830-replay
	[ -z "$LAB_SKIP" ] || return 0
	cd "$LAB_OUT" || return 1
	bm_init st
	bm_run st 10
	# What A holds at step 10: its zone, the four-key DNSKEY RRset with
	# KSK_B's signature.  A's later refreshes drop that signature once
	# B no longer renews it (bounded trust), so the replay takes it now.
	cp st/published/a/example.zone a-10.zone
	bm_run st 12
	T10=$(bm_time st 10)
	T12=$(bm_time st 12)
	export T10 T12
	for k in st/keys/a/K*.key; do
		ks+=(-k "${k%.key}")
	done
	{
		cat a-10.zone
		printf 'forged.example.\t3600\tIN\tA\t192.0.2.66\n'
	} | zresign -A -t "$T10" "${ks[@]}" -P a-10.zone -o forged.zone
	lab_nsd_start root st/published/root/root.zone
	lab_nsd_start b forged.zone
	lab_root st/published/root/root.zone
}

teardown_file() {
	lab_cleanup
}

setup() {
	lab_setup
}

# ask NAME DATE: a new resolver pinned to B's addresses, validating at
# DATE, asked forged.example. A; its answer in $output.
ask() {
	LAB_VAL_DATE=$2 lab_resolver_start "$1" b
	run lab_exec dig +time=3 +tries=1 @"$(cat "$LAB_DIR/unbound-$1/addr")" \
	    forged.example. A
}

utc() {
	TZ=UTC date -d "@$1" +%Y%m%d%H%M%S
}

@test "within KEY_SIG_VALIDITY after step 10 the replay validates from DS_B (the window is real)" {
	# Step 12 waited for the last moment A could be reached +
	# SERVE_STALE: the root's DS RRset of DS_B alone is signed then,
	# still within KEY_SIG_VALIDITY (4 days) of step 10.
	[ $((T12 + 3600)) -lt $((T10 + 345600)) ]
	ask early "$(utc $((T12 + 3600)))"
	assert_output --partial 'status: NOERROR'
	assert_output --regexp 'flags: [a-z ]* ad'
	assert_output --partial '192.0.2.66'
}

@test "after step 10 + KEY_SIG_VALIDITY + Unbound's largest clock skew (1 day) the replay is bogus at Unbound: SERVFAIL" {
	ask late "$(utc $((T10 + 345600 + 86400 + 1)))"
	assert_output --partial 'status: SERVFAIL'
	refute_output --partial '192.0.2.66'
}
