#!/usr/bin/env bats
# zdiff-dnssec: operands, options, exit statuses, real zones, bad input.
load helper

Z=$DATA/zdiff-dnssec
EX=$DATA/examples/example.zone

@test "zdiff-dnssec: exit 0 for the same zone, 1 for a difference, per group asked" {
	runs zdiff-dnssec "$Z/a-0.zone" "$Z/a-0.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_output "data: no differences
apex: no differences
denial: no differences (NSEC3 1 0 0 - opt-out, 2 records)
signatures: no differences (2 keys, 8 kept)
  key 5021/13 KSK: 0 made, 0 removed, 1 kept, 0 refreshed; expiring 20270301000000
  key 40244/13 ZSK: 0 made, 0 removed, 7 kept, 0 refreshed; expiring 20270301000000"
	runs zdiff-dnssec "$Z/a-0.zone" "$Z/a-deleg.zone"
	assert_equal "$status" 1
	# Step 2b changes the apex, the denial chain and the signatures.
	runs zdiff-dnssec -g data "$Z/a-2a.zone" "$Z/a-2b.zone"
	assert_success
	assert_output "data: no differences"
	runs zdiff-dnssec -g signatures,data "$Z/a-2a.zone" "$Z/a-2b.zone"
	assert_equal "$status" 1
	assert_line --index 0 "data: no differences"
	assert_line --index 1 --regexp "^signatures: "
	runs zdiff-dnssec -F data "$Z/a-2a.zone" "$Z/a-2b.zone"
	assert_success
	assert_output "data: no differences"
}

@test "zdiff-dnssec: -E: data decides the status, every group is still shown" {
	runs zdiff-dnssec -E "$Z/a-2a.zone" "$Z/a-2b.zone"
	assert_success
	assert_equal "$output" "$(cat "$Z/step2b-a.out")"
	runs zdiff-dnssec -E -g apex "$Z/a-0.zone" "$Z/a-deleg.zone"
	assert_equal "$status" 1
	assert_output --partial "apex: 1 change"
	runs zdiff-dnssec -E -j "$Z/a-2a.zone" "$Z/a-2b.zone"
	assert_success
	assert_line --index 12 '  "differences": false,'
}

@test "zdiff-dnssec: standard input as old or as new" {
	runs zdiff-dnssec "$Z/a-2a.zone" "$Z/a-2b.zone"
	local want=$output
	runs zdiff-dnssec - "$Z/a-2b.zone" < "$Z/a-2a.zone"
	assert_equal "$status" 1
	assert_equal "$output" "$want"
	runs zdiff-dnssec "$Z/a-2a.zone" - < "$Z/a-2b.zone"
	assert_equal "$status" 1
	assert_equal "$output" "$want"
	runs zdiff-dnssec -j "$Z/a-2a.zone" - < "$Z/a-2b.zone"
	assert_line --index 7 '    "file": "-",'
}

@test "zdiff-dnssec: uri.arpa in two layouts does not differ" {
	local u=$REAL/uri.arpa-2018100702
	runs zdiff-dnssec "$u/uri.arpa.zone" "$u/uri.arpa.oneline.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 "data: no differences"
	assert_line --index 1 "apex: no differences"
	assert_line --index 2 "denial: no differences (NSEC, 5 records)"
	assert_line --index 3 "signatures: no differences (3 keys, 15 kept)"
	runs zdiff-dnssec -b -j "$u/uri.arpa.oneline.zone" "$u/uri.arpa.zone"
	assert_success
}

@test "zdiff-dnssec: the root zone against itself in another order" {
	local r
	r=$(root_zone)
	tac "$r" > "$BATS_TEST_TMPDIR/rev.zone"
	runs zdiff-dnssec -b "$r" "$BATS_TEST_TMPDIR/rev.zone"
	assert_success
	assert_output "data: no differences
apex: no differences
denial: no differences (NSEC, 1548 records)
signatures: no differences (2 keys, 2950 kept)"
}

@test "zdiff-dnssec: the root zone with one TLD's delegation changed and one removed" {
	local r
	r=$(root_zone)
	awk '$1 == "ac." && $4 == "NS" && $5 == "a0.nic.ac." { next }
	    $1 == "zw." && $4 != "NSEC" && $4 != "RRSIG" { next }
	    { print }' "$r" > "$BATS_TEST_TMPDIR/new.zone"
	runs zdiff-dnssec -g data "$r" "$BATS_TEST_TMPDIR/new.zone"
	assert_equal "$status" 1
	assert_line --index 0 --regexp "^data: 2 delegations differ: 0 records added, [0-9]+ removed"
	assert_line --index 1 "  ac.: NS +0 -1"
	assert_line --index 2 --regexp "^  zw\.: delegation removed: NS \+0 -[0-9]+"
}

