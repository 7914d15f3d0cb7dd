#!/usr/bin/env bats
# The back-out (bero-migration(7), BACK-OUT) from steps 10, 11 and 12
# of the exchange method in three state directories (A, B, the
# registry), each party typing its own commands, the parent a test root
# served by NSD on loopback, as t/0756: B's b1 puts A's keys back with a
# new KSK_A signature from A's zone (bundle a-b1), observed on B's
# servers by A and the registry (bundle b-b1); from step 12 the
# registry's b2 asks for DS_A + DS_B and every directory logs the
# parent's b3 once every parent address serves it; then b4 to b15 as
# from step 9.  Refusals: the registry's b2 while a server of B's does
# not serve B's zone of b1, b3 before the parent serves it, an a-b1
# bundle whose DNSKEY RRset is not the four keys or whose signature was
# altered; nothing logged or imported.  The key-disjointness scan of the
# three directories and the bundles at the end.

load helper
load bero-migrate
load bero-roles
load bero-backout
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	roles_file_setup 2592000 || return 1
	cp root.zone root.zone.0
}

teardown_file() {
	zcs_stop
}

setup() {
	roles_backout_setup
}





# backout_b1: B's b1 with A's zone of the moment (bundle a-b1; none
# with double-DS), then A and the registry log it once B's servers
# serve B's zone of b1.
backout_b1() {
	local d
	T=$((T + 3600))
	if [ "$M" = exchange ]; then
		# B's part needs A's zone with a new KSK_A signature.
		runs at $T bero-migrate -d b backout
		assert_trouble bero-migrate "step b1: A's zone of its step b1: none: import A's bundle a-b1 first"
		[ ! -e b/backout-log ]
		[ -d a-b1 ] || bero-migrate -d a export b1 -o a-b1 > /dev/null
		at $T bero-migrate -d b import a-b1 > /dev/null
	else
		runs bero-migrate -d a export b1 -o a-b1
		assert_trouble bero-migrate "export: operator A hands nothing over after step b1"
	fi
	ok_at $T b backout
	assert_output --partial "back-out step b1 (operator B's part)"
	assert_output --partial "ok: the DNSKEY RRset of b/step-b1.zone is signed by $( [ "$M" = exchange ] && echo a || echo b)'s KSK"
	assert_output --partial "logged: back-out step b1 at"
	# B serves the four keys again, with KSK_A's signature (the
	# exchange) or KSK_B's only (double-DS).
	assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' b/published/b/example.zone)" 4
	if [ "$M" = exchange ]; then
		[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $(ksk_tag src/akeys) "* ]]
	else
		[[ " $(dnskey_sigs b/published/b/example.zone) " != *" $(ksk_tag src/akeys) "* ]]
	fi
	bero-migrate -d b export b1 -o b-b1 > /dev/null
	for d in a r; do
		# (A, whose log ends at 9 when B backs out from 10 or 11,
		# would back out from 9: b1 is known there from b-b1.)
		if [ "$d" = r ] || [ "$(awk 'END { print $1 }' a/log)" = 12 ]; then
			runs at $T bero-migrate -d $d backout
			assert_trouble bero-migrate "backout step b1: its zone: none here: import the bundle b-b1 first"
		fi
		at $T bero-migrate -d $d import b-b1 > /dev/null
		ok_at $T $d backout
		assert_output --partial "observed: every address of operator B serves b/step-b1.zone"
		assert_output --partial "logged: back-out step b1 at"
	done
}

# backout_apex STEP: A's part of back-out step STEP, then B's, each
# exported; A and the registry take B's; the registry observes it.
backout_apex() {
	local s=$1
	ok_at $T a backout
	assert_output --partial "back-out step $s (operator A's part)"
	bero-migrate -d a export $s -o a-$s > /dev/null
	at $T bero-migrate -d b import a-$s > /dev/null
	ok_at $T b backout
	assert_output --partial "ok: the DNSKEY RRset of b/step-$s.zone is signed by"
	bero-migrate -d b export $s -o b-$s > /dev/null
	at $T bero-migrate -d a import b-$s > /dev/null
	at $T bero-migrate -d r import b-$s > /dev/null
	ok_at $T r backout
	assert_output --partial "logged: back-out step $s at"
}


# backout_wait STEP: every directory's wait; refused a second early.
backout_wait() {
	local s=$1 d before
	for d in a b r; do
		T=$(due $d $s)
		before=$(cat $d/backout-log)
		runs at $((T - 1)) bero-migrate -d $d backout
		assert_trouble bero-migrate "backout step $s refused: wait 1s more"
		assert_equal "$(cat $d/backout-log)" "$before"
		ok_at $T $d backout
	done
}

# backout_b4: A's and B's b4 once the wait after b1 (and b3) is over,
# refused a second before it at A.
backout_b4() {
	local ta tb
	ta=$(due a b4)
	tb=$(due b b4)
	[ "$ta" -ge "$tb" ] && T=$ta || T=$tb
	runs at $((ta - 1)) bero-migrate -d a backout
	assert_trouble bero-migrate "backout step b4 refused: wait 1s more, .*Tb1 \\+ Dprp_C \\+ TTL_KEY"
	backout_apex b4
}

# backout_rest: b5 to b15 as from step 9, until A serves the zone alone.
backout_rest() {
	local d
	backout_parent b6 b5
	backout_wait b7
	backout_apex b8
	backout_parent b10 b9
	backout_wait b11
	ok_at $T a backout
	assert_output --partial "ok: no signature by b's keys in a/step-b12.zone"
	bero-migrate -d a export b12 -o a-b12 > /dev/null
	at $T bero-migrate -d r import a-b12 > /dev/null
	ok_at $T r backout
	T=$(due r b13)
	backout_parent b14 b13
	T=$(due b b15)
	ok_at $T b backout
	assert_output --partial "removed: published/b/example.zone"
	sleep 1
	! zcs_exec kdig @127.75.2.1 -p "$ZCS_PORT" +norec +time=2 +retry=0 example. SOA | grep -q 'status: NOERROR'
	zcs_exec kdig @127.75.1.1 -p "$ZCS_PORT" +norec example. SOA | grep -q 'status: NOERROR'
	for d in a b r; do
		runs at $T bero-migrate -d $d backout
		assert_trouble bero-migrate "backout: complete at"
	done
	assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' a/published/a/example.zone)" 2
	assert_equal "$(awk -F '\t' '$4 == "DS" { print $5 }' a/published/root/ds.txt)" \
	    "$(awk -F '\t' '$4 == "DS" { print $5 }' a/a/ds-a.txt)"
	roles_scan_all a0 b1 a2a b2a a2b b2b b6 a6 b10 b-b1 a-b4 b-b4 a-b8 b-b8 a-b12 $( [ "$M" = exchange ] && echo a-b1)
}

@test "back-out from step 12 of the exchange method in three directories: b1 to b15, A's keys back at B, DS_A back at the root, every step observed" {
	local before
	roles_forward 12
	BERO_NOW=$T runs bero-migrate -d b plan -B 12
	assert_success
	assert_output --partial "b1   import a-b1, bero-migrate -d b backout: its part; export b1 (for A and the registry)"
	backout_b1
	# The registry's b2 while a server of B's serves an older zone:
	# refused, nothing asked, nothing logged.
	roles_serve bfile b/history/b-10.zone
	sleep 1
	before=$(snapshot r; cat r/backout-log)
	runs at $T bero-migrate -d r backout
	assert_trouble bero-migrate "step b2 refused: operator B's servers do not all serve b/step-b1.zone"
	assert_equal "$(snapshot r; cat r/backout-log)" "$before"
	[ ! -e r/r/step-b2.request ]
	roles_serve bfile b/published/b/example.zone
	sleep 1
	# b2: DS = DS_A + DS_B, DS_A as the parent served it before step 12.
	backout_parent b3 b2 "a b r"
	assert_equal "$(awk -F '\t' '$4 == "DS" { print $5 }' r/r/step-b2.request | sort)" \
	    "$(cat a/a/ds-a.txt b/b/ds-b.txt | awk -F '\t' '$4 == "DS" { print $5 }' | sort)"
	assert_equal "$(awk -F '\t' '$4 == "NS" { print $5 }' r/r/step-b2.request | sort | tr '\n' ' ')" "ns1.nic-b.example. ns2.nic-b.example. "
	grep -q "DS asked for again" r/reports/b2.out
	backout_b4
	backout_rest
	for d in a b r; do
		[ "$(awk '{ print $1 }' $d/backout-log | head -n 4 | tr '\n' ' ')" = "b1 b2 b3 b4 " ]
	done
	assert_equal "$(awk '{ print $1 }' b/backout-log | tr '\n' ' ')" "b1 b2 b3 b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15 "
}

@test "back-out from step 11 of the exchange method in three directories: the request of step 11 withdrawn, b1 then b4 to b15" {
	roles_forward 11
	backout_b1
	assert_equal "$(awk '{ print $1 }' r/backout-log | tr '\n' ' ')" "b1 "
	backout_b4
	backout_rest
	# A's log ends at 9: A observes nothing between 9 and 12, and its
	# back-out has b1 from B's bundle b-b1.
	assert_equal "$(awk '{ print $1 }' a/log | tail -n 1)" 9
	assert_equal "$(awk '{ print $1 }' a/backout-log | tr '\n' ' ')" "b1 b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 "
	assert_equal "$(awk '{ print $1 }' r/log | tail -n 1)" 11
}

@test "back-out from step 10 of the exchange method in three directories; a-b1 with a wrong or altered DNSKEY RRset refused" {
	local before
	roles_forward 10
	T=$((T + 3600))
	bero-migrate -d a export b1 -o a-b1 > /dev/null
	before=$(cat b/imported)
	# Not the four keys: A's zone of step 0 (A's keys alone).
	cp -a a-b1 w
	zcanon -z example. src/a.signed > w/zone
	awk -F '\t' '$1 == "example." && ($4 == "DNSKEY" || ($4 == "RRSIG" && $5 ~ /^DNSKEY /))' w/zone > w/dnskey
	remanifest w
	runs at $T bero-migrate -d b import w
	assert_trouble bero-migrate "w/dnskey: its DNSKEY RRset differs from operator B's own \\(keys/a and keys/b\\): 0 keys only in the bundle, 2 missing from it: nothing imported"
	# KSK_A's signature altered, in the zone and the RRset alike.
	cp -a a-b1 x
	for f in x/zone x/dnskey; do
		awk -F '\t' -v OFS='\t' '$4 == "RRSIG" && $5 ~ /^DNSKEY / {
		    n = split($5, w, " "); c = substr(w[n], 8, 1)
		    w[n] = substr(w[n], 1, 7) (c == "A" ? "B" : "A") substr(w[n], 9)
		    $5 = w[1]; for (i = 2; i <= n; i++) $5 = $5 " " w[i] } { print }' "$f" > "$f.new" &&
		    mv "$f.new" "$f"
	done
	runs at $T bero-migrate -d b import x
	assert_trouble bero-migrate "x/MANIFEST:[0-9]*: dnskey: its SHA-256 digest is not the manifest's"
	remanifest x
	runs at $T bero-migrate -d b import x
	assert_trouble bero-migrate "import: .*x/zone does not validate from DS_A \\(a/ds-a.txt\\)"
	assert_equal "$(cat b/imported)" "$before"
	[ ! -e b/backout-log ]
	T=$((T - 3600))
	backout_b1
	backout_b4
	backout_rest
	assert_equal "$(awk '{ print $1 }' b/backout-log | tr '\n' ' ')" "b1 b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15 "
	assert_equal "$(awk '{ print $1 }' r/backout-log | tr '\n' ' ')" "b1 b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 "
}

@test "back-out from step 12 of double-DS in three directories: B's b1 with KSK_B's signature only, no bundle from A, then b2 to b15" {
	roles_forward 12 double-ds
	backout_b1
	backout_parent b3 b2
	assert_equal "$(awk -F '\t' '$4 == "DS" { print $5 }' r/r/step-b2.request | sort)" \
	    "$(cat a/a/ds-a.txt b/b/ds-b.txt | awk -F '\t' '$4 == "DS" { print $5 }' | sort)"
	backout_b4
	backout_rest
	assert_equal "$(awk '{ print $1 }' b/backout-log | tr '\n' ' ')" "b1 b2 b3 b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15 "
}
