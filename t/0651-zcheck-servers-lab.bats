#!/usr/bin/env bats
# zcheck-servers against real name servers (issue 12): NSD serving the
# zone right and wrong, an Unbound answering recursively as if it were a
# name server, and relays (t/tools/zcs-relay.c) that refuse TCP, answer
# from another address or never answer, all on 127.0.0.0/8 above port
# 1024, in a network namespace of the file's own when one can be made
# (t/lab/servers.sh).  Each fault has its own test with its exact
# finding.

load helper
. "$BATS_TEST_DIRNAME/lab/servers.sh"

T=20261206120000

# The zone every server serves, right or wrong: NS targets outside the
# zone (no glue to compare), so each test sees only its own fault.
good_zone() {
	zcs_zone "$1" example. "$2" "${@:3}" <<EOF
www A 127.0.0.80
EOF
}

# The NS RRset and glue of a delegation of ORIGIN: n hosts nsK.ORIGIN,
# each with an A record in 127.P.K.0/24 and, with "v6", from the second
# host on, an AAAA record in a /48 of its own.
deleg() {
	local o=$1 n=$2 p=$3 v6=${4:-} k
	for k in $(seq "$n"); do
		printf '%s 3600 IN NS ns%s.%s\n' "$o" "$k" "$o"
	done
	for k in $(seq "$n"); do
		printf 'ns%s.%s 3600 IN A 127.%s.%s.1\n' "$k" "$o" "$p" "$k"
		[ -z "$v6" ] || [ "$k" = 1 ] ||
		    printf 'ns%s.%s 3600 IN AAAA fd00:%s::1\n' "$k" "$o" "$k"
	done
}

# Operator A's and B's name servers for the timing: 8 hosts of the zone,
# 2 addresses each, in /24s of their own.
perf_frag() {
	local k op i
	for op in a b; do
		for i in 1 2 3 4; do
			printf 'example. 3600 IN NS ns%s.nic-%s.example.\n' \
			    "$i" "$op"
		done
	done
	k=0
	for op in a b; do
		for i in 1 2 3 4; do
			k=$((k + 1))
			printf 'ns%s.nic-%s.example. 3600 IN A 127.3.%s.1\n' \
			    "$i" "$op" "$k"
			printf 'ns%s.nic-%s.example. 3600 IN A 127.4.%s.1\n' \
			    "$i" "$op" "$k"
		done
	done
}

perf_addrs() {
	local k
	for k in "$@"; do
		printf '127.3.%s.1 127.4.%s.1 ' "$k" "$k"
	done
}

