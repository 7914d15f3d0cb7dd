# lib/time.sh: times and durations (printed and parsed), and the TTLs
# the waits read back from the zones.
#
# Sourced by lib.sh, never run alone.

fmt_time() {
	TZ=UTC printf '%(%Y-%m-%d %H:%M:%S UTC)T\n' "$1"
}

# The same into a variable, without a subshell: tfmt var time.
tfmt() {
	TZ=UTC printf -v "$1" '%(%Y-%m-%d %H:%M:%S UTC)T' "$2"
}

# A duration for people: 2d 1h 30m 5s.
fmt_dur() {
	local s=$1 out=
	[ "$s" -lt 0 ] && s=0
	[ "$s" -ge 86400 ] && { out="$((s / 86400))d"; s=$((s % 86400)); }
	[ "$s" -ge 3600 ] && { out="$out $((s / 3600))h"; s=$((s % 3600)); }
	[ "$s" -ge 60 ] && { out="$out $((s / 60))m"; s=$((s % 60)); }
	[ "$s" -gt 0 ] || [ -z "$out" ] && out="$out ${s}s"
	printf '%s\n' "${out# }"
}

# A duration from people: 3600, 90s, 30m, 2h, 1d, 1w.
parse_dur() {
	local v=$1
	case $v in
	*[!0-9smhdw]*|''|[smhdw]*) return 1 ;;
	*s) v=${v%s} ;;
	*m) v=$((${v%m} * 60)) ;;
	*h) v=$((${v%h} * 3600)) ;;
	*d) v=$((${v%d} * 86400)) ;;
	*w) v=$((${v%w} * 604800)) ;;
	esac
	case $v in
	''|*[!0-9]*) return 1 ;;
	esac
	printf '%s\n' "$((10#$v))"
}

max() {
	local m=$1 v
	shift
	for v; do
		[ "$v" -gt "$m" ] && m=$v
	done
	printf '%s\n' "$m"
}

# The same, without a subshell: sets M.
maxv() {
	M=$1
	shift
	for v; do
		[ "$v" -gt "$M" ] && M=$v
	done
	return 0
}

# The TTL of an RRset (owner type), or 0 when a zone has none; over
# several files, the largest.
ttl_of() {
	local owner=$1 type=$2
	shift 2
	awk -F '\t' -v o="$owner" -v t="$type" '
	    $1 == o && $4 == t && $2 > m { m = $2 } END { print m + 0 }' "$@"
}

# The largest TTL of the address records of the hosts a root zone names
# in the TLD's NS RRset (the glue), over several root zones.
ttl_glue() {
	awk -F '\t' -v tld="$TLD" '
	    FNR == 1 { delete host }
	    $1 == tld && $4 == "NS" { host[tolower($5)] = 1 }
	    ($4 == "A" || $4 == "AAAA") && ($1 in host) && $2 > m { m = $2 }
	    END { print m + 0 }' "$@"
}

# is_num VALUE...: every value is a number (of seconds, a TTL).
is_num() {
	local v
	for v; do
		case $v in
		''|*[!0-9]*) return 1 ;;
		esac
	done
	return 0
}

