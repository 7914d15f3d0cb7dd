#!/bin/bash
# Step 6, operator B then operator A: B removes A's name servers, NS_A,
# from the apex (their address records stay, unless REMOVE_NS_A_ADDRS
# is yes) and re-signs; then the synchronization reverses: A takes
# B's zone (by zone transfer, or as a file), drops B's DNSSEC records and
# signs B's data with its own keys, with the same apex NS and DNSKEY
# RRsets.  Each keeps carrying the other's signature over the DNSKEY
# RRset, which has not changed since step 2a.
#
# B publishes first, since A transfers what B serves.  When A's part
# fails after B's was published, running the step again does A's part
# only, after B's publish hook when that did not succeed.
#
# With METHOD=double-ds no signature is exchanged: each signs the RRset
# with its own KSK only.
#
# Checks: every view validates with {DS_A, DS_B}; B's serial follows A's
# last serial (RFC 1982), so that the reverse transfer is taken; then A's
# zone like B's: G3 to G6, G9, signature headroom.
. "$BERO_SHARE/lib.sh"
step_begin
# In a party's own directory, its part only (lib/parts-3-7.sh).
if [ "$ROLE" != all ]; then
	"part_6_$(role_party)"
	exit 0
fi
own=own
exchanges || own=zone

if [ ! -f history/b-6.zone ]; then
	next_serial "$(current a)" "$(current b)"
	run ns_fragment a '>' a/ns-a.frag
	signopts b
	# NS_A's host address records stay unless the operator asks for
	# their removal (REMOVE_NS_A_ADDRS=yes): the draft does not ask for
	# it, and the hosts may serve other zones.
	keep=(-K)
	[ "$REMOVE_NS_A_ADDRS" = yes ] && keep=()
	run zadd-bero-ns -r "${keep[@]}" -n a/ns-a.frag "$(current b)" '|' set_serial "$S" \
	    '|' zresign "${SIGNOPTS[@]}" -P "$(current b)" -o b/step-6.$own
	if exchanges; then
		run dnskey_fragment "$(current a)" '>' a/step-6.dnskey
		run zmerge-dnskey -f a/step-6.dnskey -o b/step-6.zone b/step-6.own
	fi

	say "checks (B):"
	check_apex_ns_is "$NS_B" b/step-6.zone
	check_serial_after b/step-6.zone "$(current a)"
	exchanges && check_dnskey_signed_by b/step-6.zone a
	check_registered "$(current b)" b/step-6.zone
	headroom b b/step-6.zone
	# Until A has taken B's zone, A's is checked as a version still
	# cached (any DNSKEY RRset with any data), not compared with B's
	# (G4, G5, G9: those come below, once A has B's data).
	AS_OLD=a NEW_B=b/step-6.zone check_chain
	report "$(current b)" b/step-6.zone
	verdict
	publish b b/step-6.zone
else
	say "B's part was published by an earlier run of step 6: $(current b)"
	rehook b
fi

transfer b a/step-6.xfr
pubopts a b
signopts a
run zcanon -U -z "$TLD" a/step-6.xfr '|' set_operator A \
    '|' zmerge-dnskey "${PUBOPTS[@]}" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current a)" -o a/step-6.$own
if exchanges; then
	run dnskey_fragment "$(current b)" '>' b/step-6.dnskey
	run zmerge-dnskey -f b/step-6.dnskey -o a/step-6.zone a/step-6.own
fi

say "checks (A):"
check_same_rrset NS a/step-6.zone "$(current b)"
check_same_rrset DNSKEY a/step-6.zone "$(current b)"
exchanges && check_dnskey_signed_by a/step-6.zone b
check_operators a/step-6.zone "$(current b)"
check_serial_equal a/step-6.zone "$(current b)"
check_glue a/step-6.zone
check_registered "$(current a)" a/step-6.zone
headroom a a/step-6.zone
NEW_A=a/step-6.zone check_chain
report "$(current a)" a/step-6.zone
verdict

publish a a/step-6.zone
