#!/usr/bin/env bats
# bero-migrate: the corrections of issue 13 that stand alone.  Step 6
# keeps NS_A's host address records unless REMOVE_NS_A_ADDRS=yes asks
# for their removal.  Step 5 waits for the TLD's negative TTL (RFC 2308
# section 5) after step 2b made NS_B's host names; steps 11 and 13 wait
# SERVE_STALE (RFC 8767 section 5) after the last moment A could be
# reached.  The views of step 10 count the resolvers that still hold
# what they got from A.  Every time is BERO_NOW.

load helper
load bero-migrate

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	# A state after step 5, and one whose config asks for the removal.
	bm_init tpl
	bm_run tpl 5
	bm_init rm -C /dev/stdin <<'EOS'
REMOVE_NS_A_ADDRS=yes
EOS
	bm_run rm 5
	# The whole migration but step 13, with the default SERVE_STALE.
	bm_copy tpl end
	bm_run end 12
	bm_copy tpl nine
	bm_run nine 9
	# A TLD whose negative TTL (3 days: SOA TTL and MINIMUM) is longer
	# than the root's TTLs, up to step 4.
	sed -e 's/^@\tIN SOA/@\t259200 IN SOA/' -e 's/ 604800 300 )/ 604800 259200 )/' \
	    "$DATA/examples/example.zone" > neg.zone
	BERO_NOW=$T0 bero-migrate -d neg init -f neg.zone > /dev/null
	bm_run neg 4
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# The A and AAAA records of a host in a zone file.
addrs() {
	awk -F '\t' -v h="$1" '$1 == h && ($4 == "A" || $4 == "AAAA") { print $4, $5 }' "$2"
}

@test "step 6: NS_A leaves the apex NS RRset; the address records of its hosts stay at B and at A (the old driver removed them)" {
	bm_copy "$BATS_FILE_TMPDIR/tpl" st
	assert_equal "$(addrs ns2.nic-a.example. st/published/b/example.zone)" "A 192.0.2.2"
	bm_run st 6
	for p in a b; do
		z=st/published/$p/example.zone
		refute grep -q $'^example\.\t[0-9]*\tIN\tNS\tns[12]\.nic-a\.example\.$' "$z"
		assert_equal "$(addrs ns2.nic-a.example. "$z")" "A 192.0.2.2"
		assert_equal "$(addrs ns1.nic-a.example. "$z" | sort)" "A 192.0.2.1
AAAA 2001:db8::1"
		# They stay signed.
		grep -q $'^ns2\.nic-a\.example\.\t[0-9]*\tIN\tRRSIG\tA ' "$z"
	done
}

@test "step 6 with REMOVE_NS_A_ADDRS=yes: the address records no NS RRset names go" {
	bm_copy "$BATS_FILE_TMPDIR/rm" st
	bm_run st 6
	for p in a b; do
		z=st/published/$p/example.zone
		assert_equal "$(addrs ns2.nic-a.example. "$z")" ""
		refute grep -q $'^example\.\t[0-9]*\tIN\tNS\tns[12]\.nic-a\.example\.$' "$z"
	done
}

@test "REMOVE_NS_A_ADDRS other than yes or no: the config is refused" {
	bm_copy "$BATS_FILE_TMPDIR/tpl" st
	echo 'REMOVE_NS_A_ADDRS=maybe' >> st/config
	runs bero-migrate -d st status
	assert_equal "$status" 2
	assert_output ""
	[[ "$stderr" == *"config: REMOVE_NS_A_ADDRS='maybe': not yes or no"* ]] || fail "$stderr"
}

@test "step 5 waits the negative TTL after step 2b: refused a second early, naming TTL_NEG_C (the old driver ran it 2 days early)" {
	bm_copy "$BATS_FILE_TMPDIR/neg" st
	local t2b t4 t old
	t2b=$(bm_time st 2b)
	t4=$(bm_time st 4)
	# The old rule: max(T4 + Dprp_P + 172800, T2b + Dprp_C + 86400).
	old=$((t4 + 1800 + 172800))
	[ "$old" -ge $((t2b + 600 + 86400)) ] || old=$((t2b + 600 + 86400))
	t=$(bero-migrate -d st when 5)
	assert_equal "$t" $((t2b + 600 + 259200))
	[ "$t" -gt "$old" ]
	BERO_NOW=$old runs bero-migrate -d st step 5
	assert_trouble bero-migrate 'step 5 refused: wait .*now >= T2b \+ Dprp_C \+ TTL_NEG_C = .* \+ 600 \+ 259200 \(the negative TTL, RFC 2308 section 5\)'
	BERO_NOW=$((t - 1)) runs bero-migrate -d st step 5
	assert_trouble bero-migrate 'step 5 refused: wait 1s more'
	# Three days after step 2b KSK_B's 4-day signatures need renewing.
	BERO_NOW=$t bero-migrate -d st refresh > /dev/null
	BERO_NOW=$t runs bero-migrate -d st step 5
	assert_success
	assert_equal "$(bm_time st 5)" "$t"
}

