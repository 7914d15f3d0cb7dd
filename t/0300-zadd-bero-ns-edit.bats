#!/usr/bin/env bats
# zadd-bero-ns: what it adds and removes (golden files), and what it
# leaves alone.
load helper

setup() {
	cd "$DATA/zadd-bero-ns"
	EX=$DATA/examples
}

# The lines of $1 that are not in $2, and those of $2 not in $1.
only_in() {
	comm -23 <(sort "$1") <(sort "$2")
}

@test "zadd-bero-ns: adds operator B's name servers and glue (step 2b)" {
	runs zadd-bero-ns -n "$EX/nic-b.ns" "$EX/example.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat add-b.out)"
}

@test "zadd-bero-ns: only the apex NS and the new glue change; every other record is byte-identical" {
	zcanon "$EX/example.zone" > "$BATS_TEST_TMPDIR/before"
	zadd-bero-ns -n "$EX/nic-b.ns" "$EX/example.zone" > "$BATS_TEST_TMPDIR/after"
	run only_in "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	assert_output ""
	run only_in "$BATS_TEST_TMPDIR/after" "$BATS_TEST_TMPDIR/before"
	assert_output "$(printf '%s\n' \
	    'example.	3600	IN	NS	ns1.nic-b.example.' \
	    'example.	3600	IN	NS	ns2.nic-b.net.' \
	    'ns1.nic-b.example.	3600	IN	A	203.0.113.1' \
	    'ns1.nic-b.example.	3600	IN	AAAA	2001:db8:b::1' | sort)"
}

@test "zadd-bero-ns: adding twice gives the bytes of adding once" {
	zadd-bero-ns -n "$EX/nic-b.ns" "$EX/example.zone" > "$BATS_TEST_TMPDIR/once"
	runs zadd-bero-ns -n "$EX/nic-b.ns" "$BATS_TEST_TMPDIR/once"
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat "$BATS_TEST_TMPDIR/once")"
}

@test "zadd-bero-ns -r: removes operator A's name servers; glue a delegation still names stays (step 6)" {
	runs zadd-bero-ns -r -n "$EX/a.ns" add-b.out
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat remove-a.out)"
	# nic-a.example's delegation names ns1.nic-a: its glue stays.
	assert_line 'ns1.nic-a.example.	3600	IN	A	192.0.2.1'
	assert_line 'ns1.nic-a.example.	3600	IN	AAAA	2001:db8::1'
	refute_line --partial 'ns2.nic-a.example.	3600	IN	A'
}

@test "zadd-bero-ns: add then remove gives back the original zone byte for byte" {
	runs bash -c "zadd-bero-ns -n '$EX/nic-b.ns' '$EX/example.zone' |
	    zadd-bero-ns -r -n '$EX/nic-b.ns'"
	assert_success
	assert_output "$(zcanon "$EX/example.zone")"
	# The same for a signed zone, but for the signatures dropped.
	runs bash -c "zadd-bero-ns -r -n '$EX/nic-b.ns' signed-2b.zone |
	    zadd-bero-ns -n '$EX/nic-b.ns'"
	assert_success
	assert_output "$(zcanon signed-2b.zone | grep -v -e 'RRSIG	NS ' \
	    -e '^ns1\.nic-b\.example\..*RRSIG')"
}

@test "zadd-bero-ns -r: removing twice gives the bytes of removing once, with a warning" {
	zadd-bero-ns -r -n "$EX/a.ns" add-b.out > "$BATS_TEST_TMPDIR/once"
	runs zadd-bero-ns -r -n "$EX/a.ns" "$BATS_TEST_TMPDIR/once"
	assert_success
	assert_output "$(cat "$BATS_TEST_TMPDIR/once")"
	assert_equal "$stderr" "zadd-bero-ns: warning: $EX/a.ns:2: example. NS ns1.nic-a.example. is not in the zone
zadd-bero-ns: warning: $EX/a.ns:3: example. NS ns2.nic-a.example. is not in the zone"
}

@test "zadd-bero-ns: in a signed zone only the apex NS signatures go; NSEC3 is left to the signer" {
	runs zadd-bero-ns -n "$EX/nic-b.ns" signed.zone
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat signed-add-b.out)"
	refute_line --partial 'RRSIG	NS 13 1 '
	assert_equal "$(grep -c NSEC3 <<<"$output")" \
	    "$(zcanon signed.zone | grep -c NSEC3)"
}

@test "zadd-bero-ns -r: signatures over removed address records go with them" {
	runs zadd-bero-ns -r -n "$EX/nic-b.ns" signed-2b.zone
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat signed-2b-remove-b.out)"
	refute_line --partial 'ns1.nic-b.example.'
	# Other signatures, delegations, DS records and glue are untouched.
	run only_in signed-2b-remove-b.out <(zcanon signed-2b.zone)
	assert_output ""
}

