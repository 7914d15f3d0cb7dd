#!/usr/bin/env bats
# zcheck-chain against a corpus of broken zones, made here from good ones
# signed by BIND's dnssec-signzone (t/zcheck-chain.bash): each break is
# detected with the right message, and the whole list of findings is
# compared with t/data/zcheck-chain/CASE.out.  Where ldns-verify-zone,
# dnssec-verify or kzonecheck also decide the case, their verdict must
# agree; where they miss it, the test says so, and checks that they do.

load helper
load zcheck-chain

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	zc_keys
	local b=$ZC/base.zone
	# Operator A alone: NSEC3 with opt-out and no salt, and NSEC.
	zc_sign a.zone "$b" "$KA $ZA" "$KA $ZA" -3 - -A
	zc_sign a-nsec.zone "$b" "$KA $ZA" "$KA $ZA"
	# Operator B alone, with its own keys.
	zc_sign b.zone "$b" "$KB $ZB" "$KB $ZB" -3 - -A
	# The same zone signed long ago, and to be valid only in the future.
	ZC_START=20250101000000 ZC_END=20260101000000 \
	    zc_sign old.zone "$b" "$KA $ZA" "$KA $ZA" -3 - -A -P
	ZC_START=20300101000000 ZC_END=20310101000000 \
	    zc_sign future.zone "$b" "$KA $ZA" "$KA $ZA" -3 - -A -P
	# Step 2a: both operators publish {KSK_A, ZSK_A, KSK_B, ZSK_B}; each
	# signs its data with its own ZSK and its DNSKEY RRset with both
	# KSKs (the signature exchange).
	zc_sign a2.zone "$b" "$KA $ZA $KB $ZB" "$KA $ZA $KB" -3 - -A
	zc_sign b2.zone "$b" "$KA $ZA $KB $ZB" "$KB $ZB $KA" -3 - -A
	# B's copy with one more record than A's.
	{ cat "$b"; printf 'extra\tIN TXT\t"only at B"\n'; } > extra.in
	zc_sign b2x.zone extra.in "$KA $ZA $KB $ZB" "$KB $ZB $KA" -3 - -A
	# An RSA key in the DNSKEY RRset that signs nothing.
	zc_sign mixed.zone "$b" "$KA $ZA $K8" "$KA $ZA" -3 - -A
	zc_ds "$KA" > ds-a.ds
	zc_ds "$KB" > ds-b.ds
	zc_ds "$KA" "$KB" > ds-ab.ds
}

setup() {
	cd "$BATS_FILE_TMPDIR" || return 1
}

# check CASE STATUS [options and zones]: run zcheck-chain at the fixed
# time; its status and list of findings must be the expected ones.
# ZC_BLESS=1 writes the list as the expected one instead (review it!).
check() {
	local case=$1 want=$2
	shift 2
	runs zcheck-chain -t "$ZC_NOW" "$@"
	if [ -n "${ZC_BLESS:-}" ]; then
		printf '%s\n' "$output" > "$ZC/$case.out"
	fi
	assert_equal "$stderr" ""
	assert_equal "$output" "$(cat "$ZC/$case.out")"
	assert_equal "$status" "$want"
}

# The peers' verdicts on a zone, 0 valid or 1 not: ldns (from the DS
# set, at the fixed time), BIND (on the clock: the windows are years
# wide), Knot (at the fixed time).
peer_ldns() {
	ldns-verify-zone -t "$ZC_NOW" -k "${2:-ds-a.ds}" "$1" > /dev/null 2>&1
}

peer_bind() {
	dnssec-verify -q -x -o example "$1" > /dev/null 2>&1
}

peer_knot() {
	kzonecheck -o example. -d on -t "$ZC_NOW" "$1" > /dev/null 2>&1
}

# Every peer says zone is broken.
peers_reject() {
	run peer_ldns "$@"
	[ "$status" -ne 0 ] || fail "ldns-verify-zone accepts $1"
	run peer_bind "$@"
	[ "$status" -ne 0 ] || fail "dnssec-verify accepts $1"
	run peer_knot "$@"
	[ "$status" -ne 0 ] || fail "kzonecheck accepts $1"
}

@test "zcheck-chain: the good zones validate, and the peers agree" {
	for z in a.zone a-nsec.zone; do
		check good 0 -D ds-a.ds "$z"
		run peer_ldns "$z"
		assert_success
		run peer_bind "$z"
		assert_success
		run peer_knot "$z"
		assert_success
	done
	check good 0 -D ds-b.ds b.zone
	check good 0 -D ds-a.ds -D ds-b.ds -D ds-ab.ds a2.zone b2.zone
}

@test "zcheck-chain: a flipped signature byte" {
	zc_flip www.example. A < a.zone > flip.zone
	check flip 1 -D ds-a.ds flip.zone
	peers_reject flip.zone
}

@test "zcheck-chain: an expired and a not-yet-valid signature" {
	{ zc_drop_sig www.example. A < a.zone | zc_drop_sig mail.example. A
	  zc_sig www.example. A old.zone
	  zc_sig mail.example. A future.zone; } > times.zone
	check times 1 -D ds-a.ds times.zone
	# dnssec-verify reads the clock, the others take the time given.
	peers_reject times.zone
}