setup_file() {
	local d v6
	zcs_start "$BATS_FILE_TMPDIR/zcs"
	[ -z "$ZCS_SKIP" ] || return 0
	d=$ZCS_DIR
	NS2="ns1.op-a.net. ns2.op-a.net."
	good_zone "$d/good.zone" 2026120602 $NS2
	good_zone "$d/old.zone" 2026120601 $NS2
	good_zone "$d/nsdiff.zone" 2026120602 ns1.op-a.net. ns3.op-a.net.
	zcs_sign "$d/good.zone" "$d/good.signed" a
	zcs_sign "$d/old.zone" "$d/old.signed" a
	zcs_sign "$d/good.zone" "$d/bkeys.signed" b
	zcs_sign "$d/nsdiff.zone" "$d/nsdiff.signed" a
	zcs_zone "$d/other.zone" other. 1 ns.other. < /dev/null
	zcs_zone "$d/root.zone" . 1 a.root.lab. < /dev/null
	deleg fits. 12 1 > "$d/fits.ns"
	zcs_zone "$d/fits.zone" fits. 1 < "$d/fits.ns"
	deleg big. 13 2 v6 > "$d/big.ns"
	zcs_zone "$d/big.zone" big. 1 < "$d/big.ns"
	perf_frag > "$d/perf.ns"
	zcs_zone "$d/perf.zone" example. 2026120602 < "$d/perf.ns"
	zcs_sign "$d/perf.zone" "$d/perf.signed" a
	v6=
	[ "$ZCS_V6" = no ] || v6=::1
	zcs_nsd good "127.0.1.1 127.0.2.1 $v6" example.="$d/good.signed"
	zcs_nsd old 127.0.3.1 example.="$d/old.signed"
	zcs_nsd other "127.0.4.1 127.1.1.1 127.2.1.1" \
	    other.="$d/other.zone" fits.="$d/fits.zone" big.="$d/big.zone"
	zcs_nsd root 127.0.10.1 .="$d/root.zone"
	zcs_nsd bkeys 127.0.5.1 example.="$d/bkeys.signed"
	zcs_nsd nsdiff 127.0.6.1 example.="$d/nsdiff.signed"
	zcs_nsd perf-a "$(perf_addrs 1 2 3 4)" example.="$d/perf.signed"
	zcs_nsd perf-b "$(perf_addrs 5 6 7 8)" example.="$d/perf.signed"
	zcs_ready
	zcs_relay udponly -U -u "127.0.1.1@$ZCS_PORT" -l 127.0.7.1
	zcs_relay elsewhere -u "127.0.1.1@$ZCS_PORT" -s 127.0.8.2 -l 127.0.8.1
	# Loses the first burst of UDP queries (3 per address here).
	zcs_relay lossy -D 3 -u "127.0.1.1@$ZCS_PORT" -l 127.0.11.1
	zcs_relay hole -b $(for k in $(seq 13); do echo "-l 127.5.$k.1"; done)
	zcs_unbound open 127.0.9.1 example.=127.0.1.1 .=127.0.10.1
	# Its cache holds the zone's SOA and NS, which it then gives to
	# queries without RD as a name server would, but without AA.
	zcs_exec dig +short -p "$ZCS_PORT" @127.0.9.1 example. SOA > /dev/null
	zcs_exec dig +short -p "$ZCS_PORT" @127.0.9.1 example. NS > /dev/null
}

teardown_file() {
	zcs_stop
}

setup() {
	zcs_load
	D=$ZCS_DIR
	A1=ns1.op-a.net=127.0.1.1
}

@test "zcheck-servers: a clean set of servers passes with exit 0 and no finding" {
	runs zcs -L -D "$ZCS_KEYS/ds-a.ds" -t $T example. $A1 \
	    ns2.op-a.net=127.0.2.1
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
}

@test "zcheck-servers: IPv6: ::1 asked like the others, its reply's source checked" {
	[ "$ZCS_V6" = yes ] || skip "no ::1 on the lab's loopback"
	runs zcs -L -v -D "$ZCS_KEYS/ds-a.ds" -t $T example. $A1 \
	    ns2.op-a.net=::1,127.0.2.1
	assert_success
	assert_line "ns2.op-a.net./::1: serial 2026120602; DNSKEY 40244/256 5021/257; RRSIG DNSKEY 5021 until 20261231000000; NS ns1.op-a.net. ns2.op-a.net."
	# Nothing listens there: the ICMP error ends the wait at once.
	runs zcs -L example. $A1 ns2.op-a.net=[::1]@$((ZCS_PORT + 1))
	assert_failure 1
	assert_line "zcheck-servers: ns2.op-a.net./::1@$((ZCS_PORT + 1)): SOA and NS over UDP: port unreachable (IANA: answers over UDP and TCP; RFC 7766 section 5)"
	assert_line "zcheck-servers: ns2.op-a.net./::1@$((ZCS_PORT + 1)): SOA and NS over TCP: connection refused (IANA: answers over UDP and TCP; RFC 7766 section 5)"
}

@test "zcheck-servers: a server that does not serve the zone is lame (REFUSED)" {
	runs zcs -L example. $A1 ns2.op-a.net=127.0.4.1
	assert_failure 1
	assert_output "zcheck-servers: ns2.op-a.net./127.0.4.1: SOA and NS over UDP and TCP: REFUSED (lame) (RFC 1034 section 4.3.1: authoritative answer)"
}

@test "zcheck-servers: a server left behind on an older serial is named with it" {
	runs zcs -L example. $A1 ns2.op-a.net=127.0.3.1,127.0.2.1
	assert_failure 1
	assert_output "zcheck-servers: ns2.op-a.net./127.0.3.1: SOA serial 2026120601, where 2 other addresses serve 2026120602 (RFC 1034 section 4.3.5)"
}

