#!/usr/bin/env bats
# zresign with keys in a token (PKCS #11, SoftHSM2): KSK and ZSK named
# by URI (RFC 7512) or by BIND key files whose private part is a token's
# label, algorithms 8, 13 and 15; the zones are accepted by
# ldns-verify-zone, dnssec-verify and kzonecheck.  The step-2a signature
# exchange is made with A's KSK imported in a token.  ECDSA signatures
# from a token are random (the token draws k): the tests check what
# validates, not bytes.

load helper
load pkcs11

FULL=$DATA/zresign/full.zone
T="-t 20261201000000 -i 20200101000000 -e 20380101000000"

setup() {
	hsm_setup
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
}

oracles() {
	local z=$1 csk=${2:-} bad=
	ldns-verify-zone "$z" > ldns.out 2>&1 ||
		bad="$bad ldns-verify-zone:$(tail -3 ldns.out)"
	dnssec-verify -q $csk -o example. "$z" > bind.out 2>&1 ||
		bad="$bad dnssec-verify:$(tail -3 bind.out)"
	kzonecheck -o example. -d on "$z" > knot.out 2>&1 ||
		bad="$bad kzonecheck:$(tail -3 knot.out)"
	[ -z "$bad" ] || fail "$z refused by$bad"
}

# sign_in_token TYPE: a KSK and a ZSK of that key type made in a token,
# the full zone signed with NSEC and with NSEC3 opt-out, each output
# checked by the oracles; prints the algorithm's DNSKEYs.
sign_in_token() {
	hsm_token dns
	hsm_keygen dns ksk 01 "$1"
	hsm_keygen dns zsk 02 "$1"
	local mode out
	for mode in nsec -A; do
		[ "$mode" = nsec ] && mode=
		out=$BATS_TEST_TMPDIR/full$mode.zone
		runs zresign $T -q $mode -p "$HSM/pin" -K "$(uri dns ksk)" \
			-Z "$(uri dns zsk)" -o "$out" "$FULL"
		assert_success
		assert_output ""
		oracles "$out"
	done
}

@test "pkcs11: ECDSAP256SHA256 (13): KSK and ZSK in a token, NSEC and NSEC3 opt-out, three validators" {
	sign_in_token EC:prime256v1
	run grep -c 'DNSKEY.* 13 ' "$BATS_TEST_TMPDIR/full.zone"
	[ "$output" -ge 3 ]
}

@test "pkcs11: RSASHA256 (8): KSK and ZSK in a token, three validators" {
	sign_in_token rsa:2048
	grep -q 'IN	DNSKEY	257 3 8 ' "$BATS_TEST_TMPDIR/full.zone"
	grep -q 'IN	DNSKEY	256 3 8 ' "$BATS_TEST_TMPDIR/full.zone"
}

@test "pkcs11: ED25519 (15): KSK and ZSK in a token, three validators" {
	sign_in_token EC:edwards25519
	grep -q 'IN	DNSKEY	257 3 15 ' "$BATS_TEST_TMPDIR/full.zone"
}

@test "pkcs11: the PIN from an environment variable named by -p, or from pin-source in the URI; p11-kit's proxy module by default" {
	hsm_token dns
	hsm_keygen dns csk 01 EC:prime256v1
	MYPIN=$HSM_PIN runs zresign $T -p env:MYPIN -C "$(uri dns csk)" \
		-o a.zone example.zone
	assert_success
	runs zresign $T -C "$(uri dns csk "pin-source=$HSM/pin")" -o b.zone \
		example.zone
	assert_success
	runs zresign $T -p "$HSM/pin" -C "pkcs11:token=dns;object=csk" \
		-o c.zone example.zone
	assert_success
	local z
	for z in a b c; do
		ldns-verify-zone $z.zone > /dev/null
		kzonecheck -o example. -d on $z.zone
	done
	# The same key, the same DNSKEY each time.
	diff <(grep 'IN	DNSKEY' a.zone) <(grep 'IN	DNSKEY' c.zone)
}

