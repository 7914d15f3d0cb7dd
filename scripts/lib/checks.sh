# lib/checks.sh: the checks of PROCEDURE.md's table that are not
# zcheck-chain's (G3 to G6 are: check_operators asks it): same RRsets,
# serials and names at A and B; the IANA
# checks of a request (zcheck-servers -O's rules, DS digests and the keys
# served); a party no longer reachable.
#
# Sourced by lib.sh, never run alone.

# Registered-domain data never changes in a migration: zdiff-dnssec -E
# answers whether the data group differs between two versions of one
# operator's zone.
check_registered() {
	need "$1" "$2"
	zdiff-dnssec -E -g data "$1" "$2" > /dev/null
	case $? in
	0) ok "registered-domain data unchanged from $1 to $2" ;;
	1) fail "registered-domain data changed from $1 to $2 (reports/$STEP.diff)" ;;
	*) die "step $STEP: zdiff-dnssec failed on $1 $2" ;;
	esac
}

# G3 to G6 and G9 between the two operators' zones of one moment: the
# same algorithms, unsigned data, serial, NSEC3 parameters and apex NS,
# zcheck-chain's rules (the shell computes none of them again).  Given
# alone, the zones are checked with their own DNSKEY RRsets as they are:
# the views from the DS sets are check_chain's.  -A: each publishes its
# own keys only (step 1, and a sync before step 2a or after step 10),
# so that neither is validated with the other's DNSKEY RRset
# (zcheck-chain -A, zones signed apart).
check_operators() {
	local s=
	[ "$1" != -A ] || { s=-A; shift; }
	need "$1" "$2"
	chain ${s:+"$s"} -- "$1" "$2"
}

# An apex RRset (records and TTL) identical in two zones (G9 for NS, the
# shared DNSKEY RRset of step 2a).
check_same_rrset() {
	local type=$1 z1=$2 z2=$3
	need "$2" "$3"
	if [ "$(apex_rrset "$z1" "$type")" = "$(apex_rrset "$z2" "$type")" ]; then
		ok "apex $type identical in $z1 and $z2 ($(apex_rrset "$z1" "$type" | wc -l) records)"
	else
		fail "the apex $type RRsets of $z1 and $z2 differ"
	fi
}

# G5: the same serial.
check_serial_equal() {
	local s1 s2
	need "$@"
	s1=$(serial "$1") && s2=$(serial "$2") ||
	    die "step $STEP: $1 or $2: no SOA serial"
	if [ "$s1" = "$s2" ]; then
		ok "G5 SOA serial $s1 at both"
	else
		fail "G5 SOA serials differ: $1 has $(serial "$1"), $2 has $(serial "$2")"
	fi
}

# The serial of a zone after that of another (RFC 1982), so that a
# secondary takes the transfer.
check_serial_after() {
	local s1 s2
	need "$1" "$2"
	s1=$(serial "$1") && s2=$(serial "$2") && is_num "$s1" "$s2" ||
	    die "step $STEP: $1 or $2: no SOA serial"
	if serial_gt "$s1" "$s2"; then
		ok "serial $s1 of $1 follows $s2 of $2 (RFC 1982)"
	else
		fail "serial $s1 of $1 does not follow $s2 of $2 (RFC 1982)"
	fi
}

# The NS set asked for equals the apex NS of every zone given.
check_ns_matches() {
	local want=$1 z
	need "$@"
	shift
	for z; do
		if [ "$(request_ns "$want")" = "$(apex_ns "$z")" ]; then
			ok "NS of $want == apex NS of $z"
		else
			fail "NS of $want ($(request_ns "$want" | tr '\n' ' ')) differs from the apex NS of $z ($(apex_ns "$z" | tr '\n' ' '))"
		fi
	done
}

# G9, second half: in-bailiwick glue, and the zone's own address records
# of the apex name servers, equal the hosts' addresses (config ADDRS).
check_glue() {
	local f=$1 h want have
	need "$1"
	for h in $(apex_ns "$f"); do
		case $h in
		*."$TLD") ;;
		*) continue ;;
		esac
		want=$(addrs_of "$h")
		have=$(awk -F '\t' -v h="$h" '$1 == h && ($4 == "A" || $4 == "AAAA") { print $5 }' "$f" | sort)
		if [ -z "$want" ]; then
			continue
		elif [ "$want" = "$have" ]; then
			ok "G9 $h: addresses in $f as configured"
		else
			fail "G9 $h: $f has addresses '$(printf '%s' "$have" | tr '\n' ' ')', configured '$(printf '%s' "$want" | tr '\n' ' ')'"
		fi
	done
}

