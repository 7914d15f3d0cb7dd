# lib/backout.sh: the way back to A alone (bero-migration(7), BACK-OUT),
# from any step before A stops serving (13).  The back-out steps b1 to
# b15 undo the forward changes in the reverse order; which of them a
# back-out needs follows from the last forward step done (the log), and
# each has its party, its change and its wait, under the same invariant
# (the views are checked by zcheck-chain as in every forward step).
# Their own log is backout-log ("step time party"); once it holds a
# line, the driver refuses every forward step.
#
# Sourced by lib.sh, never run alone.

BACKOUT_ALL="b1 b2 b3 b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15"

# after S X: forward step S comes at or after step X in the method's
# order (a step the method does not have is never reached).
after() {
	local s i=0 is= ix=
	for s in $STEPS; do
		[ "$s" = "$1" ] && is=$i
		[ "$s" = "$2" ] && ix=$i
		i=$((i + 1))
	done
	[ -n "$is" ] && [ -n "$ix" ] && [ "$is" -ge "$ix" ]
}

# Whether the root publishes DS_B once forward step S is done: from step
# 4 (exchange) or ds4 (double-DS).
ds_b_at_root() {
	if exchanges; then
		after "$1" 4
	else
		after "$1" ds4
	fi
}

# backout_needs BSTEP S: whether a back-out from forward step S has the
# back-out step BSTEP: whether the forward change it undoes was made (at
# A, whose log ends at 9 while B did step 10, once B's b1 is known
# there: lib/parts-backout.sh).
backout_needs() {
	case $1 in
	b1) after "$2" 10 || backout_b1_seen "$2" ;;
	b2|b3) after "$2" 12 ;;
	b4|b7) after "$2" 6 ;;
	b5|b6) after "$2" 8 ;;
	b8|b11) after "$2" 2b ;;
	b9|b10) after "$2" 4 ;;
	b12) after "$2" 2a ;;
	b13|b14) ds_b_at_root "$2" ;;
	b15) after "$2" 1 ;;
	*) return 1 ;;
	esac
}

# backout_steps S: the back-out steps from forward step S, in order.
# In A's and the registry's own directories the back-out ends with the
# parent's b14: B's b15 leaves nothing there to observe (as the forward
# steps end at 12 at B and the registry).
backout_steps() {
	local b out=
	for b in $BACKOUT_ALL; do
		case ${ROLE:-all}-$b in
		a-b15|registry-b15) continue ;;
		esac
		backout_needs "$b" "$1" && out="$out${out:+ }$b"
	done
	printf '%s\n' "$out"
}

# Whether a back-out may start after forward step S: something was done
# (S after 0), and A still serves (S before 13).
backout_from_ok() {
	case $1 in
	0) die "backout: nothing to back out: no step was done after init" ;;
	13) die "backout: A stopped serving at step 13: there is no way back to A" ;;
	esac
	valid_step "$1" || die "backout: $1: not a step of the $METHOD method (steps: ${STEPS#0 })"
}

backout_party() {
	case $1 in
	b1|b15) echo b ;;
	b2|b5|b9|b13) echo r ;;
	b3|b6|b10|b14) echo root ;;
	b4|b8) echo a+b ;;
	b7|b11) echo all ;;
	b12) echo a ;;
	esac
}

backout_title() {
	case $1 in
	b1) echo "B puts A's keys back in its DNSKEY RRset (undoes 10)" ;;
	b2) echo "the registry asks for DS = DS_A + DS_B (undoes 11-12)" ;;
	b3) echo "the root publishes DS = DS_A + DS_B" ;;
	b4) echo "A and B put NS_A back at the apex; A is the source again (undoes 6)" ;;
	b5) echo "the registry asks for NS = NS_A + NS_B (undoes 7-8)" ;;
	b6) echo "the root publishes NS = NS_A + NS_B" ;;
	b7) echo "wait: NS sets without NS_A leave the caches" ;;
	b8) echo "A and B remove NS_B from the apex (undoes 2b)" ;;
	b9) echo "the registry asks for NS = NS_A (undoes 3-4)" ;;
	b10) echo "the root publishes NS = NS_A" ;;
	b11) echo "wait: no resolver reaches B, nothing B signed stays cached" ;;
	b12) echo "A removes B's keys from its DNSKEY RRset (undoes 2a)" ;;
	b13) echo "the registry asks for DS = DS_A" ;;
	b14) echo "the root publishes DS = DS_A" ;;
	b15) echo "B stops answering for the zone: A alone" ;;
	esac
}

