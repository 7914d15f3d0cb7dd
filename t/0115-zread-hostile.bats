#!/usr/bin/env bats
# The reader on hostile and unusual input (issue 11): the largest legal
# records, malformed type bit maps, TTLs over 2^31-1, unpadded NSEC3
# hashes, $INCLUDE where it is not wanted, unclosed parentheses and
# quotes, AXFR transcripts.
load helper

# A 255-octet owner (RFC 1035 section 3.1): labels of 63, 63, 63 and 61.
long_owner() {
	local c d
	c=$(printf 'c%.0s' {1..63})
	d=$(printf 'd%.0s' {1..61})
	printf '%s.%s.%s.%s.' "$c" "$c" "$c" "$d"
}

# The RDATA of the largest TXT: 255 strings of 255 octets and one of
# 254, 65,535 octets with their lengths (RFC 1035 section 3.3.14).
max_txt() {
	local a b i
	a=$(printf 'a%.0s' {1..255})
	b=$(printf 'b%.0s' {1..254})
	for ((i = 0; i < 255; i++)); do
		printf '"%s" ' "$a"
	done
	printf '"%s"' "$b"
}

@test "reader: the largest TXT and the largest \\# record pass through (zpipe batch)" {
	local t=$BATS_TEST_TMPDIR o txt
	o=$(long_owner)
	txt=$(max_txt)
	{
		printf '. 60 IN SOA ns. h. 1 2 3 4 5\n'
		printf '%s 60 IN TXT %s\n' "$o" "$txt"
		printf 'x. 60 IN TXT %s\n' "$txt"
		printf '%s 60 IN TYPE65280 \\# 65535 ' "$o"
		head -c 65535 /dev/zero | tr '\0' '\253' | od -An -v -tx1 | tr -d ' \n'
		printf '\n'
	} > "$t/big.zone"
	runs zcanon "$t/big.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 4
	printf '%s\n' "$output" > "$t/once"
	# The TXT's text is 65,535 octets less the 256 lengths, quoted.
	[[ "$(grep -c "^x\\.	60	IN	TXT	\"a" "$t/once")" == 1 ]]
	grep -q "	TYPE65280	\\\\# 65535 abab" "$t/once"
	runs zcanon "$t/once"
	assert_success
	assert_equal "$output" "$(cat "$t/once")"
	runs zcanon < "$t/big.zone"
	assert_success
	assert_equal "$output" "$(cat "$t/once")"
}

@test "reader: many of the largest records, stored on a second thread" {
	local t=$BATS_TEST_TMPDIR txt i
	txt=$(max_txt)
	{
		printf '. 60 IN SOA ns. h. 1 2 3 4 5\n'
		for ((i = 0; i < 24; i++)); do
			printf 'x%d. 60 IN TXT %s\n' "$i" "$txt"
			printf 'y%d. 60 IN A 192.0.2.1\n' "$i"
		done
	} > "$t/many.zone"
	[ "$(stat -c %s "$t/many.zone")" -gt 1048576 ]
	runs zcanon "$t/many.zone"
	assert_success
	assert_equal "${#lines[@]}" 49
}

# bitmap TYPE HEX: a zone whose line 4 is a record of TYPE in generic
# form (RFC 3597), the RDATA in hex (blanks allowed), read by zcanon.
bitmap() {
	local hex=${2// /}
	{
		printf 'example. 60 IN SOA ns. h. 1 2 3 4 5\n'
		printf 'example. 60 IN NS ns.example.\n'
		printf 'ns.example. 60 IN A 192.0.2.1\n'
		printf 'example. 60 IN %s \\# %d %s\n' "$1" $((${#hex} / 2)) "$hex"
	} > "$BATS_TEST_TMPDIR/bm.zone"
	runs zcanon "$BATS_TEST_TMPDIR/bm.zone"
}

NEXT='026e73076578616d706c6500'	# ns.example.
HASH='01000000 00 14 000102030405060708090a0b0c0d0e0f10111213'

@test "reader: a malformed or non-canonical type bit map is refused (RFC 4034 section 4.1.2)" {
	local type pre rfc
	for type in NSEC NSEC3 CSYNC; do
		case $type in
		NSEC) pre=$NEXT rfc='RFC 4034 section 4.1.2' ;;
		NSEC3) pre=$HASH rfc='RFC 5155 section 3.2.1' ;;
		CSYNC) pre='00000001 0003' rfc='RFC 7477 section 2.1.1.2.1' ;;
		esac
		bitmap $type "$pre 000102 000106"
		assert_trouble zcanon "bm.zone:4: $type type bit map: window 0 repeated \\($rfc\\)\$"
		bitmap $type "$pre 010102 00020006"
		assert_trouble zcanon "bm.zone:4: $type type bit map: window 0 out of order"
		bitmap $type "$pre 0000 000140"
		assert_trouble zcanon "bm.zone:4: $type type bit map: window 0 empty"
		bitmap $type "$pre 0021 4000000000000000000000000000000000000000000000000000000000000000 01"
		assert_trouble zcanon "bm.zone:4: $type type bit map: window 0 of 33 octets, over 32"
		bitmap $type "$pre 0002 4000"
		assert_trouble zcanon "bm.zone:4: $type type bit map: window 0 ends in a zero octet"
		bitmap $type "$pre 000140 0103 40"
		assert_trouble zcanon "bm.zone:4: $type type bit map: window 1 cut short"
		bitmap $type "$pre 000140 01"
		assert_trouble zcanon "bm.zone:4: $type type bit map: window 1 without its length"
		# Canonical maps, and none, read.
		bitmap $type "$pre 000162 010140"
		assert_success
		assert_line -p "	$type	"
		[[ "$output" == *" A NS SOA CAA"* ]]
		bitmap $type "$pre"
		assert_success
	done
	bitmap NSEC '026e7307'
	assert_trouble zcanon 'bm.zone:4: NSEC RDATA cut short before the type bit map'
	bitmap NSEC3 '01000000 02 aa'
	assert_trouble zcanon 'bm.zone:4: NSEC3 RDATA cut short before the type bit map'
	# Through standard input too.
	bitmap NSEC "$NEXT 0002 4000"
	runs zcanon < "$BATS_TEST_TMPDIR/bm.zone"
	assert_trouble zcanon '^zcanon: <stdin>:4: NSEC type bit map'
}

@test "reader: type lists in presentation form make the canonical map" {
	printf '%s\n' 'example. 60 IN SOA ns. h. 1 2 3 4 5' \
	    'example. 60 IN NSEC ns.example. CAA A SOA A TYPE65535 NS' \
	    'x.example. 60 IN NSEC3 1 0 0 - 0123456789abcdefghijklmnopqrstuv CAA A A' \
	    'y.example. 60 IN NSEC3 1 0 0 - 0123456789abcdefghijklmnopqrstuv' \
	    > "$BATS_TEST_TMPDIR/p.zone"
	runs zcanon "$BATS_TEST_TMPDIR/p.zone"
	assert_success
	assert_line 'example.	60	IN	NSEC	ns.example. A NS SOA CAA TYPE65535'
	assert_line 'x.example.	60	IN	NSEC3	1 0 0 - 0123456789abcdefghijklmnopqrstuv A CAA'
	assert_line 'y.example.	60	IN	NSEC3	1 0 0 - 0123456789abcdefghijklmnopqrstuv'
}

@test "reader: a TTL over 2^31-1 is taken as 0, with one warning (RFC 2181 section 8)" {
	local t=$BATS_TEST_TMPDIR
	printf '%s\n' '$ORIGIN example.' '$TTL 300' '@ SOA ns1 host 1 2 3 4 5' \
	    '@ NS ns1' 'ns1 A 192.0.2.1' 'x 4294967295 A 192.0.2.2' \
	    'y 2147483647 A 192.0.2.3' 'z 2147483648 A 192.0.2.4' > "$t/ttl.zone"
	runs zcanon "$t/ttl.zone"
	assert_success
	assert_equal "$stderr" "zcanon: warning: $t/ttl.zone:6: TTL 4294967295 is over 2147483647: taken as 0 (RFC 2181 section 8); 2 records in all"
	assert_line 'x.example.	0	IN	A	192.0.2.2'
	assert_line 'y.example.	2147483647	IN	A	192.0.2.3'
	assert_line 'z.example.	0	IN	A	192.0.2.4'
	# From $TTL, on standard input, alone.
	printf '%s\n' '$ORIGIN example.' '@ 60 SOA ns1 host 1 2 3 4 5' \
	    '$TTL 4294967295' 'w A 192.0.2.5' > "$t/ttl2.zone"
	runs zcanon < "$t/ttl2.zone"
	assert_success
	assert_equal "$stderr" "zcanon: warning: <stdin>:4: TTL 4294967295 is over 2147483647: taken as 0 (RFC 2181 section 8)"
	assert_line 'w.example.	0	IN	A	192.0.2.5'
	# Text read twice (base64 in chunks to rejoin): still one warning.
	printf '%s\n' '$ORIGIN example.' '@ 60 SOA ns1 host 1 2 3 4 5' \
	    'v 4294967295 A 192.0.2.6' \
	    'k 60 DNSKEY 257 3 13 ( AwE AAb CDE FGH IJK L )' > "$t/ttl3.zone"
	runs zcanon "$t/ttl3.zone"
	assert_success
	assert_equal "$stderr" "zcanon: warning: $t/ttl3.zone:3: TTL 4294967295 is over 2147483647: taken as 0 (RFC 2181 section 8)"
}

@test "reader: a TTL over 2^31-1 in a large file read in pieces, warned once in its place" {
	local t=$BATS_TEST_TMPDIR
	awk 'BEGIN {
		print "$ORIGIN tld."; print "$TTL 3600"
		print "@ IN SOA ns.nic.tld. admin.nic.tld. 1 7200 3600 864000 300"
		print "@ IN NS ns.nic.tld."
		for (i = 1; i <= 300000; i++) {
			if (i == 150000 || i == 250000)
				printf "big%d 4294967295 IN A 192.0.2.1\n", i
			printf "d%07d IN NS ns1.p%d.example.\n", i, i % 97
		}
	}' > "$t/large.zone"
	runs zcanon "$t/large.zone"
	assert_success
	assert_equal "$stderr" "zcanon: warning: $t/large.zone:150004: TTL 4294967295 is over 2147483647: taken as 0 (RFC 2181 section 8); 2 records in all"
	printf '%s\n' "$output" > "$t/file.out"
	grep -qx 'big250000.tld.	0	IN	A	192.0.2.1' "$t/file.out"
	runs zcanon < "$t/large.zone"
	assert_success
	assert_equal "$output" "$(cat "$t/file.out")"
}

@test "reader: an NSEC3 next hashed owner in unpadded base32hex, as the writer writes it (RFC 5155 section 3.3)" {
	local t=$BATS_TEST_TMPDIR
	printf '%s\n' '$ORIGIN example.' '@ 60 SOA ns1 host 1 2 3 4 5' \
	    'a 60 NSEC3 1 0 0 - cpnmu A' \
	    'b 60 NSEC3 1 1 5 aabb ( 0123456789abcdefghijklmnopqrstuvcpnmuoo ; 39 octets' \
	    '	A RRSIG )' \
	    'c 60 NSEC3 1 0 0 - cpnmu===' \
	    'd 60 NSEC3 1 0 0 - 0123456789ABCDEFGHIJKLMNOPQRSTUV NS' > "$t/h.zone"
	runs zcanon "$t/h.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_line 'a.example.	60	IN	NSEC3	1 0 0 - cpnmu A'
	assert_line 'b.example.	60	IN	NSEC3	1 1 5 aabb 0123456789abcdefghijklmnopqrstuvcpnmuoo A RRSIG'
	assert_line 'c.example.	60	IN	NSEC3	1 0 0 - cpnmu'
	assert_line 'd.example.	60	IN	NSEC3	1 0 0 - 0123456789abcdefghijklmnopqrstuv NS'
	printf '%s\n' "$output" > "$t/once"
	runs zcanon "$t/once"
	assert_success
	assert_equal "$output" "$(cat "$t/once")"
	runs zcanon < "$t/h.zone"
	assert_success
	assert_equal "$output" "$(cat "$t/once")"
	# Not base32hex, padded or not, is still refused at its line.
	printf '%s\n' '$ORIGIN example.' '@ 60 SOA ns1 host 1 2 3 4 5' \
	    'a 60 NSEC3 1 0 0 - cpnmu A' 'e 60 NSEC3 1 0 0 - cpn!u A' > "$t/bad.zone"
	runs zcanon "$t/bad.zone"
	assert_trouble zcanon 'bad.zone:4: invalid Base32hex character$'
}

# unclosed TEXT: a zone whose line 5 starts TEXT (printf's format), read
# from the file and from standard input.
unclosed() {
	printf '$ORIGIN example.\n@ 60 SOA ns1 host 1 2 3 4 5\n@ 60 NS ns1\n; line 4\n'"$1" > "$BATS_TEST_TMPDIR/u.zone"
	runs zcanon "$BATS_TEST_TMPDIR/u.zone"
	assert_trouble zcanon "^zcanon: $BATS_TEST_TMPDIR/u.zone:$2\$"
	runs zcanon < "$BATS_TEST_TMPDIR/u.zone"
	assert_trouble zcanon "^zcanon: <stdin>:$2\$"
}

@test "reader: an unclosed parenthesis or quote is reported at the line where it opened" {
	unclosed 'x IN TXT ( "open\n' '5: unclosed quoted string'
	unclosed 'x IN TXT ( "open' '5: unclosed quoted string'
	unclosed 'x IN TXT ( "open\n\n\ny 60 A 192.0.2.1\n' '5: unclosed quoted string'
	unclosed 'x IN TXT ( open\n\n\n\n' '5: unclosed parenthesis'
	unclosed 'x IN TXT ( "a" ; ) in a comment\n"b"\n\n' '5: unclosed parenthesis'
	unclosed 'x IN TXT ( "a" "\\"(" \\( ")"\n\n' '5: unclosed parenthesis'
	unclosed 'x 60 A 192.0.2.1\nx IN TXT ( "a" )\n\ny IN TXT ( "a;)"\n\n' '8: unclosed parenthesis'
	unclosed 'x IN TXT "a\nb"\n' '5: invalid text character'
}

# A FIFO nobody writes to: a program that opened it to read would wait
# there until timeout(1) stops it, so status 2 in time proves that the
# file named by $INCLUDE was not opened.
@test "reader: \$INCLUDE is refused in every zone, fragment and key file, and the file not opened" {
	local t=$BATS_TEST_TMPDIR EX=$DATA/examples
	mkfifo "$t/secret"
	printf '%s\n' 'example. 3600 IN NS ns1.nic-b.example.' \
	    "\$INCLUDE $t/secret" > "$t/frag.ns"
	{ sed 2q "$EX/example.zone"; printf '$INCLUDE secret\n'; } > "$t/zone"
	{ grep -v '^;' "$EX/Kexample.+013+62651.key"; printf '$INCLUDE %s\n' "$t/secret"; } > "$t/Kx.key"
	local not="not allowed \\(see berokit\\(7\\)\\)\$"
	runs timeout 20 zcanon "$t/zone"
	assert_trouble zcanon "^zcanon: $t/zone:3: \\\$INCLUDE $t/secret: $not"
	runs timeout 20 zcanon -F "$t/frag.ns"
	assert_trouble zcanon "^zcanon: $t/frag.ns:2: \\\$INCLUDE $t/secret: $not"
	runs timeout 20 zcanon < "$t/zone"
	assert_trouble zcanon "^zcanon: <stdin>:3: \\\$INCLUDE ./secret: $not"
	runs timeout 20 zadd-bero-ns -n "$t/frag.ns" "$EX/example.zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: $t/frag.ns:2: \\\$INCLUDE $t/secret: $not"
	runs timeout 20 zadd-bero-ns -n - "$EX/example.zone" < "$t/frag.ns"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: <stdin>:2: \\\$INCLUDE $t/secret: $not"
	runs timeout 20 zadd-bero-ns -n "$EX/nic-b.ns" "$t/zone"
	assert_trouble zadd-bero-ns "^zadd-bero-ns: $t/zone:3: "
	runs timeout 20 zmerge-dnskey -k "$t/Kx.key" "$EX/example.zone"
	assert_trouble zmerge-dnskey "^zmerge-dnskey: $t/Kx.key:2: \\\$INCLUDE $t/secret: $not"
	runs timeout 20 zmerge-dnskey -f "$t/frag.ns" "$EX/example.zone"
	assert_trouble zmerge-dnskey "^zmerge-dnskey: $t/frag.ns:2: \\\$INCLUDE $t/secret: $not"
	runs timeout 20 ds-from-dnskey "$t/Kx.key"
	assert_trouble ds-from-dnskey "^ds-from-dnskey: $t/Kx.key:2: \\\$INCLUDE $t/secret: $not"
	runs timeout 20 zdiff-dnssec "$t/zone" "$EX/example.zone"
	assert_trouble zdiff-dnssec "^zdiff-dnssec: $t/zone:3: "
	runs timeout 20 zcheck-chain -D "$EX/ds-a.ds" "$t/zone"
	assert_trouble zcheck-chain "^zcheck-chain: $t/zone:3: "
}

@test "reader: zcanon -I honours \$INCLUDE in the file it is given, and in what that includes" {
	local t=$BATS_TEST_TMPDIR
	mkdir "$t/sub"
	printf '%s\n' '$ORIGIN example.' '@ 60 IN SOA ns. h. 1 2 3 4 5' \
	    '$INCLUDE sub/a.part a.example.' 'c 60 IN A 192.0.2.3' > "$t/top.zone"
	printf '%s\n' 'www 60 IN A 192.0.2.1' '$INCLUDE b.part' > "$t/sub/a.part"
	printf '%s\n' 'mail 60 IN A 192.0.2.2' > "$t/sub/b.part"
	runs zcanon -I "$t/top.zone"
	assert_success
	assert_line 'www.a.example.	60	IN	A	192.0.2.1'
	assert_line 'mail.a.example.	60	IN	A	192.0.2.2'
	assert_line 'c.example.	60	IN	A	192.0.2.3'
	runs zcanon "$t/top.zone"
	assert_trouble zcanon "top.zone:3: \\\$INCLUDE $t/sub/a.part: not allowed"
}

# AXFR transcripts of a signed zone, made here (nothing is queried) in
# the shape kdig and dig print them: comments around the records, the
# SOA first and last (RFC 5936 section 2.2); dig splits base64 in 56s.
axfr() {
	local t=$BATS_TEST_TMPDIR
	zcanon "$DATA/examples/example.signed" > "$t/ref.out"
	head -1 "$t/ref.out" > "$t/soa"
	{
		printf ';; AXFR for example.\n'
		awk -F '\t' '{ printf "%-20s\t%s\t%s\t%s\t%s\n", $1, $2, $3, $4, $5 }' "$t/ref.out"
		awk -F '\t' '{ printf "%-20s\t%s\t%s\t%s\t%s\n", $1, $2, $3, $4, $5 }' "$t/soa"
		printf ';; Received 1496 B (1 messages, 28 records)\n'
		printf ';; Time 2026-12-06 16:07:48 UTC\n'
		printf ';; From 127.0.0.1@53(TCP) in 0.4 ms\n'
	} > "$t/kdig.txt"
	{
		printf '\n; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @127.0.0.1 example. AXFR\n'
		printf '; (1 server found)\n;; global options: +cmd\n'
		cat "$t/ref.out" "$t/soa" | awk -F '\t' 'BEGIN { OFS = "\t" }
		$4 == "RRSIG" || $4 == "DNSKEY" {
			n = split($5, f, " "); b = f[n]; s = ""
			while (length(b) > 56) { s = s substr(b, 1, 56) " "; b = substr(b, 57) }
			f[n] = s b; $5 = f[1]
			for (i = 2; i <= n; i++) $5 = $5 " " f[i]
		}
		{ print }'
		printf ';; Query time: 0 msec\n;; SERVER: 127.0.0.1#53(127.0.0.1) (TCP)\n'
		printf ';; WHEN: Sun Dec 06 16:07:47 UTC 2026\n'
		printf ';; XFR size: 28 records (messages 1, bytes 1507)\n\n'
	} > "$t/dig.txt"
}

@test "reader: an AXFR transcript, as kdig and dig print it, reads as the zone it carries" {
	local t=$BATS_TEST_TMPDIR
	axfr
	grep -q ' [A-Za-z0-9+/]\{56\} [A-Za-z0-9+/=]' "$t/dig.txt"
	[ "$(grep -c '	SOA	' "$t/kdig.txt")" = 2 ]
	[ "$(grep -c '	SOA	' "$t/dig.txt")" = 2 ]
	for f in kdig dig; do
		runs zcanon "$t/$f.txt"
		assert_success
		assert_equal "$stderr" ""
		assert_equal "$output" "$(cat "$t/ref.out")"
		runs zcanon < "$t/$f.txt"
		assert_success
		assert_equal "$output" "$(cat "$t/ref.out")"
	done
	# Another program reads it too.
	runs zdiff-dnssec "$t/dig.txt" "$DATA/examples/example.signed"
	assert_success
}

@test "reader: a second SOA that does not close an AXFR transcript is still an error" {
	local t=$BATS_TEST_TMPDIR n
	axfr
	n=$(wc -l < "$t/kdig.txt")
	# The closing SOA, then one more record.
	{ head -n $((n - 3)) "$t/kdig.txt"; printf 'x.example. 60 IN A 192.0.2.9\n'; } > "$t/more.txt"
	runs zcanon "$t/more.txt"
	assert_trouble zcanon "more.txt:$((n - 3)): second SOA record in the zone"
	# A closing SOA that differs from the first (serial, TTL).
	awk -v n="$n" 'NR == n - 3 { sub(/2026112801/, "2026112802") } { print }' "$t/kdig.txt" > "$t/serial.txt"
	runs zcanon "$t/serial.txt"
	assert_trouble zcanon "serial.txt:$((n - 3)): second SOA record in the zone"
	awk -v n="$n" 'NR == n - 3 { sub(/\t3600\t/, "\t3601\t") } { print }' "$t/kdig.txt" > "$t/ttl.txt"
	runs zcanon "$t/ttl.txt"
	assert_trouble zcanon "ttl.txt:$((n - 3)): second SOA record in the zone"
	# The same SOA twice, not at the end.
	{ sed -n 2p "$t/kdig.txt"; cat "$t/kdig.txt"; } | head -n $((n - 3)) > "$t/twice.txt"
	runs zcanon "$t/twice.txt"
	assert_trouble zcanon "twice.txt:3: second SOA record in the zone"
}

# A zone of over 8 MiB, read in pieces from a file on two cores or more
# (lib/zread.c, pieces_start()), whose lines past the first quarter
# (where the first cut falls) end in a backslash: "\" and the newline
# are a character of the name, so "t NSEC x\" and the next line,
# "b NS NS", are one NSEC record whose next owner is x\010b.example.
# and whose types are NS NS.
@test "reader: a backslash before a newline joins the lines, also where a large file is cut into pieces" {
	local t=$BATS_TEST_TMPDIR
	[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ] ||
		skip "one core: a large file is read whole, not in pieces"
	awk 'BEGIN {
		print "example. 3600 IN SOA ns1.example. h.example. 1 2 3 4 5"
		print "example. 3600 IN NS ns1.example."
		print "ns1.example. 3600 IN A 192.0.2.1"
		for (i = 0; i < 70000; i++)
			printf "a%d.example. 60 IN A 192.0.2.1\n", i
		for (i = 0; i < 150000; i++)
			printf "t%d.example. 60 IN NSEC x\\\nb%d.example. NS NS\n", i, i
	}' > "$t/esc.zone"
	[ "$(stat -c %s "$t/esc.zone")" -gt $((8 << 20)) ]
	zcanon "$t/esc.zone" > "$t/file.out"
	# Reading in pieces made five b<n>.example. NS records of the lines
	# after its cuts, and cut the NSEC before them to x\010.
	run grep -c '^b[0-9]*\.example\.	' "$t/file.out"
	assert_output 0
	run grep -c '	NSEC	x\\010b[0-9]*\.example\. NS$' "$t/file.out"
	assert_output 150000
	zcanon < "$t/esc.zone" > "$t/stdin.out"
	cmp "$t/file.out" "$t/stdin.out"
}

