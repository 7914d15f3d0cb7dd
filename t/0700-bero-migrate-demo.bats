#!/usr/bin/env bats
# The whole migration end to end on a small sample TLD, every step at
# the earliest time the driver allows (BERO_NOW), as make demo runs it:
# what each party publishes at the end, the waits of steps 5 and 9
# refused until their time, registered-domain data unchanged, A's zone
# gone; a zone of one's own (-z) with a delegation over A's name-server
# host; and scripts/demo.sh itself.

load helper
load bero-migrate

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	bm_init st
	bm_run st 13
}

setup() {
	cd "$BATS_FILE_TMPDIR"
}

@test "every step done, in order, each at or after its time" {
	run awk '{ print $1 }' st/log
	assert_output "$(printf '%s\n' 0 $BM_STEPS)"
	# The waits as planned for the sample TLD's and the root's TTLs:
	# for step 5 the root's NS and glue TTL (two days) binds.
	assert_equal "$(bm_time st 2b)" $((T0 + 4200))
	assert_equal "$(bm_time st 4)" $((T0 + 4200))
	assert_equal "$(bm_time st 5)" $((T0 + 4200 + 1800 + 172800))
	assert_equal "$(bm_time st 9)" $(($(bm_time st 8) + 1800 + 172800 + 86400))
	assert_equal "$(bm_time st 11)" $(($(bm_time st 10) + 600 + 3600))
	run bero-migrate -d st status
	assert_line 'the migration is complete'
	runs bero-migrate -d st step 13
	assert_trouble bero-migrate 'step 13: already done'
}

