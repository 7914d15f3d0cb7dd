#!/usr/bin/env bats
# Every zone zresign writes must be accepted by the validators of three
# other implementations: ldns-verify-zone (ldns), dnssec-verify (BIND)
# and kzonecheck (Knot), for every algorithm it signs with (8, 13, 14,
# 15, 16), NSEC, NSEC3 and NSEC3 with opt-out, on a zone with every case
# (t/data/zresign/full.zone: a wildcard, empty non-terminals, secure and
# insecure delegations with glue, data below a cut and below a DNAME,
# names that only lead to insecure delegations).  The signatures are
# made with an inception in 2020 and an expiration in 2038 (ldns-verify-
# zone compares the times as signed 32-bit numbers, so nothing later than
# 2038-01-19 verifies there): dnssec-verify has no time option and checks them at the real clock's now, whatever
# day the suite runs on (also with the clock moved ahead for the other
# tools, make test-future).  A broken copy of one output must be refused
# by all three, so that the oracles are known to look.

load helper

K=$DATA/zresign/keys
FULL=$DATA/zresign/full.zone
# The times of signatures the oracles check: valid on any real date.
T="-t 20261201000000 -i 20200101000000 -e 20380101000000"

# Run the three validators on $1; fail naming those that refuse it.  $2
# is -z for a zone signed by a CSK: dnssec-verify wants a key without
# the SEP flag for the data unless told to ignore the flag.
oracles() {
	local z=$1 csk=${2:-} bad=
	ldns-verify-zone "$z" > "$BATS_TEST_TMPDIR/ldns.out" 2>&1 ||
		bad="$bad ldns-verify-zone:$(tail -3 "$BATS_TEST_TMPDIR/ldns.out")"
	dnssec-verify -q $csk -o example. "$z" > "$BATS_TEST_TMPDIR/bind.out" 2>&1 ||
		bad="$bad dnssec-verify:$(tail -3 "$BATS_TEST_TMPDIR/bind.out")"
	kzonecheck -o example. -d on "$z" > "$BATS_TEST_TMPDIR/knot.out" 2>&1 ||
		bad="$bad kzonecheck:$(tail -3 "$BATS_TEST_TMPDIR/knot.out")"
	[ -z "$bad" ] || fail "$z refused by$bad"
}

# Sign the full zone with the KSK and ZSK of algorithm $1 in the three
# denial modes, and hand each output to the oracles.
sign_and_check() {
	local alg=$1 ksk=$2 zsk=$3 mode weak=
	# The RSASHA256 ZSK, 48945, is of 1024 bits: -W lets it sign.
	[ "$alg" = 008 ] && weak=-W
	for mode in nsec -3 -A; do
		local out=$BATS_TEST_TMPDIR/full-$alg$mode.zone
		[ "$mode" = nsec ] && mode=
		runs zresign $T -q $weak $mode -k "$K/Kexample.+$alg+$ksk" \
			-k "$K/Kexample.+$alg+$zsk" -o "$out" "$FULL"
		assert_success
		oracles "$out"
	done
}

@test "interop: RSASHA256 (8), NSEC, NSEC3, NSEC3 opt-out" {
	sign_and_check 008 07997 48945
}

@test "interop: ECDSAP256SHA256 (13), NSEC, NSEC3, NSEC3 opt-out" {
	sign_and_check 013 01539 40339
}

@test "interop: ECDSAP384SHA384 (14), NSEC, NSEC3, NSEC3 opt-out" {
	sign_and_check 014 36352 22316
}

@test "interop: ED25519 (15), NSEC, NSEC3, NSEC3 opt-out" {
	sign_and_check 015 37913 10418
}

@test "interop: ED448 (16), NSEC, NSEC3, NSEC3 opt-out" {
	sign_and_check 016 48979 49625
}

@test "interop: two algorithms at once (8 and 13), each signs every RRset" {
	local out=$BATS_TEST_TMPDIR/two.zone
	runs zresign $T -A -W -k "$K/Kexample.+008+07997" -k "$K/Kexample.+008+48945" \
		-k "$K/Kexample.+013+01539" -k "$K/Kexample.+013+40339" \
		-o "$out" "$FULL"
	assert_success
	oracles "$out"
	# Every RRSIG of algorithm 8 has its twin of algorithm 13.
	assert_equal "$(awk -F'\t' '$4 == "RRSIG" { split($5, f, " ");
		n[f[2]]++ } END { print n[8], n[13] }' "$out")" "35 35"
}

@test "interop: a lone key as CSK, NSEC3 with salt and iterations" {
	local out=$BATS_TEST_TMPDIR/csk.zone
	runs zresign $T -S 0aff -H 5 -k "$K/Kexample.+015+37913" -o "$out" "$FULL"
	assert_success
	assert_equal "$stderr" "zresign: warning: NSEC3 iterations 5: RFC 9276 section 3.1 says 0; validators treat counts above their limit (100 to 150 in practice, RFC 9276 appendix A) as insecure or answer SERVFAIL (section 3.2)
zresign: warning: NSEC3 salt: RFC 9276 section 3.1 says none"
	grep -q 'NSEC3PARAM	1 0 5 0aff$' "$out" || fail "no NSEC3PARAM 1 0 5 0aff"
	oracles "$out" -z
	runs zresign $T -C "$K/Kexample.+013+01539" -o "$out" "$FULL"
	assert_success
	oracles "$out" -z
}

