#!/bin/bash
# Back-out step b8 (after step 2b), operators A and B: both remove B's
# name servers, NS_B, from the apex NS RRset (their address records
# stay) and re-sign.  Step 2b undone.
#
# Checks: as step 2b: apex NS = NS_A, identical at A and B, the DNSKEY
# RRsets identical, G3 to G6, headroom, every view (B may still be
# reached through the NS sets still cached).
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin
# In a party's own directory, its part (lib/parts-backout.sh).
if [ "$ROLE" != all ]; then
	"part_${STEP}_$(role_party)"
	exit 0
fi

backout_apex_ns remove b
