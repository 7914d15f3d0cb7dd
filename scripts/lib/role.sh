# lib/role.sh: whose state directory this is (ROLE), and what that
# party may hold and run.
#
# ROLE=all is the rehearsal on one machine: one directory holds every
# party's keys and a test root, and each step does every party's part.
# ROLE=a, b or registry is one party's directory on its own machine
# (bero-migration(7), The model: three organizations, three machines):
# it holds that party's private keys only (the registry's: none; A's
# none either when A signs with its own signer, A_SIGNER=external), the
# public keys of the others as they were handed over and checked
# (keys/a, keys/b: K*.key only), and never a key of the parent, which is
# outside.  The TSIG key A and B share for zone transfers is the one
# secret two parties hold (keys/tsig.key, 0600 at both).
#
# Sourced by lib.sh, never run alone.

# Check ROLE and A_SIGNER (state_load calls this).
role_load() {
	: "${ROLE:=all}" "${A_SIGNER:=}"
	case $ROLE in
	all|a|b|registry) ;;
	*) die "config: ROLE='$ROLE': not all, a, b or registry" ;;
	esac
	case $A_SIGNER in
	''|berokit|external) ;;
	*) die "config: A_SIGNER='$A_SIGNER': not berokit or external" ;;
	esac
	if [ "$ROLE" = all ] && [ "$A_SIGNER" = external ]; then
		die "config: A_SIGNER=external needs a directory of A's own (ROLE=a): the rehearsal signs for A"
	fi
	if [ "$ROLE" = registry ] && [ -e keys/tsig.key ]; then
		die "keys/tsig.key: the registry holds no secret: the TSIG key is A's and B's"
	fi
	return 0
}

# The party letter of the log for this directory: a, b, r (or all).
role_party() {
	case $ROLE in
	registry) echo r ;;
	*) echo "$ROLE" ;;
	esac
}

# log_party STEP: the party of a step's line in this directory's log:
# party_of's in the rehearsal, this directory's party in its own.
log_party() {
	if [ "$ROLE" = all ]; then
		party_of "$1"
	else
		role_party
	fi
}

# role_name PARTY: the party as a message names it.
role_name() {
	case $1 in
	a) echo "operator A" ;;
	b) echo "operator B" ;;
	r|registry) echo "the registry" ;;
	root|parent) echo "the parent" ;;
	*) echo "$1" ;;
	esac
}

# Who does what, one line a step of either method: the step; the party
# of its line in the rehearsal's log (party_of: a+root init, a, b, a+b or
# b+a both operators, the first publishing first, r the registry, root
# the parent, all a wait); the parties who do a part of it in their own
# directories (step_parties); the operators whose servers must show what
# it publishes (step_publishers, in the order they publish; - none).
# The one table of this knowledge: lib/method.sh's party_of and
# lib/observe.sh's step_publishers read it too.
STEP_TABLE='0 a+root a,b,r -
1 b b b
2a a+b a,b a,b
2b a+b a,b a,b
ds3 r r -
ds4 root root -
3 r r -
4 root root -
5 all a,b,r -
6 b+a b,a b,a
7 r r -
8 root root -
9 all a,b,r -
10 b b b
11 r r -
12 root root -
13 a a -'

# step_field 1|2|3 STEP: the log's party (1), the parties who do a part
# (2) or the publishers (3) of a step, as words; nothing for a step not
# in the table.
step_field() {
	local s l p w x
	while read -r s l p w; do
		[ "$s" = "$2" ] || continue
		case $1 in
		1) x=$l ;;
		2) x=$p ;;
		3) x=$w ;;
		esac
		[ "$x" = - ] || printf '%s\n' "${x//,/ }"
		return 0
	done <<< "$STEP_TABLE"
}

# The parties who do a part of a step, as letters: the parent's steps
# are "root", the waits everyone's.
step_parties() {
	step_field 2 "$1"
}

# party_ok STEP PARTY: whether a log line's party may have done the step.
# In the rehearsal, exactly party_of's; in a party's directory, a party
# who does a part of it (the directory logs its own part, and what it
# imported or observed of the others').
party_ok() {
	local w
	if [ "$ROLE" = all ]; then
		[ "$2" = "$(party_of "$1")" ]
		return
	fi
	for w in $(step_parties "$1"); do
		[ "$w" = "$2" ] && return 0
	done
	return 1
}

