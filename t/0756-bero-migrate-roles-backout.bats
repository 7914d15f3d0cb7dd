#!/usr/bin/env bats
# The back-out (bero-migration(7), BACK-OUT) in three state directories
# (A, B, the registry), each party typing its own commands (backout,
# export, import), the parent outside: a test root served by NSD on
# loopback, whose delegation the test changes as IANA would (from the
# registry's request files), and which every party observes.  A signs
# with berokit and its own keys; each operator's publications are served
# by an NSD of its own and observed there.  From step 5 and from step 9
# of the exchange method, and from step ds4 of double-DS (DS_B at the
# root, B in no NS set): every back-out step done or observed in every
# directory, until A serves the zone alone, its DNSKEY RRset without
# B's keys, the root's DS set DS_A alone, and B no longer answering.
# Refusals: the registry's request before B's part is imported and
# served, a wait not over, B's part before A's; nothing published.

load helper
load bero-migrate
load bero-roles
load bero-backout
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	roles_file_setup 2592000 || return 1
	cp root.zone root.zone.0
}

teardown_file() {
	zcs_stop
}

setup() {
	roles_backout_setup
}





# backout_apex STEP: A's part of back-out step STEP, then B's, each
# exported; A and the registry take B's; the registry observes it.
backout_apex() {
	local s=$1 d
	ok_at $T a backout
	assert_output --partial "back-out step $s (operator A's part)"
	assert_output --partial "logged: back-out step $s at"
	bero-migrate -d a export $s -o a-$s > /dev/null
	# B's part needs A's zone of the step.
	runs at $T bero-migrate -d b backout
	assert_trouble bero-migrate "step $s: A's zone of its step $s: none: import A's bundle a-$s first"
	at $T bero-migrate -d b import a-$s > /dev/null
	ok_at $T b backout
	assert_output --partial "ok: the DNSKEY RRset of b/step-$s.zone is signed by"
	bero-migrate -d b export $s -o b-$s > /dev/null
	at $T bero-migrate -d a import b-$s > /dev/null
	runs at $T bero-migrate -d r backout
	assert_trouble bero-migrate "backout step $s: its zone: none here: import the bundle b-$s first"
	at $T bero-migrate -d r import b-$s > /dev/null
	ok_at $T r backout
	assert_output --partial "logged: back-out step $s at"
}

@test "back-out from step 5 of the exchange method in three directories: b8 to b15, each party its part, every step observed" {
	roles_forward 5 exchange
	# plan -B in B's directory: what B types at each back-out step.
	BERO_NOW=$T runs bero-migrate -d b plan -B 5
	assert_success
	assert_output --partial "b8   import a-b8, bero-migrate -d b backout: its part; export b8 (for A and the registry)"
	assert_output --partial "b12  logged with the next step observed here"
	assert_output --partial "b15  bero-migrate -d b backout: its part"
	backout_apex b8
	backout_parent b10 b9
	assert_equal "$(awk -F '\t' '$4 == "NS" { print $5 }' r/r/step-b9.request | sort | tr '\n' ' ')" "ns1.nic-a.example. ns2.nic-a.example. "
	backout_wait b11
	backout_end
	assert_equal "$(awk '{ print $1 }' a/backout-log | tr '\n' ' ')" "b8 b9 b10 b11 b12 b13 b14 "
	assert_equal "$(awk '{ print $1 }' b/backout-log | tr '\n' ' ')" "b8 b9 b10 b11 b12 b13 b14 b15 "
	assert_equal "$(awk '{ print $1 }' r/backout-log | tr '\n' ' ')" "b8 b9 b10 b11 b12 b13 b14 "
	# A forward step after the back-out began: refused.
	runs at $T bero-migrate -d a step 6
	assert_trouble bero-migrate "step 6: refused: the migration is being backed out from step 5"
}

@test "back-out from step 9 of the exchange method in three directories: b4 to b15, NS_A back at the apex and the root first" {
	roles_forward 9 exchange
	backout_apex b4
	assert_equal "$(awk -F '\t' '$1 == "example." && $4 == "NS" { print $5 }' b/published/b/example.zone | sort | tr '\n' ' ')" "ns1.nic-a.example. ns1.nic-b.example. ns2.nic-a.example. ns2.nic-b.example. "
	backout_parent b6 b5
	backout_wait b7
	backout_apex b8
	backout_parent b10 b9
	backout_wait b11
	backout_end
	assert_equal "$(awk '{ print $1 }' b/backout-log | tr '\n' ' ')" "b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15 "
}

@test "back-out from step ds4 of double-DS in three directories: b12 to b15, DS_B leaves the root, B never in an NS set" {
	roles_forward ds4 double-ds
	# B has no part before b15: its back-out logs A's b12 and the
	# registry's b13 with the parent's b14.
	runs at $T bero-migrate -d b backout
	assert_failure 1
	assert_output --partial "back-out step b14: not observed"
	backout_end
	assert_equal "$(awk '{ print $1 }' b/backout-log | tr '\n' ' ')" "b12 b13 b14 b15 "
	assert_equal "$(awk '{ print $1 }' r/backout-log | tr '\n' ' ')" "b12 b13 b14 "
}
