#!/usr/bin/env bats
# zcheck-chain across zones and DS sets: the view matrix of PROCEDURE.md
# at the steps of the migration, older versions still in caches (-c),
# the comparisons between operators (G3, G4, G5, G6, G9), signature
# headroom (G8), the DNSKEY answer size (G10); and the outputs: the
# list, -q, -v, -j JSON, -g Graphviz, standard input, and a verdict and
# order that do not depend on the number of threads.

load helper
load zcheck-chain

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	zc_keys
	local b=$ZC/base.zone i
	zc_sign a.zone "$b" "$KA $ZA" "$KA $ZA" -3 - -A
	# A's zone before step 2a: A's keys only, an older serial.
	sed 's/2026112801/2026112800/' "$b" > old.in
	zc_sign a-old.zone old.in "$KA $ZA" "$KA $ZA" -3 - -A
	# Step 2a: the keys of both, the DNSKEY signatures exchanged.
	zc_sign a2.zone "$b" "$KA $ZA $KB $ZB" "$KA $ZA $KB" -3 - -A
	zc_sign b2.zone "$b" "$KA $ZA $KB $ZB" "$KB $ZB $KA" -3 - -A
	# B one serial ahead; B with NSEC; B with its own name server.
	sed 's/2026112801/2026112802/' "$b" > serial.in
	zc_sign b2s.zone serial.in "$KA $ZA $KB $ZB" "$KB $ZB $KA" -3 - -A
	zc_sign b2n.zone "$b" "$KA $ZA $KB $ZB" "$KB $ZB $KA"
	{ cat "$b"; printf '@\tIN NS\tns1.nic-b.example.\n'
	  printf 'ns1.nic-b\tIN A\t203.0.113.1\n'; } > ns.in
	zc_sign b2ns.zone ns.in "$KA $ZA $KB $ZB" "$KB $ZB $KA" -3 - -A
	# A name server in the zone with no address.
	{ cat "$b"; printf '@\tIN NS\tns9.example.\n'; } > lame.in
	zc_sign lame.zone lame.in "$KA $ZA" "$KA $ZA" -3 - -A
	# B signs with RSA alone (a ZSK that signs everything).
	ZC_X= zc_sign r.zone "$b" "$K8" "$K8" -3 - -A -P
	# A DNSKEY RRset too big for 1232 octets: fourteen more keys.
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
		dnssec-keygen -q -K . -a ECDSAP256SHA256 example > /dev/null
	done
	zc_sign big.zone "$b" "$KA $ZA $(ls Kexample.+013+*.key |
	    grep -v -e 05021 -e 40244 -e 62651 -e 48585 | sed 's/\.key$//')" \
	    "$KA $ZA" -3 - -A
	zc_ds "$KA" > ds-a.ds
	zc_ds "$KB" > ds-b.ds
	zc_ds "$KA" "$KB" > ds-ab.ds
	# A zone of 2000 delegations, for the threads.
	{ cat "$b"
	  awk 'BEGIN { for (i = 0; i < 2000; i++) {
	      printf "d%d\tIN NS\tns1.provider.net.\n", i
	      if (i % 5 == 0) printf "d%d\tIN DS\t%d 13 2 %064d\n", i, i, i
	      printf "h%d\tIN A\t192.0.2.%d\n", i, i % 250 } }'; } > many.in
	zc_sign many.zone many.in "$KA $ZA" "$KA $ZA" -3 - -A
}

setup() {
	cd "$BATS_FILE_TMPDIR" || return 1
}

# As in the corpus: the status and the list against the golden file.
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

@test "zcheck-chain: step 2a, every view from DS_A, DS_B and both" {
	check good 0 -D ds-a.ds -D ds-b.ds -D ds-ab.ds a2.zone b2.zone
	# The old version of A, with A's keys only, still cached: its
	# DNSKEY RRset lacks ZSK_B, so B's data does not validate with it.
	check view-old 1 -D ds-a.ds -h a-old.zone a2.zone b2.zone
}

@test "zcheck-chain: -h older versions: serial below the current (G5)" {
	check good 0 -D ds-a.ds -h a2.zone b2s.zone
	check old-serial 1 -D ds-a.ds -h b2s.zone a2.zone
}

