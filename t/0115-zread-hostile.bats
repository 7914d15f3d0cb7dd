#!/usr/bin/env bats
# The reader on hostile and unusual input (issue 11): the largest legal
# records, malformed type bit maps, TTLs over 2^31-1, unpadded NSEC3
# hashes, $INCLUDE where it is not wanted, unclosed parentheses and
# quotes, AXFR transcripts.
load helper

# A 255-octet owner (RFC 1035 section 3.1): labels of 63, 63, 63 and 61.
long_owner() {
	local c d
	c=$(printf 'c%.0s' {1..63})
	d=$(printf 'd%.0s' {1..61})
	printf '%s.%s.%s.%s.' "$c" "$c" "$c" "$d"
}

# The RDATA of the largest TXT: 255 strings of 255 octets and one of
# 254, 65,535 octets with their lengths (RFC 1035 section 3.3.14).
max_txt() {
	local a b i
	a=$(printf 'a%.0s' {1..255})
	b=$(printf 'b%.0s' {1..254})
	for ((i = 0; i < 255; i++)); do
		printf '"%s" ' "$a"
	done
	printf '"%s"' "$b"
}

@test "reader: the largest TXT and the largest \\# record pass through (zpipe batch)" {
	local t=$BATS_TEST_TMPDIR o txt
	o=$(long_owner)
	txt=$(max_txt)
	{
		printf '. 60 IN SOA ns. h. 1 2 3 4 5\n'
		printf '%s 60 IN TXT %s\n' "$o" "$txt"
		printf 'x. 60 IN TXT %s\n' "$txt"
		printf '%s 60 IN TYPE65280 \\# 65535 ' "$o"
		head -c 65535 /dev/zero | tr '\0' '\253' | od -An -v -tx1 | tr -d ' \n'
		printf '\n'
	} > "$t/big.zone"
	runs zcanon "$t/big.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 4
	printf '%s\n' "$output" > "$t/once"
	# The TXT's text is 65,535 octets less the 256 lengths, quoted.
	[[ "$(grep -c "^x\\.	60	IN	TXT	\"a" "$t/once")" == 1 ]]
	grep -q "	TYPE65280	\\\\# 65535 abab" "$t/once"
	runs zcanon "$t/once"
	assert_success
	assert_equal "$output" "$(cat "$t/once")"
	runs zcanon < "$t/big.zone"
	assert_success
	assert_equal "$output" "$(cat "$t/once")"
}

@test "reader: many of the largest records, stored on a second thread" {
	local t=$BATS_TEST_TMPDIR txt i
	txt=$(max_txt)
	{
		printf '. 60 IN SOA ns. h. 1 2 3 4 5\n'
		for ((i = 0; i < 24; i++)); do
			printf 'x%d. 60 IN TXT %s\n' "$i" "$txt"
			printf 'y%d. 60 IN A 192.0.2.1\n' "$i"
		done
	} > "$t/many.zone"
	[ "$(stat -c %s "$t/many.zone")" -gt 1048576 ]
	runs zcanon "$t/many.zone"
	assert_success
	assert_equal "${#lines[@]}" 49
}
