#!/bin/bash
# Step 4, the parent (IANA, the root): check the request again (IANA
# tests twice), then publish the TLD's new NS, glue and DS records in the
# root zone, signed with the root's keys.
#
# Checks: the checks of step 3 against the servers as they are now; the
# root zone valid from its trust anchor; every view valid with the old
# DS set {DS_A} (still cached) and the new one.
. "$BERO_SHARE/lib.sh"
step_begin
next_serial "$(current root)" "$(current root)"

signopts root
run root_apply "$(current root)" '<' r/step-3.request '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current root)" -o root/step-4.zone
run root_ds root/step-4.zone '>' root/step-4.ds

say "checks:"
iana_checks root/step-4.zone
NEW_ROOT=root/step-4.zone NEW_DS=root/step-4.ds check_chain
report "$(current root)" root/step-4.zone
verdict

publish root root/step-4.zone
publish ds root/step-4.ds
