#!/bin/bash
# Back-out step b13 (once the root has DS_B), the registry: ask IANA
# for DS = {DS_A}; the NS set stays NS_A.  bero-migrate runs it only when
# now >= Tb12 + Dprp_C + TTL_KEY (RFC 7583 section 3.3.2), as step 11.
#
# Checks: IANA's; every view validates with the DS set asked for.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin
# In a party's own directory, its part (lib/parts-backout.sh).
if [ "$ROLE" != all ]; then
	"part_${STEP}_$(role_party)"
	exit 0
fi

ksk a
run ds-from-dnskey -2 -L "$TTL_DS_P" "$KSK" '>' r/ds-a.txt
backout_request "$(current a)" r/ds-a.txt
