#!/usr/bin/env bats
# Every step of the exchange method, 1 to 13, between three state
# directories (A, B, the registry), each party typing its own commands
# (init, import -y, step, export, observe), the parent outside: a test
# root served by NSD on loopback, whose delegation the test changes as
# IANA would (from the registry's request files) and which every party
# observes.  A's zone is signed by BIND's dnssec-signzone with A's own
# keys (A_SIGNER=external) at every step A publishes; each operator's
# publications are served by an NSD of its own (the publish hook) and
# observed there.  Registrations go on: a delegation added at A before
# step 5 and one deleted at B after step 8 reach both operators (sync),
# A's own signer making A's zone both when A is the source and when it
# signs B's data (sync -f).  Refusals: the registry's step 3 while B's step 2b is
# not served, its step 7 before A's step 6 is served, its step 11 before
# its wait (serve-stale included), a step of another party; each exits
# 2, names what to do next, and publishes nothing.  At the end, no
# directory holds a private key of another party.

load helper
load bero-migrate
load bero-roles
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	# KSK_B's signatures over the RRset holding A's keys last 30 days
	# here: the run spans 13 days, and has no refresh.
	roles_file_setup 2592000
}

teardown_file() {
	zcs_stop
}

setup() {
	zcs_load
	cd "$BATS_FILE_TMPDIR" || return 1
}

