#!/bin/bash
# Back-out step b6, the parent: check the request of step b5 again and
# publish NS = NS_A + NS_B in the root zone.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin

backout_publish b5
