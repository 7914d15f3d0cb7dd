#!/usr/bin/env bats
# zcheck-chain and the ZONEMD of a zone (RFC 8976 section 4): a digest
# made by another implementation (ldns-signzone -z, and uri.arpa of the
# RFC's appendix A.4) verifies; one that does not match the zone (stale:
# the zone changed after it was computed), with another serial than the
# SOA's, of the wrong length, or two of one kind, fail the check, exit
# 1; one of a scheme or hash algorithm not known here is a warning.
# zmerge-dnskey and zadd-bero-ns say when their change leaves a ZONEMD
# stale, and zresign makes it fresh again.  Fixed times: -t everywhere.

load helper

K=$DATA/zresign/keys
FULL=$DATA/zresign/full.zone
EX=$DATA/examples
URI=$REAL/uri.arpa-2018100702
P256="-k $K/Kexample.+013+01539 -k $K/Kexample.+013+40339"
NOW=20261202000000
CITE="(ZONEMD, RFC 8976 section 4)"

# ldns_sign out in [ldns-signzone options]: in signed by ldns-signzone
# with the P-256 KSK and ZSK, fixed times.
ldns_sign() {
	local out=$1 in=$2
	shift 2
	ldns-signzone "$@" -i 20261201000000 -e 20270101000000 -f "$out" \
		"$in" "$K/Kexample.+013+01539" "$K/Kexample.+013+40339"
}

# The line of the apex ZONEMD of hash algorithm $2 in zone $1.
zonemd_line() {
	awk -v a="$2" '$4 == "ZONEMD" && $7 == a { print NR; exit }' "$1"
}

@test "zcheck-chain: ZONEMD made by ldns-signzone -z, SHA-384 and SHA-512, verified" {
	local z=$BATS_TEST_TMPDIR/l.zone
	ldns_sign "$z" "$FULL" -z 1:1 -z 1:2
	[ "$(grep -c $'\tZONEMD\t' "$z")" = 2 ]
	runs zcheck-chain -t $NOW "$z"
	assert_success
	assert_output ""
}

@test "zcheck-chain: uri.arpa of RFC 8976 appendix A.4, its ZONEMD verified" {
	runs zcheck-chain -t 20210201000000 "$URI/uri.arpa.zone"
	assert_success
	refute_output --partial ZONEMD
}

@test "zcheck-chain: a stale ZONEMD (glue changed after the digest) fails the check, exit 1" {
	local z=$BATS_TEST_TMPDIR/l.zone
	ldns_sign "$z" "$FULL" -z 1:1
	# Glue is not signed: only the digest can see the change.
	sed -i 's/192\.0\.2\.10$/192.0.2.99/' "$z"
	grep -q '192\.0\.2\.99$' "$z"
	runs zcheck-chain -t $NOW "$z"
	assert_failure 1
	assert_output "zcheck-chain: $z:$(zonemd_line "$z" 1): example. ZONEMD: the digest does not match the zone: stale, the zone changed after it was computed; zresign computes it again $CITE"
}

@test "zcheck-chain: a digest changed in our own output is refused; the output as written passes" {
	local z=$BATS_TEST_TMPDIR/m.zone
	zresign -M -t 20261201000000 $P256 -o "$z" "$FULL"
	runs zcheck-chain -t $NOW "$z"
	assert_success
	awk -F'\t' -v OFS='\t' '$4 == "ZONEMD" { split($5, f, " ");
		f[4] = (substr(f[4], 1, 1) == "0" ? "1" : "0") substr(f[4], 2);
		$5 = f[1] " " f[2] " " f[3] " " f[4] } { print }' "$z" > "$z.bad"
	runs zcheck-chain -t $NOW "$z.bad"
	assert_failure 1
	assert_line "zcheck-chain: $z.bad:$(zonemd_line "$z.bad" 1): example. ZONEMD: the digest does not match the zone: stale, the zone changed after it was computed; zresign computes it again $CITE"
}

