#!/usr/bin/env bats
# zadd-bero-ns -K -r: step 6 removes NS_A from the apex and, when the
# operator asks for nothing more, keeps NS_A's host address records
# (issue 13: the draft does not ask for their removal).
load helper

setup() {
	cd "$DATA/zadd-bero-ns"
	EX=$DATA/examples
}

@test "zadd-bero-ns -K -r: only the apex NS RRset changes; every address record of A's hosts stays" {
	runs zadd-bero-ns -K -r -n "$EX/a.ns" add-b.out
	assert_success
	assert_equal "$stderr" ""
	assert_line 'ns2.nic-a.example.	3600	IN	A	192.0.2.2'
	assert_line 'ns1.nic-a.example.	3600	IN	A	192.0.2.1'
	refute_line --regexp $'^example\\.\t[0-9]+\tIN\tNS\tns[12]\\.nic-a\\.'
	# What -r alone removes, less the address of ns2: the apex NS only.
	diff <(zadd-bero-ns -r -n "$EX/a.ns" add-b.out) <(printf '%s\n' "$output") |
	    grep '^[<>]' > "$BATS_TEST_TMPDIR/d" || true
	assert_equal "$(cat "$BATS_TEST_TMPDIR/d")" '> ns2.nic-a.example.	3600	IN	A	192.0.2.2'
}

@test "zadd-bero-ns -K -r: in a signed zone the kept addresses keep their signatures" {
	runs zadd-bero-ns -K -r -n "$EX/nic-b.ns" signed-2b.zone
	assert_success
	assert_line --partial $'ns1.nic-b.example.\t'
	assert_equal "$(grep -c '^ns1\.nic-b\.example\..*RRSIG' <<<"$output")" \
	    "$(zcanon signed-2b.zone | grep -c '^ns1\.nic-b\.example\..*RRSIG')"
	refute_line --partial $'\tRRSIG\tNS 13 1 '
}

@test "zadd-bero-ns -K without -r: a usage error" {
	usage_is_synopsis zadd-bero-ns -K -n "$EX/a.ns" add-b.out
}
