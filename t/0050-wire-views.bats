#!/usr/bin/env bats
# lib/wire.c, the one wire decoder (issue 15, item 1): the big-endian
# accessors with their bounds, and each RDATA view made from RDATA of
# exactly its shape, one octet short of it and one octet past it, and
# from every prefix.  The driver gives each RDATA a buffer of its exact
# length, so that in the sanitizer build a read past it fails the test.
load helper

setup_file() {
	build_driver "$TOP/t/tools/wiretest.c" "$BATS_FILE_TMPDIR/wiretest"
}

wiretest() {
	"$BATS_FILE_TMPDIR/wiretest" "$@"
}

# RRSIG over DNSKEY, algorithm 13, 1 label, TTL 3600, key tag 12345,
# signer "tld.", no signature octet: the shortest RRSIG RDATA.
RRSIG=00300d0100000e1069e3a38069bc1680303903746c6400
DNSKEY=0101030d
DS=30390d02
# ns.tld. hostmaster.tld., serial 2026095513, 7200 3600 604800 3600.
SOA=026e7303746c64000a686f73746d617374657203746c640078c3c39900001c2000000e1000093a8000000e10
NSEC=03746c6400
# SHA-1, opt-out, 10 iterations, salt abcd, a 20-octet hash, no bit map.
NSEC3=0101000a02abcd140102030405060708090a0b0c0d0e0f1011121314
NSEC3PARAM=0100000a02abcd
ZONEMD=78c3c3990101

@test "wire: the 16-, 32- and 48-bit accessors, big-endian, with their bounds" {
	runs wiretest read16 0102 0
	assert_success
	assert_output 258
	runs wiretest read48 010203040506 0
	assert_output 1108152157446
	runs wiretest read32 010203040506 2
	assert_output 50595078
	runs wiretest read8 010203040506 5
	assert_output 6
	for c in "read8 0102 2" "read16 0102 1" "read16 0102 3" \
	    "read32 010203 0" "read48 0102030405 0" "read48 010203040506 1" \
	    "read16 0102 18446744073709551615" "read16 '' 0"; do
		eval "runs wiretest $c"
		assert_failure 1
		assert_output refused
	done
	runs wiretest put 0123456789abcdef
	assert_success
	assert_output "16 2 cdef
32 4 89abcdef
48 6 456789abcdef
octets 456789abcdef"
}

@test "wire: one bounded reader, wire_read; the named ones are its widths" {
	local h off w n
	for h in "" 01 0102 010203 0102030405 010203040506 ff00ff00ff00ff00; do
		for off in 0 1 2 3 5 6 7 8 18446744073709551615; do
			for w in 1 2 4 6; do
				n=$((w * 8))
				runs wiretest read "$h" $off $w
				by_width=$output
				runs wiretest read$n "$h" $off
				assert_equal "$by_width" "$output"
			done
		done
	done
	runs wiretest read ff00ff00ff00ff00 0 8
	assert_success
	assert_output 18374966859414961920
	runs wiretest read 0102 0 3
	assert_failure 1
	for w in 0 9; do
		runs wiretest read 010203040506070809 0 $w
		assert_failure 1
		assert_output refused
	done
}

@test "wire: RRSIG view, exact, short and long" {
	runs wiretest rrsig $RRSIG
	assert_success
	assert_output "covered 48
algorithm 13
labels 1
original_ttl 3600
expiration 1776526208
inception 1773934208
key_tag 12345
signer 03746c6400
sig -
covered_only 48"
	runs wiretest rrsig ${RRSIG%??}
	assert_failure 1
	runs wiretest rrsig ${RRSIG}ab
	assert_success
	assert_line "sig ab"
	assert_line "signer 03746c6400"
	runs wiretest -s rrsig ${RRSIG}abcd
	assert_output "23 24 25"
	# A signer's label running past the RDATA, a label over 63 octets.
	runs wiretest rrsig ${RRSIG%??????????}05746c6400
	assert_failure 1
	runs wiretest rrsig ${RRSIG%??????????}40746c6400
	assert_failure 1
}

@test "wire: DNSKEY and DS views, exact, short and long" {
	runs wiretest dnskey $DNSKEY
	assert_success
	assert_output "flags 257
protocol 3
algorithm 13
key -"
	runs wiretest dnskey ${DNSKEY%??}
	assert_failure 1
	runs wiretest dnskey ${DNSKEY}aabb
	assert_line "key aabb"
	runs wiretest -s dnskey ${DNSKEY}aabb
	assert_output "4 5 6"
	runs wiretest ds $DS
	assert_success
	assert_output "key_tag 12345
algorithm 13
digest_type 2
digest -"
	runs wiretest ds ${DS%??}
	assert_failure 1
	runs wiretest ds ${DS}0102
	assert_line "digest 0102"
	runs wiretest -s ds ${DS}0102
	assert_output "4 5 6"
}

