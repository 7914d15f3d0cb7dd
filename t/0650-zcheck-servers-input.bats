#!/usr/bin/env bats
# zcheck-servers: operands, the fragment (-n), the DS set (-d), options,
# exit statuses, and the addresses it must not query.  Nothing here sends
# a packet: every address is one that is reported and never queried
# (special-purpose space without -L, or space that -L does not open).
load helper

setup() {
	cd "$DATA/zcheck-servers"
	EX=$DATA/examples
}

@test "zcheck-servers: usage without a zone, trouble without a server" {
	usage_is_synopsis zcheck-servers
	runs zcheck-servers example.
	assert_trouble zcheck-servers "no server given"
	usage_is_synopsis zcheck-servers -x example. ns1.example=192.0.2.1
}

@test "zcheck-servers: bad operands and option values are trouble, not findings" {
	runs zcheck-servers example. ns1.example=192.0.2.300
	assert_trouble zcheck-servers "ns1.example=192.0.2.300: 192.0.2.300 is not an IPv4 or IPv6 address"
	runs zcheck-servers example. ns1.example=192.0.2.1@0
	assert_trouble zcheck-servers "is not an IPv4 or IPv6 address"
	runs zcheck-servers example. 'ns1..example=192.0.2.1'
	assert_trouble zcheck-servers "not a host name"
	runs zcheck-servers -P 70000 example. ns1.example=192.0.2.1
	assert_trouble zcheck-servers "-P 70000: not a port"
	runs zcheck-servers -W 0 example. ns1.example=192.0.2.1
	assert_trouble zcheck-servers "-W 0: not a time-out"
	runs zcheck-servers -t yesterday example. ns1.example=192.0.2.1
	assert_trouble zcheck-servers "-t yesterday: not a time"
}

@test "zcheck-servers: a server without an address is trouble: names are never looked up" {
	runs zcheck-servers example. ns1.example=192.0.2.1 ns.op-a.net
	assert_trouble zcheck-servers "ns.op-a.net.: no address: give it as ns.op-a.net.=address"
	runs zcheck-servers -n nic.ns example.
	assert_trouble zcheck-servers "ns.op-a.net.: no address"
}

@test "zcheck-servers: the fragment gives the servers and their glue; addresses outside the fragment with name=address" {
	runs zcheck-servers -n nic.ns example. ns.op-a.net=203.0.113.9
	assert_failure 1
	assert_output - <<EOF
zcheck-servers: ns.op-a.net./203.0.113.9: documentation address (203.0.113.0/24, RFC 5737): not queried without -L (RFC 6890)
EOF
	runs zcheck-servers -n nic.ns example. ns1.nic-a.example ns2.nic-a.example ns.op-a.net=203.0.113.9
	assert_failure 1
	assert_line -n 0 "zcheck-servers: ns1.nic-a.example./192.0.2.1: documentation address (192.0.2.0/24, RFC 5737): not queried without -L (RFC 6890)"
	assert_line -n 1 "zcheck-servers: ns1.nic-a.example./2001:db8::1: documentation address (2001:db8::/32, RFC 3849): not queried without -L (RFC 6890)"
	assert_line -n 2 "zcheck-servers: ns2.nic-a.example./198.51.100.2: documentation address (198.51.100.0/24, RFC 5737): not queried without -L (RFC 6890)"
	assert_equal "${#lines[@]}" 4
}

@test "zcheck-servers: \$INCLUDE in the fragment is refused before anything is read" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	printf 'example. NS ns1.example.\n$INCLUDE %s\n' "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/f"
	# A FIFO nobody writes to: opening it would hang the run.
	runs timeout 10 zcheck-servers -n "$BATS_TEST_TMPDIR/f" example.
	assert_trouble zcheck-servers "f:2: \\\$INCLUDE .*fifo: not allowed"
	runs zcheck-servers -n include.ns example.
	assert_trouble zcheck-servers "include.ns:2: \\\$INCLUDE /etc/passwd: not allowed"
}

