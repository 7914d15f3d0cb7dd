#!/usr/bin/env bats
# bero-migrate refresh in B's own directory with the double-DS method
# (issue 13), against real name servers (NSD on loopback, no resolver).
# From step 2a B's DNSKEY RRset holds A's keys signed by KSK_B alone:
# a refresh after 2a or ds4 makes KSK_B's signature over it again,
# short-lived (KEY_SIG_VALIDITY), and checks B's zone from B's own DS
# until the root serves DS_B.

load helper
load bero-migrate
load bero-roles
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	roles_file_setup
}

teardown_file() {
	zcs_stop
}

setup() {
	zcs_load
	cd "$BATS_FILE_TMPDIR" || return 1
}

# ksk_b_exp ZONE: the expiration of KSK_B's signature over ZONE's DNSKEY
# RRset.
ksk_b_exp() {
	awk -F '\t' -v t="$(ksk_tag b/keys/b)" '$1 == "example." && $4 == "RRSIG" {
	    split($5, f, " "); if (f[1] == "DNSKEY" && f[7] == t) print f[5] }' "$1"
}

# refresh_b T: B's refresh at T, when KSK_B's signature over the
# four-key RRset is due (within 2 x REFRESH_MARGIN + HEADROOM_MARGIN,
# 2.5 days): a new one that lasts KEY_SIG_VALIDITY (4 days) from T.
refresh_b() {
	runs at "$1" bero-migrate -d b refresh
	assert_success
	assert_line --regexp '^refresh-[0-9]+: every check passed$'
	assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' b/published/b/example.zone)" 4
	assert_equal "$(ksk_b_exp b/published/b/example.zone)" "$(TZ=UTC date -d @$(($1 + 345600)) +%Y%m%d%H%M%S)"
}

@test "double-DS, B's own directory: a refresh after step 2a (B's zone checked from DS_B) and one after ds4 renew KSK_B's signature over the four-key RRset for KEY_SIG_VALIDITY" {
	local t
	roles_through_2a -M double-ds
	# The registry's step ds3 (A's and B's 2a observed).
	at $((T0 + 180)) bero-migrate -d r import b2a > /dev/null &&
	    at $((T0 + 180)) bero-migrate -d r observe 2a > /dev/null &&
	    at $((T0 + 240)) bero-migrate -d r step ds3 > /dev/null
	# B, which logs ds3 and ds4 when it sees the parent serve them:
	# B's step 2a at T0 + 60 signed for 4 days.
	assert_equal "$(awk 'END { print $1 }' b/log)" 2a
	t=$((T0 + 60 + 345600 - 216000 + 60))
	refresh_b $t
	grep -q '^\$ zcheck-chain .* -D b/ds-b.txt b/refresh-1.zone$' b/reports/refresh-1.check
	# ds4: the parent publishes DS_A + DS_B, B observes it.
	roles_parent_publish r/r/step-ds3.request 2026120102 &&
	    at $((t + 60)) bero-migrate -d b observe ds4 > /dev/null
	assert_equal "$(awk 'END { print $1 }' b/log)" ds4
	refresh_b $((t + 345600 - 216000 + 60))
}
