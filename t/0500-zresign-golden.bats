#!/usr/bin/env bats
# zresign's output, byte for byte: the zone with every case signed with
# Ed25519 keys (and once with ECDSA P-256 keys: signatures are
# deterministic for both) at fixed times, NSEC, NSEC3 and
# NSEC3 opt-out, against golden files checked by three validators (see
# t/0500-zresign-interop.bats); the same output on any number of threads
# and from standard input; what must and must not be signed; the SOA
# serial; times, jitter and the DNSKEY validity.

load helper

D=$DATA/zresign
K=$D/keys
ED="-k $K/Kexample.+015+37913 -k $K/Kexample.+015+10418"
TIMES="-t 20261201000000 -i 20261201000000 -e 20270101000000"

# Field $2 (1-based, blank-separated) of the RDATA of the RRSIG records
# covering $1 in the zone on standard input.
sigfield() {
	awk -F'\t' -v t="$1" -v f="$2" '$4 == "RRSIG" {
		split($5, r, " "); if (r[1] == t) print r[f] }'
}

@test "golden: the full zone signed with NSEC, NSEC3 and NSEC3 opt-out, and -v" {
	local m o
	for m in nsec nsec3 optout; do
		case $m in nsec) o= ;; nsec3) o=-3 ;; optout) o=-A ;; esac
		runs zresign -v $o $TIMES $ED "$D/full.zone"
		assert_success
		assert_equal "$output" "$(cat "$D/full-$m.out")"
		assert_equal "$stderr" "$(cat "$D/full-$m.err")"
	done
}

@test "golden: the same bytes on 1, 2 and 5 threads, from a file, - and standard input" {
	local want
	want=$(cat "$D/full-optout.out")
	for t in 1 2 5; do
		runs zresign -A -T "$t" $TIMES $ED "$D/full.zone"
		assert_success
		assert_equal "$output" "$want"
	done
	runs zresign -A $TIMES $ED - < "$D/full.zone"
	assert_success
	assert_equal "$output" "$want"
	runs zresign -A $TIMES $ED < "$D/full.zone"
	assert_success
	assert_equal "$output" "$want"
}

# ECDSA nonces are RFC 6979's (lib/ecdsa.c): the same zone, byte for
# byte, on every run and any number of threads, and the golden file's.
@test "golden: ECDSA P-256 (RFC 6979), NSEC3 opt-out, the same on 1, 2 and 4 threads" {
	local k="-k $K/Kexample.+013+01539 -k $K/Kexample.+013+40339" t
	for t in 1 2 4; do
		runs zresign -A -T "$t" $TIMES $k "$D/full.zone"
		assert_success
		assert_equal "$output" "$(cat "$D/full-ecdsa.out")"
	done
	# The golden file, validated within its signatures' window.
	run ldns-verify-zone -t 20261215000000 "$D/full-ecdsa.out"
	assert_success
	run kzonecheck -o example. -d on -t 20261215000000 "$D/full-ecdsa.out"
	assert_success
}

