# lib/parts-3-7.sh: the parts of steps 3 to 7 in a party's own directory
# (lib/parts.sh): the registry's requests of steps 3 and 7, the wait of
# step 5 at each party, and step 6, B's part then A's.
#
# The registry holds no zone of its own: its requests give the apex NS
# (and glue) of B's zone of the step before (bundles b-2b, b-6, b-10),
# and it asks for nothing before every address of the operators' servers
# serves that zone's DNSKEY and NS RRsets and glue, and one serial, that
# zone's or a later one, since registrations keep flowing (observe.sh,
# operators_serve_from): IANA tests the servers the request lists, and a
# request made before they serve it would be turned down, or worse,
# published while a resolver could still reach a server without it.
#
# Sourced by lib.sh (through parts.sh), never run alone.

# r_zone STEP FROM: B's zone of step FROM, for the registry's request of
# STEP: from B's bundle b-FROM.
r_zone() {
	local z=b/step-$2.zone
	[ -f "$z" ] ||
	    die "step $1 refused: B's zone of step $2: none here: import B's bundle b-$2 first (bero-migrate import); nothing asked"
	printf '%s\n' "$z"
}

# r_served STEP ZONE PARTY...: what the request made from ZONE depends
# on is served now (asked once, whatever OBSERVE_TIMEOUT): every address
# of the parties' servers serves one serial, ZONE's or a later one (a
# sync since B's step: registrations keep flowing), with ZONE's DNSKEY
# RRset, apex NS RRset and glue (observe.sh, operators_serve_from);
# else the request is refused.  The output names the serial served.
r_served() {
	local s=$1 z=$2 p who= zs
	shift 2
	if ! OBSERVE_TIMEOUT=0 operators_serve_from "$z" "$@"; then
		for p in $SERVED_BAD; do
			who="${who:+$who and }$(role_name "$p")"
		done
		die "step $s refused: ${who:-the operators}'s servers do not all serve $z (above): the registry asks IANA only for what every server of the delegation serves; nothing asked"
	fi
	zs=$(serial "$z") || die "step $s: $z: no SOA serial"
	for p; do
		if [ "$SERVED_SERIAL" = "$zs" ]; then
			say "  served: every address of $(role_name "$p") serves the serial, DNSKEY and NS RRsets of $z and its glue"
		else
			say "  served: every address of $(role_name "$p") serves serial $SERVED_SERIAL, later than $zs of $z (a sync since; RFC 1982), with its DNSKEY and NS RRsets and glue"
		fi
	done
}

# r_request STEP ZONE DS [unreached]: the registry's request of a step:
# the delegation of ZONE's apex NS (with glue) and the DS records of DS
# (zadd-bero-ns -D, lib/parent.sh), checked as IANA checks it before it
# is sent (IANA's rules for the delegation, the NS equal to the zone's
# apex NS, every DS matching a DNSKEY the zone serves, digest types,
# signatures that last), and the zone valid from the DS set asked for
# and from the one the parent serves now (r/parent-STEP.ds); with
# "unreached" (double-DS, step ds3: B's zone, which no NS set names and
# which carries no KSK_A signature), from the DS set asked for only.
r_request() {
	local s=$1 z=$2 ds=$3 req=r/step-$1.request
	run delegation "$z" "$ds" '>' "$req.new"
	say "checks:"
	check_delegation "$req.new"
	check_ns_matches "$req.new" "$z"
	check_ds_served "$req.new" "$z"
	check_digest_types "$req.new"
	if [ "$s" = b13 ]; then
		# A's zone, whose keys the registry does not keep: every
		# signature in it is A's own (b12 took B's keys out).
		headroom_update
		check_headroom "$z" "$HEADROOM_UNTIL" "$(awk -F '\t' '$4 == "RRSIG" {
		    split($5, f, " "); print (f[7] + 0) "/" (f[2] + 0) }' "$z" | sort -u | paste -sd ' ')"
	else
		headroom b "$z"
	fi
	chain -D "$ds" -- "$z"
	[ "${4:-}" = unreached ] || chain -D "r/parent-$s.ds" -- "$z"
	if [ "$FAILED" -ne 0 ]; then
		rm -f "$req.new"
		verdict
	fi
	mv -f "$req.new" "$req" || die "step $s: $req: cannot write"
	verdict
	case $s in
	b*) say "  request: $req (to IANA); the parent's back-out step is logged here by bero-migrate backout once every parent address serves it" ;;
	*) say "  request: $req (to IANA); the parent's step $(nextstep "$s") is logged here by bero-migrate observe $(nextstep "$s") once every parent address serves it" ;;
	esac
}