# The requests at IANA a back-out from S withdraws: a forward request
# not yet published.
backout_withdraw() {
	local last=$1 next
	next=$(nextstep "$last")
	case $last in
	ds3|3|7|11) printf 'withdraw the request of step %s at IANA before step %s publishes it\n' "$last" "$next" ;;
	esac
}

# The wait rule of a back-out step: DUE and RULE, as rule() sets them.
# Every wait runs from back-out times only (T_b<N>): a term whose step
# the back-out does not have is left out.
backout_rule() {
	local a b f1 f2 terms=
	DUE=0
	RULE=
	case $1 in
	b4)
		# A is reached again: no resolver may hold B's DNSKEY RRset
		# without ZSK_A (step 10), nor a DS set without DS_A (step 12).
		if [ -n "${T_b1:-}" ]; then
			rule_needs b4 T_b1 Dprp_C TTL_KEY
			a=$((T_b1 + Dprp_C + TTL_KEY))
			maxv "$DUE" "$a"
			DUE=$M
			tfmt f1 "$T_b1"
			terms="now >= Tb1 + Dprp_C + TTL_KEY = $f1 + $Dprp_C + $TTL_KEY"
		fi
		if [ -n "${T_b3:-}" ]; then
			rule_needs b4 T_b3 Dprp_P TTL_DS_P
			b=$((T_b3 + Dprp_P + TTL_DS_P))
			maxv "$DUE" "$b"
			DUE=$M
			tfmt f2 "$T_b3"
			terms="${terms:+$terms, and }now >= Tb3 + Dprp_P + TTL_DS_P = $f2 + $Dprp_P + $TTL_DS_P"
		fi
		RULE=$terms
		;;
	b7)
		# As step 5: every NS set a resolver may hold names A again
		# before NS_B leaves, and the absence of A's host names (gone
		# with REMOVE_NS_A_ADDRS=yes) is no longer cached.
		rule_needs b7 T_b4 Dprp_C TTL_NS_C TTL_NEG_C
		maxv "$TTL_NS_C" "$TTL_NEG_C"
		DUE=$((T_b4 + Dprp_C + M))
		tfmt f1 "$T_b4"
		RULE="now >= Tb4 + Dprp_C + max(TTL_NS_C, TTL_NEG_C) = $f1 + $Dprp_C + max($TTL_NS_C, $TTL_NEG_C)"
		if [ -n "${T_b6:-}" ]; then
			rule_needs b7 T_b6 Dprp_P TTL_NS_P TTL_GLUE_P
			maxv "$TTL_NS_P" "$TTL_GLUE_P"
			a=$((T_b6 + Dprp_P + M))
			maxv "$DUE" "$a"
			DUE=$M
			tfmt f2 "$T_b6"
			RULE="$RULE, and now >= Tb6 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P) = $f2 + $Dprp_P + max($TTL_NS_P, $TTL_GLUE_P)"
		fi
		;;
	b11)
		# As step 9, for B: once no NS set a resolver may hold names B,
		# what B signed may stay cached TTL_SIG longer.
		b_last_reach
		a=$M
		DUE=$((a + TTL_SIG))
		tfmt f1 "$a"
		RULE="now >= the last moment B could be reached + TTL_SIG = $f1 + $TTL_SIG ($B_REACH_RULE)"
		;;
	b13)
		# As step 11 (RFC 7583 section 3.3.2), after A's keys change.
		if [ -n "${T_b12:-}" ]; then
			rule_needs b13 T_b12 Dprp_C TTL_KEY
			DUE=$((T_b12 + Dprp_C + TTL_KEY))
			tfmt f1 "$T_b12"
			RULE="now >= Tb12 + Dprp_C + TTL_KEY = $f1 + $Dprp_C + $TTL_KEY"
		fi
		# With double-DS, B's DNSKEY RRset validates from DS_B only:
		# DS_A alone must not meet a resolver that still reaches B,
		# even through an NS set it serves stale (RFC 8767 section 5),
		# as at step 11 for A.
		if ! exchanges && [ -n "${T_b8:-}" ]; then
			b_last_reach b13
			a=$M
			rule_needs b13 SERVE_STALE
			maxv "$DUE" $((a + SERVE_STALE))
			DUE=$M
			tfmt f2 "$a"
			RULE="${RULE:+$RULE, and }now >= the last moment B could be reached + SERVE_STALE = $f2 + $SERVE_STALE (double-DS: B's DNSKEY RRset validates from DS_B only; RFC 8767 section 5)"
		fi
		;;
	b15)
		# As step 13, for B: serve-stale (RFC 8767 section 5).
		if [ -n "${T_b8:-}" ]; then
			b_last_reach
			a=$M
			rule_needs b15 SERVE_STALE
			DUE=$((a + SERVE_STALE))
			tfmt f1 "$a"
			RULE="now >= the last moment B could be reached + SERVE_STALE = $f1 + $SERVE_STALE (serve-stale, RFC 8767 section 5)"
		fi
		;;
	esac
}

