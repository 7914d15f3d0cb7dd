#!/usr/bin/env bats
# zcheck-chain at the limits: -x names of 255 octets in wire form (RFC
# 1035 section 2.3.4) are names, 256 are refused with a message that
# says so (the parser once wrote the 256th octet past its buffer); a
# zone whose NSEC3 records or NSEC3PARAM ask more than 2,500 iterations
# (RFC 5155 section 10.3) is refused at the record before any name is
# hashed, and any count above 0 is a warning that says what validators
# make of it (RFC 9276 sections 3.1 and 3.2).

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/examples/example.signed" .
	NOW=20261201000000
}

@test "limits: -x names of 254 and 255 octets are names, absolute or relative" {
	local n
	for n in 254 255; do
		runs zcheck-chain -t $NOW -x "$(name_of_octets $n)" example.signed
		assert_success
		assert_equal "$stderr" ""
	done
	# Relative: completed with the apex example. (9 octets).
	runs zcheck-chain -t $NOW -x "$(name_of_octets 255 | sed 's/bbbbbbbb\.$//')/TXT" \
	    example.signed
	assert_success
}

@test "limits: a -x name of 256 octets is refused: name too long" {
	runs zcheck-chain -t $NOW -x "$(name_of_octets 256)" example.signed
	assert_trouble zcheck-chain "^zcheck-chain: -x $(name_of_octets 256): name too long"
	runs zcheck-chain -t $NOW -x "$(name_of_octets 256)/TXT" example.signed
	assert_trouble zcheck-chain "^zcheck-chain: -x $(name_of_octets 256)/TXT: name too long"
	# 248 octets and the apex's 9, less the one root label: 256.
	runs zcheck-chain -t $NOW -x "$(name_of_octets 248 | sed 's/\.$//')" example.signed
	assert_trouble zcheck-chain "name too long"
	# Longer than any name's text, even with every octet as \DDD.
	runs zcheck-chain -t $NOW -x "$(printf '%01100d' 0)" example.signed
	assert_trouble zcheck-chain "^zcheck-chain: -x 0+\.\.\.: name too long"
}

# signed ITERATIONS FILE: the sample zone signed with NSEC3 and that
# many iterations.
signed() {
	zresign -q -t $NOW -k "$DATA/examples/Kexample.+013+05021" \
	    -k "$DATA/examples/Kexample.+013+40244" -H "$1" -o "$2" \
	    "$DATA/examples/example.zone"
}

@test "limits: NSEC3 iterations above 0 are a warning that names the validators' limits" {
	local it
	for it in 1 2500; do
		signed $it h.zone
		runs zcheck-chain -t $NOW h.zone
		assert_success
		assert_output "zcheck-chain: warning: h.zone: example. NSEC3PARAM: $it extra iterations and 0 octets of salt; 0 and none are recommended, and validators treat counts above their limit (100 to 150 in practice, RFC 9276 appendix A) as insecure or answer SERVFAIL (RFC 9276 sections 3.1 and 3.2)"
	done
	signed 0 h.zone
	runs zcheck-chain -t $NOW h.zone
	assert_success
	assert_output ""
}

@test "limits: more than 2,500 NSEC3 iterations are refused at the record" {
	local line
	signed 5 h.zone
	sed 's/	NSEC3PARAM	1 0 5 -$/	NSEC3PARAM	1 0 2501 -/' h.zone > p.zone
	line=$(grep -n '	NSEC3PARAM	1 0 2501 -$' p.zone | cut -d: -f1)
	runs zcheck-chain -t $NOW p.zone
	assert_trouble zcheck-chain "^zcheck-chain: p.zone:$line: NSEC3PARAM iterations 2501: more than 2500 \\(RFC 5155 section 10.3\\)\$"
	# An NSEC3 record, in a zone given as an older version (-c).
	awk -F'\t' -v OFS='\t' '$4 == "NSEC3" && !done {
	    sub(/^1 0 5 /, "1 0 65535 ", $5); done = 1 } { print }' h.zone > n.zone
	line=$(grep -n '	NSEC3	1 0 65535 ' n.zone | cut -d: -f1)
	runs zcheck-chain -t $NOW -h n.zone h.zone
	assert_trouble zcheck-chain "^zcheck-chain: n.zone:$line: NSEC3 iterations 65535: more than 2500"
}
