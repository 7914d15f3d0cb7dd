#!/usr/bin/env bats
# PKCS #11 URIs (RFC 7512) as lib/p11uri.c reads them, through a driver:
# every path and query attribute, percent escapes (RFC 3986 section
# 2.1), and the refusals: an attribute given twice or not of RFC 7512, a
# bad escape, a NUL octet, a PIN in the URI (pin-value, whose value is
# never repeated), a pin-source that is a command or not a file.

load helper

setup_file() {
	build_driver "$TOP/t/tools/p11uri.c" "$BATS_FILE_TMPDIR/p11uri"
}

p11uri() {
	"$BATS_FILE_TMPDIR/p11uri" "$@"
}

@test "uri: the attributes of RFC 7512 section 2.3, percent-decoded" {
	run p11uri 'pkcs11:token=tld%20ksk;object=ksk-2026;type=private;id=%01%a0%FF;manufacturer=SoftHSM%20project;serial=abc;model=SoftHSM%20v2;slot-id=7;library-version=2.6;library-manufacturer=x;library-description=y;slot-description=s;slot-manufacturer=m?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:///run/pin%20file'
	assert_success
	assert_output - <<'OUT'
token=[tld ksk]
manufacturer=[SoftHSM project]
serial=[abc]
model=[SoftHSM v2]
library-manufacturer=[x]
library-description=[y]
slot-description=[s]
slot-manufacturer=[m]
object=[ksk-2026]
pin-source=[/run/pin file]
module-path=[/usr/lib/softhsm/libsofthsm2.so]
id=01a0ff
type=private
slot-id=7
library-version=2.6
OUT
	run p11uri 'pkcs11:' 'pkcs11:object=a;type=public' \
		'pkcs11:object=a?pin-source=/etc/pin' \
		'pkcs11:object=a?pin-source=file:/etc/pin' \
		'pkcs11:object=a?pin-source=file://localhost/etc/pin' \
		'pkcs11:object=a?pin-source=pin.txt' 'pkcs11:library-version=3'
	assert_success
	assert_output - <<'OUT'
object=[a]
type=public
object=[a]
pin-source=[/etc/pin]
object=[a]
pin-source=[/etc/pin]
object=[a]
pin-source=[/etc/pin]
object=[a]
pin-source=[pin.txt]
library-version=3.0
OUT
}

@test "uri: refusals: twice, unknown, misplaced, bad escapes, NUL, types, numbers" {
	local u
	for u in 'pkcs11:object=a;object=b' 'pkcs11:id=%01;id=%02' \
	    'pkcs11:type=private;type=public' 'pkcs11:colour=red' \
	    'pkcs11:x-vendor=1' 'pkcs11:object=a?token=b' \
	    'pkcs11:pin-source=/etc/pin' 'pkcs11:object=%4' \
	    'pkcs11:object=%zz' 'pkcs11:object=a%00b' 'pkcs11:type=key' \
	    'pkcs11:slot-id=x' 'pkcs11:library-version=1.x' 'pkcs11:object' \
	    'pkcs11:object=a;;type=private' 'pkcs1:object=a' \
	    'pkcs11:object=a?module-path=/x&module-path=/y'; do
		run p11uri "$u"
		assert_failure
		[[ "$output" == "refused: "* ]] || fail "$u: $output"
	done
	run p11uri 'pkcs11:object=a;object=b'
	assert_output 'refused: pkcs11:object=a;object=b: object given twice'
	run p11uri 'pkcs11:colour=red'
	assert_output 'refused: pkcs11:colour=red: colour: not a path attribute of RFC 7512 section 2.3'
	run p11uri 'pkcs11:object=%zz'
	assert_output 'refused: pkcs11:object=%zz: object: bad percent escape'
}

@test "uri: a PIN in the URI is refused and never repeated; pin-source names a file, never a command" {
	run p11uri 'pkcs11:object=a?pin-value=739182&module-path=/x'
	assert_failure
	assert_output --partial 'pin-value is refused'
	refute_output --partial 739182
	run p11uri 'pkcs11:object=a;pin-value=739182'
	assert_failure
	refute_output --partial 739182
	local s
	for s in '|/bin/cat%20/etc/pin' 'http://example/pin' 'env:PIN' ''; do
		run p11uri "pkcs11:object=a?pin-source=$s"
		assert_failure
		assert_output --partial 'pin-source: only a file is accepted'
	done
}
