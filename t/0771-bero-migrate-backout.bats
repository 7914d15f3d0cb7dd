#!/usr/bin/env bats
# bero-migrate backout: the way back to A alone from a step before 13
# (bero-migration(7), BACK-OUT).  plan -B lists the back-out steps, who
# does each and its wait; the driver runs them one at a time, each when
# its wait has elapsed, with every view checked by zcheck-chain, logs
# them in backout-log and refuses every forward step once the back-out
# began.  Back-outs from step 5 and from step 9 in the one-directory
# rehearsal (exchange), and from step 2b with double-DS.  Every time is
# BERO_NOW.

load helper
load bero-migrate

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	bm_init t5
	bm_run t5 5
	bm_copy t5 t9
	bm_run t9 9
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	F=$BATS_FILE_TMPDIR
}

# The next back-out step of a state directory, from status (empty when
# the back-out is complete).
bo_next() {
	BERO_NOW=$BM_NOW bero-migrate -d "$1" status 2> /dev/null |
	    awk '/^next: back-out step / { print $4 }'
}

# bo_run dir [last]: run the back-out, each step at the earliest time the
# driver allows, up to the back-out step last or to its end; BM_NOW is
# the time of the last one.
bo_run() {
	local dir=$1 last=${2:-} s t
	BM_NOW=$(awk 'END { print $2 }' "$dir/log")
	[ ! -f "$dir/backout-log" ] ||
	    BM_NOW=$(awk 'END { print $2 }' "$dir/backout-log")
	while :; do
		if [ -f "$dir/backout-log" ]; then
			s=$(bo_next "$dir")
			[ -n "$s" ] || return 0
			t=$(bero-migrate -d "$dir" when "$s") || return 1
			[ "$t" -gt "$BM_NOW" ] && BM_NOW=$t
		fi
		BERO_NOW=$BM_NOW bero-migrate -d "$dir" backout > /dev/null ||
		    { echo "backout failed at ${s:-its first step}" >&2; return 1; }
		s=$(awk 'END { print $1 }' "$dir/backout-log")
		[ "$s" = "$last" ] && return 0
	done
}

# What A alone serves: A's keys only, NS_A at the apex and at the root,
# DS_A alone at the root, B serving nothing; valid from DS_A alone.
assert_a_alone() {
	local d=$1 z=$1/published/a/example.zone
	[ ! -e "$d/published/b/example.zone" ] || fail "B still serves"
	assert_equal "$(awk -F '\t' '$1 == "example." && $4 == "NS" { print $5 }' "$z" | sort | tr '\n' ' ')" \
	    "ns1.nic-a.example. ns2.nic-a.example. "
	assert_equal "$(awk -F '\t' '$1 == "example." && $4 == "NS" { print $5 }' "$d/published/root/root.zone" | sort | tr '\n' ' ')" \
	    "ns1.nic-a.example. ns2.nic-a.example. "
	assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' "$z")" 2
	assert_equal "$(grep -c $'\tDS\t' "$d/published/root/ds.txt")" 1
	for k in "$d"/keys/b/K*.key; do
		refute grep -qF "$(awk '!/^;/ { print $NF }' "$k")" "$z"
	done
	run zcheck-chain -q -t "$BM_NOW" -D "$d/published/root/ds.txt" "$z"
	assert_success
	run zcheck-chain -q -t "$BM_NOW" -D "$d/history/ds-0.txt" "$z"
	assert_success
}

# Every back-out step of a directory passed its checks, and checked the
# views with zcheck-chain.
assert_every_view_checked() {
	local d=$1 s
	for s in $(awk '{ print $1 }' "$d/backout-log"); do
		grep -q "^step $s: every check passed$" "$d/reports/$s.out" ||
		    fail "back-out step $s: not every check passed"
		grep -q '^\$ zcheck-chain ' "$d/reports/$s.check" ||
		    fail "back-out step $s: no view checked"
		refute grep -q INVALID "$d/reports/$s.out"
	done
}

