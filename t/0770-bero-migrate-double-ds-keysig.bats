#!/usr/bin/env bats
# Bounded trust with the double-DS method (issue 13): KSK_B's signatures
# over B's DNSKEY RRset while it holds A's keys (steps 2a to 10) last
# KEY_SIG_VALIDITY, as with the exchange, also when B renews them by a
# refresh in the parent's steps ds3 and ds4, which the double-DS method
# puts between 2a and 2b (RFC 6781 section 4.1.2).  Before, a refresh
# there signed the four-key RRset for 30 days: with ZSK_A and DS_B at
# the root, a replay by A after step 10 would validate that long.  And
# a refresh after 2a or ds3, before the root serves DS_B, checks B's
# zone from B's own DS, as step 2a does; before, it was checked from DS_A
# alone, which it cannot pass, and refused; so was a sync that brought
# B a registration then.  Every time is BERO_NOW.

load helper
load bero-migrate

BM_STEPS="1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 13"

setup_file() { bm_after_2a_file -M double-ds; }
setup() { bm_after_2a; }

# ksk_b_exp ZONE: the expiration (YYYYMMDDHHmmSS) of KSK_B's signature
# over the apex DNSKEY RRset of ZONE.
ksk_b_exp() {
	local k t
	k=$(grep -l 'DNSKEY[[:space:]]*257 ' st/keys/b/K*.key)
	t=$(basename "$k" .key | awk -F '+' '{ print $3 + 0 }')
	awk -F '\t' -v t="$t" '$1 == "example." && $4 == "RRSIG" {
	    split($5, f, " "); if (f[1] == "DNSKEY" && f[7] == t) print f[5] }' "$1"
}

utc() {
	TZ=UTC date -d "@$1" +%Y%m%d%H%M%S
}

# refresh_after LAST: from the state after step 2a, the steps to LAST,
# then a refresh when KSK_B's signature of step 2a (KEY_SIG_VALIDITY, 4
# days) is due (within 2 x REFRESH_MARGIN + HEADROOM_MARGIN, 2.5 days):
# the new one must last KEY_SIG_VALIDITY from the refresh.
refresh_after() {
	local t2a t
	bm_run st "$1"
	assert_equal "$(awk 'END { print $1 }' st/log)" "$1"
	t2a=$(bm_time st 2a)
	assert_equal "$(ksk_b_exp st/published/b/example.zone)" "$(utc $((t2a + 345600)))"
	t=$((t2a + 345600 - 216000 + 60))
	BERO_NOW=$t runs bero-migrate -d st refresh
	assert_success
	assert_line --regexp '^refresh-[0-9]+: every check passed$'
	# B's RRset still holds A's keys; KSK_B's signature over it is new
	# and short-lived.
	assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' st/published/b/example.zone)" 4
	assert_equal "$(ksk_b_exp st/published/b/example.zone)" "$(utc $((t + 345600)))"
}

@test "double-DS: a refresh after step 2a makes KSK_B's signature over the four-key RRset last KEY_SIG_VALIDITY, B's zone checked from DS_B" {
	refresh_after 2a
	grep -q '^\$ zcheck-chain .* -D b/ds-b.txt b/refresh-[0-9]*.zone$' st/reports/refresh-*.check
}

@test "double-DS: a refresh after step ds3 makes KSK_B's signature over the four-key RRset last KEY_SIG_VALIDITY" {
	refresh_after ds3
	grep -q '^\$ zcheck-chain .* -D b/ds-b.txt b/refresh-[0-9]*.zone$' st/reports/refresh-*.check
}

@test "double-DS: a refresh after step ds4 (the wait before 2b) makes KSK_B's signature over the four-key RRset last KEY_SIG_VALIDITY" {
	refresh_after ds4
}

@test "double-DS: a registration added after step 2a reaches B (sync), B's zone checked from DS_B, which the root does not serve yet" {
	registry_edit st/published/a/example.zone new.zone add newreg.example.
	BERO_NOW=$((T0 + 600)) runs bero-migrate -d st sync -f new.zone
	assert_success
	assert_line --regexp '^[$] zcheck-chain -v -t [0-9]+ -w [0-9]+ -D b/ds-b.txt b/sync-1.zone$'
	grep -q $'^newreg\.example\.\t[0-9]*\tIN\tNS\t' st/published/b/example.zone
	assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' st/published/b/example.zone)" 4
}