# r_parent_ds STEP: the DS RRset every parent address serves now.
r_parent_ds() {
	parent_ds_served > "r/parent-$1.ds" ||
	    die "step $1 refused: the DS RRset the parent serves cannot be observed; nothing asked"
}

# part_3_r: the registry asks for NS = NS_A + NS_B and DS = DS_A + DS_B:
# DS_A as the parent serves it, DS_B as confirmed at the import of b-1
# (-y), the NS and glue of B's zone of step 2b, once A's and B's servers
# serve it.
part_3_r() {
	local z
	z=$(r_zone 3 2b) || exit 2
	r_served 3 "$z" a b
	r_parent_ds 3
	run ds_union r/step-3.ds "r/parent-3.ds" b/ds-b.txt
	r_request 3 "$z" r/step-3.ds
}

# part_ds3_r (double-DS): the registry asks for DS = DS_A + DS_B while
# the NS set stays NS_A: DS_A as the parent serves it, DS_B as confirmed
# at the import of b-1 (-y), the NS and glue of B's zone of step 2a
# (bundle b-2a: the apex NS, serial and DNSKEY RRset A serves too), once
# every address of A's servers serves it.  IANA's check that DS_B
# matches a key every listed server serves passes on A's servers alone:
# A publishes KSK_B since step 2a.
part_ds3_r() {
	local z
	z=$(r_zone ds3 2a) || exit 2
	check_apex_ns_is "$NS_A" "$z"
	r_served ds3 "$z" a
	r_parent_ds ds3
	run ds_union r/step-ds3.ds "r/parent-ds3.ds" b/ds-b.txt
	r_request ds3 "$z" r/step-ds3.ds unreached
}

# part_7_r: the registry asks for NS = NS_B; the DS set stays as the
# parent serves it.  B's zone of step 6 must be served by B and by A
# (A serves B's data, with the same serial and apex NS, from its part of
# step 6).
part_7_r() {
	local z
	z=$(r_zone 7 6) || exit 2
	r_served 7 "$z" b a
	check_apex_ns_is "$NS_B" "$z"
	r_parent_ds 7
	run ds_union r/step-7.ds "r/parent-7.ds"
	r_request 7 "$z" r/step-7.ds
}

# part_wait_r: steps 5 and 9 at the registry: the wait (the driver has
# checked it, and that the parent still serves what it was seen serving);
# the registry holds no zone whose views it could check.
part_wait_r() {
	say "checks:"
	ok "the wait of step $STEP is over; the parent still serves the delegation of step $(laststep)"
	verdict
}

# part_6_b: B removes NS_A from its apex (NS_A's address records stay
# unless REMOVE_NS_A_ADDRS=yes), the serial after A's, re-signed with
# B's keys and KSK_A's signature carried from A's zone as this directory
# has it (A's step 2b, or what sync and refresh brought since).  B
# publishes first: A takes B's zone, and B's step 6 is done once A
# serves it too (bero-migrate observe 6, after A's bundle a-6).
part_6_b() {
	local keep=(-K)
	[ "$REMOVE_NS_A_ADDRS" = yes ] && keep=()
	next_serial "$(current a)" "$(current b)"
	run ns_fragment a '>' a/ns-a.frag
	signopts b
	run zadd-bero-ns -r "${keep[@]}" -n a/ns-a.frag "$(current b)" '|' set_serial "$S" \
	    '|' zresign "${SIGNOPTS[@]}" -P "$(current b)" -o b/step-6.own
	if exchanges; then
		run dnskey_fragment "$(current a)" '>' a/step-6.dnskey
		run zmerge-dnskey -f a/step-6.dnskey -o b/step-6.zone b/step-6.own
	else
		run cp b/step-6.own b/step-6.zone
	fi
	say "checks:"
	check_apex_ns_is "$NS_B" b/step-6.zone
	check_same_rrset DNSKEY b/step-6.zone "$(current a)"
	check_serial_after b/step-6.zone "$(current a)"
	check_dnskey_signed_by b/step-6.zone "$(b_signer)"
	check_registered "$(current b)" b/step-6.zone
	headroom b b/step-6.zone
	AS_OLD=a NEW_B=b/step-6.zone check_chain
	report "$(current b)" b/step-6.zone
	verdict
	publish b b/step-6.zone
	say "  next: bero-migrate export 6 (for A and the registry); once A's bundle a-6 is imported, bero-migrate observe 6"
}

