#!/usr/bin/env bats
# bero-migrate step, status, when and init: the order of the steps, the
# refusal of a step whose wait has not elapsed (BERO_NOW), a check that
# fails (exit 1, nothing published, the step can be run again), the
# publish hook, the transfer settings, and bad input.

load helper
load bero-migrate

setup_file() { bm_after_2a_file; }
setup() { bm_after_2a; }

@test "init: the starting point, logged as step 0" {
	[ -s st/published/a/example.zone ]
	[ -s st/published/root/root.zone ]
	[ -s st/published/root/ds.txt ]
	run awk '{ print $1, $2, $3 }' st/log
	assert_output "0 $T0 a+root
1 $T0 b
2a $T0 a+b"
	# Every key pair: a KSK and a ZSK for the root, A and B.
	[ "$(ls st/keys/root/*.private st/keys/a/*.private st/keys/b/*.private | wc -l)" -eq 6 ]
	# The root delegates to A, with A's DS; A's zone has A's keys.
	run zcheck-chain -q -t "$T0" -D st/root/anchor.ds st/history/root-0.zone
	assert_success
	run zcheck-chain -q -t "$T0" -D st/history/ds-0.txt st/history/a-0.zone
	assert_success
}

@test "step 2b too early: refused, naming the rule and the time left; nothing changes" {
	local before
	before=$(bm_snapshot)
	BERO_NOW=$T0 runs bero-migrate -d st step 2b
	assert_trouble bero-migrate 'step 2b refused: wait 1h 10m more, until 2026-12-01 01:10:00 UTC: bero-migration\(7\), THE WAITS, step 2b: now >= T2a \+ Dprp_C \+ TTL_KEY\(old\) = 2026-12-01 00:00:00 UTC \+ 600 \+ 3600'
	BERO_NOW=$((T0 + 4199)) runs bero-migrate -d st step 2b
	assert_trouble bero-migrate 'step 2b refused: wait 1s more'
	assert_equal "$(bm_snapshot)" "$before"
	[ ! -e st/history/a-2b.zone ]
}

@test "step 2b once the wait is over: done and logged at that time" {
	BERO_NOW=$((T0 + 4200)) runs bero-migrate -d st step 2b
	assert_success
	assert_line '== step 2b (a+b) at 2026-12-01 01:10:00 UTC'
	assert_line 'step 2b: every check passed'
	assert_line --partial '  zcheck-chain: valid'
	assert_line --regexp '^\$ zadd-bero-ns -n b/ns-b.frag published/a/example.zone \| set_serial [0-9]+ \| zresign '
	run tail -n 1 st/log
	assert_output "2b $((T0 + 4200)) a+b"
	cmp st/published/a/example.zone st/history/a-2b.zone
	[ -s st/reports/2b.diff ] && [ -s st/reports/2b.check ]
	[ -s st/reports/2b.pipeline ] && [ -s st/reports/2b.out ]
}

@test "when and status: the earliest time of the next step" {
	runs bero-migrate -d st when 2b
	assert_success
	assert_output "$((T0 + 4200))"
	BERO_NOW=$T0 runs bero-migrate -d st status
	assert_success
	assert_line --regexp '^step 2a +done 2026-12-01 00:00:00 UTC by a\+b$'
	assert_line --regexp '^next: step 2b \(a\+b\) at 2026-12-01 01:10:00 UTC, in 1h 10m: now >= T2a'
	BERO_NOW=$((T0 + 5000)) runs bero-migrate -d st status
	assert_line 'next: step 2b (a+b), now'
	runs bero-migrate -d st when 3
	assert_trouble bero-migrate 'step 3: out of order: the next step is 2b'
}

@test "steps out of order, done twice, or unknown: refused" {
	BERO_NOW=$((T0 + 9999)) runs bero-migrate -d st step 3
	assert_trouble bero-migrate $'(^|\n)bero-migrate: step 3: out of order: the next step is 2b$'
	runs bero-migrate -d st step 1
	assert_trouble bero-migrate '^bero-migrate: step 1: already done at 2026-12-01 00:00:00 UTC$'
	runs bero-migrate -d st step 14
	assert_trouble bero-migrate 'step 14: no such step \(steps: 1 2a 2b 3 4 5 6 7 8 9 10 11 12 13\)'
	runs bero-migrate -d st step 0
	assert_trouble bero-migrate 'step 0: no such step'
	runs bero-migrate -d st when 2c
	assert_trouble bero-migrate 'step 2c: no such step'
}

