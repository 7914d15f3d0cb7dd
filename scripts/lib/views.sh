# lib/views.sh: the views a validating resolver may combine (which zone
# versions and DS sets may still be cached, which operators may still
# be reached), checked by zcheck-chain (G1, G2 and the rules it holds),
# and the zdiff-dnssec report of a step.
#
# Sourced by lib.sh, never run alone.

# cached PARTY WINDOW: the versions of PARTY still cached at NOW, given
# the window (seconds) after their replacement.
cached() {
	versions "$1" | awk -v now="$NOW" -v w="$2" '
	    { f[NR] = $1; t[NR] = $2 }
	    END { for (i = 1; i <= NR; i++)
		if (i == NR || now < t[i + 1] + w) print f[i] }'
}

# The NS host names a resolver may hold for the TLD: from the root
# versions still cached, and from the zone versions still cached, plus
# the new versions a step is about to publish ($NEW_ROOT, $NEW_A, $NEW_B).
# Sets NS_HELD to the host names, one a line; computed again only when
# the new versions differ.
ns_held_update() {
	local key="${NEW_ROOT:-}|${NEW_A:-}|${NEW_B:-}|${NEW_NS:-}"
	if [ "${NS_HELD_KEY:-}" != "$key" ] || [ -z "${NS_HELD+x}" ]; then
		NS_HELD=$(ns_held_now) ||
		    die "step ${STEP:-?}: cannot tell which NS sets may be held"
		NS_HELD_KEY=$key
	fi
}

ns_held_now() {
	local wp wc files f
	is_num "$Dprp_P" "$Dprp_C" "$TTL_NS_P" "$TTL_GLUE_P" "$TTL_NS_C" ||
	    return 1
	maxv "$TTL_NS_P" "$TTL_GLUE_P"
	wp=$((Dprp_P + M))
	wc=$((Dprp_C + TTL_NS_C))
	files=$({
		cached root "$wp"
		cached a "$wc"
		cached b "$wc"
		printf '%s\n' ${NEW_ROOT:-} ${NEW_A:-} ${NEW_B:-} ${NEW_NS:-}
	} | sort -u) || return 1
	[ -n "$files" ] || return 1
	for f in $files; do
		[ -f "$f" ] && [ -r "$f" ] || return 1
	done
	# shellcheck disable=SC2086
	awk -F '\t' -v tld="$TLD" '$1 == tld && $4 == "NS" { print tolower($5) }' \
	    $files | sort -u
}

# Whether a party's servers may be reached: one of its hosts is in an NS
# set a resolver may hold.
reachable() {
	local v=NS_${1^^} hosts h held
	hosts=${!v}
	ns_held_update
	held=$NS_HELD
	for h in $hosts; do
		h=${h,,}
		printf '%s\n' "$held" | grep -qxF "$h" && return 0
	done
	return 1
}

# The DS sets that are views: those still cached, and the new or
# proposed one.
ds_views() {
	{ cached ds $((Dprp_P + TTL_DS_P)); printf '%s\n' ${NEW_DS:-}; } | sort -u
}

# check_chain: zcheck-chain on every view.  For each operator a resolver
# may reach, the zone it serves now (the new version, or the one
# published) is an operand, and every older version still cached is
# given with -h; every DS set a resolver may hold with -D.  zcheck-chain
# then checks any DNSKEY RRset with any server's data, from any DS set,
# and compares the zones served now (G3 to G6, G9); -w asks for the
# signature headroom of the waits still ahead (G8).  A new version of an
# operator no resolver reaches yet is checked alone, from the DS sets of
# the views, or from UNREACHED_DS when the step gives one (step 1: B's
# zone, which holds none of the keys the root's DS names, from B's own
# DS).  AS_OLD=a gives A's zone as a version still cached only, not as
# one compared with B's (step 6, until A has taken B's zone).  A new
# root zone is checked from the root's trust anchor.  The
# verdicts go to reports/STEP.check.
check_chain() {
	local -a dsargs=() oldargs=() cur=() alone=() vs
	local d p P new v window
	read_ttls
	headroom_update
	window=$(max 0 $((HEADROOM_UNTIL - NOW)))
	vs=()
	mapfile -t vs < <(ds_views | grep .) && [ "${#vs[@]}" -gt 0 ] ||
	    die "step $STEP: no DS set a resolver may hold"
	for d in "${vs[@]}"; do
		[ -z "$d" ] || dsargs+=(-D "$d")
	done
	for p in a b; do
		P=NEW_${p^^}
		new=${!P:-}
		vs=()
		if reachable "$p" && [ "${AS_OLD:-}" = "$p" ]; then
			mapfile -t vs < <(cached "$p" $((Dprp_C + TTL_KEY)))
		elif reachable "$p"; then
			if [ -n "$new" ]; then
				cur+=("$new")
				mapfile -t vs < <(cached "$p" $((Dprp_C + TTL_KEY)))
			elif [ -f "$(current "$p")" ]; then
				cur+=("$(current "$p")")
				mapfile -t vs < <(cached "$p" $((Dprp_C + TTL_KEY)) | sed '$d')
			fi
		elif [ -n "$new" ]; then
			alone+=("$new")
		fi
		# A resolver may still hold what it got from A before A
		# could no longer be reached, for the TTL of what A signed:
		# those versions are views too (still cached), with any
		# DNSKEY RRset and any data of the operators served now.
		if [ "$p" = a ] && [ "${#vs[@]}" -eq 0 ] && ! reachable a; then
			mapfile -t vs < <(held_from_a)
		fi
		# The same for B once a back-out took it out of the NS sets
		# (lib/backout.sh).
		if [ "$p" = b ] && [ "${#vs[@]}" -eq 0 ] && ! reachable b; then
			mapfile -t vs < <(held_from_b)
		fi
		for v in "${vs[@]}"; do
			[ -z "$v" ] || oldargs+=(-h "$v")
		done
	done
	[ "${#cur[@]}" -eq 0 ] ||
	    chain -w "$window" "${dsargs[@]}" "${oldargs[@]}" -- "${cur[@]}"
	[ -z "${UNREACHED_DS:-}" ] || dsargs=(-D "$UNREACHED_DS")
	for v in "${alone[@]}"; do
		chain -w "$window" "${dsargs[@]}" -- "$v"
	done
	if [ -n "${NEW_ROOT:-}" ]; then
		chain -D root/anchor.ds -- "$NEW_ROOT"
	fi
}

