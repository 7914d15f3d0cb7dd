#!/usr/bin/env bats
# zmerge-dnskey -f: a fragment that signs its DNSKEY RRset is an import
# of the other operator's signatures (RFC 6781 section 4.3.5.1); an
# RRset that differs from the zone's own is refused, naming the keys that
# are in one and not the other (issue 13).  The old zmerge-dnskey merged
# the fragment's keys, or dropped its signatures with a warning and
# exit 0, which left B without the KSK_A signature it needs.
load helper
load zmerge-dnskey

setup() { zm_setup; }

@test "zmerge-dnskey -f: a signed fragment with keys the zone lacks is refused, naming them; its keys are not merged" {
	# b.zone has B's two keys; A's fragment has four and A's signatures.
	runs zmerge-dnskey -f a-dnskey.frag b.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: a-dnskey\.frag:5: its DNSKEY RRset, which it signs, differs from the zone's: only in the fragment: 40244/13 \(flags 256\), 5021/13 \(flags 257\); only in the zone: none; .*RFC 4034 section 3\.1\.8\.1.*-k"
	# The same import with the keys given by file goes through.
	runs zmerge-dnskey -k "$KSK_A" -k "$ZSK_A" -f a-dnskey.frag b.zone
	assert_success
	assert_output "$(cat import-a.out)"
}

@test "zmerge-dnskey -f: a signed fragment of another RRset is refused, naming the keys on both sides (the old code dropped the signatures)" {
	# a.zone: A's keys only, signed by A; b-2a.zone: the four keys.
	runs zmerge-dnskey -f a.zone b-2a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: a\.zone:[0-9]+: its DNSKEY RRset, which it signs, differs from the zone's: only in the fragment: none; only in the zone: (48585/13 \(flags 256\), 62651/13 \(flags 257\)|62651/13 \(flags 257\), 48585/13 \(flags 256\));"
	# The same with B's keys given: B's two keys now only in the zone,
	# none only in the fragment.
	runs zmerge-dnskey -k "$KSK_B" -k "$ZSK_B" -f a.zone a.zone
	assert_trouble zmerge-dnskey "only in the fragment: none; only in the zone: .*62651/13 \(flags 257\)"
}

@test "zmerge-dnskey -f: a key flag changed in the fragment (REVOKE) is another key on both sides" {
	# 5021 with the REVOKE bit (RFC 5011 section 3) is another RDATA and
	# another tag: the fragment lacks 5021 and has a key the zone lacks.
	sed '/	DNSKEY	257 3 13 lJSQ/s/	257 /	385 /' a-dnskey.frag > "$BATS_TEST_TMPDIR/rev.frag"
	runs zmerge-dnskey -f "$BATS_TEST_TMPDIR/rev.frag" b-2a.zone
	assert_trouble zmerge-dnskey "rev\.frag:[0-9]+: .*only in the fragment: [0-9]+/13 \(flags 385\); only in the zone: 5021/13 \(flags 257\);"
}

@test "zmerge-dnskey -f: a refused import leaves the old -o file intact and no temporary file" {
	mkdir "$BATS_TEST_TMPDIR/d"
	cp b-2a.zone "$BATS_TEST_TMPDIR/d/z"
	runs zmerge-dnskey -f a.zone -o "$BATS_TEST_TMPDIR/d/z" "$BATS_TEST_TMPDIR/d/z"
	assert_trouble zmerge-dnskey "differs from the zone's"
	cmp b-2a.zone "$BATS_TEST_TMPDIR/d/z"
	assert_equal "$(ls "$BATS_TEST_TMPDIR/d")" "z"
}

@test "zmerge-dnskey -f: one refused fragment among good ones refuses the whole run" {
	runs zmerge-dnskey -f later.frag -f a.zone b-2a.zone
	assert_trouble zmerge-dnskey "a\.zone:[0-9]+: its DNSKEY RRset, which it signs, differs"
	runs zmerge-dnskey -f later.frag b-2a.zone
	assert_success
}

@test "zmerge-dnskey -f: a fragment without signatures is a list of keys, merged as before" {
	grep -v 'RRSIG' a-dnskey.frag > "$BATS_TEST_TMPDIR/keys.frag"
	runs zmerge-dnskey -f "$BATS_TEST_TMPDIR/keys.frag" b.zone
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(grep -c $'\tDNSKEY\t' <<<"$output")" 4
	refute_line --partial $'\tRRSIG\tDNSKEY'
}

@test "zmerge-dnskey -r -f: with -r a signed fragment names keys to remove; its RRset is not compared" {
	runs zmerge-dnskey -r -f a.zone b-2a.zone
	assert_success
	refute_line --partial ' 5021 example. '
	assert_equal "$(grep -c $'\tDNSKEY\t' <<<"$output")" 2
}

@test "zmerge-dnskey -f: an import whose signatures' original TTL is not the zone's DNSKEY TTL is refused (the old code left them out, exit 0)" {
	sed '/	DNSKEY	/s/	3600	/	7200	/' b.zone > "$BATS_TEST_TMPDIR/b7200.zone"
	runs zmerge-dnskey -k "$KSK_A" -k "$ZSK_A" -f a-dnskey.frag "$BATS_TEST_TMPDIR/b7200.zone"
	assert_trouble zmerge-dnskey "zmerge-dnskey: a-dnskey\.frag:3: its DNSKEY RRset, which it signs, differs from the zone's: its TTL: the signature by key 5021/13 has original TTL 3600, the zone's DNSKEY TTL is 7200 \(RFC 4034 section 3\.1\.4\); both operators must publish the DNSKEY RRset with one TTL\$"
	# The zone's TTL made the fragment's: the import goes through.
	runs zmerge-dnskey -k "$KSK_A" -k "$ZSK_A" -f a-dnskey.frag b.zone
	assert_success
}