# role_may_run STEP: stop, naming who runs it, when the step has no part
# for this directory's party; and, when the step is this party's but a
# step of another party comes first here, say what logs that one.
role_may_run() {
	local me w who=
	[ "$ROLE" = all ] && return 0
	me=$(role_party)
	for w in $(step_parties "$1"); do
		if [ "$w" = "$me" ]; then
			role_next_here "$1"
			return 0
		fi
		who="${who:+$who and }$(role_name "$w")"
	done
	case $1 in
	4|8|12|ds4) die "step $1 is the parent's (IANA publishes the root zone): it is recorded when every parent address serves it (bero-migrate observe $1), never run here" ;;
	esac
	die "step $1 is run by $who in its own state directory; this one is $(role_name "$me")'s (config ROLE=$ROLE)$(role_observable "$1" > /dev/null 2>&1 && printf '; bero-migrate observe %s logs it here' "$(role_observable "$1")")"
}

# role_has_part STEP: this directory's party does a part of the step.
role_has_part() {
	local w me
	me=$(role_party)
	for w in $(step_parties "$1"); do
		[ "$w" = "$me" ] && return 0
	done
	return 1
}

# role_observable STEP: the step whose observation logs STEP in this
# directory, when STEP is another party's: the step itself or the first
# after it that this directory observes (the parent's ds4, 4, 8, 12; at
# the registry, the operators' 2b, 6, 10, whose zones it has from B's
# bundles, and with double-DS 2a, whose zone its request of step ds3
# gives).  The steps between leave no trace of their own here (a
# request to IANA shows only when the parent publishes it).  Fails for a
# step of this party's own.
role_observable() {
	local s=$1
	while [ -n "$s" ]; do
		role_has_part "$s" && return 1
		case $(role_party)-$s in
		*-4|*-8|*-12|*-ds4|r-2b|r-6|r-10) printf '%s\n' "$s"; return 0 ;;
		r-2a) exchanges || { printf '%s\n' "$s"; return 0; } ;;
		esac
		s=$(nextstep "$s")
	done
	return 1
}

# role_observe_how STEP: what makes an observable step observed here.
role_observe_how() {
	case $1 in
	4|8|12|ds4) printf 'once every parent address serves the delegation of step %s' "$(parent_request "$1" | sed 's,r/step-,,; s,\.request,,')" ;;
	*) printf "once operator B's bundle b-%s is imported and %s serve its zone" "$1" \
	       "$(for w in $(step_publishers "$1"); do role_name "$w"; done | paste -sd/ | sed 's,/, and ,g')" ;;
	esac
}

# role_next_here STEP: in a party's directory, the step it runs must be
# the next of its log; when the next is another party's, say which
# observation logs it.  (The driver's own refusals, allowed, come after.)
role_next_here() {
	local want o
	want=$(laststep) && want=$(nextstep "$want") || die "log: cannot read"
	[ -n "$want" ] && [ "$want" != "$1" ] || return 0
	[ -z "$(logtime "$1")" ] || return 0
	role_has_part "$want" && return 0
	[ "$want" != 1 ] ||
	    die "step $1 refused: the next step here is 1 ($(step_title 1)), not $(role_name "$(role_party)")'s: import B's bundle b-1 with -y (bero-migrate import), which logs it once every address of B's servers serves B's zone of step 1; nothing done"
	o=$(role_observable "$want") ||
	    die "step $1 refused: the next step here is $want, $(role_name "$(step_parties "$want" | cut -d' ' -f1)")'s"
	die "step $1 refused: the next step here is $want ($(step_title "$want")), not $(role_name "$(role_party)")'s: bero-migrate -d $DIR observe $o logs it $(role_observe_how "$o"); nothing done"
}

