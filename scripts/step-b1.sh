#!/bin/bash
# Back-out step b1 (after step 10), operator B: B puts A's keys, KSK_A
# and ZSK_A, back in its DNSKEY RRset and re-signs; with the exchange it
# carries KSK_A's signature over the four-key RRset again, from A's zone
# (whose DNSKEY RRset has not changed since step 2a).  Step 10 undone:
# before A is in an NS set again (b4), every DNSKEY RRset a resolver may
# hold has ZSK_A.
#
# Checks: B's DNSKEY RRset identical to A's, signed by KSK_A with the
# exchange; the data unchanged; every view validates.  In B's own
# directory, the same on B's files, KSK_A's signature from A's zone as A
# serves it then (bundle a-b1 or a zone transfer; lib/parts-backout.sh).
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin
# In a party's own directory, its part (lib/parts-backout.sh).
if [ "$ROLE" != all ]; then
	part_${STEP}_b
	exit 0
fi
next_serial "$(current b)" "$(current b)"
own=own
exchanges || own=zone

pubopts a
signopts b
run zmerge-dnskey "${PUBOPTS[@]}" "$(current b)" '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current b)" -o "b/step-b1.$own"
if exchanges; then
	run dnskey_fragment "$(current a)" '>' a/step-b1.dnskey
	run zmerge-dnskey -f a/step-b1.dnskey -o b/step-b1.zone b/step-b1.own
fi

say "checks:"
check_same_rrset DNSKEY b/step-b1.zone "$(current a)"
exchanges && check_dnskey_signed_by b/step-b1.zone a
check_registered "$(current b)" b/step-b1.zone
headroom b b/step-b1.zone
NEW_B=b/step-b1.zone check_chain
report "$(current b)" b/step-b1.zone
verdict

publish b b/step-b1.zone
