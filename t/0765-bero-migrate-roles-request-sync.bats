#!/usr/bin/env bats
# The registry's request while registrations flow (issue 13, sync), in
# three state directories (A, B, the registry) against real name
# servers (NSD on loopback, no resolver).  After B's step 2b a
# delegation is added at A and both operators synchronize: their servers
# serve one serial, later than that of B's bundle b-2b.  The registry's
# step 3 goes on from the bundle's zone and names the serial served;
# refused, nothing asked and no request left, when the servers serve
# two serials (B not synchronized yet), one behind the bundle's, another
# DNSKEY RRset, another apex NS RRset, or other glue.  Steps 7 and 11 go
# on the same way after a sync at B, the source from step 6.

load helper
load bero-migrate
load bero-roles
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	roles_file_setup 2592000 || return 1
	[ -z "$ZCS_SKIP" ] || return 0
	roles_through_2a && roles_step_2b || return 1
	# A registration added at A, the source, and taken by B.
	roles_sync_at_a "$T" || return 1
	echo "$T" > t.2b
	roles_served_state > good.state
	cp "$ZCS_DIR/../root.zone" root0.zone
}

teardown_file() {
	zcs_stop
}

setup() {
	zcs_load
	cd "$BATS_TEST_TMPDIR" || return 1
	F=$BATS_FILE_TMPDIR
	T=$(cat "$F/t.2b")
	cp -a "$F/r" r
}

# Each test leaves the servers as the synchronization left them.
teardown() {
	[ -z "${ZCS_SKIP:-}" ] || return 0
	if ! cmp -s "$F/root0.zone" "$ZCS_DIR/../root.zone"; then
		cp "$F/root0.zone" "$ZCS_DIR/../root.zone"
		kill -HUP "$(awk '$2 == "nsd-parent" { print $1 }' "$ZCS_DIR/pids")"
	fi
	roles_served_back "$F"
}

# refused_3 PATTERN: the registry's step 3, refused with PATTERN on
# standard error, nothing asked: no request, no log line, nothing kept.
refused_3() {
	local before
	before=$(snapshot r)
	runs at $((T + 180)) bero-migrate -d r step 3
	refused_here r "$before" "step 3 refused: $1's servers do not all serve b/step-2b.zone \\(above\\): the registry asks IANA only for what every server of the delegation serves; nothing asked"
	[ -z "$(find r/r -name 'step-3.request*')" ]
}

@test "the registry's step 3 after a sync at both operators: one serial served, later than the bundle's; the request made from B's zone of step 2b, the served serial named" {
	local s2b sa
	s2b=$(awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3] }' r/b/step-2b.zone)
	sa=$(served 127.75.1.1)
	[ "$sa" -gt "$s2b" ]
	assert_equal "$(served 127.75.2.1)" "$sa"
	delegated 127.75.2.1 newreg.example.
	runs at $((T + 180)) bero-migrate -d r step 3
	assert_success
	assert_output --partial "served: every address of operator A serves serial $sa, later than $s2b of b/step-2b.zone (a sync since; RFC 1982), with its DNSKEY and NS RRsets and glue"
	assert_output --partial "served: every address of operator B serves serial $sa, later than $s2b of b/step-2b.zone"
	assert_output --partial "step 3: every check passed"
	[ "$(awk -F '\t' '$4 == "DS"' r/r/step-3.request | wc -l)" -eq 2 ]
	[ "$(awk -F '\t' '$4 == "NS"' r/r/step-3.request | wc -l)" -eq 4 ]
	awk '$1 == "3" { f = 1 } END { exit !f }' r/log
}

@test "step 3 refused when the servers serve two serials: B's not synchronized yet" {
	local sa s2b
	sa=$(served 127.75.1.1)
	s2b=$(awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3] }' r/b/step-2b.zone)
	roles_serve_edited bfile "$F/b/history/b-2b.zone" '{ print }'
	refused_3 "operator B"
	[[ "$stderr" == *"ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT): serves serial $s2b, where ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT) serves $sa: the servers of the delegation serve more than one serial"* ]]
}

@test "step 3 refused when every server serves one serial behind the bundle's (RFC 1982)" {
	local s2b
	s2b=$(awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3] }' r/b/step-2b.zone)
	roles_serve_edited afile r/b/step-2b.zone "$ROLES_SERIAL_MINUS"
	roles_serve_edited bfile r/b/step-2b.zone "$ROLES_SERIAL_MINUS"
	refused_3 "operator A and operator B"
	[[ "$stderr" == *"ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT): serves serial $((s2b - 1)), behind $s2b of b/step-2b.zone (RFC 1982): an older zone"* ]]
	[[ "$stderr" == *"ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT): serves serial $((s2b - 1)), behind $s2b"* ]]
}