@test "wire: SOA view, exact only" {
	runs wiretest soa $SOA
	assert_success
	assert_output "mname 026e7303746c6400
rname 0a686f73746d617374657203746c6400
serial 2026095513
refresh 7200
retry 3600
expire 604800
minimum 3600"
	runs wiretest soa ${SOA%??}
	assert_failure 1
	runs wiretest soa ${SOA}00
	assert_failure 1
	runs wiretest -s soa $SOA
	assert_output 44
	# RNAME cut short: its label runs into the numbers, which then
	# do not fill 20 octets.
	runs wiretest soa 026e7303746c640000
	assert_failure 1
}

@test "wire: NSEC view, exact, short and long" {
	runs wiretest nsec $NSEC
	assert_success
	assert_output "next 03746c6400
bitmap -"
	runs wiretest nsec ${NSEC%??}
	assert_failure 1
	runs wiretest nsec ${NSEC}000640
	assert_line "bitmap 000640"
	runs wiretest -s nsec ${NSEC}000640
	assert_output "5 6 7 8"
	runs wiretest nsec ""
	assert_failure 1
}

@test "wire: NSEC3 view, exact, short and long" {
	runs wiretest nsec3 $NSEC3
	assert_success
	assert_output "hash_alg 1
flags 1
iterations 10
salt abcd
next 0102030405060708090a0b0c0d0e0f1011121314
bitmap -"
	runs wiretest nsec3 ${NSEC3%??}
	assert_failure 1
	runs wiretest nsec3 ${NSEC3}000162
	assert_line "bitmap 000162"
	runs wiretest -s nsec3 ${NSEC3}0001
	assert_output "28 29 30"
	# A salt longer than the RDATA; no hash length octet.
	runs wiretest nsec3 0101000aff
	assert_failure 1
	runs wiretest nsec3 0101000a02abcd
	assert_failure 1
	# The empty salt and an empty hash are shapes the view takes (the
	# hash length is the checker's to judge, RFC 5155 section 3.1.5).
	runs wiretest nsec3 0100000a0000
	assert_success
	assert_line "salt -"
	assert_line "next -"
}

@test "wire: NSEC3PARAM view, exact only" {
	runs wiretest nsec3param $NSEC3PARAM
	assert_success
	assert_output "hash_alg 1
flags 0
iterations 10
salt abcd"
	runs wiretest nsec3param ${NSEC3PARAM%??}
	assert_failure 1
	runs wiretest nsec3param ${NSEC3PARAM}00
	assert_failure 1
	runs wiretest -s nsec3param $NSEC3PARAM
	assert_output 7
	runs wiretest nsec3param 0100000a00
	assert_success
	assert_line "salt -"
	runs wiretest -s nsec3param ""
	assert_output none
}

@test "wire: ZONEMD view, exact, short and long" {
	runs wiretest zonemd $ZONEMD
	assert_success
	assert_output "serial 2026095513
scheme 1
hash_alg 1
digest -"
	runs wiretest zonemd ${ZONEMD%??}
	assert_failure 1
	runs wiretest zonemd ${ZONEMD}ff
	assert_line "digest ff"
	runs wiretest -s zonemd ${ZONEMD}ffee
	assert_output "6 7 8"
}

@test "wire: no view reads past its RDATA, whatever the octets" {
	local t h i
	# Every prefix of RDATA made of 0x3f octets (labels of 63 octets
	# and lengths that run past the end) and of 0xff (salt and hash
	# lengths of 255), each in a buffer of its exact length.
	for h in "$(printf '3f%.0s' {1..300})" "$(printf 'ff%.0s' {1..300})"; do
		for t in rrsig dnskey ds soa nsec nsec3 nsec3param zonemd; do
			runs wiretest -s $t "$h"
			assert_success
		done
	done
}

@test "wire: the field reader, bounded, where it stays on a refusal" {
	# 8, 16 and 32 bits, the name "tld.", the string "hi", the rest.
	runs wiretest cur=bslncr 01020304050607${NSEC}026869ff
	assert_success
	assert_output "b 1
s 515
l 67438087
n 03746c6400
c 6869
r ff
left 0"
	runs wiretest cur=s4r 0102aabbccdd
	assert_output "s 258
4 aabbccdd
r -
left 0"
	runs wiretest cur=bb 010203
	assert_output "b 1
b 2
left 1"
	# Each field one octet short: refused, the cursor where it was.
	for c in "cur=b ''" "cur=bs 0102" "cur=sl 0102030405" \
	    "cur=4 010203" "cur=bc 010368" "cur=c ''" "cur=n ''" \
	    "cur=n 03746c64" "cur=n 05746c6400" "cur=n 40746c6400"; do
		eval "runs wiretest $c"
		assert_failure 1
		assert_line refused
	done
	runs wiretest cur=sl 0102030405
	assert_line "at 2"
	runs wiretest cur=bc 010368
	assert_line "at 1"
	# Every prefix, each in a buffer of its exact length.
	runs wiretest -s cur=bslncr 01020304050607${NSEC}026869ff
	assert_output "15 16"
	for h in "$(printf '3f%.0s' {1..300})" "$(printf 'ff%.0s' {1..300})"; do
		runs wiretest -s cur=ncncr "$h"
		assert_success
	done
}
