#!/usr/bin/env bats
# ds-from-dnskey with keys in a token (SoftHSM2): a key named by its
# PKCS #11 URI gives the DS of its public key, as the key's own files
# do; no PIN is needed to read a public key; a URI without -z has no
# owner and is refused.

load helper
load pkcs11

setup() {
	hsm_setup
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
	hsm_token tld-a
	hsm_import_p256 tld-a ksk-a 5021 Kexample.+013+05021.private
}

@test "ds-from-dnskey pkcs11: the DS of a key in a token is the DS of its key file, with no PIN" {
	runs ds-from-dnskey -z example. "$(uri tld-a ksk-a)"
	assert_success
	assert_equal "$stderr" ""
	local token=$output
	runs ds-from-dnskey Kexample.+013+05021.key
	assert_success
	assert_equal "$token" "$output"
	# With -k, SHA-384 and SHA-256, into a file.
	runs ds-from-dnskey -2 -4 -z example. -k "$(uri tld-a ksk-a)" -o ds.out
	assert_success
	diff ds.out <(ds-from-dnskey -2 -4 Kexample.+013+05021.key)
	# The Label: key file too, which only needs its .key here.
	mkdir k
	cp Kexample.+013+05021.key k/
	printf 'Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nLabel: %s\n' \
		"$(uri tld-a ksk-a)" > k/Kexample.+013+05021.private
	runs ds-from-dnskey k/Kexample.+013+05021
	assert_success
	assert_equal "$output" "$token"
}

@test "ds-from-dnskey pkcs11: refusals: no -z, no such object, no such token" {
	printf 'old\n' > ds.out
	runs ds-from-dnskey -o ds.out "$(uri tld-a ksk-a)"
	assert_trouble ds-from-dnskey 'a key named by its URI has no owner name: give the zone with -z$'
	runs ds-from-dnskey -z example. -o ds.out "$(uri tld-a nokey)"
	assert_trouble ds-from-dnskey '^ds-from-dnskey: token tld-a, object nokey: no such public key$'
	runs ds-from-dnskey -z example. -o ds.out "$(uri other ksk-a)"
	assert_trouble ds-from-dnskey '^ds-from-dnskey: token other: no such token'
	assert_equal "$(cat ds.out)" old
}

@test "ds-from-dnskey pkcs11: a public key object kept private is found with the URI's pin-source, and only so" {
	pkcs11-tool --module "$SOFTHSM_MODULE" --token-label tld-a --login \
		--pin "$HSM_PIN" --keypairgen --key-type EC:prime256v1 \
		--label hidden --id 07 --private > /dev/null 2>&1
	runs ds-from-dnskey -z example. "$(uri tld-a hidden)"
	assert_trouble ds-from-dnskey '^ds-from-dnskey: token tld-a, object hidden: no such public key$'
	runs ds-from-dnskey -z example. "$(uri tld-a hidden "pin-source=$HSM/pin")"
	assert_success
	assert_output --regexp '^example\.	3600	IN	DS	[0-9]+ 13 2 [0-9a-f]{64}$'
	[[ "$output$stderr" != *"$HSM_PIN"* ]] || fail "PIN shown"
}
