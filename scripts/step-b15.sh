#!/bin/bash
# Back-out step b15, operator B: B stops answering for the zone; A serves
# it alone, as before step 1.  After B was in an NS set (2b), only once
# no resolver may reach B through an NS set plus SERVE_STALE (RFC 8767
# section 5), as step 13 for A.
#
# Checks: B unreachable through any NS set a resolver may hold; every
# view.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin

say "checks:"
check_unreachable b
check_chain
verdict

stop_serving b
