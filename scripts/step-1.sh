#!/bin/bash
# Step 1, operator B: B takes A's zone (by zone transfer, or as a file),
# drops A's DNSSEC records and signs the same data with its own keys,
# KSK_B and ZSK_B (zresign adds their DNSKEYs).  B is in no NS set yet: no resolver reaches it.
#
# Checks (PROCEDURE.md): the same algorithm and NSEC3 parameters at A and
# B (G3, G6), the unsigned data of B equal to A's (G4): zcheck-chain -A,
# each with its own keys; B's zone valid from B's own DS, A's still
# valid from the root's.
. "$BERO_SHARE/lib.sh"
step_begin

transfer a b/step-1.xfr
# In B's own directory, A's zone is checked first (lib/role.sh).
[ "$ROLE" != b ] || role_take_a b/step-1.xfr
signopts b
run zcanon -U -z "$TLD" b/step-1.xfr '|' set_operator B \
    '|' zresign "${SIGNOPTS[@]}" -o b/step-1.zone
# B's own DS: the DS the registry will ask for in step 3.
ksk b
run ds-from-dnskey -2 -L "$TTL_DS_P" "$KSK" '>' b/ds-b.txt

say "checks:"
check_operators -A "$(current a)" b/step-1.zone
check_serial_equal "$(current a)" b/step-1.zone
headroom b b/step-1.zone
NEW_B=b/step-1.zone UNREACHED_DS=b/ds-b.txt check_chain
report "$(current a)" b/step-1.zone
verdict

publish b b/step-1.zone
