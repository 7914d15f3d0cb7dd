# lib/parts.sh: each party's part of a step, in its own directory
# (ROLE=a, b; lib/role.sh), for both methods.  The rehearsal (ROLE=all)
# runs the step scripts as they are, every part in one directory.
#
# What a part needs from another party comes as a bundle (bero-migrate
# import, lib/bundle.sh) or, for A's zone, by zone transfer; each part
# checks it again before it is used.  Only B's DNSKEY RRset needs the
# exchanged signature (KSK_A's: a resolver that holds only DS_A may
# reach B); A's never needs KSK_B's (PROCEDURE.md, The model), so A may
# keep its own signer (A_SIGNER=external): then A's part checks the zone
# A's signer made (step -f) and never signs for A.
#
# A goes first in steps 2a and 2b: B takes A's serial (G5) and KSK_A's
# signature from A's zone of the same step.
#
# With double-DS (METHOD=double-ds) nothing is exchanged: B's DNSKEY
# RRset carries KSK_B's signature only, B takes A's zone for its serial
# and its DNSKEY RRset (the same four keys) only, and B is in no NS set
# before every DS set a resolver may hold names KSK_B (steps ds3, ds4
# and the wait of 2b; RFC 6781 section 4.1.2).
#
# Sourced by lib.sh, never run alone.

# a_zone STEP COMMAND...: A's zone of a step: the zone A's own signer
# made (A_SIGNER=external: step -f), or A's current zone through
# COMMAND (the step's change), the next serial (after A_AFTER's too,
# when set: a zone of B's A must follow), re-signed by A's keys.
a_zone() {
	local s=$1
	shift
	if [ "$A_SIGNER" = external ]; then
		[ -n "${BERO_ZONE:-}" ] ||
		    die "step $s: -f file: A signs with its own signer (A_SIGNER=external): give the zone it signed for this step"
		run zcanon -z "$TLD" "$BERO_ZONE" '>' "a/step-$s.zone"
	else
		next_serial "$(current a)" "${A_AFTER:-$(current a)}"
		signopts a
		run "$@" "$(current a)" '|' set_serial "$S" \
		    '|' zresign "${SIGNOPTS[@]}" -P "$(current a)" -o "a/step-$s.zone"
	fi
}

# a_checks STEP: what A's zone of a step must be, whoever signed it: the
# four keys, signed by KSK_A, a later serial, the registered domains
# unchanged, signatures that last (G8), and every view valid
# (zcheck-chain).  A's zone meets B's in b_checks (G3 to G6).
a_checks() {
	local z=a/step-$1.zone
	check_keys_are "a b" "$z"
	check_dnskey_signed_by "$z" a
	check_serial_after "$z" "$(current a)"
	check_registered "$(current a)" "$z"
	headroom a "$z"
	NEW_A=$z check_chain
	report "$(current a)" "$z"
}

# part_2a_a: A publishes {KSK_A, ZSK_A, KSK_B, ZSK_B}, signed by A's
# keys alone.
part_2a_a() {
	keys b
	[ "${#KEYS[@]}" -gt 0 ] ||
	    die "step 2a: keys/b: none: import B's bundle b-1 first (bero-migrate import BUNDLE -y DIGEST)"
	pubopts b
	a_zone 2a zmerge-dnskey "${PUBOPTS[@]}"
	say "checks:"
	a_checks 2a
	verdict
	publish a a/step-2a.zone
	say "  next: bero-migrate export 2a (for B: A's DNSKEY RRset with KSK_A's signature)"
}

# part_2b_a: A adds NS_B at the apex, once B serves the four keys with
# KSK_A's signature (B's bundle b-2a imported and checked; double-DS:
# with KSK_B's, and every DS set a resolver may hold names KSK_B).
part_2b_a() {
	bundle_taken b-2a > /dev/null ||
	    die "step 2b: B's step 2a is not known here: import B's bundle b-2a first (B must serve the four keys$(exchanges && echo " with KSK_A's signature") before any resolver is sent to B)"
	run ns_fragment b '>' b/ns-b.frag
	a_zone 2b zadd-bero-ns -n b/ns-b.frag
	say "checks:"
	check_apex_ns_is "$NS_A $NS_B" a/step-2b.zone
	check_glue a/step-2b.zone
	exchanges || check_ds_held_names b
	a_checks 2b
	verdict
	publish a a/step-2b.zone
	say "  next: bero-migrate export 2b (for B: A's zone of step 2b)"
}

