# lib/parts-9-13.sh: the parts of steps 9 to 13 in a party's own
# directory (lib/parts.sh) that differ from the rehearsal's: the
# registry's request of step 11.  A's and B's parts of the wait of step
# 9, B's step 10 and A's step 13 are the rehearsal's scripts, run on the
# party's own files: what A and B have of each other's zones, the DS
# sets the parent was seen serving, and the times logged when each
# step was observed on the servers.
#
# Sourced by lib.sh (through parts.sh), never run alone.

# part_11_r: the registry asks for DS = DS_B, once B's step 10 (B's zone
# without A's keys, bundle b-10) is served by every address of B's
# servers, and the wait after it is over (the driver: T10 as observed
# here + Dprp_C + TTL_KEY).
part_11_r() {
	local z
	z=$(r_zone 11 10) || exit 2
	r_served 11 "$z" b
	r_parent_ds 11
	run ds_union r/step-11.ds b/ds-b.txt
	r_request 11 "$z" r/step-11.ds
}
