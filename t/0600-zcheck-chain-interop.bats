#!/usr/bin/env bats
# zcheck-chain on zones it did not make: zones signed by BIND's
# dnssec-signzone, ldns-signzone and Knot's kzonesign with fresh keys of
# every algorithm they share with us validate, as ldns-verify-zone,
# dnssec-verify and kzonecheck agree; and the real zones of
# t/data/realzones validate from their anchors inside their
# windows, and fail outside them and from the wrong anchors.

load helper
load zcheck-chain

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	local b=$ZC/base.zone a k z
	# Fresh keys, a KSK and a ZSK per algorithm.
	for a in RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384 \
	    ED25519 ED448; do
		k=$(dnssec-keygen -q -K . -a "$a" -f KSK example) || return 1
		z=$(dnssec-keygen -q -K . -a "$a" example) || return 1
		echo "$k $z" > "keys.$a"
	done
	for a in RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384 \
	    ED25519 ED448; do
		read -r k z < "keys.$a"
		zc_sign "bind-$a-optout.zone" "$b" "$k $z" "$k $z" -3 - -A
	done
	read -r k z < keys.ECDSAP256SHA256
	zc_sign bind-nsec.zone "$b" "$k $z" "$k $z"
	zc_sign bind-nsec3.zone "$b" "$k $z" "$k $z" -3 -
	zc_sign bind-salt.zone "$b" "$k $z" "$k $z" -3 abcdef -H 5
	zc_ds "$k" > ds-13.ds
	# Two algorithms at once, both signing everything.
	read -r k8 z8 < keys.RSASHA256
	zc_sign bind-two.zone "$b" "$k $z $k8 $z8" "$k $z $k8 $z8" -3 - -A
	{ zc_ds "$k"; zc_ds "$k8"; } > ds-two.ds
	# ldns-signzone: NSEC, and NSEC3 with the opt-out flag on every
	# record (it leaves no name out).
	ldns-signzone -i "$ZC_START" -e "$ZC_END" -o example \
	    -f ldns-nsec.signed "$b" "$k" "$z" || return 1
	ldns-signzone -n -p -s '' -t 0 -i "$ZC_START" -e "$ZC_END" \
	    -o example -f ldns-nsec3.signed "$b" "$k" "$z" || return 1
	read -r k z < keys.ED25519
	ldns-signzone -n -s '' -t 0 -i "$ZC_START" -e "$ZC_END" \
	    -o example -f ldns-ed25519.signed "$b" "$k" "$z" || return 1
	knot_sign knot-optout ecdsap256sha256 "nsec3: on
    nsec3-opt-out: on
    nsec3-iterations: 0
    nsec3-salt-length: 0"
	knot_sign knot-nsec ed25519 "nsec3: off"
}

# knot_sign name algorithm policy: kzonesign with its own keys, made in
# its KASP database, signatures valid from November 2026 for ten years.
knot_sign() {
	local d=$PWD/$1
	mkdir -p "$d"
	cp "$ZC/base.zone" "$d/example.zone"
	cat > "$d/knot.conf" <<-EOF
	database:
	    storage: "$d"
	policy:
	  - id: p
	    algorithm: $2
	    rrsig-lifetime: 3650d
	    $3
	template:
	  - id: default
	    storage: "$d"
	    file: "$d/%s.zone"
	    dnssec-signing: on
	    dnssec-policy: p
	zone:
	  - domain: example.
	EOF
	kzonesign -c "$d/knot.conf" -r -t 1793577600 -o "$d/out" example. \
	    > "$d/log" 2>&1 || { cat "$d/log"; return 1; }
	mv "$d/out/example.zone" "$1.signed"
}

setup() {
	cd "$BATS_FILE_TMPDIR" || return 1
}

# Valid for zcheck-chain and for the three peers.
all_valid() {
	local z=$1 ds=${2:-}
	runs zcheck-chain -t "$ZC_NOW" ${ds:+-D "$ds"} "$z"
	[ "$status" -eq 0 ] || fail "zcheck-chain rejects $z: $output"
	assert_equal "$stderr" ""
	run ldns-verify-zone -t "$ZC_NOW" ${ds:+-k "$ds"} "$z"
	[ "$status" -eq 0 ] || fail "ldns-verify-zone rejects $z: $output"
	run dnssec-verify -q -o example "$z"
	[ "$status" -eq 0 ] || fail "dnssec-verify rejects $z: $output"
	run kzonecheck -o example. -d on -t "$ZC_NOW" "$z"
	[ "$status" -eq 0 ] || fail "kzonecheck rejects $z: $output"
}

