#!/usr/bin/env bats
# The writer (lib/rrtext.c) against the reader (issue 11): a record that
# reads writes, whatever its length, and its text reads back to the same
# RDATA.  For every type the reader reads (the driver asks libzscanner),
# in presentation form and in the generic form of RFC 3597 section 5:
# text -> zcanon -> zcanon is a fixed point after the first pass, with
# the same wire form.  And each writer fault the public test corpora
# found, one test each.
load helper

RT=$DATA/zcanon/roundtrip

setup_file() {
	# The driver asks libknot's type table, libzscanner's own.
	build_driver "$TOP/t/tools/rrwire.c" "$BATS_FILE_TMPDIR/rrwire" -lknot
}

rrwire() {
	"$BATS_FILE_TMPDIR/rrwire" "$@"
}

# A type bit map with every type, in hex: 256 windows of 32 octets of
# ones (RFC 4034 section 4.1.2), 8,704 octets.
full_bitmap() {
	local w ones
	ones=$(printf 'ff%.0s' {1..32})
	for ((w = 0; w < 256; w++)); do
		printf '%02x20%s' "$w" "$ones"
	done
}

# RDATA in hex of n octets of value v (two hex digits).
octets() {
	head -c "$1" /dev/zero | tr '\0' "\\$(printf '%03o' "0x$2")" |
	    od -An -v -tx1 | tr -d ' \n'
}

# The round trip of a zone file: written once, then again; the second
# text is the first, and both read to the records of the input (the
# driver's dump of each, in canonical order, in generic form).
round_trip() {
	local in=$1 t=$BATS_TEST_TMPDIR
	zcanon -F "$in" > "$t/once" || fail "zcanon does not read $in"
	runs zcanon -F "$t/once"
	assert_success
	assert_equal "$output" "$(cat "$t/once")"
	rrwire dump "$in" > "$t/wire.in" || fail "rrwire dump $in"
	rrwire dump "$t/once" > "$t/wire.once" || fail "rrwire dump once"
	run diff "$t/wire.in" "$t/wire.once"
	assert_success
}

# zcanon of one record (no SOA needed: -F), the RDATA of the line.
rdata_of() {
	printf '%s\n' "$1" > "$BATS_TEST_TMPDIR/one.zone"
	zcanon -F "$BATS_TEST_TMPDIR/one.zone" | cut -f5-
}

# The line written for a record, and the same written again, must be
# want (the RDATA field).
writes() {
	local in=$1 want=$2
	runs rdata_of "$in"
	assert_success
	assert_output "$want"
	round_trip "$BATS_TEST_TMPDIR/one.zone"
}

@test "rrtext: every type the reader reads is named as the reader names it, and has a case" {
	rrwire types > "$BATS_TEST_TMPDIR/types"
	# The reader's types, by number: about fifty, A to CAA.
	[ "$(wc -l < "$BATS_TEST_TMPDIR/types")" -ge 45 ]
	grep -qx '1 A' "$BATS_TEST_TMPDIR/types"
	grep -qx '257 CAA' "$BATS_TEST_TMPDIR/types"
	rrwire dump "$RT/types.zone" | cut -f4 | sed 's/^TYPE//' | sort -un \
	    > "$BATS_TEST_TMPDIR/have"
	cut -d' ' -f1 "$BATS_TEST_TMPDIR/types" | sort -n > "$BATS_TEST_TMPDIR/want"
	run comm -23 "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/have"
	assert_output ""
}

@test "rrtext: presentation form: text -> zcanon -> zcanon, the same text and wire form" {
	round_trip "$RT/types.zone"
	# Nothing written as ldns names it and the reader does not.
	run grep -E '	(NULL|WKS|ISDN|NSAP-PTR|MB|PX|GPOS|HIP|DLV|NXT)	' \
	    "$BATS_TEST_TMPDIR/once"
	assert_failure
}

@test "rrtext: generic form (TYPEnnn and mnemonic \\#) gives what the presentation form gives" {
	local t=$BATS_TEST_TMPDIR
	zcanon -F "$RT/types.zone" > "$t/want"
	rrwire dump "$RT/types.zone" > "$t/generic.zone"
	grep -q '	TYPE65	\\# ' "$t/generic.zone"
	runs zcanon -F "$t/generic.zone"
	assert_success
	assert_equal "$output" "$(cat "$t/want")"
	rrwire dump -m "$RT/types.zone" > "$t/mnemonic.zone"
	grep -q '	HTTPS	\\# ' "$t/mnemonic.zone"
	runs zcanon -F "$t/mnemonic.zone"
	assert_success
	assert_equal "$output" "$(cat "$t/want")"
	round_trip "$t/generic.zone"
}

@test "rrtext: RDATA of every type changed at random reads back from its text" {
	# 3,000 changes of the records of types.zone, in generic form: what
	# the reader takes must write to text that reads to the same RDATA.
	runs rrwire mutate "$RT/types.zone" 3000 20261206
	assert_success
	assert_output ""
	[[ "$stderr" =~ ", 0 failures" ]]
}