# The last moment a resolver could reach B, in M, once B's NS are out
# of the apex (b8) and, when the root listed them, out of the root
# (b10); B_REACH_RULE says how.
b_last_reach() {
	local a b
	rule_needs "${1:-b11}" T_b8 Dprp_C TTL_NS_C
	b=$((T_b8 + Dprp_C + TTL_NS_C))
	B_REACH_RULE="Tb8 + Dprp_C + TTL_NS_C"
	if [ -n "${T_b10:-}" ]; then
		rule_needs "${1:-b11}" T_b10 Dprp_P TTL_NS_P TTL_GLUE_P
		maxv "$TTL_NS_P" "$TTL_GLUE_P"
		a=$((T_b10 + Dprp_P + M))
		maxv "$a" "$b"
		B_REACH_RULE="max(Tb10 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P), $B_REACH_RULE)"
	else
		M=$b
	fi
}

# The versions of B whose data a resolver may still hold once a back-out
# took B out of every NS set (b8, b10): as held_from_a for A after step
# 8, so that b12 checks A's DNSKEY RRset without ZSK_B against them.
held_from_b() {
	local sig=$TTL_SIG
	[ -n "${T_b8:-}" ] || return 0
	read_ttl_sig b
	b_last_reach
	held_versions b "$M"
	TTL_SIG=$sig
}

# backout_sync_parties S: the source and the receiver of sync (SRC,
# RCV) during a back-out from forward step S: B from step 6 until b4
# puts NS_A back and makes A the source again, A otherwise; none once B
# stopped (b15).
backout_sync_parties() {
	local done
	done=" $(awk '{ print $1 }' backout-log | tr '\n' ' ') "
	case $done in
	*" b15 "*) die "sync refused: the back-out is complete: B no longer serves the zone, and A's copy is the only one" ;;
	esac
	SRC=a RCV=b
	if after "$1" 6; then
		case $done in
		*" b4 "*) ;;
		*) SRC=b RCV=a ;;
		esac
	fi
	return 0
}

# The back-out waits, as plan lists them.
backout_waits() {
	cat <<'EOF'
back-out waits (bero-migration(7), BACK-OUT):
  b4   Tb1 + Dprp_C + TTL_KEY (after b1), Tb3 + Dprp_P + TTL_DS_P (after b3)
  b7   Tb4 + Dprp_C + max(TTL_NS_C, TTL_NEG_C), Tb6 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P) (after b6)
  b11  max(Tb10 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P) (after b10), Tb8 + Dprp_C + TTL_NS_C) + TTL_SIG
  b13  Tb12 + Dprp_C + TTL_KEY; with double-DS also the last moment B could be reached + SERVE_STALE (after b8)
  b15  max(Tb10 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P) (after b10), Tb8 + Dprp_C + TTL_NS_C) + SERVE_STALE (after b8)
  b3, b6, b10, b14: IANA_DELAY after the request (planned, not enforced)