@test "the three directories run every step 1 to 13 with the parties' own commands, every step observed on the servers; the refusals publish nothing" {
	local t d before serial=2026120101
	cd "$BATS_FILE_TMPDIR"
	export BERO_NOW=$T0
	roles_init src/apub parties.conf parties.conf

	# Step 1, B; A and the registry log it when B's servers serve it.
	roles_step_1 $T0
	for d in a r; do
		assert_equal "$(awk '$1 == 1 { print $2, $3 }' $d/log)" "$((T0 + 10)) b"
	done

	# Step 2a: A (its own signer), then B with KSK_A's signature.
	roles_a_sign_2a src a2a.signed b/keys/b
	roles_step_2a $((T0 + 60)) a2a.signed

	# Step 2b: A adds NS_B, B follows.
	roles_a_sign_2b src a2b.signed b/keys/b
	t=$(due a 2b)
	at $t bero-migrate -d a step 2b -f a2b.signed > /dev/null
	bero-migrate -d a export 2b -o a2b > /dev/null
	at $t bero-migrate -d b import a2b > /dev/null
	t=$(due b 2b)
	at $t bero-migrate -d b step 2b > /dev/null
	bero-migrate -d b export 2b -o b2b > /dev/null
	at $t bero-migrate -d a import b2b > /dev/null

	# Step 3, the registry: refused until A's and B's 2b are served.
	before=$(snapshot r)
	runs at $t bero-migrate -d r step 3
	refused_here r "$before" "step 3 refused: the next step here is 2a .*: bero-migrate -d r observe 2b logs it once operator B's bundle b-2b is imported and operator A and operator B serve its zone; nothing done"
	at $t bero-migrate -d r import b2b > /dev/null
	before=$(snapshot r)
	# B's server goes back to B's zone of step 2a: 2b is not observed,
	# and step 3 is refused.
	roles_serve bfile b/history/b-2a.zone
	runs at $t bero-migrate -d r observe 2b
	assert_failure 1
	assert_output --partial "step 2b: not observed; nothing logged"
	[[ "$stderr" == *"ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT): serves serial"* ]]
	runs at $t bero-migrate -d r step 3
	refused_here r "$before" "step 3 refused: the next step here is 2a"
	roles_serve bfile b/published/b/example.zone
	runs at $t bero-migrate -d r observe 2b
	assert_success
	assert_output --partial "logged: step 2a 2b at"
	# Served when observed, gone back since: refused at the step itself.
	before=$(snapshot r)
	roles_serve bfile b/history/b-2a.zone
	runs at $((t + 60)) bero-migrate -d r step 3
	refused_here r "$before" "step 3 refused: operator B's servers do not all serve b/step-2b.zone \\(above\\): the registry asks IANA only for what every server of the delegation serves; nothing asked"
	[ ! -e r/r/step-3.request ]
	roles_serve bfile b/published/b/example.zone
	# A step of another party: refused, naming whose it is.
	runs at $((t + 60)) bero-migrate -d a step 3
	assert_trouble bero-migrate "step 3 is run by the registry in its own state directory; this one is operator A's \\(config ROLE=a\\); bero-migrate observe 4 logs it here"
	runs at $((t + 60)) bero-migrate -d r step 6
	assert_trouble bero-migrate "step 6 is run by operator B and operator A in its own state directory; this one is the registry's"
	runs at $((t + 60)) bero-migrate -d r step 3
	assert_success
	assert_output --partial "served: every address of operator A serves the serial, DNSKEY and NS RRsets of b/step-2b.zone"
	assert_output --partial "ok: IANA's rules for the delegation in r/step-3.request.new"
	assert_output --partial "step 3: every check passed"
	[ "$(awk -F '\t' '$4 == "DS"' r/r/step-3.request | wc -l)" -eq 2 ]
	[ "$(awk -F '\t' '$4 == "NS"' r/r/step-3.request | wc -l)" -eq 4 ]

	# Step 4, the parent: before it publishes, nothing is observed.
	t=$((t + 86400))
	runs at $t bero-migrate -d a observe 4
	assert_failure 1
	assert_output --partial "step 4: not observed"
	runs at $t bero-migrate -d a step 5
	assert_trouble bero-migrate "step 5 refused: the next step here is 3 .*: bero-migrate -d a observe 4 logs it once every parent address serves the delegation of step 3; nothing done"
	roles_parent_publish r/r/step-3.request $((serial += 1))
	for d in a b r; do
		runs at $t bero-migrate -d $d observe 4
		assert_success
	done
	assert_equal "$(awk '$1 == 3 || $1 == 4 { print $1, $2, $3 }' a/log | tr '\n' ' ')" "3 $t r 4 $t root "
	assert_equal "$(grep -c "	DS	" a/published/root/ds.txt)" 2

	# A registration added at A, the source until step 6, whose own
	# signer makes the new zone (sync -f); B takes it from A's bundle.
	registry_edit src/a-2b.unsigned src/a-sync.unsigned add newreg.example.
	roles_a_sign src a-sync.signed src/a-sync.unsigned
	runs at $t bero-migrate -d a sync -f a-sync.signed
	assert_success
	assert_output --partial "from a (the source) to b"
	bero-migrate -d a export sync -o async > /dev/null
	at $t bero-migrate -d b import async > /dev/null
	runs at $t bero-migrate -d b sync
	assert_success
	assert_equal "$(served 127.75.2.1)" "$(served 127.75.1.1)"
	delegated 127.75.2.1 newreg.example.

	# Step 5, each party, after its wait.
	for d in a b r; do
		t=$(due $d 5)
		runs at $((t - 1)) bero-migrate -d $d step 5
		assert_trouble bero-migrate "step 5 refused: wait 1s more"
		runs at $t bero-migrate -d $d step 5
		assert_success
	done

	# Step 6: B first; its step is done once A serves B's data too.
	runs at $t bero-migrate -d b step 6
	assert_failure 1
	assert_output --partial "step 6: every check passed"
	[[ "$stderr" == *"step 6: operator A's part: not here yet: import A's bundle a-6"* ]]
	bero-migrate -d b export 6 -o b6 > /dev/null
	at $t bero-migrate -d a import b6 > /dev/null
	at $t bero-migrate -d r import b6 > /dev/null
	# (The directories as they are here, for the zone-transfer test.)
	mkdir "$BATS_FILE_TMPDIR/at6" && cp -a a b r "$BATS_FILE_TMPDIR/at6/" &&
	    echo "$t" > "$BATS_FILE_TMPDIR/at6/time"
	# The registry's step 7, before A serves step 6: refused.
	runs at $t bero-migrate -d r observe 6
	assert_failure 1
	[[ "$stderr" == *"ns1.nic-a.example. (127.75.1.1 port $ZCS_PORT): serves serial"* ]]
	before=$(snapshot r)
	runs at $t bero-migrate -d r step 7
	refused_here r "$before" "step 7 refused: the next step here is 6 .*: bero-migrate -d r observe 6 logs it once operator B's bundle b-6 is imported and operator B and operator A serve its zone; nothing done"
	roles_a_sign_6 src a6.signed a/b/step-6.xfr b/keys/b
	runs at $((t + 60)) bero-migrate -d a step 6 -f a6.signed
	assert_success
	assert_output --partial "served: every address of operator B serves b/step-6.zone"
	assert_output --partial "step 6: every check passed"
	[[ " $(dnskey_sigs a/published/a/example.zone) " != *" $(ksk_tag b/keys/b) "* ]]
	bero-migrate -d a export 6 -o a6 > /dev/null
	at $((t + 60)) bero-migrate -d b import a6 > /dev/null
	runs at $((t + 60)) bero-migrate -d b observe 6
	assert_success
	runs at $((t + 60)) bero-migrate -d r observe 6
	assert_success

	# Step 7, the registry: NS = NS_B; step 8 at the parent.
	runs at $((t + 120)) bero-migrate -d r step 7
	assert_success
	assert_output --partial "step 7: every check passed"
	assert_equal "$(awk -F '\t' '$4 == "NS" { print $5 }' r/r/step-7.request | sort | tr '\n' ' ')" "ns1.nic-b.example. ns2.nic-b.example. "
	t=$((t + 86400))
	roles_parent_publish r/r/step-7.request $((serial += 1))
	for d in a b r; do
		runs at $t bero-migrate -d $d observe 8
		assert_success
	done

	# A registration deleted at B, the source from step 6; A's own
	# signer signs B's new data, and A gives that zone (sync -f).  A zone
	# of A's signer from B's older data is refused: G4, G5.
	gone=$(awk -F '\t' '$4 == "NS" && $1 != "example." && $1 != "newreg.example." { print $1; exit }' b/published/b/example.zone)
	registry_edit b/published/b/example.zone del.zone del "$gone"
	runs at $t bero-migrate -d b sync -f del.zone
	assert_success
	bero-migrate -d b export sync -o bsync > /dev/null
	at $t bero-migrate -d a import bsync > /dev/null
	roles_a_sign_6 src a-old.signed b/history/b-6.zone b/keys/b
	before=$(served 127.75.1.1)
	runs at $t bero-migrate -d a sync -f a-old.signed
	assert_failure
	assert_equal "$(served 127.75.1.1)" "$before"
	roles_a_sign_6 src a-sync.signed a/b/sync.xfr b/keys/b
	runs at $t bero-migrate -d a sync -f a-sync.signed
	assert_success
	assert_output --partial "G5 SOA serial $(served 127.75.2.1) at both"
	assert_equal "$(served 127.75.1.1)" "$(served 127.75.2.1)"
	! delegated 127.75.1.1 "$gone" || false
	delegated 127.75.1.1 newreg.example.
	[[ " $(dnskey_sigs a/published/a/example.zone) " != *" $(ksk_tag b/keys/b) "* ]]

	# Step 9, each party after its wait: A can no longer be reached.
	for d in a b r; do
		t=$(due $d 9)
		runs at $t bero-migrate -d $d step 9
		assert_success
	done
	run cat a/reports/9.out
	assert_output --partial "ok: no NS set a resolver may hold names a's servers"

	# Step 10, B; the registry logs it when B's servers serve it.
	runs at $t bero-migrate -d b step 10
	assert_success
	assert_output --partial "ok: no signature by a's keys in b/step-10.zone"
	bero-migrate -d b export 10 -o b10 > /dev/null
	at $t bero-migrate -d r import b10 > /dev/null
	runs at $t bero-migrate -d r observe 10
	assert_success

	# Step 11, the registry, after its wait: DS = DS_B; 12 at the parent.
	t=$(due r 11)
	runs at $((t - 1)) bero-migrate -d r step 11
	assert_trouble bero-migrate "step 11 refused: wait 1s more"
	runs at $t bero-migrate -d r step 11
	assert_success
	assert_equal "$(awk -F '\t' '$4 == "DS" { print $5 }' r/r/step-11.request)" \
	    "$(awk -F '\t' '$4 == "DS" { print $5 }' b/b/ds-b.txt)"
	t=$((t + 86400))
	roles_parent_publish r/r/step-11.request $((serial += 1))
	for d in a b r; do
		runs at $t bero-migrate -d $d observe 12
		assert_success
	done
	assert_equal "$(awk '{ print $1 }' a/log | tr '\n' ' ')" "0 1 2a 2b 3 4 5 6 7 8 9 10 11 12 "

	# Step 13, A, after the wait (serve-stale included), which step 11
	# waited for already: A may stop once step 12 is observed.
	[ "$(due a 13)" -le "$t" ]
	zcs_exec kdig @127.75.1.1 -p "$ZCS_PORT" +norec example. SOA | grep -q 'status: NOERROR'
	runs at $t bero-migrate -d a step 13
	assert_success
	assert_output --partial "removed: published/a/example.zone"
	sleep 1
	! zcs_exec kdig @127.75.1.1 -p "$ZCS_PORT" +norec +time=2 +retry=0 example. SOA | grep -q 'status: NOERROR' || false
	runs bero-migrate -d a status
	assert_line "the migration is complete"
}