@test "zcheck-chain: ZONEMD with another serial than the SOA's, of the wrong length, or two of one kind: each fails" {
	local in=$BATS_TEST_TMPDIR/in.zone z=$BATS_TEST_TMPDIR/l.zone d
	d=$(printf '%096d' 0)
	# Signed as data, so that only the digest is wrong.
	{ cat "$FULL"; echo "@ ZONEMD 2026112800 1 1 $d"; } > "$in"
	ldns_sign "$z" "$in"
	runs zcheck-chain -t $NOW "$z"
	assert_failure 1
	assert_output "zcheck-chain: $z:$(zonemd_line "$z" 1): example. ZONEMD: serial 2026112800, not the SOA's 2026112801: stale, the zone changed after its digest was computed; zresign computes it again $CITE"
	{ cat "$FULL"; echo "@ ZONEMD 2026112801 1 1 ${d:0:24}"; } > "$in"
	ldns_sign "$z" "$in"
	runs zcheck-chain -t $NOW "$z"
	assert_failure 1
	assert_output "zcheck-chain: $z:$(zonemd_line "$z" 1): example. ZONEMD: a digest of 12 octets, not 48; zresign computes it again $CITE"
	{ cat "$FULL"; echo "@ ZONEMD 2026112801 1 1 $d"
	  echo "@ ZONEMD 2026112801 1 1 ${d:1}1"; } > "$in"
	ldns_sign "$z" "$in"
	runs zcheck-chain -t $NOW "$z"
	assert_failure 1
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial "example. ZONEMD: more than one ZONEMD of scheme 1 and hash algorithm 1; zresign computes it again $CITE"
}

@test "zcheck-chain: ZONEMD of a scheme or hash algorithm not known here: a warning, exit 0; beside a good one, a stale one is a warning" {
	local in=$BATS_TEST_TMPDIR/in.zone z=$BATS_TEST_TMPDIR/l.zone d
	d=$(printf '%096d' 0)
	{ cat "$FULL"; echo "@ ZONEMD 2026112801 240 1 $d"
	  echo "@ ZONEMD 2026112801 1 9 $d"; } > "$in"
	ldns_sign "$z" "$in"
	runs zcheck-chain -t $NOW "$z"
	assert_success
	assert_output "zcheck-chain: warning: $z:$(zonemd_line "$z" 9): example. ZONEMD: scheme 1, hash algorithm 9: not known here, this digest is not verified $CITE
zcheck-chain: warning: $z:$(($(zonemd_line "$z" 9) + 1)): example. ZONEMD: scheme 240, hash algorithm 1: not known here, this digest is not verified $CITE"
	# Unsigned (so the DNSKEY problem is expected): a good SHA-384
	# and a SHA-512 that is not the zone's.
	ldns-signzone -Z -z 1:1 -f "$z" "$FULL"
	printf 'example. 3600 IN ZONEMD 2026112801 1 2 %0128d\n' 0 >> "$z"
	runs zcheck-chain -t $NOW "$z"
	assert_failure 1
	assert_line "zcheck-chain: warning: $z:$(wc -l < "$z"): example. ZONEMD: the digest does not match the zone: stale, the zone changed after it was computed; zresign computes it again $CITE"
	refute_output --partial "zcheck-chain: $z:$(zonemd_line "$z" 1):"
}

@test "zmerge-dnskey and zadd-bero-ns leave a ZONEMD stale and say so; zcheck-chain flags it; zresign makes it fresh" {
	local z=$BATS_TEST_TMPDIR/m.zone out=$BATS_TEST_TMPDIR/e.zone
	local warn="its ZONEMD is stale now, the digest does not cover the change: zresign computes it again, zcheck-chain fails the zone until then (RFC 8976 section 4)"
	zresign -M -t 20261201000000 $P256 -o "$z" "$FULL"
	runs zmerge-dnskey -k "$EX/Kexample.+013+62651.key" -o "$out" "$z"
	assert_success
	assert_equal "$stderr" "zmerge-dnskey: warning: $z: $warn"
	runs zcheck-chain -t $NOW "$out"
	assert_failure 1
	assert_line --partial "example. ZONEMD: the digest does not match the zone: stale"
	runs zresign -t 20261201000000 $P256 -o "$out" "$out"
	assert_success
	runs zcheck-chain -t $NOW "$out"
	assert_success
	run ldns-verify-zone -ZZ -t $NOW "$out"
	assert_success
	runs zadd-bero-ns -n "$EX/nic-b.ns" -o "$out" "$z"
	assert_success
	assert_equal "$stderr" "zadd-bero-ns: warning: $z: $warn"
	# No change, no word: the digest still holds.
	runs zmerge-dnskey -k "$K/Kexample.+013+01539.key" -o "$out" "$z"
	assert_success
	assert_equal "$stderr" ""
}
