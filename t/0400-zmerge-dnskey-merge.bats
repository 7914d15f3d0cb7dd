#!/usr/bin/env bats
# zmerge-dnskey: merging keys and carrying the exchanged signatures
# (step 2a), golden files.
load helper
load zmerge-dnskey

setup() { zm_setup; }

only_in() {
	comm -23 <(sort "$1") <(sort "$2")
}

@test "zmerge-dnskey: merges B's keys into A's signed zone; A's DNSKEY signatures go" {
	runs zmerge-dnskey -k "$KSK_B" -k "$ZSK_B" a.zone
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat merge-b.out)"
	refute_line --partial 'RRSIG	DNSKEY'
	assert_equal "$(grep -c '	DNSKEY	' <<<"$output")" 4
}

@test "zmerge-dnskey: only the DNSKEY RRset and its signatures change; every other record is byte-identical" {
	zcanon a.zone > "$BATS_TEST_TMPDIR/before"
	run only_in merge-b.out "$BATS_TEST_TMPDIR/before"
	assert_output "$(grep -h ' DNSKEY ' "$KSK_B" "$ZSK_B" |
	    awk '{ printf "%s\t%s\t%s\t%s\t%s %s %s %s%s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' |
	    sort)"
	run only_in "$BATS_TEST_TMPDIR/before" merge-b.out
	assert_equal "$(grep -c . <<<"$output")" 2
	refute_output --regexp $'\tRRSIG\t(NS|SOA|DS|NSEC3|NSEC3PARAM) '
}

@test "zmerge-dnskey: merging twice gives the bytes of merging once; key order does not matter" {
	runs zmerge-dnskey -k "$KSK_B" -k "$ZSK_B" merge-b.out
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat merge-b.out)"
	runs zmerge-dnskey -k "$ZSK_B" -k "$KSK_B" -k "$ZSK_B" a.zone
	assert_success
	assert_output "$(cat merge-b.out)"
}

@test "zmerge-dnskey: merging A's own keys changes nothing, and keeps its signatures" {
	runs zmerge-dnskey -k "$KSK_A" -k "$ZSK_A" a.zone
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(zcanon a.zone)"
}

@test "zmerge-dnskey: an unsigned zone gets the keys with the key files' TTL" {
	zmerge-dnskey -k "$KSK_B" -k "$ZSK_B" "$EX/example.zone" > "$BATS_TEST_TMPDIR/m"
	run only_in "$BATS_TEST_TMPDIR/m" <(zcanon "$EX/example.zone")
	assert_equal "$(grep -c $'^example.\t3600\tIN\tDNSKEY\t25[67] 3 13 ' <<<"$output")" 2
	assert_equal "$(grep -c . <<<"$output")" 2
	run only_in <(zcanon "$EX/example.zone") "$BATS_TEST_TMPDIR/m"
	assert_output ""
}

@test "zmerge-dnskey -f: B merges A's keys (-k) and carries A's signatures over the shared RRset" {
	runs zmerge-dnskey -k "$KSK_A" -k "$ZSK_A" -f a-dnskey.frag b.zone
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat import-a.out)"
	assert_line --partial $'\tRRSIG\tDNSKEY 13 1 3600 20270301000000 20261201000000 5021 example. '
	refute_line --partial ' 62651 example. '
}

@test "zmerge-dnskey -f: the carried signature verifies (ldns-verify-zone)" {
	command -v ldns-verify-zone >/dev/null || skip "no ldns-verify-zone"
	zmerge-dnskey -k "$KSK_A" -k "$ZSK_A" -f a-dnskey.frag b.zone > "$BATS_TEST_TMPDIR/m"
	run ldns-verify-zone -t 20261215000000 "$BATS_TEST_TMPDIR/m"
	assert_success
	# Without the carried signatures the DNSKEY RRset is unsigned.
	grep -v 'RRSIG	DNSKEY' "$BATS_TEST_TMPDIR/m" > "$BATS_TEST_TMPDIR/n"
	run ldns-verify-zone -t 20261215000000 "$BATS_TEST_TMPDIR/n"
	assert_failure
}

@test "zmerge-dnskey -f: a whole zone serves as the fragment; its other signatures are not carried" {
	runs zmerge-dnskey -k "$KSK_A" -k "$ZSK_A" -f a-2a.zone b.zone
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat import-a.out)"
}

@test "zmerge-dnskey -f: carrying twice gives the bytes of carrying once" {
	runs zmerge-dnskey -f a-dnskey.frag import-a.out
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat import-a.out)"
}