@test "zcheck-servers: a DNSKEY RRset without the key of a DS of -D fails at that address" {
	runs zcs -L -D "$ZCS_KEYS/ds-a.ds" -t $T example. $A1 \
	    ns2.op-a.net=127.0.5.1
	assert_failure 1
	assert_line -n 0 "zcheck-servers: ns2.op-a.net./127.0.5.1: DS 5021/13/2 matches no DNSKEY with the zone-key flag served here (RFC 4035 section 5.2)"
	assert_line -n 1 "zcheck-servers: ns2.op-a.net./127.0.5.1: the DNSKEY RRset does not validate from the DS set: no key a DS names signs it (RFC 4035 section 5.2)"
	assert_line -n 2 "zcheck-servers: ns2.op-a.net./127.0.5.1: warning: DNSKEY RRset differs from the one 1 other address serves: has 48585/256/13 62651/257/13 lacks 40244/256/13 5021/257/13 (RFC 8901 section 2.1)"
	assert_equal "${#lines[@]}" 3
}

@test "zcheck-servers: a key set that changed at one address is a warning naming the keys" {
	runs zcs -L example. $A1 ns2.op-a.net=127.0.2.1,127.0.5.1
	assert_success
	assert_output "zcheck-servers: ns2.op-a.net./127.0.5.1: warning: DNSKEY RRset differs from the one 2 other addresses serve: has 48585/256/13 62651/257/13 lacks 40244/256/13 5021/257/13 (RFC 8901 section 2.1)"
}

@test "zcheck-servers: a DS of a digest type that cannot be computed is a warning, and ignored" {
	runs zcs -L -D "$DATA/zcheck-servers/ds-a-gost.ds" -t $T example. $A1 \
	    ns2.op-a.net=127.0.2.1
	assert_success
	assert_output "zcheck-servers: example.: warning: DS 5021/13/3: digest type 3 cannot be checked: ignored (RFC 4035 section 5.2)"
}

@test "zcheck-servers: -t after the signatures expire fails check 7 at every address" {
	runs zcs -L -D "$ZCS_KEYS/ds-a.ds" -t 20270301000000 example. $A1 \
	    ns2.op-a.net=127.0.2.1
	assert_failure 1
	assert_line "zcheck-servers: ns1.op-a.net./127.0.1.1: the DNSKEY RRset does not validate from the DS set: the signature by a key a DS names is not valid now (RFC 4035 section 5.2)"
	assert_equal "${#lines[@]}" 2
}

@test "zcheck-servers: an address with TCP refused" {
	runs zcs -L example. $A1 ns2.op-a.net=127.0.7.1
	assert_failure 1
	assert_output "zcheck-servers: ns2.op-a.net./127.0.7.1: SOA and NS over TCP: connection refused (IANA: answers over UDP and TCP; RFC 7766 section 5)"
}

@test "zcheck-servers: an Unbound answering as if it were a name server: not authoritative, open recursion" {
	runs zcs -L example. $A1 ns2.op-a.net=127.0.9.1
	assert_failure 1
	assert_line -n 0 "zcheck-servers: ns2.op-a.net./127.0.9.1: SOA and NS over UDP and TCP: an answer without AA, not authoritative (lame) (RFC 1034 section 4.3.1: authoritative answer)"
	assert_line -n 1 "zcheck-servers: ns2.op-a.net./127.0.9.1: open recursion: a recursive query for . SOA, outside the zone, was answered (NOERROR, RA set) (RFC 5358)"
	assert_equal "${#lines[@]}" 2
}

@test "zcheck-servers: a UDP reply from another address than the one asked" {
	runs zcs -L example. $A1 ns2.op-a.net=127.0.8.1
	assert_failure 1
	assert_output "zcheck-servers: ns2.op-a.net./127.0.8.1: the reply over UDP came from 127.0.8.2@$ZCS_PORT, not from the address asked (RFC 2181 section 4.1; RFC 5452 section 9.1)"
}