EOF
}

# What every back-out step script does after step_begin: the back-out's
# steps become STEPS (the plan ahead, signature headroom), and the times
# of the back-out steps done are read (T_b<N>).
backout_begin() {
	local last
	last=$(laststep) || die "log: cannot read"
	STEPS=$(backout_steps "$last")
	read_backout_times
}

# The T_b<N> of the back-out steps done, from backout-log.
read_backout_times() {
	local s t _
	[ -f backout-log ] || return 0
	while read -r s t _; do
		[ -n "$s" ] && printf -v "T_$s" '%s' "$t"
	done < backout-log
}

# backout_request ZONE DSFILE...: the registry's request of a back-out
# step: the delegation to the apex NS RRset of ZONE with the DS records
# of the files, in r/step-STEP.request, checked as IANA checks it
# (against the servers it lists), with every view validating with the
# DS set asked for.
backout_request() {
	local zone=$1
	shift
	run sort -u "$@" '>' "r/step-$STEP.ds"
	run delegation "$zone" "r/step-$STEP.ds" '>' "r/step-$STEP.request"
	run root_apply "$(current root)" '<' "r/step-$STEP.request" \
	    '>' "r/step-$STEP.root"
	say "checks:"
	iana_checks "r/step-$STEP.request"
	NEW_DS=r/step-$STEP.ds check_chain
	report -g data "$(current root)" "r/step-$STEP.root"
	verdict
	say "  request: r/step-$STEP.request"
}

# backout_publish REQSTEP: the parent publishes the request of back-out
# step REQSTEP, checked again.
backout_publish() {
	local req=r/step-$1.request
	need "$req"
	next_serial "$(current root)" "$(current root)"
	signopts root
	run root_apply "$(current root)" '<' "$req" '|' set_serial "$S" \
	    '|' zresign "${SIGNOPTS[@]}" -P "$(current root)" -o "root/step-$STEP.zone"
	run root_ds "root/step-$STEP.zone" '>' "root/step-$STEP.ds"
	say "checks:"
	iana_checks "root/step-$STEP.zone"
	NEW_ROOT=root/step-$STEP.zone NEW_DS=root/step-$STEP.ds check_chain
	report "$(current root)" "root/step-$STEP.zone"
	verdict
	publish root "root/step-$STEP.zone"
	cmp -s "root/step-$STEP.ds" "$(current ds)" || publish ds "root/step-$STEP.ds"
}

