#!/usr/bin/env bats
# Bounded trust in the other operator's keys with three state
# directories, at a real validating resolver (Unbound): make demo's
# script (as t/0850 runs it: the lab's network, addresses and port 53,
# each party in its own directory, A signed by BIND's dnssec-signzone)
# to the end; after step 10 its hook (t/lab/three-parties.sh,
# replay_after_step) keeps what the former operator holds then: A's
# state directory, where B's zone of step 6 carries the four-key DNSKEY
# RRset with KSK_B's signature (short-lived: KEY_SIG_VALIDITY), and the
# private keys of A's own signer.  With them A forges forged.TLD, signed
# by ZSK_A under that RRset (t/0830 makes the same forgery in the
# rehearsal), and serves it on its own addresses; the test root serves
# what the parent published at step 12 (DS_B alone), B its own zone.
# Unbound, pinned to A's addresses and validating at a date of the
# test's (val-override-date), takes the forgery an hour after step 12,
# still within KEY_SIG_VALIDITY of step 10 (the window is real), and
# answers SERVFAIL at step 10 + KEY_SIG_VALIDITY + 1 day + 1 s, the day
# being the largest clock skew Unbound allows (val-sig-skew-max), while
# a resolver pinned to B validates B's zone at that date.  The times are
# the parties' logs' (observed), KEY_SIG_VALIDITY B's config's.

load helper
load lab/setup

setup_file() {
	local d r
	lab_demo_file 0857-three-parties-replay replay_after_step
	[ -z "$LAB_SKIP" ] || return 0
	d=$LAB_OUT/demo
	r=$LAB_OUT/replay
	[ "$(cat "$LAB_OUT/demo.rc")" = 0 ] ||
	    { cat "$LAB_OUT/demo.out" "$LAB_OUT/demo.err" >&2; return 1; }
	# Step 10 at B, whose step it is: the last signature of KSK_B over
	# an RRset holding A's keys was made then at the latest.  Step 12:
	# the last of the three parties to observe the root's DS_B alone.
	T10=$(awk '$1 == 10 && $3 == "b" { t = $2 } END { print t }' "$d/b/log")
	T12=$(awk '$1 == 12 && (t == "" || $2 > t) { t = $2 } END { print t }' \
	    "$d/a/log" "$d/b/log" "$d/registry/log")
	KSV=$(sed -n 's/^KEY_SIG_VALIDITY=//p' "$d/b/config" | tail -n 1)
	KSK_B=$(ldns-read-zone -E DS "$d/root/root.zone" |
	    awk -v z="$LAB_TLD" '$1 == z && $4 == "DS" { print $5 }')
	export T10 T12 KSV KSK_B
	forge "$r" > "$r/forged.zone" || return 1
	lab_nsd_start root "$d/root/root.zone" &&
	    lab_nsd_start a "$r/forged.zone" &&
	    lab_nsd_start b "$d/b/published/b/example.zone" &&
	    lab_root "$d/root/root.zone"
}

# forge DIR: the zone A forges from what it held at step 10 (DIR/a-10,
# DIR/a-keys-10): its copy of B's zone of step 6 with forged.TLD added,
# signed at T10 by A's keys; zresign keeps the signature of another
# operator's key over the DNSKEY RRset when it verifies (-O exchange,
# its default): KSK_B's.
forge() {
	local -a ks=()
	local k
	for k in "$1"/a-keys-10/K*.private; do
		ks+=(-k "${k%.private}")
	done
	{
		cat "$1/a-10/published/b/example.zone"
		printf 'forged.%s\t10\tIN\tA\t192.0.2.66\n' "$LAB_TLD"
	} | zresign -t "$T10" "${ks[@]}"
}

teardown_file() {
	[ -n "${LAB_SKIP:-}" ] && return 0
	lab_cleanup
	[ -s "$LAB_DIR/replay.log" ] || return 0
	{
		awk '{ n++; if ($6 == "SERVFAIL") s++ }
		    END { printf "%d probes, %d SERVFAIL\n", n, s }' \
		    "$LAB_DIR/replay.log"
		cat "$LAB_DIR/replay.log"
		echo "step 10 at $T10 (B's log), 12 at $T12, KEY_SIG_VALIDITY $KSV s"
		echo "lab run time: $(($(date +%s) - $(. "$LAB_DIR/env"; echo "$LAB_T0"))) s"
	} | lab_note
	return 0
}

setup() {
	lab_setup
}

utc() {
	TZ=UTC date -d "@$1" +%Y%m%d%H%M%S
}

# epoch YYYYMMDDHHMMSS: the UTC time as seconds since the epoch.
epoch() {
	TZ=UTC date -d "${1:0:8} ${1:8:2}:${1:10:2}:${1:12:2}" +%s
}

# ask NAME PIN WHEN QNAME QTYPE: a new resolver pinned to PIN (a or b),
# validating at WHEN (seconds since the epoch), asked QNAME QTYPE; the
# answer in $output and replay.answers, a line in replay.log: name pin
# date qname qtype rcode ad.
ask() {
	local addr
	LAB_VAL_DATE=$(utc "$3") lab_resolver_start "$1" "$2"
	addr=$(cat "$LAB_DIR/unbound-$1/addr")
	run lab_exec dig +dnssec +time=3 +tries=1 @"$addr" "$4" "$5"
	lab_resolver_stop "$1"
	printf '=== %s (pin %s) at %s\n%s\n' "$1" "$2" "$(utc "$3")" "$output" \
	    >> "$LAB_DIR/replay.answers"
	printf '%s %s %s %s %s %s %s\n' "$1" "$2" "$(utc "$3")" "$4" "$5" \
	    "$(printf '%s\n' "$output" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p')" \
	    "$(printf '%s\n' "$output" | grep -q '^;; flags: [a-z ]* ad[ ;]' && echo AD || echo -)" \
	    >> "$LAB_DIR/replay.log"
}

