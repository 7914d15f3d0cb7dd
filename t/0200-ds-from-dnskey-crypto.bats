#!/usr/bin/env bats
# The signature layer (lib/crypto.h, lib/keyfile.h) against the published
# examples: RFC 5702 §6 (RSASHA256, RSASHA512) and RFC 8080 §6 as
# corrected by erratum 4935 (Ed25519, Ed448) must be reproduced byte for
# byte, since those signatures are deterministic; RFC 6605 §6 (ECDSA)
# must verify, and our own ECDSA signatures too, which are deterministic
# (RFC 6979 appendix A.2.5 and A.2.6 reproduced byte for byte).
#
# The driver t/tools/cryptotest.c is built here by build_driver (see
# helper.bash), against the library of the build under test.

load helper

VEC=$DATA/ds-from-dnskey/vectors

setup_file() {
	build_driver "$TOP/t/tools/cryptotest.c" \
	    "$BATS_FILE_TMPDIR/cryptotest"
}

ct() {
	runs "$BATS_FILE_TMPDIR/cryptotest" "$@"
}

@test "RFC 5702 section 6: RSASHA256 and RSASHA512 examples verify" {
	ct verify "$VEC/rfc5702.zone"
	assert_success
	assert_output - <<'OUT'
www.example.net. A 9033/8: verified
www.example.net. A 3740/10: verified
OUT
}

@test "RFC 5702 section 6.1: RSASHA256 signature reproduced byte for byte" {
	ct sign "$VEC/rfc5702.zone" "$VEC/Kexample.net.+008+09033"
	assert_success
	assert_output "www.example.net. A 9033/8: same kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/lPtPiVYP4bwg=="
}

@test "RFC 5702 section 6.2: RSASHA512 signature reproduced byte for byte" {
	ct sign "$VEC/rfc5702.zone" "$VEC/Kexample.net.+010+03740.private"
	assert_success
	assert_output "www.example.net. A 3740/10: same tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw="
}

@test "RFC 6605 section 6: ECDSA P-256 and P-384 examples verify" {
	ct verify "$VEC/rfc6605.zone"
	assert_success
	assert_output - <<'OUT'
www.example.net. A 55648/13: verified
www.example.net. A 10771/14: verified
OUT
}

@test "RFC 6605: our ECDSA signatures verify, and are the same each time (RFC 6979)" {
	local k
	for k in Kexample.net.+013+55648 Kexample.net.+014+10771.key; do
		ct sign "$VEC/rfc6605.zone" "$VEC/$k"
		assert_success
		assert_output --regexp ': verifies [A-Za-z0-9+/=]+$'
		local first=$output
		ct sign "$VEC/rfc6605.zone" "$VEC/$k"
		assert_success
		assert_equal "$output" "$first"
	done
}

# RFC 6979 appendix A.2.5 (P-256, SHA-256) and A.2.6 (P-384, SHA-384):
# the messages "sample" and "test" signed with the appendix's keys give
# the appendix's r and s, one at a time and in batches of 1 to 150.
@test "RFC 6979 A.2.5: deterministic ECDSA P-256 signatures reproduced byte for byte" {
	local k=$VEC/Krfc6979.+013+23698
	ct raw "$k.key" "$k" sample
	assert_success
	assert_output "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8 same verifies"
	ct raw "$k.key" "$k" test
	assert_success
	assert_output "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083 same verifies"
}

@test "RFC 6979 A.2.6: deterministic ECDSA P-384 signatures reproduced byte for byte" {
	local k=$VEC/Krfc6979.+014+23943
	ct raw "$k.key" "$k" sample
	assert_success
	assert_output "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE4699EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8 same verifies"
	ct raw "$k.key" "$k" test
	assert_success
	assert_output "8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB0542A7F0812998DA8F1DD3CA3CF023DBDDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E06A739F040649A667BF3B828246BAA5A5 same verifies"
}

@test "RFC 8080 section 6 (erratum 4935): Ed25519 and Ed448 examples verify" {
	ct verify "$VEC/rfc8080.zone"
	assert_success
	assert_output - <<'OUT'
example.com. MX 3613/15: verified
example.com. MX 35217/15: verified
example.com. MX 9713/16: verified
example.com. MX 38353/16: verified
OUT
}

