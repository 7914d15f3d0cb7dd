# lib/sync.sh: the zone lives on while it moves.  Registration changes
# cross between the operators (sync), signatures are renewed before they
# run short (refresh), and KSK_B's signatures over a DNSKEY RRset that
# holds A's keys are kept short-lived (KEY_SIG_VALIDITY).  A version
# published between the steps is an interim version: kept in the history
# like a step's, with its time in history/interim, so that the views
# count it as cached once replaced (versions, lib/state.sh).
#
# Who edits: the data change at the source only, the operator whose copy
# is authoritative at that step: A until step 6, B from step 6 on.  The
# other operator, the receiver, takes the source's zone (by transfer),
# strips its DNSSEC records, keeps its own apex NS and DNSKEY RRsets (as
# the last step left them), signs again reusing its valid signatures and
# publishes with the source's serial: the serials stay equal at A and B
# (G5) and still advance (RFC 1982).
#
# The functions work for one party at a time, so that a party's own
# state directory (ROLE=a or b) runs its side with the same calls:
# sync_edit at the source, sync_receive at the receiver, refresh_party at
# each; ROLE=all (one directory) runs both sides.
#
# Sourced by lib.sh, never run alone.

# sync_parties: the source and the receiver now, from the log, in SRC and
# RCV; refuses, with the reason, when there is nothing to synchronize.
sync_parties() {
	local last
	last=$(laststep) || die "log: cannot read"
	case $last in
	'') die "log: cannot read" ;;
	0) die "sync refused: step 1 is not done: B serves no zone yet (step 1 takes A's zone whole)" ;;
	13) die "sync refused: step 13 is done: A no longer serves the zone, and B's copy is the only one" ;;
	esac
	# Step 6 half done: B published its zone without NS_A, A has not
	# taken it yet.  Which copy is the source is then undecided: A's
	# data and B's may differ, and a sync either way would undo a change
	# of the other.
	if [ -f history/b-6.zone ] && [ -z "$(logtime 6)" ]; then
		die "sync refused: step 6 is half done (B's part published, A's not): run step 6 again to finish it, then sync (from B to A)"
	fi
	# During a back-out, lib/backout.sh says (A is the source again
	# from b4).
	if [ -e backout-log ]; then
		backout_sync_parties "$last"
		return 0
	fi
	case $last in
	1|2a|ds3|ds4|2b|3|4|5) SRC=a RCV=b ;;
	*) SRC=b RCV=a ;;
	esac
}

# interim_next KIND: the name of the next interim version of a kind,
# KIND-N, in INTERIM (sync-1, sync-2, refresh-1, ...).
interim_next() {
	local n=0
	[ ! -f history/interim ] ||
	    n=$(awk -v k="-$1-" '{ i = index($2, k); if (i) {
		v = substr($2, i + length(k)) + 0; if (v > m) m = v } }
		END { print m + 0 }' history/interim) ||
	    die "history/interim: cannot read"
	INTERIM=$1-$((n + 1))
}

# interim_record PARTY: the version of PARTY the running sync or refresh
# ($STEP) published, with its time and the number of steps done before
# it (the order among versions published in the same second).
interim_record() {
	local t n
	t=$(now) || exit 2
	maxv "$NOW" "$t"
	n=$(awk 'END { print NR }' log) || die "log: cannot read"
	printf '%s history/%s-%s.zone %s %s\n' "$1" "$1" "$STEP" "$M" "$n" \
	    >> history/interim || die "history/interim: cannot write"
}

# interim_versions PARTY: "file time order" for the interim versions of
# PARTY (for versions, lib/state.sh).
interim_versions() {
	[ -f history/interim ] || return 0
	awk -v p="$1" '$1 == p { print $2, $3, $4 + 0.5 }' history/interim
}

# The receiver keeps its own apex: the apex NS RRset and the DNSKEY RRset
# with the signatures over it (the exchanged one too) of the zone it
# serves now replace those of the data it takes.  A filter over a zone
# stripped of its DNSSEC records; zresign puts the records in order.
keep_apex() {
	awk -F '\t' -v o="$TLD" -v own="$1" '
	    BEGIN {
		while ((getline l < own) > 0) {
			split(l, f, "\t")
			if (f[1] != o) { if (seen) break; continue }
			seen = 1
			if (f[4] == "NS" || f[4] == "DNSKEY" ||
			    (f[4] == "RRSIG" && f[5] ~ /^DNSKEY /))
				keep[++n] = l
		}
		if (!n) { print "keep_apex: " own ": no apex records" > "/dev/stderr"; exit 1 }
	    }
	    $1 == o && $4 == "NS" { next }
	    { print }
	    END { for (i = 1; i <= n; i++) print keep[i] }'
}

