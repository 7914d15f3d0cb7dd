# lib/waits.sh: the waits of PROCEDURE.md (rule: the earliest time of a
# step, from the times of the steps before it and the TTLs), the plan
# of the steps to come, and signature headroom (G8) against them.
#
# Sourced by lib.sh, never run alone.

# The wait rule of a step, from the times T_<step> of the steps before it
# and the TTL and delay variables.  Sets DUE (the earliest time allowed,
# as a number) and RULE (the rule, as PROCEDURE.md says it, with the
# numbers put in).  Steps without a wait are due when the step before
# them was done.  Used both by the driver (times from the log) and by
# plan (times predicted).
rule() {
	local a b c f1 f2
	case $1 in
	b[0-9]*) backout_rule "$1"; return 0 ;;
	esac
	case $1 in
	2b) rule_needs 2b T_2a Dprp_C TTL_KEY
	    exchanges || rule_needs 2b T_ds4 Dprp_P TTL_DS_P ;;
	5) rule_needs 5 T_4 T_2b Dprp_P Dprp_C TTL_NS_P TTL_GLUE_P TTL_DS_P \
	    TTL_NS_C TTL_NEG_C ;;
	9) rule_needs 9 T_8 T_6 Dprp_P Dprp_C TTL_NS_P TTL_GLUE_P TTL_NS_C \
	    TTL_SIG ;;
	11) rule_needs 11 T_10 T_8 T_6 Dprp_C Dprp_P TTL_KEY TTL_NS_P \
	    TTL_GLUE_P TTL_NS_C SERVE_STALE ;;
	13) rule_needs 13 T_8 T_6 Dprp_P Dprp_C TTL_NS_P TTL_GLUE_P TTL_NS_C \
	    SERVE_STALE ;;
	esac
	case $1 in
	2b)
		DUE=$((T_2a + Dprp_C + TTL_KEY))
		tfmt f1 "$T_2a"
		RULE="now >= T2a + Dprp_C + TTL_KEY(old) = $f1 + $Dprp_C + $TTL_KEY"
		exchanges && return 0
		# Double-DS (RFC 6781 section 4.1.2): B's DNSKEY RRset carries
		# no KSK_A signature, so no resolver may reach B while it may
		# hold a DS set without DS_B: the DS set {DS_A} leaves the
		# caches Dprp_P + TTL_DS_P after DS_B is published (ds4).
		maxv "$DUE" $((T_ds4 + Dprp_P + TTL_DS_P))
		DUE=$M
		tfmt f2 "$T_ds4"
		RULE="$RULE, and now >= Tds4 + Dprp_P + TTL_DS_P = $f2 + $Dprp_P + $TTL_DS_P (double-DS: no resolver holds a DS set without DS_B)"
		;;
	5)
		maxv "$TTL_NS_P" "$TTL_GLUE_P" "$TTL_DS_P"
		a=$((T_4 + Dprp_P + M))
		b=$((T_2b + Dprp_C + TTL_NS_C))
		# Step 2b made NS_B's host names in the TLD: a resolver that
		# asked for one before may cache its absence for the zone's
		# negative TTL (RFC 2308 section 5), and must not by the time
		# step 6 leaves NS_B alone at the apex.
		c=$((T_2b + Dprp_C + TTL_NEG_C))
		maxv "$a" "$b" "$c"
		DUE=$M
		tfmt f1 "$T_4"
		tfmt f2 "$T_2b"
		RULE="now >= T4 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P, TTL_DS_P) = $f1 + $Dprp_P + max($TTL_NS_P, $TTL_GLUE_P, $TTL_DS_P)"
		RULE="$RULE, now >= T2b + Dprp_C + TTL_NS_C = $f2 + $Dprp_C + $TTL_NS_C"
		RULE="$RULE, and now >= T2b + Dprp_C + TTL_NEG_C = $f2 + $Dprp_C + $TTL_NEG_C (the negative TTL, RFC 2308 section 5)"
		;;
	9)
		# The last moment a resolver could reach A is the later of
		# the two; what A signed may stay cached TTL_SIG longer.
		a_last_reach
		c=$M
		DUE=$((c + TTL_SIG))
		tfmt f1 "$T_8"
		tfmt f2 "$T_6"
		RULE="now >= T8 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P) = $f1 + $Dprp_P + max($TTL_NS_P, $TTL_GLUE_P)"
		RULE="$RULE, now >= T6 + Dprp_C + TTL_NS_C = $f2 + $Dprp_C + $TTL_NS_C"
		tfmt f1 "$c"
		RULE="$RULE, and now >= the last moment A could be reached + TTL_SIG = $f1 + $TTL_SIG"
		;;
	13)
		# A keeps answering until no resolver may reach it through
		# an NS set, as at step 9, and then for as long as one may
		# serve that NS set stale when it cannot refresh it (RFC 8767
		# section 5): SERVE_STALE.
		a_last_reach
		c=$M
		DUE=$((c + SERVE_STALE))
		tfmt f1 "$c"
		RULE="now >= the last moment A could be reached + SERVE_STALE = $f1 + $SERVE_STALE (serve-stale, RFC 8767 section 5)"
		;;
	11)
		# DS_B alone (step 12) must not meet a resolver that still
		# reaches A, even through an NS set it serves stale (RFC 8767
		# section 5): A's DNSKEY RRset need carry no signature of
		# KSK_B's (PROCEDURE.md, The model), so such a resolver would
		# find nothing at A that validates from DS_B.  The request
		# waits until A can no longer be reached that way either.
		a=$((T_10 + Dprp_C + TTL_KEY))
		a_last_reach
		c=$M
		maxv "$a" $((c + SERVE_STALE))
		DUE=$M
		tfmt f1 "$T_10"
		tfmt f2 "$c"
		RULE="now >= T10 + Dprp_C + TTL_KEY = $f1 + $Dprp_C + $TTL_KEY (RFC 7583 section 3.3.2)"
		RULE="$RULE, and now >= the last moment A could be reached + SERVE_STALE = $f2 + $SERVE_STALE (no resolver reaches A, even through a stale NS set, once DS_B is alone: RFC 8767 section 5)"
		;;
	*)
		DUE=0
		RULE=
		;;
	esac
}

