#!/usr/bin/env bats
# zresign's refusals: every one exits 2 with a message in the house
# shape and nothing on standard output, and leaves the file of -o as it
# was.  Bad options and operands, key pairs that cannot sign this zone
# (private half missing or not matching, not the apex's, not a zone key,
# revoked, an algorithm RFC 8624 forbids, given twice), a DNSKEY RRset
# with an algorithm no key given has (RFC 4035 section 2.2), zones that
# do not parse, RRsets with two TTLs, a previous zone of another apex, a
# write error, and the check before output failing.

load helper

# The check before output is seen failing with a test build of zresign
# (and of lib/zsign.c) with fault injection compiled in (-DBK_FAULT): it
# damages what it signed as ZRESIGN_FAULT says.  The zresign under test
# has none of it.
setup_file() {
	mkdir -p "$BATS_FILE_TMPDIR/fault"
	build_driver "$TOP/bin/zresign.c" "$BATS_FILE_TMPDIR/fault/zresign" \
	    "$TOP"/bin/parts/zresign/*.c \
	    -DBK_FAULT "$TOP/lib/zsign.c"
}

# faulty FAULT ARG...: the test build, with ZRESIGN_FAULT=FAULT.
faulty() {
	ZRESIGN_FAULT=$1 "$BATS_FILE_TMPDIR/fault/zresign" "${@:2}"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
	A="-k Kexample.+013+05021 -k Kexample.+013+40244"
	K=$DATA/zresign/keys
}

@test "errors: usage is the SYNOPSIS of the man page; unknown options, two operands" {
	usage_is_synopsis zresign -y example.zone
	usage_is_synopsis zresign $A example.zone example.zone
}

@test "errors: no key; a key without its private half; a private half of another key" {
	runs zresign example.zone
	assert_trouble zresign '^zresign: no key: give the key pairs to sign with \(-k\)$'
	cp Kexample.+013+05021.key Konly.key
	runs zresign -k Konly example.zone
	assert_trouble zresign '^zresign: Konly.private: No such file or directory$'
	cp Kexample.+013+05021.key Kmixed.key
	cp Kexample.+013+40244.private Kmixed.private
	runs zresign -k Kmixed.key example.zone
	assert_trouble zresign 'Kmixed.private: private key does not match public key'
}

@test "errors: a key not owned by the apex; not a zone key; revoked; given twice" {
	runs zresign -k "$DATA/zresign/vectors/Kexample.net.+013+54068" example.zone
	assert_trouble zresign 'Kexample.net.\+013\+54068.key: key 54068/13: owner example.net. is not the zone.s apex example.$'
	sed 's/ 257 3 13 / 1 3 13 /' Kexample.+013+05021.key > Knz.key
	cp Kexample.+013+05021.private Knz.private
	runs zresign -k Knz example.zone
	assert_trouble zresign 'Knz.key: key 4765/13 is not a zone key \(RFC 4034 section 2.1.1\)$'
	sed 's/ 257 3 13 / 385 3 13 /' Kexample.+013+05021.key > Krev.key
	cp Kexample.+013+05021.private Krev.private
	runs zresign -k Krev example.zone
	assert_trouble zresign 'Krev.key: key 5149/13 is revoked \(RFC 5011 section 2.1\)'
	runs zresign $A -k Kexample.+013+05021.private example.zone
	assert_trouble zresign 'key 5021/13 given twice$'
}

@test "errors: an algorithm that is not to sign (RFC 8624); one of the DNSKEY RRset without a key (RFC 4035 section 2.2)" {
	runs zresign -k "$K/Kexample.+005+33201" "$DATA/zresign/full.zone"
	assert_trouble zresign 'key 33201/5: algorithm 5 \(RSASHA1\) is not to be used for signing \(RFC 8624 section 3.1\)$'
	{ cat "$DATA/zresign/full.zone"; cat "$K/Kexample.+008+48945.key"; } > two.zone
	runs zresign -k "$K/Kexample.+013+01539" -k "$K/Kexample.+013+40339" two.zone
	assert_trouble zresign '^zresign: example. DNSKEY 48945/8: algorithm 8 \(RSASHA256\) has no key given: every RRset must be signed with each algorithm of the DNSKEY RRset \(RFC 4035 section 2.2\)$'
	# With that algorithm's key it signs.
	# (-W: 48945 is a 1024-bit key.)
	runs zresign -q -W -k "$K/Kexample.+013+01539" -k "$K/Kexample.+013+40339" \
		-k "$K/Kexample.+008+48945" two.zone
	assert_success
}

@test "errors: zones that do not parse or are not zones; an origin that is not the SOA's" {
	runs zresign $A /nonexistent.zone
	assert_trouble zresign '^zresign: /nonexistent.zone: No such file or directory$'
	printf 'example. 3600 IN SOA a b 1 2 3 4 5\nwww 3600 IN A 192.0.2.300\n' > bad.zone
	runs zresign $A bad.zone
	assert_trouble zresign '^zresign: bad.zone:2: '
	printf 'www.example. 3600 IN A 192.0.2.1\n' > nosoa.zone
	runs zresign $A nosoa.zone
	assert_trouble zresign 'no SOA record'
	runs zresign $A -z example.net. example.zone
	assert_trouble zresign 'SOA owner example. is not the origin example.net.'
	runs zresign $A - < bad.zone
	assert_trouble zresign '^zresign: <stdin>:2: '
}

@test "errors: a signed RRset with two TTLs (RFC 2181 section 5.2)" {
	{ cat example.zone; echo 'www 300 IN A 192.0.2.80'; echo 'www 3600 IN A 192.0.2.81'; } > ttl.zone
	runs zresign $A ttl.zone
	assert_trouble zresign '^zresign: ttl.zone:[0-9]+: www.example. A: TTL 3600 differs from the RRset.s 300 \(RFC 2181 section 5.2\)$'
}

@test "errors: the previous zone: missing, not parsing, another apex" {
	runs zresign $A -P /nonexistent.zone example.zone
	assert_trouble zresign '/nonexistent.zone: No such file or directory'
	runs zresign $A -P "$DATA/zresign/vectors/rfc5702.zone" example.zone
	assert_trouble zresign 'rfc5702.zone: zone example.net., not example.$'
	runs zresign $A -P - < example.zone
	assert_trouble zresign '^zresign: -P -: the zone is read from standard input already$'
	# The previous zone may come from standard input when the zone does not.
	zresign -t 20261201000000 $A -o a.signed example.zone
	runs zresign -v -t 20261202000000 $A -P - example.zone < a.signed
	assert_success
	assert_equal "$output" "$(cat a.signed)"
}

@test "errors: bad option values" {
	runs zresign $A -t 2026-12-01 example.zone
	assert_trouble zresign '^zresign: -t 2026-12-01: not a time'
	runs zresign $A -t 20261201000000 -i +1h example.zone
	assert_trouble zresign 'inception after now'
	runs zresign $A -t 20261201000000 -e 20261130000000 example.zone
	assert_trouble zresign '^zresign: -e: expiration not after now$'
	runs zresign $A -t 20261201000000 -E -1d example.zone
	assert_trouble zresign '^zresign: -E: expiration not after now$'
	runs zresign $A -t 20261201000000 -e +1d -J 2d example.zone
	assert_trouble zresign '^zresign: -J 2d: jitter reaches back to now$'
	runs zresign $A -e +1y example.zone
	assert_trouble zresign '^zresign: -e \+1y: not a duration$'
	runs zresign $A -w soon example.zone
	assert_trouble zresign '^zresign: -w soon: not a duration$'
	runs zresign $A -S 0g example.zone
	assert_trouble zresign 'not a salt'
	runs zresign $A -H 70000 example.zone
	assert_trouble zresign '^zresign: -H 70000: not a number from 0 to 65535$'
	runs zresign $A -O keep example.zone
	assert_trouble zresign '^zresign: -O keep: not exchange, strip or verified$'
	runs zresign $A -s next example.zone
	assert_trouble zresign '^zresign: -s next: not keep, increment, unixtime, date or a serial from 0 to 4294967295$'
	runs zresign $A -T 0 example.zone
	assert_trouble zresign '^zresign: -T 0: at least one thread$'
	runs zresign $A -T 65 example.zone
	assert_trouble zresign '^zresign: -T 65: not a number from 0 to 64$'
	runs zresign $A -e +100w -t 20261201000000 -e 21000101000000 example.zone
	assert_trouble zresign 'more than 68 years from now'
}

@test "errors: -o is all or nothing, and may name the input" {
	echo old > out.zone
	runs zresign -k Konly -o out.zone example.zone
	assert_equal "$status" 2
	assert_equal "$(cat out.zone)" old
	runs faulty signature $A -o out.zone example.zone
	assert_equal "$status" 2
	assert_equal "$(cat out.zone)" old
	assert_equal "$(ls | grep -c tmp)" 0
	cp example.zone in.zone
	runs zresign -t 20261201000000 $A -o in.zone in.zone
	assert_success
	assert_output ""
	assert_equal "$(zresign -t 20261201000000 $A -A in.zone | awk -F'\t' '$4 == "SOA"')" \
		"$(awk -F'\t' '$4 == "SOA"' in.zone)"
	grep -q '	RRSIG	' in.zone
}

@test "errors: a write error" {
	[ -c /dev/full ] || skip "no /dev/full"
	runs bash -c "zresign -t 20261201000000 $A example.zone > /dev/full"
	assert_equal "$status" 2
	[[ "$stderr" == "zresign: <stdout>: write"* ]] || fail "$stderr"
}

@test "errors: the installed zresign has no fault injection" {
	ZRESIGN_FAULT=signature runs zresign -t 20261201000000 $A example.zone
	assert_success
	assert_equal "$stderr" ""
	grep -q '	RRSIG	' <<<"$output"
	assert_equal "$(grep -c ZRESIGN_FAULT "$BK_BIN/zresign")" 0
}

@test "errors: the check before output fails: nothing written, exit 2" {
	local f m
	for m in "" -A; do
		for f in signature unsigned chain; do
			runs faulty $f $m $A example.zone
			assert_trouble zresign '^zresign: self-check failed, nothing written: '
		done
	done
	runs faulty signature $A example.zone
	assert_trouble zresign 'RRSIG [A-Z0-9]+ by key [0-9]+/13: a signature made now does not verify$'
	runs faulty unsigned $A example.zone
	assert_trouble zresign 'no valid signature of algorithm 13 \(RFC 4035 section 2.2\)$'
	runs faulty chain -A $A example.zone
	assert_trouble zresign 'NSEC3: next hashed owner'
	runs faulty chain $A example.zone
	assert_trouble zresign 'no NSEC record \(RFC 4035 section 2.3\)'
	# One new signature in 64 is verified with the DNSKEY too; with
	# another key's there, that verification fails while the key
	# pair's check passes.
	for m in "" -A; do
		runs faulty pubkey $m $A example.zone
		assert_trouble zresign 'RRSIG [A-Z0-9]+ by key [0-9]+/13: a signature made now does not verify with the DNSKEY( \(and more\))?$'
	done
}