# The configured addresses of a host (ADDRS="host=addr ..."), sorted.
addrs_of() {
	local w
	for w in $ADDRS; do
		w=${w,,}
		[ "${w%%=*}" = "$1" ] &&
		    printf '%s\n' "${w#*=}"
	done | sort
}

# IANA's rules for a delegation that need no query, by the code that
# checks them live (zcheck-servers -O, see zcheck-servers(1)): at least
# two name servers (RFC 1034 section 4.1), valid host names (RFC 1123
# section 2.1), distinct addresses outside the special-purpose blocks
# (RFC 6890; LAB_ADDRESSES=yes lets the lab's and the sample's loopback,
# private and documentation addresses pass, zcheck-servers -L), glue for
# every host in the TLD, and the smallest legal referral within 512
# octets (Zonemaster's DELEGATION03; the referral with every host's glue
# over 512 is a warning).  $1 holds the delegation: a request or a root
# zone; the addresses of the hosts outside the TLD come from ADDRS.
check_delegation() {
	local h a out st lab= args=()
	need "$1"
	[ "${LAB_ADDRESSES:-no}" = yes ] && lab=-L
	for h in $(request_ns "$1"); do
		case $h in
		*."$TLD") continue ;;
		esac
		for a in $(addrs_of "$h"); do
			args+=("$h=$a")
		done
	done
	out=$(zcheck-servers -O $lab -n "$1" "$TLD" "${args[@]}")
	st=$?
	case $st in
	0|1) ;;
	*) die "step $STEP: $1: zcheck-servers -O could not check the delegation" ;;
	esac
	while IFS= read -r h; do
		case $h in
		'') ;;
		*': warning: '*) say "  ${h#zcheck-servers: }" ;;
		*) fail "$1: ${h#zcheck-servers: }" ;;
		esac
	done <<< "$out"
	[ "$st" -ne 0 ] ||
	    ok "IANA's rules for the delegation in $1 (zcheck-servers -O)"
}

# The DS digest types: 2 (SHA-256, RFC 4509) or 4 (SHA-384, RFC 6605).
check_digest_types() {
	local bad
	need "$1"
	bad=$(awk -F '\t' -v o="$TLD" '$1 == o && $4 == "DS" { split($5, f, " ")
	    if (f[3] != 2 && f[3] != 4) print f[1] "/" f[2] " digest type " f[3] }' "$1")
	if [ -n "$bad" ]; then
		fail "DS with a digest type other than 2 or 4: $bad"
	else
		ok "DS digest types 2 or 4"
	fi
}

# A DS set in one normal form: "tag alg type DIGEST", one a line.
ds_norm() {
	awk -F '\t' '$4 == "DS" { split($5, f, " "); d = ""
	    for (i = 4; i in f; i++) d = d f[i]
	    print f[1], f[2], f[3], toupper(d) }' | sort -u
}

# Every DS of a set matches a DNSKEY each zone serves: the digest is made
# again from the zone's keys (ds-from-dnskey), never matched by key tag.
check_ds_served() {
	local ds=$1 z mine missing
	need "$@"
	shift
	for z; do
		mine=$(ds-from-dnskey -a -2 -4 -q "$z" | ds_norm) ||
		    die "step $STEP: ds-from-dnskey failed on $z"
		missing=$(ds_norm < "$ds" | grep -vxF "$mine"; [ "${PIPESTATUS[0]}" -eq 0 ]) ||
		    die "step $STEP: $ds: cannot read"
		if [ -n "$missing" ]; then
			fail "DS in $ds matching no DNSKEY of $z: $(printf '%s' "$missing" | cut -d' ' -f1,2 | tr '\n' ' ')"
		else
			ok "every DS in $ds matches a DNSKEY of $z"
		fi
	done
}

# The apex NS of a zone names exactly the hosts given.
check_apex_ns_is() {
	local want
	need "$2"
	want=$(lower "$1" | tr ' ' '\n' | grep . | sort)
	if [ "$want" = "$(apex_ns "$2")" ]; then
		ok "apex NS of $2: $(printf '%s' "$want" | tr '\n' ' ')"
	else
		fail "apex NS of $2 is '$(apex_ns "$2" | tr '\n' ' ')', not '$(printf '%s' "$want" | tr '\n' ' ')'"
	fi
}

