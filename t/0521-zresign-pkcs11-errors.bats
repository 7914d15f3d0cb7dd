#!/usr/bin/env bats
# zresign's refusals with keys in a token: a wrong PIN, no PIN, a PIN in
# the URI or from a command, a missing object or token, a key of the
# wrong type, a token that goes away before the run or in its middle
# (SoftHSM2's token directory removed while zresign signs).
# Each exits 2 naming the token, the object and, where the token said
# so, the PKCS #11 return code; nothing on standard output, the old -o
# file intact.  The PIN appears in no output and not in ps(1).

load helper
load pkcs11

T="-t 20261201000000"

setup_file() {
	build_driver "$TOP/t/tools/p11check.c" "$BATS_FILE_TMPDIR/p11check"
}

setup() {
	hsm_dns_ksk
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

# big_zone N: the example zone with N more delegations, each a signed
# NSEC, so that signing takes seconds.
big_zone() {
	cat example.zone
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "d%05d 86400 IN NS ns1.provider.net.\n", i }'
}

@test "pkcs11 errors: the token gone before the run, and in its middle (SoftHSM's token directory removed while zresign signs)" {
	# Gone from the middle: zresign signs through OpenSC's pkcs11-spy
	# module, which logs every call before SoftHSM answers it; once its
	# log shows C_Sign, zresign is stopped (SIGSTOP, all its threads),
	# the token's directory removed, and zresign let go on.  The log
	# says how many signatures were made by then: fewer than the run
	# needs, so the token went away in the middle of the signing.
	big_zone 4000 > big.zone
	PKCS11SPY=$SOFTHSM_MODULE PKCS11SPY_OUTPUT=$PWD/spy.log \
		zresign $T -v -T 2 -p "$HSM/pin" \
		-C "pkcs11:token=dns;object=ksk?module-path=$SPY_MODULE" \
		-o out.zone big.zone > stdout.txt 2> stderr.txt &
	local pid=$! i signed
	for i in $(seq 600); do
		grep -q '^[0-9]*: C_Sign$' spy.log 2> /dev/null && break
		kill -0 $pid 2> /dev/null || break
		sleep 0.05
	done
	kill -STOP $pid || fail "zresign ended before it signed: $(cat stderr.txt)"
	signed=$(grep -c '^[0-9]*: C_Sign$' spy.log)
	[ "$signed" -ge 1 ] && [ "$signed" -lt 4000 ] ||
		fail "$signed signatures made when stopped"
	rm -rf "$HSM/tokens"/*
	kill -CONT $pid
	status=0
	wait $pid || status=$?
	output=$(cat stdout.txt)
	stderr=$(cat stderr.txt)
	# SoftHSM answers CKR_OBJECT_HANDLE_INVALID at the next C_SignInit
	# (a thread stopped between C_SignInit and C_Sign may have its
	# C_Sign answered first).
	assert_trouble zresign ': signing failed: token dns, object ksk: C_Sign(Init)?: CKR_[A-Z_]+$'
	intact
	# Its directory removed before the run: the token is no more.
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
	! grep -r "$HSM_PIN" ps.txt out.txt err.txt signed.zone || false
	# Nor on a failure, nor as -v shows it.
	runs zresign $T -v -p "$HSM/pin" -C "$(uri dns nokey)" example.zone
	assert_equal "$status" 2
	[[ "$stderr$output" != *"$HSM_PIN"* ]] || fail "PIN shown: $stderr"
}

# The check of a token's ECDSA signatures (with the public key only):
# u1 G + u2 Q by a variable base for a checker's first 1024 signatures,
# by Q's precomputed multiples after (lib/crypto.c); a damaged s or r
# is refused either way, and only those (t/tools/p11check.c).
@test "pkcs11 errors: a token's damaged ECDSA signatures are refused by the check, before and after Q's table" {
	local p256="pkcs11:token=dns;object=ksk?module-path=$SOFTHSM_MODULE&pin-source=$HSM/pin"
	run "$BATS_FILE_TMPDIR/p11check" "$p256" 1500 3 -5 1030 -1300 1499
	assert_success
	assert_output "$(printf '3\n5\n1030\n1300\n1499')"
	run "$BATS_FILE_TMPDIR/p11check" "$p256" 1200
	assert_success
	assert_output ""
	hsm_keygen dns p384 07 EC:secp384r1
	run "$BATS_FILE_TMPDIR/p11check" \
		"pkcs11:token=dns;object=p384?module-path=$SOFTHSM_MODULE&pin-source=$HSM/pin" \
		1100 0 -1099 1050
	assert_success
	assert_output "$(printf '0\n1050\n1099')"
}