# role_observe STEP (observe, in a party's directory): log a step of
# another party, and the steps of others before it that leave no trace
# here, at the first time every server concerned was seen serving it:
# the parent's steps when every parent address serves the delegation
# asked for (the registry's own request; at A and B the request as they
# make it again from their own zone and the DS of both operators' KSKs,
# DS_B alone at step 12), and the DS set then served is kept as what
# resolvers may hold; at the registry, the operators' steps 2b, 6 and
# 10 when their servers serve the zone of B's bundle.  Returns for a
# step this directory published itself (the driver's observe does it).
role_observe() {
	local s=$1 me x t z p
	local -a pend=()
	[ "$ROLE" != all ] || return 0
	[ ! -f "reports/$s.published" ] || return 0
	me=$(role_party)
	[ -z "$(logtime "$s")" ] || die "observe $s: step $s: already logged here"
	role_has_part "$s" &&
	    die "observe $s: step $s is $(role_name "$me")'s: bero-migrate step $s runs it and logs it once its servers serve it"
	[ "$(role_observable "$s")" = "$s" ] ||
	    die "observe $s: nothing of step $s can be observed here$(role_observable "$s" > /dev/null && printf ': bero-migrate observe %s logs it' "$(role_observable "$s")")"
	x=$(laststep) && x=$(nextstep "$x") || die "log: cannot read"
	while :; do
		[ -n "$x" ] || die "observe $s: step $s does not come after step $(laststep) here"
		pend+=("$x")
		[ "$x" = "$s" ] && break
		role_has_part "$x" &&
		    die "observe $s: out of order: the next step here is $x, $(role_name "$me")'s own (bero-migrate step $x)"
		x=$(nextstep "$x")
	done
	NOW=$(now) || exit 2
	[ "$NOW" -ge "$LAST_T" ] ||
	    die "observe $s: now ($(fmt_time "$NOW")) is before step $LAST was done ($(fmt_time "$LAST_T")): the clock is behind the log"
	rm -f "reports/$s.observed"
	case $s in
	4|8|12|ds4)
		[ "$me" = r ] || role_expect_request "$s"
		STEP=$s observe_parent "$s" || {
			say "step $s: not observed; nothing logged"
			exit 1
		}
		;;
	*)
		z=b/step-$s.zone
		[ -f "$z" ] ||
		    die "observe $s: B's zone of step $s: none here: import B's bundle b-$s first (bero-migrate import)"
		# Every operator that published it, together: one serial at
		# all their addresses, B's zone's or a later one (a sync since).
		# shellcheck disable=SC2046
		STEP=$s observe_others "$z" $(step_publishers "$s") || {
			say "step $s: not observed; nothing logged"
			exit 1
		}
		;;
	esac
	t=$(cat "reports/$s.observed") && is_num "$t" ||
	    die "observe $s: reports/$s.observed: not a time"
	maxv "$t" "$LAST_T"
	t=$M
	case $s in
	4|8|12|ds4) role_keep_parent_ds "$s" ;;
	esac
	for x in "${pend[@]}"; do
		p=$(step_parties "$x")
		printf '%s %s %s\n' "$x" "$t" "${p%% *}" >> log || die "log: cannot write"
	done
	say "logged: step ${pend[*]} at $(fmt_time "$t") (observed)"
	exit 0
}

# role_expect_request STEP (A, B): the delegation the parent must serve
# at a parent step, made here as the registry makes its request: the
# apex NS (and glue) of this party's own zone, with the DS of both
# operators' KSKs (steps 4, 8), or of B's alone (step 12).  Into the
# file parent_request names.
role_expect_request() {
	local req ds me
	me=$(role_party)
	req=$(parent_request "$1") || die "step $1: not a step of the parent"
	need "$(current "$me")" a/ds-a.txt b/ds-b.txt
	case $1 in
	12) ds=b/ds-b.txt ;;
	*) ds_union "$req.ds" a/ds-a.txt b/ds-b.txt || die "$req.ds: cannot write"
	   ds=$req.ds ;;
	esac
	mkdir -p r && delegation "$(current "$me")" "$ds" > "$req" ||
	    die "$req: cannot write the delegation expected at step $1"
}