@test "golden: delegation NS and glue unsigned, DS signed, occluded data outside the chain" {
	local out=$D/full-nsec.out
	# No RRSIG at a glue name or below a cut or a DNAME.
	refute grep -E '^(ns\.secure|ns\.insecure|hidden\.insecure)\.example\.	.*	RRSIG' "$out"
	# The delegations' NS RRsets are not signed; their DS RRsets are.
	assert_equal "$(grep -E '^(secure|insecure|sec\.mixed|sub\.mixed)\.example\.	' "$out" |
		sigfield NS 1)" ""
	assert_equal "$(grep -E '^(secure|sec\.mixed)\.example\.	' "$out" |
		sigfield DS 1 | wc -l)" 2
	# NSEC bitmaps: a secure delegation, an insecure one, the apex.
	grep -q '^secure.example.	300	IN	NSEC	\*.wild.example. NS DS RRSIG NSEC$' "$out"
	grep -q '^insecure.example.	300	IN	NSEC	mail.example. NS RRSIG NSEC$' "$out"
	grep -q '^example.	300	IN	NSEC	alias.example. NS SOA MX TXT RRSIG NSEC DNSKEY$' "$out"
	# Nothing of the chain for occluded names or empty non-terminals.
	refute grep -E '^(hidden\.insecure|ns\.insecure|ns\.secure|c\.ent|b\.c\.ent)\.example\.	.*	NSEC' "$out"
	# Opt-out: the insecure delegations and the empty non-terminal that
	# only leads to them have no NSEC3; every NSEC3 has the flag.
	assert_equal "$(awk -F'\t' '$4 == "NSEC3"' "$D/full-optout.out" | wc -l)" 16
	assert_equal "$(awk -F'\t' '$4 == "NSEC3" && $5 !~ /^1 1 0 - /' \
		"$D/full-optout.out")" ""
	assert_equal "$(awk -F'\t' '$4 == "NSEC3"' "$D/full-nsec3.out" | wc -l)" 21
}

@test "golden: RRSIG fields: labels of a wildcard, TTL of the RRset, signer the apex" {
	local out=$D/full-nsec.out
	# *.wild.example.: 3 labels, the wildcard one not counted.
	assert_equal "$(grep '^\*\.wild\.example\.	' "$out" | sigfield TXT 3)" 2
	assert_equal "$(grep '^a\.b\.c\.ent\.example\.	' "$out" | sigfield A 3)" 5
	# The RRSIG's TTL and Original TTL are the RRset's.
	assert_equal "$(awk -F'\t' '$4 == "RRSIG" { split($5, r, " ");
		if (r[4] != $2) print }' "$out")" ""
	assert_equal "$(awk -F'\t' '$4 == "RRSIG" && $1 == "secure.example." {
		print $2 }' "$out" | sort -n -u)" "300
3600"
	# NSEC TTL: the smaller of the SOA TTL and MINIMUM (RFC 9077).
	assert_equal "$(awk -F'\t' '$4 == "NSEC" { print $2 }' "$out" | sort -u)" 300
	assert_equal "$(sigfield SOA 8 < "$out")" "example."
}

@test "golden: the DNSKEYs of the keys are added once, with the RRset's TTL" {
	runs zresign $TIMES $ED "$D/full.zone"
	assert_success
	assert_equal "$(awk -F'\t' '$4 == "DNSKEY" { print $2 }' <<<"$output" |
		tr '\n' ' ')" "3600 3600 "
	# Signing the output again adds nothing.
	runs bash -c "zresign $TIMES $ED '$D/full.zone' | zresign $TIMES $ED"
	assert_success
	assert_equal "$(awk -F'\t' '$4 == "DNSKEY"' <<<"$output" | wc -l)" 2
	# A DNSKEY RRset of TTL 600 in the zone: the keys join it at 600.
	{ cat "$D/full.zone"; echo "example. 600 IN DNSKEY 256 3 15 2HR8w9WbDmUEF4x54s9BU8s2NRLe6rGnoLzB8+A+uwE="; } \
		> "$BATS_TEST_TMPDIR/ttl.zone"
	runs zresign $TIMES $ED "$BATS_TEST_TMPDIR/ttl.zone"
	assert_success
	assert_equal "$(awk -F'\t' '$4 == "DNSKEY" { print $2 }' <<<"$output" |
		tr '\n' ' ')" "600 600 600 "
	assert_equal "$(sigfield DNSKEY 4 <<<"$output")" 600
}

@test "golden: NSEC, NSEC3 and NSEC3PARAM of the input are replaced" {
	# NSEC for an NSEC3 zone only when asked (-N): see t/0531.
	runs bash -c "zresign -A $TIMES $ED '$D/full.zone' | zresign -N $TIMES $ED"
	assert_success
	assert_equal "$output" "$(cat "$D/full-nsec.out")"
	runs bash -c "zresign $TIMES $ED '$D/full.zone' | zresign -A $TIMES $ED"
	assert_success
	assert_equal "$output" "$(cat "$D/full-optout.out")"
	runs bash -c "zresign -3 $TIMES $ED '$D/full.zone' | zresign -A $TIMES $ED"
	assert_success
	assert_equal "$output" "$(cat "$D/full-optout.out")"
}