@test "pkcs11: BIND key files whose private part is the token's label (Label: pkcs11:...)" {
	hsm_token tld-a
	hsm_import_p256 tld-a ksk-a 5021 Kexample.+013+05021.private
	hsm_import_p256 tld-a zsk-a 4024 Kexample.+013+40244.private
	local k
	for k in Kexample.+013+05021:ksk-a Kexample.+013+40244:zsk-a; do
		mkdir -p hsm-keys
		cp "${k%%:*}.key" hsm-keys/
		printf 'Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nLabel: %s\n' \
			"$(uri tld-a "${k#*:}" "pin-source=$HSM/pin")" \
			> "hsm-keys/${k%%:*}.private"
	done
	runs zresign $T -k hsm-keys/Kexample.+013+05021 \
		-k hsm-keys/Kexample.+013+40244 -o a.zone example.zone
	assert_success
	oracles a.zone
	grep -q 'RRSIG	DNSKEY 13 1 3600 20380101000000 20200101000000 5021 example. ' a.zone
	grep -q 'RRSIG	SOA 13 1 3600 20380101000000 20200101000000 40244 example. ' a.zone
	# The same keys from their files sign the same RRsets.
	runs zresign $T -k Kexample.+013+05021 -k Kexample.+013+40244 \
		-o f.zone example.zone
	assert_success
	diff <(grep -v RRSIG a.zone) <(grep -v RRSIG f.zone)
}

# One P-256 key in 256 has a private scalar under 2^248, which BIND
# writes in 31 octets (t/data/zresign/keys/keys.txt, zsk-13-short): it
# signs from its file, and the key imported into a token (the scalar
# padded back to 32 octets, p256_scalar) signs as the same DNSKEY.
@test "pkcs11: a P-256 key whose private scalar BIND wrote in 31 octets signs from its file and from a token" {
	local k=$DATA/zresign/keys/Kexample.+013+14775
	[ "$(sed -n 's/^PrivateKey: //p' "$k.private" | base64 -d | wc -c)" = 31 ]
	runs zresign $T -k "$k" -o f.zone example.zone
	assert_success
	grep -q 'RRSIG	SOA 13 1 3600 20380101000000 20200101000000 14775 example. ' f.zone
	ldns-verify-zone f.zone
	hsm_token dns
	hsm_import_p256 dns zsk 01 "$k.private"
	runs zresign $T -p "$HSM/pin" -k "$(uri dns zsk)" -o t.zone f.zone
	assert_success
	grep -q 'RRSIG	SOA 13 1 3600 20380101000000 20200101000000 14775 example. ' t.zone
	ldns-verify-zone t.zone
	diff <(grep -v RRSIG f.zone) <(grep -v RRSIG t.zone)
}

@test "pkcs11: step 2a with KSK_A in a token: the merged four-key DNSKEY RRset signed by it, B's zone validates with the exchanged signature" {
	hsm_token tld-a
	hsm_import_p256 tld-a ksk-a 5021 Kexample.+013+05021.private
	zmerge-dnskey -k Kexample.+013+05021.key -k Kexample.+013+40244.key \
		-k Kexample.+013+62651.key -k Kexample.+013+48585.key \
		example.zone > merged.zone
	# A signs with KSK_A in the token (a URI alone: the zone's DNSKEY of
	# that key gives its flags) and ZSK_A from its file.
	runs zresign -t 20261202000000 -p "$HSM/pin" -k "$(uri tld-a ksk-a)" \
		-k Kexample.+013+40244 -o a.signed merged.zone
	assert_success
	grep -q 'RRSIG	DNSKEY 13 1 3600 [0-9]* [0-9]* 5021 example. ' a.signed
	# Its signature over the DNSKEY RRset goes to B, which keeps it.
	awk '$4 == "DNSKEY" || ($4 == "RRSIG" && $5 == "DNSKEY")' a.signed \
		> a-token.frag
	zmerge-dnskey -f a-token.frag merged.zone > b.zone
	runs zresign -A -t 20261202000000 -k Kexample.+013+62651 \
		-k Kexample.+013+48585 -o b.signed b.zone
	assert_success
	grep -q 'RRSIG	DNSKEY 13 1 3600 [0-9]* [0-9]* 5021 example. ' b.signed
	grep -q 'RRSIG	DNSKEY 13 1 3600 [0-9]* [0-9]* 62651 example. ' b.signed
	ldns-verify-zone -t 20261202010000 a.signed
	ldns-verify-zone -t 20261202010000 b.signed
	kzonecheck -o example. -d on -t "$(date -u -d '2026-12-02 01:00' +%s)" \
		b.signed
	# With the DNSKEY of 05021 as the only trust anchor, B's zone
	# validates: the exchanged signature made in the token is good.
	grep -h 'DNSKEY' Kexample.+013+05021.key > ta.key
	ldns-verify-zone -k ta.key -t 20261202010000 b.signed
}

# What zresign asks of the token, as OpenSC's pkcs11-spy module logs it
# between zresign and SoftHSM: one session per key to find it and keep
# the login, one more per thread and key for signing (PKCS #11 sessions
# are not shared between threads), one C_Sign per signature made; and
# of the key objects only what names them and their public halves:
# never a private value (CKA_VALUE, CKA_PRIVATE_EXPONENT, the primes),
# and no attribute is changed (no C_SetAttributeValue), so a key that is
# not extractable stays so.
@test "pkcs11: one session per thread and key, one C_Sign per signature, no private attribute asked for" {
	local spy=/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so
	[ -r "$spy" ] || fail "no $spy (opensc-pkcs11)"
	hsm_token dns
	hsm_keygen dns ksk 01 rsa:2048
	hsm_keygen dns zsk 02 EC:prime256v1
	PKCS11SPY=$SOFTHSM_MODULE PKCS11SPY_OUTPUT=$PWD/spy.log \
		runs zresign $T -v -T 2 -p "$HSM/pin" \
		-K "pkcs11:token=dns;object=ksk?module-path=$spy" \
		-Z "pkcs11:token=dns;object=zsk?module-path=$spy" \
		-o out.zone example.zone
	assert_success
	ldns-verify-zone out.zone > /dev/null
	local made
	made=$(sed -n 's/.*RRsets signed: \([0-9]*\) signatures made.*/\1/p' <<<"$stderr")
	[ "$made" -gt 5 ]
	assert_equal "$(grep -c '^[0-9]*: C_OpenSession$' spy.log)" 6
	assert_equal "$(grep -c '^[0-9]*: C_CloseSession$' spy.log)" 6
	assert_equal "$(grep -c '^[0-9]*: C_Sign$' spy.log)" "$made"
	run grep -E '^[0-9]*: C_(SetAttributeValue|CopyObject|WrapKey|DestroyObject|GenerateKey)' spy.log
	assert_failure
	# The attributes asked for, by name.
	run sh -c "grep -o 'CKA_[A-Z_0-9]*' spy.log | sort -u | tr '\n' ' '"
	assert_output 'CKA_CLASS CKA_EC_PARAMS CKA_EC_POINT CKA_ID CKA_KEY_TYPE CKA_LABEL CKA_MODULUS CKA_PUBLIC_EXPONENT CKA_SIGN '
}

@test "pkcs11: one module named by two paths (Debian's symbolic link) is initialised once" {
	hsm_token dns
	hsm_keygen dns ksk 01 EC:prime256v1
	hsm_keygen dns zsk 02 EC:prime256v1
	local other=/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so
	[ "$(readlink -f "$SOFTHSM_MODULE")" = "$other" ] ||
		fail "$SOFTHSM_MODULE is not a link to $other"
	runs zresign $T -p "$HSM/pin" -K "$(uri dns ksk)" \
		-Z "pkcs11:token=dns;object=zsk?module-path=$other" \
		-o out.zone example.zone
	assert_success
	ldns-verify-zone out.zone > /dev/null
}