@test "rrtext: the largest records write whole and read back (TXT of 65,535 octets, full bit maps)" {
	local t=$BATS_TEST_TMPDIR bm s i owner
	bm=$(full_bitmap)
	# A 255-octet owner of octets that are all written \DDD.
	s=$(printf '\\255%.0s' {1..63})
	owner="$s.$s.$s.$(printf '\\255%.0s' {1..61})."
	# 257 strings of 254 octets that are all written \DDD: 65,535
	# octets of RDATA, 261,626 characters of text.
	s=$(printf '\\001%.0s' {1..254})
	{
		printf '%s 0 IN TXT' "$owner"
		for ((i = 0; i < 257; i++)); do
			printf ' "%s"' "$s"
		done
		printf '\n'
		# As long, but not strings to the end: generic form.
		printf 'g.example. 0 IN TXT \\# 65535 %s\n' \
		    "$(octets 65535 fe | sed 's/^..../00ff/')"
		printf 'n1.example. 0 IN NSEC \\# 8715 0162076578616d706c6500%s\n' "$bm"
		printf 'n2.example. 0 IN NSEC \\# 8715 0163076578616d706c6500%s\n' "$bm"
		printf 'n3.example. 0 IN TYPE50 \\# 8730 010100000014%s%s\n' \
		    "$(octets 20 11)" "$bm"
		printf 'c.example. 0 IN CSYNC \\# 8710 ffffffffffff%s\n' "$bm"
		printf 'u.example. 0 IN TYPE65280 \\# 65535 %s\n' "$(octets 65535 5c)"
	} > "$t/big.zone"
	runs zcanon -F "$t/big.zone"
	assert_success
	assert_equal "${#lines[@]}" 7
	printf '%s\n' "$output" > "$t/big.out"
	# Each full bit map is 65,536 types, the last TYPE65535.
	[ "$(grep -c ' TYPE65535$' "$t/big.out")" -eq 4 ]
	[ "$(awk '$4 == "NSEC" { print length($0) }' "$t/big.out" | sort -u |
	    head -1)" -gt 600000 ]
	round_trip "$t/big.zone"
	# rrwire dump checks every text against rr_text_max().
	rrwire dump "$t/big.out" > /dev/null
}

@test "rrtext: two NSEC records with every type write whole (issue 11 item 1: heap overflow, segfault)" {
	local bm
	bm=$(full_bitmap)
	{
		printf 'example. 0 IN SOA ns. h. 1 2 3 4 5\n'
		printf 'a.example. 0 IN NSEC \\# 8715 0162076578616d706c6500%s\n' "$bm"
		printf 'b.example. 0 IN NSEC \\# 8715 0163076578616d706c6500%s\n' "$bm"
	} > "$BATS_TEST_TMPDIR/two.zone"
	runs zcanon "$BATS_TEST_TMPDIR/two.zone"
	assert_success
	assert_equal "${#lines[@]}" 3
	[[ "${lines[1]}" == "a.example.	0	IN	NSEC	b.example. TYPE0 A NS "* ]]
	[[ "${lines[2]}" == *" CAA TYPE258 "*" TYPE65535" ]]
	round_trip "$BATS_TEST_TMPDIR/two.zone"
}

@test "rrtext: zdiff-dnssec -F denial prints a full bit map whole (issue 11 item 1: overflow of its buffer)" {
	local t=$BATS_TEST_TMPDIR bm
	bm=$(full_bitmap)
	printf 'example. 0 IN SOA ns. h. 1 2 3 4 5\nexample. 0 IN NS ns.example.\n' \
	    > "$t/old.zone"
	{ cat "$t/old.zone"
	  printf 'example. 0 IN NSEC \\# 8705 00%s\n' "$bm"; } > "$t/new.zone"
	runs zdiff-dnssec -F denial "$t/old.zone" "$t/new.zone"
	assert_equal "$status" 1
	assert_equal "$stderr" ""
	[[ "$output" == *"+ example.	0	IN	NSEC	. TYPE0 A NS "*" TYPE65535"* ]]
}

@test "rrtext: zcheck-chain's G4 shows a record with every type in its bit map (CSYNC)" {
	local t=$BATS_TEST_TMPDIR bm
	bm=$(full_bitmap)
	printf 'example. 0 IN SOA ns. h. 1 2 3 4 5\nexample. 0 IN NS ns.example.\n' \
	    > "$t/a.zone"
	{ cat "$t/a.zone"
	  printf 'example. 0 IN CSYNC \\# 8710 000000010000%s\n' "$bm"; } > "$t/b.zone"
	runs zcheck-chain -t 20270101000000 "$t/a.zone" "$t/b.zone"
	assert_equal "$status" 1
	assert_line --partial "b.zone:3: example. CSYNC: '1 0 TYPE0 A NS TYPE3 "
}