# ds_union OUT FILE...: the DS records of the files, one set, with the
# parent's TTL (TTL_DS_P).
ds_union() {
	local out=$1
	shift
	awk -F '\t' -v OFS='\t' -v t="$TTL_DS_P" '$4 == "DS" { $2 = t; print }' "$@" |
	    sort -u > "$out"
}

# role_keep_parent_ds STEP: the DS RRset every parent address serves,
# once a parent step is observed: the DS set resolvers may now hold
# (history/ds-STEP.txt; the views read it).
role_keep_parent_ds() {
	local f=history/ds-$1.txt
	mkdir -p history published/root || die "history: cannot write"
	parent_ds_served > "$f.new" ||
	    die "step $1: the DS RRset the parent serves cannot be observed: nothing logged"
	mv -f "$f.new" "$f" && cp -- "$f" "$(current ds).new" &&
	    mv -f "$(current ds).new" "$(current ds)" || die "$f: cannot write"
}

# ---------------------------------------------------------------- init

# role_init_keys KEYDIR ZONE: the keys of a party's new directory.  A:
# its existing keys, never new ones (KEYDIR, or the PKCS #11 URIs of
# INIT_URIS matched with ZONE or A's zone by transfer, lib/token.sh); B:
# new ones made by dnssec-keygen, its own from KEYDIR, or its keys in a
# token by URI (-K, -Z); the registry: none.
role_init_keys() {
	[ "$ROLE" != registry ] || { [ -z "$1" ] && [ "${#INIT_URIS[@]}" -eq 0 ]; } ||
	    die "init -R registry: -k: the registry holds no key"
	# The TSIG key first: A's keys by URI may be matched with A's zone
	# as a zone transfer gives it.
	if [ -n "$SECRET" ]; then
		[ "$ROLE" != registry ] ||
		    die "config: TSIG_SECRET: the registry holds no secret (the TSIG key is A's and B's)"
		( umask 077
		printf '%s:%s:%s\n' "$TSIG_ALG" "$TSIG_NAME" "$SECRET" \
		    > keys/tsig.key ) || die "keys/tsig.key: cannot write"
	fi
	case $ROLE in
	a) if [ "${#INIT_URIS[@]}" -gt 0 ]; then
		token_keys a "$2"
	   else
		[ -n "$1" ] || die "init -R a: -k key: A's existing keys are required (A's keys are never made here)"
		role_copy_keys a "$1"
	   fi ;;
	b) if [ "${#INIT_URIS[@]}" -gt 0 ]; then
		token_keys_b
	   elif [ -n "$1" ]; then
		A_SIGNER=berokit role_copy_keys b "$1"
	   else
		party_keygen b "$TLD"
	   fi ;;
	esac
}

# party_keygen PARTY OWNER: a KSK and a ZSK in keys/PARTY (dnssec-keygen:
# key generation is not berokit's job).
party_keygen() {
	dnssec-keygen -q -K "keys/$1" -a "$KEY_ALG" -L "$TTL_KEY" -f KSK \
	    "$2" > /dev/null || die "dnssec-keygen failed"
	dnssec-keygen -q -K "keys/$1" -a "$KEY_ALG" -L "$TTL_KEY" \
	    "$2" > /dev/null || die "dnssec-keygen failed"
}

