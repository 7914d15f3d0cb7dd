#!/usr/bin/env bats
# The double-DS method (init -M double-ds) between three state
# directories (A, B, the registry), every step 1 to 13 with the commands
# each party types (init, import -y, step, export, observe), the parent
# outside: a test root served by NSD on loopback, whose delegation the
# test changes as IANA would (from the registry's request files) and
# which every party observes.  A signs with BIND's dnssec-signzone and
# its own keys (A_SIGNER=external); each operator's publications are
# served by an NSD of its own (the publish hook) and observed there.
# No KSK signature is exchanged: A's DNSKEY RRset carries KSK_A's
# signatures only and B's KSK_B's only, at every step.  Refusals: the
# registry's request of step ds3 while A does not serve the four keys,
# B's step 2b before the parent is seen serving DS_B (ds4), A's step 2b
# before DS_A alone has left the caches; each exits 2, names what to do
# next, and publishes nothing.  At the end, no directory holds a private
# key of another party.

load helper
load bero-migrate
load bero-roles
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	# The run spans 15 days without a refresh: KSK_B's signatures
	# over the RRset holding A's keys last 30 days here.
	roles_file_setup 2592000
}

teardown_file() {
	zcs_stop
}

setup() {
	zcs_load
	cd "$BATS_FILE_TMPDIR" || return 1
}

# signers_ok DIR: every zone A and B published in DIR's history
# carries a signature by its own operator's KSK over its DNSKEY RRset
# (A's: KSK_A's, B's: KSK_B's), never one by the other's.
signers_ok() {
	local ka kb f s
	ka=$(ksk_tag src/akeys) kb=$(ksk_tag b/keys/b)
	for f in "$1"/history/a-*.zone "$1"/history/b-*.zone; do
		s=" $(dnskey_sigs "$f") "
		case ${f##*/} in
		a-*) [[ $s == *" $ka "* && $s != *" $kb "* ]] ;;
		b-*) [[ $s == *" $kb "* && $s != *" $ka "* ]] ;;
		esac || { echo "$f: signed by $s (KSK_A $ka, KSK_B $kb)" >&2; return 1; }
	done
}

