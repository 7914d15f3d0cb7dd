# lib.sh: what bero-migrate and every scripts/step-*.sh share.
#
# Sourced (by bash), never run.  It holds: messages; the state directory
# (its config, the log of completed steps, the published files and their
# history); times and TTLs; the wait rules of PROCEDURE.md; the "views"
# a validating resolver may combine (which zone versions and DS sets may
# still be cached, which operators may still be reached); the checks of
# PROCEDURE.md's table written with the tools and awk; the zdiff-dnssec
# report and the zcheck-chain verdict; and publication.
#
# Every function works in the state directory: the driver changes to it
# before it runs a step, so every path below is relative to it, and the
# pipelines a step prints read as they would be typed there.
#
# Zone files are the tools' canonical output: one record a line, fields
# separated by tabs (owner, TTL, class, type, RDATA), owners lower case,
# the SOA first.  The awk programs here rely on that form.

set -o pipefail
PROG=bero-migrate

# The steps of PROCEDURE.md in their order; 0 is "init".
STEPS="0 1 2a 2b 3 4 5 6 7 8 9 10 11 12 13"

# ---------------------------------------------------------------- messages

# die stops the whole run with status 2.  Called in a subshell (a
# command substitution, a stage of a pipeline), exit alone would end only
# the subshell, and its caller could go on with an empty value (a TTL of
# 0, a wait already over): so the main shell is told to stop as well, and
# every caller also checks the status of what it runs.
die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	[ "$BASHPID" = "$BERO_MAIN" ] || kill -USR1 "$BERO_MAIN" 2> /dev/null
	exit 2
}
BERO_MAIN=$BASHPID
trap 'exit 2' USR1

say() {
	printf '%s\n' "$*"
}

# A check that failed: said on standard error, remembered, and the step
# goes on so that every problem is reported; verdict() then stops it.
FAILED=0
fail() {
	printf '%s: step %s: %s\n' "$PROG" "${STEP:-?}" "$*" >&2
	FAILED=1
}

ok() {
	say "  ok: $*"
}

# Run one pipeline: print it as it would be typed, keep it in
# reports/STEP.pipeline, then run it.  A pipeline that fails (any
# command of it: pipefail) stops the step with status 2.
#
# The pipeline is given as words, never as a string for eval: the data
# in it (file, zone and key names) are arguments and nothing else.  The
# words '|', '<' and '>' are the pipe and the redirections of standard
# input and output of the command they follow; every other word is an
# argument, printed with shell quoting where it needs it.  Such a word
# is never data: a file name is a path (it holds a "/" or a step name),
# a name ends in a dot, and the words of the config's options are
# checked (state_load).
#   run zcanon -z "$TLD" "$f" '|' strip_dnssec '>' a/step-0.unsigned
run() {
	local t0 t1 rc text
	pipeline_text text "$@"
	say "\$ $text"
	printf '%s\n' "$text" >> "reports/$STEP.pipeline"
	t0=${EPOCHREALTIME/./}
	pipeline_run "$@"
	rc=$?
	[ "$rc" -eq 0 ] || die "step $STEP: pipeline failed (status $rc): $text"
	t1=${EPOCHREALTIME/./}
	printf '  (%d.%02d s)\n' $(( (t1 - t0) / 1000000 )) \
	    $(( (t1 - t0) / 10000 % 100 ))
}

# shq VAR WORD: WORD as the shell reads it back, into VAR: as it is when
# it holds nothing the shell treats specially, else in single quotes.
shq() {
	case $2 in
	'') printf -v "$1" "''" ;;
	*[!A-Za-z0-9_./:=@%+,-]*) printf -v "$1" "'%s'" "${2//\'/\'\\\'\'}" ;;
	*) printf -v "$1" '%s' "$2" ;;
	esac
}

# pipeline_text VAR WORD...: the pipeline as one line, into VAR.
pipeline_text() {
	local _v=$1 _w _q _out= _sep=
	shift
	for _w; do
		case $_w in
		'|'|'<'|'>') _q=$_w ;;
		*) shq _q "$_w" ;;
		esac
		_out=$_out$_sep$_q
		_sep=' '
	done
	printf -v "$_v" '%s' "$_out"
}