# b_signs_a_keys: whether B's DNSKEY RRset that the running step, sync or
# refresh signs holds A's keys: from step 2a, which adds them, to step
# 10, which removes them, in the method's order (STEPS): with double-DS
# the parent's steps ds3 and ds4 come between, and a sync or refresh
# there signs the four keys too.
b_signs_a_keys() {
	local last s in=
	case ${STEP:-} in
	2a|2b|6) return 0 ;;
	sync-*|refresh-*) ;;
	*) return 1 ;;
	esac
	last=$(laststep) || die "log: cannot read"
	for s in $STEPS; do
		case $s in
		2a) in=1 ;;
		10) in= ;;
		esac
		[ "$s" != "$last" ] || { [ -n "$in" ]; return; }
	done
	return 1
}

# keysig_opts PARTY: zresign's options for the validity of a party's KSK
# signatures over the DNSKEY RRset, added to SIGNOPTS.  KSK_B's
# signatures over a DNSKEY RRset that holds A's keys expire
# KEY_SIG_VALIDITY after they are made (zresign -E): with ZSK_A, such an
# RRset lets A forge the zone from DS_B alone until then, and a replay
# after step 10 is useless once they expired.  B renews them (refresh).
keysig_opts() {
	[ "$1" = b ] && b_signs_a_keys || return 0
	SIGNOPTS+=(-E "+$KEY_SIG_VALIDITY")
}

# The config of this file: KEY_SIG_VALIDITY and REFRESH_MARGIN, checked
# by state_load.  A KEY_SIG_VALIDITY no longer than REFRESH_MARGIN +
# HEADROOM_MARGIN makes signatures that fail G8 when they are made: the
# step that makes them says so.
sync_config() {
	: "${KEY_SIG_VALIDITY=345600}" "${REFRESH_MARGIN=43200}"
	local v
	for v in KEY_SIG_VALIDITY REFRESH_MARGIN; do
		case ${!v} in
		''|*[!0-9]*) die "config: $v='${!v}': not a number of seconds" ;;
		esac
	done
}

# sync_edit PARTY FILE: the source publishes its data changed: the zone
# in FILE (the registry's new zone, signed or not), stripped of DNSSEC,
# with the source's own apex NS and DNSKEY, signed again with its keys
# reusing what did not change.  FILE's serial must follow the one served
# (RFC 1982): a secondary takes no zone whose serial does not.
sync_edit() {
	local p=$1 file=$2 cur new s1 s2
	cur=$(current "$p")
	new=$p/$STEP.zone
	need "$cur"
	run zcanon -z "$TLD" "$file" '>' "$p/$STEP.in"
	s1=$(serial "$p/$STEP.in") && s2=$(serial "$cur") && is_num "$s1" "$s2" ||
	    die "$file or $cur: no SOA serial"
	serial_gt "$s1" "$s2" ||
	    die "sync refused: $file: serial $s1 does not follow $s2, the serial $p serves (RFC 1982): edits need a new serial"
	if [ "$p" = a ] && [ "${A_SIGNER:-}" = external ]; then
		# A's own signer made it: taken as it is, and checked.
		run cp "$p/$STEP.in" "$new"
	else
		signopts "$p"
		run zcanon -U -z "$TLD" "$p/$STEP.in" '|' set_operator "${p^^}" \
		    '|' keep_apex "$cur" \
		    '|' zresign "${SIGNOPTS[@]}" -P "$cur" -o "$new"
	fi
	say "checks ($p, the source):"
	[ "$p" != a ] || [ "${A_SIGNER:-}" != external ] ||
	    check_dnskey_signed_by "$new" a
	check_serial_after "$new" "$cur"
	check_same_rrset NS "$new" "$cur"
	check_same_rrset DNSKEY "$new" "$cur"
	headroom "$p" "$new"
	# The receiver still serves the old data until it takes the new:
	# its zone is a version still cached, not one compared with the
	# source's (G4, G5 come with sync_receive).
	local P=NEW_${p^^}
	printf -v "$P" '%s' "$new"
	AS_OLD=$(sync_other "$p") check_chain
	printf -v "$P" '%s' ''
	report "$cur" "$new"
	interim_verdict
	publish "$p" "$new"
	interim_record "$p"
	sync_served "$p" "$new"
}

# sync_served PARTY ZONE: in a party's own directory, the version just
# published is seen served on every address of the party's servers
# (lib/observe.sh), or the command says it is not yet (exit 1: what was
# published stays; run status, or the other party's sync refuses it).
sync_served() {
	[ "${ROLE:-all}" != all ] || return 0
	if ! STEP=$STEP observe_operator "$1" "$2"; then
		say "$STEP: published, not yet served on every address of $(role_name "$1")'s servers (above)"
		exit 1
	fi
	[ "$1" != "$(role_party)" ] || [ "$1" != "${SRC:-}" ] ||
	    say "  next: bero-migrate export sync (for $(role_name "$(sync_other "$1")"), or its sync by zone transfer (TRANSFER=axfr)"
}

sync_other() {
	case $1 in
	a) echo b ;;
	b) echo a ;;
	esac
}

