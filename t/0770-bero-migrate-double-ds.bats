#!/usr/bin/env bats
# bero-migrate with METHOD=double-ds (init -M double-ds): RFC 6781
# section 4.1.2's Double-DS applied to a change of operator.  No KSK
# signature is exchanged; the root gets DS_B beside DS_A (steps ds3,
# ds4) before B is in any NS set (step 2b), which waits Dprp_P +
# TTL_DS_P after DS_B is published and checks that every DS set a
# resolver may hold names KSK_B.  The whole migration in the
# one-directory rehearsal, every view checked by zcheck-chain; plan for
# both methods.  Every time is BERO_NOW.

load helper
load bero-migrate

# The steps of the double-DS method (bm_run runs them in this order).
BM_STEPS="1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 13"

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	bm_init tpl -M double-ds
	bm_run tpl 2a
	bm_copy tpl ds
	bm_run ds ds4
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	F=$BATS_FILE_TMPDIR
}

# The key tags of the signatures over the apex DNSKEY RRset of a zone,
# sorted, one a line.
dnskey_signers() {
	awk -F '\t' '$1 == "example." && $4 == "RRSIG" && $5 ~ /^DNSKEY / {
	    split($5, f, " "); print f[7] }' "$1" | sort -u
}

# The key tag of a party's KSK in a state directory.
ksk_tag() {
	local k
	for k in "$1"/keys/"$2"/K*.key; do
		grep -q 'DNSKEY[[:space:]]*257 ' "$k" || continue
		basename "$k" .key | awk -F '+' '{ print $3 + 0 }'
	done
}

@test "init -M double-ds: the method in config, its steps in status and the errors" {
	run grep -x 'METHOD=double-ds' "$F/tpl/config"
	assert_success
	BERO_NOW=$T0 runs bero-migrate -d "$F/tpl" status
	assert_success
	assert_line --regexp '^next: step ds3 \(r\), now$'
	bm_copy "$F/tpl" st
	runs bero-migrate -d st step 14
	assert_trouble bero-migrate 'step 14: no such step \(steps: 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 13\)'
	BERO_NOW=$((T0 + 86400)) runs bero-migrate -d st step 2b
	assert_trouble bero-migrate 'step 2b: out of order: the next step is ds3'
	runs bero-migrate -d bad init -M double-dss
	assert_trouble bero-migrate 'init: -M double-dss: not a method \(exchange, double-ds\)'
	[ ! -e bad ]
	# The exchange method has no step ds3.
	bm_init ex
	runs bero-migrate -d ex when ds3
	assert_trouble bero-migrate 'step ds3: no such step \(steps: 1 2a 2b 3 4 5 6 7 8 9 10 11 12 13\)'
	# A config that names no method is refused.
	echo METHOD=both > odd.conf
	BERO_NOW=$T0 runs bero-migrate -d odd init -N 20 -C odd.conf
	assert_trouble bero-migrate "config: METHOD='both': not exchange or double-ds"
	[ ! -e odd/log ]
}

@test "double-DS step 2a: the four keys at both, each RRset signed by its own KSK only" {
	local ka kb
	ka=$(ksk_tag "$F/tpl" a) kb=$(ksk_tag "$F/tpl" b)
	for p in a b; do
		assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' "$F/tpl/history/$p-2a.zone")" 4
	done
	run dnskey_signers "$F/tpl/history/a-2a.zone"
	refute_line "$kb"
	assert_line "$ka"
	run dnskey_signers "$F/tpl/history/b-2a.zone"
	refute_line "$ka"
	assert_line "$kb"
	# B, in no NS set, was checked from its own DS.
	grep -q '^\$ zcheck-chain .* -D b/ds-b.txt b/step-2a.zone$' "$F/tpl/reports/2a.check"
	# A's and B's zones compared (G3 to G6, zcheck-chain's alone).
	grep -q '^\$ zcheck-chain -v -t [0-9]* a/step-2a.zone b/step-2a.zone$' "$F/tpl/reports/2a.check"
	run grep -c '^\$ zcheck-chain' "$F/tpl/reports/2a.check"
	assert_output 3
	refute grep -q INVALID "$F/tpl/reports/2a.out"
}

