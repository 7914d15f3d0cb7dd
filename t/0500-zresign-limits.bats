#!/usr/bin/env bats
# zresign and NSEC3 iterations: at most 2,500 (RFC 5155 section 10.3),
# given with -H or found in the zone read, which is refused at the
# record; any count above 0 is warned of (RFC 9276 section 3.1), with
# what validators make of counts above their limit (section 3.2,
# appendix A); a count above 0 in the zone read (the other operator's)
# is inherited with that warning, and changed only when -H asks.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
	A="-k Kexample.+013+05021 -k Kexample.+013+40244"
	T="-t 20261201000000"
	LIMITS='validators treat counts above their limit \(100 to 150 in practice, RFC 9276 appendix A\) as insecure or answer SERVFAIL \(section 3.2\)$'
}

# params FILE: the NSEC3PARAM RDATA of a signed zone.
params() {
	awk -F'\t' '$4 == "NSEC3PARAM" { print $5 }' "$1"
}

@test "limits: -H 2501 is refused; -H 2500 signs, with the warning" {
	runs zresign $T $A -H 2501 example.zone
	assert_trouble zresign '^zresign: -H 2501: more than 2500 iterations \(RFC 5155 section 10.3\)$'
	runs zresign $T $A -H 65535 example.zone
	assert_trouble zresign '^zresign: -H 65535: more than 2500 iterations'
	runs zresign $T $A -H 2500 -o h2500.zone example.zone
	assert_success
	[[ "$stderr" =~ ^"zresign: warning: NSEC3 iterations 2500: RFC 9276 section 3.1 says 0; "$LIMITS ]] ||
	    fail "$stderr"
	assert_equal "$(params h2500.zone)" "1 0 2500 -"
}

@test "limits: a zone read with more than 2,500 iterations is refused at the record" {
	zresign $T $A -H 5 -o h5.zone example.zone 2>/dev/null
	sed 's/	NSEC3PARAM	1 0 5 -$/	NSEC3PARAM	1 0 2501 -/' h5.zone > p.zone
	local line
	line=$(grep -n '	NSEC3PARAM	1 0 2501 -$' p.zone | cut -d: -f1)
	echo old > out.zone
	runs zresign $T $A -3 -o out.zone p.zone
	assert_trouble zresign "^zresign: p.zone:$line: NSEC3PARAM iterations 2501: more than 2500 \\(RFC 5155 section 10.3\\)\$"
	assert_equal "$(cat out.zone)" old
	assert_equal "$(ls | grep -c tmp)" 0
	# An NSEC3 record without an NSEC3PARAM, from standard input.
	awk -F'\t' -v OFS='\t' '$4 == "NSEC3PARAM" { next }
	    $4 == "NSEC3" && !done { sub(/^1 0 5 /, "1 0 65535 ", $5); done = 1 }
	    { print }' h5.zone > n.zone
	line=$(grep -n '	NSEC3	1 0 65535 ' n.zone | cut -d: -f1)
	runs zresign $T $A - < n.zone
	assert_trouble zresign "^zresign: <stdin>:$line: NSEC3 iterations 65535: more than 2500"
}

# The warning of a denial switched, then the one of the serial kept while
# the zone changed (the denial chain did), as zresign(1) says.
warned_then_kept() {
	assert_equal "$(printf '%s\n' "$stderr" | sed -n 1p)" "$1"
	[[ "$(printf '%s\n' "$stderr" | sed -n 2p)" == "zresign: warning: SOA serial "*" kept while the zone changed since h5.zone was signed ("* ]] ||
	    fail "$stderr"
	assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 2
}

@test "limits: iterations above 0 in the zone read are inherited and said, changed only with -H" {
	zresign $T $A -H 5 -o h5.zone example.zone 2>/dev/null
	local line
	line=$(grep -n '	NSEC3PARAM	1 0 5 -$' h5.zone | cut -d: -f1)
	# With -3, and without: the zone's NSEC3 and its count, said.
	for o in -3 ""; do
		runs zresign $T $A $o -o out.zone h5.zone
		assert_success
		[[ "$stderr" =~ ^"zresign: warning: NSEC3 iterations 5: RFC 9276 section 3.1 says 0; "$LIMITS ]] ||
		    fail "$stderr"
		assert_equal "$(params out.zone)" "1 0 5 -"
	done
	runs zresign $T $A -H 0 -o out.zone h5.zone
	assert_success
	warned_then_kept "zresign: warning: h5.zone:$line: NSEC3 iterations 5 become 0, as -H asks"
	assert_equal "$(params out.zone)" "1 0 0 -"
	runs zresign $T $A -N -o out.zone h5.zone
	assert_success
	warned_then_kept "zresign: warning: h5.zone:$line: the zone's NSEC3 becomes NSEC, as -N asks"
	assert_equal "$(params out.zone)" ""
	# -q: no warning; 0 in the zone read: none to give.
	runs zresign -q $T $A -o out.zone h5.zone
	assert_success
	assert_equal "$stderr" ""
	runs zresign $T $A -H 0 -o out.zone h5.zone
	runs zresign $T $A -3 out.zone
	assert_success
	assert_equal "$stderr" ""
}
