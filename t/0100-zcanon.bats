#!/usr/bin/env bats
# zcanon: the reader, canonical order and the writer of the core.
load helper

Z=$DATA/zcanon

@test "zcanon: every RFC 1035 zone-file construct, golden output" {
	runs zcanon -I "$Z/mixed.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "$(cat "$Z/mixed.out")"
}

@test "zcanon: standard input, with and without -" {
	runs zcanon < "$Z/mixed.zone.noinclude"
	assert_success
	local a=$output
	runs zcanon - < "$Z/mixed.zone.noinclude"
	assert_success
	assert_equal "$output" "$a"
	[[ "$a" == *"txt.example."* ]]
}

@test "zcanon: output is canonical: a second pass changes nothing" {
	zcanon -I "$Z/mixed.zone" > "$BATS_TEST_TMPDIR/once"
	zcanon "$BATS_TEST_TMPDIR/once" > "$BATS_TEST_TMPDIR/twice"
	cmp "$BATS_TEST_TMPDIR/once" "$BATS_TEST_TMPDIR/twice"
}

@test "zcanon: input order does not matter" {
	# Reverse the records (one per line in canonical text) and shuffle.
	zcanon "$(root_zone)" > "$BATS_TEST_TMPDIR/a"
	tac "$BATS_TEST_TMPDIR/a" > "$BATS_TEST_TMPDIR/rev"
	shuf --random-source=<(yes) "$BATS_TEST_TMPDIR/a" > "$BATS_TEST_TMPDIR/shuf"
	runs zcanon "$BATS_TEST_TMPDIR/rev"
	assert_success
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/a")"
	runs zcanon "$BATS_TEST_TMPDIR/shuf"
	assert_success
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/a")"
}

@test "zcanon: canonical order is RFC 4034 section 6.1's example order" {
	# The example list of RFC 4034 section 6.1, given shuffled.
	cat > "$BATS_TEST_TMPDIR/order.zone" <<-'Z'
	\200.z.example. 60 IN A 192.0.2.1
	*.z.example. 60 IN A 192.0.2.1
	Z.a.example. 60 IN A 192.0.2.1
	example. 60 IN SOA ns. h. 1 2 3 4 5
	yljkjljk.a.example. 60 IN A 192.0.2.1
	zABC.a.EXAMPLE. 60 IN A 192.0.2.1
	\001.z.example. 60 IN A 192.0.2.1
	a.example. 60 IN A 192.0.2.1
	z.example. 60 IN A 192.0.2.1
	Z
	runs zcanon "$BATS_TEST_TMPDIR/order.zone"
	assert_success
	assert_equal "$(cut -f1 <<< "$output")" "$(printf '%s\n' example. \
	    example. a.example. yljkjljk.a.example. z.a.example. \
	    zabc.a.example. z.example. '\001.z.example.' '*.z.example.' \
	    '\200.z.example.' | sed 1d)"
}

@test "zcanon: uri.arpa in RFC 8976 layout and one-line layout load to identical records" {
	runs zcanon "$REAL/uri.arpa-2018100702/uri.arpa.zone"
	assert_success
	local multi=$output
	runs zcanon "$REAL/uri.arpa-2018100702/uri.arpa.oneline.zone"
	assert_success
	assert_equal "$multi" "$output"
	assert_equal "$(cut -f4 <<< "$output" | grep -c '^RRSIG$')" 15
}

@test "zcanon: the 2017 root zone round-trips without loss (ldns-read-zone agrees)" {
	local root
	root=$(root_zone)
	zcanon "$root" > "$BATS_TEST_TMPDIR/ours"
	ldns-read-zone -c "$root" 2>/dev/null | sed 's/[ ;]*{.*//; s/[ \t]*$//' | sort > "$BATS_TEST_TMPDIR/ldns-orig"
	ldns-read-zone -c "$BATS_TEST_TMPDIR/ours" 2>/dev/null | sed 's/[ ;]*{.*//; s/[ \t]*$//' | sort > "$BATS_TEST_TMPDIR/ldns-ours"
	cmp "$BATS_TEST_TMPDIR/ldns-orig" "$BATS_TEST_TMPDIR/ldns-ours"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/ours")" 22772
}

