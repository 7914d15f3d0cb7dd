#!/usr/bin/env bats
# ds-from-dnskey against the other tools: keys made by dnssec-keygen
# (BIND) and ldns-keygen (ldns) in this run must give the DS records
# dnssec-dsfromkey and ldns-key2ds give, compared field by field (the
# tools differ in TTL and in the case of the hex digest); and the real
# zones must give the DS records published for them.

load helper

setup_file() {
	local k a b
	K=$BATS_FILE_TMPDIR/keys
	mkdir -p "$K"
	# RSA at 1024 bits keeps generation fast; the size does not matter
	# to the digest.
	for a in RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384 \
	    ED25519 ED448; do
		b=
		case $a in RSA*) b="-b 1024" ;; esac
		dnssec-keygen -q -K "$K" -a $a $b -f KSK bind.test > /dev/null
		(cd "$K" && ldns-keygen -a $a $b -k ldns.test > /dev/null)
	done
	dnssec-keygen -q -K "$K" -a ECDSAP256SHA256 bind.test > /dev/null
	rm -f "$K"/*.ds
	export K
}

# "owner class type tag alg digest-type digest", lower case, whatever
# the tool's layout.
fields() {
	awk '{
		for (i = 2; i <= NF; i++)
			if ($i == "DS" || $i == "CDS")
				break
		print tolower($1), $(i - 1), $i, $(i + 1), $(i + 2),
		    $(i + 3), tolower($(i + 4))
	}'
}

@test "dnssec-keygen keys, algorithms 8 10 13 14 15 16: same DS as dnssec-dsfromkey -1, -2, SHA-384" {
	local k n=0
	for k in "$K"/Kbind.test.*.key; do
		grep -q ' 257 3 ' "$k" || continue
		n=$((n + 1))
		runs ds-from-dnskey "${k%.key}"
		assert_success
		assert_equal "$(fields <<<"$output")" "$(dnssec-dsfromkey -2 "$k" | fields)"
		runs ds-from-dnskey -q -1 "${k%.key}.private"
		assert_success
		assert_equal "$(fields <<<"$output")" "$(dnssec-dsfromkey -1 "$k" 2>/dev/null | fields)"
		runs ds-from-dnskey -4 "$k"
		assert_success
		assert_equal "$(fields <<<"$output")" "$(dnssec-dsfromkey -a SHA-384 "$k" | fields)"
	done
	assert_equal "$n" 6
}

@test "dnssec-keygen keys: same DS as ldns-key2ds -n -2, and -4" {
	local k
	for k in "$K"/Kbind.test.*.key; do
		grep -q ' 257 3 ' "$k" || continue
		runs ds-from-dnskey "$k"
		assert_success
		assert_equal "$(fields <<<"$output")" "$(ldns-key2ds -n -2 "$k" | fields)"
		runs ds-from-dnskey -4 "$k"
		assert_equal "$(fields <<<"$output")" "$(ldns-key2ds -n -4 "$k" | fields)"
	done
}

@test "ldns-keygen keys, algorithms 8 10 13 14 15 16: private keys match, same DS as ldns-key2ds and dnssec-dsfromkey" {
	local k n=0
	for k in "$K"/Kldns.test.*.key; do
		n=$((n + 1))
		runs ds-from-dnskey "${k%.key}"
		assert_success
		assert_equal "$(fields <<<"$output")" "$(ldns-key2ds -n -2 "$k" | fields)"
		assert_equal "$(fields <<<"$output")" "$(dnssec-dsfromkey -2 "$k" | fields)"
		runs ds-from-dnskey -q -1 "${k%.key}.private"
		assert_success
		assert_equal "$(fields <<<"$output")" "$(ldns-key2ds -n -1 "$k" | fields)"
	done
	assert_equal "$n" 6
}

@test "all keys at once from standard input: same DS set as dnssec-dsfromkey -f, with and without -a" {
	# dnssec-keygen writes no TTL; dnssec-dsfromkey -f wants one.
	{ echo '$TTL 3600'; cat "$K"/Kbind.test.*.key; } > "$BATS_TEST_TMPDIR/bind.zone"
	runs ds-from-dnskey < "$BATS_TEST_TMPDIR/bind.zone"
	assert_success
	assert_equal "${#lines[@]}" 6
	assert_equal "$(fields <<<"$output" | sort)" \
		"$(dnssec-dsfromkey -2 -f "$BATS_TEST_TMPDIR/bind.zone" bind.test. | fields | sort)"
	runs ds-from-dnskey -a -4 - < "$BATS_TEST_TMPDIR/bind.zone"
	assert_success
	assert_equal "${#lines[@]}" 7
	assert_equal "$(fields <<<"$output" | sort)" \
		"$(dnssec-dsfromkey -A -a SHA-384 -f "$BATS_TEST_TMPDIR/bind.zone" bind.test. | fields | sort)"
}

@test "the golden DS files agree with dnssec-dsfromkey" {
	local D=$DATA/ds-from-dnskey
	# dnssec-dsfromkey -f takes a key with the SEP bit but without the
	# zone-key bit; RFC 4034 section 2.1.1 says such a key must not be
	# used, so it is left out of what it is given.
	sed '/DNSKEY 1 3 13 (/,/)/d' "$D/keyset.zone" > "$BATS_TEST_TMPDIR/k.zone"
	[ "$(grep -c "IN DNSKEY" "$BATS_TEST_TMPDIR/k.zone")" = 4 ]
	assert_equal "$(fields < "$D/keyset.out")" \
		"$(dnssec-dsfromkey -2 -f "$BATS_TEST_TMPDIR/k.zone" Example. | fields | sort -k4,4n)"
	assert_equal "$(fields < "$D/keyset-sha1.out" | sort)" \
		"$(dnssec-dsfromkey -1 -2 -f "$BATS_TEST_TMPDIR/k.zone" Example. 2>/dev/null | fields | sort)"
	assert_equal "$(fields < "$D/keyset-a.out" | sort)" \
		"$(dnssec-dsfromkey -A -2 -f "$BATS_TEST_TMPDIR/k.zone" Example. | fields | sort)"
	assert_equal "$(fields < "$D/keyset-cds.out" | sort)" \
		"$(dnssec-dsfromkey -C -a SHA-384 -f "$BATS_TEST_TMPDIR/k.zone" Example. | fields | sort)"
}

@test "uri.arpa (RFC 8976 layout): the computed DS of both KSKs" {
	runs ds-from-dnskey "$REAL/uri.arpa-2018100702/uri.arpa.zone"
	assert_success
	assert_equal "$(fields <<<"$output" | sort)" \
		"$(fields < "$REAL/uri.arpa-2018100702/uri.arpa.ds-computed" | sort)"
	runs ds-from-dnskey -z uri.arpa. "$REAL/uri.arpa-2018100702/uri.arpa.oneline.zone"
	assert_success
	assert_equal "$(fields <<<"$output" | sort)" \
		"$(fields < "$REAL/uri.arpa-2018100702/uri.arpa.ds-computed" | sort)"
}

@test "the 2017 root zone: the root trust anchors of KSK-2010 (19036) and KSK-2017 (20326)" {
	runs ds-from-dnskey -z . "$(root_zone)"
	assert_success
	assert_output --regexp '^\.	172800	IN	DS	19036 8 2 '
	assert_equal "$(fields <<<"$output")" \
		"$(fields < "$REAL/root-2017082100/root-anchors.ds")"
}
