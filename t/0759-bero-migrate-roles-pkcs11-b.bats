#!/usr/bin/env bats
# B's keys in a token (SoftHSM2, in the test's own directory) named by
# their PKCS #11 URIs (RFC 7512) on init -R b -K (the key-signing key)
# and -Z (the zone-signing key), with no key file of B's at all: B has
# no zone yet, so the flags come from -K and -Z and the TTL from
# TTL_KEY; the public keys are the token's, and the token signs every
# step of B's (OpenSC's pkcs11-spy logs the C_Sign calls).  The three
# directories (A with its key files, B, the registry) and the parent
# outside, through steps 2a and 2b, as in
# t/0750-bero-migrate-roles-exchange.bats.  And A's keys by URI without
# -f: matched with A's zone as a zone transfer with TSIG gives it.

load helper
load bero-migrate
load bero-roles
load pkcs11
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	export BERO_NOW=$T0
	roles_file_setup || return 1
	[ -z "$ZCS_SKIP" ] || return 0
	# A's server for the zone transfers, with the TSIG key of A and B.
	cp src/a.signed "$ZCS_DIR/zones/a1.zone" &&
	    roles_nsd_xfr a1 127.75.0.11 "$ZCS_DIR/zones/a1.zone" &&
	    zcs_ready || return 1
	# B's keys: made by dnssec-keygen, imported into the token below,
	# their files then kept out of every directory of the parties.
	mkdir bkeys
	dnssec-keygen -q -K bkeys -a ECDSAP256SHA256 -L 3600 -f KSK \
	    example. > /dev/null &&
	    dnssec-keygen -q -K bkeys -a ECDSAP256SHA256 -L 3600 \
	    example. > /dev/null
}

teardown_file() {
	zcs_stop
}

# B's two keys imported into the token tld-b, named by URI through the
# spy module (every call logged to spy.log); the PIN in a file,
# PKCS11_PIN_FILE of B's config.
setup() {
	zcs_load
	cd "$BATS_TEST_TMPDIR" || return 1
	export BERO_NOW=$T0
	cp -a "$BATS_FILE_TMPDIR"/{src,bkeys} .
	cp "$BATS_FILE_TMPDIR"/parties.conf .
	hsm_spy_token tld-b bkeys parties.conf
	KSK_B_TAG=$(ksk_tag bkeys)
}

# C_Sign calls logged so far.
signs() {
	grep -c '^[0-9]*: C_Sign$' spy.log || true
}

# Through step 2b: A (its key files) and B (keys by URI) in their own
# directories, the registry too, at T0 (init's output in out/), then the
# steps of t/bero-roles.bash (roles_step_1, 2a, 2b: B's keys at A and
# the registry confirmed by their DS digest); TB the time of B's step
# 2b, SIGNS_INIT the C_Sign calls once B's init is done (A signs with
# its key files: every call is B's).
through_2b() {
	mkdir -p out
	at "$T0" bero-migrate -d a init -R a -C parties.conf -k src/akeys \
	    -f src/a.signed > out/a.init &&
	    at "$T0" bero-migrate -d b init -R b -C token.conf \
	    -K "$KSK_URI" -Z "$ZSK_URI" > out/b.init && SIGNS_INIT=$(signs) &&
	    at "$T0" bero-migrate -d r init -R registry -C parties.conf > out/r.init &&
	    bero-migrate -d a export 0 -o a0 > /dev/null &&
	    roles_step_1 "$T0" && roles_step_2a $((T0 + 60)) && roles_step_2b &&
	    TB=$T
}