@test "at the end: A stopped, B alone with its own keys, the root delegating to B with DS_B" {
	[ ! -e st/published/a/example.zone ]
	local b=st/published/b/example.zone kb
	run awk -F '\t' '$4 == "DNSKEY" { print $5 }' "$b"
	[ "${#lines[@]}" -eq 2 ]
	for kb in st/keys/b/*.key; do
		grep -qF "$(awk '!/^;/ { print $NF }' "$kb")" "$b" ||
		    fail "B's key $kb is not published"
	done
	run awk -F '\t' '$1 == "example." && $4 == "NS" { print $5 }' st/published/root/root.zone
	assert_output "ns1.nic-b.example.
ns2.nic-b.example."
	run zcheck-chain -q -t "$(bm_time st 13)" -d st/published/root/ds.txt "$b"
	assert_success
	run zcheck-chain -q -t "$(bm_time st 13)" -D -d st/published/root/ds.txt "$b"
	assert_success
	# Registered domains' data never changed.
	run zdiff-dnssec -D -g data st/history/a-0.zone "$b"
	assert_success
}

@test "every published version was checked: a verdict and a report per step" {
	local s
	for s in 0 $BM_STEPS; do
		grep -q '^\$ zcheck-chain ' "st/reports/$s.check" ||
		    fail "no zcheck-chain run in step $s"
		grep -q "^step $s: every check passed" "st/reports/$s.out" ||
		    fail "step $s did not pass"
	done
	for s in 1 2a 2b 4 6 8 10 12; do
		grep -q '^\$ zdiff-dnssec ' "st/reports/$s.diff" ||
		    fail "no zdiff-dnssec report in step $s"
	done
	# The views: step 2b checks A's and B's new zones, with the
	# versions of 2a still cached, from {DS_A}; step 6's A part has
	# B's new zone as an operand and the 2b versions as cached ones,
	# with their refresh just before step 6 (bm_run refreshes).
	grep -q -- '-d history/ds-0.txt -c history/a-2a.zone -c history/b-2a.zone a/step-2b.zone b/step-2b.zone$' st/reports/2b.check
	grep -q -- '-c history/a-2b.zone -c history/a-refresh-1.zone -c history/b-2b.zone -c history/b-refresh-1.zone a/step-6.zone published/b/example.zone$' st/reports/6.check
	# After step 9 A is out of every view.
	! grep -q 'a-6\|published/a' st/reports/10.check
}

@test "the signature exchange: each operator carries the other's KSK signature over the shared DNSKEY RRset" {
	local f
	for f in st/history/a-2b.zone st/history/b-2b.zone st/history/a-6.zone st/history/b-6.zone; do
		run awk -F '\t' '$4 == "RRSIG" && $5 ~ /^DNSKEY / { split($5, r, " "); print r[7] }' "$f"
		[ "${#lines[@]}" -ge 2 ] || fail "$f: one signature over the DNSKEY RRset"
	done
	# Step 10 took A's keys and A's signatures out of B's zone.
	run awk -F '\t' '$4 == "DNSKEY"' st/history/b-10.zone
	[ "${#lines[@]}" -eq 2 ]
}

@test "the waits of steps 5 and 9 are refused a second early" {
	local t
	bm_copy st w
	# Back to just after step 4, then ask for step 5 too soon.
	awk '$1 == "5" { exit } { print }' st/log > w/log
	t=$(bero-migrate -d w when 5)
	BERO_NOW=$((t - 1)) runs bero-migrate -d w step 5
	assert_trouble bero-migrate 'step 5 refused: wait 1s more, until .*: bero-migration\(7\), THE WAITS, step 5: now >= T4 \+ Dprp_P \+ max\(TTL_NS_P, TTL_GLUE_P, TTL_DS_P\) = .* \+ 1800 \+ max\(172800, 172800, 86400\), now >= T2b \+ Dprp_C \+ TTL_NS_C = .* \+ 600 \+ 86400, and now >= T2b \+ Dprp_C \+ TTL_NEG_C = .* \+ 600 \+ 300 \(the negative TTL, RFC 2308 section 5\)'
	awk '$1 == "9" { exit } { print }' st/log > w/log
	t=$(bero-migrate -d w when 9)
	BERO_NOW=$((t - 1)) runs bero-migrate -d w step 9
	assert_trouble bero-migrate 'step 9 refused: wait 1s more, .*the last moment A could be reached \+ TTL_SIG = .* \+ 86400'
	awk '$1 == "11" { exit } { print }' st/log > w/log
	t=$(bero-migrate -d w when 11)
	BERO_NOW=$((t - 1)) runs bero-migrate -d w step 11
	assert_trouble bero-migrate 'step 11 refused: wait 1s more, .*now >= T10 \+ Dprp_C \+ TTL_KEY = .* \+ 600 \+ 3600 \(RFC 7583 section 3.3.2\)'
}

@test "a zone of one's own: the examples' TLD, whose nic-a.example delegation names A's host" {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/examples/example.zone" .
	BERO_NOW=$T0 bero-migrate -d own init -z example.zone > /dev/null
	bm_run own 6
	run zdiff-dnssec -D -g data example.zone own/published/b/example.zone
	assert_success
	# Step 6 at B and A: ns1.nic-a.example keeps its glue under
	# nic-a.example, and ns2 its address: NS_A's host address records
	# stay unless REMOVE_NS_A_ADDRS=yes (t/0740).
	for z in own/published/b/example.zone own/published/a/example.zone; do
		run awk -F '\t' '$1 ~ /^ns[12]\.nic-a\.example\.$/ && $4 == "A" { print $1 }' "$z"
		assert_output "ns1.nic-a.example.
ns2.nic-a.example."
	done
}

@test "make demo's script: the whole migration, printed step by step" {
	cd "$BATS_TEST_TMPDIR"
	BERO_NOW=$T0 DEMO_OUT=$PWD/out DEMO_DELEGATIONS=20 \
	    runs sh "$TOP/scripts/demo.sh" "$BK_BIN"
	assert_success
	# init, the 13 steps that check, and step 6 twice (B, then A).
	assert_equal "$(grep -c '^step .*: every check passed$' <<< "$output")" 16
	assert_equal "$(grep '^step .*: every check passed$' <<< "$output" |
	    sort -u | wc -l)" 15
	# Once, the driver is asked too early, and refuses.  The test
	# clock is said each time.
	[[ "$stderr" == *"bero-migrate: step 2b refused: wait 1h 10m more"* ]] ||
	    fail "no refusal: $stderr"
	[[ "${stderr_lines[0]}" == "bero-migrate: clock: BERO_NOW=$T0 in effect" ]] ||
	    fail "the test clock not said: $stderr"
	assert_line --regexp '^\$ zadd-bero-ns -r -k -n a/ns-a.frag published/b/example.zone '
	assert_line --partial '  zcheck-chain: valid'
	assert_line --regexp '^  signatures: [0-9]+ made, '
	assert_line 'the migration is complete'
	xmllint --noout out/plan.svg
	[ -s out/state/log ]
}
