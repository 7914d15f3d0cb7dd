#!/usr/bin/env bats
# zresign -c: the CDS and CDNSKEY RRsets (RFC 7344, RFC 8078) kept as
# the zone has them (the default, signed again), made for the KSKs of
# the DNSKEY RRset (CDS digest type 2, SHA-256), in the delete form
# (RFC 8078 section 4), or dropped; each output checked by
# ldns-verify-zone, dnssec-verify and kzonecheck.

load helper

K=$DATA/zresign/keys
EX=$DATA/examples
FULL=$DATA/zresign/full.zone
ED="-k $K/Kexample.+015+37913 -k $K/Kexample.+015+10418"
# Signatures valid on any real date, for dnssec-verify (no time option).
TIMES="-t 20261201000000 -i 20200101000000 -e 20380101000000"

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# The RDATA of the apex records of type $1 in zone $2, sorted.
apex() {
	awk -F'\t' -v t="$1" '$1 == "example." && $4 == t { print $5 }' "$2" | sort
}

# The types the RRSIGs at the apex of zone $1 cover, and their key tags.
apex_sigs() {
	awk -F'\t' -v t="$1" '$1 == "example." && $4 == "RRSIG" {
		split($5, f, " "); if (f[1] == t) print f[7] }' "$2" | sort -n | tr '\n' ' '
}

oracles() {
	run ldns-verify-zone -t 20261215000000 "$1"
	assert_success
	run dnssec-verify -q -o example. "$1"
	assert_success
	run kzonecheck -o example. -d on "$1"
	assert_success
}

@test "cds: -c publish makes CDS (SHA-256) and CDNSKEY for the KSK, signed by it" {
	runs zresign -v -c publish $TIMES $ED -o out.zone "$FULL"
	assert_success
	[[ "$stderr" == *"zresign: CDS and CDNSKEY: 1 KSK, CDS digest type 2 (SHA-256)"* ]] ||
	    fail "$stderr"
	# The CDS is BIND's DS of the KSK, the CDNSKEY its DNSKEY.
	assert_equal "$(apex CDS out.zone)" \
		"$(dnssec-dsfromkey -2 "$K/Kexample.+015+37913.key" | awk '{ print $4, $5, $6, tolower($7) }')"
	assert_equal "$(apex CDNSKEY out.zone)" "$(awk '$3 == "DNSKEY" { print $4, $5, $6, $7 }' "$K/Kexample.+015+37913.key")"
	assert_equal "$(apex_sigs CDS out.zone)" "37913 "
	assert_equal "$(apex_sigs CDNSKEY out.zone)" "37913 "
	grep -q '^example.	300	IN	NSEC	alias.example. NS SOA MX TXT RRSIG NSEC DNSKEY CDS CDNSKEY$' out.zone
	oracles out.zone
}

@test "cds: -c publish covers every KSK of the DNSKEY RRset, the other operator's too" {
	# A's zone with B's keys (step 2a): KSK_A and KSK_B are the KSKs.
	zmerge-dnskey -k "$EX/Kexample.+013+62651.key" -k "$EX/Kexample.+013+48585.key" \
		-k "$EX/Kexample.+013+05021.key" -k "$EX/Kexample.+013+40244.key" \
		"$EX/example.zone" > merged.zone
	runs zresign -c publish $TIMES -k "$EX/Kexample.+013+05021" -k "$EX/Kexample.+013+40244" \
		-o out.zone merged.zone
	assert_success
	assert_equal "$(apex CDS out.zone)" "$(for k in 05021 62651; do
		dnssec-dsfromkey -2 "$EX/Kexample.+013+$k.key"; done | awk '{ print $4, $5, $6, tolower($7) }' | sort)"
	assert_equal "$(apex CDNSKEY out.zone | wc -l)" 2
	oracles out.zone
}