# dnskey_data KEYFILE: the public key of a BIND key file, in one word.
dnskey_data() {
	awk '!/^;/ { for (i = 1; i < NF && $i != "DNSKEY"; i++) ;
	    k = ""; for (i += 4; i <= NF; i++) k = k $i; print k }' "$1"
}

# The expiration of KSK_B's signature over the forgery's DNSKEY RRset.
ksk_b_expiration() {
	ldns-read-zone -E RRSIG "$LAB_OUT/replay/forged.zone" |
	    awk -v t="$KSK_B" '$5 == "DNSKEY" && $11 == t { print $9 }'
}

@test "after step 10 A's directory held the four-key DNSKEY RRset with KSK_B's signature, bounded by KEY_SIG_VALIDITY; the root serves DS_B alone from step 12" {
	local e t k
	[[ "$T10" =~ ^[0-9]+$ ]] && [[ "$T12" =~ ^[0-9]+$ ]] && [ "$T12" -ge "$T10" ]
	[[ "$KSV" =~ ^[0-9]+$ ]]
	# The root's DS RRset of step 12, as served: one DS, KSK_B's.
	run cat "$LAB_OUT/replay/root-ds-12"
	assert_equal "${#lines[@]}" 1
	assert_output --regexp "^$KSK_B 13 2 "
	# The forgery's DNSKEY RRset: A's two keys and B's two, signed by
	# KSK_B, which signed it by step 10 at the latest.
	run ldns-read-zone -E DNSKEY "$LAB_OUT/replay/forged.zone"
	assert_equal "$(grep -c "	DNSKEY	" <<< "$output")" 4
	e=$(ksk_b_expiration)
	[[ "$e" =~ ^[0-9]{14}$ ]] || fail "no signature of KSK_B ($KSK_B) over the DNSKEY RRset: '$e'"
	[ "$(epoch "$e")" -le $((T10 + KSV)) ] ||
	    fail "KSK_B's signature expires $e, after step 10 + KEY_SIG_VALIDITY ($(utc $((T10 + KSV))))"
	# ZSK_A, a key of A's own signer, signed the forged record, and it
	# is in the RRset KSK_B signed.
	run ldns-read-zone -E RRSIG "$LAB_OUT/replay/forged.zone"
	t=$(awk -v q="forged.$LAB_TLD" '$1 == q && $5 == "A" { print $11 }' <<< "$output")
	[[ "$t" =~ ^[0-9]+$ ]] || fail "forged.$LAB_TLD A: no signature"
	k=$(printf '%s/replay/a-keys-10/K%s+013+%05d.key' "$LAB_OUT" "$LAB_TLD" "$t")
	[ -f "$k" ] || fail "forged.$LAB_TLD A signed by key $t, not one of A's"
	[ "$(awk '!/^;/ { for (i = 1; i < NF && $i != "DNSKEY"; i++) ; print $(i + 1) }' "$k")" = 256 ]
	grep -q "$(dnskey_data "$k")" \
	    "$LAB_OUT/replay/a-10/published/b/example.zone"
}

@test "within KEY_SIG_VALIDITY after step 10 the replay validates from DS_B at a resolver pinned to A (the window is real)" {
	local w=$((T12 + 3600))
	[ "$w" -lt "$(epoch "$(ksk_b_expiration)")" ]
	ask early a "$w" "forged.$LAB_TLD" A
	assert_output --partial 'status: NOERROR'
	assert_output --regexp 'flags: [a-z ]* ad'
	assert_output --partial '192.0.2.66'
}

@test "at step 10 + KEY_SIG_VALIDITY + Unbound's largest clock skew (1 day) + 1 s the replay is bogus at Unbound: SERVFAIL" {
	local w=$((T10 + KSV + 86400 + 1))
	ask late a "$w" "forged.$LAB_TLD" A
	assert_output --partial 'status: SERVFAIL'
	refute_output --partial '192.0.2.66'
	# Why (RFC 8914 EDE 7): the signature over the DNSKEY RRset, KSK_B's,
	# has expired (RFC 4035 section 5.3.1).
	assert_output --partial 'EDE: 7 (Signature Expired)'
	assert_output --partial "for key $LAB_TLD while building chain of trust"
	ask late-soa a "$w" "$LAB_TLD" SOA
	assert_output --partial 'status: SERVFAIL'
}

@test "at that date B's own zone validates at a resolver pinned to B (the bogus answer is the forgery's)" {
	local w=$((T10 + KSV + 86400 + 1))
	ask late-b-soa b "$w" "$LAB_TLD" SOA
	assert_output --partial 'status: NOERROR'
	assert_output --regexp 'flags: [a-z ]* ad'
	ask late-b-nic b "$w" "nic.$LAB_TLD" A
	assert_output --partial 'status: NOERROR'
	assert_output --regexp 'flags: [a-z ]* ad'
}