@test "zcheck-chain: unsigned data differs (G4), but for a record -x exempts" {
	{ cat "$ZC/base.zone"; printf '_operator\tIN TXT\t"B"\n'; } > op.in
	zc_sign b2op.zone op.in "$KA $ZA $KB $ZB" "$KB $ZB $KA" -3 - -A
	runs zcheck-chain -t "$ZC_NOW" -D ds-a.ds a2.zone b2op.zone
	assert_equal "$status" 1
	assert_output "zcheck-chain: b2op.zone:30: _operator.example. TXT: '\"B\"' is not in a2.zone (G4)"
	check good 0 -x _operator.example./TXT -D ds-a.ds a2.zone b2op.zone
	check good 0 -x _operator -D ds-a.ds a2.zone b2op.zone
	runs zcheck-chain -t "$ZC_NOW" -x _operator/A -D ds-a.ds a2.zone \
	    b2op.zone
	assert_equal "$status" 1
}

@test "zcheck-chain: serials differ between operators (G5)" {
	check g5 1 -D ds-a.ds a2.zone b2s.zone
}

@test "zcheck-chain: algorithms differ (G3)" {
	check g3 1 -D ds-a.ds a.zone r.zone
}

@test "zcheck-chain: NSEC3 parameters differ (G6)" {
	check g6 1 -D ds-a.ds a2.zone b2n.zone
}

@test "zcheck-chain: apex NS differ (G9), and a name server without address" {
	check g9 1 -D ds-a.ds a2.zone b2ns.zone
	check g9-lame 1 -D ds-a.ds lame.zone
}

@test "zcheck-chain: signature headroom (G8)" {
	check good 0 -w 3000d -D ds-a.ds a2.zone b2.zone
	check g8 1 -w 3653d -D ds-a.ds a2.zone b2.zone
	# Older versions are not held to it: they leave caches first.
	check g8-old 1 -w 3653d -D ds-a.ds -h a2.zone -h b2.zone b2s.zone
	# A wait already over counts as none.
	check good 0 -w -86400 -D ds-a.ds a2.zone
}

@test "zcheck-chain: the DNSKEY answer size (G10)" {
	check g10-warn 0 -D ds-a.ds big.zone
	check g10 1 -l 1000 -D ds-a.ds big.zone
	check good 0 -l 1500 -D ds-a.ds big.zone
}

@test "zcheck-chain: DS of unsupported algorithms or digests: insecure, not bogus" {
	# GOST digests (type 3) and ECC-GOST keys (algorithm 12): a
	# validator skips them (RFC 4035 section 5.2, RFC 6840 section 5.2).
	printf 'example. IN DS 5021 13 3 %064d\nexample. IN DS 5021 12 2 %064d\n' \
	    0 0 > ds-gost.ds
	check ds-insecure 0 -D ds-gost.ds a.zone
	# With a usable DS next to them, that one decides.
	cat ds-gost.ds ds-a.ds > ds-mixed.ds
	check ds-mixed 0 -D ds-mixed.ds a.zone
	# SHA-1 next to SHA-256: the SHA-1 DS is ignored (RFC 4509 section 3).
	{ dnssec-dsfromkey -1 "$KB.key"; cat ds-a.ds; } > ds-sha1.ds
	check ds-sha1 0 -D ds-sha1.ds a.zone
	dnssec-dsfromkey -1 "$KA.key" > ds-sha1-only.ds
	check good 0 -D ds-sha1-only.ds a.zone
}

@test "zcheck-chain: -q says nothing, -v sums up on standard error" {
	zc_flip www.example. A < a.zone > flip.zone
	runs zcheck-chain -q -t "$ZC_NOW" -D ds-a.ds flip.zone
	assert_equal "$status" 1
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	runs zcheck-chain -v -t "$ZC_NOW" -D ds-a.ds a.zone
	assert_success
	assert_output ""
	assert_equal "$stderr" "zcheck-chain: a.zone: serial 2026112801, \
59 records, 22 RRsets signed, 22 of 22 RRSIGs valid, earliest expiration \
20360101000000, DNSKEY answer 299 octets
zcheck-chain: 0 problems, 0 warnings"
}

@test "zcheck-chain: the zone on standard input, as no operand and as -" {
	zc_flip www.example. A < a.zone > flip.zone
	runs zcheck-chain -t "$ZC_NOW" -D ds-a.ds < a.zone
	assert_success
	assert_output ""
	runs zcheck-chain -t "$ZC_NOW" -D ds-a.ds - < flip.zone
	assert_equal "$status" 1
	assert_line --index 0 --partial "zcheck-chain: <stdin>:58: www.example. RRSIG A: key 40244/13: the signature does not verify"
	# A DS set on standard input.
	runs zcheck-chain -t "$ZC_NOW" -D - a.zone < ds-a.ds
	assert_success
}