@test "double-DS steps ds3 and ds4: DS_A + DS_B at the root while only NS_A is listed; IANA's check passes on A's keys" {
	assert_equal "$(awk '{ print $1, $3 }' "$F/ds/log" | tr '\n' ' ')" "0 a+root 1 b 2a a+b ds3 r ds4 root "
	grep -q 'ok: every DS in r/step-ds3.request matches a DNSKEY of published/a/example.zone' "$F/ds/reports/ds3.out"
	grep -q 'ok: every DS in root/step-ds4.zone matches a DNSKEY of published/a/example.zone' "$F/ds/reports/ds4.out"
	assert_equal "$(grep -c $'\tDS\t' "$F/ds/published/root/ds.txt")" 2
	run awk -F '\t' '$1 == "example." && $4 == "NS" { print $5 }' "$F/ds/published/root/root.zone"
	assert_output "ns1.nic-a.example.
ns2.nic-a.example."
	# The DS set of the root at ds4 holds the digest of B's KSK.
	ds-from-dnskey -2 "$(grep -l 'DNSKEY[[:space:]]*257 ' "$F"/ds/keys/b/K*.key)" > dsb
	[ "$(awk -F '\t' '$4 == "DS" { print $5 }' dsb | wc -l)" -eq 1 ]
	grep -qF "$(awk -F '\t' '$4 == "DS" { print $5 }' dsb)" "$F/ds/published/root/ds.txt"
}

@test "double-DS step 2b before DS_B's wait: refused with the rule and the time left; at the time, done" {
	local t4 due
	bm_copy "$BATS_FILE_TMPDIR/ds" st
	t4=$(bm_time st ds4)
	# Dprp_P 1800 + TTL_DS_P 86400 after ds4; TTL_KEY's wait after 2a
	# (4200 s) is over long before.
	due=$((t4 + 1800 + 86400))
	runs bero-migrate -d st when 2b
	assert_success
	assert_output "$due"
	before=$(bm_snapshot)
	BERO_NOW=$((t4 + 4200)) runs bero-migrate -d st step 2b
	assert_trouble bero-migrate 'step 2b refused: wait 23h 20m more, until 2026-12-02 00:30:00 UTC: bero-migration\(7\), THE WAITS, step 2b: now >= T2a \+ Dprp_C \+ TTL_KEY\(old\) = .*, and now >= Tds4 \+ Dprp_P \+ TTL_DS_P = 2026-12-01 00:00:00 UTC \+ 1800 \+ 86400 \(double-DS: no resolver holds a DS set without DS_B\)'
	BERO_NOW=$((due - 1)) runs bero-migrate -d st step 2b
	assert_trouble bero-migrate 'step 2b refused: wait 1s more'
	assert_equal "$(bm_snapshot)" "$before"
	BERO_NOW=$due runs bero-migrate -d st step 2b
	assert_success
	assert_line '  ok: every DS set a resolver may hold names b'"'"'s KSK (1 sets)'
	assert_line 'step 2b: every check passed'
}

@test "double-DS step 2b when the root never published DS_B: refused by the check and by zcheck-chain, nothing published (the exchange's step 2b has no such check)" {
	local due
	bm_init st -M double-ds
	bm_run st ds3
	# The parent publishes the request without DS_B.
	awk -F '\t' -v k="$(ksk_tag st b) " '!($4 == "DS" && index($5, k) == 1)' \
	    st/r/step-ds3.request > req && cp req st/r/step-ds3.request
	BERO_NOW=$T0 bero-migrate -d st step ds4 > /dev/null
	assert_equal "$(grep -c $'\tDS\t' st/published/root/ds.txt)" 1
	due=$(bero-migrate -d st when 2b)
	before=$(bm_snapshot)
	BERO_NOW=$due runs bero-migrate -d st step 2b
	assert_equal "$status" 1
	assert_line 'step 2b: a check failed; nothing published'
	assert_line '  zcheck-chain: INVALID (reports/2b.check)'
	[[ "$stderr" == *"step 2b: a resolver may still hold a DS set without b's DS ($(ksk_tag st b) 13): history/ds-ds4.txt; b, which carries no signature by the other KSK, must not be in an NS set yet"* ]] ||
	    fail "no refusal naming DS_B: $stderr"
	assert_equal "$(bm_snapshot)" "$before"
	[ ! -e st/history/b-2b.zone ]
	run tail -n 1 st/log
	assert_output --regexp '^ds4 '
}

@test "double-DS end to end: every step's checks and views pass, no KSK signature exchanged, A stops at 13" {
	local s ka kb
	bm_copy "$BATS_FILE_TMPDIR/ds" st
	bm_run st 13
	assert_equal "$(awk '{ print $1 }' st/log | tr '\n' ' ')" "0 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 13 "
	assert_equal "$(awk '{ print $3 }' st/log | tr '\n' ' ')" "a+root b a+b r root a+b r root all b+a r root all b r root a "
	for s in $BM_STEPS; do
		grep -q "^step $s: every check passed$" st/reports/$s.out ||
		    fail "step $s: not every check passed"
		refute grep -q INVALID st/reports/$s.out
	done
	# Every step but the registry's requests checked views.
	for s in 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 13; do
		grep -q '^\$ zcheck-chain ' st/reports/$s.check || fail "step $s: no view checked"
	done
	# B never carried KSK_A's signature, A never KSK_B's.
	ka=$(ksk_tag st a) kb=$(ksk_tag st b)
	for z in st/history/b-*.zone; do
		run dnskey_signers "$z"
		refute_line "$ka"
	done
	for z in st/history/a-*.zone; do
		run dnskey_signers "$z"
		refute_line "$kb"
	done
	[ ! -e st/a/step-2a.dnskey ] && [ ! -e st/b/step-6.dnskey ]
	# The end: DS_B alone at the root, NS_B alone, A serves nothing.
	assert_equal "$(grep -c $'\tDS\t' st/published/root/ds.txt)" 1
	[ ! -e st/published/a/example.zone ]
	# 2b waited for DS_B: a day and half an hour after ds4.
	assert_equal "$(( $(bm_time st 2b) - $(bm_time st ds4) ))" 88200
}