# sync_receive SRC RCV: the receiver takes the source's zone and
# publishes it as its own (see the top of this file).  Nothing to do
# when it already serves the source's serial.
sync_receive() {
	local src=$1 rcv=$2 cur scur new s1 s2 P
	cur=$(current "$rcv")
	new=$rcv/$STEP.zone
	need "$cur"
	# The source's zone as it came, in canonical form: what the data of
	# the new zone are compared with.
	scur=$rcv/$STEP.source
	if [ "${ROLE:-all}" = all ]; then
		transfer "$src" "$rcv/$STEP.xfr"
		run zcanon -z "$TLD" "$rcv/$STEP.xfr" '>' "$scur"
	else
		sync_take "$src" "$scur"
	fi
	s1=$(serial "$scur") && s2=$(serial "$cur") &&
	    is_num "$s1" "$s2" || die "$scur or $cur: no SOA serial"
	if [ "$s1" = "$s2" ]; then
		say "checks ($rcv, the receiver: it serves $src's serial $s1 already):"
		sync_same_data "$scur" "$cur"
		interim_verdict
		say "  nothing to synchronize: $rcv serves serial $s1, as $src does"
		return 0
	fi
	serial_gt "$s1" "$s2" ||
	    die "sync refused: $src serves serial $s1, which does not follow $s2, $rcv's (RFC 1982): is $src the source? (A until step 6, B after); a receiver that took it would lose its newer data; nothing published"
	if [ -n "${SYNC_SIGNED:-}" ]; then
		# A's own signer signed the source's data (sync -f at A).
		run zcanon -z "$TLD" "$SYNC_SIGNED" '>' "$new"
	else
		signopts "$rcv"
		run zcanon -U -z "$TLD" "$scur" \
		    '|' set_operator "${rcv^^}" '|' keep_apex "$cur" \
		    '|' zresign "${SIGNOPTS[@]}" -P "$cur" -o "$new"
	fi
	say "checks ($rcv, the receiver):"
	[ -z "${SYNC_SIGNED:-}" ] || check_dnskey_signed_by "$new" a
	check_serial_equal "$new" "$scur"
	check_serial_after "$new" "$cur"
	check_same_rrset DNSKEY "$new" "$cur"
	sync_same_data "$scur" "$new"
	headroom "$rcv" "$new"
	if [ "${ROLE:-all}" = all ]; then
		interim_views "$rcv" "$new"
	else
		# The source's new version, as this directory now has it.
		run cp "$scur" "$src/$STEP.zone"
		interim_views "$rcv/$STEP.zone" "$src/$STEP.zone"
	fi
	report "$cur" "$new"
	interim_verdict
	publish "$rcv" "$new"
	interim_record "$rcv"
	# In a party's directory, the source's version as it serves it.
	if [ "${ROLE:-all}" != all ]; then
		record_other "$src" "$scur"
		interim_record "$src"
		[ ! -f "$src/sync.xfr" ] || mv -f "$src/sync.xfr" "$src/$STEP.taken" ||
		    die "$src/sync.xfr: cannot write"
		sync_served "$rcv" "$new"
	fi
}

# sync_keys SRC: the keys the source's zone must publish now, as step 1
# checks A's: its own alone before step 2a and from step 10 on, both
# operators' between.
sync_keys() {
	case $(laststep) in
	1) echo "$1" ;;
	10|11|12) echo b ;;
	*) echo "a b" ;;
	esac
}