@test "rrtext: SVCB alpn with a comma in an id keeps both levels of escaping (RFC 9460 appendix A)" {
	writes 'x. 0 IN SVCB 1 . alpn="h1\\,h2"' '1 . alpn="h1\\,h2"'
	writes 'x. 0 IN HTTPS 1 . alpn="f\\\\oo\\,bar,h2"' \
	    '1 . alpn="f\\\\oo\\,bar,h2"'
	# An id the reader cannot read back from any text: generic form.
	writes 'x. 0 IN SVCB \# 12 0001 00 0001 0005 0141 026832' \
	    '\# 12 000100000100050141026832'
}

@test "rrtext: SvcParamKey 7 is written key7, with or without a value" {
	writes 'x. 0 IN SVCB 1 . key7="/dns-query{?dns}"' \
	    '1 . key7="/dns-query{?dns}"'
	writes 'x. 0 IN SVCB 1 . key7' '1 . key7'
	writes 'x. 0 IN SVCB 1 . key7=""' '1 . key7'
}

@test "rrtext: names in RDATA are escaped as RFC 1035 section 5.1 requires" {
	writes 'x. 0 IN RP a\"b.example. .' 'a\"b.example. .'
	writes 'x. 0 IN RP \@.example. \$.example.' '\@.example. \$.example.'
	writes 'x. 0 IN AFSDB 1 a\,b.example.' '1 a\,b.example.'
	writes 'x. 0 IN RT 1 a\;b.example.' '1 a\;b.example.'
	writes 'x. 0 IN KX 1 a\(b\).example.' '1 a\(b\).example.'
	writes 'x. 0 IN LP 1 a\ b.example.' '1 a\032b.example.'
	writes 'x. 0 IN MINFO a\"b.example. c\@d.example.' \
	    'a\"b.example. c\@d.example.'
	writes 'x. 0 IN NAPTR 1 2 "" "" "" a\"b.example.' \
	    '1 2 "" "" "" a\"b.example.'
	writes 'x. 0 IN SVCB 1 a\"b.example.' '1 a\"b.example.'
	writes 'x. 0 IN HTTPS 1 \$x.example.' '1 \$x.example.'
	# "\#" opening RDATA would be the generic form (RFC 3597 section 5).
	writes 'x. 0 IN NSEC \035.example. A' '\035.example. A'
	writes 'x. 0 IN CNAME \035a.example.' '\035a.example.'
}

@test "rrtext: empty strings are written, not dropped (URI, CAA, CERT)" {
	writes 'x. 0 IN URI 0 0 ""' '0 0 ""'
	writes 'x. 0 IN CAA 128 tbs ""' '128 tbs ""'
	# The reader takes no CERT without a certificate but the generic form.
	writes 'x. 0 IN CERT \# 5 0001000203' '\# 5 0001000203'
}

@test "rrtext: LOC out of the legal ranges is written in generic form" {
	writes 'x. 0 IN LOC \# 16 00000000000000000000000000000000' \
	    '\# 16 00000000000000000000000000000000'
	writes 'x. 0 IN LOC 0 N 0 E 0m' '0 0 0.000 N 0 0 0.000 E 0.00m 1.00m 10000.00m 10.00m'
	writes 'x. 0 IN LOC 90 S 180 W -100000m 90000000m 0m 0.01m' \
	    '90 0 0.000 S 180 0 0.000 W -100000.00m 90000000.00m 0.00m 0.01m'
}

@test "rrtext: types the reader does not know are TYPEnnn, in RRSIG and bit maps too (RFC 3597 section 5)" {
	writes 'x. 0 IN TYPE10 \# 2 0102' '\# 2 0102'
	run zcanon -F "$BATS_TEST_TMPDIR/one.zone"
	assert_output "x.	0	IN	TYPE10	\\# 2 0102"
	writes 'x. 0 IN RRSIG TYPE32769 8 1 0 20200101000000 20200101000000 1 x. AAAA' \
	    'TYPE32769 8 1 0 20200101000000 20200101000000 1 x. AAAA'
	writes 'x. 0 IN NSEC y. TYPE10 TYPE11 TYPE19 TYPE20 TYPE23 TYPE26 TYPE27 TYPE55' \
	    'y. TYPE10 TYPE11 TYPE19 TYPE20 TYPE23 TYPE26 TYPE27 TYPE55'
	writes 'x. 0 IN NSEC3 1 0 0 - 00000000 TYPE30 TYPE32769' \
	    '1 0 0 - 00000000 TYPE30 TYPE32769'
}

@test "rrtext: NXT is written in generic form" {
	writes 'x. 0 IN TYPE30 \# 6 01610040000a' '\# 6 01610040000a'
	run zcanon -F "$BATS_TEST_TMPDIR/one.zone"
	assert_output "x.	0	IN	TYPE30	\\# 6 01610040000a"
}
