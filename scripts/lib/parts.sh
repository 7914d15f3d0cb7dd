# lib/parts.sh: each party's part of a step, in its own directory
# (ROLE=a, b; lib/role.sh), for the signature-exchange method.  The
# rehearsal (ROLE=all) runs the step scripts as they are, every part in
# one directory.
#
# What a part needs from another party comes as a bundle (bero-migrate
# import, lib/bundle.sh) or, for A's zone, by zone transfer; each part
# checks it again before it is used.  Only B's DNSKEY RRset needs the
# exchanged signature (KSK_A's: a resolver that holds only DS_A may
# reach B); A's never needs KSK_B's (PROCEDURE.md, The model), so A may
# keep its own signer (A_SIGNER=external): then A's part checks the zone
# A's signer made (step -z) and never signs for A.
#
# Sourced by lib.sh, never run alone.

# part_2a_a: A publishes {KSK_A, ZSK_A, KSK_B, ZSK_B}, signed by A's
# keys alone: re-signed here (A_SIGNER=berokit), or as A's signer made
# it (external, step 2a -z zone).
part_2a_a() {
	keys b
	[ "${#KEYS[@]}" -gt 0 ] ||
	    die "step 2a: keys/b: none: import B's bundle b-1 first (bero-migrate import BUNDLE -y DIGEST)"
	if [ "$A_SIGNER" = external ]; then
		[ -n "${BERO_ZONE:-}" ] ||
		    die "step 2a: -z zone: A signs with its own signer (A_SIGNER=external): give the zone it signed with B's keys added"
		run zcanon -z "$TLD" "$BERO_ZONE" '>' a/step-2a.zone
	else
		next_serial "$(current a)" "$(current a)"
		pubopts b
		signopts a
		run zmerge-dnskey "${PUBOPTS[@]}" "$(current a)" '|' set_serial "$S" \
		    '|' zresign "${SIGNOPTS[@]}" -P "$(current a)" -o a/step-2a.zone
	fi

	say "checks:"
	check_keys_are "a b" a/step-2a.zone
	check_dnskey_signed_by a/step-2a.zone a
	check_serial_after a/step-2a.zone "$(current a)"
	check_algorithms "$(current a)" a/step-2a.zone
	check_nsec3param "$(current a)" a/step-2a.zone
	check_registered "$(current a)" a/step-2a.zone
	headroom a a/step-2a.zone
	NEW_A=a/step-2a.zone check_chain
	report "$(current a)" a/step-2a.zone
	verdict
	publish a a/step-2a.zone
	say "  next: bero-migrate export 2a (for B: A's DNSKEY RRset with KSK_A's signature)"
}

# part_2a_b: B publishes the same four keys, signed by B's keys, and
# carries KSK_A's signature over them, taken from A's zone of its step
# 2a (A's bundle a-2a, or a zone transfer when TRANSFER=axfr: then A
# needs no berokit): zmerge-dnskey -f refuses it unless A's RRset is
# B's own.  B takes A's serial, so that both serve the same (G5).
part_2a_b() {
	local s
	if [ "$TRANSFER" = axfr ]; then
		transfer a a/step-2a.xfr
	fi
	[ -f a/step-2a.xfr ] ||
	    die "step 2a: A's zone of its step 2a: none: import A's bundle a-2a first (or TRANSFER=axfr)"
	run zcanon -z "$TLD" a/step-2a.xfr '>' a/step-2a.zone
	run dnskey_fragment a/step-2a.zone '>' a/step-2a.frag
	s=$(serial a/step-2a.zone) && is_num "$s" ||
	    die "step 2a: a/step-2a.zone: no SOA serial"
	pubopts a
	signopts b
	run zmerge-dnskey "${PUBOPTS[@]}" "$(current b)" '|' set_serial "$s" \
	    '|' zresign "${SIGNOPTS[@]}" -P "$(current b)" -o b/step-2a.own
	run zmerge-dnskey -f a/step-2a.frag -o b/step-2a.zone b/step-2a.own

	say "checks:"
	check_keys_are "a b" a/step-2a.zone
	check_dnskey_signed_by a/step-2a.zone a
	check_same_rrset DNSKEY a/step-2a.zone b/step-2a.zone
	check_dnskey_signed_by b/step-2a.zone a
	check_serial_after b/step-2a.zone "$(current b)"
	check_algorithms a/step-2a.zone b/step-2a.zone
	check_nsec3param a/step-2a.zone b/step-2a.zone
	check_data a/step-2a.zone b/step-2a.zone
	check_serial_equal a/step-2a.zone b/step-2a.zone
	check_registered "$(current b)" b/step-2a.zone
	headroom b b/step-2a.zone
	NEW_A=a/step-2a.zone NEW_B=b/step-2a.zone check_chain
	report "$(current b)" b/step-2a.zone
	verdict
	cmp -s a/step-2a.zone "$(current a)" || record_other a a/step-2a.zone
	publish b b/step-2a.zone
	say "  next: bero-migrate export 2a (for A: B's DNSKEY RRset with KSK_A's signature)"
}
