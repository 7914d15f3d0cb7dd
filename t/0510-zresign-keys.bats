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
