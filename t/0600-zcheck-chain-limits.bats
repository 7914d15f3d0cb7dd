#!/usr/bin/env bats
# zcheck-chain -x at the limit of a name's length: 255 octets in wire
# form (RFC 1035 section 2.3.4) are a name, 256 are refused with a
# message that says so, exit 2 and nothing on standard output (the
# parser once wrote the 256th octet past its buffer).

load helper

# name N [LAST]: an absolute name of N octets in wire form: three
# labels of 63 octets and one of N - 194.
name() {
	local l63 last
	l63=$(printf '%063d' 0 | tr 0 a)
	last=$(printf "%0$(($1 - 194))d" 0 | tr 0 b)
	printf '%s.%s.%s.%s.\n' "$l63" "$l63" "$l63" "$last"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/examples/example.signed" .
	NOW=20261201000000
}

@test "limits: -x names of 254 and 255 octets are names, absolute or relative" {
	local n
	for n in 254 255; do
		runs zcheck-chain -t $NOW -x "$(name $n)" example.signed
		assert_success
		assert_equal "$stderr" ""
	done
	# Relative: completed with the apex example. (9 octets).
	runs zcheck-chain -t $NOW -x "$(name 255 | sed 's/bbbbbbbb\.$//')/TXT" \
	    example.signed
	assert_success
}

@test "limits: a -x name of 256 octets is refused: name too long" {
	runs zcheck-chain -t $NOW -x "$(name 256)" example.signed
	assert_trouble zcheck-chain "^zcheck-chain: -x $(name 256): name too long"
	runs zcheck-chain -t $NOW -x "$(name 256)/TXT" example.signed
	assert_trouble zcheck-chain "^zcheck-chain: -x $(name 256)/TXT: name too long"
	# 248 octets and the apex's 9, less the one root label: 256.
	runs zcheck-chain -t $NOW -x "$(name 248 | sed 's/\.$//')" example.signed
	assert_trouble zcheck-chain "name too long"
	# Longer than any name's text, even with every octet as \DDD.
	runs zcheck-chain -t $NOW -x "$(printf '%01100d' 0)" example.signed
	assert_trouble zcheck-chain "^zcheck-chain: -x 0+\.\.\.: name too long"
}