@test "zdiff-dnssec: details stop after 20 items; -F lists every record" {
	local i
	cp "$EX" "$BATS_TEST_TMPDIR/new.zone"
	for i in $(seq -w 1 25); do
		printf 'd%s 86400 IN NS ns1.provider.net.\nd%s 86400 IN NS ns2.provider.net.\n' \
		    "$i" "$i"
	done >> "$BATS_TEST_TMPDIR/new.zone"
	runs zdiff-dnssec -g data "$EX" "$BATS_TEST_TMPDIR/new.zone"
	assert_equal "$status" 1
	assert_line --index 0 "data: 25 delegations differ: 50 records added, 0 removed, 0 with a new TTL"
	assert_line --index 1 "  d01.example.: delegation added: NS +2 -0"
	assert_line --index 20 "  d20.example.: delegation added: NS +2 -0"
	assert_line --index 21 "  ... and 5 more"
	assert_equal "${#lines[@]}" 22
	runs zdiff-dnssec -F data "$EX" "$BATS_TEST_TMPDIR/new.zone"
	assert_equal "$status" 1
	assert_equal "${#lines[@]}" 51
	assert_line --index 50 "+ d25.example.	86400	IN	NS	ns2.provider.net."
	runs zdiff-dnssec -j -g data "$EX" "$BATS_TEST_TMPDIR/new.zone"
	assert_output --partial '"more": 5'
}

@test "zdiff-dnssec: the same report on every run" {
	runs zdiff-dnssec -j "$Z/apex-old.zone" "$Z/apex-new.zone"
	local a=$output
	runs zdiff-dnssec -j "$Z/apex-old.zone" "$Z/apex-new.zone"
	assert_equal "$output" "$a"
}

@test "zdiff-dnssec: usage errors" {
	usage_is_synopsis zdiff-dnssec
	usage_is_synopsis zdiff-dnssec "$EX"
	usage_is_synopsis zdiff-dnssec "$EX" "$EX" "$EX"
	usage_is_synopsis zdiff-dnssec -x "$EX" "$EX"
	usage_is_synopsis zdiff-dnssec -F glue "$EX" "$EX"
	usage_is_synopsis zdiff-dnssec -g data,sigs "$EX" "$EX"
	usage_is_synopsis zdiff-dnssec -g , "$EX" "$EX"
	usage_is_synopsis zdiff-dnssec -b -F data "$EX" "$EX"
	usage_is_synopsis zdiff-dnssec -F data -g apex "$EX" "$EX"
}

@test "zdiff-dnssec: both operands standard input" {
	runs zdiff-dnssec - - < "$EX"
	assert_trouble zdiff-dnssec "old and new are both standard input$"
}

@test "zdiff-dnssec: a file that cannot be read, old or new" {
	runs zdiff-dnssec "$BATS_TEST_TMPDIR/nothing.zone" "$EX"
	assert_trouble zdiff-dnssec "nothing.zone: No such file or directory$"
	runs zdiff-dnssec "$EX" "$BATS_TEST_TMPDIR/nothing.zone"
	assert_trouble zdiff-dnssec "nothing.zone: No such file or directory$"
}

@test "zdiff-dnssec: a zone that does not parse: file and line" {
	printf 'example. 3600 IN SOA a. b. 1 2 3 4 5\nwww.example. 3600 IN A 192.0.2.300\n' \
	    > "$BATS_TEST_TMPDIR/bad.zone"
	runs zdiff-dnssec "$EX" "$BATS_TEST_TMPDIR/bad.zone"
	assert_trouble zdiff-dnssec "bad.zone:2: "
	runs zdiff-dnssec - "$EX" < "$BATS_TEST_TMPDIR/bad.zone"
	assert_trouble zdiff-dnssec "^zdiff-dnssec: <stdin>:2: "
}

@test "zdiff-dnssec: not a zone: no SOA, a record outside it" {
	printf 'www.example. 3600 IN A 192.0.2.1\n' > "$BATS_TEST_TMPDIR/nosoa.zone"
	runs zdiff-dnssec "$BATS_TEST_TMPDIR/nosoa.zone" "$EX"
	assert_trouble zdiff-dnssec "nosoa.zone: no SOA record"
	{ cat "$EX"; printf 'www.example.net. 3600 IN A 192.0.2.1\n'; } \
	    > "$BATS_TEST_TMPDIR/outside.zone"
	runs zdiff-dnssec "$EX" "$BATS_TEST_TMPDIR/outside.zone"
	assert_trouble zdiff-dnssec "outside.zone:[0-9]+: www.example.net. is outside the zone"
}

@test "zdiff-dnssec: two different zones" {
	sed 's/^\$ORIGIN example\./$ORIGIN example.net./' "$EX" \
	    > "$BATS_TEST_TMPDIR/other.zone"
	runs zdiff-dnssec "$EX" "$BATS_TEST_TMPDIR/other.zone"
	assert_trouble zdiff-dnssec "other.zone: apex example.net. is not the old zone's apex example.$"
}

@test "zdiff-dnssec: -z: the origin of relative names, and the SOA must be there" {
	sed 1,2d "$EX" > "$BATS_TEST_TMPDIR/relative.zone"
	runs zdiff-dnssec -z example. "$EX" "$BATS_TEST_TMPDIR/relative.zone"
	assert_success
	runs zdiff-dnssec -z example.net. "$EX" "$EX"
	assert_trouble zdiff-dnssec "SOA owner example. is not the origin example.net."
}

@test "zdiff-dnssec: a write error is trouble" {
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr bash -c 'zdiff-dnssec "$1" "$2" > /dev/full' _ \
	    "$Z/a-0.zone" "$Z/b-1.zone"
	assert_equal "$status" 2
	[[ "$stderr" == "zdiff-dnssec: <stdout>: write: No space left on device" ]] || fail "$stderr"
}
