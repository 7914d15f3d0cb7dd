#!/usr/bin/env bats
# bero-migrate sync between three state directories (A, B, the
# registry), each party typing its own commands, against real name
# servers (NSD on loopback, no resolver): registrations change while the
# zone moves.  A delegation added at step 2 (A the source: A's sync, its
# sync bundle, B's sync) and one deleted at step 7 (B the source, A the
# receiver) reach both operators' servers with equal serials that
# advance; the steps after each go on.  Refusals, each exit 2 with the
# reason and nothing published: a sync at the receiver with an edit of
# its own, a sync bundle older than the zone served, a receiver's sync
# when the source's servers do not all serve the bundle's zone, a sync
# with no new zone of the source.

load helper
load bero-migrate
load bero-roles
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	roles_file_setup 2592000
}

teardown_file() {
	zcs_stop
}

setup() {
	zcs_load
	cd "$BATS_FILE_TMPDIR" || return 1
}

@test "registrations flow between the parties' directories: one added at step 2 (A to B), one deleted at step 7 (B to A), equal serials that advance; the refusals publish nothing" {
	local t before sa s0 gone
	cd "$BATS_FILE_TMPDIR"
	# A signs with berokit here (its key pairs given).
	roles_through_2a
	s0=$(served 127.75.1.1)
	assert_equal "$(served 127.75.2.1)" "$s0"

	# Step 2: a registration added at A, the source.
	registry_edit a/published/a/example.zone new.zone add newreg.example.
	t=$((T0 + 600))
	runs at $t bero-migrate -d a sync -f new.zone
	assert_success
	assert_output --partial "from a (the source) to b"
	assert_output --partial "observed: every address of operator A serves a/sync-1.zone"
	sa=$(served 127.75.1.1)
	[ "$sa" -gt "$s0" ]
	delegated 127.75.1.1 newreg.example.
	! delegated 127.75.2.1 newreg.example. || false
	# B without A's new zone: refused.
	before=$(snapshot b)
	runs at $t bero-migrate -d b sync
	refused_here b "$before" "sync refused: operator A's new zone: none here: import its sync bundle first"
	bero-migrate -d a export sync -o async1 > /dev/null
	at $t bero-migrate -d b import async1 > /dev/null
	# B's own edit while A is the source: refused.
	runs at $t bero-migrate -d b sync -f new.zone
	refused_here b "$before" "sync refused: -f: operator B is the receiver now: the data are edited at operator A, the source"
	# A's server goes back to its zone before the sync: B takes nothing
	# A does not serve everywhere.
	roles_serve afile a/history/a-2a.zone
	runs at $t bero-migrate -d b sync
	refused_here b "$before" "sync refused: operator A's servers do not all serve the zone of its sync bundle"
	[[ "$stderr" == *"ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT): serves serial"* ]]
	roles_serve afile a/published/a/example.zone
	runs at $((t + 60)) bero-migrate -d b sync
	assert_success
	assert_output --partial "checks (operator A's zone, as step 1 checks it):"
	assert_output --partial "observed: every address of operator B serves b/sync-1.zone"
	assert_output --partial "G5 SOA serial $sa at both"
	assert_equal "$(served 127.75.2.1)" "$sa"
	delegated 127.75.2.1 newreg.example.
	# The same bundle again: older than what B serves now? No: equal;
	# a bundle with an older serial is refused at import.
	bero-migrate -d a export sync -o async1b > /dev/null
	runs at $((t + 60)) bero-migrate -d b import async1b
	assert_trouble bero-migrate "async1b/zone: serial $sa does not follow $sa, the one served here: an older version of the source's data; nothing imported"

	# Steps 2b to 6 go on with the new registration in both zones.
	t=$(due a 2b)
	at $t bero-migrate -d a step 2b > /dev/null
	bero-migrate -d a export 2b -o a2b > /dev/null
	at $t bero-migrate -d b import a2b > /dev/null
	t=$(due b 2b)
	at $t bero-migrate -d b step 2b > /dev/null
	bero-migrate -d b export 2b -o b2b > /dev/null
	at $t bero-migrate -d a import b2b > /dev/null
	at $t bero-migrate -d r import b2b > /dev/null
	at $t bero-migrate -d r observe 2b > /dev/null
	at $((t + 60)) bero-migrate -d r step 3 > /dev/null
	roles_steps_4_to_6 $((t + 86400)) 2026120101
	t=$T
	at $((t + 60)) bero-migrate -d r observe 6 > /dev/null
	at $((t + 120)) bero-migrate -d r step 7 > /dev/null
	for p in 127.75.1.1 127.75.2.1; do
		delegated $p newreg.example.
	done
	s0=$(served 127.75.2.1)
	assert_equal "$(served 127.75.1.1)" "$s0"

	# Step 7: a registration deleted at B, the source now.
	gone=$(awk -F '\t' '$4 == "NS" && $1 != "example." && $1 != "newreg.example." { print $1; exit }' b/published/b/example.zone)
	delegated 127.75.1.1 "$gone"
	registry_edit b/published/b/example.zone del.zone del "$gone"
	t=$((t + 600))
	# A's edit is refused now: B's data are the source.
	before=$(snapshot a)
	runs at $t bero-migrate -d a sync -f del.zone
	refused_here a "$before" "sync refused: -f: operator A is the receiver now"
	runs at $t bero-migrate -d b sync -f del.zone
	assert_success
	assert_output --partial "from b (the source) to a"
	sa=$(served 127.75.2.1)
	[ "$sa" -gt "$s0" ]
	bero-migrate -d b export sync -o bsync1 > /dev/null
	at $t bero-migrate -d a import bsync1 > /dev/null
	runs at $t bero-migrate -d a sync
	assert_success
	assert_output --partial "G5 SOA serial $sa at both"
	assert_equal "$(served 127.75.1.1)" "$sa"
	! delegated 127.75.1.1 "$gone" || false
	! delegated 127.75.2.1 "$gone" || false
	delegated 127.75.1.1 newreg.example.
	# A serves B's data, signed by A's keys alone (no KSK_B signature).
	[[ " $(dnskey_sigs a/published/a/example.zone) " != *" $(ksk_tag b/keys/b) "* ]]

	# Step 8 and 9 go on.
	t=$((t + 86400))
	roles_parent_publish r/r/step-7.request 2026120102
	for d in a b r; do
		runs at $t bero-migrate -d $d observe 8
		assert_success
	done
	for d in a b r; do
		t=$(due $d 9)
		runs at $t bero-migrate -d $d step 9
		assert_success
	done
}

