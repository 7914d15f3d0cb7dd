#!/usr/bin/env bats
# zresign's denial of existence is the zone's unless asked otherwise:
# NSEC or NSEC3, opt-out, iterations and salt come from the input's
# NSEC3PARAM and chain, or from the previous zone's (-P) when the input
# is unsigned; -N (NSEC), -3 (NSEC3), -A (opt-out), -X (no opt-out), -H
# and -S change them, each change with a warning.  A signed input never
# silently loses opt-out: a pipeline that leaves out -A keeps it.

load helper

D=$DATA/zresign
K=$D/keys
ED="-k $K/Kexample.+015+37913 -k $K/Kexample.+015+10418"
TIMES="-t 20261201000000 -i 20261201000000 -e 20270101000000"
# A signed input's denial switched is a change, the serial kept (t/0530).
KEPT="zresign: warning: SOA serial 2026112801 kept while the zone changed since"
KEPT_TAIL="secondaries that have it will not transfer the new one (RFC 1034 section 4.3.5); -s sets a new serial"

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# The NSEC3PARAM RDATA of the zone on standard input, and the flags of
# its NSEC3 records, each once: "1 0 0 - / 1" for opt-out.
denial() {
	awk -F'\t' '$4 == "NSEC3PARAM" { p = $5 }
		$4 == "NSEC3" { split($5, f, " "); fl[f[2]] = 1 }
		$4 == "NSEC" { n = 1 }
		END { s = ""; for (x in fl) s = s x; if (n) print "NSEC";
			else print p " / " s }'
}

@test "inherit: an opt-out zone re-signed without -A (with -3 or nothing) keeps opt-out" {
	local o
	for o in "" -3; do
		runs zresign $o $TIMES $ED "$D/full-optout.out"
		assert_success
		assert_equal "$stderr" ""
		assert_equal "$(denial <<<"$output")" "1 0 0 - / 1"
		# Byte for byte the zone signed with -A.
		assert_equal "$output" "$(cat "$D/full-optout.out")"
	done
	# Through a pipeline of this build, as the migration runs it.
	runs bash -c "zresign -A $TIMES $ED '$D/full.zone' | zresign -v $TIMES $ED"
	assert_success
	[[ "$stderr" == *"NSEC3 chain: 16 records, 5 empty non-terminals, 4 insecure delegations left out (opt-out)"* ]] ||
	    fail "$stderr"
}

@test "inherit: NSEC3 without opt-out stays so; NSEC stays NSEC; unsigned is NSEC" {
	runs zresign $TIMES $ED "$D/full-nsec3.out"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "$(cat "$D/full-nsec3.out")"
	runs zresign $TIMES $ED "$D/full-nsec.out"
	assert_success
	assert_equal "$output" "$(cat "$D/full-nsec.out")"
	runs zresign $TIMES $ED "$D/full.zone"
	assert_equal "$output" "$(cat "$D/full-nsec.out")"
}

@test "inherit: salt and iterations of the zone's NSEC3PARAM are kept, and said (RFC 9276)" {
	zresign -q -X -S ab12 -H 3 $TIMES $ED -o salted.zone "$D/full.zone"
	assert_equal "$(denial < salted.zone)" "1 0 3 ab12 / 0"
	runs zresign $TIMES $ED -o out.zone salted.zone
	assert_success
	[[ "${stderr_lines[0]}" == "zresign: warning: NSEC3 iterations 3: RFC 9276 section 3.1 says 0; "* ]] ||
	    fail "$stderr"
	assert_equal "${stderr_lines[1]}" "zresign: warning: NSEC3 salt: RFC 9276 section 3.1 says none"
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "$(denial < out.zone)" "1 0 3 ab12 / 0"
	run ldns-verify-zone -t 20261215000000 out.zone
	assert_success
	# Changed when asked, with a warning for each change.
	local line
	line=$(grep -n '	NSEC3PARAM	' salted.zone | cut -d: -f1)
	runs zresign -H 0 -S - -A $TIMES $ED -o out.zone salted.zone
	assert_success
	assert_equal "$stderr" "zresign: warning: salted.zone:$line: NSEC3 opt-out turned on, as -A asks
zresign: warning: salted.zone:$line: NSEC3 iterations 3 become 0, as -H asks
zresign: warning: salted.zone:$line: NSEC3 salt ab12 becomes -, as -S asks
$KEPT salted.zone was signed (38 RRsets, the first example. NSEC3PARAM): $KEPT_TAIL"
	assert_equal "$(denial < out.zone)" "1 0 0 - / 1"
}