@test "golden: the SOA serial, kept, incremented, from the time, from the date" {
	serial() { awk -F'\t' '$4 == "SOA" { split($5, r, " "); print r[3] }'; }
	runs zresign $TIMES $ED "$D/full.zone"
	assert_equal "$(serial <<<"$output")" 2026112801
	runs zresign -s keep $TIMES $ED "$D/full.zone"
	assert_equal "$(serial <<<"$output")" 2026112801
	runs zresign -s increment $TIMES $ED "$D/full.zone"
	assert_equal "$(serial <<<"$output")" 2026112802
	runs zresign -s date $TIMES $ED "$D/full.zone"
	assert_equal "$(serial <<<"$output")" 2026120100
	# Today's date is behind the serial: incremented instead.
	runs zresign -s date -t 20261127000000 -i -1h -e +30d $ED "$D/full.zone"
	assert_equal "$(serial <<<"$output")" 2026112802
	# The time is behind the serial too (2026112801 is later in 1982
	# arithmetic than 1795996800): incremented.
	runs zresign -s unixtime $TIMES $ED "$D/full.zone"
	assert_equal "$(serial <<<"$output")" 2026112802
	sed 's/2026112801/1700000000/' "$D/full.zone" > "$BATS_TEST_TMPDIR/s.zone"
	runs zresign -s unixtime $TIMES $ED "$BATS_TEST_TMPDIR/s.zone"
	assert_equal "$(serial <<<"$output")" 1796083200
	# 4294967295 + 1 wraps to 0 (RFC 1982).
	sed 's/2026112801/4294967295/' "$D/full.zone" > "$BATS_TEST_TMPDIR/s.zone"
	runs zresign -s increment $TIMES $ED "$BATS_TEST_TMPDIR/s.zone"
	assert_equal "$(serial <<<"$output")" 0
}

@test "golden: default and relative times; the DNSKEY RRset's own validity (-E)" {
	# Defaults: an hour before now, 30 days after.
	runs zresign -t 20261201000000 $ED "$D/full.zone"
	assert_success
	assert_equal "$(sigfield A 5 <<<"$output" | sort -u)" 20261231000000
	assert_equal "$(sigfield A 6 <<<"$output" | sort -u)" 20261130230000
	runs zresign -t 1796083200 -i -2d -e +1w -E +90d $ED "$D/full.zone"
	assert_success
	assert_equal "$(sigfield A 5 <<<"$output" | sort -u)" 20261208000000
	assert_equal "$(sigfield A 6 <<<"$output" | sort -u)" 20261129000000
	assert_equal "$(sigfield DNSKEY 5 <<<"$output")" 20270301000000
	assert_equal "$(sigfield SOA 5 <<<"$output")" 20261208000000
}

@test "golden: jitter: expirations spread below -e, the same in every run, moved by the seed" {
	local a b c
	a=$(zresign -J 7d $TIMES $ED "$D/full.zone" | sigfield A 5)
	b=$(zresign -J 7d -T 3 $TIMES $ED "$D/full.zone" | sigfield A 5)
	c=$(zresign -J 7d -R other $TIMES $ED "$D/full.zone" | sigfield A 5)
	assert_equal "$a" "$b"
	[ "$a" != "$c" ] || fail "the seed changed nothing"
	[ "$(sort -u <<<"$a" | wc -l)" -gt 3 ] || fail "no spread: $a"
	while read -r e; do
		[[ "$e" > 20261225000000 || "$e" == 20261225000000 ]] &&
		[[ "$e" < 20270101000000 || "$e" == 20270101000000 ]] ||
			fail "expiration $e out of [20261225000000, 20270101000000]"
	done <<<"$a$c"
}