# The rewrite that rejoins base64 split where libzscanner does not take
# it (lib/b64join.c) left RDATA in generic form (RFC 3597 section 5) to
# be joined or padded as the type's fields: a DHCID's length was glued
# to its hex, and an NSEC3's fifth hex word padded with "=" as if it were
# the next hashed owner.  One split DNSKEY sends the whole text there.
@test "reader: RDATA in generic form is kept as it is where base64 is rejoined" {
	local t=$BATS_TEST_TMPDIR
	printf '%s\n' 'example. 60 IN SOA a. b. 1 2 3 4 5' 'example. 60 IN NS a.' \
	    'example. 60 IN DNSKEY 256 3 13 GU6Hn6x1DCXOsAUDBUtsNKF8oAW62MARrJF3uvWK5Lj1jl8qQHHV2tsOk8f3UG ppHcjjJrVMTCQUVmIYMQlaAQ==' \
	    'd.example. 60 IN DHCID \# 3 0a 0b 0c' \
	    'o.example. 60 IN OPENPGPKEY \# 4 0a0b 0c0d' \
	    's.example. 60 IN SSHFP \# 4 01 01 ab cd' \
	    'ds.example. 60 IN DS \# 6 0001 0d 02 ab cd' \
	    'h.example. 60 IN NSEC3 \# 26 01 00 00 00 00 14 0123456789abcdef0123456789abcdef01234567' \
	    > "$t/g.zone"
	runs zcanon "$t/g.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_line 'd.example.	60	IN	DHCID	CgsM'
	assert_line 'o.example.	60	IN	OPENPGPKEY	CgsMDQ=='
	assert_line 's.example.	60	IN	SSHFP	1 1 abcd'
	assert_line 'ds.example.	60	IN	DS	1 13 2 abcd'
	assert_line 'h.example.	60	IN	NSEC3	1 0 0 - 04hkaps9lf6uu0938ljojaudts0i6hb7'
	printf '%s\n' "$output" > "$t/once"
	runs zcanon < "$t/g.zone"
	assert_success
	assert_equal "$output" "$(cat "$t/once")"
}