# pipeline_run WORD...: run the pipeline.  What comes before the last
# '|' feeds the last command.
pipeline_run() {
	local -a w=("$@")
	local i last=-1
	for ((i = 0; i < ${#w[@]}; i++)); do
		[ "${w[i]}" = '|' ] && last=$i
	done
	if [ "$last" -lt 0 ]; then
		pipeline_cmd "$@"
	else
		pipeline_run "${w[@]:0:last}" | pipeline_cmd "${w[@]:last+1}"
	fi
}

# pipeline_cmd WORD...: one command of a pipeline, with its redirections.
pipeline_cmd() {
	local in= out= hasin= hasout=
	local -a cmd=()
	while [ $# -gt 0 ]; do
		case $1 in
		'<'|'>')
			[ $# -ge 2 ] && [ -n "$2" ] ||
			    die "step ${STEP:-?}: pipeline: '$1' names no file"
			if [ "$1" = '<' ]; then in=$2 hasin=1; else out=$2 hasout=1; fi
			shift 2 ;;
		*)
			cmd+=("$1")
			shift ;;
		esac
	done
	[ "${#cmd[@]}" -gt 0 ] || die "step ${STEP:-?}: pipeline: an empty command"
	if [ -n "$hasin" ] && [ -n "$hasout" ]; then
		"${cmd[@]}" < "$in" > "$out"
	elif [ -n "$hasin" ]; then
		"${cmd[@]}" < "$in"
	elif [ -n "$hasout" ]; then
		"${cmd[@]}" > "$out"
	else
		"${cmd[@]}"
	fi
}

# ------------------------------------------------------- the state directory

# Load the config of the state directory (the current directory).
state_load() {
	[ -f config ] || die "$PWD: not a state directory (no config; run init)"
	# shellcheck disable=SC1091
	. ./config
	TLD=${TLD,,}
	case $TLD in
	.|'') die "config: TLD must be a name below the root" ;;
	*.) ;;
	*) TLD=$TLD. ;;
	esac
	ZFILE=${TLD%.}.zone
	: "${NOW_CMD:=date +%s}" "${TRANSFER:=file}" "${IANA_DELAY:=86400}"
	: "${HEADROOM_MARGIN:=172800}" "${LAB_OPERATOR_TXT:=no}"
	: "${REMOVE_NS_A_ADDRS:=no}"
	# RFC 8767 section 5 suggests resolvers keep stale data 1 to 3 days
	# past its TTL: the upper end by default.  Unset only: an empty
	# value is refused below, and 0 must be written out.
	: "${SERVE_STALE=259200}"
	: "${ZRESIGN_OPTS:=}" "${ZCHECK_OPTS:=}" "${ZCHECK_LAB_OPTS:=}"
	# zcheck-chain's options for the lab's deliberate difference in the
	# data (see set_operator), only there: -x keeps exactly that record
	# out of the identical-data check (G4).
	if [ "$LAB_OPERATOR_TXT" = yes ]; then
		: "${ZCHECK_LAB_OPTS:=-x _operator.$TLD/TXT}"
		ZCHECK_OPTS="${ZCHECK_OPTS:+$ZCHECK_OPTS }$ZCHECK_LAB_OPTS"
	fi
	# A secret in config would be as readable as config is: it belongs
	# in keys/tsig.key alone (init puts it there).
	[ -z "${TSIG_SECRET:-}" ] ||
	    die "config: TSIG_SECRET: a secret in config; keep it in keys/tsig.key (alg:name:secret, mode 0600) and remove it from config"
	local v w
	for v in Dprp_C Dprp_P IANA_DELAY HEADROOM_MARGIN TTL_KEY TTL_NS_C \
	    TTL_ZONE TTL_NS_P TTL_DS_P TTL_GLUE_P SERVE_STALE; do
		case ${!v-0} in
		''|*[!0-9]*) die "config: $v='${!v:-}': not a number of seconds" ;;
		esac
	done
	# Names and addresses go into zones and onto command lines as
	# arguments; a name that is not a host name is refused here, so
	# that a step refuses cleanly instead of failing midway.
	hostname_ok "$TLD" || die "config: TLD='$TLD': not a host name (letters, digits, '-' and '_' in labels separated by dots)"
	for v in NS_A NS_B ROOT_NS; do
		[ -n "${!v:-}" ] || die "config: $v is empty"
		for w in ${!v}; do
			case $w in
			*.) hostname_ok "$w" ;;
			*) false ;;
			esac || die "config: $v: '$w': not an absolute host name"
		done
	done
	for w in ${ADDRS:-}; do
		case $w in
		*=*) hostname_ok "${w%%=*}" ;;
		*) false ;;
		esac && case ${w#*=} in
		''|*[!0-9A-Fa-f:.]*) false ;;
		esac || die "config: ADDRS: '$w': not host=address"
	done
	case $REMOVE_NS_A_ADDRS in
	yes|no) ;;
	*) die "config: REMOVE_NS_A_ADDRS='$REMOVE_NS_A_ADDRS': not yes or no" ;;
	esac
	for v in KEY_ALG TSIG_NAME TSIG_ALG A_XFR_ADDR B_XFR_ADDR; do
		case ${!v:-} in
		*[!A-Za-z0-9_.:@-]*|-*) die "config: $v='${!v}': not a name or an address" ;;
		esac
	done
	# The options added to the tools' command lines, as words (split on
	# white space, never globbed): the run's operators are no options.
	opt_words ZRESIGN_WORDS "$ZRESIGN_OPTS" ZRESIGN_OPTS
	opt_words ZRESIGN_ROOT_WORDS "${ZRESIGN_ROOT_OPTS:-}" ZRESIGN_ROOT_OPTS
	opt_words ZCHECK_WORDS "$ZCHECK_OPTS" ZCHECK_OPTS
	return 0
}

# A host name: labels of letters, digits, '-' and '_' (the _operator
# owner of the lab's marker), separated by dots, at most 253 octets.
hostname_ok() {
	local n=${1%.}
	[ -n "$n" ] && [ "${#n}" -le 253 ] || return 1
	case .$n. in
	*[!A-Za-z0-9_.-]*|*..*) return 1 ;;
	esac
	return 0
}