@test "zcheck-servers: the fragment holds only the NS RRset and address records" {
	runs zcheck-servers -n soa.ns example.
	assert_trouble zcheck-servers "soa.ns:2: .*only the zone's NS records and address records"
	printf 'other. NS ns1.example.\nns1.example. A 192.0.2.1\n' > "$BATS_TEST_TMPDIR/f"
	runs zcheck-servers -n "$BATS_TEST_TMPDIR/f" example.
	assert_trouble zcheck-servers "only the zone's NS records"
	printf 'example. NS ns1.example.\nns9.example. A 192.0.2.1\n' > "$BATS_TEST_TMPDIR/f"
	runs zcheck-servers -n "$BATS_TEST_TMPDIR/f" example.
	assert_trouble zcheck-servers "address of a host that no NS record of the fragment names"
	runs zcheck-servers -n "$BATS_TEST_TMPDIR/none" example.
	assert_trouble zcheck-servers "none: No such file"
}

@test "zcheck-servers: the fragment may come from standard input" {
	runs zcheck-servers -n - example. ns.op-a.net=203.0.113.9 < nic.ns
	assert_failure 1
	assert_output "zcheck-servers: ns.op-a.net./203.0.113.9: documentation address (203.0.113.0/24, RFC 5737): not queried without -L (RFC 6890)"
}

@test "zcheck-servers: the fragment and the DS set cannot both be standard input" {
	runs zcheck-servers -n - -D - example. < nic.ns
	assert_trouble zcheck-servers "cannot both be standard input"
}

@test "zcheck-servers: -D holds DS records of the zone only" {
	runs zcheck-servers -D ds-other.ds example. ns1.example=192.0.2.1 ns2.example=192.0.2.2
	assert_trouble zcheck-servers "ds-other.ds:1: .*not a DS record of example."
	runs zcheck-servers -D nic.ns example. ns1.example=192.0.2.1 ns2.example=192.0.2.2
	assert_trouble zcheck-servers "not a DS record of example."
	runs zcheck-servers -D include.ns example. ns1.example=192.0.2.1 ns2.example=192.0.2.2
	assert_trouble zcheck-servers "INCLUDE /etc/passwd: not allowed"
}

@test "zcheck-servers: check 1: one name server, a bad host name, the same address twice" {
	runs zcheck-servers example. ns1.example=192.0.2.1
	assert_failure 1
	assert_line "zcheck-servers: example.: 1 name server: at least two are required (RFC 1034 section 4.1; IANA)"
	runs zcheck-servers example. ns_1.example=192.0.2.1 -ns2.example=192.0.2.2
	assert_line "zcheck-servers: ns_1.example.: not a valid host name (RFC 1123 section 2.1)"
	assert_line "zcheck-servers: -ns2.example.: not a valid host name (RFC 1123 section 2.1)"
	runs zcheck-servers example. ns1.example=192.0.2.1 ns2.example=192.0.2.1
	assert_line "zcheck-servers: ns2.example./192.0.2.1: the same address as ns1.example./192.0.2.1 (IANA: distinct addresses)"
}

