#!/bin/bash
# Step 10, operator B: B removes A's keys, KSK_A and ZSK_A, and with them
# the signature by KSK_A it carried, and signs with KSK_B and ZSK_B only.
#
# Checks: the DNSKEY RRset still validates from {DS_A, DS_B}, through
# DS_B; no signature by A's keys is left in B's zone.
. "$BERO_SHARE/lib.sh"
# In B's own directory the same, on B's files (lib/parts-9-13.sh).
step_begin
next_serial "$(current b)" "$(current b)"

pubopts a
signopts b
run zmerge-dnskey -r "${PUBOPTS[@]}" "$(current b)" '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current b)" -o b/step-10.zone

say "checks:"
check_none_of b/step-10.zone a
check_unreachable a
check_registered "$(current b)" b/step-10.zone
headroom b b/step-10.zone
NEW_B=b/step-10.zone check_chain
# Through DS_B alone: the DS set that will remain (step 11).
chain -D b/ds-b.txt -- b/step-10.zone
report "$(current b)" b/step-10.zone
verdict

publish b b/step-10.zone
