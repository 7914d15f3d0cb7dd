#!/usr/bin/env bats
# zresign's refusals with keys in a token: a wrong PIN, no PIN, a PIN in
# the URI or from a command, a missing object or token, a key of the
# wrong type, a token that goes away before the run or in its middle.
# Each exits 2 naming the token, the object and, where the token said
# so, the PKCS #11 return code; nothing on standard output, the old -o
# file intact.  The PIN appears in no output and not in ps(1).

load helper
load pkcs11

T="-t 20261201000000"

# The token going away in the middle of a run is seen with a test build
# of lib/pkcs11.c (-DBK_FAULT): BK_PKCS11_FAULT=close=N closes every
# session of the token after the N-th signature, as a removed token
# does.  The zresign under test has none of it.
setup_file() {
	mkdir -p "$BATS_FILE_TMPDIR/fault"
	build_driver "$TOP/bin/zresign.c" "$BATS_FILE_TMPDIR/fault/zresign" \
	    -DBK_FAULT $(pkg-config --cflags p11-kit-1) "$TOP/lib/pkcs11.c" \
	    "$TOP/lib/zsign.c"
}

setup() {
	hsm_setup
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
	hsm_token dns
	hsm_keygen dns ksk 01 EC:prime256v1
	printf 'old\n' > out.zone
}

# intact: the -o file is as it was.
intact() {
	assert_equal "$(cat out.zone)" old
}

@test "pkcs11 errors: a wrong PIN is CKR_PIN_INCORRECT, naming token and object" {
	printf '000000\n' > bad.pin
	runs zresign $T -p bad.pin -C "$(uri dns ksk)" -o out.zone example.zone
	assert_trouble zresign '^zresign: token dns, object ksk: C_Login: CKR_PIN_INCORRECT$'
	intact
}

@test "pkcs11 errors: no PIN, a PIN file or variable missing, pin-value, a command as pin-source" {
	runs zresign $T -C "$(uri dns ksk)" -o out.zone example.zone
	assert_trouble zresign '^zresign: token dns, object ksk: the token needs a PIN: name its source with -p or pin-source$'
	intact
	runs zresign $T -p nofile -C "$(uri dns ksk)" -o out.zone example.zone
	assert_trouble zresign '^zresign: token dns, object ksk: PIN file nofile: No such file or directory$'
	intact
	runs zresign $T -p env:NO_SUCH_PIN -C "$(uri dns ksk)" -o out.zone \
		example.zone
	assert_trouble zresign 'environment variable NO_SUCH_PIN is not set$'
	intact
	runs zresign $T -C "$(uri dns ksk "pin-value=$HSM_PIN")" -o out.zone \
		example.zone
	assert_trouble zresign 'pin-value is refused'
	[[ "$stderr" != *"$HSM_PIN"* ]] || fail "the PIN is in: $stderr"
	intact
	runs zresign $T -C "$(uri dns ksk "pin-source=|/bin/cat%20$HSM/pin")" \
		-o out.zone example.zone
	assert_trouble zresign 'pin-source: only a file is accepted'
	intact
}

@test "pkcs11 errors: no such object, no such token, no such module, a certificate type" {
	runs zresign $T -p "$HSM/pin" -C "$(uri dns nokey)" -o out.zone \
		example.zone
	assert_trouble zresign '^zresign: token dns, object nokey: no such private key$'
	intact
	runs zresign $T -p "$HSM/pin" -C "$(uri other ksk)" -o out.zone \
		example.zone
	assert_trouble zresign '^zresign: token other: no such token'
	intact
	runs zresign $T -p "$HSM/pin" \
		-C "pkcs11:token=dns;object=ksk?module-path=/nonexistent.so" \
		-o out.zone example.zone
	assert_trouble zresign '^zresign: PKCS #11 module /nonexistent.so: '
	intact
	runs zresign $T -p "$HSM/pin" \
		-C "pkcs11:token=dns;object=ksk;type=public?module-path=$SOFTHSM_MODULE" \
		-o out.zone example.zone
	assert_trouble zresign 'type=public: signing needs the private key'
	intact
}