@test "plan -B 5 and -B 9: the back-out steps, their parties and earliest times" {
	runs bero-migrate plan -B 5 -t 20261201000000
	assert_success
	assert_line --index 0 'back-out from step 5 (exchange): the way back to A alone'
	assert_equal "$(printf '%s\n' "$output" | awk '$1 ~ /^b[0-9]/ && $2 != "" && $3 ~ /^20/ { printf "%s ", $1 }')" "b8 b9 b10 b11 b12 b13 b14 b15 "
	assert_line --regexp '^b8 +a\+b +2026-12-01 00:00:00 UTC \+0s +A and B remove NS_B from the apex \(undoes 2b\)$'
	assert_line --regexp '^b10 +root +2026-12-02 00:00:00 UTC \+1d '
	# b11: max(Tb10 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P), Tb8 + Dprp_C +
	# TTL_NS_C) + TTL_SIG = 1d + 30m + 2d + 1d.
	assert_line --regexp '^b11 +all +2026-12-05 00:30:00 UTC \+4d 30m '
	# b13: Tb12 + Dprp_C + TTL_KEY.
	assert_line --regexp '^b13 +r +2026-12-05 01:40:00 UTC \+4d 1h 40m '
	# b15: the last moment B could be reached + SERVE_STALE (3 days).
	assert_line --regexp '^b15 +b +2026-12-07 00:30:00 UTC \+6d 30m +B stops answering for the zone: A alone$'
	runs bero-migrate plan -B 9 -t 20261201000000
	assert_success
	assert_equal "$(printf '%s\n' "$output" | awk '$1 ~ /^b[0-9]/ && $3 ~ /^20/ { printf "%s ", $1 }')" "b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15 "
	# b7: Tb6 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P), b6 a day after b5.
	assert_line --regexp '^b7 +all +2026-12-04 00:30:00 UTC \+3d 30m '
	assert_line '  b11  max(Tb10 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P) (after b10), Tb8 + Dprp_C + TTL_NS_C) + TTL_SIG'
}

@test "plan -B: every step from 1 to 12 of both methods has a way back; 0 and 13 have none; a request to withdraw" {
	local s n
	for s in 1 2a 2b 3 4 5 6 7 8 9 10 11 12; do
		runs bero-migrate plan -B "$s" -t 20261201000000
		assert_success
		# The last back-out step stops B.
		assert_equal "$(printf '%s\n' "$output" | awk '$1 ~ /^b[0-9]/ && $3 ~ /^20/ { l = $1 } END { print l }')" b15
	done
	runs bero-migrate plan -B 12 -t 20261201000000
	n=$(printf '%s\n' "$output" | awk '$1 ~ /^b[0-9]/ && $3 ~ /^20/' | wc -l)
	assert_equal "$n" 15
	for s in 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12; do
		runs bero-migrate plan -M double-ds -B "$s" -t 20261201000000
		assert_success
	done
	runs bero-migrate plan -M double-ds -B ds3 -t 20261201000000
	assert_line 'withdraw the request of step ds3 at IANA before step ds4 publishes it'
	assert_equal "$(printf '%s\n' "$output" | awk '$1 ~ /^b[0-9]/ && $3 ~ /^20/ { printf "%s ", $1 }')" "b12 b15 "
	runs bero-migrate plan -B 7 -t 20261201000000
	assert_line 'withdraw the request of step 7 at IANA before step 8 publishes it'
	runs bero-migrate plan -B 13
	assert_trouble bero-migrate 'backout: A stopped serving at step 13: there is no way back to A'
	runs bero-migrate plan -B 0
	assert_trouble bero-migrate 'backout: nothing to back out'
	runs bero-migrate plan -B ds3
	assert_trouble bero-migrate 'backout: ds3: not a step of the exchange method'
	runs bero-migrate -d "$F/t5" plan -B 4
	assert_trouble bero-migrate 'plan -B 4: the last step done in .*/t5 is 5: a back-out starts from there'
	runs bero-migrate plan -B 5 -o x.svg
	assert_trouble bero-migrate 'plan -B: -o draws the forward steps only'
}

