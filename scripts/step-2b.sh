#!/bin/bash
# Step 2b, operators A and B: both add B's name servers, NS_B, to the
# apex NS RRset (with the glue of those in the TLD) and re-sign.  The
# DNSKEY RRset does not change: the signer keeps the other operator's
# signature over it, and the exchange is made again so that the
# freshest signature is carried.
#
# bero-migrate runs this step only when now >= T2a + Dprp_C + TTL_KEY:
# once the apex NS names NS_B a resolver may ask B, and by then no cache
# may hold a DNSKEY RRset without ZSK_B (the draft's 2a and 2b at once
# are unsafe for that reason).
#
# With METHOD=double-ds there is no exchange, and B, whose DNSKEY RRset
# carries no KSK_A signature, may be reached only once no resolver may
# hold a DS set without DS_B: the wait after step ds4 (the driver's
# rule), and the check that every DS set a resolver may hold has DS_B.
#
# Checks: every view validates with {DS_A}; apex NS identical at A and B
# (G9) and the glue as configured; G3 to G6; signature headroom.
. "$BERO_SHARE/lib.sh"
step_begin
# In a party's own directory, its part only (lib/parts.sh).
if [ "$ROLE" != all ]; then
	"part_2b_$(role_party)"
	exit 0
fi
next_serial "$(current a)" "$(current b)"
own=own
exchanges || own=zone

run ns_fragment b '>' b/ns-b.frag
signopts a
run zadd-bero-ns -n b/ns-b.frag "$(current a)" '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current a)" -o a/step-2b.$own
signopts b
run zadd-bero-ns -n b/ns-b.frag "$(current b)" '|' set_serial "$S" \
    '|' zresign "${SIGNOPTS[@]}" -P "$(current b)" -o b/step-2b.$own
if exchanges; then
	run dnskey_fragment a/step-2b.own '>' a/step-2b.dnskey
	run dnskey_fragment b/step-2b.own '>' b/step-2b.dnskey
	run zmerge-dnskey -f b/step-2b.dnskey -o a/step-2b.zone a/step-2b.own
	run zmerge-dnskey -f a/step-2b.dnskey -o b/step-2b.zone b/step-2b.own
fi

say "checks:"
check_apex_ns_is "$NS_A $NS_B" a/step-2b.zone
check_same_rrset NS a/step-2b.zone b/step-2b.zone
check_glue a/step-2b.zone
check_glue b/step-2b.zone
check_same_rrset DNSKEY a/step-2b.zone b/step-2b.zone
if exchanges; then
	check_dnskey_signed_by a/step-2b.zone b
	check_dnskey_signed_by b/step-2b.zone a
else
	check_ds_held_names b
fi
check_operators a/step-2b.zone b/step-2b.zone
check_serial_equal a/step-2b.zone b/step-2b.zone
check_registered "$(current a)" a/step-2b.zone
check_registered "$(current b)" b/step-2b.zone
headroom a a/step-2b.zone
headroom b b/step-2b.zone
NEW_A=a/step-2b.zone NEW_B=b/step-2b.zone check_chain
report "$(current a)" a/step-2b.zone
report "$(current b)" b/step-2b.zone
verdict

publish a a/step-2b.zone
publish b b/step-2b.zone
