#!/usr/bin/env bats
# zcanon -U: a zone without the records a signer makes (RRSIG, NSEC,
# NSEC3, NSEC3PARAM, DNSKEY, CDS, CDNSKEY, ZONEMD), the data the
# receiving operator signs again; and the driver's steps 1 and 6, which
# use it.
load helper

E=$DATA/examples

# A signed zone with one record of every type -U drops, and the DS of a
# delegation, which it keeps.
signed_zone() {
	{
		cat "$E/example.signed"
		printf 'example.\t3600\tIN\tCDS\t5021 13 2 4943e1fe83038856bd4194ebc31dd5e11247302307afce4ef9377ac23dccd4eb\n'
		grep -P '\tDNSKEY\t257 ' "$E/example.signed" | sed 's/\tDNSKEY\t/\tCDNSKEY\t/'
		printf 'example.\t3600\tIN\tZONEMD\t2026112801 1 1 %s\n' "$(printf '%096d' 0)"
		printf 'alpha.example.\t300\tIN\tNSEC\tbravo.example. NS DS RRSIG NSEC\n'
	} > "$BATS_TEST_TMPDIR/in.zone"
}

@test "zcanon -U: every DNSSEC record goes, DS at a delegation and the data stay" {
	signed_zone
	runs zcanon -U "$BATS_TEST_TMPDIR/in.zone"
	assert_success
	assert_equal "$stderr" ""
	# What remains is the unsigned zone, record for record.
	assert_equal "$output" "$(zcanon "$E/example.zone")"
	refute_output --regexp $'\t(RRSIG|NSEC|NSEC3|NSEC3PARAM|DNSKEY|CDS|CDNSKEY|ZONEMD)\t'
	assert_output --partial $'alpha.example.\t86400\tIN\tDS\t12345 13 2'
	# Without -U every one of them is there.
	local t n
	for t in RRSIG NSEC NSEC3 NSEC3PARAM DNSKEY CDS CDNSKEY ZONEMD; do
		n=$(zcanon "$BATS_TEST_TMPDIR/in.zone" | cut -f 4 | grep -cx "$t")
		[ "$n" -gt 0 ] || fail "no $t in the input"
	done
}

@test "zcanon -U: standard input, -z, -o; an unsigned zone passes unchanged" {
	signed_zone
	runs zcanon -U -z example. < "$BATS_TEST_TMPDIR/in.zone"
	assert_success
	assert_equal "$output" "$(zcanon "$E/example.zone")"
	zcanon -U -o "$BATS_TEST_TMPDIR/out.zone" "$E/example.zone"
	cmp "$BATS_TEST_TMPDIR/out.zone" <(zcanon "$E/example.zone")
	# A zone that cannot be read still writes nothing.
	runs zcanon -U -z other. "$BATS_TEST_TMPDIR/in.zone"
	assert_equal "$status" 2
	assert_equal "$output" ""
}

@test "zcanon -U: the result signs and validates again with other keys" {
	signed_zone
	cd "$BATS_TEST_TMPDIR"
	zcanon -U in.zone | zresign -A -t 20261201000000 \
	    -k "$E/Kexample.+013+62651" -k "$E/Kexample.+013+48585" -o b.zone
	ds-from-dnskey "$E/Kexample.+013+62651" > ds-b.txt
	runs zcheck-chain -t 20261201000000 -D ds-b.txt b.zone
	assert_success
}

@test "driver: steps 1 and 6 drop A's and B's DNSSEC records with zcanon -U, in the pipeline they print" {
	local st=$BATS_TEST_TMPDIR/st
	BERO_NOW=1796083200 bero-migrate -d "$st" init -N 20 > /dev/null
	BERO_NOW=1796083200 bero-migrate -d "$st" step 1 > /dev/null
	run grep -F 'zcanon -U -z example. b/step-1.xfr | ' "$st/reports/1.pipeline"
	assert_success
	# What it printed runs as it reads: no private function in it.
	refute_output --partial strip_dnssec
	run grep -rl strip_dnssec "$TOP/scripts"
	assert_failure
}