@test "step 3 refused when a server serves the later serial with another DNSKEY RRset" {
	# B's server without one of the zone-signing keys.
	roles_serve_edited bfile "$F/b/published/b/example.zone" \
	    '$1 == "example." && $4 == "DNSKEY" && $5 ~ /^256 / && !done++ { next } { print }'
	refused_3 "operator B"
	[[ "$stderr" == *"ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT): serves another DNSKEY RRset than b/step-2b.zone"* ]]
	[[ "$stderr" != *"NS RRset"* ]]
}

@test "step 3 refused when a server serves the later serial with another apex NS RRset" {
	# A's server without ns2.nic-b.example. at the apex.
	roles_serve_edited afile "$F/a/published/a/example.zone" \
	    '$1 == "example." && $4 == "NS" && $5 == "ns2.nic-b.example." { next } { print }'
	refused_3 "operator A"
	[[ "$stderr" == *"ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT): serves another NS RRset than b/step-2b.zone"* ]]
	[[ "$stderr" != *"DNSKEY RRset"* ]]
}

@test "step 3 refused when a server serves the later serial with other addresses of a name server of the request (its glue)" {
	roles_serve_edited afile "$F/a/published/a/example.zone" \
	    '$1 == "ns1.nic-b.example." && $4 == "A" { $5 = "203.0.113.99" } { print }'
	refused_3 "operator A"
	[[ "$stderr" == *"ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT): serves other addresses of ns1.nic-b.example. than b/step-2b.zone"* ]]
}

@test "steps 7 and 11 after a sync at B, the source from step 6: the requests made from B's zones of steps 6 and 10 while B's servers (and A's, for step 7) serve a later serial" {
	local t s6 s10 sb gone
	cp -a "$F/a" "$F/b" "$F/src" .
	runs at $((T + 180)) bero-migrate -d r step 3
	assert_success
	roles_steps_4_to_6 $((T + 86400)) 2026120101
	t=$T
	runs at $((t + 60)) bero-migrate -d r observe 6
	assert_success

	# A delegation deleted at B, the source; A takes it.
	gone=$(awk -F '\t' '$4 == "NS" && $1 != "example." && $1 != "newreg.example." { print $1; exit }' b/published/b/example.zone)
	registry_edit b/published/b/example.zone del.zone del "$gone"
	at $((t + 120)) bero-migrate -d b sync -f del.zone > /dev/null
	bero-migrate -d b export sync -o bsync1 > /dev/null
	at $((t + 120)) bero-migrate -d a import bsync1 > /dev/null
	at $((t + 120)) bero-migrate -d a sync > /dev/null
	s6=$(roles_serial r/b/step-6.zone)
	sb=$(served 127.75.2.1)
	[ "$sb" -gt "$s6" ]
	assert_equal "$(served 127.75.1.1)" "$sb"
	runs at $((t + 180)) bero-migrate -d r step 7
	assert_success
	assert_output --partial "served: every address of operator B serves serial $sb, later than $s6 of b/step-6.zone (a sync since; RFC 1982)"
	assert_output --partial "served: every address of operator A serves serial $sb, later than $s6 of b/step-6.zone"
	assert_output --partial "step 7: every check passed"

	t=$((t + 86400))
	roles_parent_publish r/r/step-7.request 2026120102
	for d in a b r; do
		at $t bero-migrate -d $d observe 8 > /dev/null
	done
	for d in a b r; do
		t=$(due $d 9)
		at $t bero-migrate -d $d step 9 > /dev/null
	done
	at $t bero-migrate -d b step 10 > /dev/null
	bero-migrate -d b export 10 -o b10 > /dev/null
	at $t bero-migrate -d r import b10 > /dev/null
	at $t bero-migrate -d r observe 10 > /dev/null

	# Another deleted at B after its step 10, before the registry's 11.
	gone=$(awk -F '\t' '$4 == "NS" && $1 != "example." && $1 != "newreg.example." { print $1; exit }' b/published/b/example.zone)
	registry_edit b/published/b/example.zone del2.zone del "$gone"
	at $((t + 60)) bero-migrate -d b sync -f del2.zone > /dev/null
	s10=$(roles_serial r/b/step-10.zone)
	sb=$(served 127.75.2.1)
	[ "$sb" -gt "$s10" ]
	t=$(due r 11)
	runs at $t bero-migrate -d r step 11
	assert_success
	assert_output --partial "served: every address of operator B serves serial $sb, later than $s10 of b/step-10.zone (a sync since; RFC 1982)"
	assert_output --partial "step 11: every check passed"
	assert_equal "$(awk -F '\t' '$4 == "DS" { print $5 }' r/r/step-11.request)" \
	    "$(awk -F '\t' '$4 == "DS" { print $5 }' b/b/ds-b.txt)"
}
