#!/usr/bin/env bats
# bero-migrate refresh and the signature headroom (G8) against the next
# renewal: KSK_B's signatures over a DNSKEY RRset that holds A's keys
# last KEY_SIG_VALIDITY (4 days), so a long wait needs a refresh; the
# exchanged KSK_A signature B carries must be handed over again before
# it runs short; status says by when, and warns.

load helper
load bero-migrate

setup_file() { bm_after_2a_file; }
setup() { bm_after_2a; }

# sigexp ZONE TAG: the expiration (YYYYMMDDHHmmSS) of the signature over
# the apex DNSKEY RRset by the key with that tag.
sigexp() {
	awk -F '\t' -v t="$2" '$1 == "example." && $4 == "RRSIG" {
	    split($5, f, " "); if (f[1] == "DNSKEY" && f[7] == t) print f[5] }' "$1"
}

# ksk_tag PARTY: the tag of a party's KSK in ./st.
ksk_tag() {
	local k
	for k in st/keys/"$1"/K*.key; do
		if grep -q 'DNSKEY[[:space:]]*257' "$k"; then
			k=${k##*+}
			echo $((10#${k%.key}))
		fi
	done
}

utc() {
	TZ=UTC date -d "@$1" +%Y%m%d%H%M%S
}

@test "KSK_B's signature over the four-key DNSKEY RRset lasts KEY_SIG_VALIDITY (4 days), at B and in A's copy; KSK_A's keeps A's validity (30 days)" {
	local kb ka
	kb=$(ksk_tag b)
	ka=$(ksk_tag a)
	assert_equal "$(sigexp st/published/b/example.zone "$kb")" "$(utc $((T0 + 345600)))"
	assert_equal "$(sigexp st/published/a/example.zone "$kb")" "$(utc $((T0 + 345600)))"
	assert_equal "$(sigexp st/published/b/example.zone "$ka")" "$(utc $((T0 + 2592000)))"
	# B's zone of step 1, which holds none of A's keys: 30 days.
	assert_equal "$(sigexp st/history/b-1.zone "$kb")" "$(utc $((T0 + 2592000)))"
	# Configured.
	echo KEY_SIG_VALIDITY=432000 >> st/config
	BERO_NOW=$((T0 + 4200)) runs bero-migrate -d st step 2b
	assert_success
	assert_equal "$(sigexp st/published/b/example.zone "$kb")" "$(utc $((T0 + 4200 + 432000)))"
	# Not a number of seconds: refused by every command.
	echo KEY_SIG_VALIDITY=4d >> st/config
	BERO_NOW=$((T0 + 4200)) runs bero-migrate -d st status
	assert_trouble bero-migrate "config: KEY_SIG_VALIDITY='4d': not a number of seconds"
}

@test "a long wait: status warns and says by when; the step refuses (G8) until refresh renews KSK_B's signature at B and in A's copy, data and apex kept" {
	local kb t sa before
	bm_run st 6
	kb=$(ksk_tag b)
	t=$((BM_NOW + 2 * 86400))
	# Two days into the wait before step 9: KSK_B's signature made at
	# step 6 has two days left, less than REFRESH_MARGIN +
	# HEADROOM_MARGIN (2.5 days).
	BERO_NOW=$t runs bero-migrate -d st status
	assert_success
	assert_line "signatures of b: its own until $(TZ=UTC date -d @$((BM_NOW + 345600)) '+%Y-%m-%d %H:%M:%S UTC'): refresh by $(TZ=UTC date -d @$((BM_NOW + 345600 - 216000)) '+%Y-%m-%d %H:%M:%S UTC')"
	assert_line --regexp "^warning: published/b/example.zone: a signature by B's keys expires at .*, sooner than the longest wait ahead \(.*\) \+ REFRESH_MARGIN: run refresh during the waits, at least every 12h\$"
	assert_line --partial "the last KSK_B signature over a DNSKEY RRset holding A's keys expires at $(TZ=UTC date -d @$((BM_NOW + 345600)) '+%Y-%m-%d %H:%M:%S UTC')"
	before=$(bm_snapshot)
	BERO_NOW=$t runs bero-migrate -d st step 7
	assert_failure 1
	[[ "$stderr" == *"bero-migrate: step 7: G8 published/b/example.zone: a signature expires at "*"(now + REFRESH_MARGIN + HEADROOM_MARGIN: the next renewal and the margin): run refresh"* ]]
	assert_equal "$(bm_snapshot)" "$before"
	sa=$(awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3]; exit }' st/published/a/example.zone)
	BERO_NOW=$t runs bero-migrate -d st refresh
	assert_success
	assert_line --regexp '^refresh-[0-9]+: every check passed$'
	# A new KSK_B signature, at B and carried into A's zone; the same
	# new serial at both; data, apex NS and DNSKEY unchanged.
	for p in a b; do
		assert_equal "$(sigexp st/published/$p/example.zone "$kb")" "$(utc $((t + 345600)))"
		assert_equal "$(awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3]; exit }' st/published/$p/example.zone)" $((sa + 1))
		run zdiff-dnssec -E -g data st/history/$p-6.zone st/published/$p/example.zone
		assert_success
		run zdiff-dnssec -b -g apex st/history/$p-6.zone st/published/$p/example.zone
		assert_output 'apex: 1 change'
	done
	run tail -n 2 st/history/interim
	assert_line --index 0 --regexp "^a history/a-refresh-[0-9]+.zone $t 8\$"
	assert_line --index 1 --regexp "^b history/b-refresh-[0-9]+.zone $t 8\$"
	# Nothing more to do at once.
	BERO_NOW=$t runs bero-migrate -d st refresh
	assert_success
	assert_line '  nothing to refresh: every signature lasts beyond '"$(TZ=UTC date -d @$((t + 259200)) '+%Y-%m-%d %H:%M:%S UTC')"
	BERO_NOW=$t runs bero-migrate -d st step 7
	assert_success
}

@test "the exchanged KSK_A signature running short: status gives the date a new one is needed, and warns; the step that needs it refuses; a refresh carries A's new one" {
	local t ka
	# A's signer makes short DNSKEY signatures (5 days).
	bm_init st2 -C <(echo "ZRESIGN_OPTS='-E +5d'")
	rm -rf st
	mv st2 st
	bm_run st 2b
	ka=$(ksk_tag a)
	assert_equal "$(sigexp st/published/b/example.zone "$ka")" "$(utc $((BM_NOW + 432000)))"
	t=$((BM_NOW + 3 * 86400))
	BERO_NOW=$t runs bero-migrate -d st status
	assert_success
	assert_line "  the exchanged signature (A's KSK) until $(TZ=UTC date -d @$((BM_NOW + 432000)) '+%Y-%m-%d %H:%M:%S UTC'): a new one from A is needed by $(TZ=UTC date -d @$((BM_NOW + 432000 - 216000)) '+%Y-%m-%d %H:%M:%S UTC')"
	assert_line --partial "warning: published/b/example.zone: the exchanged signature by A's KSK expires at "
	BERO_NOW=$t runs bero-migrate -d st step 3
	assert_failure 1
	[[ "$stderr" == *"G8 published/b/example.zone: an imported signature (the other operator's) expires at $(TZ=UTC date -d @$((BM_NOW + 432000)) '+%Y-%m-%d %H:%M:%S UTC'), before "*": a new one is needed from the other operator"* ]]
	[ ! -e st/r/step-3.request ] || [ -z "$(bm_time st 3)" ]
	BERO_NOW=$t runs bero-migrate -d st refresh
	assert_success
	assert_equal "$(sigexp st/published/b/example.zone "$ka")" "$(utc $((t + 432000)))"
	BERO_NOW=$t runs bero-migrate -d st step 3
	assert_success
}
