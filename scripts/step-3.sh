#!/bin/bash
# Step 3, the registry: ask IANA for the TLD's delegation NS = NS_A and
# NS_B (with glue) and DS = {DS_A, DS_B}.  The request is a zone
# fragment, r/step-3.request; nothing is published.
#
# Checks (IANA's, run before asking): DS_B matches a DNSKEY served by
# every listed server; the NS asked for equal the apex NS at A and B; the
# SOA serials equal; IANA's rules for the delegation itself (zcheck-servers
# -O: two NS at least, host names, addresses, the smallest referral within
# 512 octets); digest type 2 or 4; the signatures last longer than IANA's processing
# plus the waits.  And every view validates with the DS set asked for as
# well as with the current one.
. "$BERO_SHARE/lib.sh"
step_begin
# In the registry's own directory, its part (lib/parts-*.sh).
if [ "$ROLE" != all ]; then
	part_3_r
	exit 0
fi

ksk b
run ds-from-dnskey -2 -L "$TTL_DS_P" "$KSK" '>' r/ds-b.txt
run sort -u "$(current ds)" r/ds-b.txt '>' r/step-3.ds
run delegation "$(current a)" r/step-3.ds '>' r/step-3.request
run root_apply "$(current root)" '<' r/step-3.request '>' r/step-3.root

say "checks:"
iana_checks r/step-3.request
NEW_DS=r/step-3.ds check_chain
report -g data "$(current root)" r/step-3.root
verdict
say "  request: r/step-3.request"