# backout_apex_ns ADD|REMOVE PARTY: A and B change the apex NS RRset the
# same way (NS_PARTY in or out, the address records kept), each re-signs
# with its own keys, and with the exchange each carries the other's
# signature over the DNSKEY RRset again; then the checks of step 2b.
backout_apex_ns() {
	local how=$1 p=$2 own=own want
	local -a opt=()
	[ "$how" = remove ] && opt=(-r -K)
	exchanges || own=zone
	next_serial "$(current a)" "$(current b)"
	run ns_fragment "$p" '>' "$p/ns-$p.frag"
	signopts a
	run zadd-bero-ns "${opt[@]}" -n "$p/ns-$p.frag" "$(current a)" '|' set_serial "$S" \
	    '|' zresign "${SIGNOPTS[@]}" -P "$(current a)" -o "a/step-$STEP.$own"
	signopts b
	run zadd-bero-ns "${opt[@]}" -n "$p/ns-$p.frag" "$(current b)" '|' set_serial "$S" \
	    '|' zresign "${SIGNOPTS[@]}" -P "$(current b)" -o "b/step-$STEP.$own"
	if exchanges; then
		run dnskey_fragment "a/step-$STEP.own" '>' "a/step-$STEP.dnskey"
		run dnskey_fragment "b/step-$STEP.own" '>' "b/step-$STEP.dnskey"
		run zmerge-dnskey -f "b/step-$STEP.dnskey" -o "a/step-$STEP.zone" "a/step-$STEP.own"
		run zmerge-dnskey -f "a/step-$STEP.dnskey" -o "b/step-$STEP.zone" "b/step-$STEP.own"
	fi
	say "checks:"
	if [ "$how" = add ]; then want="$NS_A $NS_B"; else want=$NS_A; fi
	check_apex_ns_is "$want" "a/step-$STEP.zone"
	check_same_rrset NS "a/step-$STEP.zone" "b/step-$STEP.zone"
	check_glue "a/step-$STEP.zone"
	check_glue "b/step-$STEP.zone"
	check_same_rrset DNSKEY "a/step-$STEP.zone" "b/step-$STEP.zone"
	if exchanges; then
		check_dnskey_signed_by "a/step-$STEP.zone" b
		check_dnskey_signed_by "b/step-$STEP.zone" a
	fi
	check_operators "a/step-$STEP.zone" "b/step-$STEP.zone"
	check_serial_equal "a/step-$STEP.zone" "b/step-$STEP.zone"
	check_registered "$(current a)" "a/step-$STEP.zone"
	check_registered "$(current b)" "b/step-$STEP.zone"
	headroom a "a/step-$STEP.zone"
	headroom b "b/step-$STEP.zone"
	NEW_A=a/step-$STEP.zone NEW_B=b/step-$STEP.zone check_chain
	report "$(current a)" "a/step-$STEP.zone"
	report "$(current b)" "b/step-$STEP.zone"
	verdict
	publish a "a/step-$STEP.zone"
	publish b "b/step-$STEP.zone"
}

# ------------------------------------------------- the driver's back-out

# next_in LIST AFTER: the step of LIST after AFTER, or its first when
# AFTER is empty; nothing after the last.
next_in() {
	local s prev=
	for s in $1; do
		if [ -z "$2" ] || [ "$prev" = "$2" ]; then
			printf '%s\n' "$s"
			return 0
		fi
		prev=$s
	done
	return 0
}

# A forward step once a back-out has begun: refused.
backout_refuse_forward() {
	[ ! -e backout-log ] ||
	    die "step $1: refused: the migration is being backed out from step $(laststep) (backout-log): no forward step after a back-out; 'bero-migrate -d $DIR backout' goes on with it"
}

# Read backout-log and check every line as read_log does the log's: "step
# time party", the back-out steps from the last forward step in their
# order, each by its party, the times never going back, none before the
# last forward step.  Sets T_b<N>, BLAST (the last back-out step done,
# empty when none) and BLAST_T.
read_backout_log() {
	local n=0 s t p x want prev=$LAST_T list line
	BLAST= BLAST_T=
	[ -e backout-log ] || return 0
	list=$(backout_steps "$LAST")
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		s= t= p= x=
		read -r s t p x <<< "$line"
		want=$(next_in "$list" "$BLAST")
		if [ -z "$s" ] || [ -z "$p" ] || [ -n "$x" ] || ! is_num "$t"; then
			die "$DIR/backout-log:$n: '$line': not a step, a time and a party"
		elif [ -z "$want" ]; then
			die "$DIR/backout-log:$n: step $s after $BLAST, the last back-out step from step $LAST"
		elif [ "$s" != "$want" ]; then
			die "$DIR/backout-log:$n: step $s where $want comes next (back-out from step $LAST: $list)"
		elif [ "$p" != "$(party_of "$s")" ]; then
			die "$DIR/backout-log:$n: step $s done by '$p', not by $(party_of "$s")"
		elif [ "$t" -lt "$prev" ]; then
			die "$DIR/backout-log:$n: step $s at $(fmt_time "$t"), before the step logged before it ($(fmt_time "$prev"))"
		fi
		printf -v "T_$s" '%s' "$t"
		prev=$t
		BLAST=$s
	done < backout-log || die "$DIR/backout-log: cannot read"
	[ -n "$BLAST" ] ||
	    die "$DIR/backout-log: empty: a back-out began and its log was emptied; mend it"
	BLAST_T=$prev
}

