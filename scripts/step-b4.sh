#!/bin/bash
# Back-out step b4 (after step 6), operators A and B: both put A's
# name servers, NS_A, back in the apex NS RRset (with the glue of those
# in the TLD) and re-sign; from here A is the source of the zone's data
# again (the synchronization runs A->B).  bero-migrate runs it only when
# every DNSKEY RRset a resolver may hold has ZSK_A (Tb1 + Dprp_C +
# TTL_KEY, after b1) and every DS set names KSK_A (Tb3 + Dprp_P +
# TTL_DS_P, after b3).
#
# Checks: as step 2b: apex NS NS_A + NS_B identical at A and B, the glue,
# the DNSKEY RRsets identical, G3 to G6, headroom, every view.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin
# In a party's own directory, its part (lib/parts-backout.sh).
if [ "$ROLE" != all ]; then
	"part_${STEP}_$(role_party)"
	exit 0
fi

backout_apex_ns add a