@test "RFC 8080 section 6.1: Ed25519 signatures reproduced byte for byte" {
	ct sign "$VEC/rfc8080.zone" "$VEC/Kexample.com.+015+03613"
	assert_success
	assert_output "example.com. MX 3613/15: same oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg=="
	ct sign "$VEC/rfc8080.zone" "$VEC/Kexample.com.+015+35217"
	assert_success
	assert_output "example.com. MX 35217/15: same zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnzQoSm5poJ7gD7AQR0O7KuI5k2pcBg=="
}

@test "RFC 8080 section 6.2: Ed448 signatures reproduced byte for byte" {
	ct sign "$VEC/rfc8080.zone" "$VEC/Kexample.com.+016+09713"
	assert_success
	assert_output "example.com. MX 9713/16: same 3cPAHkmlnxcDHMyg7vFC34l0blBhuG1qpwLmjInI8w1CMB29FkEAIJUA0amxWndkmnBZ6SKiwZSAxGILn/NBtOXft0+Gj7FSvOKxE/07+4RQvE581N3Aj/JtIyaiYVdnYtyMWbSNyGEY2213WKsJlwEA"
	ct sign "$VEC/rfc8080.zone" "$VEC/Kexample.com.+016+38353"
	assert_success
	assert_output "example.com. MX 38353/16: same E1/oLjSGIbmLny/4fcgM1z4oL6aqo+izT3urCyHyvEp4Sp8Syg1eI+lJ57CSnZqjJP41O/9l4m0AsQ4f7qI1gVnML8vWWiyW2KXhT9kuAICUSxv5OWbf81Rq7Yu60npabODB0QFPb/rkW3kUZmQ0YQUA"
}

@test "a changed signature does not verify" {
	sed 's/kRCOH6u7/kRCOH6u8/; s/qx6wLYqm/qx6wLYqn/' "$VEC/rfc5702.zone" \
		> "$BATS_TEST_TMPDIR/bad.zone"
	ct verify "$BATS_TEST_TMPDIR/bad.zone"
	assert_failure 1
	assert_line "www.example.net. A 9033/8: BAD"
	assert_line "www.example.net. A 3740/10: verified"
	sed 's/qx6wLYqm/qx6wLYqn/; s|/L5hDKIv|/L5hDKIw|' "$VEC/rfc6605.zone" \
		> "$BATS_TEST_TMPDIR/bad.zone"
	ct verify "$BATS_TEST_TMPDIR/bad.zone"
	assert_failure 1
	assert_line "www.example.net. A 55648/13: BAD"
	assert_line "www.example.net. A 10771/14: BAD"
	sed 's/oL9krJun/oL9krJuo/; s/3cPAHkml/3cPAHkmm/' "$VEC/rfc8080.zone" \
		> "$BATS_TEST_TMPDIR/bad.zone"
	ct verify "$BATS_TEST_TMPDIR/bad.zone"
	assert_failure 1
	assert_line "example.com. MX 3613/15: BAD"
	assert_line "example.com. MX 9713/16: BAD"
	assert_line "example.com. MX 35217/15: verified"
}

@test "one key signs and verifies from several threads at once" {
	local k
	for k in rfc5702.zone:Kexample.net.+008+09033 \
	    rfc6605.zone:Kexample.net.+013+55648 \
	    rfc6605.zone:Kexample.net.+014+10771 \
	    rfc8080.zone:Kexample.com.+015+03613 \
	    rfc8080.zone:Kexample.com.+016+09713; do
		ct threads "$VEC/${k%%:*}" "$VEC/${k#*:}" 4
		assert_success
		assert_output "4 threads x 50: 0 failed"
	done
}

@test "a private key that does not match its public key is refused" {
	cp "$VEC/Kexample.net.+013+55648.key" "$BATS_TEST_TMPDIR/Kx.key"
	cp "$DATA/examples/Kexample.+013+05021.private" "$BATS_TEST_TMPDIR/Kx.private"
	ct sign "$VEC/rfc6605.zone" "$BATS_TEST_TMPDIR/Kx"
	assert_trouble cryptotest "Kx.private: private key does not match public key .*Kx.key"
}