@test "double-DS in three directories: every step 1 to 13 with the parties' own commands, observed on the servers; no exchanged signature; the refusals publish nothing" {
	local t before serial=2026120101
	cd "$BATS_FILE_TMPDIR"
	export BERO_NOW=$T0
	roles_init src/apub parties.conf parties.conf -M double-ds

	# Step 1, B; A and the registry log it when B's servers serve it,
	# once they have confirmed DS_B's digest (-y).
	roles_step_1 $T0

	# Step 2a: A (its own signer) publishes the four keys, then B, each
	# signing the RRset with its own KSK only.
	roles_a_sign_2a src a2a.signed b/keys/b
	at $((T0 + 60)) bero-migrate -d a step 2a -f a2a.signed > /dev/null
	bero-migrate -d a export 2a -o a2a > /dev/null
	at $((T0 + 60)) bero-migrate -d b import a2a > /dev/null
	runs at $((T0 + 120)) bero-migrate -d b step 2a
	assert_success
	assert_output --partial "ok: the DNSKEY RRset of b/step-2a.zone is signed by b's KSK"
	grep -q '^\$ zcheck-chain .* -D b/ds-b.txt b/step-2a.zone$' b/reports/2a.check
	bero-migrate -d b export 2a -o b2a > /dev/null
	at $((T0 + 120)) bero-migrate -d a import b2a > /dev/null

	# Step ds3, the registry: refused until A's and B's 2a are observed
	# here, and while A's servers do not serve the four keys.
	before=$(snapshot r)
	runs at $((T0 + 180)) bero-migrate -d r step ds3
	refused_here r "$before" "step ds3 refused: the next step here is 2a .*: bero-migrate -d r observe 2a logs it once operator B's bundle b-2a is imported and operator A and operator B serve its zone; nothing done"
	at $((T0 + 180)) bero-migrate -d r import b2a > /dev/null
	roles_serve afile src/a.signed
	runs at $((T0 + 180)) bero-migrate -d r observe 2a
	assert_failure 1
	assert_output --partial "step 2a: not observed; nothing logged"
	roles_serve afile a/published/a/example.zone
	runs at $((T0 + 180)) bero-migrate -d r observe 2a
	assert_success
	assert_output --partial "logged: step 2a at"
	before=$(snapshot r)
	roles_serve afile src/a.signed
	runs at $((T0 + 240)) bero-migrate -d r step ds3
	refused_here r "$before" "step ds3 refused: operator A's servers do not all serve b/step-2a.zone \\(above\\): the registry asks IANA only for what every server of the delegation serves; nothing asked"
	[ ! -e r/r/step-ds3.request ]
	roles_serve afile a/published/a/example.zone
	runs at $((T0 + 240)) bero-migrate -d r step ds3
	assert_success
	assert_output --partial "ok: IANA's rules for the delegation in r/step-ds3.request.new"
	assert_output --partial "step ds3: every check passed"
	# DS_A and DS_B, the NS set A's alone.
	[ "$(awk -F '\t' '$4 == "DS"' r/r/step-ds3.request | wc -l)" -eq 2 ]
	assert_equal "$(awk -F '\t' '$4 == "NS" { print $5 }' r/r/step-ds3.request | sort | tr '\n' ' ')" "ns1.nic-a.example. ns2.nic-a.example. "

	# B's step 2b before the parent publishes DS_B: refused, naming
	# the observation; the parent's step is observed, never typed.
	before=$(snapshot b)
	runs at $((T0 + 300)) bero-migrate -d b step 2b
	refused_here b "$before" "step 2b refused: the next step here is ds3 .*: bero-migrate -d b observe ds4 logs it once every parent address serves the delegation of step ds3; nothing done"
	runs at $((T0 + 300)) bero-migrate -d a observe ds4
	assert_failure 1
	assert_output --partial "step ds4: not observed"
	runs at $((T0 + 300)) bero-migrate -d a step ds4
	assert_trouble bero-migrate "step ds4 is the parent's \\(IANA publishes the root zone\\)"
	t=$((T0 + 86400))
	roles_parent_publish r/r/step-ds3.request $((serial += 1))
	for d in a b r; do
		runs at $t bero-migrate -d $d observe ds4
		assert_success
	done
	assert_equal "$(awk '{ print $1, $3 }' a/log | tr '\n' ' ')" "0 a 1 b 2a a ds3 r ds4 root "
	assert_equal "$(grep -c "	DS	" a/published/root/ds.txt)" 2

	# Step 2b, A, not before DS_A alone has left the caches (Tds4 +
	# Dprp_P + TTL_DS_P); then B.
	roles_a_sign_2b src a2b.signed b/keys/b
	t=$(due a 2b)
	assert_equal "$t" "$((T0 + 86400 + 1800 + 86400))"
	before=$(snapshot a)
	runs at $((t - 1)) bero-migrate -d a step 2b -f a2b.signed
	refused_here a "$before" "step 2b refused: wait 1s more, .*Tds4 \\+ Dprp_P \\+ TTL_DS_P"
	runs at $t bero-migrate -d a step 2b -f a2b.signed
	assert_success
	assert_output --partial "ok: every DS set a resolver may hold names b's KSK"
	bero-migrate -d a export 2b -o a2b > /dev/null
	at $t bero-migrate -d b import a2b > /dev/null
	t=$(due b 2b)
	runs at $t bero-migrate -d b step 2b
	assert_success
	assert_output --partial "ok: every DS set a resolver may hold names b's KSK"
	bero-migrate -d b export 2b -o b2b > /dev/null
	at $t bero-migrate -d a import b2b > /dev/null
	at $t bero-migrate -d r import b2b > /dev/null
	runs at $t bero-migrate -d r observe 2b
	assert_success

	# Step 3, the registry: NS_A + NS_B, the DS set as served; 4.
	runs at $t bero-migrate -d r step 3
	assert_success
	assert_output --partial "step 3: every check passed"
	[ "$(awk -F '\t' '$4 == "DS"' r/r/step-3.request | wc -l)" -eq 2 ]
	[ "$(awk -F '\t' '$4 == "NS"' r/r/step-3.request | wc -l)" -eq 4 ]
	t=$((t + 86400))
	roles_parent_publish r/r/step-3.request $((serial += 1))
	for d in a b r; do
		runs at $t bero-migrate -d $d observe 4
		assert_success
	done

	# Step 5, each party after its wait.
	for d in a b r; do
		t=$(due $d 5)
		runs at $t bero-migrate -d $d step 5
		assert_success
	done

	# Step 6: B first, A serves B's data signed by A's keys; 7, 8.
	runs at $t bero-migrate -d b step 6
	assert_failure 1
	assert_output --partial "step 6: every check passed"
	bero-migrate -d b export 6 -o b6 > /dev/null
	at $t bero-migrate -d a import b6 > /dev/null
	at $t bero-migrate -d r import b6 > /dev/null
	roles_a_sign_6 src a6.signed a/b/step-6.xfr b/keys/b
	runs at $((t + 60)) bero-migrate -d a step 6 -f a6.signed
	assert_success
	assert_output --partial "step 6: every check passed"
	bero-migrate -d a export 6 -o a6 > /dev/null
	at $((t + 60)) bero-migrate -d b import a6 > /dev/null
	for d in b r; do
		runs at $((t + 60)) bero-migrate -d $d observe 6
		assert_success
	done
	runs at $((t + 120)) bero-migrate -d r step 7
	assert_success
	t=$((t + 86400))
	roles_parent_publish r/r/step-7.request $((serial += 1))
	for d in a b r; do
		runs at $t bero-migrate -d $d observe 8
		assert_success
	done

	# Step 9 at each party; 10 at B; 11 the registry; 12 the parent.
	for d in a b r; do
		t=$(due $d 9)
		runs at $t bero-migrate -d $d step 9
		assert_success
	done
	runs at $t bero-migrate -d b step 10
	assert_success
	assert_output --partial "ok: no signature by a's keys in b/step-10.zone"
	bero-migrate -d b export 10 -o b10 > /dev/null
	at $t bero-migrate -d r import b10 > /dev/null
	runs at $t bero-migrate -d r observe 10
	assert_success
	t=$(due r 11)
	runs at $t bero-migrate -d r step 11
	assert_success
	t=$((t + 86400))
	roles_parent_publish r/r/step-11.request $((serial += 1))
	for d in a b r; do
		runs at $t bero-migrate -d $d observe 12
		assert_success
	done
	for d in a b r; do
		assert_equal "$(awk '{ print $1 }' $d/log | tr '\n' ' ')" "0 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 "
	done

	# Step 13, A, after its wait.
	t=$(due a 13)
	runs at $t bero-migrate -d a step 13
	assert_success
	assert_output --partial "removed: published/a/example.zone"

	# No exchanged signature anywhere: A's zones carry KSK_A's
	# signatures over the DNSKEY RRset only, B's KSK_B's only.
	signers_ok a
	signers_ok b
	[ "$(ls a/history/a-*.zone | wc -l)" -ge 4 ]
	[ "$(ls b/history/b-*.zone | wc -l)" -ge 4 ]
}

@test "double-DS: the key-disjointness scan over the three directories and every bundle: each holds its own private keys only" {
	cd "$BATS_FILE_TMPDIR"
	[ -f a/log ] && grep -q '^13 ' a/log || skip "the migration above did not run to its end"
	roles_scan_parties a0 b1 a2a b2a a2b b2b b6 a6 b10
}