@test "zcheck-chain: dnssec-signzone, NSEC3 opt-out, algorithms 8 10 13 14 15 16" {
	for a in RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384 \
	    ED25519 ED448; do
		all_valid "bind-$a-optout.zone"
	done
}

@test "zcheck-chain: dnssec-signzone, NSEC, NSEC3, two algorithms" {
	all_valid bind-nsec.zone ds-13.ds
	all_valid bind-nsec3.zone ds-13.ds
	all_valid bind-two.zone ds-two.ds
	runs zcheck-chain -j -t "$ZC_NOW" -D ds-two.ds bind-two.zone
	run jq -r '.zones[0].keys | map(.algorithm) | unique | join(" ")' \
	    <<< "$output"
	assert_output "8 13"
}

@test "zcheck-chain: salt and iterations are a warning (RFC 9276)" {
	runs zcheck-chain -t "$ZC_NOW" -D ds-13.ds bind-salt.zone
	assert_success
	assert_output "zcheck-chain: warning: bind-salt.zone: example. NSEC3PARAM: 5 extra iterations and 3 octets of salt; 0 and none are recommended, and validators treat counts above their limit (100 to 150 in practice, RFC 9276 appendix A) as insecure or answer SERVFAIL (RFC 9276 sections 3.1 and 3.2)"
	run ldns-verify-zone -t "$ZC_NOW" bind-salt.zone
	assert_success
}

@test "zcheck-chain: ldns-signzone, NSEC, NSEC3 with opt-out flags, Ed25519" {
	all_valid ldns-nsec.signed ds-13.ds
	all_valid ldns-nsec3.signed ds-13.ds
	all_valid ldns-ed25519.signed
}

@test "zcheck-chain: kzonesign, NSEC3 opt-out and NSEC" {
	all_valid knot-optout.signed
	all_valid knot-nsec.signed
	# Knot publishes CDS and CDNSKEY: they are signed data like any.
	run grep -c -P '\tCDS\t' knot-optout.signed
	assert_output 1
}

@test "zcheck-chain: the 2017 root zone, inside and outside its window" {
	root=$(root_zone)
	anchors=$REAL/root-2017082100/root-anchors.ds
	runs zcheck-chain -v -t 20170825000000 -D "$anchors" "$root"
	assert_success
	assert_output ""
	# 1139 octets: what nsd answers with this zone (dig +dnssec DNSKEY).
	[[ "$stderr" == *"22772 records, 2950 RRsets signed, 2950 of 2950 RRSIGs valid, earliest expiration 20170903050000, DNSKEY answer 1139 octets"* ]] ||
	    fail "summary: $stderr"
	runs zcheck-chain -t 20170904000000 -D "$anchors" "$root"
	assert_equal "$status" 1
	assert_line --index 0 --partial ". RRSIG NS: key 15768/8: expired at 20170903050000, before now (20170904000000)"
	runs zcheck-chain -t 20170820000000 -D "$anchors" "$root"
	assert_equal "$status" 1
	assert_line --partial "not yet valid: inception 20170821040000"
	# KSK-2017 (20326) is published but does not sign yet: from its DS
	# alone the DNSKEY RRset does not validate.
	sed -n 2p "$anchors" > ksk2017.ds
	runs zcheck-chain -t 20170825000000 -D ksk2017.ds "$root"
	assert_equal "$status" 1
	assert_output "zcheck-chain: ksk2017.ds:1: $root: . DNSKEY: does not validate from this DS set: no valid signature over it by the keys its DS records name (20326/8) (G2, RFC 4035 section 5.2)"
	run ldns-verify-zone -t 20170825000000 -k ksk2017.ds "$root"
	assert_failure
}