@test "zadd-bero-ns -r: removing A from the signed step-2b zone keeps the signed glue of B" {
	runs zadd-bero-ns -r -n "$EX/a.ns" signed-2b.zone
	assert_success
	assert_output "$(cat signed-2b-remove-a.out)"
	assert_line --partial 'ns1.nic-b.example.	3600	IN	RRSIG	A 13 3 '
	assert_line 'ns1.nic-a.example.	3600	IN	A	192.0.2.1'
}

@test "zadd-bero-ns: a fragment TTL other than the apex NS TTL is warned about and not used" {
	runs zadd-bero-ns -n ttl.ns "$EX/example.zone"
	assert_success
	assert_output "$(cat ttl.out)"
	assert_equal "$stderr" "$(cat ttl.err)"
	assert_line 'example.	3600	IN	NS	ns2.nic-b.net.'
}

@test "zadd-bero-ns: relative names in the fragment are relative to the apex" {
	runs zadd-bero-ns -n relative.ns "$EX/example.zone"
	assert_success
	assert_output "$(cat add-b.out)"
}

@test "zadd-bero-ns: glue already in the zone is enough; the same glue again is no conflict" {
	printf 'example. NS ns1.alpha.example.\nexample. NS ns2.nic-b.net.\n' \
	    > "$BATS_TEST_TMPDIR/alpha.ns"
	runs zadd-bero-ns -n "$BATS_TEST_TMPDIR/alpha.ns" "$EX/example.zone"
	assert_success
	assert_line 'example.	3600	IN	NS	ns1.alpha.example.'
	assert_equal "$(grep -c 198.51.100.10 <<<"$output")" 1
	printf 'example. NS ns1.nic-a.example.\nns1.nic-a.example. A 192.0.2.1\nns1.nic-a.example. AAAA 2001:db8::1\n' \
	    > "$BATS_TEST_TMPDIR/same.ns"
	runs zadd-bero-ns -n "$BATS_TEST_TMPDIR/same.ns" "$EX/example.zone"
	assert_success
	assert_output "$(zcanon "$EX/example.zone")"
}

@test "zadd-bero-ns -r: a host another delegation names keeps its glue" {
	# ns1.alpha.example serves alpha.example: it stays in the zone when
	# it leaves the apex.
	printf 'example. NS ns1.alpha.example.\n' > "$BATS_TEST_TMPDIR/alpha.ns"
	zadd-bero-ns -n "$BATS_TEST_TMPDIR/alpha.ns" "$EX/example.zone" \
	    > "$BATS_TEST_TMPDIR/with-alpha"
	runs zadd-bero-ns -r -n "$BATS_TEST_TMPDIR/alpha.ns" \
	    "$BATS_TEST_TMPDIR/with-alpha"
	assert_success
	assert_output "$(zcanon "$EX/example.zone")"
}

@test "zadd-bero-ns -r: refuses to leave the apex with fewer than two name servers" {
	runs zadd-bero-ns -r -n "$EX/a.ns" "$EX/example.zone"
	assert_trouble zadd-bero-ns \
	    "example.zone: the apex NS RRset would hold 0 name servers; RFC 1034 section 4.1"
	printf 'example. NS ns1.nic-a.example.\n' > "$BATS_TEST_TMPDIR/one.ns"
	runs zadd-bero-ns -r -n "$BATS_TEST_TMPDIR/one.ns" "$EX/example.zone"
	assert_trouble zadd-bero-ns "would hold 1 name server; RFC 1034"
}

@test "zadd-bero-ns: refuses a result with fewer than two name servers when adding too" {
	printf 'example. NS ns1.nic-a.example.\n' > "$BATS_TEST_TMPDIR/one.ns"
	runs zadd-bero-ns -n "$BATS_TEST_TMPDIR/one.ns" one-ns.zone
	assert_trouble zadd-bero-ns "one-ns.zone: the apex NS RRset would hold 1 name server"
	runs zadd-bero-ns -n "$EX/nic-b.ns" one-ns.zone
	assert_success
	assert_equal "$(grep -c '^example.	3600	IN	NS' <<<"$output")" 3
}

@test "zadd-bero-ns: records the fragment repeats are added once" {
	cat "$EX/nic-b.ns" "$EX/nic-b.ns" > "$BATS_TEST_TMPDIR/twice.ns"
	runs zadd-bero-ns -n "$BATS_TEST_TMPDIR/twice.ns" "$EX/example.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat add-b.out)"
}
