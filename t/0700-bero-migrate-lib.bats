#!/usr/bin/env bats
# The pieces of scripts/lib.sh and its awk programs that the end-to-end
# runs do not reach one by one: RFC 1982 serials, the end of a zone
# transfer, IANA's rules for a delegation, signature expirations, the
# lab's exemption from the identical-data check.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# lib FUNCTION ARGS...: a function of lib.sh, run in bash with the
# sample TLD's settings.
lib() {
	BERO_SHARE=$TOP/scripts bash -c '. "$BERO_SHARE/lib.sh"
	    TLD=example. LAB_OPERATOR_TXT=${LAB:-no} ZCHECK_LAB_OPTS=${ZLAB:-}
	    TTL_ZONE=300 STEP=x
	    "$@"' lib "$@"
}

@test "serials: RFC 1982 order and the next serial after two" {
	run lib serial_gt 2 1
	assert_success
	run lib serial_gt 1 2
	assert_failure
	run lib serial_gt 1 4294967295
	assert_success
	run lib serial_gt 5 5
	assert_failure
	# 2^31 apart: undefined, so not greater (RFC 1982 section 3.2).
	run lib serial_gt 2147483648 0
	assert_failure
	run lib serial_next 2026112801 2026112803
	assert_output 2026112804
	run lib serial_next 4294967295 4294967290
	assert_output 0
	run lib serial_next 3 4294967295
	assert_output 4
}

@test "axfr_zone: the closing SOA goes; a cut or failed transfer fails" {
	printf 'example.   300 IN SOA a. b. 1 2 3 4 5\nexample.   300 IN NS ns1.example.\n;; comment\nns1.example. 300 IN A 192.0.2.1\nexample. 300 IN SOA a. b. 1 2 3 4 5\n' > x
	run lib axfr_zone < x
	assert_success
	assert_output 'example.   300 IN SOA a. b. 1 2 3 4 5
example.   300 IN NS ns1.example.
ns1.example. 300 IN A 192.0.2.1'
	head -n 4 x > cut
	run lib axfr_zone < cut
	assert_failure
	assert_output --partial 'the transfer of example. is incomplete'
	sed 1d x > nosoa
	run lib axfr_zone < nosoa
	assert_failure
	run lib axfr_zone < /dev/null
	assert_failure
}

@test "check_delegation: IANA's rules by zcheck-servers -O: the smallest referral, not a count of 13" {
	local i
	# Fourteen one-letter hosts with IPv4 glue, documentation addresses
	# in the lab: the smallest referral is 12 + 259 + 14 x 16 + 16 = 511
	# octets and fits; there is no rule of 13.  With every host's glue it
	# does not: a warning.
	for i in a b c d e f g h i j k l m n; do
		printf 'example.\t172800\tIN\tNS\t%s.example.\n' "$i"
		printf '%s.example.\t172800\tIN\tA\t192.0.2.%s\n' "$i" \
		    "$(printf '%d' "'$i")"
	done > many
	LAB_ADDRESSES=yes run lib check_delegation many
	assert_success
	assert_output --partial "ok: IANA's rules for the delegation in many (zcheck-servers -O)"
	assert_output --partial '  example.: warning: the referral with the glue of every host is 719 octets, more than 512'
	# Without the lab switch, a documentation address is no name
	# server's address (RFC 6890).
	run lib check_delegation many
	assert_output --partial 'step x: many: a.example./192.0.2.97: documentation address (192.0.2.0/24, RFC 5737): not a name server'"'"'s address without -L (RFC 6890)'
	refute_output --partial 'ok: '
	# Thirteen long names outside the TLD do not fit 512 octets; their
	# addresses come from ADDRS.
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do
		printf 'example.\t172800\tIN\tNS\tns%s.a-rather-long-name-server-host-name.net.\n' "$i"
	done > big
	ADDRS="ns1.a-rather-long-name-server-host-name.net.=192.0.2.1" \
	    LAB_ADDRESSES=yes run lib check_delegation big
	assert_output --partial 'step x: big: example.: the smallest referral (NS RRset, one A and one AAAA glue record, 255-octet query name) is'
	assert_output --partial 'more than 512 (RFC 1035 section 4.2.1; IANA)'
	# One name server, a bad host name, one address twice, a host in the
	# TLD without glue.
	printf 'example.\t1\tIN\tNS\tns_1.nic.example.\nns_1.nic.example.\t1\tIN\tA\t192.0.2.1\n' > one
	LAB_ADDRESSES=yes run lib check_delegation one
	assert_output --partial 'example.: 1 name server: at least two are required (RFC 1034 section 4.1; IANA)'
	assert_output --partial 'ns_1.nic.example.: not a valid host name (RFC 1123 section 2.1)'
	printf 'example.\t1\tIN\tNS\tns1.nic.example.\nexample.\t1\tIN\tNS\tns2.nic.example.\nns1.nic.example.\t1\tIN\tA\t192.0.2.1\nns2.nic.example.\t1\tIN\tA\t192.0.2.1\nexample.\t1\tIN\tNS\tns3.nic.example.\n' > dup
	LAB_ADDRESSES=yes run lib check_delegation dup
	assert_output --partial 'ns2.nic.example./192.0.2.1: the same address as ns1.nic.example./192.0.2.1 (IANA: distinct addresses)'
	assert_output --partial 'ns3.nic.example.: in the zone, but no glue (RFC 1034 section 4.2.1)'
}

@test "expiry.awk: RRSIG times to seconds, own keys apart from imported ones" {
	printf 'x.\t1\tIN\tRRSIG\tA 13 1 1 20270301000000 20261101000000 5021 example. AA==\nx.\t1\tIN\tRRSIG\tDNSKEY 13 1 1 20261201120000 20261101000000 62651 example. AA==\n' > s
	run awk -F '\t' -v own=' 5021/13 ' -f "$TOP/scripts/expiry.awk" s
	assert_output "$(date -u -d 2027-03-01 +%s) $(date -u -d '2026-12-01 12:00' +%s)"
	run awk -F '\t' -v own=' 1/8 ' -f "$TOP/scripts/expiry.awk" s
	assert_output "0 $(date -u -d '2026-12-01 12:00' +%s)"
}

@test "set_operator: rewritten or added in the lab, untouched elsewhere" {
	printf 'example.\t300\tIN\tSOA\ta. b. 7 2 3 4 5\n' > z
	run lib set_operator B < z
	assert_output "$(cat z)"
	LAB=yes run lib set_operator B < z
	assert_line "$(printf '_operator.example.\t300\tIN\tTXT\t"B"')"
	printf '_operator.example.\t300\tIN\tTXT\t"A"\n' >> z
	LAB=yes run lib set_operator B < z
	assert_output "$(printf 'example.\t300\tIN\tSOA\ta. b. 7 2 3 4 5\n_operator.example.\t300\tIN\tTXT\t"B"')"
}