# sync_take SRC OUT (a receiver's own directory): the source's zone as
# every address of its servers serves it, into OUT, checked as step 1
# checks A's zone: by zone transfer with TSIG from every address
# (TRANSFER=axfr; they must all give the same zone), or the zone of the
# source's sync bundle (bero-migrate import), which every address must
# serve; its DNSKEY RRset the keys it must publish now; valid from the
# DS RRset the parent serves, which must be the one this directory last
# observed.  Any of these failing refuses the sync (exit 2), nothing
# published.
sync_take() {
	local src=$1 out=$2 name addr port n=0 xfr
	local -a bad=()
	xfr=$rcv/$STEP.xfr
	if [ "$TRANSFER" = axfr ]; then
		[ -f keys/tsig.key ] ||
		    die "sync refused: keys/tsig.key: no TSIG key for the zone transfers (config TSIG_NAME, TSIG_ALG, TSIG_SECRET)"
		owner_only keys/tsig.key
		while read -r name addr port; do
			n=$((n + 1))
			kdig -k keys/tsig.key "@$addr" -p "$port" +tcp "$TLD" AXFR \
			    +noall +answer 2> /dev/null | axfr_zone > "$xfr.$n" &&
			    zcanon -z "$TLD" "$xfr.$n" > "$xfr.$n.c" 2> /dev/null ||
			    die "sync refused: no complete zone transfer (TSIG) from $name ($addr port $port): $(role_name "$src")'s zone cannot be taken; nothing published"
			say "\$ kdig -k keys/tsig.key @$addr -p $port $TLD AXFR: serial $(serial "$xfr.$n.c")"
			[ "$n" -eq 1 ] || cmp -s "$xfr.1.c" "$xfr.$n.c" ||
			    bad+=("$name ($addr port $port)")
		done < <(servers_of "$src")
		[ "${#bad[@]}" -eq 0 ] ||
		    die "sync refused: ${bad[*]} gave another zone than the first address of $(role_name "$src")'s servers: the source's data are not the same everywhere yet; nothing published"
		run cp "$xfr.1.c" "$out"
	else
		[ -f "$src/sync.xfr" ] ||
		    die "sync refused: $(role_name "$src")'s new zone: none here: import its sync bundle first (bero-migrate export sync at $(role_name "$src"), then import), or TRANSFER=axfr; nothing published"
		run zcanon -z "$TLD" "$src/sync.xfr" '>' "$out"
		OBSERVE_TIMEOUT=0 operator_serves "$src" "$out" ||
		    die "sync refused: $(role_name "$src")'s servers do not all serve the zone of its sync bundle (above): the receiver takes only what the source serves everywhere; nothing published"
		say "  served: every address of $(role_name "$src") serves $out"
	fi
	say "checks ($(role_name "$src")'s zone, as step 1 checks it):"
	check_keys_are "$(sync_keys "$src")" "$out"
	parent_ds_served > "$rcv/$STEP.parent.ds" ||
	    die "sync refused: the DS RRset the parent serves cannot be observed; nothing published"
	cmp -s <(sort "$(current ds)") <(sort "$rcv/$STEP.parent.ds") ||
	    die "sync refused: the parent serves another DS RRset than this directory last observed ($(current ds)): observe the parent's step first; nothing published"
	chain -D "$(current ds)" -- "$out"
	[ "$FAILED" -eq 0 ] ||
	    die "sync refused: $(role_name "$src")'s zone fails the checks above; nothing published"
}

# interim_views NEWZONE...: the views with the new versions (PARTY/NAME)
# as a step checks them (check_chain).  Until the root's DS set names
# a key of B's DNSKEY RRset B is checked from its own DS, as at step 1
# (b_from_own_ds).  Once no resolver can reach A (step 9), a new version
# of A's is checked on its own: no DS set need lead to it.
interim_views() {
	local z p lone=
	NEW_A= NEW_B=
	for z; do
		p=${z%%/*}
		if [ "$p" = a ] && [ -n "$(logtime 9)" ] && ! reachable a; then
			lone=$z
		else
			printf -v "NEW_${p^^}" '%s' "$z"
		fi
	done
	if [ -n "$NEW_B" ] && b_from_own_ds; then
		UNREACHED_DS=b/ds-b.txt check_chain
	else
		check_chain
	fi
	[ -z "$lone" ] || chain -- "$lone"
	NEW_A= NEW_B=
}

# b_from_own_ds: whether B's zone, in no NS set yet, is checked from
# B's own DS (b/ds-b.txt), the root's DS set naming none of its KSKs:
# after step 1, and with double-DS after 2a and ds3 too, as step 2a
# checks it (B's DNSKEY RRset carries no KSK_A signature; DS_B is at the
# root from ds4).
b_from_own_ds() {
	case $(laststep) in
	1) return 0 ;;
	2a|ds3) ! exchanges ;;
	*) return 1 ;;
	esac
}

# sync_same_data SOURCE NEW: the receiver's new zone holds the source's
# data (G4), its serial (G5), its apex NS (G9), its algorithms and NSEC3
# parameters (G3, G6): zcheck-chain's rules, given both zones as served
# now.  Before step 2a and after step 10 each publishes its own keys
# only: then zcheck-chain -A validates each with its own DNSKEY RRset
# alone and compares the rest.
sync_same_data() {
	if [ "$(apex_rrset "$1" DNSKEY)" = "$(apex_rrset "$2" DNSKEY)" ]; then
		check_operators "$1" "$2"
	else
		check_operators -A "$1" "$2"
	fi
}

# sync_main FILE: what sync does in this state directory: with FILE, the
# source publishes its edit first; then the receiver takes the source's
# zone.  A party's own directory (ROLE=a or b) does its own side.
sync_main() {
	local file=$1
	sync_parties
	case ${ROLE:-all} in
	all) ;;
	"$SRC") [ -n "$file" ] ||
		die "sync: $SRC is the source now: give its new zone with -f"
		RCV= ;;
	"$RCV") if [ -n "$file" ]; then
			[ "$RCV" = a ] && [ "${A_SIGNER:-}" = external ] ||
			    die "sync refused: -f: $(role_name "$RCV") is the receiver now: the data are edited at $(role_name "$SRC"), the source (A until step 6, B after); an edit here would be lost, or lose the source's; nothing published"
			# A's own signer's zone of the source's data.
			SYNC_SIGNED=$file file=
		fi
		;;
	*) die "sync: ROLE=$ROLE: only the operators synchronize" ;;
	esac
	say "== sync ($STEP) at $(fmt_time "$NOW"): from $SRC (the source) to $(sync_other "$SRC")${ROLE:+$( [ "$ROLE" = all ] || printf ', in the directory of %s' "$(role_name "$ROLE")")}"
	if [ -n "$file" ]; then
		[ "${ROLE:-all}" = all ] || [ "$ROLE" = "$SRC" ] ||
		    die "sync: -f: the data are edited at $SRC, the source"
		sync_edit "$SRC" "$file"
	fi
	[ -z "$RCV" ] || sync_receive "$SRC" "$RCV"
}

# ------------------------------------------------------------- refresh

# The refresh window (zresign -w): a signature that would no longer pass
# G8 at the next refresh, REFRESH_MARGIN from now, is made again.
refresh_window() {
	printf '%s\n' $((2 * REFRESH_MARGIN + HEADROOM_MARGIN))
}

# sig_expiry ZONE PARTY: "own imported", the earliest expirations of
# the signatures in ZONE by PARTY's keys and by the others' ("-" when
# there is none), in seconds.
sig_expiry() {
	local own out
	own=$(keytags "$2") || exit 2
	out=$(awk -F '\t' -v own="$own" -f "$BERO_SHARE/expiry.awk" "$1") ||
	    die "$1: cannot read its signature expirations"
	printf '%s\n' "$out"
}

# carries_sig_of ZONE PARTY: ZONE's DNSKEY RRset carries a signature by
# PARTY's KSK (an exchanged one).
carries_sig_of() {
	local t
	ksk "$2"
	t=$(printf '%s\n' "${KSK##*/}" | awk -F '+' '{ print ($3 + 0) "/" ($2 + 0) }')
	apex_rrset "$1" RRSIG | awk -v t="$t" '{ split($0, r, "\t")
	    split(r[2], f, " "); if (f[1] == "DNSKEY" && f[7] "/" f[2] == t) x = 1 }
	    END { exit !x }'
}

