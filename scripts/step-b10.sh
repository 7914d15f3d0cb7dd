#!/bin/bash
# Back-out step b10, the parent: check the request of step b9 again and
# publish NS = NS_A in the root zone.
. "$BERO_SHARE/lib.sh"
step_begin
backout_begin

backout_publish b9
