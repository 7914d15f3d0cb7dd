#!/bin/bash
# Back-out step b2 (after step 12), the registry: ask IANA for DS =
# {DS_A, DS_B} again; the NS set stays NS_B (B's apex NS RRset, as the
# root lists it).
#
# Checks: IANA's (DS_A matches a key B serves: b1 put it back); every
# view validates with the DS set asked for.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin
# In a party's own directory, its part (lib/parts-backout.sh).
if [ "$ROLE" != all ]; then
	part_${STEP}_r
	exit 0
fi

ksk a
run ds-from-dnskey -2 -L "$TTL_DS_P" "$KSK" '>' r/ds-a.txt
backout_request "$(current b)" "$(current ds)" r/ds-a.txt
