#!/usr/bin/env bats
# zmerge-dnskey: input and output conventions, exit statuses, bad input.
load helper

setup() {
	cd "$DATA/zmerge-dnskey"
	EX=$DATA/examples
	KSK_B=$EX/Kexample.+013+62651.key
	ZSK_B=$EX/Kexample.+013+48585.key
}

@test "zmerge-dnskey: reads the zone from standard input, without an operand or with -" {
	runs zmerge-dnskey -k "$KSK_B" -k "$ZSK_B" < a.zone
	assert_success
	assert_output "$(cat merge-b.out)"
	runs zmerge-dnskey -k "$KSK_B" -k "$ZSK_B" - < a.zone
	assert_success
	assert_output "$(cat merge-b.out)"
}

@test "zmerge-dnskey: reads a key file or a fragment from standard input" {
	runs zmerge-dnskey -k - -k "$ZSK_B" a.zone < "$KSK_B"
	assert_success
	assert_output "$(cat merge-b.out)"
	runs zmerge-dnskey -k "$EX/Kexample.+013+05021.key" -k "$EX/Kexample.+013+40244.key" -f - b.zone < a-dnskey.frag
	assert_success
	assert_output "$(cat import-a.out)"
}

@test "zmerge-dnskey: standard input is read only once" {
	runs zmerge-dnskey -k - a.zone < "$KSK_B"
	assert_success
	runs zmerge-dnskey -k - < a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: standard input can be read only once$"
	runs zmerge-dnskey -k - -f - a.zone < a.zone
	assert_trouble zmerge-dnskey "standard input can be read only once"
}

@test "zmerge-dnskey -o: writes the file, nothing on standard output; may name the input" {
	cp a.zone "$BATS_TEST_TMPDIR/z"
	runs zmerge-dnskey -k "$KSK_B" -k "$ZSK_B" -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/z"
	assert_success
	assert_output ""
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "$(cat merge-b.out)"
	runs zmerge-dnskey -k "$KSK_B" -k "$ZSK_B" -o "$BATS_TEST_TMPDIR/z" "$BATS_TEST_TMPDIR/z"
	assert_success
	assert_output ""
	assert_equal "$(cat "$BATS_TEST_TMPDIR/z")" "$(cat merge-b.out)"
}

@test "zmerge-dnskey -o: a failing run leaves the old file untouched and no temporary file" {
	mkdir "$BATS_TEST_TMPDIR/d"
	cp a.zone "$BATS_TEST_TMPDIR/d/z"
	runs zmerge-dnskey -k rsa.key -o "$BATS_TEST_TMPDIR/d/z" "$BATS_TEST_TMPDIR/d/z"
	assert_trouble zmerge-dnskey "algorithms"
	cmp a.zone "$BATS_TEST_TMPDIR/d/z"
	assert_equal "$(ls "$BATS_TEST_TMPDIR/d")" "z"
	runs zmerge-dnskey -r -K 5021/13 -o "$BATS_TEST_TMPDIR/d/z" "$BATS_TEST_TMPDIR/d/z"
	assert_trouble zmerge-dnskey "SEP"
	cmp a.zone "$BATS_TEST_TMPDIR/d/z"
	assert_equal "$(ls "$BATS_TEST_TMPDIR/d")" "z"
}

@test "zmerge-dnskey: a write error is trouble" {
	runs zmerge-dnskey -k "$KSK_B" -o /nonexistent/dir/z a.zone
	assert_trouble zmerge-dnskey "/nonexistent/dir/z: create a temporary file beside it: No such file or directory"
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr bash -c "zmerge-dnskey -k '$KSK_B' a.zone > /dev/full"
	assert_equal "$status" 2
	[[ "$stderr" == "zmerge-dnskey: <stdout>: "* ]] || fail "stderr: $stderr"
}

