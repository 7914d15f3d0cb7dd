#!/usr/bin/env bats
# zadd-bero-ns and the records a host of the zone may have beside its
# addresses: a TXT sorts between A and AAAA and is not an address; an A
# in RFC 3597 generic form may be long.  Glue is compared with the
# address records only, and the message that lists them holds every one
# whole (it was once written into 64 octets on the stack).

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	EX=$DATA/examples
	FR=$DATA/zadd-bero-ns
	TXT='"a text of more than sixty-four characters, which once overflowed the buffer"'
	{ cat "$EX/example.zone"; printf 'ns1.nic-a\tIN TXT\t%s\n' "$TXT"; } > txt.zone
}

@test "limits: a TXT beside a host's addresses is not an address: the same glue adds, and removes" {
	runs zadd-bero-ns -n "$EX/a.ns" txt.zone
	assert_success
	assert_equal "$stderr" ""
	assert_line "ns1.nic-a.example.	3600	IN	TXT	$TXT"
	runs zadd-bero-ns -n "$EX/nic-b.ns" -o added.zone txt.zone
	assert_success
	runs zadd-bero-ns -r -n "$EX/a.ns" added.zone
	assert_success
	# A's name servers leave the apex; the TXT stays, and so do the
	# addresses, which the delegation of nic-a still needs.
	refute_line "example.	3600	IN	NS	ns1.nic-a.example."
	assert_line "ns1.nic-a.example.	3600	IN	TXT	$TXT"
	assert_line "ns1.nic-a.example.	3600	IN	AAAA	2001:db8::1"
}

@test "limits: glue that differs, with a TXT beside the addresses: the message lists the addresses only" {
	runs zadd-bero-ns -n "$FR/glue-conflict.ns" txt.zone
	assert_trouble zadd-bero-ns "^zadd-bero-ns: $FR/glue-conflict.ns:3: ns1.nic-a.example.: the fragment's addresses differ from the zone's \(192.0.2.1, 2001:db8::1\): glue must equal the host's address records$"
}

@test "limits: an A in generic form of 1,000 octets is listed whole" {
	local hex
	hex=$(printf '%02000d' 0)
	{ cat "$EX/example.zone"; printf 'ns1.nic-a IN A \\# 1000 %s\n' "$hex"; } > long.zone
	runs zadd-bero-ns -n "$FR/glue-conflict.ns" long.zone
	assert_trouble zadd-bero-ns "^zadd-bero-ns: $FR/glue-conflict.ns:3: ns1.nic-a.example.: the fragment's addresses differ from the zone's \(\\\\# 1000 $hex, 192.0.2.1, 2001:db8::1\): glue must equal the host's address records$"
	echo old > out.zone
	runs zadd-bero-ns -n "$FR/glue-conflict.ns" -o out.zone long.zone
	assert_equal "$status" 2
	assert_equal "$(cat out.zone)" old
	assert_equal "$(ls | grep -c tmp)" 0
}
