#!/bin/bash
# Back-out step b12 (after step 2a), operator A: A removes B's keys,
# KSK_B and ZSK_B, and with them any signature by KSK_B it carried, and
# signs with KSK_A and ZSK_A only.  Step 2a undone at A (B, which no
# resolver reaches, stops at b15).
#
# Checks: no key or signature of B left in A's zone; B unreachable; the
# DNSKEY RRset validates from DS_A alone; every view.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin
# In a party's own directory, its part (lib/parts-backout.sh).
if [ "$ROLE" != all ]; then
	"part_${STEP}_$(role_party)"
	exit 0
fi
next_serial "$(current a)" "$(current a)"

pubopts b
signopts a
run zmerge-dnskey -r "${PUBOPTS[@]}" "$(current a)" '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current a)" -o a/step-b12.zone
ksk a
run ds-from-dnskey -2 -L "$TTL_DS_P" "$KSK" '>' r/ds-a.txt

say "checks:"
check_none_of a/step-b12.zone b
check_unreachable b
check_registered "$(current a)" a/step-b12.zone
headroom a a/step-b12.zone
NEW_A=a/step-b12.zone check_chain
# Through DS_A alone: the DS set that will remain (b13).
chain -D r/ds-a.txt -- a/step-b12.zone
report "$(current a)" a/step-b12.zone
verdict

publish a a/step-b12.zone
