#!/usr/bin/env bats
# zdiff-dnssec on the migration stages of the sample TLD (PROCEDURE.md),
# signed by dnssec-signzone (t/data/zdiff-dnssec/mkstages.sh made them):
# each stage shows exactly its own change, golden output.
load helper

Z=$DATA/zdiff-dnssec

# golden NAME OLD NEW [options]: the report, and status 1.  Run in the
# folder, so that JSON names the files as the golden files do.
golden() {
	local name=$1 old=$2 new=$3
	shift 3
	cd "$Z"
	runs zdiff-dnssec "$@" "$old.zone" "$new.zone"
	assert_equal "$status" 1
	assert_equal "$stderr" ""
	assert_equal "$output" "$(cat "$Z/$name")"
}

# jqr FILTER: jq -r on $output; python3 when jq is not installed (it is
# not among the packages "make deps" installs).
jqr() {
	if command -v jq > /dev/null; then
		jq -r "$1" <<< "$output"
	elif command -v python3 > /dev/null; then
		python3 -c 'import json, sys
d = json.loads(sys.stdin.read())
print(eval(sys.argv[1], {"d": d}))' "$2" <<< "$output"
	else
		skip "neither jq nor python3"
	fi
}

# The status of -D: whether registered-domain data changed.
data_status() {
	runs zdiff-dnssec -E "$Z/$1.zone" "$Z/$2.zone"
	assert_equal "$stderr" ""
	assert_equal "$status" "$3"
}

@test "zdiff-dnssec: step 1, B signs A's data: only the keys and signatures differ" {
	golden step1.out a-0 b-1
	data_status a-0 b-1 0
	# Same serial, same NSEC3 chain: apex and denial say so.
	[[ "$output" != *SOA* ]]
	[[ "$output" == *"denial: no differences (NSEC3 1 0 0 - opt-out, 2 records)"* ]]
}

@test "zdiff-dnssec: step 2a at A and at B: the other operator's keys added" {
	golden step2a-a.out a-0 a-2a
	golden step2a-b.out b-1 b-2a
	data_status a-0 a-2a 0
	data_status b-1 b-2a 0
}

@test "zdiff-dnssec: step 2b at A and at B: B's name servers and glue, in the apex group" {
	golden step2b-a.out a-2a a-2b
	golden step2b-b.out b-2a b-2b
	data_status a-2a a-2b 0
	data_status b-2a b-2b 0
}

@test "zdiff-dnssec: step 6: A's name servers and A's unused glue leave the apex" {
	golden step6.out b-2b b-6
	data_status b-2b b-6 0
	# ns1.nic-a.example. is still the glue of the nic-a delegation.
	[[ "$output" != *"ns1.nic-a.example. A"* ]]
}

@test "zdiff-dnssec: step 10: A's keys and signatures removed" {
	golden step10.out b-6 b-10
	data_status b-6 b-10 0
}

@test "zdiff-dnssec: A and B at the same step differ in signatures only" {
	golden operators.out a-2b b-2b
	runs zdiff-dnssec -g data,apex,denial "$Z/a-2b.zone" "$Z/b-2b.zone"
	assert_success
}

@test "zdiff-dnssec: a changed delegation is data, summarised per child, and -E fails" {
	golden deleg.out a-0 a-deleg
	data_status a-0 a-deleg 1
	runs zdiff-dnssec -g data "$Z/a-0.zone" "$Z/a-deleg.zone"
	assert_equal "$status" 1
	assert_line --index 1 "  alpha.example.: NS +1 -0, DS +1 -1, glue ns1.alpha.example. A +1 -1, glue ns2.alpha.example. A +1 -0"
}

@test "zdiff-dnssec: NSEC to NSEC3: the denial group alone, with the new NSEC3PARAM" {
	golden nsec3.out a-nsec a-0
	runs zdiff-dnssec -g data,apex "$Z/a-nsec.zone" "$Z/a-0.zone"
	assert_success
}

