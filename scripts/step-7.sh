#!/bin/bash
# Step 7, the registry: ask IANA for NS = NS_B (with glue); the DS set
# stays {DS_A, DS_B}.  Nothing is published.
#
# Checks: the NS asked for equal the apex NS everywhere; NS_B alone
# passes IANA's checks (as in step 3).
. "$BERO_SHARE/lib.sh"
step_begin
# In the registry's own directory, its part (lib/parts-*.sh).
if [ "$ROLE" != all ]; then
	part_7_r
	exit 0
fi

run delegation "$(current b)" "$(current ds)" '>' r/step-7.request
run root_apply "$(current root)" '<' r/step-7.request '>' r/step-7.root

say "checks:"
iana_checks r/step-7.request
check_chain
report -g data "$(current root)" r/step-7.root
verdict
say "  request: r/step-7.request"