# role_copy_keys PARTY KEYDIR: the TLD's BIND key files of KEYDIR
# (K<tld>+alg+tag.key, with its .private) into keys/PARTY.  With
# A_SIGNER=berokit every key needs its private file; with external only
# the public keys are taken (a private file there is left where it is);
# unset, the files decide, and init writes the choice into config.
role_copy_keys() {
	local p=$1 dir=$2 k base n=0 priv=0 pub=0 f
	local -a files
	[ -d "$dir" ] || die "$dir: not a directory of key files"
	for k in "$dir"/K"${TLD%.}".+*.key; do
		[ -f "$k" ] || continue
		n=$((n + 1))
		base=${k%.key}
		key_owner_ok "$k" || die "$k: not a DNSKEY of $TLD"
		if [ -f "$base.private" ]; then
			priv=$((priv + 1))
		else
			pub=$((pub + 1))
		fi
	done
	[ "$n" -gt 0 ] || die "$dir: no key file K${TLD%.}.+*.key"
	if [ -z "$A_SIGNER" ]; then
		if [ "$pub" -eq 0 ]; then
			A_SIGNER=berokit
		elif [ "$priv" -eq 0 ]; then
			A_SIGNER=external
		else
			die "$dir: $priv keys with a private file, $pub without: all (A_SIGNER=berokit) or none (external)"
		fi
		[ "$p" != a ] || printf '\n# From init -k: how A signs.\nA_SIGNER=%s\n' \
		    "$A_SIGNER" >> config || die "$DIR/config: cannot write"
	fi
	[ "$A_SIGNER" = external ] || [ "$pub" -eq 0 ] ||
	    die "$dir: $pub keys without their private file: $(role_name "$p") signs with berokit here (A_SIGNER=external when A keeps its own signer)"
	for k in "$dir"/K"${TLD%.}".+*.key; do
		[ -f "$k" ] || continue
		files=("$k")
		[ "$A_SIGNER" = external ] || files+=("${k%.key}.private")
		for f in "${files[@]}"; do
			cp -- "$f" "keys/$p/" && chmod 600 "keys/$p/${f##*/}" ||
			    die "keys/$p: cannot copy $f"
		done
	done
	ksk "$p" > /dev/null
}

# key_owner_ok FILE: the DNSKEY of a .key file is the TLD's.
key_owner_ok() {
	awk -v tld="$TLD" '!/^;/ && NF { for (i = 1; i < NF; i++) if ($i == "DNSKEY") {
	    o = tolower($1); if (o !~ /\.$/) o = o "."; ok = o == tld; exit } }
	    END { exit !ok }' "$1"
}

# check_keys_are "PARTY..." ZONE: the apex DNSKEY RRset of ZONE is
# exactly the keys of keys/PARTY, of each party given (A's zone at
# init: what A serves is what A handed over; both operators' keys from
# step 2a).  A check (fail).
check_keys_are() {
	local p=$1 z=$2 want have only tags= q k
	need "$z"
	for q in $p; do
		tags="$tags$(keytags "$q")" || exit 2
	done
	tags=$(printf '%s\n' $tags | paste -sd ' ')
	want=$(for q in $p; do
		keys "$q"
		for k in "${KEYS[@]}"; do key_rdata "$k.key"; done
	done | sort -u)
	have=$(apex_rrset "$z" DNSKEY | cut -f2 | awk '{ s = $1 " " $2 " " $3 " "
	    for (i = 4; i <= NF; i++) s = s $i; print s }' | sort -u)
	if [ -z "$have" ]; then
		fail "$z has no DNSKEY RRset at $TLD"
	elif [ "$want" = "$have" ]; then
		ok "the DNSKEY RRset of $z is the keys of keys/${p// / and keys/} ($tags)"
	else
		only=$(comm -13 <(printf '%s\n' "$want") <(printf '%s\n' "$have") | wc -l)
		fail "the DNSKEY RRset of $z is not the keys of keys/${p// / and keys/} ($tags): $(comm -23 <(printf '%s\n' "$want") <(printf '%s\n' "$have") | wc -l) of those keys missing from it, $only keys in it not given"
	fi
}

# Step 0 in a party's directory (step-0.sh calls this).  A: its signed
# zone as it is (the file given, or a zone transfer from A_XFR_ADDR),
# whose DNSKEY RRset must be exactly the keys given and which must
# validate from their DS, and from the DS the parent serves when its
# servers are configured; nothing of A's is signed or made here.  B and
# the registry: nothing is served yet.
role_start() {
	case $ROLE in
	a) role_start_a ;;
	b) say "operator B's keys: $(keytags b)"
	   say "  next: step 1, once A's bundle a-0 is imported (bero-migrate import)" ;;
	registry) say "the registry: no key; the parent's servers: ${PARENT_SERVERS:-none configured}" ;;
	esac
}

