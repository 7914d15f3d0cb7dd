#!/usr/bin/env bats
# bero-migrate plan: the earliest time of every step for given TTLs and
# delays (golden, checked by hand against PROCEDURE.md's rules), the SVG
# timeline, durations with units, plan over a state directory, and bad
# input.

load helper
load bero-migrate

SHORT="TTL_KEY=10 TTL_NS_C=10 TTL_SIG=10 TTL_NS_P=10 TTL_DS_P=10 TTL_GLUE_P=10 TTL_NEG_C=20 Dprp_C=2 Dprp_P=2 IANA_DELAY=0 SERVE_STALE=30"

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "plan: the root zone's TTLs and the defaults, golden" {
	runs bero-migrate plan -t 20261201000000
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "$(cat "$BM_DATA/plan-default.out")"
}

@test "plan: ten-second TTLs, golden; each wait follows its rule" {
	# shellcheck disable=SC2086
	runs bero-migrate plan -t 20261201000000 $SHORT
	assert_success
	assert_equal "$output" "$(cat "$BM_DATA/plan-short.out")"
	# 2b = T2a + Dprp_C + TTL_KEY; 5 = T2b + Dprp_C + TTL_NEG_C (20,
	# more than T4 + Dprp_P + 10); 9 = max(T8 + Dprp_P + 10, T6 + Dprp_C
	# + 10) + TTL_SIG; 11 = max(T10 + Dprp_C + 10, the last moment A
	# could be reached + SERVE_STALE); 13 = max(T8 + Dprp_P + 10, T6 +
	# Dprp_C + 10) + SERVE_STALE (30).
	assert_line --regexp '^2b +a\+b +2026-12-01 00:00:12 UTC \+12s '
	assert_line --regexp '^5 +all +2026-12-01 00:00:34 UTC \+34s '
	assert_line --regexp '^9 +all +2026-12-01 00:00:56 UTC \+56s '
	assert_line --regexp '^11 +r +2026-12-01 00:01:16 UTC \+1m 16s '
	assert_line --regexp '^13 +a +2026-12-01 00:01:16 UTC \+1m 16s '
}

@test "plan: the start as seconds, as a date, or as YYYYMMDDHHmmSS" {
	runs bero-migrate plan -t 1796083200
	assert_output "$(cat "$BM_DATA/plan-default.out")"
	runs bero-migrate plan -t '2026-12-01 00:00:00 UTC'
	assert_output "$(cat "$BM_DATA/plan-default.out")"
}

@test "plan: durations with units are seconds" {
	runs bero-migrate plan -t 20261201000000 TTL_KEY=1h TTL_NS_C=1d \
	    TTL_SIG=1d TTL_NS_P=2d TTL_DS_P=86400s TTL_GLUE_P=2d Dprp_C=10m \
	    Dprp_P=30m IANA_DELAY=1d
	assert_success
	assert_output "$(cat "$BM_DATA/plan-default.out")"
	runs bero-migrate plan -t 20261201000000 TTL_NS_P=1w
	assert_line --regexp '^5 +all +2026-12-09 01:40:00 UTC '
}

@test "plan -o: the SVG timeline, well-formed, golden" {
	# shellcheck disable=SC2086
	runs bero-migrate plan -o t.svg -t 20261201000000 $SHORT
	assert_success
	assert_equal "$output" "$(cat "$BM_DATA/plan-short.out")"
	xmllint --noout t.svg
	cmp t.svg "$BM_DATA/plan-short.svg"
	# One column per step, the root's and both operators' rows.
	for s in 1 2a 2b 3 4 5 6 7 8 9 10 11 12 13; do
		grep -q ">step $s<" t.svg || fail "no column for step $s"
	done
	grep -q '>root: DS<' t.svg
	grep -q '>B: DNSKEY<' t.svg
}

@test "plan -o: a picture that cannot be written is an error, and nothing is printed" {
	runs bero-migrate plan -o nodir/t.svg -t 20261201000000
	assert_trouble bero-migrate 'nodir/t.svg: cannot write'
	[ ! -e nodir ]
}

@test "plan -d: the steps done from the log, the rest from the zones' TTLs" {
	bm_init st
	bm_run st 2a
	# The clock just after step 2a: plan takes the later of the due
	# time and now, so the test passes the time, not the wall clock.
	BERO_NOW=$T0 runs bero-migrate -d st plan
	assert_success
	assert_line --regexp '^1 +b +2026-12-01 00:00:00 UTC \+0s +\(done\) '
	assert_line --regexp '^2a +a\+b +2026-12-01 00:00:00 UTC \+0s +\(done\) '
	# The sample TLD's DNSKEY TTL is 3600 s, Dprp_C 600 s.
	assert_line --regexp '^2b +a\+b +2026-12-01 01:10:00 UTC \+1h 10m +A and B'
}

@test "plan: bad input" {
	runs bero-migrate plan TTL_FOO=1
	assert_trouble bero-migrate 'plan: TTL_FOO: unknown'
	runs bero-migrate plan TTL_KEY=1x
	assert_trouble bero-migrate 'plan: TTL_KEY=1x: not a duration'
	runs bero-migrate plan TTL_KEY=
	assert_trouble bero-migrate 'not a duration'
	runs bero-migrate plan TTL_KEY
	assert_trouble bero-migrate 'plan: TTL_KEY: not name=value'
	runs bero-migrate plan -t yesterday-ish
	assert_trouble bero-migrate 'plan: -t yesterday-ish: not a time'
	usage_is_synopsis bero-migrate plan -x
}