# Types that are no data, which libzscanner takes as TYPEn though it
# refuses their names (OPT, TSIG, AXFR, ANY...), and which nothing reads
# back once written: refused at their line in a zone, a fragment and a
# key file.
@test "reader: TYPE0, OPT (41) and the query and meta-types 128 to 255 are refused (RFC 6895 section 3.1)" {
	local t=$BATS_TEST_TMPDIR n
	for n in 0 41 128 249 250 251 252 255; do
		printf '%s\n' 'example. 60 IN SOA a. b. 1 2 3 4 5' 'example. 60 IN NS a.' \
		    "r.example. 60 IN TYPE$n \\# 1 00" > "$t/m.zone"
		runs zcanon "$t/m.zone"
		case $n in
		0) assert_trouble zcanon 'm.zone:3: TYPE0 is reserved, not a type of data \(RFC 6895 section 3.1\)$' ;;
		41) assert_trouble zcanon 'm.zone:3: TYPE41 \(OPT\) is not data: not allowed in a zone \(RFC 6891 section 6.1.1\)$' ;;
		*) assert_trouble zcanon "m.zone:3: TYPE$n is a query or meta-type, not a type of data: not allowed in a zone \\(RFC 6895 section 3.1\\)\$" ;;
		esac
		runs zcanon < "$t/m.zone"
		assert_trouble zcanon "<stdin>:3: TYPE$n "
	done
	printf 'example. 60 IN TYPE250 \\# 1 00\n' > "$t/Kexample.+013+00001.key"
	runs zmerge-dnskey -k "$t/Kexample.+013+00001.key" "$DATA/examples/example.zone"
	assert_trouble zmerge-dnskey 'Kexample.\+013\+00001.key:1: TYPE250 is a query'
	printf 'example. 60 IN NS a.\nexample. 60 IN TYPE41 \\# 0\n' > "$t/frag.ns"
	runs zadd-bero-ns -n "$t/frag.ns" "$DATA/examples/example.zone"
	assert_trouble zadd-bero-ns 'frag.ns:2: TYPE41 \(OPT\) is not data'
	# Their neighbours are data, and read.
	for n in 1 40 42 127 256; do
		printf '%s\n' 'example. 60 IN SOA a. b. 1 2 3 4 5' 'example. 60 IN NS a.' \
		    "r.example. 60 IN TYPE$n \\# 4 c0000201" > "$t/d.zone"
		runs zcanon "$t/d.zone"
		assert_success
	done
}

