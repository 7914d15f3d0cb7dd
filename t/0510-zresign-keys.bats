#!/usr/bin/env bats
# zresign and its keys (issue 11, items 8 and 9): the ECDSA signer makes
# no variable-time inversion of a value derived from the nonce; weak RSA
# keys are refused for signing unless -W allows them; core dumps are off
# while private keys are held.

load helper

V=$DATA/zresign/vectors
VEC=$DATA/ds-from-dnskey/vectors

setup_file() {
	build_driver "$TOP/t/tools/ecdsainv.c" "$BATS_FILE_TMPDIR/ecdsainv"
}

# The driver counts the calls of BN_mod_inverse() (OpenSSL's binary
# extended Euclid, whose time depends on the value inverted) made while
# signing and while checking the signatures with the key pair.  Before
# the fix, the product of the projective Z of the points k G (a function
# of the nonces) was inverted by it: once per batch when signing, twice
# when checking (the s, and the Z of k' G), so 64 and 128 for batches of
# one as a KSK signs.  The set-up line is the driver's own check that
# it sees the calls: BN_MONT_CTX_set() inverts the public moduli inside
# libcrypto, and those calls reach the driver too.
@test "keys: ECDSA signing and its check invert nothing with BN_mod_inverse, batched or one by one" {
	local k
	for k in Kexample.net.+013+55648 Kexample.net.+014+10771 \
	    Krfc6979.+013+23698 Krfc6979.+014+23943; do
		runs "$BATS_FILE_TMPDIR/ecdsainv" "$VEC/$k" 64
		assert_success
		assert_output - <<'OUT'
batch of 64: 0 inversions signing, 0 checking, verified
batches of 1: 0 inversions signing, 0 checking, verified
same signatures
set-up: inversions seen
OUT
	done
}

# RFC 5702's examples are RSA keys of 512 (RSASHA256) and 1024 bits
# (RSASHA512): too short to sign with (NIST SP 800-131A), so zresign
# refuses them unless -W.
@test "keys: an RSA key under 2048 bits is refused for signing, naming the key file and -W" {
	local k
	for k in Kexample.net.+008+09033 Kexample.net.+010+03740; do
		local ek=${k//+/[+]}
		runs zresign -k "$V/$k" -t 20000101000000 -i 20000101000000 \
			-e 20300101000000 -o "$BATS_TEST_TMPDIR/out.zone" \
			"$V/rfc5702.zone"
		assert_trouble zresign "^zresign: $V/$ek.key: key [0-9]+/(8|10): RSA modulus of (512|1024) bits, under 2048: too weak to sign with \(NIST SP 800-131A\); -W signs with it anyway\$"
		[ ! -e "$BATS_TEST_TMPDIR/out.zone" ]
	done
}

@test "keys: -W signs with an RSA key under 2048 bits, and says so with -v" {
	runs zresign -W -k "$V/Kexample.net.+010+03740" -t 20000101000000 \
		-i 20000101000000 -e 20300101000000 "$V/rfc5702.zone"
	assert_success
	assert_line --partial "A 10 3 3600 20300101000000 20000101000000 3740 example.net. tsb4wnjRUDnB1BUi"
	runs zresign -v -W -k "$V/Kexample.net.+008+09033" -t 20000101000000 \
		-i 20000101000000 -e 20300101000000 "$V/rfc5702.zone"
	assert_success
	[[ "$stderr" == *"zresign: $V/Kexample.net.+008+09033.key: key 9033/8: RSA modulus of 512 bits, under 2048, signs as -W allows"* ]] ||
		fail "$stderr"
}

@test "keys: zcheck-chain warns about an RSA key under 2048 bits, and does not fail for it" {
	zresign -W -q -k "$V/Kexample.net.+008+09033" -k "$V/Kexample.net.+010+03740" \
		-t 20000101000000 -i 20000101000000 -e 20300101000000 \
		-o "$BATS_TEST_TMPDIR/s.zone" "$V/rfc5702.zone"
	runs zcheck-chain -t 20100101000000 "$BATS_TEST_TMPDIR/s.zone"
	assert_success
	assert_line --regexp "^zcheck-chain: warning: .*s.zone:[0-9]+: example.net. DNSKEY: key 9033/8: RSA modulus of 512 bits, under 2048: too weak to sign with \(NIST SP 800-131A\)\$"
	assert_line --regexp "^zcheck-chain: warning: .*key 3740/10: RSA modulus of 1024 bits, under 2048"
	# A key of 2048 bits is not weak.
	runs zcheck-chain -t 20170822000000 "$(root_zone)"
	refute_output --partial "RSA modulus"
}

# The private key is read from a FIFO that the test holds open without
# writing: zresign waits for the key, and its limits are read meanwhile
# (for up to ten seconds).  It starts with the core size limit raised (a
# core dump would write the keys it holds to a file); before the fix it
# kept that limit.
@test "keys: core dumps are off before a private key is read" {
	local k=Kexample.net.+013+55648 d=$BATS_TEST_TMPDIR pid limits i
	[ "$(ulimit -H -c)" != 0 ] ||
		skip "the hard core size limit is 0: nothing to lower"
	cp "$V/$k.key" "$d/"
	mkfifo "$d/$k.private"
	# Opened for reading and writing, a FIFO does not wait for the
	# other end (Linux), so the test cannot hang on it; zresign must
	# not inherit that end, or it would never see the end of the file.
	# (File descriptor 3 is bats's own.)
	exec 7<> "$d/$k.private"
	bash -c 'ulimit -S -c "$(ulimit -H -c)" && exec "$@"' sh \
		zresign -q -t 20100820000000 -k "$d/$k" \
		-k "$V/Kexample.net.+014+10771" -o "$d/out.zone" \
		"$V/rfc6605.zone" 2> "$d/err" 7>&- &
	pid=$!
	for i in $(seq 100); do
		limits=$(grep '^Max core file size' "/proc/$pid/limits") ||
			break
		[[ "$limits" =~ ^Max\ core\ file\ size\ +0\ +0\ +bytes ]] &&
			break
		sleep 0.1
	done
	cat "$V/$k.private" >&7
	exec 7>&-
	wait "$pid"
	assert_equal "$(cat "$d/err")" ""
	[[ "$limits" =~ ^Max\ core\ file\ size\ +0\ +0\ +bytes ]] ||
		fail "$limits"
	grep -q "RRSIG	A 13 3 3600 .* 55648 example.net. " "$d/out.zone"
}