@test "inherit: switching NSEC3 opt-out off (-X), to NSEC (-N), or NSEC to NSEC3: only when asked, said" {
	local line
	line=$(grep -n '	NSEC3PARAM	' "$D/full-optout.out" | cut -d: -f1)
	runs zresign -X $TIMES $ED "$D/full-optout.out"
	assert_success
	assert_equal "${stderr_lines[0]}" "zresign: warning: $D/full-optout.out:$line: NSEC3 opt-out turned off, as -X asks"
	[[ "${stderr_lines[1]}" == "$KEPT $D/full-optout.out was signed ("*"): $KEPT_TAIL" ]] ||
	    fail "$stderr"
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "$output" "$(cat "$D/full-nsec3.out")"
	runs zresign -N $TIMES $ED "$D/full-optout.out"
	assert_success
	assert_equal "${stderr_lines[0]}" "zresign: warning: $D/full-optout.out:$line: the zone's NSEC3 with opt-out becomes NSEC, as -N asks"
	[[ "${stderr_lines[1]}" == "$KEPT $D/full-optout.out was signed ("*"): $KEPT_TAIL" ]] ||
	    fail "$stderr"
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "$output" "$(cat "$D/full-nsec.out")"
	line=$(grep -n '	NSEC	' "$D/full-nsec.out" | head -1 | cut -d: -f1)
	runs zresign -A $TIMES $ED "$D/full-nsec.out"
	assert_success
	assert_equal "${stderr_lines[0]}" "zresign: warning: $D/full-nsec.out:$line: the zone's NSEC becomes NSEC3 with opt-out, as -A asks"
	[[ "${stderr_lines[1]}" == "$KEPT $D/full-nsec.out was signed ("*"): $KEPT_TAIL" ]] ||
	    fail "$stderr"
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "$output" "$(cat "$D/full-optout.out")"
	runs zresign -3 $TIMES $ED "$D/full-nsec.out"
	assert_success
	assert_equal "${stderr_lines[0]}" "zresign: warning: $D/full-nsec.out:$line: the zone's NSEC becomes NSEC3, as -3 asks"
	[[ "${stderr_lines[1]}" == "$KEPT $D/full-nsec.out was signed ("*"): $KEPT_TAIL" ]] ||
	    fail "$stderr"
	assert_equal "${#stderr_lines[@]}" 2
	# -q: the same zones, nothing said.
	runs zresign -q -N $TIMES $ED "$D/full-optout.out"
	assert_equal "$stderr" ""
	assert_equal "$output" "$(cat "$D/full-nsec.out")"
}

@test "inherit: an unsigned input takes the previous zone's (-P) denial" {
	# The unsigned full zone against the opt-out one: opt-out, and
	# every signature reused.
	runs zresign -v $TIMES $ED -P "$D/full-optout.out" "$D/full.zone"
	assert_success
	assert_equal "$output" "$(cat "$D/full-optout.out")"
	[[ "$stderr" == *" 0 signatures made, "* ]] || fail "$stderr"
	# Its NSEC3PARAM from -P, salt and iterations too.
	zresign -q -S ab12 -H 3 $TIMES $ED -o salted.zone "$D/full.zone"
	runs zresign -q $TIMES $ED -P salted.zone "$D/full.zone"
	assert_success
	assert_equal "$(denial <<<"$output")" "1 0 3 ab12 / 0"
	# The input's own chain comes before -P's.
	runs zresign $TIMES $ED -P "$D/full-optout.out" "$D/full-nsec.out"
	assert_success
	assert_equal "$(denial <<<"$output")" "NSEC"
}

@test "inherit: options that contradict each other are refused" {
	runs zresign -N -A $TIMES $ED "$D/full.zone"
	assert_trouble zresign '^zresign: -N asks for NSEC, -3, -A, -X, -H and -S for NSEC3: not both$'
	local o
	for o in -3 -X "-H 0" "-S -"; do
		runs zresign -N $o $TIMES $ED "$D/full.zone"
		assert_trouble zresign 'not both'
	done
	runs zresign -A -X $TIMES $ED "$D/full.zone"
	assert_trouble zresign '^zresign: -A asks for opt-out, -X for none: not both$'
}
