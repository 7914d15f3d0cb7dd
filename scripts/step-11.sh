#!/bin/bash
# Step 11, the registry: ask IANA for DS = {DS_B}.  bero-migrate runs
# this step only when now >= T10 + Dprp_C + TTL_KEY (RFC 7583 section
# 3.3.2): no resolver holds B's DNSKEY RRset with KSK_A any more; and
# when no resolver reaches A any more, even through a stale NS set (the
# last moment A could be reached + SERVE_STALE, RFC 8767 section 5).
#
# Checks: IANA's checks of step 3; every view validates with the DS set
# asked for.
. "$BERO_SHARE/lib.sh"
step_begin
# In the registry's own directory, its part (lib/parts-*.sh).
if [ "$ROLE" != all ]; then
	part_11_r
	exit 0
fi

ksk b
run ds-from-dnskey -2 -L "$TTL_DS_P" "$KSK" '>' r/step-11.ds
run delegation "$(current b)" r/step-11.ds '>' r/step-11.request
run root_apply "$(current root)" '<' r/step-11.request '>' r/step-11.root

say "checks:"
iana_checks r/step-11.request
NEW_DS=r/step-11.ds check_chain
report -g data "$(current root)" r/step-11.root
verdict
say "  request: r/step-11.request"
