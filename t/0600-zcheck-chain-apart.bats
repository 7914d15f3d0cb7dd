#!/usr/bin/env bats
# zcheck-chain -A: operators that publish their own keys only (before
# step 2a and after step 10 of the procedure) are not combined in the
# view matrix and their DNSKEY RRsets are not compared, but they still
# agree on algorithms (G3), unsigned data (G4), serial (G5), NSEC3
# parameters (G6) and apex NS (G9): the comparisons bero-migrate's
# steps 1 and sync leave to zcheck-chain.

load helper
load zcheck-chain

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	zc_keys
	local b=$ZC/base.zone
	# A and B, each with its own keys only, the same data.
	zc_sign a.zone "$b" "$KA $ZA" "$KA $ZA" -3 - -A
	zc_sign b.zone "$b" "$KB $ZB" "$KB $ZB" -3 - -A
	# B with another record, with NSEC, with RSA, one serial ahead.
	{ cat "$b"; printf 'extra\tIN TXT\t"B"\n'; } > data.in
	zc_sign b-data.zone data.in "$KB $ZB" "$KB $ZB" -3 - -A
	zc_sign b-nsec.zone "$b" "$KB $ZB" "$KB $ZB"
	ZC_X= zc_sign b-rsa.zone "$b" "$K8" "$K8" -3 - -A -P
	{ cat "$b"; printf '@\tIN NS\tns1.nic-b.example.\n'
	  printf 'ns1.nic-b\tIN A\t203.0.113.1\n'; } > ns.in
	zc_sign b-ns.zone ns.in "$KB $ZB" "$KB $ZB" -3 - -A
	sed 's/2026112801/2026112802/' "$b" > serial.in
	zc_sign b-serial.zone serial.in "$KB $ZB" "$KB $ZB" -3 - -A
	# Two NSEC3PARAM records at B: its own, and a second one.
	awk -F '\t' -v OFS='\t' '{ print }
	    $4 == "NSEC3PARAM" { $5 = "1 0 1 ab"; print }' b.zone > b-two.zone
}

setup() {
	cd "$BATS_FILE_TMPDIR" || return 1
}

zc() {
	runs zcheck-chain -t "$ZC_NOW" "$@"
}

@test "zcheck-chain -A: own keys at each operator, the same data: valid" {
	zc -A a.zone b.zone
	assert_equal "$stderr" ""
	assert_equal "$output" ""
	assert_equal "$status" 0
	# Without -s they are one operator's keys against the other's data.
	zc a.zone b.zone
	assert_equal "$status" 1
	assert_output --partial "the DNSKEY RRsets differ"
	assert_output --partial "does not validate with the DNSKEY RRset of a.zone"
}

@test "zcheck-chain -A: G3, G4, G5, G6 and G9 still hold" {
	zc -A a.zone b-data.zone
	assert_equal "$status" 1
	assert_output --partial "TXT: '\"B\"' is not in a.zone (G4)"
	zc -A a.zone b-rsa.zone
	assert_equal "$status" 1
	assert_output --partial "algorithms 8, but a.zone's are 13 (G3, RFC 8901 section 4)"
	zc -A a.zone b-nsec.zone
	assert_equal "$status" 1
	assert_output --partial "denial NSEC, but a.zone's is NSEC3 1 0 0 - (G6, RFC 8901 section 5.2)"
	zc -A a.zone b-serial.zone
	assert_equal "$status" 1
	assert_output --partial "serial 2026112802, but a.zone's is 2026112801 (G5)"
	zc -A a.zone b-ns.zone
	assert_equal "$status" 1
	assert_output --partial "but a.zone's is ns1.nic-a.example. ns2.nic-a.example. (G9)"
	zc -A a.zone b-two.zone
	assert_equal "$status" 1
	assert_output --partial "a second NSEC3PARAM record (G6"
	refute_output --partial "DNSKEY RRsets differ"
}

@test "zcheck-chain -A: a DS set still names each zone's keys" {
	zc_ds "$KA" > ds-a.ds
	zc -A -D ds-a.ds a.zone b.zone
	assert_equal "$status" 1
	assert_output --partial "b.zone"
	assert_output --partial "does not validate from this DS set"
	refute_output --partial "a.zone: example. DNSKEY: does not validate"
}