@test "zcanon: uri.arpa round-trips without loss (ldns-read-zone agrees)" {
	local u=$REAL/uri.arpa-2018100702/uri.arpa.oneline.zone
	zcanon "$u" > "$BATS_TEST_TMPDIR/ours"
	ldns-read-zone -c "$u" 2>/dev/null | sed 's/[ ;]*{.*//; s/[ \t]*$//' | sort > "$BATS_TEST_TMPDIR/a"
	ldns-read-zone -c "$BATS_TEST_TMPDIR/ours" 2>/dev/null | sed 's/[ ;]*{.*//; s/[ \t]*$//' | sort > "$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

@test "zcanon: named-compilezone accepts the output and finds the same zone" {
	zcanon "$REAL/uri.arpa-2018100702/uri.arpa.zone" > "$BATS_TEST_TMPDIR/ours"
	run named-compilezone -i none -k fail -s full -o "$BATS_TEST_TMPDIR/bind" uri.arpa "$BATS_TEST_TMPDIR/ours"
	assert_success
	run named-compilezone -i none -k fail -s full -o "$BATS_TEST_TMPDIR/bind-orig" uri.arpa "$REAL/uri.arpa-2018100702/uri.arpa.oneline.zone"
	assert_success
	cmp "$BATS_TEST_TMPDIR/bind" "$BATS_TEST_TMPDIR/bind-orig"
}

@test "zcanon: -o writes the file atomically and may name the input" {
	cp "$Z/mixed.zone.noinclude" "$BATS_TEST_TMPDIR/z"
	runs zcanon -o "$BATS_TEST_TMPDIR/z" "$BATS_TEST_TMPDIR/z"
	assert_success
	assert_equal "$output" ""
	runs zcanon "$Z/mixed.zone.noinclude"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/z")" "$output"
	assert_equal "$(ls "$BATS_TEST_TMPDIR" | grep -c tmp)" 0
}

@test "zcanon: a failing run leaves the -o file untouched and no temporary file" {
	local d=$BATS_TEST_TMPDIR/atomic
	mkdir "$d"
	echo "old content" > "$d/out"
	printf 'bad.example. 300 IN A 192.0.2\n' > "$d/bad.zone"
	runs zcanon -o "$d/out" "$d/bad.zone"
	assert_trouble zcanon 'bad.zone:1: invalid IPv4 address'
	assert_equal "$(cat "$d/out")" "old content"
	assert_equal "$(ls "$d" | wc -l)" 2
}

@test "zcanon: -o into a directory that does not exist" {
	runs zcanon -o /nonexistent/dir/out "$Z/mixed.zone.noinclude"
	assert_trouble zcanon '^zcanon: /nonexistent/dir/out: create a temporary file beside it: No such file or directory$'
}

@test "zcanon: -F reads a fragment without SOA" {
	printf 'ns1.nic-b.example. 300 IN A 203.0.113.1\nexample. 300 IN NS ns1.nic-b.example.\n' > "$BATS_TEST_TMPDIR/f"
	runs zcanon -F "$BATS_TEST_TMPDIR/f"
	assert_success
	assert_line -n 0 -p 'example.	300	IN	NS'
	runs zcanon "$BATS_TEST_TMPDIR/f"
	assert_trouble zcanon 'f: no SOA record: not a zone'
}

@test "zcanon: -z checks the origin" {
	runs zcanon -z example. "$Z/mixed.zone.noinclude"
	assert_success
	runs zcanon -z example.net. "$Z/mixed.zone.noinclude"
	assert_trouble zcanon 'SOA owner example. is not the origin example.net.'
}

@test "zcanon: usage errors exit 2 with the synopsis" {
	usage_is_synopsis zcanon -x
	usage_is_synopsis zcanon a b
}

# Bad input: each case is the sample header plus one bad line (line 6).
bad() {
	{
		printf '$ORIGIN example.\n$TTL 300\n@ SOA ns1 host 1 2 3 4 5\n'
		printf '@ NS ns1\nns1 A 192.0.2.1\n%s\n' "$1"
	} > "$BATS_TEST_TMPDIR/bad.zone"
	runs zcanon ${4:-} "$BATS_TEST_TMPDIR/bad.zone"
	assert_trouble zcanon "^zcanon: $BATS_TEST_TMPDIR/bad.zone:${3:-6}: $2\$"
}

@test "zcanon: bad input: bad base64" {
	bad 'k DNSKEY 257 3 13 AAA!BBBB' 'invalid Base64 character'
}

@test "zcanon: bad input: truncated record" {
	bad 'k DNSKEY 257 3 13' 'invalid record data'
	bad 'x A 192.0.2' 'invalid IPv4 address'
}

@test "zcanon: bad input: unknown type name" {
	bad 'x FOO 1' 'invalid number'
}

@test "zcanon: bad input: name over 255 octets" {
	bad "$(printf 'a%.0s' {1..60}).$(printf 'b%.0s' {1..60}).$(printf 'c%.0s' {1..60}).$(printf 'd%.0s' {1..60}).$(printf 'e%.0s' {1..60}) A 192.0.2.1" 'maximal domain name length has exceeded'
}

@test "zcanon: bad input: \$INCLUDE of a file that does not exist" {
	bad '$INCLUDE /nonexistent/file.zone' '\$INCLUDE /nonexistent/file.zone: No such file or directory' 6 -I
	bad '$INCLUDE /nonexistent/file.zone' '\$INCLUDE /nonexistent/file.zone: not allowed \(see berokit\(7\)\)'
}

@test "zcanon: bad input: a record outside the zone" {
	bad 'x.example.net. A 192.0.2.1' 'x.example.net. is outside the zone'
}

@test "zcanon: bad input: a second SOA" {
	bad '@ SOA ns1 host 2 2 3 4 5' 'second SOA record in the zone'
}

@test "zcanon: bad input: unclosed parenthesis" {
	bad 'x ( A 192.0.2.1' 'unclosed parenthesis'
}

@test "zcanon: bad input: a file that does not exist, an empty file, truncated stdin" {
	runs zcanon /nonexistent
	assert_trouble zcanon '^zcanon: /nonexistent: No such file or directory$'
	: > "$BATS_TEST_TMPDIR/empty"
	runs zcanon "$BATS_TEST_TMPDIR/empty"
	assert_trouble zcanon 'empty: no SOA record: not a zone'
	runs zcanon < <(head -c 150 "$Z/mixed.zone.noinclude")
	assert_trouble zcanon '^zcanon: <stdin>:[0-9]+: '
}

@test "zcanon: bad input: an \$INCLUDE loop is stopped" {
	printf 'example. 300 IN SOA ns. h. 1 2 3 4 5\n$INCLUDE %s\n' "$BATS_TEST_TMPDIR/loop.zone" > "$BATS_TEST_TMPDIR/loop.zone"
	runs zcanon -I "$BATS_TEST_TMPDIR/loop.zone"
	assert_trouble zcanon 'nested more than 16 deep'
}

@test "zcanon: writing to a full device fails with status 2" {
	[ -w /dev/full ] || skip "no /dev/full"
	runs bash -c 'zcanon -o - "$1" > /dev/full' sh "$Z/mixed.zone.noinclude"
	assert_equal "$status" 2
	[[ "$stderr" == "zcanon: <stdout>: write"* ]]
}

@test "zcanon: -o refuses to replace anything but a regular file" {
	runs zcanon -o /dev/null "$Z/mixed.zone.noinclude"
	assert_trouble zcanon '^zcanon: /dev/null: not a regular file'
	[ -c /dev/null ]
	mkdir "$BATS_TEST_TMPDIR/dir"
	runs zcanon -o "$BATS_TEST_TMPDIR/dir" "$Z/mixed.zone.noinclude"
	assert_trouble zcanon 'dir: not a regular file'
	[ -d "$BATS_TEST_TMPDIR/dir" ]
}