@test "zcheck-servers: every kind of special-purpose address is reported and not queried" {
	runs zcheck-servers -W 0.1 example. a.example=10.1.2.3,100.64.0.1,172.16.5.5,192.168.1.1,127.0.0.1,::1 \
	    b.example=169.254.0.1,fe80::1,224.0.0.1,ff02::1,0.1.2.3,240.0.0.1,255.255.255.255,192.0.0.1,198.18.0.1,::,::ffff:192.0.2.1,100::1,2001:2::1,fc00::1,3fff::1,4000::1
	assert_failure 1
	assert_output - <<'EOF'
zcheck-servers: a.example./10.1.2.3: private address (10.0.0.0/8, RFC 1918): not queried without -L (RFC 6890)
zcheck-servers: a.example./100.64.0.1: private address (100.64.0.0/10, RFC 6598, shared address space): not queried without -L (RFC 6890)
zcheck-servers: a.example./172.16.5.5: private address (172.16.0.0/12, RFC 1918): not queried without -L (RFC 6890)
zcheck-servers: a.example./192.168.1.1: private address (192.168.0.0/16, RFC 1918): not queried without -L (RFC 6890)
zcheck-servers: a.example./127.0.0.1: loopback address (127.0.0.0/8, RFC 1122 section 3.2.1.3): not queried without -L (RFC 6890)
zcheck-servers: a.example./::1: loopback address (::1/128, RFC 4291): not queried without -L (RFC 6890)
zcheck-servers: b.example./169.254.0.1: link-local address (169.254.0.0/16, RFC 3927): not queried (RFC 6890)
zcheck-servers: b.example./fe80::1: link-local address (fe80::/10, RFC 4291): not queried (RFC 6890)
zcheck-servers: b.example./224.0.0.1: multicast address (224.0.0.0/4, RFC 5771): not queried (RFC 6890)
zcheck-servers: b.example./ff02::1: multicast address (ff00::/8, RFC 4291): not queried (RFC 6890)
zcheck-servers: b.example./0.1.2.3: reserved address (0.0.0.0/8, RFC 791, "this network"): not queried (RFC 6890)
zcheck-servers: b.example./240.0.0.1: reserved address (240.0.0.0/4, RFC 1112 section 4, and 255.255.255.255 RFC 919): not queried (RFC 6890)
zcheck-servers: b.example./255.255.255.255: reserved address (240.0.0.0/4, RFC 1112 section 4, and 255.255.255.255 RFC 919): not queried (RFC 6890)
zcheck-servers: b.example./192.0.0.1: reserved address (192.0.0.0/24, RFC 6890, IETF protocol assignments): not queried (RFC 6890)
zcheck-servers: b.example./198.18.0.1: reserved address (198.18.0.0/15, RFC 2544, benchmarking): not queried (RFC 6890)
zcheck-servers: b.example./::: reserved address (::/128, RFC 4291, unspecified address): not queried (RFC 6890)
zcheck-servers: b.example./::ffff:192.0.2.1: reserved address (::ffff:0:0/96, RFC 4291, IPv4-mapped): not queried (RFC 6890)
zcheck-servers: b.example./100::1: reserved address (100::/64, RFC 6666, discard-only): not queried (RFC 6890)
zcheck-servers: b.example./2001:2::1: reserved address (2001::/23, RFC 2928, IETF protocol assignments): not queried (RFC 6890)
zcheck-servers: b.example./fc00::1: private address (fc00::/7, RFC 4193, unique local): not queried without -L (RFC 6890)
zcheck-servers: b.example./3fff::1: documentation address (3fff::/20, RFC 9637): not queried without -L (RFC 6890)
zcheck-servers: b.example./4000::1: reserved address (::/0, RFC 4291 section 2.4, not allocated as global unicast): not queried (RFC 6890)
zcheck-servers: example.: warning: the referral with the glue of every host is 775 octets, more than 512: without EDNS it is truncated (RFC 9471 section 3)
EOF
}

@test "zcheck-servers: -L opens loopback, private and documentation space only" {
	runs zcheck-servers -L example. a.example=169.254.0.1,224.0.0.1 b.example=ff02::1,240.0.0.1
	assert_failure 1
	assert_line -n 0 "zcheck-servers: a.example./169.254.0.1: link-local address (169.254.0.0/16, RFC 3927): not queried (RFC 6890)"
	assert_equal "${#lines[@]}" 4
}

