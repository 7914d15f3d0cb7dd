#!/usr/bin/env bats
# zcheck-chain when it cannot check: usage, bad options, unreadable or
# malformed zones and DS sets, zones and DS sets for different names.
# Each is status 2, one message in the house shape, nothing on standard
# output.

load helper
load zcheck-chain

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	zc_keys
	zc_sign a.zone "$ZC/base.zone" "$KA $ZA" "$KA $ZA" -3 - -A
	zc_ds "$KA" > ds-a.ds
}

setup() {
	cd "$BATS_FILE_TMPDIR" || return 1
}

@test "zcheck-chain: usage: an unknown option, a missing argument, -j with -G" {
	usage_is_synopsis zcheck-chain -y a.zone
	usage_is_synopsis zcheck-chain -D
	usage_is_synopsis zcheck-chain -j -G a.zone
}

@test "zcheck-chain: usage is the man page's SYNOPSIS" {
	usage_is_synopsis zcheck-chain -y
}

@test "zcheck-chain: bad option values" {
	runs zcheck-chain -t yesterday a.zone
	assert_trouble zcheck-chain "-t yesterday: not a time"
	runs zcheck-chain -t 20271301000000 a.zone
	assert_trouble zcheck-chain "-t 20271301000000: not a time"
	runs zcheck-chain -w 3x a.zone
	assert_trouble zcheck-chain "-w 3x: not a duration"
	runs zcheck-chain -w d a.zone
	assert_trouble zcheck-chain "-w d: not a duration"
	runs zcheck-chain -T 0 a.zone
	assert_trouble zcheck-chain "-T 0: not a number of threads"
	runs zcheck-chain -T many a.zone
	assert_trouble zcheck-chain "-T many: not a number of threads"
	runs zcheck-chain -l 0 a.zone
	assert_trouble zcheck-chain "-l 0: not a size in octets"
	runs zcheck-chain -l 70000 a.zone
	assert_trouble zcheck-chain "-l 70000: not a size in octets"
	runs zcheck-chain -x www/NOPE a.zone
	assert_trouble zcheck-chain "^zcheck-chain: -x www/NOPE: no type NOPE$"
	runs zcheck-chain -x a..b a.zone
	assert_trouble zcheck-chain "^zcheck-chain: -x a..b: not a domain name$"
}

@test "zcheck-chain: standard input read twice" {
	runs zcheck-chain -D - - < a.zone
	assert_trouble zcheck-chain "standard input can be read only once"
	runs zcheck-chain -h - < a.zone
	assert_trouble zcheck-chain "standard input can be read only once"
}

@test "zcheck-chain: a zone that cannot be read" {
	runs zcheck-chain -D ds-a.ds nosuch.zone
	assert_trouble zcheck-chain "^zcheck-chain: nosuch.zone: No such file or directory$"
	runs zcheck-chain -D ds-a.ds -h nosuch.zone a.zone
	assert_trouble zcheck-chain "^zcheck-chain: nosuch.zone: No such file or directory$"
	printf 'example. 3600 IN SOA ns. host. 1 2 3 4 5\nwww.example. 3600 IN A 192.0.2.300\n' > bad.zone
	runs zcheck-chain bad.zone
	assert_trouble zcheck-chain "^zcheck-chain: bad.zone:2: "
	printf 'www.example. 3600 IN A 192.0.2.1\n' > nosoa.zone
	runs zcheck-chain nosoa.zone
	assert_trouble zcheck-chain "^zcheck-chain: nosoa.zone: no SOA record"
	{ cat a.zone; printf 'www.other. 3600 IN A 192.0.2.1\n'; } > outside.zone
	runs zcheck-chain outside.zone
	assert_trouble zcheck-chain "^zcheck-chain: outside.zone:60: www.other. is outside the zone$"
}

@test "zcheck-chain: zones of different names" {
	sed 's/example\./other./g' a.zone > other.zone
	runs zcheck-chain a.zone other.zone
	assert_trouble zcheck-chain "^zcheck-chain: other.zone: apex other. differs from a.zone's apex example.$"
}

@test "zcheck-chain: DS sets that cannot be used" {
	runs zcheck-chain -D nosuch.ds a.zone
	assert_trouble zcheck-chain "^zcheck-chain: nosuch.ds: No such file or directory$"
	printf 'example. 3600 IN DS 5021 13 2 zz\n' > bad.ds
	runs zcheck-chain -D bad.ds a.zone
	assert_trouble zcheck-chain "^zcheck-chain: bad.ds:1: "
	{ cat ds-a.ds; printf 'example. 3600 IN A 192.0.2.1\n'; } > a.ds
	runs zcheck-chain -D a.ds a.zone
	assert_trouble zcheck-chain "^zcheck-chain: a.ds:2: A record in a DS set: only DS and DNSKEY records belong there$"
	printf '; nothing\n' > empty.ds
	runs zcheck-chain -D empty.ds a.zone
	assert_trouble zcheck-chain "^zcheck-chain: empty.ds: no DS or DNSKEY records$"
	sed 's/^example\./other./' ds-a.ds > other.ds
	runs zcheck-chain -D other.ds a.zone
	assert_trouble zcheck-chain "^zcheck-chain: other.ds:1: DS record for other., but the zone is example.$"
}

@test "zcheck-chain: bad data in a zone is a problem, not trouble" {
	# A key of protocol 2 (RFC 4034 section 2.1.2 wants 3).
	awk 'BEGIN { FS = OFS = "\t" } $4 == "DNSKEY" && !d {
	    sub(/^256 3 /, "256 2 ", $5); d = 1 } { print }' a.zone > proto.zone
	runs zcheck-chain -t "$ZC_NOW" -D ds-a.ds proto.zone
	assert_equal "$status" 1
	assert_line --regexp "^zcheck-chain: proto.zone:12: example. DNSKEY: key [0-9]+/13: protocol 2 is not 3 \(RFC 4034 section 2.1.2\)$"
}

@test "zcheck-chain: a trust anchor DNSKEY instead of a DS" {
	runs zcheck-chain -t "$ZC_NOW" -D "$KA.key" a.zone
	assert_success
	assert_output ""
	runs zcheck-chain -t "$ZC_NOW" -D "$KB.key" a.zone
	assert_equal "$status" 1
	assert_line --partial "$KB.key:5: a.zone: example. DNSKEY: does not validate from this DS set: every DS is lame"
}

@test "zcheck-chain -w: a duration as every tool reads one, at most 2^31 - 1 seconds (RFC 4034 section 3.1.5); a negative one asks for none" {
	runs zcheck-chain -w 2147483648 a.zone
	assert_trouble zcheck-chain '^zcheck-chain: -w 2147483648: not a duration of at most 2147483647 seconds'
	runs zcheck-chain -w 1x a.zone
	assert_trouble zcheck-chain '^zcheck-chain: -w 1x: not a duration'
	runs zcheck-chain -w 24856d a.zone
	assert_trouble zcheck-chain '^zcheck-chain: -w 24856d: not a duration'
	for w in 2147483647 24855d 3000d -5 -100000000 30d 2w; do
		runs zcheck-chain -q -w "$w" no-such.zone
		[[ "$stderr" == *"no-such.zone"* ]] || fail "-w $w: $stderr"
	done
}
