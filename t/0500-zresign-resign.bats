#!/usr/bin/env bats
# Re-signing: what zresign keeps.  Given the previous signed zone (-P),
# an RRset that did not change keeps its signature, without cryptography,
# so that a change at the apex changes only the apex signatures and the
# denial records it touches; our own signatures found in the input are
# kept once they verify; signatures near expiry are made again.  Other
# operators' signatures follow the policy of -x: the signature exchange
# of step 2a (kept over DNSKEY when it verifies), stale ones dropped,
# data signatures dropped; strip; verified.  The sample TLD and the keys
# of operators A and B (t/data/examples) serve; a signature made again
# has the new run's inception, so "kept" shows as "byte for byte the
# same", and the -v counts say which were made, reused or kept.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
	A="-k Kexample.+013+05021 -k Kexample.+013+40244"
	B="-k Kexample.+013+62651 -k Kexample.+013+48585"
}

# The RRSIG records of a zone file, sorted.
sigs() {
	awk -F'\t' '$4 == "RRSIG"' "$1" | sort
}

@test "resign: an apex-only change with -P leaves every other RRSIG byte for byte" {
	zresign -A -t 20261201000000 $A -o a.signed example.zone
	# The apex gains a TXT record, nothing else changes.
	{ cat example.zone; echo '@ 3600 IN TXT "changed"'; } > edited.zone
	runs zresign -v -A -t 20261205000000 -P a.signed $A -o b.signed edited.zone
	assert_success
	# Only the new TXT record and its signature differ, and the apex's
	# NSEC3, whose bitmap gains TXT, with its signature.
	assert_equal "$(diff a.signed b.signed | grep '^[<>]' | cut -f1,4 | sort)" \
		"$(printf '%s\n' '< 3msev9usmd4br9s97v51r2tdvmr9iqo1.example.	NSEC3' \
		'< 3msev9usmd4br9s97v51r2tdvmr9iqo1.example.	RRSIG' \
		'> 3msev9usmd4br9s97v51r2tdvmr9iqo1.example.	NSEC3' \
		'> 3msev9usmd4br9s97v51r2tdvmr9iqo1.example.	RRSIG' \
		'> example.	RRSIG' '> example.	TXT' | sort)"
	assert_equal "$(diff <(sigs a.signed) <(sigs b.signed) | grep -c '^<')" 1
	[[ "$stderr" == *"key 40244/13 (ZSK): 2 made, 5 reused, 0 kept"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"key 5021/13 (KSK): 0 made, 1 reused, 0 kept"* ]] ||
		fail "$stderr"
}

@test "resign: with -P, from the unsigned zone or the signed one, an unchanged zone comes out the same" {
	zresign -A -t 20261201000000 $A -o a.signed example.zone
	runs zresign -v -A -t 20261210000000 -P a.signed $A example.zone
	assert_success
	assert_equal "$output" "$(cat a.signed)"
	[[ "$stderr" == *"0 signatures made, 7 reused, 0 kept; 0 checked"* ]] ||
		fail "$stderr"
	runs zresign -A -t 20261210000000 -P a.signed $A a.signed
	assert_success
	assert_equal "$output" "$(cat a.signed)"
}

@test "resign: without -P, our own signatures in the input are verified and kept" {
	zresign -A -t 20261201000000 $A -o a.signed example.zone
	runs zresign -v -A -t 20261210000000 $A a.signed
	assert_success
	assert_equal "$output" "$(cat a.signed)"
	[[ "$stderr" == *"0 signatures made, 0 reused, 7 kept; 0 checked"* ]] ||
		fail "$stderr"
	# A signature changed in the input does not verify: made again.
	awk -F'\t' 'BEGIN { OFS = "\t" } $4 == "RRSIG" && $5 ~ /^SOA/ {
		$5 = substr($5, 1, length($5) - 6) "AAAAA=" } { print }' \
		a.signed > bad.signed
	runs zresign -v -A -t 20261210000000 $A bad.signed
	assert_success
	[[ "$stderr" == *"key 40244/13 (ZSK): 1 made, 0 reused, 5 kept, 1 dropped: does not verify over the RRset as it is"* ]] ||
		fail "$stderr"
	assert_equal "$(sigs a.signed | grep -v '	SOA ')" \
		"$(sigs <(printf '%s\n' "$output") | grep -v '	SOA ')"
}

