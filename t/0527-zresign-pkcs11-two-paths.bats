#!/usr/bin/env bats
# One token reached by two module paths in one run: the KSK through
# OpenSC's spy (which loads SoftHSM itself and initialises it) and the
# ZSK through SoftHSM's own path, as an operator may name a logging or
# proxy module for one key and the module for the other.  The second
# C_Initialize of the same library answers CKR_CRYPTOKI_ALREADY_INITIALIZED
# (PKCS #11 v2.40 section 5.4): the library is initialised already, in
# this process, and is used as it is; it is finalised by whoever
# initialised it.  Either order signs a zone that validates.

load helper
load pkcs11

T="-t 20261201000000"

setup() {
	hsm_dns_ksk
	hsm_keygen dns zsk 02 EC:prime256v1
	export PKCS11SPY=$SOFTHSM_MODULE PKCS11SPY_OUTPUT=$BATS_TEST_TMPDIR/spy.log
	SPY_KSK="pkcs11:token=dns;object=ksk?module-path=$SPY_MODULE"
	SPY_ZSK="pkcs11:token=dns;object=zsk?module-path=$SPY_MODULE"
}

@test "the KSK through the spy, the ZSK by SoftHSM's own path: the zone is signed, and validates" {
	runs zresign $T -p "$HSM/pin" -K "$SPY_KSK" -Z "$(uri dns zsk)" \
		-o out.zone example.zone
	assert_success
	ldns-verify-zone -t 20261201010000 out.zone > /dev/null
	# The spy saw the KSK's signing: it was the module of that key.
	grep -q 'C_Sign' spy.log
}

@test "the KSK by SoftHSM's own path, the ZSK through the spy: the same" {
	runs zresign $T -p "$HSM/pin" -K "$(uri dns ksk)" -Z "$SPY_ZSK" \
		-o out.zone example.zone
	assert_success
	ldns-verify-zone -t 20261201010000 out.zone > /dev/null
	grep -q 'C_Sign' spy.log
}