# libzscanner takes a \DDD over 255 in a name modulo 256: a\300 read as
# "a,", x\301y as "x-y", \999 as \231, names the text does not hold and
# which BIND refuses ('bad escape').
@test "reader: a \\DDD escape over 255 is refused at its line (RFC 1035 section 5.1)" {
	local t=$BATS_TEST_TMPDIR
	printf '%s\n' 'example. 60 IN SOA a. b. 1 2 3 4 5' 'example. 60 IN NS a.' \
	    '; \300 in a comment is no escape' \
	    'b.example. 60 IN TXT "q;\255" ; \999' \
	    'x\\300.example. 60 IN A 192.0.2.1' \
	    'd.example. 60 IN NS (' '	x\301y.example. )' \
	    'e.example. 60 IN A 192.0.2.1' > "$t/e.zone"
	runs zcanon "$t/e.zone"
	assert_trouble zcanon "^zcanon: $t/e.zone:7: \\\\DDD escape over 255: not an octet \\(RFC 1035 section 5.1\\)\$"
	runs zcanon < "$t/e.zone"
	assert_trouble zcanon '^zcanon: <stdin>:7: \\DDD escape over 255'
	# In an owner; at the end of a file without a last newline (read by
	# libzscanner from a block of its own); in $ORIGIN.
	printf 'example. 60 IN SOA a. b. 1 2 3 4 5\nexample. 60 IN NS a.\na\\300.example. 60 IN A 192.0.2.1\n' > "$t/o.zone"
	runs zcanon "$t/o.zone"
	assert_trouble zcanon 'o.zone:3: \\DDD escape over 255'
	printf 'example. 60 IN SOA a. b. 1 2 3 4 5\nexample. 60 IN NS a.\nx.example. 60 IN NS a\\999' > "$t/l.zone"
	runs zcanon "$t/l.zone"
	assert_trouble zcanon 'l.zone:3: \\DDD escape over 255'
	runs zcanon < "$t/l.zone"
	assert_trouble zcanon '<stdin>:3: \\DDD escape over 255'
	printf 'example. 60 IN SOA a. b. 1 2 3 4 5\n$ORIGIN a\\256b.\nx 60 IN A 192.0.2.1\n' > "$t/r.zone"
	runs zcanon "$t/r.zone"
	assert_trouble zcanon 'r.zone:2: \\DDD escape over 255'
	# An error before it comes first; 255 and an escaped backslash read.
	printf 'example. 60 IN SOA a. b. 1 2 3 4 5\nbad 60 IN A 192.0.2\na\\300.example. 60 IN A 192.0.2.1\n' > "$t/f.zone"
	runs zcanon "$t/f.zone"
	assert_trouble zcanon 'f.zone:2: invalid IPv4 address$'
	printf 'example. 60 IN SOA a. b. 1 2 3 4 5\nexample. 60 IN NS a.\na\\255.example. 60 IN A 192.0.2.1\nb\\\\300.example. 60 IN A 192.0.2.1\n' > "$t/g.zone"
	runs zcanon "$t/g.zone"
	assert_success
	assert_line 'a\255.example.	60	IN	A	192.0.2.1'
	assert_line 'b\\300.example.	60	IN	A	192.0.2.1'
}