@test "resign: the refresh window: signatures that expire too soon are made again" {
	zresign -A -t 20261201000000 -e +10d $A -o a.signed example.zone
	# Eight days on, two days are left: within a 3-day window, not a 1-day one.
	runs zresign -v -A -t 20261209000000 -w 3d -P a.signed $A example.zone
	assert_success
	[[ "$stderr" == *"7 signatures made, 0 reused, 0 kept"* ]] || fail "$stderr"
	runs zresign -v -A -t 20261209000000 -w 1d -P a.signed $A example.zone
	assert_success
	[[ "$stderr" == *"0 signatures made, 7 reused, 0 kept"* ]] || fail "$stderr"
	assert_equal "$output" "$(cat a.signed)"
	# After the expiration nothing is reused, whatever the window.
	runs zresign -v -A -t 20261212000000 -w 0 -P a.signed $A example.zone
	assert_success
	[[ "$stderr" == *"7 signatures made, 0 reused, 0 kept"* ]] || fail "$stderr"
}

@test "resign: another key in the role: the old key's signatures go" {
	zresign -A -t 20261201000000 $A -o a.signed example.zone
	# A's ZSK replaced by B's ZSK; A's old ZSK stays in the DNSKEY RRset
	# as a key that is not given: its data signatures are dropped.
	runs zresign -v -A -t 20261202000000 -k Kexample.+013+05021 \
		-k Kexample.+013+48585 a.signed
	assert_success
	[[ "$stderr" == *"key 48585/13 (ZSK): 6 made, 0 reused, 0 kept"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"key 40244/13 (another operator's): 0 made, 0 reused, 0 kept, 6 dropped: left out by the policy"* ]] ||
		fail "$stderr"
	refute_output --regexp 'RRSIG	[A-Z0-9]+ 13 [0-9]+ [0-9]+ [0-9]+ [0-9]+ 40244 '
}

# Step 2a: B's zone is A's signed zone with B's keys merged and A's
# signatures over the shared DNSKEY RRset carried in.
step2a() {
	zresign -A -t 20261201000000 $A -o a.signed example.zone
	zmerge-dnskey -k Kexample.+013+62651.key -k Kexample.+013+48585.key \
		a.signed | zmerge-dnskey -f a-dnskey.frag - > b.zone
}

