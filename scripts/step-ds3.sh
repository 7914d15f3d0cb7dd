#!/bin/bash
# Step ds3 (double-DS only), the registry: ask IANA for DS = {DS_A, DS_B}
# while the NS set stays NS_A (RFC 6781 section 4.1.2, Double-DS, applied
# to a change of operator).  B's DNSKEY RRset carries no KSK_A signature,
# so DS_B must be at the root, and {DS_A} gone from the caches, before B
# is in any NS set (step 2b).  The request is r/step-ds3.request;
# nothing is published.
#
# Checks (IANA's): DS_B matches a DNSKEY served by every listed server,
# which are A's alone: A publishes KSK_B since step 2a; the NS asked for
# equal A's apex NS; 2 to 13 NS; the referral fits 512 octets; digest
# type 2 or 4; signature headroom.  Every view validates with the DS set
# asked for as well as with the current one.
. "$BERO_SHARE/lib.sh"
step_begin
# In the registry's own directory, its part (lib/parts-3-7.sh).
if [ "$ROLE" != all ]; then
	part_ds3_r
	exit 0
fi

ksk b
run ds-from-dnskey -2 -L "$TTL_DS_P" "$KSK" '>' r/ds-b.txt
run sort -u "$(current ds)" r/ds-b.txt '>' r/step-ds3.ds
run delegation "$(current a)" r/step-ds3.ds '>' r/step-ds3.request
run root_apply "$(current root)" '<' r/step-ds3.request '>' r/step-ds3.root

say "checks:"
iana_checks r/step-ds3.request
NEW_DS=r/step-ds3.ds check_chain
report -g data "$(current root)" r/step-ds3.root
verdict
say "  request: r/step-ds3.request"
