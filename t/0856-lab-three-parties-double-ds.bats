#!/usr/bin/env bats
# The lab with three state directories and the double-DS method: make
# demo's script with DEMO_METHOD=double-ds (scripts/demo/double-ds.sh)
# run in the lab's network namespace on the lab's addresses and port 53,
# as t/0850 runs the exchange method: each party runs every step 1 to 13
# in its own directory with the commands a real party types (init -M
# double-ds), A signed by BIND's dnssec-signzone with KSK_A only, B with
# KSK_B only, the root serving DS_B beside DS_A (ds3, ds4) before B is
# in any NS set (2b).  After every step (DEMO_STEP_HOOK,
# three_after_step_dds), real validating resolvers (Unbound) that trust
# the test root's key answer the probe set:
#   keep-u   started after step 0, following the root's delegation, its
#            cache kept from step to step
#   new-u    a fresh one per step, following the root's delegation
#   new-a    a fresh one per step pinned to A's addresses, while a
#            resolver may reach A (to step 11)
#   new-b    a fresh one per step pinned to B's addresses, and keep-b
#            (its cache kept), once B's RRset validates from a DS set
#            the root serves: from ds4 (DS_A and DS_B at the root)
# The controls: after 2a and ds3 (B serves the four keys signed by
# KSK_B alone, the root DS_A alone), a fresh resolver pinned to B
# answers SERVFAIL.

load helper
load lab/setup

setup_file() {
	lab_demo_file 0856-three-parties-double-ds three_after_step_dds \
	    DEMO_METHOD=double-ds
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

# dnskey_signers ZONE: the key tags of the signatures over the apex
# DNSKEY RRset of ZONE, sorted, on one line.
dnskey_signers() {
	awk -F '\t' '$1 == "example." && $4 == "RRSIG" { split($5, f, " ")
	    if (f[1] == "DNSKEY") print f[7] }' "$1" | sort -n | paste -sd ' '
}

# key_tags DIR FLAGS: the key tags of the .key files of DIR whose
# DNSKEY flags are FLAGS (257 a KSK, 256 a ZSK).
key_tags() {
	grep -l "DNSKEY $2 " "$1"/*.key | sed 's/.*+0*\([0-9][0-9]*\)\.key$/\1/' |
	    sort -n | paste -sd ' '
}

@test "the demo's parties ran every double-DS step 1 to 13 in their own directories, on the lab's servers" {
	local d
	run cat "$LAB_OUT/demo.rc"
	assert_output 0 || { cat "$LAB_OUT/demo.out" "$LAB_OUT/demo.err"; false; }
	run cat "$LAB_OUT/demo.out"
	assert_line '== the migration is complete (double-DS)'
	assert_line --regexp '^== [0-9]+ commands by the parties in [0-9]+ s; the servers are stopped$'
	grep -qx 'A_SIGNER=external' "$LAB_OUT/demo/a/config"
	# Every step in every directory; step 13 is A's alone.
	for d in a b registry; do
		grep -qx 'METHOD=double-ds' "$LAB_OUT/demo/$d/config"
		assert_equal "$(awk '{ print $1 }' "$LAB_OUT/demo/$d/log" | tr '\n' ' ')" \
		    "0 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 $([ $d = a ] && echo '13 ')"
	done
}

@test "no KSK signature crossed: A's zones are signed by A's keys only, B's by KSK_B only" {
	local f d ka kb ksk_b
	d=$LAB_OUT/demo
	ka=$(key_tags "$d/a-signer/keys" '25[67]')
	kb=$(key_tags "$d/b/keys/b" '25[67]')
	ksk_b=$(key_tags "$d/b/keys/b" 257)
	[ -n "$ka" ] && [ -n "$ksk_b" ]
	for f in "$d"/a/history/a-*.zone; do
		assert_equal "$(dnskey_signers "$f")" "$ka"
	done
	for f in "$d"/b/history/b-*.zone; do
		assert_equal "$(dnskey_signers "$f")" "$ksk_b"
	done
	[ "$(ls "$d"/a/history/a-*.zone | wc -l)" -ge 4 ]
	[ "$(ls "$d"/b/history/b-*.zone | wc -l)" -ge 4 ]
}

@test "after every double-DS step, every resolver validated what it was asked" {
	local s steps
	steps=$(awk '{ print $1 }' "$LAB_DIR/probes.log" | uniq | tr '\n' ' ')
	assert_equal "$steps" "0 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 13 "
	run awk '$9 != "ok"' "$LAB_DIR/probes.log"
	assert_output ""
	# Pinned to B from ds4 (fresh and kept), never before; pinned to A
	# to step 11, never after; the unpinned at every step.
	run awk '$3 == "b" { print $1 }' "$LAB_DIR/probes.log"
	assert_equal "$(printf '%s\n' "$output" | uniq | tr '\n' ' ')" "ds4 2b 3 4 5 6 7 8 9 10 11 12 13 "
	grep -q '^ds4 keep-b b ' "$LAB_DIR/probes.log"
	grep -q '^13 keep-b b ' "$LAB_DIR/probes.log"
	grep -q '^ds4 new-b-ds4 b ' "$LAB_DIR/probes.log"
	run awk '$3 == "a" { print $1 }' "$LAB_DIR/probes.log"
	assert_equal "$(printf '%s\n' "$output" | uniq | tr '\n' ' ')" "0 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 "
	for s in 0 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 13; do
		grep -q "^$s keep-u u " "$LAB_DIR/probes.log"
		grep -q "^$s new-u-$s u " "$LAB_DIR/probes.log"
	done
	# Validated: AD on the apex SOA, NS, DNSKEY at every step.
	run awk '$5 ~ /^(SOA|NS|DNSKEY)$/ && $7 != "AD"' "$LAB_DIR/probes.log"
	assert_output ""
}

@test "the probes are not blind: a resolver pinned to B before the root serves DS_B answers SERVFAIL (B's RRset is signed by KSK_B alone)" {
	# Every probe of both controls, none validated.
	run awk '$2 ~ /^control-b-/ && ($6 != "SERVFAIL" || $7 != "-")' "$LAB_DIR/probes.log.control"
	assert_output ""
	assert_equal "$(awk '$2 ~ /^control-b-/' "$LAB_DIR/probes.log.control" | wc -l)" 12
	# Why: no signature by a key a DS names (RFC 8914 EDE 10, RRSIGs
	# Missing: the root's DS_A names KSK_A, which signs nothing at B).
	run awk '$2 ~ /^control-b-/ && $5 ~ /^(SOA|DNSKEY)$/ { print $1, $5, $6, $8, $9 }' "$LAB_DIR/probes.log.control"
	assert_output "2a SOA SERVFAIL ede=10 FAIL
2a DNSKEY SERVFAIL ede=10 FAIL
ds3 SOA SERVFAIL ede=10 FAIL
ds3 DNSKEY SERVFAIL ede=10 FAIL"
}
