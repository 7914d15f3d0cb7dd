#!/usr/bin/env bats
# zresign against the published examples.  RFC 8080 section 6 (with
# erratum 4935, Ed25519) and RFC 5702 section 6 (RSASHA256, RSASHA512)
# signatures are deterministic: signing the RFC's data with the RFC's
# keys, TTL and times through zresign must give the RFC's RRSIG, byte
# for byte.  RFC 6605 section 6's ECDSA signatures were made with random
# nonces (ours are RFC 6979's, see t/0200-ds-from-dnskey-crypto.bats), so
# they cannot be remade; they must be accepted by both of zresign's verification paths, the one for
# its own keys (with the key pair) and the one for another operator's
# (with the DNSKEY).  RFC 5702's keys are of 512 and 1,024 bits, which
# zresign signs with only when -W allows (t/0510-zresign-keys.bats).

load helper

V=$DATA/zresign/vectors

# The RRSIG records of the output covering type $1, RDATA only.
rrsig_of() {
	awk -v t="$1" -F'\t' '$4 == "RRSIG" && $5 ~ "^" t " " { print $5 }'
}

@test "RFC 8080 section 6.1: the Ed25519 RRSIG MX of key 3613, byte for byte" {
	runs zresign -k "$V/Kexample.com.+015+03613" -t 1438207200 \
		-i 1438207200 -e 1440021600 "$V/rfc8080.zone"
	assert_success
	assert_equal "$(rrsig_of MX <<<"$output")" \
		"MX 15 2 3600 20150819220000 20150729220000 3613 example.com. oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg=="
}

@test "RFC 8080 section 6.1: the Ed25519 RRSIG MX of key 35217, byte for byte" {
	runs zresign -k "$V/Kexample.com.+015+35217.private" -t 1438207200 \
		-i 20150729220000 -e 20150819220000 "$V/rfc8080.zone"
	assert_success
	assert_equal "$(rrsig_of MX <<<"$output")" \
		"MX 15 2 3600 20150819220000 20150729220000 35217 example.com. zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnzQoSm5poJ7gD7AQR0O7KuI5k2pcBg=="
}

@test "RFC 5702 section 6.1: the RSASHA256 RRSIG A of key 9033, byte for byte" {
	runs zresign -W -k "$V/Kexample.net.+008+09033.key" -t 20000101000000 \
		-i 20000101000000 -e 20300101000000 "$V/rfc5702.zone"
	assert_success
	assert_equal "$(rrsig_of A <<<"$output")" \
		"A 8 3 3600 20300101000000 20000101000000 9033 example.net. kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/lPtPiVYP4bwg=="
}

@test "RFC 5702 section 6.2: the RSASHA512 RRSIG A of key 3740, byte for byte" {
	runs zresign -W -k "$V/Kexample.net.+010+03740" -t 20000101000000 \
		-i 20000101000000 -e 20300101000000 "$V/rfc5702.zone"
	assert_success
	assert_equal "$(rrsig_of A <<<"$output")" \
		"A 10 3 3600 20300101000000 20000101000000 3740 example.net. tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw="
}

@test "RFC 5702: both keys at once, each algorithm signs every RRset" {
	runs zresign -W -k "$V/Kexample.net.+008+09033" -k "$V/Kexample.net.+010+03740" \
		-t 20000101000000 -i 20000101000000 -e 20300101000000 "$V/rfc5702.zone"
	assert_success
	assert_equal "$(rrsig_of A <<<"$output" | cut -d' ' -f1-7)" \
		"A 8 3 3600 20300101000000 20000101000000 9033
A 10 3 3600 20300101000000 20000101000000 3740"
	# SOA, NSEC of both names, DNSKEY: 4 RRsets and A, each twice.
	assert_equal "$(awk -F'\t' '$4 == "RRSIG"' <<<"$output" | wc -l)" 10
}

@test "RFC 6605 section 6: signatures of our own keys verify and are kept" {
	runs zresign -v -t 20100820000000 -k "$V/Kexample.net.+013+55648" \
		-k "$V/Kexample.net.+014+10771" "$V/rfc6605.zone"
	assert_success
	assert_equal "$(rrsig_of A <<<"$output")" \
		"A 13 3 3600 20100909100439 20100812100439 55648 example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==
A 14 3 3600 20100909102025 20100812102025 10771 example.net. /L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuzWTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm"
	[[ "$stderr" == *"key 55648/13 (KSK): 4 made, 0 reused, 1 kept"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"key 10771/14 (KSK): 4 made, 0 reused, 1 kept"* ]] ||
		fail "$stderr"
}

@test "RFC 6605 section 6: a changed signature of our own is made again" {
	sed 's/qx6wLYqmh/qx6wLYqmi/; s|/L5hDKIvG|/L5hDKIvH|' "$V/rfc6605.zone" \
		> "$BATS_TEST_TMPDIR/bad.zone"
	runs zresign -v -t 20100820000000 -k "$V/Kexample.net.+013+55648" \
		-k "$V/Kexample.net.+014+10771" "$BATS_TEST_TMPDIR/bad.zone"
	assert_success
	[[ "$stderr" == *"key 55648/13 (KSK): 5 made, 0 reused, 0 kept, 1 dropped: does not verify over the RRset as it is"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"key 10771/14 (KSK): 5 made, 0 reused, 0 kept, 1 dropped: does not verify over the RRset as it is"* ]] ||
		fail "$stderr"
	refute_output --partial qx6wLYqm
}

@test "RFC 6605 section 6.1: another operator's signature verifies with its DNSKEY" {
	runs zresign -v -O verified -t 20100820000000 \
		-k "$V/Kexample.net.+013+54068" "$V/rfc6605-foreign.zone"
	assert_success
	assert_line --partial "55648 example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw=="
	[[ "$stderr" == *"key 55648/13 (another operator's): 0 made, 0 reused, 1 kept"* ]] ||
		fail "$stderr"
	sed 's/qx6wLYqmh/qx6wLYqmi/' "$V/rfc6605-foreign.zone" > "$BATS_TEST_TMPDIR/bad.zone"
	runs zresign -v -O verified -t 20100820000000 \
		-k "$V/Kexample.net.+013+54068" "$BATS_TEST_TMPDIR/bad.zone"
	assert_success
	refute_output --partial qx6wLYqm
	[[ "$stderr" == *"key 55648/13 (another operator's): 0 made, 0 reused, 0 kept, 1 dropped: does not verify over the RRset as it is"* ]] ||
		fail "$stderr"
}
