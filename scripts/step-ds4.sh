#!/bin/bash
# Step ds4 (double-DS only), the parent: check the request of step ds3
# again and publish DS = {DS_A, DS_B} in the root zone; the NS set stays
# NS_A.  Step 2b waits Dprp_P + TTL_DS_P after this publication.
#
# Checks: the checks of step ds3 against the servers as they are now;
# the root zone valid from its trust anchor; every view valid with the
# old DS set {DS_A} (still cached) and the new one.
. "$BERO_SHARE/lib.sh"
step_begin
next_serial "$(current root)" "$(current root)"

signopts root
run root_apply "$(current root)" '<' r/step-ds3.request '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current root)" -o root/step-ds4.zone
run root_ds root/step-ds4.zone '>' root/step-ds4.ds

say "checks:"
iana_checks root/step-ds4.zone
NEW_ROOT=root/step-ds4.zone NEW_DS=root/step-ds4.ds check_chain
report "$(current root)" root/step-ds4.zone
verdict

publish root root/step-ds4.zone
publish ds root/step-ds4.ds
