#!/usr/bin/env bats
# A's keys named by their PKCS #11 URIs (RFC 7512) on init -R a -k,
# with no key file of A's at all: the public keys read from the token
# (SoftHSM2, in the test's own directory) and matched with A's zone, the
# PIN from the file PKCS11_PIN_FILE names (its owner's alone) or from
# the URI's pin-source.  Step 2a's exchanged signature, KSK_A's over the
# four-key DNSKEY RRset, is made by the token through the URI (OpenSC's
# pkcs11-spy logs the C_Sign calls), and B, in its own directory, takes
# it from A's bundle and validates.  As t/0751, whose keys are BIND key
# files naming the token's keys.

load helper
load bero-migrate
load bero-roles
load pkcs11
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	export BERO_NOW=$T0
	roles_parties || return 1
	[ -z "$ZCS_SKIP" ] || return 0
	roles_conf 10 > parent.conf
}

teardown_file() {
	zcs_stop
}

# A's two keys imported into the token tld-a, then A's key files gone
# from the test's directory: A's keys are the token's and their URIs
# (through the spy module, which logs every call to spy.log).
setup() {
	zcs_load
	cd "$BATS_TEST_TMPDIR" || return 1
	export BERO_NOW=$T0
	cp -a "$BATS_FILE_TMPDIR"/src .
	cp "$BATS_FILE_TMPDIR"/parent.conf .
	hsm_spy_token tld-a src/akeys parent.conf
	KSK_A_TAG=$(ksk_tag src/akeys)
	mv src/akeys akeys.gone
}

# Through A's part of step 2a: A (keys by URI) and B in their own
# directories, B's keys at A confirmed by their DS digest.
through_2a_a() {
	local digest
	roles_run bero-migrate -d a init -R a -C "${CONF:-token.conf}" \
	    -k "$KSK_URI" -k "$ZSK_URI" -f src/a.signed > a.init ||
	    { cat a.init; return 1; }
	roles_run bero-migrate -d b init -R b -C parent.conf > /dev/null &&
	    bero-migrate -d a export 0 -o a0 > /dev/null &&
	    roles_run bero-migrate -d b import a0 > /dev/null &&
	    roles_run bero-migrate -d b step 1 > /dev/null &&
	    bero-migrate -d b export 1 -o b1 > /dev/null || return 1
	digest=$(awk -F '\t' '{ split($5, f, " "); print f[4] }' b/b/ds-b.txt)
	roles_run bero-migrate -d a import b1 -y "$digest" > /dev/null
}