@test "B's keys by PKCS #11 URI: init -R b -K URI -Z URI, the DNSKEYs from the token with TTL_KEY, the key tags and DS_B said; no key file of B's" {
	local k ds
	ds=$(ds-from-dnskey -2 "$(grep -l 'DNSKEY 257' bkeys/*.key)" | cut -f5)
	runs roles_run bero-migrate -d b init -R b -C token.conf \
	    -K "$KSK_URI" -Z "$ZSK_URI"
	assert_success
	assert_line "keys/b/Kexample.+013+$(printf %05d "$KSK_B_TAG"): KSK, key tag $KSK_B_TAG, from $KSK_URI"
	assert_line "  DS: example. 86400 IN DS $ds"
	assert_output --regexp "keys/b/Kexample\.\+013\+[0-9]{5}: ZSK, key tag [0-9]+, from $(printf '%s' "$ZSK_URI" | sed 's/[][\.*^$?+(){}|/]/\\&/g')"
	# The keys kept: the token's public keys, flags 257 and 256 as -K
	# and -Z say, TTL 3600 (TTL_KEY), under the names BIND gives them.
	assert_equal "$(cd b/keys/b && ls *.key)" "$(cd bkeys && ls *.key)"
	for k in bkeys/*.key; do
		assert_equal "$(awk '!/^;/ && NF { print $1, $2, $4, $5, $6, $7, $8 $9 }' "b/keys/b/${k##*/}")" \
		    "$(awk '!/^;/ && NF { print $1, $2, $4, $5, $6, $7, $8 $9 }' "$k")"
	done
	grep -qxF "Label: $KSK_URI" b/keys/b/K*+"$(printf %05d "$KSK_B_TAG")".private
	run grep -rlE 'PrivateKey|PrivateExponent' b
	assert_failure
	[ -z "$(find b -name '.signed' -o -name '.zone')" ]
	[[ "$output$stderr" != *"$HSM_PIN"* ]]
	run grep -rlF "$HSM_PIN" b
	assert_failure
}