# The last moment a resolver could reach A, in M: once the root's
# referral to NS_A (T8) and every apex NS RRset naming NS_A (T6) have
# left the caches.  Steps 9 and 13 wait from it, and the views after it
# count what a resolver got from A until then.
a_last_reach() {
	local a b
	maxv "$TTL_NS_P" "$TTL_GLUE_P"
	a=$((T_8 + Dprp_P + M))
	b=$((T_6 + Dprp_C + TTL_NS_C))
	maxv "$a" "$b"
}

# Every time, TTL and delay a rule is made of must be known: a rule that
# cannot be computed refuses the step, it is never taken as 0.
rule_needs() {
	local s=$1 v
	shift
	for v; do
		is_num "${!v:-}" ||
		    die "step $s: the wait cannot be computed: $v is '${!v:-}', not a number of seconds"
	done
}

# The T_<step> variables from the log.
read_times() {
	local s t _
	while read -r s t _; do
		[ -n "$s" ] && printf -v "T_$s" '%s' "$t"
	done < log
}

#
# PROCEDURE.md's invariant: a resolver may hold any DS set the root
# published within the last TTL_DS_P + Dprp_P, any DNSKEY RRset a
# reachable server published within the last TTL_KEY + Dprp_C, and may
# query any server named by an NS set it may hold.  A version is still
# cached when it is the current one, or when the version that replaced it
# was published less than (its TTL + the propagation delay) ago.

# G8, signature headroom: the earliest expiration of any signature in a
# zone is later than a given time.  Signatures by the other operator's
# keys (imported over the DNSKEY RRset) are named apart: their owner
# never refreshes them in this zone.
check_headroom() {
	local z=$1 until=$2 own=$3 out
	need "$1"
	out=$(awk -F '\t' -v own=" $own " -f "$BERO_SHARE/expiry.awk" "$z") ||
	    die "step $STEP: $z: cannot read its signature expirations"
	# shellcheck disable=SC2086
	set -- $out
	is_num "$1" "$until" && { [ "$2" = - ] || is_num "$2"; } ||
	    die "step $STEP: $z: cannot read its signature expirations"
	# $1 earliest own expiration, $2 earliest imported ("-" if none)
	if [ "$1" -lt "$until" ]; then
		fail "G8 $z: a signature expires at $(fmt_time "$1"), before $(fmt_time "$until") (now + REFRESH_MARGIN + HEADROOM_MARGIN: the next renewal and the margin): run refresh"
	else
		ok "G8 $z: signatures last until at least $(fmt_time "$1")"
	fi
	if [ "$2" != - ]; then
		if [ "$2" -lt "$until" ]; then
			fail "G8 $z: an imported signature (the other operator's) expires at $(fmt_time "$2"), before $(fmt_time "$until"): a new one is needed from the other operator"
		else
			ok "G8 $z: imported signatures last until at least $(fmt_time "$2")"
		fi
	fi
}

# The time until which signatures must last, seen at a step (G8): the
# next renewal of each signature, REFRESH_MARGIN away at most (the
# operator's own by refresh, the other operator's by the next hand-over:
# refresh carries it again), and HEADROOM_MARGIN beyond it.  Not the end
# of the plan: KSK_B's signatures over a DNSKEY RRset that holds A's keys
# last KEY_SIG_VALIDITY only (lib/sync.sh), and refresh renews them.
# Sets HEADROOM_UNTIL, once a step.
headroom_update() {
	[ -z "${HEADROOM_UNTIL:-}" ] || return 0
	is_num "$NOW" "$REFRESH_MARGIN" "$HEADROOM_MARGIN" ||
	    die "step $STEP: the signature headroom cannot be computed"
	HEADROOM_UNTIL=$((NOW + REFRESH_MARGIN + HEADROOM_MARGIN))
}

# plan_times FROM: "step time" for FROM and every step after it, at
# their earliest: FROM now or at its due, then each step at its due (the
# wait rules) or, for the root's steps, IANA_DELAY after the request.
# The times of the steps before FROM are the T_<step> already set (from
# the log).
plan_times() {
	local s t v started= prev=
	for s in $STEPS; do
		[ "$s" = 0 ] && continue
		if [ -z "$started" ]; then
			if [ "$s" != "$1" ]; then
				v=T_$s
				prev=${!v:-$prev}
				continue
			fi
			started=1
		fi
		rule "$s"
		parent_step "$s" && [ -n "$prev" ] && prev=$((prev + IANA_DELAY))
		maxv "$DUE" "${prev:-0}"
		t=$M
		[ "$s" = "$1" ] && { maxv "$t" "$NOW"; t=$M; }
		printf -v "T_$s" '%s' "$t"
		prev=$t
		printf '%s %s\n' "$s" "$t"
	done
}

# The zone versions of one party in the files named, for G8.
headroom() {
	headroom_update
	local own
	own=$(keytags "$1") || exit 2
	check_headroom "$2" "$HEADROOM_UNTIL" "$own"
}
