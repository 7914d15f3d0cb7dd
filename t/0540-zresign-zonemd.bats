#!/usr/bin/env bats
# ZONEMD (RFC 8976) in zresign's output: with -M, or when the input has
# one, the output carries a ZONEMD of the SIMPLE scheme whose digest is
# computed after signing (section 3): the placeholder first, so that the
# NSEC or NSEC3 type bit map at the apex names ZONEMD, the digest over
# the signed zone less the ZONEMD RRset and its RRSIGs, then the ZONEMD
# RRset signed.  ldns-verify-zone -Z checks the digest, kzonecheck the
# signatures, and so does zcheck-chain (t/0640).  Fixed times throughout
# (-t for every tool), so that the tests hold on any day.

load helper

K=$DATA/zresign/keys
FULL=$DATA/zresign/full.zone
URI=$REAL/uri.arpa-2018100702
P256="-k $K/Kexample.+013+01539 -k $K/Kexample.+013+40339"
T="-t 20261201000000 -i 20261201000000 -e 20270101000000"
CHECK_AT=20261202000000

# ldns-verify-zone with the digest required (-ZZ: and the zone validly
# signed), kzonecheck and zcheck-chain, all at CHECK_AT.
zonemd_ok() {
	local z=$1 origin=${2:-example.} at=${3:-$CHECK_AT}
	run ldns-verify-zone -ZZ -t "$at" "$z"
	assert_success
	run kzonecheck -o "$origin" -d on \
		-t "$(date -u -d "${at:0:8} ${at:8:2}:${at:10:2}" +%s)" "$z"
	assert_success
	run zcheck-chain -t "$at" "$z"
	assert_success
}

# The ZONEMD records of a zone in zresign's form: "serial scheme hash".
zonemd_of() {
	awk -F'\t' '$4 == "ZONEMD" { split($5, f, " ");
		print $1, f[1], f[2], f[3], length(f[4]) }' "$1"
}

@test "zresign -M: a ZONEMD, SHA-384, in the bit map, its digest right, its RRset signed; NSEC, NSEC3, opt-out" {
	local o out
	for o in "" -3 -A; do
		out=$BATS_TEST_TMPDIR/m$o.zone
		runs zresign -M $o $T $P256 -o "$out" "$FULL"
		assert_success
		assert_equal "$stderr" ""
		run zonemd_of "$out"
		assert_output "example. 2026112801 1 1 96"
		grep -q $'^example\.\t.*\tRRSIG\tZONEMD 13 1 ' "$out"
		if [ -z "$o" ]; then
			grep -q $'^example\.\t.*\tNSEC\t.* DNSKEY ZONEMD$' "$out"
		else
			grep -q $'\tNSEC3\t.* NSEC3PARAM ZONEMD$' "$out"
		fi
		zonemd_ok "$out"
	done
}

@test "zresign -M: from standard input, the same zone; without -M and without a ZONEMD in the input, none" {
	local out=$BATS_TEST_TMPDIR/m.zone
	runs zresign -M $T $P256 -o "$out" "$FULL"
	assert_success
	runs zresign -M $T $P256 < "$FULL"
	assert_success
	assert_equal "$output" "$(cat "$out")"
	runs zresign $T $P256 "$FULL"
	assert_success
	refute_output --partial ZONEMD
}

@test "zresign: a zone that has a ZONEMD gets a fresh one: uri.arpa (RFC 8976 appendix A.4) signed again" {
	local out=$BATS_TEST_TMPDIR/uri.zone
	# The old ZONEMD is of the zone as it was: it goes, its digest is
	# computed anew, with the TTL it had.
	runs zresign -W -k "$K/Kuri.arpa.+008+08222" -k "$K/Kuri.arpa.+008+40848" \
		-s increment -t 20181010000000 -o "$out" "$URI/uri.arpa.zone"
	assert_success
	assert_equal "$stderr" ""
	run zonemd_of "$out"
	assert_output "uri.arpa. 2018100703 1 1 96"
	refute grep -q 0dbc3c4dbfd75777c12ca19c337854b1577799901307c482e9d91d5d15cd934 "$out"
	zonemd_ok "$out" uri.arpa. 20181011000000
}