# a_take_b STEP: B's zone of a step, as B serves it: by zone transfer
# (TRANSFER=axfr, from B_XFR_ADDR) or the zone of B's bundle; checked:
# the four keys, KSK_A's signature over them, and served on every
# address of B's servers now (A takes B's data only once B serves it).
# Served exactly (operator_serves), not a later serial as an
# observation takes it (observe.sh, operators_serve_from): A publishes
# these data with their serial (G4, G5), so they must be B's data now;
# step 6 is half done until A's part, and no sync comes between.
a_take_b() {
	local s=$1
	if [ "$TRANSFER" = axfr ]; then
		transfer b "b/step-$s.xfr"
	fi
	[ -f "b/step-$s.xfr" ] ||
	    die "step $s refused: B's zone of its step $s: none: import B's bundle b-$s first (or TRANSFER=axfr); nothing published"
	run zcanon -z "$TLD" "b/step-$s.xfr" '>' "b/step-$s.zone"
	OBSERVE_TIMEOUT=0 operator_serves b "b/step-$s.zone" ||
	    die "step $s refused: operator B's servers do not all serve B's zone of step $s (above): A takes B's data only once B serves it; nothing published"
	say "  served: every address of operator B serves b/step-$s.zone"
}

# part_6_a: A serves B's data (B's zone of step 6, stripped of DNSSEC,
# with its serial and apex NS), with the same four keys, signed by A's
# keys alone (A never needs KSK_B's signature): by berokit, or by A's
# own signer (A_SIGNER=external: step 6 -f, the zone it made).
part_6_a() {
	a_take_b 6
	say "checks (B's zone):"
	check_keys_are "a b" b/step-6.zone
	check_apex_ns_is "$NS_B" b/step-6.zone
	check_dnskey_signed_by b/step-6.zone "$(b_signer)"
	verdict
	if [ "$A_SIGNER" = external ]; then
		[ -n "${BERO_ZONE:-}" ] ||
		    die "step 6: -f file: A signs with its own signer (A_SIGNER=external): give the zone it signed of B's data (b/step-6.zone)"
		run zcanon -z "$TLD" "$BERO_ZONE" '>' a/step-6.zone
	else
		pubopts a b
		signopts a
		run zcanon -U -z "$TLD" b/step-6.zone '|' set_operator A \
		    '|' zmerge-dnskey "${PUBOPTS[@]}" \
		    '|' zresign "${SIGNOPTS[@]}" -P "$(current a)" -o a/step-6.zone
	fi
	say "checks (A):"
	check_keys_are "a b" a/step-6.zone
	check_dnskey_signed_by a/step-6.zone a
	check_same_rrset NS a/step-6.zone b/step-6.zone
	check_serial_after a/step-6.zone "$(current a)"
	check_serial_equal a/step-6.zone b/step-6.zone
	check_operators a/step-6.zone b/step-6.zone
	check_glue a/step-6.zone
	check_registered "$(current a)" a/step-6.zone
	headroom a a/step-6.zone
	NEW_A=a/step-6.zone NEW_B=b/step-6.zone check_chain
	report "$(current a)" a/step-6.zone
	verdict
	record_other b b/step-6.zone
	publish a a/step-6.zone
	say "  next: bero-migrate export 6 (for B: A's zone of step 6)"
}
