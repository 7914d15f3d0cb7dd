#!/bin/bash
# Step 2a, operators A and B: both publish the DNSKEY RRset of both
# operators, {KSK_A, ZSK_A, KSK_B, ZSK_B}, re-sign with their own keys,
# and exchange their signatures over that RRset (RFC 6781 section
# 4.3.5.1): A's RRset carries KSK_B's signature, B's carries KSK_A's, so
# a resolver that holds only DS_A can still follow the chain at B.
# With METHOD=double-ds there is no exchange: each signs the RRset with
# its own KSK only, and B, which no resolver may reach before DS_B is at
# the root (steps ds3, ds4, 2b), is checked from its own DS.
#
# Checks: the DNSKEY RRsets identical at A and B; each validates from
# the root's current DS set {DS_A}; G3 to G6; signature headroom.
. "$BERO_SHARE/lib.sh"
step_begin
# In a party's own directory, its part only (lib/parts.sh).
if [ "$ROLE" != all ]; then
	"part_2a_$(role_party)"
	exit 0
fi
next_serial "$(current a)" "$(current b)"
own=own
exchanges || own=zone

# Each operator merges the other's public keys and re-signs.
pubopts b
signopts a
run zmerge-dnskey "${PUBOPTS[@]}" "$(current a)" '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current a)" -o a/step-2a.$own
pubopts a
signopts b
run zmerge-dnskey "${PUBOPTS[@]}" "$(current b)" '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current b)" -o b/step-2a.$own
# The exchange: each hands the other its DNSKEY RRset with its
# signatures; each carries the other's signature into its zone.
if exchanges; then
	run dnskey_fragment a/step-2a.own '>' a/step-2a.dnskey
	run dnskey_fragment b/step-2a.own '>' b/step-2a.dnskey
	run zmerge-dnskey -f b/step-2a.dnskey -o a/step-2a.zone a/step-2a.own
	run zmerge-dnskey -f a/step-2a.dnskey -o b/step-2a.zone b/step-2a.own
fi

say "checks:"
check_same_rrset DNSKEY a/step-2a.zone b/step-2a.zone
if exchanges; then
	check_dnskey_signed_by a/step-2a.zone b
	check_dnskey_signed_by b/step-2a.zone a
fi
check_operators a/step-2a.zone b/step-2a.zone
check_serial_equal a/step-2a.zone b/step-2a.zone
check_registered "$(current a)" a/step-2a.zone
check_registered "$(current b)" b/step-2a.zone
headroom a a/step-2a.zone
headroom b b/step-2a.zone
unreached=
exchanges || unreached=b/ds-b.txt
NEW_A=a/step-2a.zone NEW_B=b/step-2a.zone UNREACHED_DS=$unreached check_chain
report "$(current a)" a/step-2a.zone
report "$(current b)" b/step-2a.zone
verdict

publish a a/step-2a.zone
publish b b/step-2a.zone