# opt_words ARRAY STRING NAME: the words of an option string of the
# config, into ARRAY.
opt_words() {
	local -n _a=$1
	local _w
	read -ra _a <<< "$2"
	for _w in "${_a[@]}"; do
		case $_w in
		'|'|'<'|'>') die "config: $3: '$_w' is not an option" ;;
		esac
	done
}

# What every step does first: the config, the times of the steps done,
# the TTLs of the versions published.
step_begin() {
	state_load
	read_times
	read_ttls
}

# The time used as now: BERO_NOW when set (tests, the demo), else the
# clock, as NOW_CMD says.
now() {
	local t
	if [ -n "${BERO_NOW:-}" ]; then
		t=$BERO_NOW
	else
		t=$(eval "${NOW_CMD:-date +%s}" 9>&-) || die "NOW_CMD failed"
	fi
	case $t in
	''|*[!0-9]*) die "BERO_NOW or NOW_CMD: not a time in seconds: $t" ;;
	esac
	printf '%s\n' "$t"
}

# When a step was completed, from the log; empty when it was not.
logtime() {
	[ -f log ] && awk -v s="$1" '$1 == s { t = $2 } END { if (t != "") print t }' log
}

# The last completed step.
laststep() {
	[ -f log ] && awk 'NF { s = $1 } END { print s }' log
}

# The step after $1 in PROCEDURE.md's order.
nextstep() {
	local s prev=
	for s in $STEPS; do
		[ "$prev" = "$1" ] && { printf '%s\n' "$s"; return; }
		prev=$s
	done
}

# What a party publishes now.
current() {
	case $1 in
	a|b) printf 'published/%s/%s\n' "$1" "$ZFILE" ;;
	root) printf 'published/root/root.zone\n' ;;
	ds) printf 'published/root/ds.txt\n' ;;
	esac
}

# Every version of a party that was published, oldest first, as "file
# time" lines: the history joined with the log.
versions() {
	local party=$1 ext=zone s t h
	[ "$party" = ds ] && ext=txt
	if [ -f log ]; then
		while read -r s t _; do
			h=history/$party-$s.$ext
			if [ -e "$h" ] || [ -L "$h" ]; then
				[ -f "$h" ] && [ -r "$h" ] ||
				    die "$h: cannot read this published version"
				printf '%s %s\n' "$h" "$t"
			fi
		done < log
	fi
	# A version the running step published already (step 6: B's part)
	# is not in the log yet.
	if [ -n "${STEP:-}" ] && [ -f "history/$party-$STEP.$ext" ] &&
	    [ -z "$(logtime "$STEP")" ]; then
		printf 'history/%s-%s.%s %s\n' "$party" "$STEP" "$ext" "$NOW"
	fi
	return 0
}

# A party's key pairs (base names, keys/PARTY/K...), into the array
# KEYS.  Names are data: they go into arrays, never through a word
# split or eval.
keys() {
	local k
	KEYS=()
	for k in keys/"$1"/K*.key; do
		[ -f "$k" ] && KEYS+=("${k%.key}")
	done
	return 0
}

# The options that name the public keys of the parties given (-k
# file.key ...), into the array PUBOPTS.
pubopts() {
	local p k
	PUBOPTS=()
	for p; do
		keys "$p"
		[ "${#KEYS[@]}" -gt 0 ] || die "keys/$p: no keys"
		for k in "${KEYS[@]}"; do
			PUBOPTS+=(-k "$k.key")
		done
	done
}

# The signer's options for a party, into the array SIGNOPTS: NSEC3 with
# opt-out for the TLD (RFC 9276 parameters, the same at both operators:
# G6) or NSEC for the root, its own keys, the time, and what the config
# adds (ZRESIGN_OPTS, ZRESIGN_ROOT_OPTS).
signopts() {
	local k
	SIGNOPTS=()
	[ "$1" = root ] || SIGNOPTS+=(-A)
	keys "$1"
	[ "${#KEYS[@]}" -gt 0 ] || die "keys/$1: no keys"
	for k in "${KEYS[@]}"; do
		SIGNOPTS+=(-k "$k")
	done
	SIGNOPTS+=(-t "$NOW")
	if [ "$1" = root ]; then
		SIGNOPTS+=("${ZRESIGN_ROOT_WORDS[@]}")
	else
		SIGNOPTS+=("${ZRESIGN_WORDS[@]}")
	fi
}

# The flags of the DNSKEY in a .key file.
keyflags() {
	awk '!/^;/ { for (i = 1; i < NF; i++) if ($i == "DNSKEY") {
	    print $(i + 1); exit } }' "$1"
}

# The key-signing key of a party (SEP flag), the key a DS names, into
# KSK.
ksk() {
	local k f
	keys "$1"
	for k in "${KEYS[@]}"; do
		f=$(keyflags "$k.key") || die "$k.key: cannot read"
		[ "$f" = 257 ] && { KSK=$k; return 0; }
	done
	die "keys/$1: no key-signing key"
}

