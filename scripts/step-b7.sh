#!/bin/bash
# Back-out step b7 (after step 6), everyone: wait, as at step 5, until
# every NS set a resolver may hold names A again: Tb4 + Dprp_C +
# max(TTL_NS_C, TTL_NEG_C) and, after b6, Tb6 + Dprp_P + max(TTL_NS_P,
# TTL_GLUE_P).  Nothing changes; the views are checked.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin
# In the registry's own directory, the wait only (lib/parts-3-7.sh).
if [ "$ROLE" = registry ]; then
	part_wait_r
	exit 0
fi

say "checks:"
check_chain
verdict
