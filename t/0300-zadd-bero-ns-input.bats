#!/usr/bin/env bats
# zadd-bero-ns: input and output conventions, exit statuses, bad input.
load helper

setup() {
	cd "$DATA/zadd-bero-ns"
	EX=$DATA/examples
}

@test "zadd-bero-ns: reads the zone from standard input, without an operand or with -" {
	runs zadd-bero-ns -n "$EX/nic-b.ns" < "$EX/example.zone"
	assert_success
	assert_output "$(cat add-b.out)"
	runs zadd-bero-ns -n "$EX/nic-b.ns" - < "$EX/example.zone"
	assert_success
	assert_output "$(cat add-b.out)"
}

@test "zadd-bero-ns: reads the fragment from standard input with -n -" {
	runs zadd-bero-ns -n - "$EX/example.zone" < "$EX/nic-b.ns"
	assert_success
	assert_output "$(cat add-b.out)"
}

@test "zadd-bero-ns: the zone and the fragment cannot both come from standard input" {
	runs zadd-bero-ns -n - < "$EX/example.zone"
	assert_trouble zadd-bero-ns "cannot both be standard input"
}

@test "zadd-bero-ns -o: writes the file, nothing on standard output; may name the input" {
	cp "$EX/example.zone" "$BATS_TEST_TMPDIR/z"
	runs zadd-bero-ns -n "$EX/nic-b.ns" -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/z"
	assert_success
	assert_output ""
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "$(cat add-b.out)"
	runs zadd-bero-ns -n "$EX/nic-b.ns" -o "$BATS_TEST_TMPDIR/z" "$BATS_TEST_TMPDIR/z"
	assert_success
	assert_output ""
	assert_equal "$(cat "$BATS_TEST_TMPDIR/z")" "$(cat add-b.out)"
}

@test "zadd-bero-ns -o: a failing run leaves the old file untouched and no temporary file" {
	mkdir "$BATS_TEST_TMPDIR/d"
	cp "$EX/example.zone" "$BATS_TEST_TMPDIR/d/z"
	runs zadd-bero-ns -r -n "$EX/a.ns" -o "$BATS_TEST_TMPDIR/d/z" "$BATS_TEST_TMPDIR/d/z"
	assert_trouble zadd-bero-ns "fewer|would hold 0"
	cmp "$EX/example.zone" "$BATS_TEST_TMPDIR/d/z"
	assert_equal "$(ls "$BATS_TEST_TMPDIR/d")" "z"
	runs zadd-bero-ns -n ns-not-apex.ns -o "$BATS_TEST_TMPDIR/d/z" "$BATS_TEST_TMPDIR/d/z"
	assert_trouble zadd-bero-ns "ns-not-apex.ns:1: "
	cmp "$EX/example.zone" "$BATS_TEST_TMPDIR/d/z"
	assert_equal "$(ls "$BATS_TEST_TMPDIR/d")" "z"
}

@test "zadd-bero-ns -o: an output directory that does not exist is trouble" {
	runs zadd-bero-ns -n "$EX/nic-b.ns" -o /nonexistent/dir/z "$EX/example.zone"
	assert_trouble zadd-bero-ns "/nonexistent/dir/z: create a temporary file beside it: No such file or directory"
}

@test "zadd-bero-ns: a write error on standard output is trouble" {
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr bash -c "zadd-bero-ns -n '$EX/nic-b.ns' '$EX/example.zone' > /dev/full"
	assert_equal "$status" 2
	[[ "$stderr" == "zadd-bero-ns: <stdout>: "* ]] || fail "stderr: $stderr"
}

@test "zadd-bero-ns -z: the origin of a zone written without \$ORIGIN" {
	runs zadd-bero-ns -z example. -n relative.ns relative.zone
	assert_success
	assert_output "$(cat add-b.out)"
}

@test "zadd-bero-ns -z: a zone whose SOA is not at the origin is trouble" {
	runs zadd-bero-ns -z other. -n "$EX/nic-b.ns" "$EX/example.zone"
	assert_trouble zadd-bero-ns "example.zone:5: SOA owner example. is not the origin other."
}