@test "zdiff-dnssec: every kind of data change, per delegation and per name" {
	golden data.out data-old data-new
	data_status data-old data-new 1
}

@test "zdiff-dnssec: apex: SOA fields, TTLs, a revoked key, a new role, CDS, CDNSKEY, ZONEMD" {
	golden apex.out apex-old apex-new
	data_status apex-old apex-new 0
}

@test "zdiff-dnssec: -b gives one line per group" {
	golden step2b-a.brief a-2a a-2b -b
	assert_equal "${#lines[@]}" 4
}

@test "zdiff-dnssec: -j golden JSON, valid, with the documented members" {
	golden step2b-a.json a-2a a-2b -j
	assert_equal "$(jqr '.signatures.keys[1].made' \
	    'd["signatures"]["keys"][1]["made"]')" 4
	golden apex.json apex-old apex-new -j
	assert_equal "$(jqr '.apex.items[4].new.tag' \
	    'd["apex"]["items"][4]["new"]["tag"]')" 5149
	golden data.json data-old data-new -j
	assert_equal "$(jqr 'keys_unsorted | join(",")' '",".join(d)')" \
	    "old,new,ignore_serial,differences,data,apex,denial,signatures"
	assert_equal "$(jqr '.data.units[4].rrsets | map(.role) | join(",")' \
	    '",".join(r["role"] for r in d["data"]["units"][4]["rrsets"])')" \
	    "ns,ds,glue"
}

@test "zdiff-dnssec: -F data lists every differing record of the group, and only it" {
	golden data-full.out data-old data-new -F data
	# 8 records added, 5 removed, 2 with a new TTL (both lines).
	assert_equal "$(grep -c '^+ ' <<< "$output")" 10
	assert_equal "$(grep -c '^- ' <<< "$output")" 7
}

@test "zdiff-dnssec: -F signatures: made, removed and refreshed signatures, as records" {
	runs zdiff-dnssec -F signatures "$Z/a-2a.zone" "$Z/a-2b.zone"
	assert_equal "$status" 1
	assert_line --index 0 "signatures: 4 made, 0 removed, 7 kept, 3 refreshed, by 4 keys"
	# made + refreshed new records, removed + refreshed old ones.
	assert_equal "$(grep -c $'^+ .*\tRRSIG\t' <<< "$output")" 7
	assert_equal "$(grep -c $'^- .*\tRRSIG\t' <<< "$output")" 3
	assert_equal "${#lines[@]}" 11
}

@test "zdiff-dnssec: -F apex and -F denial of step 2b" {
	runs zdiff-dnssec -F apex "$Z/a-2a.zone" "$Z/a-2b.zone"
	assert_equal "$status" 1
	assert_equal "$output" "apex: 5 changes
+ example.	3600	IN	NS	ns1.nic-b.example.
+ example.	3600	IN	NS	ns2.nic-b.net.
- example.	3600	IN	SOA	ns1.nic-a.example. hostmaster.nic.example. 2026112802 1800 900 604800 300
+ example.	3600	IN	SOA	ns1.nic-a.example. hostmaster.nic.example. 2026112803 1800 900 604800 300
+ ns1.nic-b.example.	3600	IN	A	203.0.113.1
+ ns1.nic-b.example.	3600	IN	AAAA	2001:db8:b::1"
	runs zdiff-dnssec -F denial "$Z/a-2a.zone" "$Z/a-2b.zone"
	assert_equal "$status" 1
	assert_equal "$(grep -c $'\tNSEC3\t' <<< "$output")" 4
}

