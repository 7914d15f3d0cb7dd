#!/usr/bin/env bats
# ds-from-dnskey: golden files, key selection, options, standard input,
# atomic -o and exit statuses.  The golden digests are checked against
# dnssec-dsfromkey in t/0200-ds-from-dnskey-interop.bats.

load helper

D=$DATA/ds-from-dnskey
EX=$DATA/examples

@test "zone file: SEP keys only, SHA-256, revoked key skipped with a warning" {
	runs ds-from-dnskey "$D/keyset.zone"
	assert_success
	assert_output "$(cat "$D/keyset.out")"
	assert_equal "$stderr" "$(sed "s|keyset.zone|$D/keyset.zone|" "$D/keyset.err")"
}

@test "-a takes every zone key, still not the revoked one nor a non-zone key" {
	runs ds-from-dnskey -a "$D/keyset.zone"
	assert_success
	assert_output "$(cat "$D/keyset-a.out")"
	refute_output --partial " 48330 "
	refute_output --partial " 48714 "
}

@test "-C -4 -L 300: CDS records with SHA-384 and the TTL asked for; -q is quiet" {
	runs ds-from-dnskey -q -C -4 -L 300 "$D/keyset.zone"
	assert_success
	assert_output "$(cat "$D/keyset-cds.out")"
	assert_equal "$stderr" ""
}

@test "-1 gives SHA-1 only when asked, and warns (RFC 8624 section 3.3)" {
	runs ds-from-dnskey -1 -2 "$D/keyset.zone"
	assert_success
	assert_output "$(cat "$D/keyset-sha1.out")"
	[[ "$stderr" == *"ds-from-dnskey: warning: SHA-1 DS records must not be published (RFC 8624 section 3.3)"* ]] ||
		fail "no SHA-1 warning: $stderr"
	runs ds-from-dnskey "$D/keyset.zone"
	refute_output --regexp ' 13 1 '
}

@test "-v says which keys were taken and which skipped, and why" {
	runs ds-from-dnskey -v "$D/keyset.zone"
	assert_success
	[[ "$stderr" == *"keyset.zone:19: key 40244/13 skipped: not a secure entry point"* ]] || fail "$stderr"
	[[ "$stderr" == *"keyset.zone:27: key 48330/13 skipped: not a zone key (RFC 4034 section 2.1.1)"* ]] || fail "$stderr"
	[[ "$stderr" == *"keyset.zone:12: key 5021/13"* ]] || fail "$stderr"
}

@test "output is deterministic and in canonical order, whatever the input order" {
	runs ds-from-dnskey -a "$D/keyset.zone"
	local first=$output
	# The same (ECDSA) keys, one per line, in both orders.
	grep -h DNSKEY "$EX"/Kexample.+013+*.key > "$BATS_TEST_TMPDIR/fwd.zone"
	tac "$BATS_TEST_TMPDIR/fwd.zone" > "$BATS_TEST_TMPDIR/rev.zone"
	runs ds-from-dnskey -a "$BATS_TEST_TMPDIR/fwd.zone"
	assert_success
	local fwd=$output
	runs ds-from-dnskey -a "$BATS_TEST_TMPDIR/rev.zone"
	assert_success
	assert_output "$fwd"
	assert_equal "$(cut -f5 <<<"$output" | cut -d' ' -f1 | tr '\n' ' ')" "5021 40244 48585 62651 "
	runs ds-from-dnskey -a "$D/keyset.zone"
	assert_output "$first"
}

@test "standard input, with no operand and with -" {
	runs ds-from-dnskey < "$D/keyset.zone"
	assert_success
	assert_output "$(cat "$D/keyset.out")"
	runs ds-from-dnskey -q - < "$D/keyset.zone"
	assert_success
	assert_output "$(cat "$D/keyset.out")"
	runs ds-from-dnskey -q "$EX/Kexample.+013+05021" - < "$EX/Kexample.+013+62651.key"
	assert_success
	assert_output "$(cat "$D/keyset.out")"
}

@test "a bad record on standard input is reported as <stdin>:line" {
	runs ds-from-dnskey < "$D/bad/shortkey.zone"
	assert_trouble ds-from-dnskey '^ds-from-dnskey: <stdin>:2: key 1550: ECDSA P-256 public key of 3 octets, not 64$'
}

@test "key pairs named by base name, .key path or .private path" {
	local k=$EX/Kexample.+013+62651 want
	want=$(printf 'example.\t3600\tIN\tDS\t62651 13 2 6bc3d1b7906be04635126534798315ca0bded10a9be940bec4a0cb7c09710eed')
	for arg in "$k" "$k.key" "$k.private"; do
		runs ds-from-dnskey "$arg"
		assert_success
		assert_output "$want"
	done
	runs ds-from-dnskey -k "$k"
	assert_success
	assert_output "$want"
}

@test "a public key alone is enough (the other operator's key)" {
	cp "$EX/Kexample.+013+62651.key" "$BATS_TEST_TMPDIR/"
	runs ds-from-dnskey "$BATS_TEST_TMPDIR/Kexample.+013+62651"
	assert_success
	assert_output --partial "62651 13 2 6bc3d1b7"
	runs ds-from-dnskey "$BATS_TEST_TMPDIR/Kexample.+013+62651.private"
	assert_trouble ds-from-dnskey 'Kexample\.\+013\+62651\.private: No such file or directory$'
}

