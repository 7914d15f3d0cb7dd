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