# A small zone signed by dnssec-signzone (NSEC) and by ldns-signzone
# (NSEC3) with fresh keys of every algorithm: we must verify all their
# signatures, and make the very same ones where signing is deterministic.
signed_by_others() {
	local d=$BATS_TEST_TMPDIR/sz a b
	mkdir -p "$d"
	for a in RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384 \
	    ED25519 ED448; do
		b=
		case $a in RSA*) b="-b 1024" ;; esac
		dnssec-keygen -q -K "$d" -a $a $b -f KSK sign.test > /dev/null
	done
	cat > "$d/plain.zone" <<'ZONE'
$TTL 3600
@	IN SOA	ns1 hostmaster 1 7200 3600 1209600 300
@	IN NS	ns1
ns1	IN A	192.0.2.1
www	IN A	192.0.2.2
www	IN A	192.0.2.3
MiXeD	IN TXT	"owner names are signed in lower case"
ZONE
	cat "$d/plain.zone" "$d"/K*.key > "$d/keys.zone"
	(cd "$d" && dnssec-signzone -q -z -O full -o sign.test -s 20260101000000 \
	    -e 20360101000000 -f bind.zone keys.zone K*.private > /dev/null)
	(cd "$d" && ldns-signzone -n -o sign.test. -i 20260101000000 \
	    -e 20360101000000 -f ldns.zone plain.zone \
	    $(ls K*.key | sed 's/\.key$//'))
}

@test "signatures of dnssec-signzone and ldns-signzone verify, all algorithms" {
	local z n
	signed_by_others
	for z in bind ldns; do
		n=$(awk '$4 == "RRSIG" || $3 == "RRSIG"' "$BATS_TEST_TMPDIR/sz/$z.zone" | wc -l)
		[ "$n" -ge 60 ] || fail "$z: only $n RRSIGs"
		ct verify "$BATS_TEST_TMPDIR/sz/$z.zone"
		assert_success
		assert_equal "$(grep -c ': verified$' <<<"$output")" "$n"
	done
}

@test "our RSA and EdDSA signatures equal theirs; our ECDSA ones verify" {
	local z k
	signed_by_others
	for z in bind ldns; do
		for k in "$BATS_TEST_TMPDIR"/sz/K*.key; do
			ct sign "$BATS_TEST_TMPDIR/sz/$z.zone" "$k"
			assert_success
			[ "${#lines[@]}" -ge 10 ] || fail "$z $k: ${#lines[@]} signatures"
			case $k in
			*+013+*|*+014+*)
				refute_output --regexp ': (same|BAD) ' ;;
			*)
				refute_output --regexp ': (verifies|BAD) ' ;;
			esac
		done
	done
}

@test "ds_matches and ds_make: the published DS records of RFC 4034, 4509, 6605 and 8080" {
	ct ds "$VEC/ds.zone"
	assert_success
	assert_output - <<'OUT'
example.com. DS 3613/15/2: key 1
example.com. DS 9713/16/2: key 4
example.com. DS 35217/15/2: key 2
example.com. DS 38353/16/2: key 3
dskey.example.com. DS 60485/5/1: key 1
dskey.example.com. DS 60485/5/2: key 1
example.net. DS 10771/14/4: key 2
example.net. DS 55648/13/2: key 1
OUT
}

@test "ds_matches recomputes the digest: a key with the same tag does not match" {
	ct ds "$VEC/collide.zone"
	assert_success
	# Canonical order puts the altered key (kJSU...) first.
	assert_output "example. DS 5021/13/2: same tag, not key 1; key 2"
}

@test "ds_matches: a changed digest, another owner or an unsupported digest type match nothing" {
	sed 's/ 2BB183AF5F2258/ 2BB183AF5F2259/; s/^example.net. 3600 IN DS 55648 13 2/example.org. 3600 IN DS 55648 13 2/; s/IN DS 3613 15 2/IN DS 3613 15 3/' \
		"$VEC/ds.zone" > "$BATS_TEST_TMPDIR/ds.zone"
	ct ds "$BATS_TEST_TMPDIR/ds.zone"
	assert_failure 1
	assert_line "dskey.example.com. DS 60485/5/1: same tag, not key 1; no key"
	assert_line "example.org. DS 55648/13/2: no key"
	assert_line "example.com. DS 3613/15/3: same tag, not key 1; no key"
	assert_line "dskey.example.com. DS 60485/5/2: key 1"
}
