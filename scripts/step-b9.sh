#!/bin/bash
# Back-out step b9 (after step 4), the registry: ask IANA for NS =
# NS_A; the DS set stays.
#
# Checks: IANA's, against A's servers; every view validates.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin

backout_request "$(current a)" "$(current ds)"