@test "zcheck-chain: the verdict and the order do not depend on threads" {
	# Flip a character in every 97th line's signature, drop a
	# signature: problems all over the zone, for every thread.
	awk 'BEGIN { FS = OFS = "\t" }
	    $4 == "RRSIG" && (NR % 97 == 0) {
	        n = split($5, f, " "); c = substr(f[n], 20, 1)
	        f[n] = substr(f[n], 1, 19) (c == "Q" ? "R" : "Q") substr(f[n], 21)
	        $5 = f[1]; for (i = 2; i <= n; i++) $5 = $5 " " f[i] }
	    $1 == "h77.example." && $4 == "RRSIG" { next }
	    { print }' many.zone > many-broken.zone
	runs zcheck-chain -T 1 -t "$ZC_NOW" -D ds-a.ds many-broken.zone
	assert_equal "$status" 1
	one=$output
	[ "$(printf '%s\n' "$one" | wc -l)" -gt 40 ] || fail "too few: $one"
	assert_line --partial "h77.example. A: no RRSIG"
	for t in 2 3 8; do
		runs zcheck-chain -T "$t" -t "$ZC_NOW" -D ds-a.ds many-broken.zone
		assert_equal "$status" 1
		assert_equal "$output" "$one"
	done
	runs zcheck-chain -T 4 -t "$ZC_NOW" -D ds-a.ds many.zone
	assert_success
}

@test "zcheck-chain: -j writes the findings and the views as JSON" {
	zc_drop_sig example. DNSKEY 5021 < b2.zone > b2-noexch.zone
	runs zcheck-chain -j -t "$ZC_NOW" -D ds-a.ds -D ds-b.ds a2.zone \
	    b2-noexch.zone
	assert_equal "$status" 1
	assert_equal "$stderr" ""
	printf '%s\n' "$output" > out.json
	run jq -r '.verdict, .problems, (.findings | length),
	    (.ds_sets[0].views | map(.zone + "=" + .result) | join(" ")),
	    (.ds_sets[1].views | map(.zone + "=" + .result) | join(" ")),
	    (.findings[0] | .severity + " " + .check + " " + .zone + " " +
	        .file + " " + (.line | tostring) + " " + .owner + " " + .type),
	    (.zones[1].keys | map(select(.signs_dnskey)) | map(.tag) |
	        join(" ")),
	    .zones[0].denial.nsec3param' out.json
	assert_success
	assert_output "invalid
1
1
a2.zone=valid b2-noexch.zone=bogus
a2.zone=valid b2-noexch.zone=valid
problem G2 b2-noexch.zone ds-a.ds 1 example. DNSKEY
62651
1 0 0 -"
	runs zcheck-chain -j -t "$ZC_NOW" -D ds-a.ds a.zone
	assert_success
	run jq -r '.verdict, .zones[0].valid_signatures, .views[0].valid' \
	    <<< "$output"
	assert_output "valid
22
true"
}

@test "zcheck-chain: -G draws the chain of trust, failing edges in red" {
	zc_drop_sig example. DNSKEY 5021 < b2.zone > b2-noexch.zone
	runs zcheck-chain -G -t "$ZC_NOW" -D ds-a.ds a2.zone b2-noexch.zone
	assert_equal "$status" 1
	assert_equal "$stderr" ""
	assert_line --index 0 'digraph "zcheck-chain" {'
	assert_line --index -1 '}'
	assert_line --partial 'subgraph cluster_d0 {'
	assert_line --partial 'label="a2.zone (serial 2026112801)";'
	dot=$output
	# DS_A names KSK_A in both zones; only in A's does it sign.
	run grep -c -- '-> z[01]_k[0-9]* \[color=red\];' <<< "$dot"
	assert_output 1
	run grep -c -- '-> z[01]_dnskey \[label="signs"\];' <<< "$dot"
	assert_output 3
	if command -v dot > /dev/null; then
		printf '%s\n' "$dot" | dot -Tsvg > chain.svg
		grep -q '<svg' chain.svg || fail "dot drew nothing"
	fi
	runs zcheck-chain -G -t "$ZC_NOW" -D ds-a.ds a.zone b2.zone
	assert_line --partial 'z0_dnskey -> z1_data [color=red, label="21 RRsets do not validate"];'
	assert_line --partial 'z1_dnskey -> z0_data [color=gray, style=dashed, label="validates"];'
}