@test "B's keys by PKCS #11 URI through steps 2a and 2b and a refresh: the token signs B's zone, which validates; A and the registry take B's keys by their DS; the key-disjointness scan; the PIN nowhere" {
	local ka kb
	through_2b
	[ "$SIGNS_INIT" -gt 0 ] && [ "$(signs)" -gt "$SIGNS_INIT" ]
	grep -q '^2b ' b/log
	grep -q '^2b ' r/log
	run cat b/reports/2a.out
	assert_output --partial "-p $HSM/pin"
	assert_output --partial "step 2a: every check passed"
	run cat b/reports/2b.out
	assert_output --partial "step 2b: every check passed"
	# B's DNSKEY RRset: A's and B's four keys, signed by KSK_A
	# (exchanged) and by KSK_B, the token's, with a signature that
	# validates from DS_B alone.
	ka=$(ksk_tag src/akeys) kb=$KSK_B_TAG
	assert_equal "$(awk -F '\t' '$1 == "example." && $4 == "DNSKEY"' \
	    b/published/b/example.zone | wc -l)" 4
	[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $ka "* ]]
	[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $kb "* ]]
	ds-from-dnskey -2 "$(grep -l 'DNSKEY 257' bkeys/*.key)" > ds-b
	zcheck-chain -t "$TB" -D ds-b b/published/b/example.zone > /dev/null
	ldns-verify-zone -t "$(date -u -d "@$TB" +%Y%m%d%H%M%S)" \
	    b/published/b/example.zone > /dev/null
	zcheck-chain -t "$TB" -D src/ds-a b/published/b/example.zone > /dev/null
	# A's published zone holds B's keys too and validates from DS_A.
	zcheck-chain -t "$TB" -D src/ds-a a/published/a/example.zone > /dev/null
	# The key-disjointness scan: B's private keys are in the token
	# only, in no directory or bundle (B's own included); A's are at A.
	roles_private_values src/akeys/*.private > a.values
	roles_private_values bkeys/*.private > b.values
	assert_equal "$(wc -l < a.values) $(wc -l < b.values)" "2 2"
	cat a.values b.values > all.values
	roles_scan a a a.values b.values
	roles_scan b b /dev/null all.values
	roles_scan r r /dev/null all.values
	local d
	for d in a0 b1 a2a b2a a2b b2b; do
		roles_scan "$d" none /dev/null all.values
	done
	[ -z "$(find b r a0 b1 a2a b2a a2b b2b -name '*.private' ! -path 'b/keys/b/*')" ]
	# The PIN: in no output and no file of the directories or bundles.
	run grep -rlF "$HSM_PIN" a b r a0 b1 a2a b2a a2b b2b out
	assert_failure
	# And the scan is not blind: B's key file copied into B's history.
	cp bkeys/*.private b/history/
	run roles_scan b b /dev/null all.values
	assert_failure
	rm b/history/*.private
	# B's refresh two days on signs through the token too: KSK_B's
	# signature over the DNSKEY RRset made again, later expiring, and
	# the zone still validates from DS_B.
	local e1 n1 t=$((TB + 2 * 86400))
	e1=$(dnskey_sig_exp b/published/b/example.zone "$kb")
	n1=$(signs)
	runs at "$t" bero-migrate -d b refresh
	assert_success
	assert_output --partial "every check passed"
	[ "$(signs)" -gt "$n1" ]
	[ "$(dnskey_sig_exp b/published/b/example.zone "$kb")" -gt "$e1" ]
	zcheck-chain -t "$t" -D ds-b b/published/b/example.zone > /dev/null
	[[ "$output$stderr" != *"$HSM_PIN"* ]]
	run grep -rlF "$HSM_PIN" b
	assert_failure
}

# dnskey_sig_exp ZONE TAG: the expiration of the signature of key TAG
# over the apex DNSKEY RRset.
dnskey_sig_exp() {
	awk -F '\t' -v t="$2" '$1 == "example." && $4 == "RRSIG" { split($5, f, " ")
	    if (f[1] == "DNSKEY" && f[7] == t) print f[5] }' "$1"
}

@test "B's keys by PKCS #11 URI: refused at init, B's directory left empty, naming the token, the object and the return code" {
	local u
	# A key of another algorithm (P-384: 14; RSA: 8) than KEY_ALG.
	hsm_keygen tld-b p384 09 EC:secp384r1
	hsm_keygen tld-b rsa 0a rsa:2048
	for u in p384:14 rsa:8; do
		runs roles_run bero-migrate -d b init -R b -C token.conf \
		    -K "$KSK_URI" -Z "pkcs11:token=tld-b;object=${u%:*}?module-path=$SPY_MODULE"
		assert_trouble bero-migrate "init -R b: token tld-b, object ${u%:*}: a key of algorithm ${u#*:}, not operator B's KEY_ALG ECDSAP256SHA256 \\(13\\)"
		[ -z "$(ls -A b)" ]
	done
	# A missing object.
	runs roles_run bero-migrate -d b init -R b -C token.conf \
	    -K "pkcs11:token=tld-b;object=nosuch?module-path=$SPY_MODULE" -Z "$ZSK_URI"
	assert_equal "$status" 2
	[[ "$stderr" == *"token tld-b, object nosuch: no such private key"* ]] || fail "$stderr"
	[ -z "$(ls -A b)" ]
	# A wrong PIN; no PIN at all.
	printf '111111\n' > bad.pin
	chmod 600 bad.pin
	{ cat parties.conf; printf 'PKCS11_PIN_FILE=%s\n' "$PWD/bad.pin"; } > bad.conf
	runs roles_run bero-migrate -d b init -R b -C bad.conf -K "$KSK_URI" -Z "$ZSK_URI"
	assert_equal "$status" 2
	[[ "$stderr" == *"token tld-b, object ksk: C_Login: CKR_PIN_INCORRECT"* ]] || fail "$stderr"
	[ -z "$(ls -A b)" ]
	runs roles_run bero-migrate -d b init -R b -C parties.conf -K "$KSK_URI" -Z "$ZSK_URI"
	assert_equal "$status" 2
	[[ "$stderr" == *"token tld-b, object ksk: the token needs a PIN"* ]] || fail "$stderr"
	[ -z "$(ls -A b)" ]
	# The PIN in the URI; a PIN file others may read.
	runs roles_run bero-migrate -d b init -R b -C token.conf \
	    -K "$KSK_URI&pin-value=$HSM_PIN" -Z "$ZSK_URI"
	assert_equal "$status" 2
	[[ "$stderr" == *"with pin-value is refused"* ]] || fail "$stderr"
	[[ "$output$stderr" != *"$HSM_PIN"* ]] || fail "the PIN repeated: $stderr"
	[ -z "$(ls -A b)" ]
	chmod 644 "$HSM/pin"
	runs roles_run bero-migrate -d b init -R b -C token.conf -K "$KSK_URI" -Z "$ZSK_URI"
	assert_equal "$status" 2
	[[ "$stderr" == *"$HSM/pin: mode 644: it holds secrets and must be its owner's alone"* ]] ||
		fail "$stderr"
	[ -z "$(ls -A b)" ]
	chmod 600 "$HSM/pin"
	# A key-signing key without a zone-signing key; -k, whose flags
	# would come from a zone B does not have.
	runs roles_run bero-migrate -d b init -R b -C token.conf -K "$KSK_URI"
	assert_trouble bero-migrate "init -R b: -K URI and -Z URI: operator B's key-signing key and its zone-signing key, both \\(1 and 0 given\\)"
	runs roles_run bero-migrate -d b init -R b -C token.conf -k "$KSK_URI" -Z "$ZSK_URI"
	assert_equal "$status" 2
	[[ "$stderr" == *"B has no zone yet to take the key's flags from"* ]] || fail "$stderr"
	[ -z "$(ls -A b)" ]
	runs roles_run bero-migrate -d b init -R b -C token.conf -K bkeys -Z "$ZSK_URI"
	assert_trouble bero-migrate "init: -K bkeys: not a PKCS #11 URI \\(pkcs11:...\\)"
	[ -z "$(ls -A b)" ]
	# The registry holds no key, by URI either.
	runs roles_run bero-migrate -d r init -R registry -C parties.conf -K "$KSK_URI"
	assert_trouble bero-migrate "init -R registry: -k: the registry holds no key"
	[ -z "$(ls -A r)" ]
}

@test "A's keys by PKCS #11 URI without -f: matched with A's zone by zone transfer with TSIG (TRANSFER=axfr); -K on A's ZSK refused; without -f or TRANSFER=axfr refused" {
	local conf=axfr.conf
	hsm_token tld-a
	hsm_import_keys tld-a src/akeys
	{
		cat parties.conf
		printf 'A_SERVERS="ns1.nic-a.example.=127.75.0.11@%s"\n' "$ZCS_PORT"
		printf 'TRANSFER=axfr\nA_XFR_ADDR=127.75.0.11@%s\n' "$ZCS_PORT"
		printf 'TSIG_NAME=%s\nTSIG_SECRET=%s\n' "$ROLES_TSIG_NAME" "$ROLES_TSIG_SECRET"
		printf 'PKCS11_PIN_FILE=%s\n' "$HSM/pin"
	} > "$conf"
	local ksk="pkcs11:token=tld-a;object=ksk?module-path=$SOFTHSM_MODULE"
	local zsk="pkcs11:token=tld-a;object=zsk?module-path=$SOFTHSM_MODULE"
	runs roles_run bero-migrate -d ax init -R a -C token.conf -k "$ksk" -k "$zsk"
	assert_trouble bero-migrate "init -R a -k URI: -f file, or TRANSFER=axfr from A_XFR_ADDR: a key named by its URI takes the flags and TTL of its DNSKEY in A's zone"
	[ -z "$(ls -A ax)" ]
	runs roles_run bero-migrate -d ax init -R a -C "$conf" -K "$zsk" -k "$ksk"
	assert_equal "$status" 2
	[[ "$stderr" == *"its DNSKEY in A's zone as 127.75.0.11@$ZCS_PORT serves it has flags 256, not 257"* ]] ||
		fail "$stderr"
	[ -z "$(ls -A ax)" ]
	runs roles_run bero-migrate -d ax init -R a -C "$conf" -K "$ksk" -Z "$zsk"
	assert_success
	assert_output --partial "kdig -k keys/tsig.key @127.75.0.11@$ZCS_PORT example. AXFR"
	assert_output --partial "ok: the DNSKEY RRset of a/step-0.zone is the keys of keys/a"
	assert_equal "$(ds-from-dnskey -a -2 ax/keys/a/*.key)" "$(ds-from-dnskey -a -2 src/akeys/*.key)"
	assert_equal "$(cd ax/keys/a && ls *.key)" "$(cd src/akeys && ls *.key)"
	grep -qxF "Label: $ksk" ax/keys/a/K*+"$(printf %05d "$(ksk_tag src/akeys)")".private
	grep -qx 'A_SIGNER=berokit' ax/config
	[ -z "$(find ax -name '.xfr' -o -name '.zone')" ]
	run grep -rlE 'PrivateKey|PrivateExponent' ax
	assert_failure
}