@test "zcheck-servers: an NS RRset different at one server" {
	runs zcs -L example. $A1 ns2.op-a.net=127.0.6.1
	assert_failure 1
	assert_output "zcheck-servers: ns2.op-a.net./127.0.6.1: NS RRset differs from the one given: serves ns3.op-a.net. lacks ns2.op-a.net. (RFC 1034 section 4.2.2)"
}

@test "zcheck-servers: glue given that the zone does not serve" {
	runs zcs -L -n "$D/fits.ns" fits. ns1.fits. ns2.fits.=127.1.1.1
	assert_failure 1
	assert_line "zcheck-servers: ns1.fits./127.1.1.1: ns2.fits. A: serves 127.1.2.1, the glue given is 127.1.1.1 127.1.2.1 (RFC 1034 section 4.2.1)"
}

@test "zcheck-servers: a referral over 512 octets even with minimal glue" {
	runs zcs -L -n "$D/big.ns" big. ns1.big.
	assert_failure 1
	assert_output "zcheck-servers: big.: the smallest referral (NS RRset, one A and one AAAA glue record, 255-octet query name) is 553 octets, more than 512 (RFC 1035 section 4.2.1; IANA)"
}

@test "zcheck-servers: a referral that fits with minimal glue but not with every host's" {
	runs zcs -L -n "$D/fits.ns" fits. ns1.fits.
	assert_success
	assert_output "zcheck-servers: fits.: warning: the referral with the glue of every host is 682 octets, more than 512: without EDNS it is truncated (RFC 9471 section 3)"
	runs zcs -L -v -n "$D/fits.ns" fits. ns1.fits.
	assert_line "referral: 506 octets minimal, 682 with all glue; network diversity is not checked"
}

@test "zcheck-servers: a documentation address without -L is reported and not queried: no packet leaves" {
	command -v strace > /dev/null || skip "strace not installed"
	[ -n "$ZCS_NSPID" ] || skip "no network namespace: the control would send to 192.0.2.1"
	# LeakSanitizer cannot run under ptrace(2).
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	runs zcs_exec strace -f -e trace=network -o "$BATS_TEST_TMPDIR/trace" \
	    "$BK_BIN/zcheck-servers" -W 0.3 example. ns1.op-a.net=192.0.2.1 \
	    ns2.op-a.net=2001:db8::53
	assert_failure 1
	assert_line -n 0 "zcheck-servers: ns1.op-a.net./192.0.2.1: documentation address (192.0.2.0/24, RFC 5737): not queried without -L (RFC 6890)"
	assert_line -n 1 "zcheck-servers: ns2.op-a.net./2001:db8::53: documentation address (2001:db8::/32, RFC 3849): not queried without -L (RFC 6890)"
	run grep -E 'socket\(|connect\(|sendto\(|sendmsg\(' "$BATS_TEST_TMPDIR/trace"
	assert_failure
	# The control: with -L the same run does query (in the namespace,
	# where 192.0.2.1 is unreachable), and strace sees it.
	runs zcs_exec strace -f -e trace=network -o "$BATS_TEST_TMPDIR/trace2" \
	    "$BK_BIN/zcheck-servers" -L -W 0.3 example. \
	    ns1.op-a.net=192.0.2.1 ns2.op-a.net=2001:db8::53
	run grep -c -E 'sendto\(.*192\.0\.2\.1|connect\(.*192\.0\.2\.1' \
	    "$BATS_TEST_TMPDIR/trace2"
	assert_success
}

@test "zcheck-servers: a loopback address without -L is not queried: a listener there sees nothing" {
	local log=$ZCS_DIR/relay-hole.out n
	n=$(grep -c '127\.5\.1\.1$' "$log" || true)
	runs zcs example. ns1.op-a.net=127.5.1.1 ns2.op-a.net=127.5.2.1
	assert_failure 1
	assert_line -n 0 "zcheck-servers: ns1.op-a.net./127.5.1.1: loopback address (127.0.0.0/8, RFC 1122 section 3.2.1.3): not queried without -L (RFC 6890)"
	sleep 0.2
	assert_equal "$(grep -c '127\.5\.1\.1$' "$log" || true)" "$n"
	# The control: with -L the listener sees UDP and TCP.
	runs zcs -L -W 0.3 example. ns1.op-a.net=127.5.1.1 ns2.op-a.net=127.5.2.1
	sleep 0.2
	run grep -c '^udp 127\.5\.1\.1$' "$log"
	[ "$output" -gt "$n" ] || fail "the listener saw nothing with -L"
	run grep -c '^tcp 127\.5\.1\.1$' "$log"
	assert_success
}

