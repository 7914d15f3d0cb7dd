# scripts/demo/living.sh: the demo's optional switches, off by default
# (make demo runs without them; t/0855 runs the demo with both):
#
#   DEMO_LIVING=1       the zone lives on while it moves (bero-migrate(1),
#                       sync and refresh): after step 2a the registry adds
#                       a delegation with a DS (living/names: ADDED), A,
#                       the source until step 6, signs it with its own
#                       signer and publishes it (sync -f), and B takes it
#                       from A's sync bundle (sync); after step 7 the
#                       registry deletes a delegation that has a DS
#                       (DELETED), B, the source from step 6, publishes
#                       it (sync -f) and A takes it, signed by its own
#                       signer (sync -f with B's data).  During the wait
#                       of step 5 both operators refresh: A, whose own
#                       signer renews its signatures, signs its zone
#                       again and publishes it (sync -f), and hands it
#                       over (export refresh); B takes A's serial (G5)
#                       and A's new KSK_A signature and renews its own
#                       signatures (refresh: KSK_B's over the DNSKEY
#                       RRset holding A's keys, KEY_SIG_VALIDITY = 2 d
#                       18 h here, fall due at every refresh).
#   DEMO_PARENT_LATE=1  the parent publishes the registry's request of
#                       step 3 late: the registry's observation of step 4
#                       is tried first and must be refused (status 1,
#                       "step 4: not observed", its log unchanged); once
#                       the test root serves DS_A and DS_B, the parties
#                       observe step 4 as before.
#
# With DEMO_STEP_HOOK, the hook also runs between the steps, with a name
# that is not a step's: add-at-a (A serves the added delegation, B not
# yet), parent-late (the refused observation), refresh (both refreshed),
# del-at-b (B no longer serves the deleted delegation, A still does).
#
# With the signature exchange only (DEMO_METHOD=exchange, the default).
#
# Sourced by scripts/demo.sh after its functions (as, must, say_as,
# die, the A signer's asig_*), which calls these at its hook lines; each
# does nothing when its switch is off.

# living_conf: the lines the living demo adds to demo.conf (before the
# parties' init), and the names it adds and deletes in living/names.
living_conf() {
	[ -z "${DEMO_LIVING:-}${DEMO_PARENT_LATE:-}" ] ||
	    [ "${DEMO_METHOD:-exchange}" = exchange ] ||
	    die "DEMO_LIVING and DEMO_PARENT_LATE run with the exchange method only (DEMO_METHOD=$DEMO_METHOD)"
	[ -n "${DEMO_LIVING:-}" ] || return 0
	local del
	mkdir -p "$out/living" || die "$out/living: cannot create"
	# The first delegation of the sample TLD that has a DS: deleted
	# after step 7, its DS validated before.
	del=$(awk -F '\t' '$4 == "DS" { print $1; exit }' "$asig/zone.unsigned")
	[ -n "$del" ] || die "$asig/zone.unsigned: no delegation with a DS to delete"
	{
		printf 'ADDED=newreg.%s\n' "$DEMO_TLD"
		printf 'DELETED=%s\n' "$del"
	} > "$out/living/names" || die "$out/living/names: cannot write"
	. "$out/living/names"
	# KSK_B's signatures over the DNSKEY RRset holding A's keys fall
	# due at every refresh: shorter than the refresh window (2 x
	# REFRESH_MARGIN + HEADROOM_MARGIN, 3 days), longer than G8 asks
	# (REFRESH_MARGIN + HEADROOM_MARGIN, 2 d 12 h).
	printf 'KEY_SIG_VALIDITY=237600\n'
}

# living_hook NAME: DEMO_STEP_HOOK NAME between two steps (see the top).
living_hook() {
	[ -n "${DEMO_STEP_HOOK:-}" ] || return 0
	echo "  (between the steps: $DEMO_STEP_HOOK $1)"
	DEMO_OUT=$out $DEMO_STEP_HOOK "$1" >> "$out/hook.log" 2>&1 ||
	    die "$1: $DEMO_STEP_HOOK failed (see $out/hook.log)"
}

# living_serial FILE SERIAL: FILE's records with the SOA serial SERIAL.
living_serial() {
	awk -F '\t' -v OFS='\t' -v s="$2" '$4 == "SOA" { n = split($5, f, " ")
	    f[3] = s; $5 = f[1]; for (i = 2; i <= n; i++) $5 = $5 " " f[i] }
	    { print }' "$1"
}

