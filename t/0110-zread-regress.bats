#!/usr/bin/env bats
# Regressions found by fuzzing the reader and writer (fuzz/README):
# every reproducer in fuzz/crashes/ runs here on the real programs.
load helper

C=$TOP/fuzz/crashes

@test "reader: a NUL byte in a record to rejoin does not hang (fuzz bug 1)" {
	runs timeout 20 zcanon -F "$C/zread-nul-hang.zone"
	assert_trouble zcanon 'zread-nul-hang.zone:1: '
	runs timeout 20 zcanon -F < "$C/zread-nul-hang.zone"
	assert_trouble zcanon '<stdin>:1: '
}

@test "reader: quoted newlines and parentheses in a rejoined field (fuzz bugs 2, 3)" {
	# Bad base64 either way; what matters is a clean error, not a crash,
	# and the line of the record the reader stopped at.
	runs timeout 20 zcanon -F "$C/zread-quote-overflow.zone"
	assert_equal "$status" 2
	assert_equal "$output" ""
	[[ "$stderr" == "zcanon: $C/zread-quote-overflow.zone:"* ]]
}

@test "reader: line numbers after a rejoined record stay those of the file" {
	# Base64 in chunks of 3 characters needs the rejoin; line 5 is bad.
	printf '%s\n' 'k.example. 60 IN DNSKEY 257 3 13 ( ; a comment' \
	    'AwE AAb CDE FGH ; "quoted" (' 'IJK L )' '; line 4' \
	    'x.example. 60 IN A 192.0.2' > "$BATS_TEST_TMPDIR/l.zone"
	runs zcanon -F "$BATS_TEST_TMPDIR/l.zone"
	assert_trouble zcanon 'l.zone:5: invalid IPv4 address'
}

@test "writer: every name it writes reads back as the same name (fuzz bug 4)" {
	zcanon -F "$C/zread-roundtrip-escape.zone" > "$BATS_TEST_TMPDIR/once"
	runs zcanon -F "$BATS_TEST_TMPDIR/once"
	assert_success
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/once")"
	printf 'a\\#b\\!c\\+d\\~e.example. 60 IN A 192.0.2.1\n' > "$BATS_TEST_TMPDIR/e.zone"
	runs zcanon -F "$BATS_TEST_TMPDIR/e.zone"
	assert_success
	assert_output 'a\#b\!c\+d\~e.example.	60	IN	A	192.0.2.1'
}

@test "writer: names are never taken from a freed zone's cache (fuzz bug 5)" {
	build_driver "$C/stale-cache.c" "$BATS_TEST_TMPDIR/stale-cache"
	runs "$BATS_TEST_TMPDIR/stale-cache"
	assert_success
	assert_output '0 of 2000 zones written with another zone'"'"'s names'
}