@test "the sample TLD's negative TTL is min(SOA TTL, SOA MINIMUM) = 300: step 5 as before" {
	bm_copy "$BATS_FILE_TMPDIR/tpl" st
	BERO_NOW=$(bm_time st 5) runs bero-migrate -d st plan
	assert_success
	assert_line --regexp ' TTL_NEG_C=300 .* SERVE_STALE=259200$'
}

@test "step 11 waits SERVE_STALE after the last moment A could be reached: DS_B alone never meets a resolver that reaches A through a stale NS set (the old driver asked at T10 + Dprp_C + TTL_KEY)" {
	bm_copy "$BATS_FILE_TMPDIR/nine" st
	bm_run st 10
	local t10 t
	C=$(a_last st)
	t10=$(bm_time st 10)
	t=$(bero-migrate -d st when 11)
	assert_equal "$t" $((C + 259200))
	[ "$t" -gt $((t10 + 600 + 86400)) ]
	BERO_NOW=$((t10 + 600 + 86400)) runs bero-migrate -d st step 11
	assert_trouble bero-migrate 'step 11 refused: wait .*, and now >= the last moment A could be reached \+ SERVE_STALE = .* \+ 259200 \(no resolver reaches A, even through a stale NS set, once DS_B is alone: RFC 8767 section 5\)'
	BERO_NOW=$((t - 1)) runs bero-migrate -d st step 11
	assert_trouble bero-migrate 'step 11 refused: wait 1s more'
	BERO_NOW=$t runs bero-migrate -d st step 11
	assert_success
	BERO_NOW=$t runs bero-migrate -d st plan
	assert_success
	assert_line --partial '  11  max(T10 + Dprp_C + TTL_KEY, max(T8 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P), T6 + Dprp_C + TTL_NS_C) + SERVE_STALE)'
}

@test "SERVE_STALE=0 written out lets step 11 follow T10 + Dprp_C + TTL_KEY" {
	bm_copy "$BATS_FILE_TMPDIR/nine" st
	echo 'SERVE_STALE=0' >> st/config
	bm_run st 10
	local t10 t
	C=$(a_last st)
	t10=$(bm_time st 10)
	t=$(bero-migrate -d st when 11)
	[ "$t" -lt $((C + 259200)) ]
	[ "$t" -ge $((t10 + 600)) ]
	BERO_NOW=$t runs bero-migrate -d st step 11
	assert_success
}

@test "step 13 waits SERVE_STALE (3 days by default) after the last moment A could be reached (the old driver ran it right after step 12); step 11's wait has met it by step 12" {
	bm_copy "$BATS_FILE_TMPDIR/end" st
	local t12 t
	C=$(a_last st)
	t12=$(bm_time st 12)
	t=$(bero-migrate -d st when 13)
	assert_equal "$t" $((C + 259200))
	[ "$t" -le "$t12" ]
	# With SERVE_STALE raised after step 12, step 13 waits again.
	echo 'SERVE_STALE=345600' >> st/config
	BERO_NOW=$t12 runs bero-migrate -d st step 13
	assert_trouble bero-migrate 'step 13 refused: wait .*the last moment A could be reached \+ SERVE_STALE = .* \+ 345600 \(serve-stale, RFC 8767 section 5\)'
	t=$(bero-migrate -d st when 13)
	assert_equal "$t" $((C + 345600))
	BERO_NOW=$((t - 1)) runs bero-migrate -d st step 13
	assert_trouble bero-migrate 'step 13 refused: wait 1s more'
	BERO_NOW=$t runs bero-migrate -d st step 13
	assert_success
	# plan -d shows the margin and the step's time.
	BERO_NOW=$t runs bero-migrate -d st plan
	assert_success
	assert_line --regexp ' SERVE_STALE=345600$'
	assert_line --partial '  13  max(T8 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P), T6 + Dprp_C + TTL_NS_C) + SERVE_STALE'
}

