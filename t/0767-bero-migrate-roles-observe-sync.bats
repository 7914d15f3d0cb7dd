#!/usr/bin/env bats
# The registry observes an operator's step while registrations flow
# (issue 13, sync), in three state directories (A, B, the registry)
# against real name servers (NSD on loopback, no resolver).  After the
# operators' step 2b the registry takes B's bundle b-2b but has not
# observed the step yet when a delegation is added at A and both
# operators synchronize: their servers serve one serial, later than
# that of the bundle's zone.  The registry logs step 2b at the time of
# the round of queries that saw it served, and names the serial; it
# logs nothing, naming the reason, when the servers serve two serials,
# one behind the bundle's, another DNSKEY RRset, another apex NS RRset,
# other glue, or the DNSKEY RRset without a signature the bundle's zone
# has over it (KSK_A's, exchanged: a resolver holding DS_A alone needs
# it at B).  The registry's request (step 3) is refused for that
# signature too.

load helper
load bero-migrate
load bero-roles
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	roles_file_setup 2592000 || return 1
	[ -z "$ZCS_SKIP" ] || return 0
	roles_through_2a || return 1
	# The registry as it is before step 2b takes B's bundle b-2b and
	# observes nothing yet: the one roles_step_2b observes with is put
	# aside.
	cp -a r r0 && roles_step_2b && rm -rf r && mv r0 r &&
	    at "$T" bero-migrate -d r import b2b > /dev/null || return 1
	# A registration added at A, the source, and taken by B.
	roles_sync_at_a "$T" || return 1
	echo "$T" > t.2b
	roles_served_state > good.state
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
	S2B=$(roles_serial r/b/step-2b.zone)
}

# Each test leaves the servers as the synchronization left them.
teardown() {
	[ -z "${ZCS_SKIP:-}" ] || return 0
	roles_served_back "$F"
}

# not_observed PATTERN...: the registry's observe of step 2b logs
# nothing (exit 1), its directory as it was, each PATTERN on standard
# error.
not_observed() {
	local before p
	before=$(snapshot r)
	runs at $((T + 300)) bero-migrate -d r observe 2b
	assert_failure 1
	assert_output --partial "step 2b: not observed; nothing logged"
	for p; do
		[[ "$stderr" == *"$p"* ]] || {
			echo "not on standard error: $p" >&2
			return 1
		}
	done
	assert_equal "$(snapshot r)" "$before"
	[ -z "$(awk '$1 == "2b"' r/log)" ]
}

# no_ksk_a_sig: an awk filter (roles_serve_edited) that drops KSK_A's
# signature over the apex DNSKEY RRset, the records left as they are.
no_ksk_a_sig() {
	printf '$1 == "example." && $4 == "RRSIG" && $5 ~ /^DNSKEY / { split($5, f, " "); if (f[7] == %s) next } { print }' \
	    "$(ksk_tag "$F/src/akeys")"
}

@test "the registry observes B's step 2b after both operators synchronized: one serial, later than its bundle's; logged at the time of the observation" {
	local sa
	sa=$(served 127.75.1.1)
	[ "$sa" -gt "$S2B" ]
	assert_equal "$(served 127.75.2.1)" "$sa"
	delegated 127.75.2.1 newreg.example.
	runs at $((T + 300)) bero-migrate -d r observe 2b
	assert_success
	assert_output --partial "observed: every address of operator A and operator B serves serial $sa, later than $S2B of b/step-2b.zone (a sync since; RFC 1982), with its DNSKEY RRset and signatures, NS RRset and glue, at $(date -u -d @$((T + 300)) '+%Y-%m-%d %H:%M:%S UTC')"
	assert_equal "$(awk '$1 == "2b" { print $2 }' r/log)" $((T + 300))
	# And the registry goes on: its request from the bundle's zone.
	runs at "$(due r 3)" bero-migrate -d r step 3
	assert_success
	assert_output --partial "served: every address of operator B serves serial $sa, later than $S2B of b/step-2b.zone"
}

@test "not observed while the servers serve two serials: B's not synchronized yet" {
	local sa
	sa=$(served 127.75.1.1)
	roles_serve_edited bfile "$F/b/history/b-2b.zone" '{ print }'
	not_observed "ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT): serves serial $S2B, where ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT) serves $sa: the servers of the delegation serve more than one serial"
}

@test "not observed while every server serves one serial behind the bundle's (RFC 1982)" {
	roles_serve_edited afile r/b/step-2b.zone "$ROLES_SERIAL_MINUS"
	roles_serve_edited bfile r/b/step-2b.zone "$ROLES_SERIAL_MINUS"
	not_observed "ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT): serves serial $((S2B - 1)), behind $S2B of b/step-2b.zone (RFC 1982): an older zone" \
	    "ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT): serves serial $((S2B - 1)), behind $S2B"
}

@test "not observed while a server serves the later serial with another DNSKEY RRset" {
	# B's server without one of the zone-signing keys.
	roles_serve_edited bfile "$F/b/published/b/example.zone" \
	    '$1 == "example." && $4 == "DNSKEY" && $5 ~ /^256 / && !done++ { next } { print }'
	not_observed "ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT): serves another DNSKEY RRset than b/step-2b.zone"
	[[ "$stderr" != *"NS RRset"* ]]
}

@test "not observed while a server serves the later serial with another apex NS RRset" {
	# A's server without ns2.nic-b.example. at the apex.
	roles_serve_edited afile "$F/a/published/a/example.zone" \
	    '$1 == "example." && $4 == "NS" && $5 == "ns2.nic-b.example." { next } { print }'
	not_observed "ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT): serves another NS RRset than b/step-2b.zone"
	[[ "$stderr" != *"DNSKEY RRset"* ]]
}

@test "not observed while a server serves the later serial with other addresses of a name server (glue)" {
	roles_serve_edited afile "$F/a/published/a/example.zone" \
	    '$1 == "ns1.nic-b.example." && $4 == "A" { $5 = "203.0.113.99" } { print }'
	not_observed "ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT): serves other addresses of ns1.nic-b.example. than b/step-2b.zone"
}

@test "not observed while B serves the later serial, the same DNSKEY RRset, without KSK_A's signature over it" {
	local k
	k=$(ksk_tag "$F/src/akeys")
	[[ " $(dnskey_sigs "$F/b/published/b/example.zone") " == *" $k "* ]]
	roles_serve_edited bfile "$F/b/published/b/example.zone" "$(no_ksk_a_sig)"
	[[ " $(roles_probe 127.75.2.1 example. DNSKEY +dnssec) " != *" $k "* ]]
	not_observed "ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT): serves no signature over the DNSKEY RRset by key $k/"
	[[ "$stderr" != *"serves serial"* ]]
	[[ "$stderr" != *"another"* ]]
	[[ "$stderr" != *"127.75.1.1"* ]]
}

@test "the registry's step 3 refused while B serves the later serial without KSK_A's signature over the DNSKEY RRset" {
	local k before
	k=$(ksk_tag "$F/src/akeys")
	at $((T + 300)) bero-migrate -d r observe 2b > /dev/null || return 1
	roles_serve_edited bfile "$F/b/published/b/example.zone" "$(no_ksk_a_sig)"
	before=$(snapshot r)
	runs at "$(due r 3)" bero-migrate -d r step 3
	refused_here r "$before" "step 3 refused: operator B's servers do not all serve b/step-2b.zone \\(above\\)"
	[[ "$stderr" == *"ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT): serves no signature over the DNSKEY RRset by key $k/"* ]]
	[ -z "$(find r/r -name 'step-3.request*')" ]
}
