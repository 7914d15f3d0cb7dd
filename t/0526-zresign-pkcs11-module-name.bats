#!/usr/bin/env bats
# module-name= in a PKCS #11 URI (RFC 7512 section 2.3): the module
# p11-kit's configuration names so (pkcs11.conf(5): the NAME.module
# file; Debian's softhsm2 package installs softhsm2.module), resolved
# through p11-kit's library at run time.  p11-kit reads no user
# configuration in a program run by root, so the test uses the system's
# as it is and changes nothing outside its directory.  A name p11-kit
# does not know is refused, saying what it knows and to use module-path=;
# a module-name and a module-path that are not the same module are
# refused.

load helper
load pkcs11

T="-t 20261201000000"

setup() {
	hsm_dns_ksk
	p11-kit list-modules 2> /dev/null | grep -q '^softhsm2: ' ||
		fail "p11-kit's configuration names no softhsm2 module"
}

@test "module-name: softhsm2 as p11-kit names it signs, and gives ds-from-dnskey its key" {
	runs zresign $T -p "$HSM/pin" \
		-C "pkcs11:token=dns;object=ksk?module-name=softhsm2" \
		-o named.zone example.zone
	assert_success
	ldns-verify-zone -t 20261201010000 named.zone > /dev/null
	# The same key as by module-path=, and both together.
	runs zresign $T -p "$HSM/pin" -C "$(uri dns ksk)" -o path.zone \
		example.zone
	assert_success
	runs zresign $T -p "$HSM/pin" \
		-C "$(uri dns ksk module-name=softhsm2)" -o both.zone example.zone
	assert_success
	diff <(grep 'IN	DNSKEY' named.zone) <(grep 'IN	DNSKEY' path.zone)
	diff <(grep 'IN	DNSKEY' named.zone) <(grep 'IN	DNSKEY' both.zone)
	runs ds-from-dnskey -z example. \
		"pkcs11:token=dns;object=ksk?module-name=softhsm2"
	assert_success
	local ds=$output
	runs ds-from-dnskey -z example. "$(uri dns ksk)"
	assert_equal "$output" "$ds"
}

@test "module-name: a name p11-kit does not know, and one that is not module-path's module, are refused" {
	runs zresign $T -p "$HSM/pin" \
		-C "pkcs11:token=dns;object=ksk?module-name=no-such-hsm" \
		-o out.zone example.zone
	assert_trouble zresign "^zresign: module-name=no-such-hsm: no module of that name in p11-kit's configuration \(pkcs11.conf\(5\).*; it names .*softhsm2.*\): give the module by module-path=$"
	assert_equal "$(cat out.zone)" old
	runs zresign $T -p "$HSM/pin" \
		-C "$(uri dns ksk module-name=opensc-pkcs11)" -o out.zone \
		example.zone
	assert_trouble zresign "^zresign: module-name=opensc-pkcs11 is /.*/opensc-pkcs11.so, not module-path=$SOFTHSM_MODULE$"
	assert_equal "$(cat out.zone)" old
}