@test "zcheck-chain: a missing RRSIG" {
	zc_drop_sig www.example. AAAA < a.zone > nosig.zone
	check nosig 1 -D ds-a.ds nosig.zone
	peers_reject nosig.zone
}

@test "zcheck-chain: an RRSIG by a key not in the DNSKEY RRset" {
	{ cat a.zone; zc_sig www.example. A b.zone; } > foreign.zone
	check foreign 1 -D ds-a.ds foreign.zone
	# The peers miss it: A's own signature validates the RRset, and they
	# take a signature by an unknown key as merely useless.
	run peer_ldns foreign.zone
	assert_success
	run peer_bind foreign.zone
	assert_success
	run peer_knot foreign.zone
	assert_success
}

@test "zcheck-chain: a DS that matches no key: a warning, a problem with -u" {
	check ds-nokey 0 -D ds-ab.ds a.zone
	check ds-nokey-strict 1 -u -D ds-ab.ds a.zone
	# ldns-verify-zone needs one DS to chain, as resolvers do.
	run peer_ldns a.zone ds-ab.ds
	assert_success
}

@test "zcheck-chain: every DS lame" {
	check ds-lame 1 -D ds-b.ds a.zone
	run peer_ldns a.zone ds-b.ds
	assert_failure
	# dnssec-verify and kzonecheck take no DS set: they cannot see it.
}

@test "zcheck-chain: a missing NSEC3" {
	h=$(zc_hash www.example.)
	awk -v h="$h" -F '\t' '$1 != h' a.zone > nonsec3.zone
	check nonsec3 1 -D ds-a.ds nonsec3.zone
	peers_reject nonsec3.zone
}

@test "zcheck-chain: a wrong next hash" {
	h=$(zc_hash www.example.)
	awk -v h="$h" 'BEGIN { FS = OFS = "\t" }
	    $1 == h && $4 == "NSEC3" { sub(/ b39f/, " b39e", $5) } { print }' \
	    a.zone > nexthash.zone
	check nexthash 1 -D ds-a.ds nexthash.zone
	peers_reject nexthash.zone
}

@test "zcheck-chain: a wrong type bitmap, NSEC3 and NSEC" {
	h=$(zc_hash www.example.)
	awk -v h="$h" 'BEGIN { FS = OFS = "\t" }
	    $1 == h && $4 == "NSEC3" { sub(/ A AAAA RRSIG$/, " A RRSIG", $5) }
	    { print }' a.zone > bitmap.zone
	check bitmap 1 -D ds-a.ds bitmap.zone
	peers_reject bitmap.zone
	awk 'BEGIN { FS = OFS = "\t" }
	    $1 == "www.example." && $4 == "NSEC" { sub(/ AAAA/, "", $5) }
	    { print }' a-nsec.zone > bitmap-nsec.zone
	check bitmap-nsec 1 -D ds-a.ds bitmap-nsec.zone
	peers_reject bitmap-nsec.zone
}

@test "zcheck-chain: a missing NSEC" {
	awk -F '\t' '!($1 == "mail.example." && ($4 == "NSEC" ||
	    $5 ~ /^NSEC /))' a-nsec.zone > nonsec.zone
	check nonsec 1 -D ds-a.ds nonsec.zone
	peers_reject nonsec.zone
}

@test "zcheck-chain: a missing NSEC3 of an empty non-terminal" {
	h=$(zc_hash b.example.)
	awk -v h="$h" -F '\t' '$1 != h' a.zone > noent.zone
	check noent 1 -D ds-a.ds noent.zone
	# ldns-verify-zone and dnssec-verify catch the broken chain; so does
	# kzonecheck.
	peers_reject noent.zone
}

@test "zcheck-chain: an insecure delegation left out without opt-out" {
	# bravo.example. has no NSEC3 (opt-out); clear the flag on the
	# record that covers its hash.
	h=$(ldns-nsec3-hash -t 0 -s '' bravo.example. | tr -d .)
	cover=$(awk -F '\t' -v h="$h" '$4 == "NSEC3" {
	    split($1, o, "."); if (o[1] < h) c = $1 } END { print c }' a.zone)
	awk -v c="$cover" 'BEGIN { FS = OFS = "\t" }
	    $1 == c && $4 == "NSEC3" { sub(/^1 1 /, "1 0 ", $5) } { print }' \
	    a.zone > optout.zone
	check optout 1 -D ds-a.ds optout.zone
	peers_reject optout.zone
}

@test "zcheck-chain: a second NSEC3PARAM" {
	awk '{ print } $4 == "NSEC3PARAM" {
	    print "example.\t0\tIN\tNSEC3PARAM\t1 0 5 abcd" }' \
	    a.zone > param2.zone
	check param2 1 -D ds-a.ds param2.zone
	peers_reject param2.zone
}