@test "SERVE_STALE=0 written out lets step 13 follow step 12; an empty or bad value is refused" {
	bm_copy "$BATS_FILE_TMPDIR/end" st
	grep -qx 'SERVE_STALE=259200' st/config
	echo 'SERVE_STALE=' >> st/config
	BERO_NOW=$(bm_time st 12) runs bero-migrate -d st when 13
	assert_trouble bero-migrate "config: SERVE_STALE='': not a number of seconds"
	echo 'SERVE_STALE=1d' >> st/config
	BERO_NOW=$(bm_time st 12) runs bero-migrate -d st when 13
	assert_trouble bero-migrate "config: SERVE_STALE='1d': not a number of seconds"
	echo 'SERVE_STALE=0' >> st/config
	BERO_NOW=$(bm_time st 12) runs bero-migrate -d st step 13
	assert_success
	assert_equal "$(bm_time st 13)" "$(bm_time st 12)"
}

@test "a config without SERVE_STALE (an older state directory) gets the default, 3 days" {
	bm_copy "$BATS_FILE_TMPDIR/end" st
	sed -i '/^SERVE_STALE=/d' st/config
	assert_equal "$(bero-migrate -d st when 13)" $(($(a_last st) + 259200))
}

@test "plan: TTL_NEG_C and SERVE_STALE as operands" {
	runs bero-migrate plan -t 20261201000000 TTL_NEG_C=4d SERVE_STALE=0
	assert_success
	assert_line --regexp ' TTL_NEG_C=345600 .* SERVE_STALE=0$'
	# 5 = T2b + Dprp_C + 4 d (T2b = 1 h 10 m), later than T4 + Dprp_P +
	# 2 d (T4 = 1 d 1 h 10 m); 13 follows 12 at once.
	assert_line --regexp '^5 +all +2026-12-05 01:20:00 UTC '
	assert_line --regexp '^12 +root +2026-12-10 03:00:00 UTC '
	assert_line --regexp '^13 +a +2026-12-10 03:00:00 UTC '
}

# The last moment A could be reached in the sample: max(T8 + Dprp_P +
# max(TTL_NS_P, TTL_GLUE_P), T6 + Dprp_C + TTL_NS_C).
a_last() {
	local c
	c=$(($(bm_time "$1" 8) + 1800 + 172800))
	[ "$c" -ge $(($(bm_time "$1" 6) + 600 + 86400)) ] || c=$(($(bm_time "$1" 6) + 600 + 86400))
	echo "$c"
}

@test "step 10's views include a resolver holding A's data once A cannot be reached: B's new DNSKEY RRset does not validate it (the old matrix left A out)" {
	bm_copy "$BATS_FILE_TMPDIR/nine" st
	local l t9
	l=$(a_last st)
	t9=$(bm_time st 9)
	# The wait of step 9 let everything A signed (TTL_SIG 86400) leave
	# the caches.  A log whose step 9 is earlier, at the moment A could
	# no longer be reached (a clock or a log gone wrong), makes step 10
	# run while resolvers still hold A's data signed by ZSK_A.
	assert_equal "$t9" $((l + 86400))
	sed -i "s/^9 $t9 /9 $l /" st/log
	before=$(cat st/published/b/example.zone | cksum)
	BERO_NOW=$((l + 3600)) runs bero-migrate -d st step 10
	assert_failure 1
	[[ "$stderr" == *"history/a-6.zone:"*"does not validate with the DNSKEY RRset of b/step-10.zone"* ]] || fail "$stderr"
	grep -q -- ' -h history/a-6.zone .*b/step-10.zone$' st/reports/10.check
	assert_equal "$(cat st/published/b/example.zone | cksum)" "$before"
	refute grep -q '^10 ' st/log
}

@test "step 10 at its time: A's data has left every cache, and the views do not include it" {
	bm_copy "$BATS_FILE_TMPDIR/nine" st
	BERO_NOW=$(bm_time st 9) runs bero-migrate -d st step 10
	assert_success
	refute grep -q -- '-h history/a-' st/reports/10.check
	# One second earlier (the step-9 line moved back by one second),
	# A's last version is still a view, and the step fails.
	bm_copy "$BATS_FILE_TMPDIR/nine" st2
	local t9
	t9=$(bm_time st2 9)
	sed -i "s/^9 $t9 /9 $((t9 - 1)) /" st2/log
	BERO_NOW=$((t9 - 1)) runs bero-migrate -d st2 step 10
	assert_failure 1
	grep -q -- ' -h history/a-6.zone ' st2/reports/10.check
}