# The key tags and algorithms of a party's keys, " tag/alg ... ", from
# the names Kname+alg+tag.
keytags() {
	keys "$1"
	[ "${#KEYS[@]}" -gt 0 ] || die "keys/$1: no keys"
	printf '%s\n' "${KEYS[@]##*/}" | awk -F '+' '{ s = s " " ($3 + 0) "/" ($2 + 0) }
	    END { print s " " }'
}

# ------------------------------------------------------------- time and TTLs

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
	[ -n "$za" ] && [ -n "$zr" ] || die "no published zone in $PWD/history"
	TTL_KEY=0 TTL_NS_C=0 TTL_SIG=0 TTL_NEG_C=0
	for f in $za; do
		zone_ttls "$f"
		[ "$ZT_KEY" -gt "$TTL_KEY" ] && TTL_KEY=$ZT_KEY
		[ "$ZT_NS" -gt "$TTL_NS_C" ] && TTL_NS_C=$ZT_NS
		[ "$ZT_SIG" -gt "$TTL_SIG" ] && TTL_SIG=$ZT_SIG
		zone_neg_ttl "$f"
		[ "$ZT_NEG" -gt "$TTL_NEG_C" ] && TTL_NEG_C=$ZT_NEG
	done
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
	[ -n "$vs" ] || die "no published version of $1 in $PWD/history"
	for f in $vs; do
		zone_ttls "$f"
		[ "$ZT_SIG" -gt "$m" ] && m=$ZT_SIG
	done
	TTL_SIG=$m
}

# ---------------------------------------------------------------- the waits

# The wait rule of a step, from the times T_<step> of the steps before it
# and the TTL and delay variables.  Sets DUE (the earliest time allowed,
# as a number) and RULE (the rule, as PROCEDURE.md says it, with the
# numbers put in).  Steps without a wait are due when the step before
# them was done.  Used both by the driver (times from the log) and by
# plan (times predicted).
rule() {
	local a b c f1 f2
	case $1 in
	2b) rule_needs 2b T_2a Dprp_C TTL_KEY ;;
	5) rule_needs 5 T_4 T_2b Dprp_P Dprp_C TTL_NS_P TTL_GLUE_P TTL_DS_P \
	    TTL_NS_C TTL_NEG_C ;;
	9) rule_needs 9 T_8 T_6 Dprp_P Dprp_C TTL_NS_P TTL_GLUE_P TTL_NS_C \
	    TTL_SIG ;;
	11) rule_needs 11 T_10 Dprp_C TTL_KEY ;;
	13) rule_needs 13 T_8 T_6 Dprp_P Dprp_C TTL_NS_P TTL_GLUE_P TTL_NS_C \
	    SERVE_STALE ;;
	esac
	case $1 in
	2b)
		DUE=$((T_2a + Dprp_C + TTL_KEY))
		tfmt f1 "$T_2a"
		RULE="now >= T2a + Dprp_C + TTL_KEY(old) = $f1 + $Dprp_C + $TTL_KEY"
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
		DUE=$((T_10 + Dprp_C + TTL_KEY))
		tfmt f1 "$T_10"
		RULE="now >= T10 + Dprp_C + TTL_KEY = $f1 + $Dprp_C + $TTL_KEY (RFC 7583 section 3.3.2)"
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

# ---------------------------------------------------------------- views
#
# PROCEDURE.md's invariant: a resolver may hold any DS set the root
# published within the last TTL_DS_P + Dprp_P, any DNSKEY RRset a
# reachable server published within the last TTL_KEY + Dprp_C, and may
# query any server named by an NS set it may hold.  A version is still
# cached when it is the current one, or when the version that replaced it
# was published less than (its TTL + the propagation delay) ago.

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

# --------------------------------------------------- checks with the tools

# check_chain: zcheck-chain on every view.  For each operator a resolver
# may reach, the zone it serves now (the new version, or the one
# published) is an operand, and every older version still cached is
# given with -c; every DS set a resolver may hold with -d.  zcheck-chain
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
		[ -z "$d" ] || dsargs+=(-d "$d")
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
		for v in "${vs[@]}"; do
			[ -z "$v" ] || oldargs+=(-c "$v")
		done
	done
	[ "${#cur[@]}" -eq 0 ] ||
	    chain -w "$window" "${dsargs[@]}" "${oldargs[@]}" -- "${cur[@]}"
	[ -z "${UNREACHED_DS:-}" ] || dsargs=(-d "$UNREACHED_DS")
	for v in "${alone[@]}"; do
		chain -w "$window" "${dsargs[@]}" -- "$v"
	done
	if [ -n "${NEW_ROOT:-}" ]; then
		chain -d root/anchor.ds -- "$NEW_ROOT"
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
	versions a | awk -v now="$NOW" -v sig="$TTL_SIG" -v dc="$Dprp_C" \
	    -v last="$last" '
	    { f[NR] = $1; t[NR] = $2 }
	    END { for (i = 1; i <= NR; i++) {
		end = i == NR ? last : t[i + 1] + dc
		if (end > last) end = last
		if (now < end + sig) print f[i] } }' ||
	    die "step ${STEP:-?}: cannot tell which versions of A may be held"
	TTL_SIG=$sig
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

