#!/usr/bin/env bats
# zcheck-servers -O: IANA's rules that need no answer, checked on the
# delegation a file gives (a request with its DS records, a parent
# zone), by the code of the live run; nothing is sent.
load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	EX=$DATA/examples
}

# fourteen [n]: the NS RRset of n (14) one-letter hosts of example.,
# each with an A record, a DS record after them.
fourteen() {
	local i
	for i in a b c d e f g h i j k l m n; do
		printf 'example.\t172800\tIN\tNS\t%s.example.\n' "$i"
		printf '%s.example.\t172800\tIN\tA\t192.0.2.%d\n' "$i" "'$i"
	done | head -n $((2 * ${1:-14}))
	cat "$EX/ds-ab.ds"
}

@test "zcheck-servers -O: the request of the examples passes, DS records and all" {
	cat "$EX/a.ns" "$EX/nic-b.ns" "$EX/ds-ab.ds" > request.txt
	runs zcheck-servers -O -L -v -n request.txt example. ns2.nic-b.net=192.0.2.53
	assert_success
	assert_output --partial 'referral: 408 octets minimal, 484 with all glue'
	# The same as the live run counts it (t/0650).
	runs zcheck-servers -O -L -j -n request.txt example. ns2.nic-b.net=192.0.2.53
	assert_success
	[[ "$output" == *'"referral":{"minimal":408,"full":484}'* ]]
}

@test "zcheck-servers -O: fourteen name servers fit (no rule of 13); every host's glue a warning" {
	fourteen > many
	runs zcheck-servers -O -L -n many example.
	assert_success
	assert_line 'zcheck-servers: example.: warning: the referral with the glue of every host is 719 octets, more than 512: without EDNS it is truncated (RFC 9471 section 3)'
	runs zcheck-servers -O -L -v -n many example.
	assert_line 'referral: 511 octets minimal, 719 with all glue; network diversity is not checked'
	# One octet more in one name still fits (512); two do not.
	sed 's/\tn\.example\./\tnn.example./; s/^n\.example\./nn.example./' many > edge
	runs zcheck-servers -O -L -v -n edge example.
	assert_success
	assert_line 'referral: 512 octets minimal, 720 with all glue; network diversity is not checked'
	sed 's/\tn\.example\./\tnnn.example./; s/^n\.example\./nnn.example./' many > over
	runs zcheck-servers -O -L -n over example.
	assert_failure 1
	assert_line 'zcheck-servers: example.: the smallest referral (NS RRset, one A and one AAAA glue record, 255-octet query name) is 513 octets, more than 512 (RFC 1035 section 4.2.1; IANA)'
}

@test "zcheck-servers -O: names, addresses and glue, each finding naming its rule" {
	printf 'example.\t1\tIN\tNS\tns_1.example.\nns_1.example.\t1\tIN\tA\t192.0.2.1\n' > one
	runs zcheck-servers -O -L -n one example.
	assert_failure 1
	assert_line 'zcheck-servers: example.: 1 name server: at least two are required (RFC 1034 section 4.1; IANA)'
	assert_line 'zcheck-servers: ns_1.example.: not a valid host name (RFC 1123 section 2.1)'
	printf 'example.\t1\tIN\tNS\tns1.example.\nexample.\t1\tIN\tNS\tns2.example.\nexample.\t1\tIN\tNS\tns3.example.\nns1.example.\t1\tIN\tA\t192.0.2.1\nns2.example.\t1\tIN\tA\t192.0.2.1\n' > dup
	runs zcheck-servers -O -L -n dup example.
	assert_failure 1
	assert_line 'zcheck-servers: ns2.example./192.0.2.1: the same address as ns1.example./192.0.2.1 (IANA: distinct addresses)'
	assert_line 'zcheck-servers: ns3.example.: in the zone, but no glue (RFC 1034 section 4.2.1)'
	# Without -L a documentation address is none of a name server's;
	# loopback likewise; link-local even with -L.
	runs zcheck-servers -O -n "$EX/nic-b.ns" example.
	assert_failure 1
	assert_line "zcheck-servers: ns1.nic-b.example./203.0.113.1: documentation address (203.0.113.0/24, RFC 5737): not a name server's address without -L (RFC 6890)"
	printf 'example.\t1\tIN\tNS\tns1.example.\nexample.\t1\tIN\tNS\tns2.example.\nns1.example.\t1\tIN\tA\t169.254.0.1\nns2.example.\t1\tIN\tA\t192.0.2.2\n' > ll
	runs zcheck-servers -O -L -n ll example.
	assert_failure 1
	assert_output --partial "ns1.example./169.254.0.1: link-local address"
}

@test "zcheck-servers -O: a root zone's delegation, other records left; usage" {
	{
		printf '.\t86400\tIN\tSOA\ta.root-servers.test. nstld.root-servers.test. 1 1800 900 604800 86400\n'
		printf '.\t518400\tIN\tNS\ta.root-servers.test.\n'
		printf 'a.root-servers.test.\t518400\tIN\tA\t198.51.100.53\n'
		cat "$EX/a.ns" "$EX/ds-a.ds"
	} > root.zone
	runs zcheck-servers -O -L -v -n root.zone example.
	assert_success
	assert_output --partial 'referral: 3'
	runs zcheck-servers -O example.
	assert_trouble zcheck-servers '-O checks the delegation -n gives, without -D'
	runs zcheck-servers -O -D "$EX/ds-a.ds" -n root.zone example.
	assert_trouble zcheck-servers '-O checks the delegation -n gives, without -D'
	# Without -O, the request's DS records are no part of a fragment.
	runs zcheck-servers -L -n root.zone example.
	assert_equal "$status" 2
}