@test "zdiff-dnssec: -S ignores the serial, in the report and in the status" {
	runs zdiff-dnssec -S -g apex "$Z/a-2a.zone" "$Z/a-2b.zone"
	assert_equal "$status" 1
	assert_line --index 0 "apex: 4 changes"
	refute_output --partial serial
	# Only the serial changed: no difference with -s.
	sed 's/2026112801/2026112809/' "$Z/a-0.zone" > "$BATS_TEST_TMPDIR/bumped.zone"
	runs zdiff-dnssec -g data,apex,denial "$Z/a-0.zone" "$BATS_TEST_TMPDIR/bumped.zone"
	assert_equal "$status" 1
	assert_output --partial "SOA serial 2026112801 -> 2026112809"
	runs zdiff-dnssec -S -g data,apex,denial "$Z/a-0.zone" "$BATS_TEST_TMPDIR/bumped.zone"
	assert_success
	runs zdiff-dnssec -S -F apex "$Z/a-0.zone" "$BATS_TEST_TMPDIR/bumped.zone"
	assert_success
	assert_output "apex: no differences"
}

@test "zdiff-dnssec: the zadd-bero-ns and zmerge-dnskey of this build: stages 2a and 2b" {
	command -v zadd-bero-ns > /dev/null || skip "zadd-bero-ns not built"
	command -v zmerge-dnskey > /dev/null || skip "zmerge-dnskey not built"
	local ex=$DATA/examples
	zmerge-dnskey -k "$ex/Kexample.+013+62651.key" \
	    -k "$ex/Kexample.+013+48585.key" "$ex/example.zone" \
	    > "$BATS_TEST_TMPDIR/2a.zone"
	zadd-bero-ns -n "$ex/nic-b.ns" "$BATS_TEST_TMPDIR/2a.zone" \
	    > "$BATS_TEST_TMPDIR/2b.zone"
	runs zdiff-dnssec -E "$ex/example.zone" "$BATS_TEST_TMPDIR/2a.zone"
	assert_success
	assert_output "data: no differences
apex: 2 changes
  DNSKEY added key 48585/13 flags 256 ZSK
  DNSKEY added key 62651/13 flags 257 KSK
denial: no differences (no NSEC or NSEC3)
signatures: no differences (no RRSIG)"
	runs zdiff-dnssec -E -b "$BATS_TEST_TMPDIR/2a.zone" "$BATS_TEST_TMPDIR/2b.zone"
	assert_success
	assert_line --index 1 "apex: 4 changes"
}

@test "zdiff-dnssec: the four full lists together are exactly the records that differ" {
	# Every record only in old, or only in new, is in exactly one
	# group's list: compare with comm(1) over zcanon's output.
	local p old new g r
	# And the root zone against itself less a TLD, a glue address, an
	# NSEC and an RRSIG, with a new TTL on a DS RRset.
	r=$(root_zone)
	awk '{ o = tolower($1) }
	    o == "zw." && $4 == "NS" { next }
	    o == "a0.nic.ac." && $4 == "A" { next }
	    o == "bi." && $4 == "NSEC" { next }
	    o == "de." && $4 == "RRSIG" && $5 == "DS" { next }
	    o == "aaa." && $4 == "DS" { $2 = 3600 }
	    { print }' "$r" > "$BATS_TEST_TMPDIR/root.new"
	for p in a-0:b-1 a-0:a-2a a-2a:a-2b b-2b:b-6 b-6:b-10 a-0:a-deleg \
	    a-nsec:a-0 a-2b:b-2b data-old:data-new apex-old:apex-new root; do
		old=$Z/${p%%:*}.zone new=$Z/${p#*:}.zone
		[ "$p" = root ] && old=$r new=$BATS_TEST_TMPDIR/root.new
		zcanon "$old" | sort > "$BATS_TEST_TMPDIR/old"
		zcanon "$new" | sort > "$BATS_TEST_TMPDIR/new"
		{
			comm -23 "$BATS_TEST_TMPDIR/old" "$BATS_TEST_TMPDIR/new" |
			    sed 's/^/- /'
			comm -13 "$BATS_TEST_TMPDIR/old" "$BATS_TEST_TMPDIR/new" |
			    sed 's/^/+ /'
		} | sort > "$BATS_TEST_TMPDIR/want"
		for g in data apex denial signatures; do
			zdiff-dnssec -F "$g" "$old" "$new" | sed 1d || true
		done | sort > "$BATS_TEST_TMPDIR/got"
		diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got" ||
		    fail "$p: the full lists are not the difference"
	done
}