role_start_a() {
	if [ -n "${BERO_ZONE:-}" ]; then
		run zcanon -z "$TLD" "$BERO_ZONE" '>' a/step-0.zone
	elif [ "$TRANSFER" = axfr ]; then
		transfer a a/step-0.xfr
		run zcanon -z "$TLD" a/step-0.xfr '>' a/step-0.zone
	else
		die "init -R a: -f file: A's signed zone is required (or TRANSFER=axfr from A_XFR_ADDR)"
	fi
	# DS_A: the DS of every key-signing key given (flags 257; SHA-256,
	# RFC 4509).  ds-from-dnskey also checks that each private file
	# there holds the private half of its key.
	party_ksks a
	run ds-from-dnskey -2 -L "$TTL_DS_P" "${KSKS[@]}" '>' a/ds-a.txt

	say "checks:"
	check_keys_are a a/step-0.zone
	if [ -n "${PARENT_SERVERS:-}" ] && declare -F parent_ds_served > /dev/null; then
		parent_ds_served > a/parent.ds ||
		    die "step 0: the DS RRset the parent serves cannot be observed"
		check_ds_served a/parent.ds a/step-0.zone
		chain -D a/parent.ds -- a/step-0.zone
	else
		say "  note: the parent's DS not observed (PARENT_SERVERS empty): A's zone is checked from the DS of the keys given"
	fi
	chain -D a/ds-a.txt -- a/step-0.zone
	verdict
	publish a a/step-0.zone
	# The DS set resolvers may hold: the one the parent serves, as seen.
	[ ! -f a/parent.ds ] || publish ds a/parent.ds
	say "  A signs with: ${A_SIGNER:-berokit}"
}

# party_ksks PARTY: the .key files of the party's key-signing keys
# (flags 257), into the array KSKS; none is an error.
party_ksks() {
	local k
	KSKS=()
	keys "$1"
	for k in "${KEYS[@]}"; do
		[ "$(keyflags "$k.key")" = 257 ] && KSKS+=("$k.key")
	done
	[ "${#KSKS[@]}" -gt 0 ] || die "keys/$1: no key-signing key (flags 257)"
}

# ---------------------------------------------------------------- steps

# role_take_a XFR (step 1 in B's directory): A's zone as A serves it
# (the zone transfer, or the file of A's bundle a-0), checked before B
# uses it: its DNSKEY RRset is exactly the keys of A's bundle, and it
# validates from the DS RRset the parent serves now, which must be the
# one seen when A's bundle was imported.  It becomes what A serves, in
# this directory (published/a; its hook is not run: B's machine serves
# B's zone only).
role_take_a() {
	local xfr=$1
	keys a
	[ "${#KEYS[@]}" -gt 0 ] ||
	    die "step $STEP: keys/a: none: import A's bundle a-0 first (bero-migrate import)"
	need "$(current ds)"
	run zcanon -z "$TLD" "$xfr" '>' "a/step-$STEP.zone"
	if declare -F parent_ds_served > /dev/null && [ -n "${PARENT_SERVERS:-}" ]; then
		parent_ds_served > "a/parent-$STEP.ds" ||
		    die "step $STEP: the DS RRset the parent serves cannot be observed"
		cmp -s <(sort "$(current ds)") <(sort "a/parent-$STEP.ds") ||
		    die "step $STEP: the parent serves another DS RRset than when A's bundle was imported ($(current ds)): a/parent-$STEP.ds"
	else
		die "step $STEP: the DS RRset the parent serves cannot be observed (PARENT_SERVERS)"
	fi
	say "checks (A's zone):"
	check_keys_are a "a/step-$STEP.zone"
	chain -D "$(current ds)" -- "a/step-$STEP.zone"
	verdict
	# A new version only when A serves another zone than the one this
	# directory has (an older version must have an older serial, G5).
	cmp -s "a/step-$STEP.zone" "$(current a)" ||
	    record_other a "a/step-$STEP.zone"
}

# record_other PARTY FILE: what another party serves, as this directory
# has it now (checked): published and kept in the history like a
# publication, without the publish hook.
record_other() {
	local dest
	dest=$(current "$1")
	mkdir -p "$(dirname "$dest")" history || die "$dest: cannot write"
	cp -- "$2" "$dest.new" && mv -f "$dest.new" "$dest" &&
	    cp -- "$2" "history/$1-$STEP.zone" ||
	    die "step $STEP: cannot keep $dest"
	say "  recorded: $dest ($(role_name "$1")'s, as it serves it)"
}