# living_add: after step 2a, the registry's new delegation (ADDED, two
# name servers and a DS) from A, the source, to B.
living_add() {
	[ -n "${DEMO_LIVING:-}" ] || return 0
	local r=$out/living/add.records
	echo
	echo "== Step 2 (living zone): the registry adds $ADDED with a DS; A, the source until step 6, publishes it, and B takes it"
	{
		printf '%s\t%s\tIN\tNS\tns1.dns4.org.\n' "$ADDED" "$DEMO_TTL"
		printf '%s\t%s\tIN\tNS\tns2.dns4.org.\n' "$ADDED" "$DEMO_TTL"
		# The registrant's DS (RFC 4034 section 5), as the registry
		# received it: key tag, algorithm 13, SHA-256.
		printf '%s\t%s\tIN\tDS\t4711 13 2 %s\n' "$ADDED" "$DEMO_TTL" \
		    "$(printf '%s' "$ADDED" | sha256sum | cut -c 1-64)"
	} > "$r" || exit 2
	asig_edit "$asig" add "$out/bundles/b-1" "$r" || die "A's signer: zone-add"
	asig_sign "$asig" "$asig/zone-add.unsigned" "$asig/zone-add.signed" ||
	    die "A's signer failed"
	must a sync -f a-signer/zone-add.signed
	must a export sync -o bundles/a-sync-add
	living_hook add-at-a
	must b import bundles/a-sync-add
	must b sync
}

# living_parent_late STEP: before the parent publishes the registry's
# request of the step before STEP, the registry tries to observe STEP:
# refused (status 1), nothing logged.
living_parent_late() {
	[ -n "${DEMO_PARENT_LATE:-}" ] || return 0
	local log=$out/registry/log rc
	echo "  (the parent has not published the registry's request yet: the registry's observation of step $1 must be refused, nothing logged)"
	cp "$log" "$out/.log-before" || exit 2
	as r observe "$1"
	rc=$?
	[ "$rc" = 1 ] && grep -q "^step $1: not observed" "$out/.last" ||
	    die "the registry's observation of step $1 before the parent published: status $rc, not refused as \"step $1: not observed\""
	cmp -s "$log" "$out/.log-before" ||
	    die "the registry's refused observation of step $1 changed its log"
	echo "  (refused, status 1; the registry's log is unchanged)"
	living_hook parent-late
}

# living_refresh: during the wait of step 5 both operators refresh: A's
# own signer signs A's zone again (serial one up) and A publishes it
# (sync -f: A's refresh with a signer of its own) and hands it over
# (export refresh: its new KSK_A signature over the DNSKEY RRset); B
# imports it and refreshes (bero-migrate refresh): it takes A's serial
# (G5) and A's new signature, and renews its own signatures that fall
# due (KSK_B's short-lived ones).  In that order B's directory learns
# the version A serves; the other way round (B first, then A at B's
# serial) B would hold an older copy of A's zone than A serves.
living_refresh() {
	[ -n "${DEMO_LIVING:-}" ] || return 0
	local s last
	echo
	echo "== During the wait of step 5: both operators refresh their signatures"
	s=$(srv_serial "$DEMO_NET.11" "$DEMO_TLD")
	[ -n "$s" ] || die "A's servers serve no serial"
	s=$(((s + 1) & 0xffffffff))
	last=$(cat "$asig/last") || exit 2
	say_as A "(its signer signs its zone again, serial $s)"
	living_serial "$last" "$s" > "$asig/zone-refresh.unsigned" || exit 2
	printf '%s\n' "$asig/zone-refresh.unsigned" > "$asig/last"
	asig_sign "$asig" "$asig/zone-refresh.unsigned" "$asig/zone-refresh.signed" ||
	    die "A's signer failed"
	must a sync -f a-signer/zone-refresh.signed
	must a export refresh -o bundles/a-refresh
	must b import bundles/a-refresh
	must b refresh
	living_hook refresh
}

# living_delete: after step 7, the registry deletes DELETED: B, the
# source, publishes it; A takes B's data from B's sync bundle and its
# own signer signs them (sync -f at the receiver).
living_delete() {
	[ -n "${DEMO_LIVING:-}" ] || return 0
	local z=$out/b/published/b/${DEMO_TLD%.}.zone
	echo
	echo "== Step 7 (living zone): the registry deletes $DELETED; B, the source from step 6, publishes it, and A takes it"
	[ -s "$z" ] || die "$z: B's zone is not there"
	awk -F '\t' -v OFS='\t' -v name="$DELETED" '
	    $4 == "SOA" { n = split($5, f, " "); f[3]++; $5 = f[1]
		for (i = 2; i <= n; i++) $5 = $5 " " f[i] }
	    $1 == name || substr($1, length($1) - length(name)) == "." name { next }
	    { print }' "$z" > "$out/living/del.zone" || exit 2
	must b sync -f living/del.zone
	must b export sync -o bundles/b-sync-del
	living_hook del-at-b
	must a import bundles/b-sync-del
	say_as A "(its signer signs B's data of the bundle, with B's keys added)"
	{
		zcanon -U -z "$DEMO_TLD" "$out/a/b/sync.xfr"
		grep -vh '^;' "$out/bundles/b-1"/K*.key | grep -v '^$'
	} > "$asig/zone-del.unsigned" || die "A's signer: zone-del"
	printf '%s\n' "$asig/zone-del.unsigned" > "$asig/last"
	asig_sign "$asig" "$asig/zone-del.unsigned" "$asig/zone-del.signed" ||
	    die "A's signer failed"
	must a sync -f a-signer/zone-del.signed
}
