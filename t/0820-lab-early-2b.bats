#!/usr/bin/env bats
# The draft's other shortcut, seen in the lab: B's name servers added in
# the same breath as B's keys (draft-zhang-dnsop-tld-transition-00 does
# 2a and 2b at once), even with the DNSKEY signatures exchanged.  Once
# the apex NS lists NS_B, a resolver may query B (RFC 2181 section 5.4.1
# ranks the child's NS above the referral's) while it still holds A's
# DNSKEY RRset of before step 2a, which lacks ZSK_B: every answer B signs
# is bogus to it.  That is why bero-migrate refuses step 2b until
# TTL_KEY has passed since 2a (PROCEDURE.md, RFC 7583 section 3.3.2).
#
# Here the DNSKEY TTL is 60 s so the old RRset surely stays cached; the
# driver runs steps 1 and 2a for real, refuses 2b, and is then given a
# clock moved past the wait (BERO_NOW), as a hurried operator would do.

load helper
load lab/setup

BERO=$TOP/scripts/bero-migrate

setup_file() {
	local p
	lab_setup_file 0820-early-2b
	if [ -z "$LAB_SKIP" ]; then
		for p in "$BERO" zresign zcheck-chain kdig; do
			command -v "$p" > /dev/null && continue
			LAB_SKIP="${p##*/} not built"
			lab_cleanup
			break
		done
	fi
	[ -z "$LAB_SKIP" ] || return 0
	STATE=$LAB_OUT/state
	export STATE
	lab_driver_conf 60
}

teardown_file() {
	lab_cleanup
	if [ -n "${LAB_OUT:-}" ] && [ -s "$LAB_OUT/probes.log" ]; then
		lab_summary | lab_note
	fi
}

setup() {
	lab_setup
}

bero() {
	lab_exec "$BERO" -d "$STATE" "$@"
}

@test "steps 0 to 2a for real; a resolver caches A's DNSKEY RRset of before 2a" {
	run bero init -C "$LAB_OUT/lab.conf" \
	    -f "$BATS_TEST_DIRNAME/lab/example.zone"
	assert_success
	reload_party root "$STATE/published/root/root.zone"
	reload_party a "$STATE/published/a/example.zone"
	lab_root "$STATE/published/root/root.zone"
	lab_resolver_start old-a a
	run probe old-a 0 A
	assert_success
	run grep -c '^0 old-a a example. DNSKEY NOERROR AD dnskey=2 ok$' \
	    "$LAB_DIR/probes.log"
	assert_output 1
	run bero step 1
	assert_success
	run bero step 2a
	assert_success
}

@test "the driver refuses step 2b before TTL_KEY has passed" {
	runs bero step 2b
	assert_equal "$status" 2
	assert_output ""
	[[ "$stderr" == *"T2a + Dprp_C + TTL_KEY"* ]] ||
	    fail "no rule named: $stderr"
}

@test "forced early, step 2b publishes; a resolver holding the old RRset fails at B" {
	due=$(bero when 2b | awk '{ t = $NF } END { print t }')
	BERO_NOW=$due run bero step 2b
	assert_success
	# A resolver that reaches B now (the apex NS lists NS_B) with A's
	# two-key RRset still cached: its cached answers go, its keys stay.
	lab_resolver_pin old-a b
	for q in "example. SOA" "example. NS" "example. A" \
	    "alpha.example. DS" "bravo.example. DS" "_operator.example. TXT"
	do
		lab_ctl old-a flush_type $q > /dev/null
	done
	run probe old-a 2b-early B
	assert_failure
	run awk '$1 == "2b-early" && $5 != "DNSKEY" && $6 != "SERVFAIL"' \
	    "$LAB_DIR/probes.log"
	assert_output ""
	# Unbound says why: B's signatures are by a key it does not hold.
	run grep -c 'signatures from unknown keys' \
	    "$LAB_DIR/unbound-old-a/unbound.log"
	[ "$output" -gt 0 ] || fail "no 'unknown keys' failure logged"
}

@test "the same stage through a fresh resolver pinned to B validates" {
	# B's zone itself is right (its DNSKEY RRset carries KSK_A's
	# signature): only the wait was missing.
	lab_resolver_start new-b b
	run probe new-b 2b-early B
	assert_success
}