@test "zmerge-dnskey -f: a fresher signature replaces the old one; an older one does not" {
	runs zmerge-dnskey -f later.frag b-2a.zone
	assert_success
	assert_line --partial ' 20270401000000 20261201000000 5021 example. '
	refute_line --partial ' 20270301000000 20261201000000 5021 example. '
	# B's own signatures over the unchanged RRset stay.
	assert_line --partial ' 20270301000000 20261201000000 62651 example. '
	runs zmerge-dnskey -f earlier.frag b-2a.zone
	assert_success
	assert_line --partial ' 20270301000000 20261201000000 5021 example. '
	refute_line --partial ' 20270201000000 20261201000000 5021 example. '
	# b-2a.zone had no signature by ZSK_A: the fragment's comes in.
	assert_line --partial ' 20270201000000 20261201000000 40244 example. '
}

@test "zmerge-dnskey -f: signatures that cannot verify over the merged RRset are named and left out" {
	sed -e '/RRSIG	DNSKEY .* 5021 /s/ example\. / sub.example. /' \
	    -e '/RRSIG	DNSKEY .* 40244 /s/ 40244 / 11111 /' \
	    a-dnskey.frag > "$BATS_TEST_TMPDIR/bad.frag"
	runs zmerge-dnskey -k "$KSK_A" -k "$ZSK_A" -f "$BATS_TEST_TMPDIR/bad.frag" b.zone
	assert_success
	refute_line --partial 'RRSIG	DNSKEY'
	assert_line --index 0 --partial 'SOA'
	[[ "$stderr" == *"bad.frag:3: RRSIG DNSKEY by key 5021/13 is not carried: its signer is not the zone apex"* ]] || fail "$stderr"
	[[ "$stderr" == *"bad.frag:4: RRSIG DNSKEY by key 11111/13 is not carried: no key of the merged RRset made it"* ]] || fail "$stderr"
	# A zone whose DNSKEY TTL is not the signatures' original TTL: see
	# t/0410 (refused).
}

@test "zmerge-dnskey: a key TTL other than the zone's DNSKEY TTL is warned about and not used" {
	runs zmerge-dnskey -k ttl.key a.zone
	assert_success
	assert_output "$(cat ttl.out)"
	assert_equal "$stderr" "$(cat ttl.err)"
}

@test "zmerge-dnskey: colliding key tags are warned about; the keys are compared by RDATA" {
	runs zmerge-dnskey -k "$KSK_B" -k collide.key -k "$ZSK_B" a.zone
	assert_success
	assert_equal "$stderr" "zmerge-dnskey: warning: a.zone: two keys of the DNSKEY RRset have the tag 62651/13: validators try both, but tell both operators"
	assert_equal "$(grep -c '	DNSKEY	257 ' <<<"$output")" 3
}

@test "zmerge-dnskey: refuses to mix algorithms, naming both sets; -a merges anyway" {
	runs zmerge-dnskey -k rsa.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: a.zone: the zone's algorithms \{13 ECDSAP256SHA256\} differ from the merged keys' \{8 RSASHA256\}: .*RFC 8901 section 4.*-a merges anyway$"
	runs zmerge-dnskey -k rsa.key -k "$KSK_B" a.zone
	assert_trouble zmerge-dnskey "\{8 RSASHA256, 13 ECDSAP256SHA256\}"
	runs zmerge-dnskey -a -k rsa.key a.zone
	assert_success
	assert_equal "$stderr" ""
	assert_line --partial $'\tDNSKEY\t257 3 8 AwEAA'
}

@test "zmerge-dnskey: a key given twice, or already in the zone, is added once" {
	runs zmerge-dnskey -k "$KSK_B" -k "$KSK_B" -k "$KSK_A" -k "$ZSK_A" -k "$ZSK_A" -f a-dnskey.frag -f a-dnskey.frag b.zone
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat import-a.out)"
}

@test "zmerge-dnskey: a key of an algorithm that must not sign is merged with a warning" {
	sed 's/ 257 3 8 / 257 3 5 /' rsa.key > "$BATS_TEST_TMPDIR/rsasha1.key"
	runs zmerge-dnskey -a -k "$BATS_TEST_TMPDIR/rsasha1.key" a.zone
	assert_success
	assert_line --partial $'\tDNSKEY\t257 3 5 AwEAA'
	[[ "$stderr" == "zmerge-dnskey: warning: $BATS_TEST_TMPDIR/rsasha1.key:2: key "*"/5: algorithm 5 (RSASHA1) must not be used for signing (RFC 8624 section 3.1)" ]] || fail "$stderr"
}