@test "plan -M double-ds: ds3 and ds4 before 2b, IANA's time and the DS wait, golden times" {
	runs bero-migrate plan -M double-ds -t 20261201000000
	assert_success
	assert_line --index 0 "method double-ds: the registry asks for DS_A + DS_B (NS stays NS_A), the root publishes DS_A + DS_B, before step 2b"
	assert_line --regexp '^2a +a\+b +2026-12-01 00:00:00 UTC \+0s +A and B publish both operators. keys, each signs with its own KSK only$'
	assert_line --regexp '^ds3 +r +2026-12-01 00:00:00 UTC \+0s '
	# IANA_DELAY (1 day) after the request.
	assert_line --regexp '^ds4 +root +2026-12-02 00:00:00 UTC \+1d '
	# Tds4 + Dprp_P + TTL_DS_P.
	assert_line --regexp '^2b +a\+b +2026-12-03 00:30:00 UTC \+2d 30m +A and B add NS_B at the apex$'
	assert_line --regexp '^4 +root +2026-12-04 00:30:00 UTC '
	assert_line '  2b  max(T2a + Dprp_C + TTL_KEY(old), Tds4 + Dprp_P + TTL_DS_P)'
	assert_line '  ds4, 4, 8, 12: IANA_DELAY after the request (planned, not enforced)'
	# The exchange reaches step 13 IANA_DELAY + Dprp_P + TTL_DS_P -
	# (Dprp_C + TTL_KEY) sooner: 1d 23h 20m.
	last_dds=$(printf '%s\n' "$output" | awk '$1 == 13 && $2 == "a" { print $3, $4 }')
	runs bero-migrate plan -M exchange -t 20261201000000
	assert_equal "$output" "$(cat "$BM_DATA/plan-default.out")"
	last_ex=$(printf '%s\n' "$output" | awk '$1 == 13 && $2 == "a" { print $3, $4 }')
	assert_equal "$(( $(date -u -d "$last_dds" +%s) - $(date -u -d "$last_ex" +%s) ))" 170400
}

@test "plan -M both: the two tables and the trade-offs; -m with -d and bad -m" {
	runs bero-migrate plan -M both -t 20261201000000
	assert_success
	assert_line '== method exchange'
	assert_line '== method double-ds'
	assert_line --regexp '^ds4 +root '
	assert_line --partial 'A must sign the four-key RRset with its KSK for B'
	assert_line --partial 'one more root change (ds3-ds4: DS_A + DS_B'
	[ "$(printf '%s\n' "$output" | grep -c '^13 ')" -eq 2 ]
	assert_line '  step 13 at the earliest: exchange +10d 2h 10m, double-ds +12d 1h 30m'
	runs bero-migrate plan -M both -o x.svg
	assert_trouble bero-migrate 'plan -M both: -o draws one method'
	runs bero-migrate plan -M dds
	assert_trouble bero-migrate 'plan: -M dds: not a method \(exchange, double-ds, both\)'
	runs bero-migrate -d "$BATS_FILE_TMPDIR/tpl" plan -M exchange
	assert_trouble bero-migrate 'plan -M exchange: .*/tpl runs the double-ds method \(config METHOD\)'
	# plan -d follows the state directory's method.
	BERO_NOW=$T0 runs bero-migrate -d "$BATS_FILE_TMPDIR/tpl" plan
	assert_success
	assert_line --regexp '^ds3 +r +2026-12-01 00:00:00 UTC '
}

@test "plan -M double-ds -o: the timeline of the double-DS steps, well-formed" {
	runs bero-migrate plan -M double-ds -o t.svg -t 20261201000000
	assert_success
	xmllint --noout t.svg
	for s in 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 13; do
		grep -q ">step $s<" t.svg || fail "no column for step $s"
	done
	grep -q 'each signing it with its own KSK only' t.svg
}

@test "double-DS: sync at step ds4 goes from A, the source until step 6" {
	bm_copy "$F/ds" st
	BERO_NOW=$T0 runs bero-migrate -d st sync
	assert_line --regexp '^== sync \(sync-[0-9]+\) at .*: from a \(the source\) to b$'
}