@test "resign: policy exchange (default): A's signatures over the DNSKEY RRset stay, its data signatures go" {
	step2a
	runs zresign -v -A -t 20261202000000 $B b.zone
	assert_success
	assert_equal "$stderr" "zresign: key 62651/13 (KSK): 1 made, 0 reused, 0 kept
zresign: key 48585/13 (ZSK): 6 made, 0 reused, 0 kept
zresign: key 40244/13 (another operator's): 0 made, 0 reused, 1 kept, 6 dropped: left out by the policy
zresign: key 5021/13 (another operator's): 0 made, 0 reused, 1 kept
zresign: NSEC3 chain: 2 records, 0 empty non-terminals, 3 insecure delegations left out (opt-out)
zresign: 7 RRsets signed: 7 signatures made, 0 reused, 2 kept; 7 checked"
	assert_line --partial "RRSIG	DNSKEY 13 1 3600 20270301000000 20261201000000 5021 example. TtdqnRMape/qQbQK"
	runs zresign -A -t 20261202000000 -O exchange $B b.zone
	assert_success
	assert_line --partial "20261201000000 5021 example. TtdqnRMape/qQbQK"
}

@test "resign: policy exchange: a stale or expired exchanged signature is dropped" {
	step2a
	# The DNSKEY RRset changes after A signed it (A's ZSK left out):
	# A's signature no longer verifies.
	grep -v 'k8f3UGppHcjjJrVMTCQUVmIYMQlaAQ==$' b.zone > stale.zone
	runs zresign -v -A -t 20261202000000 $B stale.zone
	assert_success
	[[ "$stderr" == *"key 5021/13 (another operator's): 0 made, 0 reused, 0 kept, 1 dropped: does not verify over the RRset as it is"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"key 40244/13 (another operator's): 0 made, 0 reused, 0 kept, 6 dropped: left out by the policy, 1 dropped: no such key in the DNSKEY RRset"* ]] ||
		fail "$stderr"
	refute_output --partial TtdqnRMape
	# After A's signature expired (20270301000000).
	runs zresign -v -A -t 20270315000000 $B b.zone
	assert_success
	[[ "$stderr" == *"key 5021/13 (another operator's): 0 made, 0 reused, 0 kept, 1 dropped: expired or not yet valid"* ]] ||
		fail "$stderr"
	refute_output --partial TtdqnRMape
}

@test "resign: policy strip drops every signature of another operator" {
	step2a
	runs zresign -v -O strip -A -t 20261202000000 $B b.zone
	assert_success
	[[ "$stderr" == *"key 5021/13 (another operator's): 0 made, 0 reused, 0 kept, 1 dropped: left out by the policy"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"key 40244/13 (another operator's): 0 made, 0 reused, 0 kept, 7 dropped: left out by the policy"* ]] ||
		fail "$stderr"
	refute_output --regexp 'RRSIG	[A-Z0-9]+ 13 [0-9]+ [0-9]+ [0-9]+ [0-9]+ (5021|40244) '
}

@test "resign: policy verified keeps every signature of another operator that verifies" {
	step2a
	runs zresign -v -O verified -A -t 20261202000000 $B b.zone
	assert_success
	[[ "$stderr" == *"key 40244/13 (another operator's): 0 made, 0 reused, 7 kept"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"key 5021/13 (another operator's): 0 made, 0 reused, 1 kept"* ]] ||
		fail "$stderr"
	# A's data signatures are the ones of a.signed, byte for byte.
	assert_equal "$(sigs a.signed | grep ' 40244 example\. ' | grep -v '	DNSKEY ')" \
		"$(sigs <(printf '%s\n' "$output") | grep ' 40244 example\. ' | grep -v '	DNSKEY ')"
	# A key that is not in the DNSKEY RRset: its signatures go.
	grep -v 'k8f3UGppHcjjJrVMTCQUVmIYMQlaAQ==$' b.zone > nokey.zone
	runs zresign -v -O verified -A -t 20261202000000 $B nokey.zone
	assert_success
	[[ "$stderr" == *"key 40244/13 (another operator's): 0 made, 0 reused, 0 kept, 7 dropped: no such key in the DNSKEY RRset"* ]] ||
		fail "$stderr"
}

@test "resign: signatures over what is not signed, or by a signer not the apex, go" {
	zresign -t 20261201000000 $A -o a.signed example.zone
	# A signature over glue, one over a delegation's NS, one whose
	# signer is not the apex.
	cat >> a.signed <<'EOF2'
ns1.alpha.example.	86400	IN	RRSIG	A 13 3 86400 20270101000000 20261201000000 40244 example. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==
bravo.example.	86400	IN	RRSIG	NS 13 2 86400 20270101000000 20261201000000 40244 example. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==
alpha.example.	86400	IN	RRSIG	DS 13 2 86400 20270101000000 20261201000000 12345 other.example. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==
EOF2
	runs zresign -v -O verified -t 20261202000000 $A a.signed
	assert_success
	[[ "$stderr" == *"key 40244/13 (ZSK): 0 made, 0 reused, 8 kept, 2 dropped: covers no signed RRset"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"key 12345/13 (another operator's): 0 made, 0 reused, 0 kept, 1 dropped: signer, labels or original TTL wrong"* ]] ||
		fail "$stderr"
	refute_output --partial qx6wLYqmh
	# An RRSIG too short to be one (RFC 3597 generic form) is dropped.
	printf 'www.example. 3600 IN A 192.0.2.1\nwww.example. 3600 IN RRSIG \\# 2 0001\n' \
		>> example.zone
	runs zresign -v -t 20261202000000 $A example.zone
	assert_success
	[[ "$stderr" == *"zresign: 1 malformed RRSIG records dropped"* ]] ||
		fail "$stderr"
	# In the previous zone too, it is passed over.
	runs zresign -t 20261202000000 -P example.zone $A example.zone
	assert_success
}