# b_take_a STEP: A's zone of a step, as A serves it: by zone transfer
# (TRANSFER=axfr), or the zone of A's bundle of that step.  Into
# a/step-STEP.zone, with its DNSKEY RRset and signatures in
# a/step-STEP.frag and its serial in S.
b_take_a() {
	local s=$1
	if [ "$TRANSFER" = axfr ]; then
		transfer a "a/step-$s.xfr"
	fi
	[ -f "a/step-$s.xfr" ] ||
	    die "step $s: A's zone of its step $s: none: import A's bundle a-$s first (or TRANSFER=axfr)"
	run zcanon -z "$TLD" "a/step-$s.xfr" '>' "a/step-$s.zone"
	run dnskey_fragment "a/step-$s.zone" '>' "a/step-$s.frag"
	S=$(serial "a/step-$s.zone") && is_num "$S" ||
	    die "step $s: a/step-$s.zone: no SOA serial"
}

# b_zone STEP COMMAND...: B's zone of a step: B's current zone through
# COMMAND, with A's serial, re-signed by B's keys, and KSK_A's signature
# over the DNSKEY RRset carried from A's zone: zmerge-dnskey -f refuses
# it unless A's RRset is B's own.  With double-DS, B's signatures only.
b_zone() {
	local s=$1 own=own
	shift
	exchanges || own=zone
	signopts b
	run "$@" "$(current b)" '|' set_serial "$S" \
	    '|' zresign "${SIGNOPTS[@]}" -P "$(current b)" -o "b/step-$s.$own"
	exchanges || return 0
	run zmerge-dnskey -f "a/step-$s.frag" -o "b/step-$s.zone" "b/step-$s.own"
}

# b_signer: the KSK whose signature B's DNSKEY RRset must carry: A's
# (the exchange), or B's own (double-DS).
b_signer() {
	if exchanges; then echo a; else echo b; fi
}

# b_checks STEP: B's zone of a step against A's of the same step: the
# four keys, the same DNSKEY RRset, KSK_A's signature carried (double-DS:
# KSK_B's), the same serial, data, algorithms and NSEC3 parameters (G3
# to G6), and every view valid.  With double-DS, B's zone of step 2a,
# which no NS set names yet, is checked from DS_B alone.
b_checks() {
	local a=a/step-$1.zone b=b/step-$1.zone unreached=
	check_keys_are "a b" "$a"
	check_dnskey_signed_by "$a" a
	check_same_rrset DNSKEY "$a" "$b"
	check_dnskey_signed_by "$b" "$(b_signer)"
	exchanges || [ "$1" != 2a ] || unreached=b/ds-b.txt
	check_serial_after "$b" "$(current b)"
	check_operators "$a" "$b"
	check_serial_equal "$a" "$b"
	check_registered "$(current b)" "$b"
	headroom b "$b"
	NEW_A=$a NEW_B=$b UNREACHED_DS=$unreached check_chain
	report "$(current b)" "$b"
}

# part_2a_b: B publishes the same four keys, signed by B's keys, with
# KSK_A's signature carried (double-DS: B's signatures only).
part_2a_b() {
	b_take_a 2a
	pubopts a
	b_zone 2a zmerge-dnskey "${PUBOPTS[@]}"
	say "checks:"
	b_checks 2a
	verdict
	cmp -s a/step-2a.zone "$(current a)" || record_other a a/step-2a.zone
	publish b b/step-2a.zone
	if exchanges; then
		say "  next: bero-migrate export 2a (for A: B's DNSKEY RRset with KSK_A's signature)"
	else
		say "  next: bero-migrate export 2a (for A, and the registry's request of step ds3)"
	fi
}

# part_2b_b: B adds NS_B at the apex as A did (the same apex NS RRset,
# G9), with A's serial, and carries KSK_A's freshest signature (double-DS:
# none, and every DS set a resolver may hold names KSK_B).
part_2b_b() {
	b_take_a 2b
	run ns_fragment b '>' b/ns-b.frag
	b_zone 2b zadd-bero-ns -n b/ns-b.frag
	say "checks:"
	check_apex_ns_is "$NS_A $NS_B" b/step-2b.zone
	check_same_rrset NS a/step-2b.zone b/step-2b.zone
	check_glue b/step-2b.zone
	exchanges || check_ds_held_names b
	b_checks 2b
	verdict
	cmp -s a/step-2b.zone "$(current a)" || record_other a a/step-2b.zone
	publish b b/step-2b.zone
	say "  next: bero-migrate export 2b (for A: B's zone of step 2b)"
}

# The parts of the later steps, by step range (parts-*.sh).
for _part in "$BERO_SHARE"/lib/parts-*.sh; do
	# shellcheck source=/dev/null
	. "$_part" || { echo "bero-migrate: $_part: cannot load" >&2; exit 2; }
done
unset _part
