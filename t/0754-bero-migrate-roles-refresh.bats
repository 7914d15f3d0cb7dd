#!/usr/bin/env bats
# bero-migrate refresh between three state directories (A, B, the
# registry), against real name servers (NSD on loopback, no resolver).
# During the waits B renews its own signatures and KSK_B's short-lived
# ones over the DNSKEY RRset holding A's keys (KEY_SIG_VALIDITY, 4 days),
# and A follows B's serial (G5).  A's signatures last 8 days here: status
# at B warns and names the date when the exchanged KSK_A signature runs
# short, B's step 5 is refused from then until A hands over a new one
# (A's refresh, its refresh bundle a-refresh, B's import and refresh),
# and then passes.  Before that, a parent that publishes the NS change
# of step 3 without DS_B: step 4 is not observed, B's step 5 refused.

load helper
load bero-migrate
load bero-roles
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	roles_file_setup || return 1
	[ -z "$ZCS_SKIP" ] || return 0
	# A's new signatures last 8 days: the exchanged one runs short
	# within the wait of step 5.
	{ cat parties.conf; printf 'ZRESIGN_OPTS="-e +691200"\n'; } > a.conf
}

teardown_file() {
	zcs_stop
}

setup() {
	zcs_load
	cd "$BATS_FILE_TMPDIR" || return 1
}

# ksk_b_expiry DIR-ZONE: the expiration of KSK_B's signature over the
# DNSKEY RRset.
sig_exp() {
	awk -F '\t' -v t="$2" '$1 == "example." && $4 == "RRSIG" { split($5, f, " ")
	    if (f[1] == "DNSKEY" && f[7] == t) print f[5] }' "$1"
}

fmt() {
	date -u -d "@$1" '+%Y-%m-%d %H:%M:%S UTC'
}

@test "refresh in the parties' directories: B renews its own and KSK_B's signatures during the waits, A follows B's serial; the exchanged KSK_A signature running short: status warns with the date, B's step 5 refused until A's refresh bundle is imported" {
	local t before x ka kb e1 e2
	cd "$BATS_FILE_TMPDIR"
	export BERO_NOW=$T0
	roles_init src/akeys a.conf parties.conf
	roles_step_1 $T0
	roles_step_2a $((T0 + 60))
	roles_step_2b
	t=$T
	at $((t + 60)) bero-migrate -d r step 3 > /dev/null
	# The parent publishes the NS change of step 3 without DS_B: step 4
	# is never observed, and B's step 5 is refused with the reason.
	awk -F '\t' -v t="$(awk -F '\t' '{ split($5, f, " "); print f[1] }' b/b/ds-b.txt)" \
	    '!($4 == "DS" && $5 ~ ("^" t " "))' r/r/step-3.request > nodsb
	[ "$(grep -c '	DS	' nodsb)" -eq 1 ] && [ "$(grep -c '	NS	' nodsb)" -eq 4 ]
	roles_parent_publish nodsb 2026120101
	runs at $((T0 + 86400)) bero-migrate -d b observe 4
	assert_failure 1
	assert_output --partial "step 4: not observed"
	before=$(snapshot b)
	runs at $((T0 + 4 * 86400)) bero-migrate -d b step 5
	refused_here b "$before" "step 5 refused: the next step here is 3 .*: bero-migrate -d b observe 4 logs it once every parent address serves the delegation of step 3; nothing done"
	roles_parent_publish r/r/step-3.request 2026120102
	for d in a b; do
		at $((T0 + 86400)) bero-migrate -d $d observe 4 > /dev/null
	done
	ka=$(ksk_tag src/akeys)
	kb=$(ksk_tag b/keys/b)
	x=$(sig_exp b/published/b/example.zone "$ka")

	# The long wait of step 5: B refreshes, A follows its serial.
	for t in $((T0 + 2 * 86400)) $((T0 + 4 * 86400)); do
		e1=$(sig_exp b/published/b/example.zone "$kb")
		runs at $t bero-migrate -d b refresh
		assert_success
		assert_output --partial "every check passed"
		e2=$(sig_exp b/published/b/example.zone "$kb")
		# KSK_B's signature made again, KEY_SIG_VALIDITY long.
		[ "$e2" -gt "$e1" ]
		assert_equal "$(sig_exp b/published/b/example.zone "$ka")" "$x"
		runs at $t bero-migrate -d a refresh
		assert_success
		assert_output --partial "this refresh takes it (G5)"
		assert_equal "$(served 127.75.1.1)" "$(served 127.75.2.1)"
	done

	# The exchanged signature runs short: status names the date.
	x=$(date -u -d "${x:0:8} ${x:8:2}:${x:10:2}:${x:12:2}" +%s)
	t=$((T0 + 6 * 86400))
	runs at $t bero-migrate -d b status
	assert_success
	assert_output --partial "warning: the exchanged signature (KSK_A's) operator B carries expires at $(fmt "$x") and runs short at $(fmt $((x - 43200 - 172800)))"
	# And, as in the rehearsal, that it expires within the longest wait
	# ahead (the plan from B's log: step 9 three days after step 8).
	assert_output --partial "warning: published/b/example.zone: the exchanged signature by A's KSK expires at $(fmt "$x"), sooner than the longest wait ahead (3d 30m before step 9) + REFRESH_MARGIN"
	before=$(snapshot b)
	runs at $t bero-migrate -d b step 5
	refused_here b "$before" "step 5 refused: the exchanged signature \\(KSK_A's over the DNSKEY RRset\\) operator B carries expires at .*: operator A must hand over a new one"
	# A's refresh renews KSK_A's signature; B takes it from A's bundle.
	runs at $t bero-migrate -d a refresh
	assert_success
	bero-migrate -d a export refresh -o arefresh > /dev/null
	at $t bero-migrate -d b import arefresh > /dev/null
	runs at $t bero-migrate -d b refresh
	assert_success
	assert_output --partial "operator A's new signature over the DNSKEY RRset, from its refresh bundle"
	[ "$(sig_exp b/published/b/example.zone "$ka")" -gt "$(date -u -d "@$x" +%Y%m%d%H%M%S)" ]
	assert_equal "$(served 127.75.1.1)" "$(served 127.75.2.1)"
	runs at $t bero-migrate -d b status
	refute_output --partial "warning: the exchanged signature"
	refute_output --partial "sooner than the longest wait ahead"
	runs at $t bero-migrate -d b step 5
	assert_success
}
