#!/usr/bin/env bats
# zmerge-dnskey -k with keys in a token (SoftHSM2): a key named by its
# PKCS #11 URI is merged, or removed with -r, as its key file is: its
# DNSKEY is the public key the token gives, with the flags of the
# zone's DNSKEY of that key, else 256.

load helper
load pkcs11

setup() {
	hsm_setup
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
	hsm_token tld-a
	hsm_import_p256 tld-a ksk-a 5021 Kexample.+013+05021.private
	hsm_import_p256 tld-a zsk-a 4024 Kexample.+013+40244.private
}

@test "zmerge-dnskey pkcs11: a ZSK in a token merges as its key file does; a KSK the zone has is removed by its URI" {
	zmerge-dnskey -k Kexample.+013+05021.key example.zone > base.zone
	runs zmerge-dnskey -k "$(uri tld-a zsk-a)" base.zone
	assert_success
	diff <(echo "$output") <(zmerge-dnskey -k Kexample.+013+40244.key base.zone)
	echo "$output" > merged.zone
	# Removal (-F: no KSK is left): the URI of the KSK finds the
	# zone's DNSKEY 257 of it.
	runs zmerge-dnskey -F -r -k "$(uri tld-a ksk-a)" merged.zone
	assert_success
	diff <(echo "$output") <(zmerge-dnskey -F -r -k Kexample.+013+05021.key merged.zone)
	[[ "$output" != *"DNSKEY	257 3 13"* ]] || fail "KSK still there"
}

@test "zmerge-dnskey pkcs11: no such object: exit 2, nothing written, -o intact" {
	printf 'old\n' > out.zone
	runs zmerge-dnskey -k "$(uri tld-a nokey)" -o out.zone example.zone
	assert_trouble zmerge-dnskey '^zmerge-dnskey: token tld-a, object nokey: no such public key$'
	assert_equal "$(cat out.zone)" old
}