@test "sync by zone transfer (TRANSFER=axfr, TSIG) from every address of A's servers: an address serving another zone refuses it, nothing published; once every address serves A's new zone, B takes it" {
	local t before sa
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/src" .
	# The parent as before the migration: DS_A only.
	roles_parent_zone src/ds-a root0.zone
	awk -F '\t' '$1 == "example." || $1 ~ /nic-a/' root0.zone > deleg0
	roles_parent_publish deleg0 2026120180
	# A's two servers give zone transfers signed with the TSIG key.
	cp src/a.signed "$ZCS_DIR/zones/a1.zone"
	cp src/a.signed "$ZCS_DIR/zones/a2.zone"
	roles_nsd_xfr a1 127.75.1.11 "$ZCS_DIR/zones/a1.zone" &&
	    roles_nsd_xfr a2 127.75.1.12 "$ZCS_DIR/zones/a2.zone" && zcs_ready
	roles_serve bfile src/a.signed
	sed "s/^A_SERVERS=.*/A_SERVERS=\"ns1.nic-a.example.=127.75.1.11@$ZCS_PORT\"/" \
	    "$BATS_FILE_TMPDIR/parties.conf" > a.conf
	sed "s/^A_SERVERS=.*/A_SERVERS=\"ns1.nic-a.example.=127.75.1.11@$ZCS_PORT ns2.nic-a.example.=127.75.1.12@$ZCS_PORT\"/" \
	    "$BATS_FILE_TMPDIR/parties.conf" > b.conf
	export BERO_NOW=$T0
	roles_run bero-migrate -d ax init -R a -C a.conf -k src/akeys -f src/a.signed > /dev/null
	roles_run bero-migrate -d b init -R b -C b.conf > /dev/null
	{
		printf 'TRANSFER=axfr\nA_XFR_ADDR=127.75.1.11@%s\n' "$ZCS_PORT"
		printf 'TSIG_NAME=%s\n' "$ROLES_TSIG_NAME"
	} >> b/config
	(umask 077 && printf 'hmac-sha256:%s:%s\n' "$ROLES_TSIG_NAME" "$ROLES_TSIG_SECRET" > b/keys/tsig.key)
	bero-migrate -d ax export 0 -o a0 > /dev/null
	at $T0 bero-migrate -d b import a0 > /dev/null
	at $T0 bero-migrate -d b step 1 > /dev/null
	bero-migrate -d b export 1 -o b1 > /dev/null
	at $((T0 + 10)) bero-migrate -d ax import b1 -y "$(roles_ds_b_digest)" > /dev/null

	registry_edit ax/published/a/example.zone new.zone add newreg.example.
	t=$((T0 + 600))
	runs at $t bero-migrate -d ax sync -f new.zone
	assert_success
	sa=$(served 127.75.1.11)
	# ns2 still serves A's zone before the sync.
	before=$(snapshot b)
	runs at $t bero-migrate -d b sync
	refused_here b "$before" "sync refused: ns2.nic-a.example. \\(127.75.1.12 port $ZCS_PORT\\) gave another zone than the first address of operator A's servers"
	roles_serve a2 ax/published/a/example.zone
	sleep 1
	runs at $((t + 60)) bero-migrate -d b sync
	assert_success
	assert_output --partial "kdig -k keys/tsig.key @127.75.1.12 -p $ZCS_PORT example. AXFR: serial $sa"
	assert_output --partial "G5 SOA serial $sa at both"
	assert_equal "$(served 127.75.2.1)" "$sa"
	delegated 127.75.2.1 newreg.example.
}
