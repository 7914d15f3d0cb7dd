#!/bin/bash
# Back-out step b14, the parent: check the request of step b13 again and
# publish DS = {DS_A} in the root zone.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin

backout_publish b13