# A known type in generic form (RFC 3597 section 5) reached the tools as
# it came: zresign signed, and zcheck-chain passed, a 3-octet SOA, an NS
# of "\# 3 ffffff", a CNAME that is a compression pointer, a 2-octet DS,
# an NSEC3PARAM whose salt runs past its RDATA.
@test "reader: generic RDATA without its type's shape is refused (SOA, NS, CNAME, MX, DS, DNSKEY, NSEC3PARAM)" {
	local t=$BATS_TEST_TMPDIR rr
	while IFS='|' read -r rr msg; do
		printf '%s\n' 'example. 60 IN SOA a. b. 1 2 3 4 5' 'example. 60 IN NS a.' \
		    "$rr" > "$t/s.zone"
		runs zcanon "$t/s.zone"
		assert_trouble zcanon "s.zone:3: $msg"
	done <<'CASES'
example. 60 IN SOA \# 3 000000|SOA RDATA of 3 octets is not two names and five 32-bit numbers \(RFC 1035 section 3.3.13\)$
example. 60 IN SOA \# 21 00 00 00000001000000020000000300000004000000|SOA RDATA of 21 octets is not two names
r.example. 60 IN NS \# 3 ffffff|NS RDATA of 3 octets is not one name \(RFC 1035 section 3.3\)$
r.example. 60 IN NS \# 4 01610000|NS RDATA of 4 octets is not one name
r.example. 60 IN CNAME \# 2 c000|CNAME RDATA of 2 octets is not one name
r.example. 60 IN DNAME \# 1 40|DNAME RDATA of 1 octet is not one name \(RFC 6672 section 2.1\)$
r.example. 60 IN MX \# 1 00|MX RDATA of 1 octet is not a 16-bit number and a name
r.example. 60 IN SRV \# 6 000000000035|SRV RDATA of 6 octets is not three 16-bit numbers and a name
r.example. 60 IN DS \# 2 0001|DS RDATA of 2 octets is not a key tag
example. 60 IN DNSKEY \# 3 010103|DNSKEY RDATA of 3 octets is not flags
example. 60 IN NSEC3PARAM \# 5 0100000005|NSEC3PARAM RDATA of 5 octets is not a hash algorithm, flags, iterations and a salt of the length it gives \(RFC 5155 section 4.2\)$
CASES
	# Their own shapes read, from generic form as from text.
	printf '%s\n' 'example. 60 IN SOA \# 22 00 00 0000000100000002000000030000000400000005' \
	    'example. 60 IN NS \# 3 016100' 'r.example. 60 IN NS \# 1 00' \
	    'c.example. 60 IN CNAME \# 3 016200' 'm.example. 60 IN MX \# 3 000a00' \
	    's.example. 60 IN SRV \# 7 00000000003500' \
	    'example. 60 IN DNSKEY \# 5 0101030d00' 'r.example. 60 IN DS \# 5 0001030d00' \
	    'example. 0 IN NSEC3PARAM \# 7 01000000 02abcd' > "$t/ok.zone"
	runs zcanon "$t/ok.zone"
	assert_success
	assert_line 'example.	60	IN	SOA	. . 1 2 3 4 5'
	assert_line 'example.	0	IN	NSEC3PARAM	1 0 0 abcd'
	# A fragment and a key file are read the same way.
	printf 'example. 60 IN NS \\# 2 c000\n' > "$t/frag.ns"
	runs zadd-bero-ns -n "$t/frag.ns" "$DATA/examples/example.zone"
	assert_trouble zadd-bero-ns 'frag.ns:1: NS RDATA of 2 octets is not one name'
	printf 'example. 60 IN DNSKEY \\# 2 0101\n' > "$t/Kexample.+013+00001.key"
	runs zmerge-dnskey -k "$t/Kexample.+013+00001.key" "$DATA/examples/example.zone"
	assert_trouble zmerge-dnskey 'Kexample.\+013\+00001.key:1: DNSKEY RDATA of 2 octets'
}
