#!/bin/bash
# Step 5, everyone: wait.  bero-migrate runs this step only when
#   now >= T4 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P, TTL_DS_P)
#   (no resolver holds the root's old NS, glue or DS set {DS_A}), and
#   now >= T2b + Dprp_C + TTL_NS_C
#   (no resolver holds an apex NS RRset without NS_B).
# Nothing changes; the views a resolver may now combine are checked.
. "$BERO_SHARE/lib.sh"
step_begin
# The registry has no zone whose views it could check (lib/parts-3-7.sh).
if [ "$ROLE" = registry ]; then
	part_wait_r
	exit 0
fi

say "checks:"
check_chain
verdict