@test "cds: -c delete writes RFC 8078's delete form, signed" {
	runs zresign -c delete $TIMES $ED -o out.zone "$FULL"
	assert_success
	assert_equal "$(apex CDS out.zone)" "0 0 0 00"
	assert_equal "$(apex CDNSKEY out.zone)" "0 3 0 AA=="
	assert_equal "$(apex_sigs CDS out.zone)" "37913 "
	assert_equal "$(apex_sigs CDNSKEY out.zone)" "37913 "
	oracles out.zone
	# It replaces CDS and CDNSKEY records the zone had.
	zresign -q -c publish $TIMES $ED -o pub.zone "$FULL"
	runs zresign -c delete $TIMES $ED pub.zone
	assert_success
	assert_equal "$(printf '%s\n' "$output" | grep -cE '	(CDS|CDNSKEY)	')" 2
}

@test "cds: kept by default, signed again, by another operator's keys too; dropped only with -c drop" {
	zresign -q -c publish $TIMES $ED -o pub.zone "$FULL"
	# Signed again with ECDSA keys and no -c: the same CDS and CDNSKEY,
	# now signed by the new KSK alone.
	grep -v '	DNSKEY	' pub.zone > nokeys.zone
	runs zresign -O strip $TIMES -k "$K/Kexample.+013+01539" -k "$K/Kexample.+013+40339" -o out.zone nokeys.zone
	assert_success
	# They name a key the new DNSKEY RRset lacks: said, each.
	local l
	l=$(grep -n '	CDS	' nokeys.zone | cut -d: -f1)
	assert_equal "${stderr_lines[0]}" "zresign: warning: nokeys.zone:$l: example. CDS 37913/15 matches no key of the DNSKEY RRset: a parent following it would install a DS that matches no DNSKEY (RFC 7344 section 4.1); -c publish makes them anew, -c drop drops them"
	l=$(grep -n '	CDNSKEY	' nokeys.zone | cut -d: -f1)
	assert_equal "${stderr_lines[1]}" "zresign: warning: nokeys.zone:$l: example. CDNSKEY 37913/15 matches no key of the DNSKEY RRset: a parent following it would install a DS that matches no DNSKEY (RFC 7344 section 4.1); -c publish makes them anew, -c drop drops them"
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "$(apex CDS out.zone)" "$(apex CDS pub.zone)"
	assert_equal "$(apex CDNSKEY out.zone)" "$(apex CDNSKEY pub.zone)"
	assert_equal "$(apex_sigs CDS out.zone)" "1539 "
	assert_equal "$(apex_sigs CDNSKEY out.zone)" "1539 "
	# -c keep says the same; they match the keys: nothing said; nor of
	# the delete form.
	runs zresign -c keep $TIMES $ED -o keep.zone pub.zone
	assert_success
	assert_equal "$stderr" ""
	zresign -q -c delete $TIMES $ED -o del.zone "$FULL"
	runs zresign $TIMES $ED del.zone
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(cat keep.zone)" "$(cat pub.zone)"
	# -c drop: gone, out of the NSEC bit map too.
	runs zresign -c drop $TIMES $ED -o out.zone pub.zone
	assert_success
	assert_equal "$(grep -cE '	(CDS|CDNSKEY)	' out.zone)" 0
	assert_equal "$(grep -c 'CDS' out.zone)" 0
	# The zone signed without them, byte for byte.
	assert_equal "$(cat out.zone)" "$(zresign -q $TIMES $ED "$FULL")"
	oracles out.zone
}

@test "cds: -c values that are not one; no KSK to publish for" {
	runs zresign -c add $TIMES $ED "$FULL"
	assert_trouble zresign '^zresign: -c add: not keep, publish, delete or drop$'
	# A lone key without the SEP flag, as CSK: no KSK.
	runs zresign -c publish $TIMES -C "$K/Kexample.+015+10418" "$FULL"
	assert_trouble zresign '^zresign: -c publish: no KSK in the DNSKEY RRset \(a zone key with the SEP flag, not revoked, that signs\): no CDS to make \(RFC 7344 section 4\)$'
	runs zresign -c delete $TIMES -C "$K/Kexample.+015+10418" "$FULL"
	assert_success
}
