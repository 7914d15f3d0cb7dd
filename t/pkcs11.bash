# SoftHSM2 tokens for the tests of keys in a token (t/052*-pkcs11*):
# each test makes its own token directory in $BATS_TEST_TMPDIR, named to
# SoftHSM by SOFTHSM2_CONF, and keys in it with pkcs11-tool (opensc) and
# softhsm2-util.  The PIN is in a file, $HSM/pin.

SOFTHSM_MODULE=/usr/lib/softhsm/libsofthsm2.so
# OpenSC's spy: logs every call to the module PKCS11SPY names, to
# PKCS11SPY_OUTPUT.
SPY_MODULE=/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so
HSM_PIN=739182

hsm_setup() {
	HSM=$BATS_TEST_TMPDIR/hsm
	mkdir -p "$HSM/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
		"$HSM" > "$HSM/softhsm2.conf"
	export SOFTHSM2_CONF=$HSM/softhsm2.conf
	printf '%s\n' "$HSM_PIN" > "$HSM/pin"
}

# hsm_token LABEL: a new token.
hsm_token() {
	softhsm2-util --init-token --free --label "$1" --pin "$HSM_PIN" \
		--so-pin 12345678 > /dev/null
}

# hsm_keygen TOKEN LABEL ID TYPE: a key pair made in the token
# (TYPE as pkcs11-tool's --key-type: EC:prime256v1, rsa:2048, ...).
hsm_keygen() {
	pkcs11-tool --module "$SOFTHSM_MODULE" --token-label "$1" --login \
		--pin "$HSM_PIN" --keypairgen --key-type "$4" --label "$2" \
		--id "$3" > /dev/null 2>&1
}

# hsm_import_p256 TOKEN LABEL ID KEY.private: a BIND ECDSA P-256 key
# imported (its private scalar in a SEC 1 ECPrivateKey, RFC 5915, as
# PKCS #8); the token then holds the key pair of the key file.
hsm_import_p256() {
	local der=$BATS_TEST_TMPDIR/import.der pem=$BATS_TEST_TMPDIR/import.pem
	{ printf '\x30\x31\x02\x01\x01\x04\x20'
	  p256_scalar "$4"
	  printf '\xa0\x0a\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07'; } > "$der"
	openssl ec -inform DER -in "$der" 2> /dev/null |
		openssl pkcs8 -topk8 -nocrypt -out "$pem"
	softhsm2-util --import "$pem" --token "$1" --label "$2" --id "$3" \
		--pin "$HSM_PIN" > /dev/null
	rm -f "$der" "$pem"
}

# p256_scalar KEY.private: the private scalar of a BIND P-256 key file
# as the 32 octets RFC 5915's privateKey holds.  BIND writes the
# integer without its leading zero octets (one key in 256 has 31, seen
# in CI: the DER built around it was refused), so the value is padded
# back to its full length.
p256_scalar() {
	local hex
	hex=$(sed -n 's/^PrivateKey: //p' "$1" | base64 -d | od -An -v -tx1 |
		tr -d ' \n')
	while [ "${#hex}" -lt 64 ]; do
		hex=00$hex
	done
	printf "$(printf '%s' "$hex" | sed 's/../\\x&/g')"
}

# hsm_dns_ksk: in the test's own directory, made the current one, the
# files of t/data/examples, a token (hsm_setup) dns with a P-256 key
# pair made in it, ksk (id 01), and an old -o file, out.zone ("old").
hsm_dns_ksk() {
	hsm_setup
	cd "$BATS_TEST_TMPDIR" || return 1
	cp "$DATA"/examples/* .
	hsm_token dns
	hsm_keygen dns ksk 01 EC:prime256v1
	printf 'old\n' > out.zone
}

# uri TOKEN OBJECT [QUERY]: the URI of a key in our module.
uri() {
	printf 'pkcs11:token=%s;object=%s?module-path=%s%s\n' "$1" "$2" \
		"$SOFTHSM_MODULE" "${3:+&$3}"
}

# Under the sanitizers: the leaks of SoftHSM itself are not ours
# (t/softhsm.supp says which and why), and their list is not printed
# (it would go to the standard error the tests read).
if [ -n "${BK_ASAN:-}" ]; then
	export LSAN_OPTIONS="suppressions=$TOP/t/softhsm.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
fi

# hsm_import_keys TOKEN KEYDIR [LABELDIR MODULE]: the BIND P-256 key
# pairs of KEYDIR imported into TOKEN (hsm_import_p256): object ksk for
# the key-signing key (flags 257), zsk for the other, ids 01, 02, ... in
# the order of their files.  With LABELDIR, each .key file is copied
# there with a .private that names the key in the token through MODULE
# (Label: pkcs11:...), as BIND writes the files of keys in a token.
hsm_import_keys() {
	local k base label n=0
	for k in "$2"/*.key; do
		base=${k##*/}
		base=${base%.key}
		n=$((n + 1))
		label=$(grep -q 'DNSKEY 257' "$k" && echo ksk || echo zsk)
		hsm_import_p256 "$1" "$label" "0$n" "${k%.key}.private" || return 1
		[ -n "${3:-}" ] || continue
		cp "$k" "$3/" &&
		    printf 'Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nLabel: pkcs11:token=%s;object=%s?module-path=%s\n' \
		    "$1" "$label" "$4" > "$3/$base.private" || return 1
	done
	[ "$n" -gt 0 ]
}

# hsm_spy_token TOKEN KEYDIR CONF [LABELDIR]: in the current directory,
# a token TOKEN (hsm_setup, hsm_token) holding the key pairs of KEYDIR
# (hsm_import_keys; with LABELDIR, their key files naming them there),
# KSK_URI and ZSK_URI naming them through OpenSC's spy module, which
# logs every call to spy.log, and token.conf: the config fragment CONF
# with the PIN file, its owner's alone, as PKCS11_PIN_FILE.
hsm_spy_token() {
	hsm_setup
	hsm_token "$1" &&
	    hsm_import_keys "$1" "$2" ${4:+"$4" "$SPY_MODULE"} || return 1
	KSK_URI="pkcs11:token=$1;object=ksk?module-path=$SPY_MODULE"
	ZSK_URI="pkcs11:token=$1;object=zsk?module-path=$SPY_MODULE"
	export PKCS11SPY=$SOFTHSM_MODULE PKCS11SPY_OUTPUT=$PWD/spy.log
	chmod 600 "$HSM/pin"
	{ cat "$3"; printf 'PKCS11_PIN_FILE=%s\n' "$HSM/pin"; } > token.conf
}