# refresh_main: each operator that serves the zone signs its current
# zone again, its data, apex and keys as they are, with every signature
# that would not pass G8 at the next refresh made again (KSK_B's over a
# DNSKEY RRset holding A's keys, KEY_SIG_VALIDITY long, every time).
# While both publish the same DNSKEY RRset the exchanged signatures are
# carried again, so that each carries the other's freshest.  Both get
# the same new serial (G5), after both of theirs (RFC 1982).  Nothing is
# published when no signature needs it.
refresh_main() {
	local -a serving=()
	local p e w need= first= exchange= cur x
	[ "${ROLE:-all}" = all ] || { refresh_party; return; }
	w=$(refresh_window)
	for p in a b; do
		[ -f "$(current "$p")" ] && serving+=("$p")
	done
	[ "${#serving[@]}" -gt 0 ] || die "refresh: no operator serves the zone"
	say "== refresh ($STEP) at $(fmt_time "$NOW"): ${serving[*]}, signatures that expire before $(fmt_time $((NOW + w))) made again"
	for p in "${serving[@]}"; do
		read -r e x <<< "$(sig_expiry "$(current "$p")" "$p")"
		is_num "$e" || die "refresh: $(current "$p"): cannot read its signature expirations"
		if [ "$e" -lt $((NOW + w)) ]; then
			need=1
			say "  $p: a signature by its keys expires at $(fmt_time "$e")"
		fi
		if [ "$x" != - ] && [ "$x" -lt $((NOW + w)) ]; then
			need=1
			say "  $p: an exchanged signature expires at $(fmt_time "$x")"
		fi
	done
	if [ -z "$need" ]; then
		say "  nothing to refresh: every signature lasts beyond $(fmt_time $((NOW + w)))"
		return 0
	fi
	if [ "${#serving[@]}" -eq 2 ] &&
	    [ "$(apex_rrset "$(current a)" DNSKEY)" = "$(apex_rrset "$(current b)" DNSKEY)" ]; then
		exchange=1
	fi
	first=${serving[0]}
	next_serial "$(current "$first")" "$(current "${serving[-1]}")"
	for p in "${serving[@]}"; do
		cur=$(current "$p")
		signopts "$p"
		# Once the DNSKEY RRsets differ (after step 10) the other's
		# signature over this one is no longer renewed: it goes.  At A
		# it is KSK_B's over an RRset that holds A's keys.
		if [ -z "$exchange" ] && carries_sig_of "$cur" "$(sync_other "$p")"; then
			say "  $p: the other operator's signature over its DNSKEY RRset, no longer exchanged, is dropped"
			SIGNOPTS+=(-O strip)
		fi
		run set_serial "$S" '<' "$cur" \
		    '|' zresign "${SIGNOPTS[@]}" -w "$w" -P "$cur" -o "$p/$STEP.own"
	done
	for p in "${serving[@]}"; do
		x=$(sync_other "$p")
		if [ -n "$exchange" ] && carries_sig_of "$(current "$p")" "$x"; then
			run dnskey_fragment "$x/$STEP.own" '>' "$x/$STEP.dnskey"
			run zmerge-dnskey -f "$x/$STEP.dnskey" -o "$p/$STEP.zone" "$p/$STEP.own"
		else
			run cp "$p/$STEP.own" "$p/$STEP.zone"
		fi
	done
	say "checks:"
	for p in "${serving[@]}"; do
		cur=$(current "$p")
		x=$(sync_other "$p")
		check_registered "$cur" "$p/$STEP.zone"
		check_same_rrset NS "$p/$STEP.zone" "$cur"
		check_same_rrset DNSKEY "$p/$STEP.zone" "$cur"
		if [ -n "$exchange" ] && carries_sig_of "$cur" "$x"; then
			check_dnskey_signed_by "$p/$STEP.zone" "$x"
		fi
		headroom "$p" "$p/$STEP.zone"
	done
	[ "${#serving[@]}" -lt 2 ] || check_serial_equal a/"$STEP".zone b/"$STEP".zone
	interim_views "${serving[@]/%//$STEP.zone}"
	for p in "${serving[@]}"; do
		report "$(current "$p")" "$p/$STEP.zone"
	done
	interim_verdict
	for p in "${serving[@]}"; do
		publish "$p" "$p/$STEP.zone"
		interim_record "$p"
	done
}