# Registered-domain data never changes in a migration: zdiff-dnssec -D
# answers whether the data group differs between two versions of one
# operator's zone.
check_registered() {
	need "$1" "$2"
	zdiff-dnssec -D -g data "$1" "$2" > /dev/null
	case $? in
	0) ok "registered-domain data unchanged from $1 to $2" ;;
	1) fail "registered-domain data changed from $1 to $2 (reports/$STEP.diff)" ;;
	*) die "step $STEP: zdiff-dnssec failed on $1 $2" ;;
	esac
}

# --------------------------------------------------- checks with awk alone

# The records of an RRset at the apex, "TTL<tab>RDATA" a line, sorted.
# The apex comes first in a zone in canonical order (RFC 4034 section
# 6.1): the reading stops after it.
apex_rrset() {
	awk -F '\t' -v o="$TLD" -v t="$2" '
	    $1 == o { seen = 1; if ($4 == t) print $2 "\t" $5; next }
	    seen { exit }' "$1" | sort
}

# The DNSKEY algorithms of a zone, sorted, one a line.
algorithms() {
	apex_rrset "$1" DNSKEY | awk '{ split($0, f, "\t"); split(f[2], r, " ");
	    print r[3] }' | sort -u
}

# The SOA serial; fails when the zone cannot be read or has none.
serial() {
	awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3]; s = 1; exit }
	    END { exit !s }' "$1"
}

# S: the serial after the larger of those of two zones (RFC 1982).
next_serial() {
	local s1 s2
	s1=$(serial "$1") && is_num "$s1" || die "step $STEP: $1: no SOA serial"
	s2=$(serial "$2") && is_num "$s2" || die "step $STEP: $2: no SOA serial"
	S=$(serial_next "$s1" "$s2") || die "step $STEP: no next serial"
}

# need FILE...: a check reads these; one that cannot be read stops the
# step (two missing files would otherwise compare equal).
need() {
	local f
	for f; do
		[ -f "$f" ] && [ -r "$f" ] || die "step ${STEP:-?}: $f: cannot read"
	done
}

# RFC 1982 section 3.2: s1 > s2 in serial number arithmetic (32 bits).
serial_gt() {
	local d=$(( ($1 - $2) & 0xffffffff ))
	[ "$d" -ne 0 ] && [ "$d" -lt 2147483648 ]
}

# The unsigned data of a zone (G4): without RRSIG, NSEC, NSEC3,
# NSEC3PARAM, DNSKEY, CDS, CDNSKEY and ZONEMD records, the SOA serial
# set to 0.  In the lab (LAB_OPERATOR_TXT=yes) the TXT record at
# _operator.TLD, which differs between the operators on purpose, is left
# out as well.
unsigned_data() {
	awk -F '\t' -v OFS='\t' -v op="_operator.$TLD" -v lab="$LAB_OPERATOR_TXT" '
	    $4 ~ /^(RRSIG|NSEC|NSEC3|NSEC3PARAM|DNSKEY|CDS|CDNSKEY|ZONEMD)$/ { next }
	    lab == "yes" && $1 == op && $4 == "TXT" { next }
	    $4 == "SOA" { n = split($5, f, " "); f[3] = 0; $5 = f[1]
		for (i = 2; i <= n; i++) $5 = $5 " " f[i] }
	    { print }' "$1"
}

# Strip a zone of its DNSSEC records (step 1 and 6: the receiving
# operator signs the data again with its own keys).  A filter.
strip_dnssec() {
	awk -F '\t' '$4 !~ /^(RRSIG|NSEC|NSEC3|NSEC3PARAM|DNSKEY|CDS|CDNSKEY|ZONEMD)$/'
}

# In the lab (LAB_OPERATOR_TXT=yes), set the text of _operator.TLD TXT,
# the marker of which operator answered, adding the record when the zone
# lacks it; elsewhere pass the zone through.  A filter.
set_operator() {
	if [ "$LAB_OPERATOR_TXT" != yes ]; then
		cat
		return
	fi
	awk -F '\t' -v OFS='\t' -v op="_operator.$TLD" -v v="$1" \
	    -v ttl="$TTL_ZONE" '
	    $1 == op && $4 == "TXT" { if (done++) next; $5 = "\"" v "\"" }
	    { print }
	    END { if (!done) print op, ttl, "IN", "TXT", "\"" v "\"" }'
}

# Set the SOA serial.  A filter.
set_serial() {
	awk -F '\t' -v OFS='\t' -v s="$1" '
	    $4 == "SOA" && !done { n = split($5, f, " "); f[3] = s; $5 = f[1]
		for (i = 2; i <= n; i++) $5 = $5 " " f[i]; done = 1 }
	    { print }'
}

# The serial after the larger of two (RFC 1982: plus one, mod 2^32).
serial_next() {
	local s=$1
	serial_gt "$2" "$s" && s=$2
	printf '%s\n' $(( (s + 1) & 0xffffffff ))
}