# The DNSKEY RRset of a zone carries a signature by a party's KSK (the
# exchanged signature of RFC 6781 section 4.3.5.1).
check_dnskey_signed_by() {
	local z=$1 party=$2 t
	need "$1"
	ksk "$party"
	t=$(printf '%s\n' "${KSK##*/}" | awk -F '+' '{ print ($3 + 0) "/" ($2 + 0) }')
	if apex_rrset "$z" RRSIG | awk -v t="$t" '{ split($0, r, "\t")
	    split(r[2], f, " "); if (f[1] == "DNSKEY" && f[7] "/" f[2] == t) x = 1 }
	    END { exit !x }'; then
		ok "the DNSKEY RRset of $z is signed by $party's KSK $t"
	else
		fail "the DNSKEY RRset of $z carries no signature by $party's KSK $t"
	fi
}

# No signature by a party's keys is left in a zone, and none of its keys
# (step 10).
check_none_of() {
	local z=$1 party=$2 bad own k
	need "$1"
	own=$(keytags "$party") &&
	    bad=$(awk -F '\t' -v own="$own" '$4 == "RRSIG" {
	    split($5, f, " "); if (index(own, " " f[7] "/" f[2] " ")) n++ }
	    END { print n + 0 }' "$z") && is_num "$bad" ||
	    die "step $STEP: $z: cannot count the signatures by $party's keys"
	if [ "$bad" -ne 0 ]; then
		fail "$z: $bad signatures by $party's keys ($(keytags "$party")) are left"
	else
		ok "no signature by $party's keys in $z"
	fi
	keys "$party"
	for k in "${KEYS[@]}"; do
		if apex_rrset "$z" DNSKEY | cut -f2 | grep -qxF "$(key_rdata "$k.key")"; then
			fail "$z still publishes $party's key $k"
		fi
	done
}

# A party's servers can no longer be reached: no NS set a resolver may
# hold names them (step 9, step 13).
check_unreachable() {
	if reachable "$1"; then
		fail "$1's servers may still be reached: an NS set still cached names them ($(printf '%s' "$NS_HELD" | tr '\n' ' '))"
	else
		ok "no NS set a resolver may hold names $1's servers (held: $(printf '%s' "$NS_HELD" | tr '\n' ' '))"
	fi
}

# IANA's technical checks of a request (a delegation: NS, glue, DS),
# against the servers it lists: IANA's rules for the delegation itself
# (check_delegation: servers, names, addresses, referral size), the same NS set as
# the apex of every operator's zone, the same SOA serial at both, every
# DS matching a DNSKEY each listed server serves, digest types 2 or 4,
# and signatures that outlast IANA's
# processing and the waits.
iana_checks() {
	local req=$1 zones tested z p own
	zones=$(listed_zones "$req") && tested=$(tested_zones "$req") ||
	    die "step $STEP: $req: cannot tell which servers it lists"
	check_delegation "$req"
	# shellcheck disable=SC2086
	check_ns_matches "$req" $tested
	# shellcheck disable=SC2086
	[ "$(printf '%s\n' $tested | wc -l)" -lt 2 ] || check_serial_equal $tested
	# shellcheck disable=SC2086
	check_ds_served "$req" $zones
	check_digest_types "$req"
	headroom_update
	for z in $zones; do
		p=${z#published/}
		own=$(keytags "${p%%/*}") || exit 2
		check_headroom "$z" "$HEADROOM_UNTIL" "$own"
	done
}

# Every DS set a resolver may hold (ds_views: those the root published
# within the last Dprp_P + TTL_DS_P, and the new one) names a party's
# KSK: the digest made again from its key, never matched by key tag.
# Double-DS (RFC 6781 section 4.1.2): B's DNSKEY RRset carries no KSK_A
# signature, so B may be in an NS set only once no resolver may hold a
# DS set without DS_B (step 2b).
check_ds_held_names() {
	local party=$1 want d sets missing=
	ksk "$party"
	want=$(ds-from-dnskey -2 "$KSK" | ds_norm) && [ -n "$want" ] ||
	    die "step $STEP: ds-from-dnskey failed on $KSK"
	sets=$(ds_views) || die "step $STEP: cannot tell which DS sets may be held"
	for d in $sets; do
		need "$d"
		ds_norm < "$d" | grep -qxF "$want" || missing="$missing $d"
	done
	if [ -n "$missing" ]; then
		fail "a resolver may still hold a DS set without $party's DS ($(printf '%s' "$want" | cut -d' ' -f1,2)):$missing; $party, which carries no signature by the other KSK, must not be in an NS set yet (double-DS: DS_B at the root, then Dprp_P + TTL_DS_P)"
	else
		ok "every DS set a resolver may hold names $party's KSK ($(printf '%s\n' $sets | wc -l) sets)"
	fi
}
