#!/bin/bash
# Step 12, the parent: check the request of step 11 again and publish
# DS = {DS_B} in the root zone.
. "$BERO_SHARE/lib.sh"
step_begin
next_serial "$(current root)" "$(current root)"

signopts root
run root_apply "$(current root)" '<' r/step-11.request '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current root)" -o root/step-12.zone
run root_ds root/step-12.zone '>' root/step-12.ds

say "checks:"
iana_checks root/step-12.zone
NEW_ROOT=root/step-12.zone NEW_DS=root/step-12.ds check_chain
report "$(current root)" root/step-12.zone
verdict

publish root root/step-12.zone
publish ds root/step-12.ds