# The apex DNSKEY RRset and the signatures over it: the fragment one
# operator hands the other in the signature exchange (RFC 6781 section
# 4.3.5.1).
dnskey_fragment() {
	awk -F '\t' -v o="$TLD" '$1 != o { if (seen) exit; next }
	    { seen = 1 } $4 == "DNSKEY" || ($4 == "RRSIG" && $5 ~ /^DNSKEY /)' "$1"
}

# G3: the same algorithms at both operators.
check_algorithms() {
	need "$1" "$2"
	if [ "$(algorithms "$1")" = "$(algorithms "$2")" ]; then
		ok "G3 same DNSKEY algorithms: $(algorithms "$1" | tr '\n' ' ')"
	else
		fail "G3 the DNSKEY algorithms differ: $1 has $(algorithms "$1" |
		    tr '\n' ' '), $2 has $(algorithms "$2" | tr '\n' ' ')"
	fi
}

# G6: exactly one NSEC3PARAM, the same at both operators.
check_nsec3param() {
	local p1 p2
	need "$1" "$2"
	p1=$(apex_rrset "$1" NSEC3PARAM | cut -f2)
	p2=$(apex_rrset "$2" NSEC3PARAM | cut -f2)
	if [ "$(printf '%s\n' "$p1" | grep -c .)" -ne 1 ]; then
		fail "G6 $1: $(printf '%s\n' "$p1" | grep -c .) NSEC3PARAM records, not one"
	elif [ "$p1" != "$p2" ]; then
		fail "G6 NSEC3PARAM differs: $1 has '$p1', $2 has '$p2'"
	else
		ok "G6 one NSEC3PARAM at both: $p1"
	fi
}

# G4: the unsigned data identical.
check_data() {
	local d
	need "$1" "$2"
	d=$(diff <(unsigned_data "$1") <(unsigned_data "$2") | head -n 6)
	if [ -z "$d" ]; then
		ok "G4 unsigned data identical in $1 and $2"
	else
		fail "G4 the unsigned data of $1 and $2 differ: $(printf '%s' "$d" | tr '\n' ' ')"
	fi
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

# The apex NS names of a zone, sorted, one a line.
apex_ns() {
	apex_rrset "$1" NS | cut -f2 | tr 'A-Z' 'a-z' | sort
}

# The NS names a request or a root zone gives the TLD.
request_ns() {
	awk -F '\t' -v o="$TLD" '$1 == o && $4 == "NS" { print tolower($5) }' "$1" | sort
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

# At most 13 NS records (IANA; what fits a referral).
check_ns_count() {
	local n
	need "$1"
	n=$(request_ns "$1" | wc -l)
	if [ "$n" -ge 2 ] && [ "$n" -le 13 ]; then
		ok "$n name servers (2 to 13)"
	else
		fail "$1 names $n name servers; IANA wants 2 to 13"
	fi
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

# The referral from the root for a name below the TLD, with the NS
# RRset and the glue, must fit in 512 octets without EDNS (IANA's
# technical check).  The question is the longest name there can be (255
# octets); names are compressed against every name written before them
# (RFC 1035 section 4.1.4).
check_referral_size() {
	local f=$1 size
	need "$1"
	size=$(awk -F '\t' -v tld="$TLD" -f "$BERO_SHARE/referral.awk" "$f") &&
	    is_num "$size" || die "step $STEP: $f: cannot size the referral"
	if [ "$size" -le 512 ]; then
		ok "referral with glue: $size octets (<= 512)"
	else
		fail "the referral with glue for $TLD takes $size octets, more than 512"
	fi
}

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
		fail "G8 $z: a signature expires at $(fmt_time "$1"), before $(fmt_time "$until") (now + the waits left + TTL_SIG + margin)"
	else
		ok "G8 $z: signatures last until at least $(fmt_time "$1")"
	fi
	if [ "$2" != - ]; then
		if [ "$2" -lt "$until" ]; then
			fail "G8 $z: an imported signature (the other operator's) expires at $(fmt_time "$2"), before $(fmt_time "$until")"
		else
			ok "G8 $z: imported signatures last until at least $(fmt_time "$2")"
		fi
	fi
}

# The time until which signatures must last, seen at a step: now, the
# waits of the plan still ahead (the earliest times of the steps left,
# with IANA's delay), TTL_SIG and HEADROOM_MARGIN.
# Sets HEADROOM_UNTIL, once a step.
headroom_update() {
	local from=$STEP t
	[ -z "${HEADROOM_UNTIL:-}" ] || return 0
	[ "$from" != 0 ] || from=1
	t=$(plan_times "$from" | awk 'END { print $2 }') && is_num "$t" &&
	    is_num "$TTL_SIG" "$HEADROOM_MARGIN" ||
	    die "step $STEP: the signature headroom cannot be computed"
	HEADROOM_UNTIL=$((t + TTL_SIG + HEADROOM_MARGIN))
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
		case $s in
		4|8|12) [ -n "$prev" ] && prev=$((prev + IANA_DELAY)) ;;
		esac
		maxv "$DUE" "${prev:-0}"
		t=$M
		[ "$s" = "$1" ] && { maxv "$t" "$NOW"; t=$M; }
		printf -v "T_$s" '%s' "$t"
		prev=$t
		printf '%s %s\n' "$s" "$t"
	done
}

# ------------------------------------------------ the root and the requests

lower() {
	printf '%s\n' "${*,,}"
}

# The test root without its delegations: the SOA, the root's NS RRset and
# the addresses of its hosts.
root_zone() {
	local h a first=
	for h in $(lower "$ROOT_NS"); do
		[ -n "$first" ] || first=$h
	done
	printf '.\t86400\tIN\tSOA\t%s nstld.root-servers.test. %s 1800 900 604800 86400\n' \
	    "$first" "$1"
	for h in $(lower "$ROOT_NS"); do
		printf '.\t518400\tIN\tNS\t%s\n' "$h"
		for a in $(addrs_of "$h"); do
			printf '%s\t518400\tIN\t%s\t%s\n' "$h" \
			    "$(case $a in *:*) echo AAAA;; *) echo A;; esac)" "$a"
		done
	done
}

# The TLD's delegation as the root holds it, or as the registry asks for
# it: NS records for the hosts given, A and AAAA glue for those in the
# TLD (their configured addresses), and the DS records of a file.  The
# TTLs are the root's (TTL_NS_P, TTL_GLUE_P, TTL_DS_P).
delegation() {
	local h a
	for h in $(lower "$1"); do
		printf '%s\t%s\tIN\tNS\t%s\n' "$TLD" "$TTL_NS_P" "$h"
	done
	for h in $(lower "$1"); do
		case $h in
		*."$TLD") ;;
		*) continue ;;
		esac
		for a in $(addrs_of "$h"); do
			printf '%s\t%s\tIN\t%s\t%s\n' "$h" "$TTL_GLUE_P" \
			    "$(case $a in *:*) echo AAAA;; *) echo A;; esac)" "$a"
		done
	done
	awk -F '\t' -v OFS='\t' -v ttl="$TTL_DS_P" '$4 == "DS" { $2 = ttl; print }' "$2"
}