@test "the key-disjointness scan over the three directories and every bundle at the end: each holds its own private keys only" {
	cd "$BATS_FILE_TMPDIR"
	[ -f a/log ] && grep -q '^13 ' a/log || skip "the migration above did not run to its end"
	roles_scan_parties a0 b1 a2a b2a a2b b2b b6 a6 b10
}

@test "A's part of step 6 by zone transfer (TRANSFER=axfr, TSIG): B's zone of step 6 from B's server, checked served, signed by A's own signer" {
	local t
	[ -f "$BATS_FILE_TMPDIR/at6/time" ] || skip "the migration above did not reach step 6"
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR"/at6/{a,b} "$BATS_FILE_TMPDIR/src" .
	t=$(cat "$BATS_FILE_TMPDIR/at6/time")
	# The parent as it was then (step 4's delegation), and B's server
	# for zone transfers serving B's zone of step 6.
	roles_parent_publish a/r/step-3.request 2026120190
	cp b/history/b-6.zone "$ZCS_DIR/zones/bx6.zone"
	roles_nsd_xfr bx6 127.75.2.6 "$ZCS_DIR/zones/bx6.zone" && zcs_ready
	{
		printf 'TRANSFER=axfr\nB_XFR_ADDR=127.75.2.6@%s\n' "$ZCS_PORT"
		printf 'TSIG_NAME=%s\n' "$ROLES_TSIG_NAME"
		printf 'B_SERVERS="ns1.nic-b.example.=127.75.2.6@%s"\n' "$ZCS_PORT"
	} >> a/config
	(umask 077 && printf 'hmac-sha256:%s:%s\n' "$ROLES_TSIG_NAME" "$ROLES_TSIG_SECRET" > a/keys/tsig.key)
	# Not the bundle's copy: the transfer brings it.
	rm a/b/step-6.xfr
	roles_a_sign_6 src a6.signed b/history/b-6.zone b/keys/b
	BERO_NOW=$((t + 60)) runs roles_run bero-migrate -d a step 6 -f a6.signed
	assert_success
	assert_output --partial "kdig -k keys/tsig.key @127.75.2.6@$ZCS_PORT example. AXFR"
	assert_output --partial "served: every address of operator B serves b/step-6.zone"
	assert_output --partial "step 6: every check passed"
	cmp a/b/step-6.zone <(zcanon -z example. b/history/b-6.zone)
	# B's server goes back to B's zone of step 2b: A's step 6 takes
	# nothing it does not check (B's apex still names NS_A): nothing
	# published.
	rm -rf a && cp -a "$BATS_FILE_TMPDIR/at6/a" .
	cat >> a/config <<EOC
TRANSFER=axfr
B_XFR_ADDR=127.75.2.6@$ZCS_PORT
TSIG_NAME=$ROLES_TSIG_NAME
B_SERVERS="ns1.nic-b.example.=127.75.2.6@$ZCS_PORT"
EOC
	(umask 077 && printf 'hmac-sha256:%s:%s\n' "$ROLES_TSIG_NAME" "$ROLES_TSIG_SECRET" > a/keys/tsig.key)
	roles_serve bx6 b/history/b-2b.zone
	sleep 1
	BERO_NOW=$((t + 60)) runs roles_run bero-migrate -d a step 6 -f a6.signed
	assert_failure 1
	assert_output --partial "step 6: a check failed; nothing published"
	[[ "$stderr" == *"step 6: apex NS of b/step-6.zone is 'ns1.nic-a.example."* ]]
	[ ! -e a/history/a-6.zone ]
}