@test "zcheck-servers: -j gives the findings and every address's serial and key tags" {
	command -v jq > /dev/null || skip "jq not installed"
	runs zcs -L -j -t $T example. $A1 ns2.op-a.net=127.0.3.1
	assert_failure 1
	run jq -r '.findings[] | "\(.check) \(.kind) \(.where)"' <<< "$output"
	assert_output "6 problem ns2.op-a.net./127.0.3.1"
	runs zcs -L -j -t $T example. $A1 ns2.op-a.net=127.0.3.1
	run jq -r '.summary.servers[] | "\(.address) \(.serial) \([.keys[].tag] | sort | join(","))"' <<< "$output"
	assert_line -n 0 "127.0.1.1 2026120602 5021,40244"
	assert_line -n 1 "127.0.3.1 2026120601 5021,40244"
}

@test "zcheck-servers: -v prints serial, keys with flags, DNSKEY signatures and NS per address" {
	runs zcs -L -v -t $T example. $A1 ns2.op-a.net=127.0.2.1
	assert_success
	assert_line "ns1.op-a.net./127.0.1.1: serial 2026120602; DNSKEY 40244/256 5021/257; RRSIG DNSKEY 5021 until 20261231000000; NS ns1.op-a.net. ns2.op-a.net."
}

@test "zcheck-servers: 2 operators x 4 servers x 2 addresses checked in under a second" {
	local t0 t1 ms
	t0=$EPOCHREALTIME
	runs zcs -L -W 5 -D "$ZCS_KEYS/ds-a.ds" -t $T -n "$D/perf.ns" example.
	t1=$EPOCHREALTIME
	assert_success
	# 8 name servers and 16 glue records: all is well but the referral
	# with every host's glue.
	assert_output "zcheck-servers: example.: warning: the referral with the glue of every host is 683 octets, more than 512: without EDNS it is truncated (RFC 9471 section 3)"
	ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
	echo "16 addresses: $ms ms" | sed 's/^/# /' >&3
	# Under a second on this machine; the bound leaves room for the
	# sanitizer build and a busy machine.
	[ "$ms" -lt 3000 ] || fail "16 addresses took $ms ms"
}

@test "zcheck-servers: UDP queries lost on the way are sent again halfway through the time-out" {
	local t0 t1 ms
	t0=$EPOCHREALTIME
	runs zcs -L -W 1 example. $A1 ns2.op-a.net=127.0.11.1
	t1=$EPOCHREALTIME
	assert_success
	assert_output ""
	ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
	# Answered only after the second sending, at 0.5 s.
	[ "$ms" -ge 450 ] || fail "answered in $ms ms: the relay lost nothing?"
}

@test "zcheck-servers: 13 addresses that never answer cost one time-out, not one each" {
	local t0 t1 ms a1 a2
	a1=$(for k in 1 2 3 4 5 6 7; do printf '127.5.%s.1,' $k; done)
	a2=$(for k in 8 9 10 11 12 13; do printf '127.5.%s.1,' $k; done)
	t0=$EPOCHREALTIME
	runs zcs -L -W 2 example. ns1.op-a.net="${a1%,}" ns2.op-a.net="${a2%,}"
	t1=$EPOCHREALTIME
	assert_failure 1
	assert_line "zcheck-servers: ns1.op-a.net./127.5.1.1: SOA and NS over UDP and TCP: no reply within 2 s (IANA: answers over UDP and TCP; RFC 7766 section 5)"
	assert_equal "${#lines[@]}" 13 || echo "$output"
	ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
	echo "13 silent addresses, -W 2: $ms ms" | sed 's/^/# /' >&3
	[ "$ms" -ge 1900 ] && [ "$ms" -lt 4000 ] ||
	    fail "13 silent addresses took $ms ms with -W 2"
}