# role_zone_ok STEP ZONE: step -f is A's, when A keeps its own signer:
# the zone its signer made for a step whose part signs (2a, 2b, 6).
role_zone_ok() {
	[ -n "$2" ] || return 0
	[ "$ROLE" = a ] && [ "$A_SIGNER" = external ] ||
	    die "step $1: -f: only A with its own signer (ROLE=a, A_SIGNER=external) gives the zone it signed"
	case $1 in
	2a|2b|6) ;;
	*) die "step $1: -f: only steps 2a, 2b and 6 take the zone A's signer made" ;;
	esac
}

# role_hint STEP: in a party's directory, what this party does about
# the next step (status): run its part, take a bundle, observe another
# party's step, or wait for another party.
role_hint() {
	local s=$1 me w k o
	[ "$ROLE" != all ] || return 0
	me=$(role_party)
	# The bundle a party takes before its part of the step (A's zone
	# comes by transfer instead when TRANSFER=axfr, B's at step 6
	# too).
	case $me-$s in
	b-1) k=a-0 ;;
	a-1|r-1) k=b-1 ;;
	b-2a) k=a-2a ;;
	a-2b) k=b-2a ;;
	b-2b) k=a-2b ;;
	a-6) k=b-6 ;;
	b-6) [ -f reports/6.published ] && k=a-6 ;;
	*) k= ;;
	esac
	case $TRANSFER-$k in
	axfr-a-2a|axfr-a-2b|axfr-b-6) k= ;;
	esac
	if [ -z "$k" ] && [ "$me" = r ] && o=$(role_observable "$s") &&
	    [ "$o" != 4 ] && [ "$o" != 8 ] && [ "$o" != 12 ] && [ "$o" != ds4 ]; then
		k=b-$o
	fi
	if [ -n "$k" ] && ! bundle_taken "$k" > /dev/null; then
		say "  $(role_name "$me") waits for $(role_name "${k%%-*}")'s bundle $k (bero-migrate import)"
		return 0
	fi
	if [ -f "reports/$s.published" ]; then
		say "  $(role_name "$me") published its part of step $s: bero-migrate -d $DIR observe $s logs it once every server concerned serves it"
		return 0
	fi
	if role_has_part "$s"; then
		say "  $(role_name "$me") runs: bero-migrate -d $DIR step $s$( [ "$me" = a ] && [ "$A_SIGNER" = external ] && case $s in 2a|2b|6) printf ' -f file' ;; esac)"
		return 0
	fi
	if o=$(role_observable "$s"); then
		say "  $(role_name "$me") runs, $(role_observe_how "$o"): bero-migrate -d $DIR observe $o"
		return 0
	fi
	say "  $(role_name "$me") waits for $(for w in $(step_parties "$s"); do role_name "$w"; done | paste -sd/ | sed 's,/, and ,g') (step $s)"
}

# role_observed_zone STEP PARTY: the zone whose serial, DNSKEY and NS
# RRsets PARTY's servers must serve for STEP to be done here: in the
# rehearsal, what PARTY published; in a party's directory, its own
# publication, and at B's step 6 A's zone of step 6 from A's bundle a-6
# (B's step 6 is done once A serves B's data too: the waits after it
# count from the later).  Nothing for another party's publication this
# directory does not wait for.  Fails, saying what to do (on standard
# error), when the zone is not here yet.
role_observed_zone() {
	local s=$1 p=$2 z
	z=history/$p-$s.zone
	if [ "$ROLE" != all ] && [ "$ROLE" != "$p" ]; then
		case $ROLE-$s in
		b-6) [ -f "$z" ] || {
			printf "%s: step 6: operator A's part: not here yet: import A's bundle a-6 (bero-migrate import), then bero-migrate observe 6\n" "$PROG" >&2
			return 1
		     } ;;
		*) return 0 ;;
		esac
	fi
	[ -f "$z" ] || die "step $s: $z: not published by this state directory"
	printf '%s\n' "$z"
}