@test "a check that fails: exit 1, nothing published or logged; the step runs again once fixed" {
	local before
	before=$(bm_snapshot)
	# Signatures must now outlast the waits by 100 days (G8): they do not.
	echo HEADROOM_MARGIN=8640000 >> st/config
	BERO_NOW=$((T0 + 4200)) runs bero-migrate -d st step 2b
	assert_failure 1
	assert_line 'step 2b: a check failed; nothing published'
	[[ "$stderr" == *"bero-migrate: step 2b: G8 a/step-2b.zone: a signature expires at "* ]]
	assert_equal "$(bm_snapshot)" "$before"
	[ ! -e st/history/a-2b.zone ]
	sed -i '$d' st/config
	BERO_NOW=$((T0 + 4200)) runs bero-migrate -d st step 2b
	assert_success
}

@test "the publish hook: party and absolute path, A before B" {
	cat > hook <<'EOS'
#!/bin/sh
echo "$1 $2" >> "$(dirname "$0")/hook.log"
EOS
	chmod +x hook
	BERO_PUBLISH_HOOK=$PWD/hook BERO_NOW=$((T0 + 4200)) \
	    runs bero-migrate -d st step 2b
	assert_success
	run cat hook.log
	assert_output "a $PWD/st/published/a/example.zone
b $PWD/st/published/b/example.zone"
}

@test "a publish hook that fails stops the step (status 2)" {
	BERO_PUBLISH_HOOK=false BERO_NOW=$((T0 + 4200)) \
	    runs bero-migrate -d st step 2b
	assert_trouble bero-migrate 'step 2b: publish hook failed for a published/a/example.zone'
}

@test "TRANSFER=axfr: no address, or no server, stops step 1 (status 2)" {
	bm_init ax -C /dev/stdin <<'EOS'
TRANSFER=axfr
TSIG_NAME=t.
TSIG_SECRET=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=
EOS
	[ "$(stat -c %a ax/keys/tsig.key)" = 600 ]
	BERO_NOW=$T0 runs bero-migrate -d ax step 1
	assert_trouble bero-migrate 'config: A_XFR_ADDR unset \(TRANSFER=axfr\)'
	echo 'A_XFR_ADDR=127.0.0.1@1' >> ax/config
	BERO_NOW=$T0 runs bero-migrate -d ax step 1
	assert_equal "$status" 2
	assert_equal "$output" ""
	[[ "$stderr" == *"bero-migrate: step 1: "* ]]
	[ "$(wc -l < ax/log)" -eq 1 ]
}

@test "init: a new directory only; all or nothing" {
	runs bero-migrate -d st init
	assert_trouble bero-migrate 'st: exists and is not empty; init makes a new state directory'
	runs bero-migrate -d new init -N lots
	assert_trouble bero-migrate 'init: -N lots: not a number of delegations'
	runs bero-migrate -d new init -f nonexistent.zone
	assert_trouble bero-migrate 'nonexistent.zone: cannot read'
	[ ! -e new ]
	printf 'example. 3600 IN SOA x. y. 1 2 3 4 5\nwww.other. 3600 IN A 192.0.2.1\n' > bad.zone
	runs bero-migrate -d new init -f bad.zone
	assert_equal "$status" 2
	assert_equal "$output" ""
	[ -d new ] && [ -z "$(ls -A new)" ]
	runs bero-migrate -d new2 init -C nonexistent.conf
	assert_trouble bero-migrate 'nonexistent.conf: cannot read'
}

@test "init -f: a zone of one's own, its DNSSEC records dropped" {
	cp "$DATA/examples/example.zone" .
	BERO_NOW=$T0 runs bero-migrate -d own init -f example.zone
	assert_success
	run awk -F '\t' '$4 == "DNSKEY"' own/published/a/example.zone
	[ "${#lines[@]}" -eq 2 ]
	run zdiff-dnssec -E -g data example.zone own/published/a/example.zone
	assert_success
}

@test "bad state directories and usage" {
	runs bero-migrate -d nonexistent step 1
	assert_trouble bero-migrate '^bero-migrate: nonexistent: no such state directory$'
	mkdir empty
	runs bero-migrate -d empty status
	assert_trouble bero-migrate 'empty: not a state directory \(no config; run init\)'
	echo 'Dprp_C=soon' >> st/config
	runs bero-migrate -d st status
	assert_trouble bero-migrate "config: Dprp_C='soon': not a number of seconds"
	runs bero-migrate -d st frobnicate
	assert_trouble bero-migrate 'frobnicate: unknown command \(init, step, [a-z, ]*\)'
	for args in "" "step 1" "-d st" "-d st step" "-d st step 1 2" "-d st when" \
	    "-d st status now" "-q"; do
		# shellcheck disable=SC2086
		usage_is_synopsis bero-migrate $args
	done
}

@test "usage equals the man page's SYNOPSIS" {
	usage_is_synopsis bero-migrate
}

@test "mandoc -T lint: bero-migrate(1) and bero-migration(7) are clean" {
	run mandoc -T lint -W warning "$TOP/man/bero-migrate.1" "$TOP/man/bero-migration.7"
	assert_success
	assert_output ""
}
