#!/bin/bash
# Step 8, the parent: check the request of step 7 again and publish
# NS = NS_B in the root zone.
. "$BERO_SHARE/lib.sh"
step_begin
next_serial "$(current root)" "$(current root)"

signopts root
run root_apply "$(current root)" '<' r/step-7.request '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current root)" -o root/step-8.zone
run root_ds root/step-8.zone '>' root/step-8.ds

say "checks:"
iana_checks root/step-8.zone
NEW_ROOT=root/step-8.zone NEW_DS=root/step-8.ds check_chain
report "$(current root)" root/step-8.zone
verdict

publish root root/step-8.zone
cmp -s root/step-8.ds "$(current ds)" || publish ds root/step-8.ds