@test "zmerge-dnskey -z: the origin of the zone, and of relative names in key files" {
	printf '@ 3600 DNSKEY 256 3 13 BpUJr59w2c6+JmFy57CDdAuQLx7a0yVRpntohrhZSQH/eeAGQgdEHR2TudEOV7EUxwWisss48vnzuKs0NC1izg==\n' \
	    > "$BATS_TEST_TMPDIR/rel.key"
	runs zmerge-dnskey -z example. -k "$KSK_B" -k "$BATS_TEST_TMPDIR/rel.key" a.zone
	assert_success
	assert_output "$(cat merge-b.out)"
	runs zmerge-dnskey -z other. -k "$KSK_B" a.zone
	assert_trouble zmerge-dnskey "a.zone:[0-9]+: SOA owner example. is not the origin other.$"
}

@test "zmerge-dnskey: usage errors exit 2 with the synopsis and nothing on standard output" {
	usage_is_synopsis zmerge-dnskey a.zone
	usage_is_synopsis zmerge-dnskey -k "$KSK_B" a.zone b.zone
	usage_is_synopsis zmerge-dnskey -x -k "$KSK_B" a.zone
}

@test "zmerge-dnskey: the SYNOPSIS of the man page is the usage message" {
	usage_is_synopsis zmerge-dnskey -y
}

@test "zmerge-dnskey: files that are not there are trouble" {
	runs zmerge-dnskey -k "$KSK_B" no-such.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: no-such.zone: No such file or directory$"
	runs zmerge-dnskey -k no-such.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: no-such.key: No such file or directory$"
}

@test "zmerge-dnskey: a key of unsupported algorithm 253" {
	runs zmerge-dnskey -k alg253.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: alg253.key:2: key [0-9]+/253: algorithm 253 is not supported$"
}

@test "zmerge-dnskey: a key without the zone-key flag" {
	runs zmerge-dnskey -k nonzone.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: nonzone.key:2: key [0-9]+/13: not a zone key \(flags 1; RFC 4034 section 2.1.1\)$"
	runs zmerge-dnskey -r -k nonzone.key a.zone
	assert_trouble zmerge-dnskey "nonzone.key:2: key [0-9]+/13: not a zone key"
}

@test "zmerge-dnskey: a key of protocol other than 3" {
	runs zmerge-dnskey -k proto2.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: proto2.key:2: key [0-9]+/13: protocol 2, not 3 \(RFC 4034 section 2.1.2\)$"
}

@test "zmerge-dnskey: a key owned by another name than the apex, in a file or a fragment" {
	runs zmerge-dnskey -k owner.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: owner.key:2: DNSKEY owner sub.example. is not the zone apex example.$"
	runs zmerge-dnskey -f owner.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: owner.key:2: DNSKEY owner sub.example. is not the zone apex example.$"
}

@test "zmerge-dnskey: a truncated record" {
	runs zmerge-dnskey -k truncated.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: truncated.key:2: "
}

@test "zmerge-dnskey: bad base64" {
	runs zmerge-dnskey -k badb64.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: badb64.key:2: .*[Bb]ase64"
}

@test "zmerge-dnskey: a key file with other records than DNSKEY" {
	runs zmerge-dnskey -k wrongtype.key a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: wrongtype.key:3: example. NS: a key file holds DNSKEY records only$"
}

@test "zmerge-dnskey: a key file or fragment without DNSKEY records" {
	runs zmerge-dnskey -k "$DATA/zadd-bero-ns/empty.ns" a.zone
	assert_trouble zmerge-dnskey "empty.ns: no DNSKEY record$"
	runs zmerge-dnskey -f "$EX/nic-b.ns" a.zone
	assert_trouble zmerge-dnskey "nic-b.ns: no DNSKEY record$"
}

@test "zmerge-dnskey: an \$INCLUDE of a file that does not exist" {
	runs zmerge-dnskey -f include.frag a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: include.frag:2: .*no-such-file.key"
}

@test "zmerge-dnskey: bad base64 in the zone" {
	runs zmerge-dnskey -k "$KSK_B" "$DATA/zadd-bero-ns/badb64.zone"
	assert_trouble zmerge-dnskey "badb64.zone:7: "
}