@test "back-out from step 5: every back-out step's checks and views pass; A alone at the end" {
	bm_copy "$F/t5" st
	bo_run st
	assert_equal "$(awk '{ print $1 }' st/backout-log | tr '\n' ' ')" "b8 b9 b10 b11 b12 b13 b14 b15 "
	assert_equal "$(awk '{ print $3 }' st/backout-log | tr '\n' ' ')" "a+b r root all a r root b "
	assert_every_view_checked st
	assert_a_alone st
	# The forward log is as it was.
	cmp st/log "$F/t5/log"
	BERO_NOW=$BM_NOW runs bero-migrate -d st status
	assert_line 'the back-out is complete: A serves the zone alone'
	BERO_NOW=$BM_NOW runs bero-migrate -d st backout
	assert_trouble bero-migrate 'backout: complete at '
}

@test "back-out from step 9: NS_A back at the apex and the root first, then B out; every view checked" {
	bm_copy "$F/t9" st
	bo_run st
	assert_equal "$(awk '{ print $1 }' st/backout-log | tr '\n' ' ')" "b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15 "
	assert_every_view_checked st
	assert_a_alone st
	# b4 put NS_A back at both operators, A reachable again: its zone
	# was compared with B's (one zcheck-chain run over both).
	grep -q '^\$ zcheck-chain .* a/step-b4.zone b/step-b4.zone$' st/reports/b4.check
	grep -q 'ok: apex NS of a/step-b4.zone: ns1.nic-a.example. ns1.nic-b.example. ns2.nic-a.example. ns2.nic-b.example.' st/reports/b4.out
	# b11 checked that B could no longer be reached.
	grep -q "ok: no NS set a resolver may hold names b's servers" st/reports/b11.out
}

@test "back-out: a step before its wait is refused with its rule, nothing changes; when gives its time" {
	local due before
	bm_copy "$F/t5" st
	bo_run st b10
	due=$(bero-migrate -d st when b11)
	before=$(bm_snapshot)
	BERO_NOW=$((due - 1)) runs bero-migrate -d st backout
	assert_trouble bero-migrate 'backout step b11 refused: wait 1s more, until .*: bero-migration\(7\), BACK-OUT, step b11: now >= the last moment B could be reached \+ TTL_SIG'
	assert_equal "$(bm_snapshot)" "$before"
	assert_equal "$(tail -n 1 st/backout-log | cut -d' ' -f1)" b10
	runs bero-migrate -d st when b12
	assert_trouble bero-migrate 'backout step b12: not the next one: the back-out from step 5 goes on with b11'
	BERO_NOW=$((due - 1)) runs bero-migrate -d st status
	assert_line 'backing out from step 5 (b8 b9 b10 b11 b12 b13 b14 b15):'
	assert_line --regexp '^next: back-out step b11 \(all\) at .*, in 1s: '
	BERO_NOW=$due runs bero-migrate -d st backout
	assert_success
	assert_line 'step b11: every check passed'
}

@test "back-out: forward steps refused once it began; the forward log untouched" {
	local before
	bm_copy "$F/t5" st
	bo_run st b8
	before=$(bm_snapshot)
	BERO_NOW=$((BM_NOW + 864000)) runs bero-migrate -d st step 6
	assert_trouble bero-migrate 'step 6: refused: the migration is being backed out from step 5 \(backout-log\): no forward step after a back-out'
	runs bero-migrate -d st when 6
	assert_trouble bero-migrate 'step 6: refused: the migration is being backed out'
	assert_equal "$(bm_snapshot)" "$before"
	cmp st/log "$F/t5/log"
}

@test "back-out: refused after step 13, with a step half done, and with a back-out log out of order" {
	bm_copy "$F/t9" end
	bm_run end 13
	BERO_NOW=$BM_NOW runs bero-migrate -d end backout
	assert_trouble bero-migrate 'backout: A stopped serving at step 13: there is no way back to A'
	[ ! -e end/backout-log ]
	# Step 6 with B's part published and A's not: finished first.
	bm_copy "$F/t5" half
	cp half/published/b/example.zone half/history/b-6.zone
	BERO_NOW=$((BM_NOW + 864000)) runs bero-migrate -d half backout
	assert_trouble bero-migrate 'backout: step 6 is half done \(history/b-6.zone published, the step not logged\): run it again to finish it, then back out'
	[ ! -e half/backout-log ]
	# A back-out log whose steps are out of order is refused at its line.
	bm_copy "$F/t5" st
	bo_run st b9
	sed -i '1d' st/backout-log
	BERO_NOW=$((BM_NOW + 864000)) runs bero-migrate -d st backout
	assert_trouble bero-migrate 'backout-log:1: step b9 where b8 comes next \(back-out from step 5: b8 b9 b10 b11 b12 b13 b14 b15\)'
	: > st/backout-log
	runs bero-migrate -d st status
	assert_trouble bero-migrate 'backout-log: empty'
}

