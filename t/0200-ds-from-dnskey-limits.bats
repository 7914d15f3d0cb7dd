#!/usr/bin/env bats
# ds-from-dnskey -z at the limit of a name's length: 255 octets in wire
# form (RFC 1035 section 2.3.4) are a name, 256 are refused with a
# message that says so, exit 2 and nothing on standard output (the
# parser once wrote the 256th octet past its buffer).

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

key() {
	printf '%s 3600 IN DNSKEY 257 3 13 %s\n' "$1" \
	    'mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=='
}

@test "limits: -z names of 254 and 255 octets in wire form are names" {
	local n
	for n in 254 255; do
		key "$(name_of_octets $n)" > k.zone
		runs ds-from-dnskey -z "$(name_of_octets $n)" k.zone
		assert_success
		assert_equal "$stderr" ""
		[[ "$output" == "$(name_of_octets $n)	3600	IN	DS	2371 13 2 "* ]] ||
		    fail "$n octets: $output"
	done
}

@test "limits: a -z name of 256 octets is refused: name too long" {
	key "$(name_of_octets 255)" > k.zone
	runs ds-from-dnskey -z "$(name_of_octets 256)" k.zone
	assert_trouble ds-from-dnskey "^ds-from-dnskey: -z $(name_of_octets 256): name too long"
	# The same on standard input, and for a name far longer.
	runs ds-from-dnskey -z "$(name_of_octets 256)" - < k.zone
	assert_trouble ds-from-dnskey "^ds-from-dnskey: -z $(name_of_octets 256): name too long"
	runs ds-from-dnskey -z "$(name_of_octets 200)$(name_of_octets 250)" k.zone
	assert_trouble ds-from-dnskey "name too long"
}
