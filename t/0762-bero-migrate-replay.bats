#!/usr/bin/env bats
# Bounded trust in the other operator's keys: after step 10, A, which
# still holds ZSK_A, replays the four-key DNSKEY RRset with KSK_B's
# signature (from steps 2a to 9) and signs a record of its own making
# with ZSK_A.  From DS_B alone that validates until KSK_B's signature
# expires: KEY_SIG_VALIDITY (4 days) after the last one B made, which is
# what status prints; with the old validity of 30 days it would still
# validate days later.

load helper
load bero-migrate

# A migration run to step 10 (the last KSK_B signature over an RRset
# holding A's keys made at the refresh before it), with the config
# fragment given.
to_step_10() {
	bm_init "$1" ${2:+-C "$2"}
	bm_run "$1" 10
}

# forge DIR OUT: A's forgery: A's last zone (its DNSKEY RRset holds the
# four keys and carries KSK_B's signature), a record of A's own making
# added, signed again with A's keys at step 10's time: zresign keeps
# KSK_B's signature over the DNSKEY RRset, which still verifies.
forge() {
	local -a ks=()
	local k t10
	t10=$(bm_time "$1" 10)
	for k in "$1"/keys/a/K*.key; do
		ks+=(-k "${k%.key}")
	done
	{
		cat "$1/published/a/example.zone"
		printf 'forged.example.\t3600\tIN\tA\t192.0.2.66\n'
	} | zresign -A -t "$t10" "${ks[@]}" -P "$1/published/a/example.zone" \
	    -o "$2"
}

@test "a replay after step 10 of the four-key RRset with KSK_B's signature and ZSK_A-signed data: valid from DS_B alone within KEY_SIG_VALIDITY, bogus after it; with 30 days still valid then" {
	local t10 last
	cd "$BATS_TEST_TMPDIR"
	to_step_10 st
	t10=$(bm_time st 10)
	forge st forged.zone
	grep -q '^forged\.example\.' forged.zone
	# B's zone after step 10 no longer holds A's keys; DS_B is all a
	# resolver needs once step 12 is done.
	run zcheck-chain -q -t "$t10" -D st/b/ds-b.txt st/published/b/example.zone
	assert_success
	# Within the bound the forgery validates from DS_B: the window is
	# real, and bounded.
	run zcheck-chain -q -t $((t10 + 3600)) -D st/b/ds-b.txt forged.zone
	assert_success
	# status names when the last such signature expires: no later than
	# step 10 + KEY_SIG_VALIDITY.
	BERO_NOW=$t10 runs bero-migrate -d st status
	assert_success
	last=$(printf '%s\n' "$output" | sed -n "s/^the last KSK_B signature over a DNSKEY RRset holding A's keys expires at \(.*\) (.*)\$/\1/p")
	[ -n "$last" ]
	last=$(date -u -d "${last% UTC}" +%s)
	[ "$last" -le $((t10 + 345600)) ]
	# From then on the forgery is bogus from DS_B: its DNSKEY RRset no
	# longer validates.
	run zcheck-chain -t $((last + 1)) -D st/b/ds-b.txt forged.zone
	assert_failure 1
	assert_output --partial 'example. DNSKEY: does not validate from this DS set'
	run zcheck-chain -q -t $((t10 + 345600 + 1)) -D st/b/ds-b.txt forged.zone
	assert_failure 1
	# With the old validity, 30 days, the same forgery still validates
	# from DS_B four days after step 10.
	echo 'KEY_SIG_VALIDITY=2592000' > old.conf
	to_step_10 old old.conf
	t10=$(bm_time old 10)
	forge old forged-old.zone
	run zcheck-chain -q -t $((t10 + 345600 + 1)) -D old/b/ds-b.txt forged-old.zone
	assert_success
}
