#!/bin/bash
# Step 13, operators A and B: the synchronization ends, and A stops
# answering for the zone.  A must not keep serving a frozen zone whose
# signatures stay valid: a resolver that still reached A would get data
# that no longer changes.
#
# Checks: A cannot be reached through any NS set a resolver may hold.
. "$BERO_SHARE/lib.sh"
# In A's own directory the same, on A's files (lib/parts-9-13.sh).
step_begin

say "checks:"
check_unreachable a
check_chain
verdict

stop_serving a