# A forward step that published part of its changes and is not logged
# (step 6, B's part) leaves a state no back-out list describes.
backout_half_done() {
	local next f
	next=$(nextstep "$LAST")
	[ -n "$next" ] || return 0
	for f in history/*-"$next".*; do
		[ -e "$f" ] &&
		    die "backout: step $next is half done ($f published, the step not logged): run it again to finish it, then back out"
	done
	return 0
}

# The earliest time of back-out step S, in DUE (and its rule in RULE):
# its wait, and never before the last step logged.
backout_due() {
	local s=$1
	read_times
	read_backout_times
	read_ttls
	[ "$s" != b11 ] || read_ttl_sig b
	rule "$s"
	is_num "$NOW" "$DUE" ||
	    die "backout step $s: the wait cannot be computed (now '$NOW', due '$DUE')"
}

# The next back-out step, in BNEXT (empty once complete), with the log
# and the back-out log read.
backout_next() {
	backout_from_ok "$LAST"
	read_backout_log
	if [ -z "$BLAST" ]; then
		backout_half_done
	fi
	BNEXT=$(next_in "$(backout_steps "$LAST")" "$BLAST")
}

# bero-migrate -d DIR backout: run the next step of the back-out from
# the last forward step, when its wait has elapsed, with its checks; the
# first one begins the back-out (forward steps are refused from then).
cmd_backout() {
	local s rc zone= o
	OPTIND=1
	while getopts :f: o; do
		case $o in
		f) zone=$OPTARG ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -eq 0 ] || usage
	[ -z "$zone" ] || [ -r "$zone" ] || die "$zone: cannot read"
	[ -z "$zone" ] || zone=$(readlink -f "$zone")
	enter_state
	NOW=$(now) || exit 2
	backout_next
	s=$BNEXT
	[ -n "$s" ] ||
	    die "backout: complete at $(fmt_time "$BLAST_T"): A serves the zone alone"
	maxv "$LAST_T" "${BLAST_T:-0}"
	[ "$NOW" -ge "$M" ] ||
	    die "backout step $s: now ($(fmt_time "$NOW")) is before the last step logged ($(fmt_time "$M")): the clock is behind the log"
	# In a party's own directory, its part or an observation
	# (lib/parts-backout.sh); in the rehearsal, every party's part.
	[ "${ROLE:-all}" = all ] || role_backout "$s" "$zone"
	[ -z "$zone" ] ||
	    die "backout -f: only A with its own signer (ROLE=a, A_SIGNER=external) gives the zone it signed"
	backout_due "$s"
	if [ "$NOW" -lt "$DUE" ]; then
		die "backout step $s refused: wait $(fmt_dur $((DUE - NOW))) more, until $(fmt_time "$DUE"): bero-migration(7), BACK-OUT, step $s: $RULE"
	fi
	# A parent step published by an earlier run and not yet seen on
	# every parent address is only observed again.
	if [ -f "reports/$s.published" ]; then
		say "== back-out step $s ($(party_of "$s")): published by an earlier run; observing the parent's servers"
	else
		: > "reports/$s.pipeline"
		: > "reports/$s.check"
		: > "reports/$s.diff"
		rm -f "reports/$s.observed"
		{
			say "== back-out step $s ($(party_of "$s")) at $(fmt_time "$NOW"), back from step $LAST: $(backout_title "$s")"
			[ -n "$BLAST" ] || backout_withdraw "$LAST"
			STEP=$s NOW=$NOW bash "$BERO_SHARE/step-$s.sh" 9>&-
		} > "reports/$s.out"
		rc=$?
		[ "$rc" -gt 1 ] || cat "reports/$s.out"
		case $rc in
		0) ;;
		1) exit 1 ;;
		*) exit 2 ;;
		esac
	fi
	local t
	t=$(now) || exit 2
	maxv "$NOW" "$t"
	if backout_parent_request "$s" > /dev/null; then
		: > "reports/$s.published" ||
		    die "reports/$s.published: cannot write"
		STEP=$s backout_observe_parent "$s" | tee -a "reports/$s.out"
		[ "${PIPESTATUS[0]}" -eq 0 ] || {
			say "back-out step $s: published, not yet served by every parent address: bero-migrate -d $DIR backout observes it again; nothing logged"
			exit 1
		}
		if [ -s "reports/$s.observed" ]; then
			M=$(cat "reports/$s.observed") && is_num "$M" ||
			    die "back-out step $s: reports/$s.observed: not a time"
		fi
		rm -f "reports/$s.published"
	fi
	printf '%s %s %s\n' "$s" "$M" "$(party_of "$s")" >> backout-log ||
	    die "backout-log: cannot write"
	[ -n "$(next_in "$(backout_steps "$LAST")" "$s")" ] ||
	    say "back-out complete: A serves the zone alone"
	exit 0
}

# The request a parent step of the back-out publishes: b3 that of b2,
# b6 of b5, b10 of b9, b14 of b13.
backout_parent_request() {
	case $1 in
	b3) echo r/step-b2.request ;;
	b6) echo r/step-b5.request ;;
	b10) echo r/step-b9.request ;;
	b14) echo r/step-b13.request ;;
	*) return 1 ;;
	esac
}

# backout_observe_parent BSTEP: as observe_parent for steps 4, 8 and 12
# (lib/observe.sh): the parent's step of the back-out is done at the
# first moment every configured parent address serves the request
# (PARENT_SERVERS), seen by asking them, never when someone says so;
# the back-out's waits (b4, b7, b11) run from that moment.  An address
# that cannot be asked or serves anything else: nothing is logged.
# Without PARENT_SERVERS the parent is the rehearsal's own test root:
# done when published.
backout_observe_parent() {
	local req
	req=$(backout_parent_request "$1") ||
	    die "back-out step $1: not a step of the parent"
	if [ -z "$PARENT_SERVERS" ]; then
		say "  parent: the rehearsal's test root (no PARENT_SERVERS): done when published"
		return 0
	fi
	if ! observe_until parent_serves "$req"; then
		say "back-out step $1: not observed: some parent address does not serve $req (above)"
		return 1
	fi
	say "  observed: every parent address serves $req at $(fmt_time "$OBSERVED")"
	observed_at "$OBSERVED"
}

# when bN: the earliest time of the next back-out step.
backout_when() {
	local s=$1
	backout_next
	[ -n "$BNEXT" ] || die "backout: complete at $(fmt_time "$BLAST_T")"
	[ "$s" = "$BNEXT" ] ||
	    die "backout step $s: not the next one: the back-out from step $LAST goes on with $BNEXT ($(backout_steps "$LAST"))"
	NOW=$LAST_T
	backout_due "$s"
	max "$DUE" "$LAST_T" "${BLAST_T:-0}"
}

# status, once a back-out began: its steps done and the next one.
backout_status() {
	local s t p
	read_backout_log
	say "backing out from step $LAST ($(backout_steps "$LAST")):"
	while read -r s t p; do
		printf 'step %-3s done %s by %s\n' "$s" "$(fmt_time "$t")" "$p"
	done < backout-log
	BNEXT=$(next_in "$(backout_steps "$LAST")" "$BLAST")
	if [ -z "$BNEXT" ]; then
		say "the back-out is complete: A serves the zone alone"
		return 0
	fi
	backout_due "$BNEXT"
	maxv "$DUE" "$BLAST_T"
	if [ "$NOW" -lt "$M" ]; then
		say "next: back-out step $BNEXT ($(party_of "$BNEXT")) at $(fmt_time "$M"), in $(fmt_dur $((M - NOW))): $RULE"
	else
		say "next: back-out step $BNEXT ($(party_of "$BNEXT")), now"
	fi
}

# When a step was done, from the log or backout-log; empty when not.
steptime() {
	logtime "$1"
	[ ! -f backout-log ] ||
	    awk -v s="$1" '$1 == s { print $2 }' backout-log
}