@test "zadd-bero-ns: usage errors exit 2 with the synopsis and nothing on standard output" {
	usage_is_synopsis zadd-bero-ns "$EX/example.zone"
	usage_is_synopsis zadd-bero-ns -n "$EX/nic-b.ns" "$EX/example.zone" "$EX/example.zone"
	usage_is_synopsis zadd-bero-ns -x -n "$EX/nic-b.ns" "$EX/example.zone"
}

@test "zadd-bero-ns: the SYNOPSIS of the man page is the usage message" {
	usage_is_synopsis zadd-bero-ns
}

@test "zadd-bero-ns: files that are not there are trouble" {
	runs zadd-bero-ns -n "$EX/nic-b.ns" no-such.zone
	assert_trouble zadd-bero-ns "^zadd-bero-ns: no-such.zone: No such file or directory$"
	runs zadd-bero-ns -n no-such.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: no-such.ns: No such file or directory$"
}

@test "zadd-bero-ns: an NS record not owned by the apex" {
	runs zadd-bero-ns -n ns-not-apex.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: ns-not-apex.ns:1: NS owner sub.example. is not the zone apex example.$"
}

@test "zadd-bero-ns: an in-bailiwick name server without glue" {
	runs zadd-bero-ns -n glue-missing.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: glue-missing.ns:2: ns3.nic-b.example. is in the zone example. but has no address record in the fragment or the zone: glue missing$"
}

@test "zadd-bero-ns: glue for a name outside the zone" {
	runs zadd-bero-ns -n glue-outside.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: glue-outside.ns:2: glue for ns2.nic-b.net., which is outside the zone example.$"
}

@test "zadd-bero-ns: an address record no NS record of the fragment needs" {
	runs zadd-bero-ns -n glue-orphan.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: glue-orphan.ns:3: address record of ns9.nic-b.example., which no NS record of the fragment names$"
}

@test "zadd-bero-ns: glue that differs from the host's addresses in the zone, adding or removing" {
	runs zadd-bero-ns -n glue-conflict.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: glue-conflict.ns:3: ns1.nic-a.example.: the fragment's addresses differ from the zone's \(192.0.2.1, 2001:db8::1\): glue must equal the host's address records$"
	runs zadd-bero-ns -r -n glue-conflict.ns add-b.out
	assert_trouble zadd-bero-ns "glue-conflict.ns:3: ns1.nic-a.example.: the fragment's addresses differ"
	# A subset of the zone's addresses differs too.
	printf 'example. NS ns1.nic-a.example.\nns1.nic-a.example. A 192.0.2.1\n' \
	    > "$BATS_TEST_TMPDIR/subset.ns"
	runs zadd-bero-ns -n "$BATS_TEST_TMPDIR/subset.ns" "$EX/example.zone"
	assert_trouble zadd-bero-ns "subset.ns:2: ns1.nic-a.example.: the fragment's addresses differ"
}

@test "zadd-bero-ns: records other than NS, A and AAAA in the fragment" {
	runs zadd-bero-ns -n other-type.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: other-type.ns:2: example. MX: only NS, A and AAAA records belong in a name-server fragment$"
}

@test "zadd-bero-ns: a fragment without NS records" {
	runs zadd-bero-ns -n empty.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: empty.ns: no NS record$"
}

@test "zadd-bero-ns: a truncated record in the fragment" {
	runs zadd-bero-ns -n truncated.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: truncated.ns:2: "
}

@test "zadd-bero-ns: an \$INCLUDE of a file that does not exist" {
	runs zadd-bero-ns -n include.ns "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: include.ns:1: .*does-not-exist.ns"
}

@test "zadd-bero-ns: bad base64 in the zone" {
	runs zadd-bero-ns -n "$EX/nic-b.ns" badb64.zone
	assert_trouble zadd-bero-ns "^zadd-bero-ns: badb64.zone:7: "
}

@test "zadd-bero-ns: a zone without SOA is trouble" {
	runs zadd-bero-ns -n "$EX/nic-b.ns" "$EX/a.ns"
	assert_trouble zadd-bero-ns "no SOA record"
}

@test "zadd-bero-ns: a fragment whose records are of another class" {
	printf 'example. CH NS ns1.nic-b.example.\n' > "$BATS_TEST_TMPDIR/ch.ns"
	runs zadd-bero-ns -n "$BATS_TEST_TMPDIR/ch.ns" "$EX/example.zone"
	assert_trouble zadd-bero-ns "ch.ns:1: "
}