# refresh_party (a party's own directory, ROLE=a or b): the operator
# signs its own zone again, data, apex and keys as they are, every
# signature by its keys that would not pass G8 at the next refresh made
# again (at B, KSK_B's over a DNSKEY RRset holding A's keys every time:
# KEY_SIG_VALIDITY).  The exchanged signature (KSK_A's, which B carries
# from step 2a to 10) is A's to renew: B takes A's newest from A's
# refresh bundle (a-refresh, imported), which brings A's zone as every
# address of A's servers serves it; without one, B keeps the one it has
# and says when it runs short.  The serial: the other operator's, when it
# serves a later one (the two refreshes, one after the other, give both
# the same serial again, G5); else the next after this operator's.  A
# refresh publishes also when only the serial is behind.
refresh_party() {
	local p=$ROLE w e x cur new other= need= frag= short
	[ "$p" != registry ] || die "refresh: the registry serves no zone"
	[ "$p" != a ] || [ "${A_SIGNER:-}" != external ] ||
	    die "refresh refused: A signs with its own signer (A_SIGNER=external), which renews A's signatures: publish its new zone with sync -f (until step 6; after it, sync -f with B's data)"
	cur=$(current "$p")
	[ -f "$cur" ] || die "refresh: $(role_name "$p") serves no zone yet"
	[ -z "$(logtime 13)" ] || [ "$p" != a ] ||
	    die "refresh: step 13 is done: A no longer serves the zone"
	w=$(refresh_window)
	say "== refresh ($STEP) at $(fmt_time "$NOW"): $(role_name "$p"), signatures that expire before $(fmt_time $((NOW + w))) made again"
	read -r e x <<< "$(sig_expiry "$cur" "$p")"
	is_num "$e" || die "refresh: $cur: cannot read its signature expirations"
	if [ "$e" -lt $((NOW + w)) ]; then
		need=1
		say "  $p: a signature by its keys expires at $(fmt_time "$e")"
	fi
	# A's new KSK_A signature, from A's refresh bundle.
	if [ "$p" = b ] && [ -f a/refresh.zone ]; then
		run zcanon -z "$TLD" a/refresh.zone '>' "a/$STEP.zone"
		OBSERVE_TIMEOUT=0 operator_serves a "a/$STEP.zone" ||
		    die "refresh refused: operator A's servers do not all serve the zone of its refresh bundle (above); nothing published"
		run dnskey_fragment "a/$STEP.zone" '>' "a/$STEP.dnskey"
		frag=a/$STEP.dnskey
		need=1
		say "  b: operator A's new signature over the DNSKEY RRset, from its refresh bundle"
	fi
	S=$(serial "$cur") && is_num "$S" || die "refresh: $cur: no SOA serial"
	other=$(refresh_other_serial "$(sync_other "$p")") || exit 2
	if [ -n "$other" ] && serial_gt "$other" "$S"; then
		need=1
		say "  $(role_name "$(sync_other "$p")") serves serial $other, after $S: this refresh takes it (G5)"
		S=$other
	else
		S=$(serial_next "$S" "$S") || die "refresh: no next serial"
	fi
	if [ -z "$need" ]; then
		say "  nothing to refresh: every signature lasts beyond $(fmt_time $((NOW + w)))"
		refresh_exchanged_note "$x"
		return 0
	fi
	signopts "$p"
	new=$p/$STEP.zone
	run set_serial "$S" '<' "$cur" \
	    '|' zresign "${SIGNOPTS[@]}" -w "$w" -P "$cur" -o "$p/$STEP.own"
	if [ -n "$frag" ]; then
		run zmerge-dnskey -f "$frag" -o "$new" "$p/$STEP.own"
	else
		run cp "$p/$STEP.own" "$new"
	fi
	say "checks:"
	check_registered "$cur" "$new"
	check_same_rrset NS "$new" "$cur"
	check_same_rrset DNSKEY "$new" "$cur"
	if [ "$p" = b ] && carries_sig_of "$cur" a; then
		check_dnskey_signed_by "$new" a
	fi
	# G8: at B, the exchanged signature too (A's to renew: a refresh
	# that cannot carry a new one fails once it runs short).
	headroom "$p" "$new"
	# The other operator's copy here may be older than what it serves:
	# a version still cached, not one compared with this one.  B's zone,
	# in no NS set yet, from B's own DS until the root serves DS_B.
	local P=NEW_${p^^} own=
	[ "$p" != b ] || ! b_from_own_ds || own=b/ds-b.txt
	printf -v "$P" '%s' "$new"
	AS_OLD=$(sync_other "$p") UNREACHED_DS=$own check_chain
	printf -v "$P" '%s' ''
	report "$cur" "$new"
	interim_verdict
	publish "$p" "$new"
	interim_record "$p"
	if [ -n "$frag" ]; then
		record_other a "a/$STEP.zone"
		interim_record a
		mv -f a/refresh.zone "a/$STEP.taken" || die "a/refresh.zone: cannot write"
	fi
	read -r e x <<< "$(sig_expiry "$new" "$p")"
	refresh_exchanged_note "$x"
	sync_served "$p" "$new"
}

