#!/usr/bin/env bats
# zresign -s: an explicit SOA serial beside keep, increment, unixtime and
# date; a serial kept or given that is behind the input's or the
# previous zone's (-P) in RFC 1982 arithmetic is refused (secondaries
# would not transfer the zone); a serial kept while the zone changed
# from -P, or since a signed input was signed, draws a warning.

load helper

D=$DATA/zresign
K=$D/keys
ED="-k $K/Kexample.+015+37913 -k $K/Kexample.+015+10418"
TIMES="-t 20261201000000 -i 20261201000000 -e 20270101000000"

serial() {
	awk -F'\t' '$4 == "SOA" { split($5, f, " "); print f[3] }'
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "serial: -s NUMBER sets the serial, equal to the input's or ahead of it" {
	runs zresign -s 2026120601 $TIMES $ED "$D/full.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(serial <<<"$output")" 2026120601
	# Equal to the input's: kept.
	runs zresign -s 2026112801 $TIMES $ED "$D/full.zone"
	assert_success
	assert_equal "$(serial <<<"$output")" 2026112801
	# The farthest ahead in RFC 1982 arithmetic: 2026112801 + 2^31 - 1.
	runs zresign -s 4173596448 $TIMES $ED "$D/full.zone"
	assert_success
	assert_equal "$(serial <<<"$output")" 4173596448
	# The zone is the one -s increment would give but for the serial.
	runs zresign -s 2026112802 $TIMES $ED "$D/full.zone"
	assert_success
	local set=$output
	runs zresign -s increment $TIMES $ED "$D/full.zone"
	assert_equal "$set" "$output"
}

@test "serial: a serial behind the input's (RFC 1982) is refused, exit 2, -o intact" {
	runs zresign -s 2026112800 $TIMES $ED "$D/full.zone"
	assert_trouble zresign "^zresign: $D/full.zone:[0-9]+: SOA serial 2026112800 is behind 2026112801 of the input \\(RFC 1982 section 3.2\\): secondaries would not transfer the zone\$"
	# 2026112801 + 2^31 is undefined in RFC 1982: neither ahead nor behind.
	runs zresign -s 4173596449 $TIMES $ED "$D/full.zone"
	assert_trouble zresign 'SOA serial 4173596449 is behind 2026112801 of the input'
	# Behind through the wrap: 4294967295 and 5 come before 2026112801.
	runs zresign -s 4173596450 $TIMES $ED "$D/full.zone"
	assert_trouble zresign 'SOA serial 4173596450 is behind 2026112801'
	runs zresign -s 5 $TIMES $ED "$D/full.zone"
	assert_trouble zresign 'SOA serial 5 is behind 2026112801'
	echo old > out.zone
	runs zresign -s 1 $TIMES $ED -o out.zone "$D/full.zone"
	assert_trouble zresign 'is behind'
	assert_equal "$(cat out.zone)" old
}

@test "serial: against the previous zone (-P): behind is refused, computed ones count from it" {
	zresign -s 2026120600 $TIMES $ED -o prev.zone "$D/full.zone"
	# The input (2026112801) is behind -P's: kept or given, refused.
	runs zresign $TIMES $ED -P prev.zone "$D/full.zone"
	assert_trouble zresign "SOA serial 2026112801 is behind 2026120600 of prev.zone \\(RFC 1982 section 3.2\\)"
	runs zresign -s 2026120500 $TIMES $ED -P prev.zone "$D/full.zone"
	assert_trouble zresign "SOA serial 2026120500 is behind 2026120600 of prev.zone"
	# increment and date count from the greater, -P's.
	runs zresign -s increment $TIMES $ED -P prev.zone "$D/full.zone"
	assert_success
	assert_equal "$(serial <<<"$output")" 2026120601
	runs zresign -s date $TIMES $ED -P prev.zone "$D/full.zone"
	assert_success
	assert_equal "$(serial <<<"$output")" 2026120601
	runs zresign -s 2026120700 $TIMES $ED -P prev.zone "$D/full.zone"
	assert_success
	assert_equal "$(serial <<<"$output")" 2026120700
}

@test "serial: kept while the zone changed from -P: a warning; unchanged or -q: none" {
	zresign $TIMES $ED -o prev.zone "$D/full.zone"
	# The same zone again: nothing changed, no warning.
	runs zresign $TIMES $ED -P prev.zone prev.zone
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "$(cat prev.zone)"
	# A record more, the serial kept: secondaries would keep the old zone.
	{ cat prev.zone; printf 'new.example.\t300\tIN\tA\t192.0.2.99\n'; } > more.zone
	runs zresign $TIMES $ED -P prev.zone more.zone
	assert_success
	assert_equal "$stderr" "zresign: warning: SOA serial 2026112801 kept while the zone changed from prev.zone: secondaries that have it will not transfer the new one (RFC 1034 section 4.3.5); -s sets a new serial"
	# The same serial given explicitly: the same warning.
	runs zresign -s 2026112801 $TIMES $ED -P prev.zone more.zone
	assert_success
	[[ "$stderr" == *"SOA serial 2026112801 kept while the zone changed"* ]]
	runs zresign -q $TIMES $ED -P prev.zone more.zone
	assert_success
	assert_equal "$stderr" ""
	runs zresign -s increment $TIMES $ED -P prev.zone more.zone
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(serial <<<"$output")" 2026112802
}

@test "serial: kept while a signed input changed since it was signed, no -P: a warning" {
	local w="zresign: warning: SOA serial 2026112801 kept while the zone changed since"
	local tail="secondaries that have it will not transfer the new one (RFC 1034 section 4.3.5); -s sets a new serial"
	zresign $TIMES $ED -o signed.zone "$D/full.zone"
	# As signed: every signature verifies, no warning.
	runs zresign $TIMES $ED signed.zone
	assert_success
	assert_equal "$stderr" ""
	# A record more: it has no signature, nor has its NSEC, and the NSEC
	# before it no longer verifies.
	{ cat signed.zone; printf 'new.example.\t300\tIN\tA\t192.0.2.99\n'; } > more.zone
	runs zresign $TIMES $ED more.zone
	assert_success
	assert_equal "$stderr" "$w more.zone was signed (3 RRsets, the first new.example. A): $tail"
	# From standard input.
	runs zresign $TIMES $ED < more.zone
	assert_equal "$stderr" "$w <stdin> was signed (3 RRsets, the first new.example. A): $tail"
	# An address changed: its signature no longer verifies.
	sed 's/\t192\.0\.2\.4$/\t192.0.2.5/' signed.zone > changed.zone
	runs zresign $TIMES $ED changed.zone
	assert_success
	assert_equal "$stderr" "$w changed.zone was signed (1 RRset, the first a.b.c.ent.example. A): $tail"
	# An RRset gone: its signature covers nothing.
	grep -v '^x\.ent\.example\.	3600	IN	TXT' signed.zone > less.zone
	runs zresign $TIMES $ED less.zone
	assert_success
	[[ "$stderr" == "$w less.zone was signed ("*" RRsets, the first x.ent.example. TXT): $tail" ]]
	# The SOA changed with it (the serial, as a pipeline would): no
	# warning; nor with a new serial, or -q.
	sed 's/ 2026112801 7200 / 2026112802 7200 /' more.zone > bumped.zone
	runs zresign $TIMES $ED bumped.zone
	assert_success
	assert_equal "$stderr" ""
	runs zresign -s increment $TIMES $ED more.zone
	assert_equal "$stderr" ""
	runs zresign -q $TIMES $ED more.zone
	assert_equal "$stderr" ""
	# The denial switched (-3): the zone changed, the serial kept.
	runs zresign -3 $TIMES $ED signed.zone
	assert_success
	[[ "$stderr" == *"$w signed.zone was signed ("*" RRsets, the first example. NSEC): $tail" ]]
	# Unsigned, or signed by keys not given: nothing known, no warning.
	{ cat "$D/full.zone"; printf 'new.example.\t300\tIN\tA\t192.0.2.99\n'; } > plain.zone
	runs zresign $TIMES $ED plain.zone
	assert_equal "$stderr" ""
	zresign $TIMES -k $K/Kexample.+013+01539 -k $K/Kexample.+013+40339 \
	    "$D/full.zone" | grep -v 'DNSKEY	25[67] 3 13 ' > other.zone
	printf 'new.example.\t300\tIN\tA\t192.0.2.99\n' >> other.zone
	runs zresign $TIMES $ED other.zone
	assert_success
	assert_equal "$stderr" ""
}

@test "serial: -s values that are not a policy or a 32-bit number" {
	local v
	for v in 4294967296 -1 12x "" 99999999999; do
		runs zresign -s "$v" $TIMES $ED "$D/full.zone"
		assert_trouble zresign "^zresign: -s $v: not keep, increment, unixtime, date or a serial from 0 to 4294967295\$"
	done
}
