#!/bin/bash
# Step 9, everyone: wait.  bero-migrate runs this step only when
#   now >= T8 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P)
#   (no resolver holds the root's referral to NS_A),
#   now >= T6 + Dprp_C + TTL_NS_C
#   (no resolver holds an apex NS RRset naming NS_A), and
#   now >= the later of the two + TTL_SIG
#   (no cached answer signed by ZSK_A remains).
# Nothing changes; A can no longer be reached, and the views are checked.
. "$BERO_SHARE/lib.sh"
step_begin
# The registry has no zone whose views it could check (lib/parts-3-7.sh).
if [ "$ROLE" = registry ]; then
	part_wait_r
	exit 0
fi

say "checks:"
check_unreachable a
check_chain
verdict
