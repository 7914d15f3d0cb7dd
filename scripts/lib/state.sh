# lib/state.sh: the state directory: its config (state_load), the step
# being run, the log of completed steps, the zone versions each party
# publishes and the keys the steps sign with.
#
# Sourced by lib.sh, never run alone.

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
	pin_file_load
	# The method and its steps (lib/method.sh).
	method_load
	role_load
	observe_load
	sync_config
	return 0
}

# PKCS11_PIN_FILE: the PIN of the token that keeps this directory's
# keys (BIND key files whose .private is "Label: pkcs11:...", zresign(1)):
# a file, its owner's alone, named to zresign by -p; never the PIN itself
# on a command line (ps(1)) or in config.
pin_file_load() {
	: "${PKCS11_PIN_FILE:=}"
	[ -n "$PKCS11_PIN_FILE" ] || return 0
	[ -f "$PKCS11_PIN_FILE" ] && [ -r "$PKCS11_PIN_FILE" ] ||
	    die "config: PKCS11_PIN_FILE='$PKCS11_PIN_FILE': no such file"
	owner_only "$PKCS11_PIN_FILE"
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

# Every version of a party that was published by NOW, oldest first, as
# "file time" lines: the history joined with the log, and the versions
# sync and refresh published.
versions() {
	local party=$1 ext=zone s t h n=0
	[ "$party" = ds ] && ext=txt
	{
	# The back-out's steps (backout-log) follow the log's.
	if [ -f log ]; then
		while read -r s t _; do
			n=$((n + 1))
			h=history/$party-$s.$ext
			if [ -e "$h" ] || [ -L "$h" ]; then
				[ -f "$h" ] && [ -r "$h" ] ||
				    die "$h: cannot read this published version"
				printf '%s %s %s\n' "$h" "$t" "$n"
			fi
		done < <(cat log; [ ! -f backout-log ] || cat backout-log)
	fi
	# The versions sync and refresh published between the steps
	# (lib/sync.sh), in their order among the steps'.
	interim_versions "$party"
	# A version the running step published already (step 6: B's part)
	# is not in the log yet.
	if [ -n "${STEP:-}" ] && [ -f "history/$party-$STEP.$ext" ] &&
	    [ -z "$(logtime "$STEP")" ]; then
		printf 'history/%s-%s.%s %s %s\n' "$party" "$STEP" "$ext" "$NOW" 99
	fi
	} | LC_ALL=C sort -s -k2,2n -k3,3n |
	    awk -v now="${NOW:-}" '!seen[$1]++ && (now == "" || $2 <= now + 0) {
		print $1, $2 }'
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
	[ -z "${PKCS11_PIN_FILE:-}" ] || SIGNOPTS+=(-p "$PKCS11_PIN_FILE")
	# KSK_B's signatures over a DNSKEY RRset that holds A's keys:
	# short-lived (lib/sync.sh).
	keysig_opts "$1"
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
