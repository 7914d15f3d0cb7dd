#!/bin/bash
# Back-out step b3, the parent: check the request of step b2 again and
# publish DS = {DS_A, DS_B} in the root zone.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin

backout_publish b2
