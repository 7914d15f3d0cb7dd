#!/usr/bin/env bats
# zmerge-dnskey -r: removing keys and the signatures they made (step 10).
load helper
load zmerge-dnskey

setup() { zm_setup; }

# RRSIGs whose key tag field is $2, in zone text $1.
sigs_by() {
	awk -F'\t' -v tag="$2" '$4 == "RRSIG" { split($5, f, " "); if (f[7] == tag) n++ } END { print n + 0 }' <<<"$1"
}

@test "zmerge-dnskey -r -K: B removes A's keys by tag, and the imported KSK_A signature" {
	runs zmerge-dnskey -r -K 5021/13 -K 40244/13 b-2a.zone
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat remove-a.out)"
	assert_equal "$(sigs_by "$output" 5021)" 0
	assert_equal "$(grep -c '	DNSKEY	' <<<"$output")" 2
}

@test "zmerge-dnskey -r: removal by key file and by fragment gives the same zone as by tag" {
	runs zmerge-dnskey -r -k "$KSK_A" -k "$ZSK_A" b-2a.zone
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(cat remove-a.out)"
	cat "$KSK_A" "$ZSK_A" > "$BATS_TEST_TMPDIR/a-keys.frag"
	runs zmerge-dnskey -r -f "$BATS_TEST_TMPDIR/a-keys.frag" b-2a.zone
	assert_success
	assert_output "$(cat remove-a.out)"
}

@test "zmerge-dnskey -r: only the DNSKEY RRset and its signatures change" {
	run comm -3 <(zcanon b-2a.zone | sort) <(sort remove-a.out)
	refute_output --regexp $'\t(NS|SOA|DS|NSEC3|NSEC3PARAM|A|AAAA)\t'
	refute_output --regexp $'\tRRSIG\t(NS|SOA|DS|NSEC3|NSEC3PARAM) '
	assert_equal "$(grep -c . <<<"$output")" 5
}

@test "zmerge-dnskey -r: removing twice gives the bytes of removing once, with warnings" {
	runs zmerge-dnskey -r -K 5021/13 -K 40244/13 remove-a.out
	assert_success
	assert_output "$(cat remove-a.out)"
	assert_equal "$stderr" "zmerge-dnskey: warning: remove-a.out: no key 5021/13 in the zone
zmerge-dnskey: warning: remove-a.out: no key 40244/13 in the zone"
	runs zmerge-dnskey -r -k "$KSK_A" remove-a.out
	assert_success
	assert_output "$(cat remove-a.out)"
	assert_equal "$stderr" "zmerge-dnskey: warning: $KSK_A:5: key 5021/13 is not in the zone"
}

@test "zmerge-dnskey -r: every signature a removed key made goes, wherever it is" {
	[ "$(sigs_by "$(zcanon a.zone)" 40244)" -eq 7 ]
	runs zmerge-dnskey -r -K 40244/13 a.zone
	assert_success
	assert_equal "$(sigs_by "$output" 40244)" 0
	# The DNSKEY RRset changed: KSK_A's signature over it goes too; no
	# other record changes.
	assert_equal "$(sigs_by "$output" 5021)" 0
	run comm -13 <(sort <<<"$output") <(zcanon a.zone | sort)
	refute_output --regexp $'\t(NS|SOA|DS|NSEC3|NSEC3PARAM|A|AAAA)\t'
	run comm -23 <(sort <<<"$output") <(zcanon a.zone | sort)
	assert_output ""
}

@test "zmerge-dnskey -r: a tag that names two keys is refused; by file the key is found" {
	zmerge-dnskey -k "$KSK_B" -k collide.key -k "$ZSK_B" b-2a.zone \
	    2>/dev/null > "$BATS_TEST_TMPDIR/coll"
	runs zmerge-dnskey -r -K 62651/13 "$BATS_TEST_TMPDIR/coll"
	assert_trouble zmerge-dnskey "coll: key 62651/13 names 2 keys of the zone \(key tags collide\): give the key by file with -k or -f$"
	runs zmerge-dnskey -r -k collide.key "$BATS_TEST_TMPDIR/coll"
	assert_success
	assert_equal "$stderr" "zmerge-dnskey: warning: $BATS_TEST_TMPDIR/coll: a kept key has the tag 62651/13 too: the RRSIGs with that tag are kept"
	assert_line --partial $'\tDNSKEY\t257 3 13 hQH+6t7YiT4mE+10VaKa3YxDBi1O7Md82o1GKd4glzRdRFZduEk9ELILH7/dN99+eUtV3Xy/ulrGct01NCmsKQ=='
	refute_line --partial "$(grep -o '257 3 13 [^ ]*$' collide.key)"
}

@test "zmerge-dnskey -r: refuses to remove every key, unless forced" {
	runs zmerge-dnskey -r -K 5021/13 -K 40244/13 a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: a.zone: removing every key of the zone would leave its signatures unverifiable; -F removes them anyway$"
	runs zmerge-dnskey -F -r -K 5021/13 -K 40244/13 a.zone
	assert_success
	refute_line --partial '	DNSKEY	'
	refute_line --partial '	RRSIG	'
	assert_line --partial '	NSEC3PARAM	'
}

@test "zmerge-dnskey -r: refuses to leave no key with the SEP flag, unless forced" {
	runs zmerge-dnskey -r -K 5021/13 a.zone
	assert_trouble zmerge-dnskey "^zmerge-dnskey: a.zone: no key with the SEP flag would be left .*-F removes them anyway$"
	runs zmerge-dnskey -r -F -k "$KSK_A" a.zone
	assert_success
	assert_equal "$(grep -c '	DNSKEY	' <<<"$output")" 1
	# B's zone keeps its own KSK: no force needed there.
	runs zmerge-dnskey -r -K 5021/13 b-2a.zone
	assert_success
}

@test "zmerge-dnskey: -K only with -r, and as tag/alg" {
	usage_is_synopsis zmerge-dnskey -K 5021/13 a.zone
	local bad
	for bad in 5021 5021/ /13 65536/13 5021/256 5021/13x x/13; do
		runs zmerge-dnskey -r -K "$bad" a.zone
		assert_trouble zmerge-dnskey "tag/algorithm expected, as in 62651/13"
	done
}