@test "a key named on the command line never vanishes: a ZSK without -a is an error" {
	runs ds-from-dnskey "$EX/Kexample.+013+40244"
	assert_trouble ds-from-dnskey 'Kexample\.\+013\+40244\.key:5: key 40244/13: not a secure entry point \(flags 256; -a takes it\)$'
	runs ds-from-dnskey -a "$EX/Kexample.+013+40244"
	assert_success
	assert_output --partial "40244 13 2 dc9a5d10"
}

@test "a revoked key, or one without the zone-key flag, named on the command line is an error" {
	grep -v '^;' "$EX/Kexample.+013+48585.key" | sed 's/ 256 3 13 / 385 3 13 /' \
		> "$BATS_TEST_TMPDIR/Kexample.+013+48842.key"
	runs ds-from-dnskey "$BATS_TEST_TMPDIR/Kexample.+013+48842"
	assert_trouble ds-from-dnskey 'Kexample\.\+013\+48842\.key:1: key [0-9]+/13: revoked \(RFC 5011 section 3\)$'
	grep -v '^;' "$EX/Kexample.+013+48585.key" | sed 's/ 256 3 13 / 1 3 13 /' \
		> "$BATS_TEST_TMPDIR/Kexample.+013+48330.key"
	runs ds-from-dnskey -a "$BATS_TEST_TMPDIR/Kexample.+013+48330.key"
	assert_trouble ds-from-dnskey 'key [0-9]+/13: not a zone key \(RFC 4034 section 2.1.1\)$'
}

@test "exit 2 when no key qualifies" {
	grep -v '^;' "$EX/Kexample.+013+40244.key" > "$BATS_TEST_TMPDIR/zsk.zone"
	runs ds-from-dnskey "$BATS_TEST_TMPDIR/zsk.zone"
	assert_trouble ds-from-dnskey '^ds-from-dnskey: no key qualifies for a DS record \(only secure entry points are taken without -a\)$'
	runs ds-from-dnskey -C "$EX/example.zone"
	assert_trouble ds-from-dnskey '^ds-from-dnskey: no key qualifies for a CDS record'
}

@test "-z: origin for relative names, and only DNSKEYs at the origin" {
	printf '@ 600 IN DNSKEY 257 3 13 %s\nsub 600 IN DNSKEY 257 3 13 %s\n' \
		"$(awk '/DNSKEY/ {print $8 $9}' "$EX/Kexample.+013+05021.key")" \
		"$(awk '/DNSKEY/ {print $8 $9}' "$EX/Kexample.+013+62651.key")" \
		> "$BATS_TEST_TMPDIR/rel.zone"
	runs ds-from-dnskey -z example. "$BATS_TEST_TMPDIR/rel.zone"
	assert_success
	assert_output "$(printf 'example.\t600\tIN\tDS\t5021 13 2 4943e1fe83038856bd4194ebc31dd5e11247302307afce4ef9377ac23dccd4eb')"
}

@test "-o writes the file atomically and a failed run leaves it untouched" {
	mkdir "$BATS_TEST_TMPDIR/o"
	local out=$BATS_TEST_TMPDIR/o/ds.txt
	echo "old content" > "$out"
	runs ds-from-dnskey -o "$out" "$D/bad/algorithm.zone"
	assert_trouble ds-from-dnskey 'algorithm\.zone:2: key 5011: unsupported algorithm 3$'
	assert_equal "$(cat "$out")" "old content"
	runs ds-from-dnskey -o "$out" "$EX/Kexample.+013+40244"
	assert_equal "$status" 2
	assert_equal "$(cat "$out")" "old content"
	runs ds-from-dnskey -q -o "$out" "$D/keyset.zone"
	assert_success
	assert_output ""
	assert_equal "$(cat "$out")" "$(cat "$D/keyset.out")"
	[ "$(ls -A "$BATS_TEST_TMPDIR/o")" = "ds.txt" ] ||
		fail "temporary files left: $(ls -A "$BATS_TEST_TMPDIR/o")"
}

@test "-o may name the input" {
	cp "$EX/Kexample.+013+05021.key" "$BATS_TEST_TMPDIR/in.zone"
	runs ds-from-dnskey -o "$BATS_TEST_TMPDIR/in.zone" "$BATS_TEST_TMPDIR/in.zone"
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/in.zone")" "$(head -1 "$D/keyset.out")"
}

@test "usage errors exit 2 with the synopsis" {
	usage_is_synopsis ds-from-dnskey -x
	runs ds-from-dnskey -L 2147483648 "$D/keyset.zone"
	assert_trouble ds-from-dnskey '^ds-from-dnskey: bad TTL "2147483648"$'
	runs ds-from-dnskey -L 1h "$D/keyset.zone"
	assert_trouble ds-from-dnskey 'bad TTL "1h"'
	runs ds-from-dnskey -z 'bad..origin' "$D/keyset.zone"
	assert_trouble ds-from-dnskey 'bad origin'
}

@test "the same key twice gives one DS; mixed TTLs in the DS RRset are warned about" {
	runs ds-from-dnskey -q "$EX/Kexample.+013+05021" "$EX/Kexample.+013+05021.key"
	assert_success
	assert_equal "${#lines[@]}" 1
	sed 's/^example\. 3600/example. 60/' "$EX/Kexample.+013+62651.key" > "$BATS_TEST_TMPDIR/t.zone"
	runs ds-from-dnskey "$EX/Kexample.+013+05021" "$BATS_TEST_TMPDIR/t.zone"
	assert_success
	[[ "$stderr" == *"warning: example. DS RRset has TTLs 3600 and 60 (RFC 2181 section 5.2): -L sets one"* ]] ||
		fail "no TTL warning: $stderr"
}
