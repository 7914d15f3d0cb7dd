#!/bin/bash
# Back-out step b11 (after step 2b), everyone: wait, as at step 9 with
# the operators' parts swapped: no NS set a resolver may hold names B
# (Tb8 + Dprp_C + TTL_NS_C and, after b10, Tb10 + Dprp_P +
# max(TTL_NS_P, TTL_GLUE_P)), and then TTL_SIG of what B signed, so that
# no cached answer signed by ZSK_B remains when A removes ZSK_B (b12).
# Nothing changes; B can no longer be reached, and the views are checked.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin
# In the registry's own directory, the wait only (lib/parts-3-7.sh).
if [ "$ROLE" = registry ]; then
	part_wait_r
	exit 0
fi

say "checks:"
check_unreachable b
check_chain
verdict