# Apply a delegation (standard input) to a root zone: every record at or
# below the TLD goes, signatures and NSEC records there too, and the
# delegation given takes its place.  The result is in canonical form.
root_apply() {
	{
		awk -F '\t' -v tld="$TLD" '$1 != tld &&
		    substr($1, length($1) - length(tld)) != "." tld' "$1"
		cat
	} | zcanon -z .
}

# The TLD's DS records in a root zone: the DS set the root publishes.
root_ds() {
	awk -F '\t' -v tld="$TLD" '$1 == tld && $4 == "DS"' "$1"
}

# The zone of each party one of whose hosts an NS set (a request, a
# root zone) names: the servers IANA tests.
listed_zones() {
	local ns
	need "$1"
	ns=$(request_ns "$1") || return 1
	printf '%s\n' "$ns" | grep -qxF -f <(lower "$NS_A" | tr ' ' '\n' | grep .) &&
	    current a
	printf '%s\n' "$ns" | grep -qxF -f <(lower "$NS_B" | tr ' ' '\n' | grep .) &&
	    current b
	return 0
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

# ------------------------------------------------------- the other checks

# The fragment naming a party's name servers, as zadd-bero-ns reads it:
# the apex NS records (TTL_NS_C) and the addresses of the hosts in the
# TLD (TTL_ZONE).
ns_fragment() {
	local h a v=NS_${1^^} hosts
	hosts=${!v}
	for h in $(lower "$hosts"); do
		printf '%s\t%s\tIN\tNS\t%s\n' "$TLD" "$TTL_NS_C" "$h"
	done
	for h in $(lower "$hosts"); do
		case $h in
		*."$TLD") ;;
		*) continue ;;
		esac
		for a in $(addrs_of "$h"); do
			printf '%s\t%s\tIN\t%s\t%s\n' "$h" "$TTL_ZONE" \
			    "$(case $a in *:*) echo AAAA;; *) echo A;; esac)" "$a"
		done
	done
}

# A file or directory holding secrets must be its owner's alone: one
# that others may read or write is refused, not used.
owner_only() {
	local m
	m=$(stat -L -c %a -- "$1") || die "$1: cannot stat"
	case $m in
	*00) ;;
	*) die "$1: mode $m: it holds secrets and must be its owner's alone (chmod go= $1)" ;;
	esac
}

# Move a party's published zone to a file: by zone transfer (AXFR with
# TSIG, RFC 5936 and RFC 8945) from the party's transfer address when
# TRANSFER=axfr, by copying the file when TRANSFER=file.
transfer() {
	local from=$1 out=$2 addr v
	case $TRANSFER in
	file)
		run cp "$(current "$from")" "$out"
		;;
	axfr)
		v=${from^^}_XFR_ADDR
		addr=${!v:-}
		[ -n "$addr" ] || die "config: ${from^^}_XFR_ADDR unset (TRANSFER=axfr)"
		[ -f keys/tsig.key ] || die "keys/tsig.key: no TSIG key (config TSIG_NAME, TSIG_ALG, TSIG_SECRET)"
		owner_only keys/tsig.key
		run kdig -k keys/tsig.key "@$addr" "$TLD" AXFR +noall +answer \
		    '|' axfr_zone '>' "$out"
		;;
	*)
		die "config: TRANSFER=$TRANSFER: not file or axfr"
		;;
	esac
}