# refresh_other_serial PARTY: the serial every address of PARTY's
# servers serves (the latest, when they differ); nothing when none is
# configured or none answers (this directory's copy is then the guide).
refresh_other_serial() {
	local v name addr port got best=
	v=${1^^}_SERVERS
	[ -n "${!v}" ] || return 0
	while read -r name addr port; do
		got=$(ask "$addr" "$port" "$TLD" SOA answer) &&
		    got=$(rrset <(printf '%s\n' "$got") "$TLD" SOA | cut -f 4 |
		        awk '{ print $3 }') || got=
		is_num "$got" || continue
		if [ -z "$best" ] || serial_gt "$got" "$best"; then
			best=$got
		fi
	done < <(servers_of "$1")
	printf '%s\n' "$best"
}

# refresh_exchanged_note EXPIRY: at B, when the exchanged signature (KSK_A's)
# it carries runs short (G8 fails from then: REFRESH_MARGIN +
# HEADROOM_MARGIN before it expires), and a warning once that is less
# than REFRESH_MARGIN away.
refresh_exchanged_note() {
	local x=$1 need short
	[ "$x" != - ] && is_num "$x" || return 0
	need=$((REFRESH_MARGIN + HEADROOM_MARGIN))
	short=$((x - need))
	if [ "$short" -le $((NOW + REFRESH_MARGIN)) ]; then
		warn "the exchanged signature (KSK_A's) $(role_name b) carries expires at $(fmt_time "$x") and runs short at $(fmt_time "$short"): operator A must hand over a new one (at A: bero-migrate refresh, export refresh; here: import, refresh); until then B's steps 5, 6 and 9 are refused"
	else
		say "  the exchanged signature (KSK_A's) lasts until $(fmt_time "$x"), runs short at $(fmt_time "$short")"
	fi
}

# exchanged_sig_ok STEP (before a step, in B's own directory): the
# steps B runs while it carries KSK_A's signature (5, 6, 9) are refused
# once that signature runs short (G8 would fail from then): A must hand
# over a new one first.
exchanged_sig_ok() {
	local e x short
	[ "${ROLE:-all}" = b ] || return 0
	case $1 in
	5|6|9) ;;
	*) return 0 ;;
	esac
	[ -f "$(current b)" ] || return 0
	read -r e x <<< "$(sig_expiry "$(current b)" b)"
	[ "$x" != - ] && is_num "$x" || return 0
	short=$((x - REFRESH_MARGIN - HEADROOM_MARGIN))
	[ "$NOW" -lt "$short" ] ||
	    die "step $1 refused: the exchanged signature (KSK_A's over the DNSKEY RRset) operator B carries expires at $(fmt_time "$x"): it ran short at $(fmt_time "$short") (REFRESH_MARGIN + HEADROOM_MARGIN before): operator A must hand over a new one (at A: bero-migrate refresh, then export refresh; here: import the bundle, then refresh); nothing done"
}

# The verdict of a sync or a refresh: like a step's (verdict), named
# for what it is.
interim_verdict() {
	if [ "$FAILED" -ne 0 ]; then
		say "$STEP: a check failed; nothing published"
		exit 1
	fi
	say "$STEP: every check passed"
}

# ------------------------------------------------------------- status

# A warning of the status report: on standard output, with the rest.
warn() {
	say "warning: $*"
}