@test "pkcs11 errors: a key of the wrong type: an EC key for an RSA key file, a curve DNSSEC has no algorithm for" {
	mkdir k
	cp "$DATA"/zresign/keys/Kexample.+008+07997.key k/
	printf 'Private-key-format: v1.3\nAlgorithm: 8 (RSASHA256)\nLabel: %s\n' \
		"$(uri dns ksk "pin-source=$HSM/pin")" > k/Kexample.+008+07997.private
	runs zresign $T -k k/Kexample.+008+07997 -o out.zone example.zone
	assert_trouble zresign '^zresign: k/Kexample.\+008\+07997.private: token dns, object ksk: an EC key, not one of algorithm 8$'
	intact
	hsm_keygen dns p521 05 EC:secp521r1
	runs zresign $T -p "$HSM/pin" -C "$(uri dns p521)" -o out.zone \
		example.zone
	assert_trouble zresign 'token dns, object p521: an EC key of a type or curve DNSSEC has no algorithm for here'
	intact
	# The key of another pair under the label: its public key is not
	# the DNSKEY's.
	cp Kexample.+013+05021.key k/
	printf 'Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nLabel: %s\n' \
		"$(uri dns ksk "pin-source=$HSM/pin")" > k/Kexample.+013+05021.private
	runs zresign $T -k k/Kexample.+013+05021 -o out.zone example.zone
	assert_trouble zresign 'token dns, object ksk: not the key of k/Kexample.\+013\+05021.key$'
	intact
}

@test "pkcs11 errors: the token gone before the run, and in its middle (CKR_SESSION_HANDLE_INVALID)" {
	# Gone from the middle: all of its sessions closed after the 3rd
	# signature, one thread so that the failure falls at one place.
	BK_PKCS11_FAULT=close=3 runs "$BATS_FILE_TMPDIR/fault/zresign" $T -T 1 \
		-p "$HSM/pin" -C "$(uri dns ksk)" -o out.zone example.zone
	assert_trouble zresign ': signing failed: token dns, object ksk: C_SignInit: CKR_SESSION_HANDLE_INVALID$'
	intact
	# The same build signs when the fault is not asked for.
	runs "$BATS_FILE_TMPDIR/fault/zresign" $T -T 1 -p "$HSM/pin" \
		-C "$(uri dns ksk)" -o good.zone example.zone
	assert_success
	# Its directory removed: the token is no more.
	rm -rf "$HSM/tokens"/*
	runs zresign $T -p "$HSM/pin" -C "$(uri dns ksk)" -o out.zone \
		example.zone
	assert_trouble zresign '^zresign: token dns: no such token'
	intact
}

@test "pkcs11 errors: the PIN is in no output and not in ps while zresign holds the token" {
	mkfifo zone.fifo
	# zresign logs in to the token before it reads the zone: it waits
	# on the FIFO, logged in, while ps looks at it.
	MYPIN=$HSM_PIN zresign $T -v -p env:MYPIN -C "$(uri dns ksk)" \
		-o signed.zone < zone.fifo > out.txt 2> err.txt &
	local pid=$! i
	for i in $(seq 100); do
		grep -q libsofthsm2 /proc/$pid/maps 2>/dev/null && break
		sleep 0.1
	done
	ps -ww -o args= -p $pid > ps.txt
	grep -q zresign ps.txt
	cat example.zone > zone.fifo
	wait $pid
	ldns-verify-zone -t 20261201010000 signed.zone > /dev/null
	! grep -r "$HSM_PIN" ps.txt out.txt err.txt signed.zone
	# Nor on a failure, nor as -v shows it.
	runs zresign $T -v -p "$HSM/pin" -C "$(uri dns nokey)" example.zone
	assert_equal "$status" 2
	[[ "$stderr$output" != *"$HSM_PIN"* ]] || fail "PIN shown: $stderr"
}
