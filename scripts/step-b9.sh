#!/bin/bash
# Back-out step b9 (after step 4), the registry: ask IANA for NS =
# NS_A; the DS set stays.
#
# Checks: IANA's, against A's servers; every view validates.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin
# In a party's own directory, its part (lib/parts-backout.sh).
if [ "$ROLE" != all ]; then
	"part_${STEP}_$(role_party)"
	exit 0
fi

backout_request "$(current a)" "$(current ds)"