@test "zcheck-chain: uri.arpa, inside and outside its window, both layouts" {
	dir=$REAL/uri.arpa-2018100702
	for z in uri.arpa.zone uri.arpa.oneline.zone; do
		runs zcheck-chain -t 20210201000000 -D "$dir/uri.arpa.ds-computed" \
		    "$dir/$z"
		assert_success
		# Three RSA keys and two signatures: 1329 octets, as nsd
		# answers (measured with dig +dnssec DNSKEY).
		assert_line --regexp "^zcheck-chain: warning: $dir/$z:[0-9]+: uri.arpa. DNSKEY: the DNSKEY answer is 1329 octets, above 1232 \(G10\)$"
		# Its ZSK is of 1024 bits: a warning, not a failure.
		assert_line --regexp "^zcheck-chain: warning: $dir/$z:[0-9]+: uri.arpa. DNSKEY: key 37444/8: RSA modulus of 1024 bits, under 2048: too weak to sign with \(NIST SP 800-131A\)$"
		assert_equal "${#lines[@]}" 2
		runs zcheck-chain -t 20210301000000 -D "$dir/uri.arpa.ds-computed" \
		    "$dir/$z"
		assert_equal "$status" 1
		assert_line --partial "expired at 20210217232440"
	done
	# Both layouts at once: the same zone, as two operators' copies.
	runs zcheck-chain -t 20210201000000 -D "$dir/uri.arpa.ds-computed" \
	    "$dir/uri.arpa.zone" "$dir/uri.arpa.oneline.zone"
	assert_success
}

# RFC 5011 section 2.1: a revoked key serves only to announce its own
# revocation, by its signature over the DNSKEY RRset.  A KSK rollover by
# revocation (the revoked KSK and the new one both sign the DNSKEY
# RRset, dnssec-signzone) is valid from the new KSK's DS; a DS naming
# only the revoked key validates nothing; data signed only by a revoked
# key (ldns-signzone signs with whatever it is given) is not signed, as
# dnssec-verify says too (ldns-verify-zone and kzonecheck miss it).
@test "zcheck-chain: RFC 5011 revoked keys: a rollover is valid, a revoked key validates nothing" {
	cd "$BATS_TEST_TMPDIR"
	local k1 k2 z r b=$ZC/base.zone
	k1=$(dnssec-keygen -q -K . -a ECDSAP256SHA256 -f KSK example)
	k2=$(dnssec-keygen -q -K . -a ECDSAP256SHA256 -f KSK example)
	z=$(dnssec-keygen -q -K . -a ECDSAP256SHA256 example)
	r=$(dnssec-revoke -K . -r "$k1")
	cat "$b" "$r.key" "$k2.key" "$z.key" > in.zone
	dnssec-signzone -q -x -N keep -s "$ZC_START" -e "$ZC_END" -o example \
	    -f roll.signed -3 - -A in.zone "$r" "$k2" "$z" > /dev/null
	[ "$(grep -c "RRSIG	DNSKEY" <(zcanon roll.signed))" -eq 2 ]
	dnssec-dsfromkey -2 "$k2.key" > new.ds
	runs zcheck-chain -t "$ZC_NOW" -D new.ds roll.signed
	assert_success
	assert_output ""
	ldns-key2ds -n -2 "$r.key" > revoked.ds
	runs zcheck-chain -t "$ZC_NOW" -D revoked.ds roll.signed
	assert_equal "$status" 1
	assert_output --partial "does not validate from this DS set: no valid signature over it by the keys its DS records name ($((10#${r##*+}))/13)"
	# The data signed by a revoked ZSK only.
	r=$(dnssec-revoke -K . -r "$z" 2> /dev/null)
	ldns-signzone -n -s '' -t 0 -i "$ZC_START" -e "$ZC_END" -o example \
	    -f data.signed "$b" "$k2" "$r"
	runs zcheck-chain -t "$ZC_NOW" data.signed
	assert_equal "$status" 1
	assert_line --regexp "^zcheck-chain: data\\.signed:[0-9]+: example\\. RRSIG SOA: key [0-9]+/13: made by a revoked key, which validates nothing \\(RFC 5011 section 2\\.1\\)$"
	assert_line --regexp "^zcheck-chain: data\\.signed:[0-9]+: example\\. SOA: no valid signature by a key of algorithm 13 of the DNSKEY RRset \\(G1, RFC 4035 section 2\\.2\\)$"
	run dnssec-verify -q -o example data.signed
	assert_failure
}
