#!/usr/bin/env bats
# A's keys in a token (SoftHSM2), in A's own state directory: BIND key
# files whose .private is "Label: pkcs11:..." (as BIND writes them for
# keys in a token), given to init -R a -k; the PIN from a file the
# config names (PKCS11_PIN_FILE, its owner's alone), given to zresign
# by -p.  Step 2a's exchanged signature, KSK_A's over the four-key
# DNSKEY RRset, is made by the token through the driver in A's
# directory (OpenSC's pkcs11-spy logs the C_Sign calls), and B, in its
# own directory, takes it from A's bundle and validates.  The three
# directories (A, B, the registry) and the parent outside, as in
# t/0750-bero-migrate-roles-exchange.bats.

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

# A's two keys imported into the token tld-a, and tkeys/: their .key
# files with a .private that names the key in the token (through the
# spy module, which logs every call to spy.log).
setup() {
	zcs_load
	cd "$BATS_TEST_TMPDIR" || return 1
	export BERO_NOW=$T0
	cp -a "$BATS_FILE_TMPDIR"/src .
	cp "$BATS_FILE_TMPDIR"/parent.conf .
	mkdir tkeys
	hsm_spy_token tld-a src/akeys parent.conf tkeys
}

# Through A's part of step 2a: A (keys in the token) and B in their
# own directories, B's keys at A confirmed by their DS digest.
through_2a_a() {
	local digest
	roles_run bero-migrate -d a init -R a -C token.conf -k tkeys \
	    -f src/a.signed > a.init || { cat a.init; return 1; }
	roles_run bero-migrate -d b init -R b -C parent.conf > /dev/null &&
	    bero-migrate -d a export 0 -o a0 > /dev/null &&
	    roles_run bero-migrate -d b import a0 > /dev/null &&
	    roles_run bero-migrate -d b step 1 > /dev/null &&
	    bero-migrate -d b export 1 -o b1 > /dev/null || return 1
	digest=$(awk -F '\t' '{ split($5, f, " "); print f[4] }' b/b/ds-b.txt)
	roles_run bero-migrate -d a import b1 -y "$digest" > /dev/null
}

@test "A's keys in a token: init -R a -k with Label key files, step 2a's KSK_A signature made by the token in A's directory; B takes it from A's bundle" {
	through_2a_a
	grep -qx 'A_SIGNER=berokit' a/config
	# A's directory holds no private key value: only the token's names.
	run grep -rlE 'PrivateKey|PrivateExponent' a
	assert_failure
	grep -q '^Label: pkcs11:token=tld-a;object=ksk' a/keys/a/*.private
	local before
	before=$(grep -c '^[0-9]*: C_Sign$' spy.log || true)
	BERO_NOW=$((T0 + 60)) runs roles_run bero-migrate -d a step 2a
	assert_success
	assert_output --partial "-p $HSM/pin"
	assert_output --partial "step 2a: every check passed"
	# The token signed: its C_Sign calls, and KSK_A's signature over
	# the DNSKEY RRset of A's and B's keys in what A publishes.
	[ "$(grep -c '^[0-9]*: C_Sign$' spy.log)" -gt "${before:-0}" ]
	[[ " $(dnskey_sigs a/published/a/example.zone) " == *" $(ksk_tag src/akeys) "* ]]
	assert_equal "$(awk -F '\t' '$1 == "example." && $4 == "DNSKEY"' \
	    a/published/a/example.zone | wc -l)" 4
	ldns-verify-zone -t 20261202000000 a/published/a/example.zone > /dev/null
	# The PIN is in no output, report or log of the driver.
	run grep -rF "$HSM_PIN" a b
	assert_failure
	bero-migrate -d a export 2a -o a2a > /dev/null
	roles_run bero-migrate -d b import a2a > /dev/null
	BERO_NOW=$((T0 + 120)) runs roles_run bero-migrate -d b step 2a
	assert_success
	assert_output --partial "step 2a: every check passed"
	[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $(ksk_tag src/akeys) "* ]]
}

@test "A's keys in a token: a PIN file others may read is refused at init; without PKCS11_PIN_FILE step 2a stops at the token, publishing nothing" {
	chmod 644 "$HSM/pin"
	runs roles_run bero-migrate -d a init -R a -C token.conf -k tkeys \
	    -f src/a.signed
	assert_equal "$status" 2
	[[ "$stderr" == *"$HSM/pin: mode 644: it holds secrets and must be its owner's alone"* ]] ||
		fail "$stderr"
	[ -z "$(ls -A a)" ]
	chmod 600 "$HSM/pin"
	cp parent.conf token.conf
	through_2a_a
	cp a/published/a/example.zone before.zone
	BERO_NOW=$((T0 + 60)) runs roles_run bero-migrate -d a step 2a
	assert_equal "$status" 2
	[[ "$output$stderr" == *"token tld-a, object "*"the token needs a PIN"* ]] ||
		fail "$output $stderr"
	cmp a/published/a/example.zone before.zone
	[ -z "$(ls a/history | grep 2a)" ]
}