# The zone in a zone transfer's records: a complete transfer begins and
# ends with the SOA (RFC 5936 section 2.2), and the closing one goes.
# Anything else is a failed or cut transfer, and fails.  A filter.
axfr_zone() {
	awk -F '[ \t]+' -v tld="$TLD" '
	    /^;/ || !NF { next }
	    { soa = tolower($1) == tld && $4 == "SOA" }
	    n++ == 0 { if (!soa) exit 1; prev = $0; next }
	    { print prev; prev = $0; last = soa }
	    END { if (n < 3 || !last) {
		print "axfr: the transfer of " tld " is incomplete" > "/dev/stderr"
		exit 1 } }'
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

# The RDATA of the DNSKEY in a .key file, as the tools write it.
key_rdata() {
	awk '!/^;/ { for (i = 1; i < NF; i++) if ($i == "DNSKEY") {
	    s = $(i + 1) " " $(i + 2) " " $(i + 3) " "
	    for (j = i + 4; j <= NF; j++) s = s $j; print s; exit } }' "$1"
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
# against the servers it lists: 2 to 13 name servers, the same NS set as
# the apex of every operator's zone, the same SOA serial at both, every
# DS matching a DNSKEY each listed server serves, digest types 2 or 4,
# a referral that fits 512 octets, and signatures that outlast IANA's
# processing and the waits.
iana_checks() {
	local req=$1 zones tested z p own
	zones=$(listed_zones "$req") && tested=$(tested_zones "$req") ||
	    die "step $STEP: $req: cannot tell which servers it lists"
	check_ns_count "$req"
	# shellcheck disable=SC2086
	check_ns_matches "$req" $tested
	# shellcheck disable=SC2086
	[ "$(printf '%s\n' $tested | wc -l)" -lt 2 ] || check_serial_equal $tested
	# shellcheck disable=SC2086
	check_ds_served "$req" $zones
	check_digest_types "$req"
	check_referral_size "$req"
	headroom_update
	for z in $zones; do
		p=${z#published/}
		own=$(keytags "${p%%/*}") || exit 2
		check_headroom "$z" "$HEADROOM_UNTIL" "$own"
	done
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

# The zone versions of one party in the files named, for G8.
headroom() {
	headroom_update
	local own
	own=$(keytags "$1") || exit 2
	check_headroom "$2" "$HEADROOM_UNTIL" "$own"
}

# Step 13: a party stops serving the zone.
stop_serving() {
	local f
	f=$(current "$1")
	[ "$FAILED" -eq 0 ] || die "step $STEP: stop after a failed check"
	rm -f "$f" || die "step $STEP: cannot remove $f"
	say "  removed: $f ($1 no longer answers for $TLD)"
	hook "$1" "$f"
}

# ---------------------------------------------------------------- the end

# Stop here when a check failed: nothing is published.
verdict() {
	if [ "$FAILED" -ne 0 ]; then
		say "step $STEP: a check failed; nothing published"
		exit 1
	fi
	say "step $STEP: every check passed"
}

# Publish a file as what a party serves now (atomically: copy, then
# rename), keep it in the history, and run the hook (the lab reloads its
# server there).
publish() {
	local party=$1 file=$2 dest hist
	[ "$FAILED" -eq 0 ] || die "step $STEP: publish after a failed check"
	dest=$(current "$party")
	case $party in
	ds) hist=history/ds-$STEP.txt ;;
	*) hist=history/$party-$STEP.zone ;;
	esac
	mkdir -p "$(dirname "$dest")" history
	cp "$file" "$dest.new" && mv -f "$dest.new" "$dest" ||
	    die "step $STEP: cannot publish $dest"
	cp "$file" "$hist" || die "step $STEP: cannot keep $hist"
	say "  published: $dest"
	hook "$party" "$dest"
	hooked "$party"
}

# Remember that a publication of the running step is complete, its hook
# included: a step resumed later (step 6) runs again a hook that did
# not succeed, and the step is logged only once every one did.
hooked() {
	printf '%s %s\n' "$STEP" "$1" >> history/hooked ||
	    die "step $STEP: history/hooked: cannot write"
}

# rehook PARTY: a version of PARTY that an earlier run of this step
# published: its hook runs again unless it succeeded then.
rehook() {
	local dest
	dest=$(current "$1")
	if [ -f history/hooked ] && grep -qxF "$STEP $1" history/hooked; then
		return 0
	fi
	cmp -s "$dest" "history/$1-$STEP.zone" ||
	    die "step $STEP: $dest is not history/$1-$STEP.zone, which an earlier run of this step published"
	say "  the publish hook for $dest did not succeed in that run: again"
	hook "$1" "$dest"
	hooked "$1"
}

# The publish hook: BERO_PUBLISH_HOOK party /absolute/path.
hook() {
	[ -n "${BERO_PUBLISH_HOOK:-}" ] || return 0
	[ "$1" = ds ] && return 0
	$BERO_PUBLISH_HOOK "$1" "$PWD/$2" ||
	    die "step $STEP: publish hook failed for $1 $2"
}