@test "double-DS back-out from step 2b: DS_B leaves the root only once B is unreachable; A alone" {
	BM_STEPS="1 2a ds3 ds4 2b"
	bm_init st -M double-ds
	bm_run st 2b
	runs bero-migrate -d st plan -B 2b
	assert_success
	bo_run st
	assert_equal "$(awk '{ print $1 }' st/backout-log | tr '\n' ' ')" "b8 b11 b12 b13 b14 b15 "
	assert_every_view_checked st
	assert_a_alone st
	# b13 (DS = DS_A) came after b11 (B unreachable) and b12's TTL_KEY,
	# and once B could not be reached even through a stale NS set:
	# Tb8 + Dprp_C + TTL_NS_C + SERVE_STALE (B's RRset validates from
	# DS_B only; the old driver asked for DS_A alone 2 days earlier).
	local b8 b13
	b8=$(awk '$1 == "b8" { print $2 }' st/backout-log)
	b13=$(awk '$1 == "b13" { print $2 }' st/backout-log)
	[ "$b13" -ge "$(( $(awk '$1 == "b12" { print $2 }' st/backout-log) + 4200 ))" ]
	assert_equal "$b13" $((b8 + 600 + 86400 + 259200))
	runs bero-migrate plan -B 2b
	assert_line '  b13  Tb12 + Dprp_C + TTL_KEY; with double-DS also the last moment B could be reached + SERVE_STALE (after b8)'
}

@test "back-out step b12: the views count a resolver still holding what it got from B (b11 logged at the last moment B could be reached): A's RRset without ZSK_B is refused, nothing published" {
	local t8 t10 last before
	bm_copy "$F/t5" st
	bo_run st b11
	t8=$(awk '$1 == "b8" { print $2 }' st/backout-log)
	t10=$(awk '$1 == "b10" { print $2 }' st/backout-log)
	# max(Tb10 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P), Tb8 + Dprp_C +
	# TTL_NS_C): what B signed may stay cached TTL_SIG (a day) longer.
	last=$((t10 + 1800 + 172800))
	[ "$last" -ge $((t8 + 600 + 86400)) ]
	sed -i "s/^b11 [0-9]* all\$/b11 $last all/" st/backout-log
	before=$(bm_snapshot)
	BERO_NOW=$((last + 3600)) runs bero-migrate -d st backout
	assert_equal "$status" 1
	assert_line '  zcheck-chain: INVALID (reports/b12.check)'
	assert_line 'step b12: a check failed; nothing published'
	grep -q '^\$ zcheck-chain .* -h history/b-b8.zone .*a/step-b12.zone' st/reports/b12.check
	assert_equal "$(bm_snapshot)" "$before"
	[ ! -e st/history/a-b12.zone ]
	# At the end of that TTL_SIG, b12 goes.
	BERO_NOW=$((last + 86400)) runs bero-migrate -d st backout
	assert_success
}

@test "sync during a back-out from step 9: B is the source until b4 puts NS_A back, A from then on" {
	bm_copy "$F/t9" st
	BM_NOW=$(awk 'END { print $2 }' st/log)
	BERO_NOW=$BM_NOW runs bero-migrate -d st sync
	assert_line --regexp '^== sync \(sync-[0-9]+\) at .*: from b \(the source\) to a$'
	bo_run st b4
	BERO_NOW=$BM_NOW runs bero-migrate -d st sync
	assert_line --regexp '^== sync \(sync-[0-9]+\) at .*: from a \(the source\) to b$'
}