@test "interop: a key without the SEP flag as CSK is warned about, and BIND and Knot refuse" {
	local out=$BATS_TEST_TMPDIR/zsk.zone
	runs zresign $T -k "$K/Kexample.+015+10418" -o "$out" "$FULL"
	assert_success
	assert_equal "$stderr" "zresign: warning: no key with the SEP flag signs the DNSKEY RRset: dnssec-verify and kzonecheck want one (RFC 6840 section 6.2 makes the flag a hint)"
	ldns-verify-zone "$out"
	run dnssec-verify -q -o example. "$out"
	assert_failure
	run kzonecheck -o example. -d on "$out"
	assert_failure
}

@test "interop: the operators' step 2a zone, B's keys and A's exchanged signature" {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
	# A's keys with -k too: an import whose DNSKEY RRset differs from
	# the zone's is refused (zmerge-dnskey(1)).
	zmerge-dnskey -k Kexample.+013+05021.key -k Kexample.+013+40244.key \
		-k Kexample.+013+62651.key -k Kexample.+013+48585.key \
		example.zone | zmerge-dnskey -f a-dnskey.frag - > b.zone
	runs zresign -A -t 20261202000000 -k Kexample.+013+62651 \
		-k Kexample.+013+48585 -o b.signed b.zone
	assert_success
	ldns-verify-zone -t 20261202010000 b.signed
	kzonecheck -o example. -d on -t "$(date -u -d '2026-12-02 01:00' +%s)" \
		b.signed
}

@test "interop: the oracles refuse a broken zone (a signature changed, an NSEC3 gone)" {
	local out=$BATS_TEST_TMPDIR/ok.zone
	zresign $T -A -k "$K/Kexample.+015+37913" -k "$K/Kexample.+015+10418" \
		-o "$out" "$FULL"
	awk -F'\t' 'BEGIN { OFS = "\t" } $1 == "mail.example." && $4 == "RRSIG" {
		$5 = substr($5, 1, length($5) - 6) "AAAAA=" } { print }' "$out" \
		> "$BATS_TEST_TMPDIR/sig.zone"
	run ldns-verify-zone "$BATS_TEST_TMPDIR/sig.zone"
	assert_failure
	run dnssec-verify -q -o example. "$BATS_TEST_TMPDIR/sig.zone"
	assert_failure
	run kzonecheck -o example. -d on "$BATS_TEST_TMPDIR/sig.zone"
	assert_failure
	awk -F'\t' '$4 == "NSEC3" && !done { done = 1; next } { print }' "$out" \
		> "$BATS_TEST_TMPDIR/chain.zone"
	run ldns-verify-zone "$BATS_TEST_TMPDIR/chain.zone"
	assert_failure
	run dnssec-verify -q -o example. "$BATS_TEST_TMPDIR/chain.zone"
	assert_failure
	run kzonecheck -o example. -d on "$BATS_TEST_TMPDIR/chain.zone"
	assert_failure
}

@test "interop: real zones signed again: the 2017 root zone (NSEC3) and uri.arpa (its ZONEMD computed again)" {
	local out=$BATS_TEST_TMPDIR/uri.signed
	# A KSK and a ZSK: with the zone's own keys still in its DNSKEY
	# RRset, kzonecheck (Knot 3.2) wants the data signed by a key
	# without the SEP flag, whoever signs (dnssec-signzone too).
	# (-W: both keys are of 1024 bits.)
	runs zresign -W -k "$K/Kuri.arpa.+008+08222" -k "$K/Kuri.arpa.+008+40848" \
		-t 20181010000000 -o "$out" "$REAL/uri.arpa-2018100702/uri.arpa.zone"
	assert_success
	assert_equal "$stderr" ""
	ldns-verify-zone -ZZ -t 20181011000000 "$out"
	kzonecheck -o uri.arpa. -d on -t "$(date -u -d 2018-10-11 +%s)" "$out"
	# The root: its own keys are RSASHA256, so keys of that algorithm
	# of ours sign.
	cd "$BATS_TEST_TMPDIR"
	dnssec-keygen -q -a RSASHA256 -b 1024 -f KSK . > /dev/null
	dnssec-keygen -q -a RSASHA256 -b 1024 . > /dev/null
	out=$BATS_TEST_TMPDIR/root.signed
	runs zresign -v -W -3 -t 20170821000000 $(for k in K.+008+*.key; do
		echo "-k $k"; done) -o "$out" "$(root_zone)"
	assert_success
	[[ "$stderr" == *"NSEC3 chain: 1548 records"* ]] || fail "$stderr"
	[[ "$stderr" == *"key 19036/8 (another operator's): 0 made, 0 reused, 0 kept, 1 dropped: does not verify over the RRset as it is"* ]] ||
		fail "$stderr"
	ldns-verify-zone -t 20170822000000 "$out"
	kzonecheck -o . -d on -t "$(date -u -d 2017-08-22 +%s)" "$out"
}