# The versions of A whose data a resolver may still hold once A can no
# longer be reached (after step 8): a version replaced at t until t +
# Dprp_C + TTL_SIG, the last until the last moment A could be reached +
# TTL_SIG, TTL_SIG over what A signed (as the wait of step 9 counts it).
held_from_a() {
	local sig=$TTL_SIG last
	[ -n "${T_8:-}" ] && [ -n "${T_6:-}" ] || return 0
	read_ttl_sig a
	a_last_reach
	last=$M
	held_versions a "$last"
	TTL_SIG=$sig
}

# held_versions PARTY LAST: the versions of PARTY whose data a resolver
# may still hold at NOW when PARTY could last be reached at LAST: one
# replaced at t until t + Dprp_C + TTL_SIG, the last until LAST +
# TTL_SIG (TTL_SIG over what PARTY signed).
held_versions() {
	versions "$1" | awk -v now="$NOW" -v sig="$TTL_SIG" -v dc="$Dprp_C" \
	    -v last="$2" '
	    { f[NR] = $1; t[NR] = $2 }
	    END { for (i = 1; i <= NR; i++) {
		end = i == NR ? last : t[i + 1] + dc
		if (end > last) end = last
		if (now < end + sig) print f[i] } }' ||
	    die "step ${STEP:-?}: cannot tell which versions of $1 may be held"
}

# One zcheck-chain run: its command line and verdict.  chain OPTIONS --
# ZONES: the options are kept apart from the zones only to print them.
chain() {
	local -a opts=()
	local rc out text
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	pipeline_text text zcheck-chain -v -t "$NOW" "${ZCHECK_WORDS[@]}" \
	    "${opts[@]}" "$@"
	say "\$ $text"
	out=$(zcheck-chain -v -t "$NOW" "${ZCHECK_WORDS[@]}" "${opts[@]}" "$@" 2>&1)
	rc=$?
	printf '$ %s\n%s\n' "$text" "$out" >> "reports/$STEP.check"
	case $rc in
	0) say "  zcheck-chain: valid (${out##*zcheck-chain: })" ;;
	1) say "  zcheck-chain: INVALID (reports/$STEP.check)"
	   fail "zcheck-chain found problems: $(printf '%s\n' "$out" | grep -v warning | head -n 3 | tr '\n' ' ')" ;;
	*) die "step $STEP: zcheck-chain could not check (status $rc): $(printf '%s\n' "$out" | tail -n 3 | tr '\n' ' ')" ;;
	esac
}

# The zdiff-dnssec report of a new version against the one it replaces:
# kept in full in reports/STEP.diff, its summary (-b) printed.  Extra
# options (-g data: only the delegations, for the root) come first.
report() {
	local -a opts=()
	local rc text
	while [ $# -gt 2 ]; do
		opts+=("$1")
		shift
	done
	pipeline_text text zdiff-dnssec -b "${opts[@]}" "$1" "$2"
	say "\$ $text"
	pipeline_text text zdiff-dnssec "${opts[@]}" "$1" "$2"
	printf '$ %s\n' "$text" >> "reports/$STEP.diff"
	zdiff-dnssec "${opts[@]}" "$1" "$2" >> "reports/$STEP.diff"
	rc=$?
	[ "$rc" -le 1 ] || die "step $STEP: zdiff-dnssec failed on $1 $2"
	zdiff-dnssec -b "${opts[@]}" "$1" "$2" | sed 's/^/  /'
}

# The zones IANA's tests may reach: those of the servers the request
# lists, and that of an operator a resolver may still reach (until step
# 9, A: both must give the same serial and apex NS).
tested_zones() {
	local p out
	out=$(listed_zones "$1") || return 1
	for p in a b; do
		if [ -f "$(current "$p")" ] && reachable "$p"; then
			out="$out $(current "$p")"
		fi
	done
	printf '%s\n' $out | sort -u
}