@test "zcheck-servers: addresses with a port, IPv6 in brackets or not" {
	runs zcheck-servers example. a.example=[2001:db8::1]@5353,192.0.2.1@53 b.example=2001:db8::2@54
	assert_failure 1
	assert_line -n 0 "zcheck-servers: a.example./2001:db8::1@5353: documentation address (2001:db8::/32, RFC 3849): not queried without -L (RFC 6890)"
	assert_line -n 1 "zcheck-servers: a.example./192.0.2.1@53: documentation address (192.0.2.0/24, RFC 5737): not queried without -L (RFC 6890)"
	assert_line -n 2 "zcheck-servers: b.example./2001:db8::2@54: documentation address (2001:db8::/32, RFC 3849): not queried without -L (RFC 6890)"
}

@test "zcheck-servers: -q says nothing, the status says it all" {
	runs zcheck-servers -q example. a.example=192.0.2.1 b.example=192.0.2.2
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" ""
}

@test "zcheck-servers: -j is one JSON object with the findings and a summary" {
	command -v jq > /dev/null || skip "jq not installed"
	runs zcheck-servers -j example. a.example=192.0.2.1 b.example=192.0.2.2
	assert_failure 1
	run jq -r '.zone, (.findings[] | "\(.check) \(.kind) \(.where) \(.address)"), (.summary.servers[] | "\(.address) \(.class) \(.queried) \(.serial)"), .summary.problems, .summary.referral.minimal' <<< "$output"
	assert_output - <<'EOF'
example.
1 problem a.example./192.0.2.1 192.0.2.1
1 problem b.example./192.0.2.2 192.0.2.2
9 warning example. null
192.0.2.1 documentation false null
192.0.2.2 documentation false null
2
319
EOF
}

@test "zcheck-servers: the worked example of the page: 408 octets minimal, 484 with every host's glue" {
	cat "$EX/a.ns" "$EX/nic-b.ns" > "$BATS_TEST_TMPDIR/ab.ns"
	runs zcheck-servers -v -n "$BATS_TEST_TMPDIR/ab.ns" example. ns2.nic-b.net=192.0.2.53
	assert_failure 1
	assert_line "referral: 408 octets minimal, 484 with all glue; network diversity is not checked"
	# Without the address of the host outside the zone: 468.
	runs zcheck-servers -v -n "$BATS_TEST_TMPDIR/ab.ns" example. ns1.nic-a.example
	assert_line "referral: 408 octets minimal, 468 with all glue; network diversity is not checked"
}

@test "zcheck-servers: globally reachable space, and the exceptions inside special blocks (lib/netaddr.c)" {
	build_driver "$TOP/t/tools/zcs-netaddr.c" "$BATS_TEST_TMPDIR/netaddr"
	run "$BATS_TEST_TMPDIR/netaddr" 193.0.14.129 192.0.0.9 192.0.0.10 \
	    192.0.0.8 2001:7fd::1 2001:1::1 2001:1::3 2001:4:112::1 \
	    2001:20::1 2001:3::1 64:ff9b::1 64:ff9b:1::1 2002::1 \
	    '[2001:db8::1]@53' 192.0.2.1@65535 1.2.3 192.0.2.1@ ::1@0 fe80::1%lo
	assert_success
	assert_output - <<'OUT'
193.0.14.129 global 0.0.0.0/0
192.0.0.9 global 192.0.0.9/32
192.0.0.10 global 192.0.0.10/32
192.0.0.8 reserved 192.0.0.0/24
2001:7fd::1 global 2000::/3
2001:1::1 global 2001:1::1/128
2001:1::3 reserved 2001::/23
2001:4:112::1 global 2001:4:112::/48
2001:20::1 global 2001:20::/28
2001:3::1 global 2001:3::/32
64:ff9b::1 global 64:ff9b::/96
64:ff9b:1::1 reserved 64:ff9b:1::/48
2002::1 global 2000::/3
2001:db8::1@53 documentation 2001:db8::/32
192.0.2.1@65535 documentation 192.0.2.0/24
1.2.3 bad
192.0.2.1@ bad
::1@0 bad
fe80::1%lo bad
OUT
}