@test "zresign: SHA-512 ZONEMD of the input kept as SHA-512; -M adds SHA-384 beside it" {
	local in=$BATS_TEST_TMPDIR/in.zone out=$BATS_TEST_TMPDIR/out.zone
	{ cat "$FULL"; printf '@ 600 ZONEMD 2026112801 1 2 %0128d\n' 0; } > "$in"
	runs zresign $T $P256 -o "$out" "$in"
	assert_success
	run zonemd_of "$out"
	assert_output "example. 2026112801 1 2 128"
	awk -F'\t' '$4 == "ZONEMD" && $2 != 600 { exit 1 }' "$out"
	zonemd_ok "$out"
	runs zresign -M $T $P256 -o "$out" "$in"
	assert_success
	run zonemd_of "$out"
	assert_output "example. 2026112801 1 1 96
example. 2026112801 1 2 128"
	zonemd_ok "$out"
}

@test "zresign: a ZONEMD of a scheme or hash algorithm not known here is dropped with a warning" {
	local in=$BATS_TEST_TMPDIR/in.zone out=$BATS_TEST_TMPDIR/out.zone
	{ cat "$FULL"; printf '@ ZONEMD 2026112801 240 1 %096d\n' 0
	  printf '@ ZONEMD 2026112801 1 7 %096d\n' 0; } > "$in"
	runs zresign $T $P256 -o "$out" "$in"
	assert_success
	assert_equal "$stderr" "zresign: warning: $in:38: ZONEMD of scheme 240 and hash algorithm 1 dropped: not known here, it cannot be computed again (RFC 8976 section 4)
zresign: warning: $in:39: ZONEMD of scheme 1 and hash algorithm 7 dropped: not known here, it cannot be computed again (RFC 8976 section 4)"
	refute grep -q ZONEMD "$out"
	runs zresign -q $T $P256 -o "$out" "$in"
	assert_success
	assert_equal "$stderr" ""
}

@test "zresign: signing its own output again, with -P and -s increment, gives a fresh ZONEMD each time" {
	local a=$BATS_TEST_TMPDIR/a.zone b=$BATS_TEST_TMPDIR/b.zone
	runs zresign -M $T $P256 -o "$a" "$FULL"
	assert_success
	runs zresign -v -s increment $T $P256 -P "$a" -o "$b" "$a"
	assert_success
	[[ "$stderr" == *"ZONEMD: the digest computed after signing, its RRset signed again (RFC 8976 section 3.2)"* ]] ||
		fail "$stderr"
	run zonemd_of "$b"
	assert_output "example. 2026112802 1 1 96"
	zonemd_ok "$b"
	# The same serial: the same zone, the same digest (P-256
	# signatures are deterministic here, crypto.h).
	runs zresign $T $P256 -P "$a" -o "$b" "$a"
	assert_success
	cmp "$a" "$b"
}

@test "zresign -M: Ed25519, RSA/SHA-256 and Ed448 keys; a broken digest in the output is caught by ldns-verify-zone" {
	local out=$BATS_TEST_TMPDIR/m.zone keys
	for keys in "-k $K/Kexample.+015+37913 -k $K/Kexample.+015+10418" \
	    "-W -k $K/Kexample.+008+07997 -k $K/Kexample.+008+48945" \
	    "$(for k in $K/Kexample.+016+*.key; do printf -- '-k %s ' "${k%.key}"; done)"; do
		runs zresign -q -M $T $keys -o "$out" "$FULL"
		assert_success
		zonemd_ok "$out"
	done
	# One digit of the digest changed.
	awk -F'\t' -v OFS='\t' '$4 == "ZONEMD" { n = split($5, f, " ");
		f[4] = (substr(f[4], 1, 1) == "0" ? "1" : "0") substr(f[4], 2);
		$5 = f[1] " " f[2] " " f[3] " " f[4] } { print }' "$out" > "$out.bad"
	run ldns-verify-zone -Z -t "$CHECK_AT" "$out.bad"
	assert_failure
}