@test "zcheck-chain: mixed algorithms with one unused" {
	check mixed 1 -D ds-a.ds mixed.zone
	# RFC 4035 section 2.2 wants every RRset signed by each algorithm of
	# the DNSKEY RRset; the peers miss it (BIND looks only at the
	# algorithms of self-signed KSKs, ldns and Knot at none).
	run peer_ldns mixed.zone
	assert_success
	run peer_bind mixed.zone
	assert_success
	run peer_knot mixed.zone
	assert_success
}

@test "zcheck-chain: TTLs differing within an RRset" {
	awk 'BEGIN { FS = OFS = "\t" }
	    $1 == "bravo.example." && $5 == "ns2.provider.net." { $2 = 7200 }
	    { print }' a.zone > ttl.zone
	check ttl 1 -D ds-a.ds ttl.zone
	# The peers miss it: none looks at the TTLs of unsigned delegation
	# data (RFC 2181 section 5.2 makes it an error).
	run peer_knot ttl.zone
	assert_success
	run peer_ldns ttl.zone
	assert_success
	run peer_bind ttl.zone
	assert_success
}

@test "zcheck-chain: a signed glue record and a signed delegation NS" {
	{ cat a.zone
	  zc_sig www.example. A a.zone |
	      sed 's/^www\.example\./ns1.nic-a.example./; s/A 13 2 /A 13 3 /'
	  zc_sig alpha.example. DS a.zone | sed 's/DS 13 2 86400/NS 13 2 86400/'
	} > glue.zone
	check glue 1 -D ds-a.ds glue.zone
	# ldns-verify-zone and kzonecheck see it; dnssec-verify misses it.
	run peer_ldns glue.zone
	assert_failure
	run peer_knot glue.zone
	assert_failure
	run peer_bind glue.zone
	assert_success
}

@test "zcheck-chain: two operators whose DNSKEY RRsets differ" {
	check twokeys 1 -D ds-a.ds a.zone b.zone
	# ldns-verify-zone sees B's zone fail from DS_A; the peers check
	# one zone at a time, so none sees A's keys fail B's data, and
	# each zone alone is good.
	run peer_ldns b.zone ds-a.ds
	assert_failure
	for z in a.zone b.zone; do
		run peer_bind "$z"
		assert_success
		run peer_knot "$z"
		assert_success
	done
}

@test "zcheck-chain: a missing exchanged DNSKEY signature" {
	zc_drop_sig example. DNSKEY 5021 < b2.zone > b2-noexch.zone
	check noexch 1 -D ds-a.ds a2.zone b2-noexch.zone
	# From B's own DS, B's zone alone is fine: only the view matrix
	# sees the resolver that holds DS_A and reaches B.
	check good 0 -D ds-b.ds b2-noexch.zone
	run peer_ldns b2-noexch.zone ds-a.ds
	assert_failure
	run peer_ldns b2-noexch.zone ds-b.ds
	assert_success
}

@test "zcheck-chain: unsigned data that differs between operators" {
	check g4 1 -D ds-a.ds a2.zone b2x.zone
	# Each zone is good on its own, as every peer says.
	run peer_ldns b2x.zone
	assert_success
	run peer_bind b2x.zone
	assert_success
	run peer_knot b2x.zone
	assert_success
}

# RFC 9077 section 3: NSEC3 TTLs longer than the lesser of the SOA's TTL
# and MINIMUM, as signers before it made them.  Every signer here makes
# them right, so the zone is put together from two signed by zresign at
# the same times: the SOA (TTL 60, MINIMUM 300) of one, the NSEC3
# records (TTL 300) of the other.  A warning, the zone stays valid, as
# the peers say.
@test "zcheck-chain: NSEC3 TTLs above the SOA's TTL and MINIMUM (RFC 9077)" {
	local t="-t $ZC_START -i $ZC_START -e $ZC_END" soa='^example\.	[0-9]+	IN	(SOA|RRSIG	SOA )'
	sed 's/^@	IN SOA/@	60 IN SOA/' "$ZC/base.zone" > soa60.in
	zresign -q -3 $t -k "$KA" -k "$ZA" -o soa60.zone soa60.in
	zresign -q -3 $t -k "$KA" -k "$ZA" -o soa3600.zone "$ZC/base.zone"
	{ grep -E "$soa" soa60.zone; grep -v -E "$soa" soa3600.zone; } > ttl9077.zone
	runs zcheck-chain -t "$ZC_NOW" -D ds-a.ds ttl9077.zone
	assert_success
	assert_output --regexp '^zcheck-chain: warning: ttl9077\.zone:[0-9]+: [0-9a-v]+\.example\. NSEC3: TTL 300 and others; the lesser of the SOA.s TTL and MINIMUM is 60 \([0-9]+ NSEC3 records differ\) \(RFC 9077 section 3\)$'
	# Each half on its own has its TTLs right.
	runs zcheck-chain -t "$ZC_NOW" -D ds-a.ds soa60.zone
	assert_success
	refute_output --partial 'RFC 9077'
	run peer_ldns ttl9077.zone ds-a.ds
	assert_success
}