# The TTLs of one version of the TLD's zone: its apex DNSKEY and NS TTLs
# and the largest TTL of a signed RRset (the original TTL of its
# RRSIGs), in ZT_KEY, ZT_NS and ZT_SIG.  Read once, then kept in cache/:
# a version never changes once written (a file written again is newer
# than its entry), and a zone of a million delegations takes seconds to
# read.  Sets the variables in the calling shell, never through a
# subshell, and dies when the zone or the cache cannot be read or
# written: a TTL that cannot be had is never taken as 0 (a wait would
# be over before its time).
zone_ttls() {
	local f=$1 c extra
	c=cache/${f//\//_}.ttls
	[ -f "$f" ] && [ -r "$f" ] || die "$f: cannot read its TTLs"
	if [ ! -f "$c" ] || [ ! -s "$c" ] || [ "$f" -nt "$c" ]; then
		[ -d cache ] || mkdir cache ||
		    die "$PWD/cache: cannot create the TTL cache"
		awk -F '\t' -v o="$TLD" '
		    $1 == o && $4 == "DNSKEY" && $2 > k { k = $2 }
		    $1 == o && $4 == "NS" && $2 > n { n = $2 }
		    $4 == "RRSIG" { split($5, r, " "); if (r[4] > s) s = r[4] }
		    END { print k + 0, n + 0, s + 0 }' "$f" > "$c.new" ||
		    die "$f: cannot read its TTLs"
		mv -fT "$c.new" "$c" || die "$c: cannot write the TTL cache"
	fi
	ZT_KEY= ZT_NS= ZT_SIG= extra=
	read -r ZT_KEY ZT_NS ZT_SIG extra < "$c" ||
	    die "$c: cannot read the TTL cache"
	is_num "$ZT_KEY" "$ZT_NS" "$ZT_SIG" && [ -z "$extra" ] ||
	    die "$c: not three TTLs; remove it to read $f again"
}

# The negative TTL of one version of the TLD's zone, in ZT_NEG: the
# lower of the SOA's TTL and its MINIMUM field (RFC 2308 section 5), for
# which a resolver may cache a name's absence.  The zone is in canonical
# form, its SOA first; a zone without one is refused, never taken as 0.
zone_neg_ttl() {
	local f=$1
	[ -f "$f" ] && [ -r "$f" ] || die "$f: cannot read its SOA"
	ZT_NEG=$(awk -F '\t' -v o="$TLD" '
	    /^;/ || NF == 0 { next }
	    $1 == o && $4 == "SOA" { n = split($5, r, " ")
		if (n == 7) print ($2 + 0 < r[7] + 0 ? $2 + 0 : r[7] + 0) }
	    { exit }' "$f") && is_num "$ZT_NEG" ||
	    die "$f: no SOA record first: its negative TTL cannot be read"
}

# The TTLs the waits and the views use, read from every version
# published so far and from the new versions of the running step
# ($NEW_A, $NEW_B, $NEW_ROOT): the largest, since a cache may hold a
# record of any of them.  Dies when one cannot be read.
read_ttls() {
	local za zr f
	za=$( (versions a; versions b) | cut -d' ' -f1; printf '%s\n' ${NEW_A:-} ${NEW_B:-}) ||
	    die "cannot list the published versions"
	zr=$(versions root | cut -d' ' -f1; printf '%s\n' ${NEW_ROOT:-}) ||
	    die "cannot list the published versions"
	# A party's directory (ROLE=a, b, registry) holds no root zone (the
	# parent is outside) and, before step 1, no zone of the TLD: the
	# TTLs of the config stand for what is not there.
	if [ "${ROLE:-all}" != all ] && [ -z "$za" ]; then
		: "${TTL_SIG:=0}" "${TTL_NEG_C:=0}"
	else
		[ -n "$za" ] || die "no published zone in $PWD/history"
		TTL_KEY=0 TTL_NS_C=0 TTL_SIG=0 TTL_NEG_C=0
	fi
	[ -n "$zr" ] || [ "${ROLE:-all}" != all ] ||
	    die "no published zone in $PWD/history"
	for f in $za; do
		zone_ttls "$f"
		[ "$ZT_KEY" -gt "$TTL_KEY" ] && TTL_KEY=$ZT_KEY
		[ "$ZT_NS" -gt "$TTL_NS_C" ] && TTL_NS_C=$ZT_NS
		[ "$ZT_SIG" -gt "$TTL_SIG" ] && TTL_SIG=$ZT_SIG
		zone_neg_ttl "$f"
		[ "$ZT_NEG" -gt "$TTL_NEG_C" ] && TTL_NEG_C=$ZT_NEG
	done
	[ -n "$zr" ] || return 0
	for f in $zr; do
		[ -f "$f" ] && [ -r "$f" ] || die "$f: cannot read its TTLs"
	done
	# shellcheck disable=SC2086
	{
		TTL_NS_P=$(ttl_of "$TLD" NS $zr) &&
		    TTL_DS_P=$(ttl_of "$TLD" DS $zr) &&
		    TTL_GLUE_P=$(ttl_glue $zr) &&
		    is_num "$TTL_NS_P" "$TTL_DS_P" "$TTL_GLUE_P"
	} || die "cannot read the TTLs of the root zone versions"
	return 0
}

# The largest TTL of an RRset a party signed, over its versions, in
# TTL_SIG (for the wait of step 9: only what A signed matters).
read_ttl_sig() {
	local f vs m=0
	vs=$(versions "$1" | cut -d' ' -f1) ||
	    die "cannot list the versions of $1"
	# The registry's directory holds B's zones only (its bundles): A
	# serves the same data with the same TTLs (G4).
	if [ -z "$vs" ] && [ "${ROLE:-all}" = registry ] && [ "$1" = a ]; then
		vs=$(versions b | cut -d' ' -f1) ||
		    die "cannot list the versions of b"
	fi
	[ -n "$vs" ] || die "no published version of $1 in $PWD/history"
	for f in $vs; do
		zone_ttls "$f"
		[ "$ZT_SIG" -gt "$m" ] && m=$ZT_SIG
	done
	TTL_SIG=$m
}