# sig_status NEXT: for status: when each operator's signatures, its own
# and the exchanged one, need renewing (G8 fails REFRESH_MARGIN +
# HEADROOM_MARGIN before they expire), with a warning for any that
# expires sooner than the longest wait ahead (from step NEXT) plus
# REFRESH_MARGIN: a refresh is then needed during that wait.  And when
# the last KSK_B signature over a DNSKEY RRset holding A's keys expires:
# after step 10, a replay of such an RRset is useless from then on.
sig_status() {
	local next=$1 need longest=0 at= prev=$NOW s t p e x cur o
	need=$((REFRESH_MARGIN + HEADROOM_MARGIN))
	# The steps ahead at their earliest, from this directory's log (in
	# a party's own, the other parties' steps as it logged them), as
	# plan predicts them: the parent's IANA_DELAY after each request.
	if [ -n "$next" ]; then
		while read -r s t; do
			if [ $((t - prev)) -gt "$longest" ]; then
				longest=$((t - prev))
				at=" before step $s"
			fi
			prev=$t
		done < <(plan_times "$next")
	fi
	for p in a b; do
		cur=$(current "$p")
		[ -f "$cur" ] || continue
		keys "$p"
		[ "${#KEYS[@]}" -gt 0 ] || continue
		o=$(sync_other "$p")
		read -r e x <<< "$(sig_expiry "$cur" "$p")"
		is_num "$e" || die "$cur: cannot read its signature expirations"
		say "signatures of $p: its own until $(fmt_time "$e"): refresh by $(fmt_time $((e - need)))"
		[ "$e" -ge $((NOW + longest + REFRESH_MARGIN)) ] ||
		    warn "$cur: a signature by ${p^^}'s keys expires at $(fmt_time "$e"), sooner than the longest wait ahead ($(fmt_dur "$longest")$at) + REFRESH_MARGIN: run refresh during the waits, at least every $(fmt_dur "$REFRESH_MARGIN")"
		[ "$x" != - ] || continue
		say "  the exchanged signature (${o^^}'s KSK) until $(fmt_time "$x"): a new one from ${o^^} is needed by $(fmt_time $((x - need)))"
		[ "$x" -ge $((NOW + longest + REFRESH_MARGIN)) ] ||
		    warn "$cur: the exchanged signature by ${o^^}'s KSK expires at $(fmt_time "$x"), sooner than the longest wait ahead ($(fmt_dur "$longest")$at) + REFRESH_MARGIN: ${o^^} must hand over a new one (refresh carries it) by $(fmt_time $((x - need)))"
		# In B's own directory: when it runs short, and what then.
		[ "${ROLE:-all}" != b ] || [ "$p" != b ] || refresh_exchanged_note "$x"
	done
	x=$(last_key_sig) || exit 2
	if [ -n "$x" ]; then
		say "the last KSK_B signature over a DNSKEY RRset holding A's keys expires at $(fmt_time "${x%% *}") (${x#* })"
	else
		say "no KSK_B signature over a DNSKEY RRset holding A's keys was published"
	fi
}

# last_key_sig: "time file" of the KSK_B signature over a DNSKEY RRset
# that holds one of A's keys that expires last, over every version
# published (the history) and those served now; nothing when there is
# none.  Such an RRset with KSK_B's signature and ZSK_A lets A's keys
# sign the zone from DS_B alone until then.
last_key_sig() {
	local -a files=()
	local k t ak f x
	# A party's directory may hold the keys of one operator only.
	keys b
	[ "${#KEYS[@]}" -gt 0 ] || return 0
	keys a
	[ "${#KEYS[@]}" -gt 0 ] || return 0
	ksk b
	t=$(printf '%s\n' "${KSK##*/}" | awk -F '+' '{ print ($3 + 0) "/" ($2 + 0) }')
	ak=
	keys a
	for k in "${KEYS[@]}"; do
		ak="$ak$(key_rdata "$k.key")"$'\n'
	done
	for f in history/a-*.zone history/b-*.zone published/a/*.zone published/b/*.zone; do
		[ -f "$f" ] && files+=("$f")
	done
	[ "${#files[@]}" -gt 0 ] || return 0
	x=$(awk -F '\t' -v o="$TLD" -v t="$t" -v ak="$ak" '
	    BEGIN { n = split(ak, l, "\n"); for (i = 1; i <= n; i++) if (l[i] != "") akey[l[i]] = 1 }
	    FNR == 1 { holds = 0 }
	    $1 == o && $4 == "DNSKEY" && ($5 in akey) { holds = 1 }
	    $1 == o && $4 == "RRSIG" { split($5, f, " ")
		if (f[1] == "DNSKEY" && f[7] "/" f[2] == t) e[FILENAME] = f[5] }
	    $1 != o && FNR > 1 { if (holds && (FILENAME in e) && e[FILENAME] > best) {
		best = e[FILENAME]; bf = FILENAME }; nextfile }
	    END { if (best != "") print best, bf }' "${files[@]}") ||
	    die "cannot read the published versions' signatures"
	[ -n "$x" ] || return 0
	f=${x%% *}
	t=$(date -u -d "${f:0:8} ${f:8:2}:${f:10:2}:${f:12:2}" +%s) ||
	    die "$f: not a signature time"
	printf '%s %s\n' "$t" "${x#* }"
}