@test "A's keys by PKCS #11 URI: init -R a -k URI -k URI, the DNSKEYs from the token and A's zone; step 2a's KSK_A signature made by the token; B takes it from A's bundle" {
	through_2a_a
	grep -qx 'A_SIGNER=berokit' a/config
	# The keys kept: the token's public keys, with the flags and TTL of
	# A's zone, under the names BIND gives them; no private key value.
	assert_equal "$(ds-from-dnskey -a -2 a/keys/a/*.key)" \
	    "$(ds-from-dnskey -a -2 akeys.gone/*.key)"
	assert_equal "$(cd a/keys/a && ls *.key)" "$(cd akeys.gone && ls *.key)"
	run grep -rlE 'PrivateKey|PrivateExponent' a
	assert_failure
	grep -qxF "Label: $KSK_URI" a/keys/a/K*+"$(printf %05d "$KSK_A_TAG")".private
	# The DS A's keys give is the one the parent serves.
	assert_equal "$(cat a/keys/a/*.key | ds-from-dnskey -q -2 | cut -f5)" \
	    "$(cut -f5 src/ds-a)"
	local before
	before=$(grep -c '^[0-9]*: C_Sign$' spy.log || true)
	BERO_NOW=$((T0 + 60)) runs roles_run bero-migrate -d a step 2a
	assert_success
	assert_output --partial "-p $HSM/pin"
	assert_output --partial "step 2a: every check passed"
	# The token signed: its C_Sign calls, and KSK_A's signature over
	# the DNSKEY RRset of A's and B's keys in what A publishes.
	[ "$(grep -c '^[0-9]*: C_Sign$' spy.log)" -gt "${before:-0}" ]
	[[ " $(dnskey_sigs a/published/a/example.zone) " == *" $KSK_A_TAG "* ]]
	assert_equal "$(awk -F '\t' '$1 == "example." && $4 == "DNSKEY"' \
	    a/published/a/example.zone | wc -l)" 4
	ldns-verify-zone -t 20261202000000 a/published/a/example.zone > /dev/null
	# The PIN is in no file of any party's directory, and in no output.
	run grep -rlF "$HSM_PIN" a b a.init
	assert_failure
	bero-migrate -d a export 2a -o a2a > /dev/null
	run grep -rlF "$HSM_PIN" a2a
	assert_failure
	roles_run bero-migrate -d b import a2a > /dev/null
	BERO_NOW=$((T0 + 120)) runs roles_run bero-migrate -d b step 2a
	assert_success
	assert_output --partial "step 2a: every check passed"
	[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $KSK_A_TAG "* ]]
	[[ "$output$stderr" != *"$HSM_PIN"* ]]
	run grep -rlF "$HSM_PIN" a b
	assert_failure
}

@test "A's keys by PKCS #11 URI: the PIN from the URI's pin-source, no PKCS11_PIN_FILE; a pin-source file others may read is refused at init" {
	chmod 644 "$HSM/pin"
	runs roles_run bero-migrate -d a init -R a -C parent.conf \
	    -k "$KSK_URI&pin-source=$HSM/pin" -k "$ZSK_URI" -f src/a.signed
	assert_equal "$status" 2
	[[ "$stderr" == *"$HSM/pin: mode 644: it holds secrets and must be its owner's alone"* ]] ||
		fail "$stderr"
	[ -z "$(ls -A a)" ]
	chmod 600 "$HSM/pin"
	KSK_URI="$KSK_URI&pin-source=$HSM/pin" ZSK_URI="$ZSK_URI&pin-source=$HSM/pin" \
	    CONF=parent.conf through_2a_a
	run grep -c '^PKCS11_PIN_FILE=.' a/config
	assert_output 0
	BERO_NOW=$((T0 + 60)) runs roles_run bero-migrate -d a step 2a
	assert_success
	assert_output --partial "step 2a: every check passed"
	[[ " $(dnskey_sigs a/published/a/example.zone) " == *" $KSK_A_TAG "* ]]
	run grep -rlF "$HSM_PIN" a b
	assert_failure
}

@test "A's keys by PKCS #11 URI: refused at init, nothing made: a PIN file others may read, a URI with pin-value (the PIN not repeated), a key not in A's zone, a missing object, a URI with a directory, a URI for B by -k" {
	chmod 644 "$HSM/pin"
	runs roles_run bero-migrate -d a init -R a -C token.conf \
	    -k "$KSK_URI" -k "$ZSK_URI" -f src/a.signed
	assert_equal "$status" 2
	[[ "$stderr" == *"$HSM/pin: mode 644: it holds secrets and must be its owner's alone"* ]] ||
		fail "$stderr"
	[ -z "$(ls -A a)" ]
	chmod 600 "$HSM/pin"
	runs roles_run bero-migrate -d a init -R a -C token.conf \
	    -k "$KSK_URI&pin-value=$HSM_PIN" -k "$ZSK_URI" -f src/a.signed
	assert_equal "$status" 2
	[[ "$stderr" == *"with pin-value is refused"* ]] || fail "$stderr"
	[[ "$output$stderr" != *"$HSM_PIN"* ]] || fail "the PIN repeated: $stderr"
	[ -z "$(ls -A a)" ]
	# A key of the token that A's zone does not hold.
	hsm_keygen tld-a other 09 EC:prime256v1
	runs roles_run bero-migrate -d a init -R a -C token.conf \
	    -k "pkcs11:token=tld-a;object=other?module-path=$SOFTHSM_MODULE" \
	    -k "$ZSK_URI" -f src/a.signed
	assert_equal "$status" 2
	[[ "$stderr" == *"the token's key is not in the DNSKEY RRset of"* ]] || fail "$stderr"
	[ -z "$(ls -A a)" ]
	runs roles_run bero-migrate -d a init -R a -C token.conf \
	    -k "pkcs11:token=tld-a;object=nosuch?module-path=$SOFTHSM_MODULE" \
	    -f src/a.signed
	assert_equal "$status" 2
	[[ "$stderr" == *"token tld-a, object nosuch"* ]] || fail "$stderr"
	[ -z "$(ls -A a)" ]
	runs roles_run bero-migrate -d a init -R a -C token.conf \
	    -k "$KSK_URI" -k akeys.gone -f src/a.signed
	assert_equal "$status" 2
	[[ "$stderr" == *"not both"* ]] || fail "$stderr"
	# B's keys by URI are -K and -Z (t/0759): B has no zone whose
	# DNSKEY flags -k could take.
	runs roles_run bero-migrate -d b init -R b -C token.conf -k "$KSK_URI"
	assert_equal "$status" 2
	[[ "$stderr" == *"init -R b -k $KSK_URI: B has no zone yet to take the key's flags from: name B's key-signing key by -K URI and its zone-signing key by -Z URI"* ]] ||
		fail "$stderr"
	[ -z "$(ls -A b)" ]
}

@test "A's keys by PKCS #11 URI: without a PIN step 2a stops at the token, naming it and the object, publishing nothing" {
	CONF=parent.conf through_2a_a
	cp a/published/a/example.zone before.zone
	BERO_NOW=$((T0 + 60)) runs roles_run bero-migrate -d a step 2a
	assert_equal "$status" 2
	[[ "$output$stderr" == *"token tld-a, object "*"the token needs a PIN"* ]] ||
		fail "$output $stderr"
	cmp a/published/a/example.zone before.zone
	[ -z "$(ls a/history | grep 2a)" ]
}
