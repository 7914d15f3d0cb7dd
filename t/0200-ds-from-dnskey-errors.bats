#!/usr/bin/env bats
# ds-from-dnskey: bad input gets "ds-from-dnskey: file:line: message",
# exit status 2 and nothing on standard output.

load helper

B=$DATA/ds-from-dnskey/bad

bad() {
	runs ds-from-dnskey "$B/$1"
	assert_trouble ds-from-dnskey "^ds-from-dnskey: $B/$2\$"
}

@test "truncated record" {
	bad truncated.zone 'truncated.zone:2: invalid record data'
}

@test "bad base64" {
	bad base64.zone 'base64.zone:2: invalid Base64 character'
}

@test "unknown type" {
	bad type.zone 'type.zone:3: unsupported record type'
}

@test "name over 255 octets" {
	bad longname.zone 'longname.zone:2: maximal domain name length has exceeded'
}

@test "an \$INCLUDE is refused" {
	runs ds-from-dnskey "$B/include.zone"
	assert_trouble ds-from-dnskey "^ds-from-dnskey: $B/include.zone:3: \\\$INCLUDE .*no-such-file.zone: not allowed \\(see berokit\\(7\\)\\)\$"
}

@test "unsupported algorithm in a zone file names the algorithm" {
	bad algorithm.zone 'algorithm.zone:2: key 5011: unsupported algorithm 3'
}

@test "unsupported algorithm in a key file" {
	runs ds-from-dnskey "$B/Kexample.+003+01000"
	assert_trouble ds-from-dnskey "^ds-from-dnskey: $B/Kexample.\\+003\\+01000.key:2: key 5011: unsupported algorithm 3\$"
}

@test "an unsupported algorithm is an error even with -a and with -q" {
	runs ds-from-dnskey -a -q "$B/algorithm.zone"
	assert_trouble ds-from-dnskey 'unsupported algorithm 3$'
}

@test "public key of the wrong length for its algorithm" {
	bad shortkey.zone 'shortkey.zone:2: key 1550: ECDSA P-256 public key of 3 octets, not 64'
}

@test "protocol other than 3" {
	bad protocol.zone 'protocol.zone:2: key 4765: malformed DNSKEY \(RFC 4034 section 2.1.2: protocol must be 3\)'
}

@test "private key that does not match its public key names both files" {
	local m=$DATA/ds-from-dnskey/mismatch/Kexample.+013+62651
	runs ds-from-dnskey "$m"
	assert_trouble ds-from-dnskey "^ds-from-dnskey: ${m//+/\\+}.private: private key does not match public key ${m//+/\\+}.key\$"
	runs ds-from-dnskey "$m.key"
	assert_trouble ds-from-dnskey 'private key does not match public key'
}

@test "private key file with bad base64" {
	runs ds-from-dnskey "$B/Kexample.+013+05021.key"
	assert_trouble ds-from-dnskey "^ds-from-dnskey: $B/Kexample.\\+013\\+05021.private:3: PrivateKey: bad base64\$"
}

@test "private key file of another algorithm, or of no known format" {
	cp "$DATA/examples/Kexample.+013+05021.key" "$BATS_TEST_TMPDIR/Kx.key"
	printf 'Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\nPrivateKey: ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=\n' \
		> "$BATS_TEST_TMPDIR/Kx.private"
	runs ds-from-dnskey -k "$BATS_TEST_TMPDIR/Kx"
	assert_trouble ds-from-dnskey 'Kx.private: private key does not match public key .*Kx.key \(algorithm 15, not 13\)$'
	printf 'Private-key-format: v2.0\nAlgorithm: 13\n' > "$BATS_TEST_TMPDIR/Kx.private"
	runs ds-from-dnskey -k "$BATS_TEST_TMPDIR/Kx"
	assert_trouble ds-from-dnskey 'Kx.private:1: unsupported private key format v2.0$'
	printf 'Algorithm: 13\n' > "$BATS_TEST_TMPDIR/Kx.private"
	runs ds-from-dnskey -k "$BATS_TEST_TMPDIR/Kx"
	assert_trouble ds-from-dnskey 'Kx.private:1: not a private key file \(no Private-key-format line\)$'
	printf 'Private-key-format: v1.3\nAlgorithm: 13\n' > "$BATS_TEST_TMPDIR/Kx.private"
	runs ds-from-dnskey -k "$BATS_TEST_TMPDIR/Kx"
	assert_trouble ds-from-dnskey 'Kx.private: no PrivateKey line$'
}

@test "a .key file with something other than one DNSKEY" {
	printf 'example. 3600 IN A 192.0.2.1\n' > "$BATS_TEST_TMPDIR/Ka.key"
	runs ds-from-dnskey "$BATS_TEST_TMPDIR/Ka.key"
	assert_trouble ds-from-dnskey 'Ka.key:1: not a DNSKEY record$'
	cat "$DATA/examples/Kexample.+013+05021.key" "$DATA/examples/Kexample.+013+62651.key" \
		> "$BATS_TEST_TMPDIR/Kb.key"
	runs ds-from-dnskey "$BATS_TEST_TMPDIR/Kb.key"
	assert_trouble ds-from-dnskey 'Kb.key:10: more than one record in a key file$'
	: > "$BATS_TEST_TMPDIR/Kc.key"
	runs ds-from-dnskey "$BATS_TEST_TMPDIR/Kc.key"
	assert_trouble ds-from-dnskey 'Kc.key: no DNSKEY record$'
}

@test "missing files" {
	runs ds-from-dnskey "$B/no-such.zone"
	assert_trouble ds-from-dnskey "^ds-from-dnskey: $B/no-such.zone: No such file or directory\$"
	runs ds-from-dnskey "$B/Kno.+013+12345"
	assert_trouble ds-from-dnskey 'Kno.\+013\+12345.key: No such file or directory$'
}

@test "the first bad input stops the run before anything is written" {
	runs ds-from-dnskey "$DATA/ds-from-dnskey/keyset.zone" "$B/algorithm.zone"
	assert_trouble ds-from-dnskey 'unsupported algorithm 3$'
}
