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

# The parties who do a part of a step (method exchange), as letters:
# the parent's steps are "root", the waits everyone's.
step_parties() {
	case $1 in
	0) echo "a b r" ;;
	1|10) echo b ;;
	2a|2b) echo "a b" ;;
	6) echo "b a" ;;
	3|7|11) echo r ;;
	4|8|12) echo root ;;
	5|9) echo "a b r" ;;
	13) echo a ;;
	esac
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
# for this directory's party.
role_may_run() {
	local me w who=
	[ "$ROLE" = all ] && return 0
	me=$(role_party)
	for w in $(step_parties "$1"); do
		if [ "$w" = "$me" ]; then
			role_part_written "$1" "$me"
			return 0
		fi
		who="${who:+$who and }$(role_name "$w")"
	done
	case $1 in
	4|8|12) die "step $1 is the parent's (IANA publishes the root zone): it is recorded when every parent address serves it (bero-migrate observe $1), never run here" ;;
	esac
	die "step $1 is run by $who in its own state directory; this one is $(role_name "$me")'s (config ROLE=$ROLE)"
}

# role_part_written STEP PARTY: refuse, rather than run the rehearsal's
# script on one party's files, a part not written for a party's own
# directory (lib/parts.sh): fail closed.
role_part_written() {
	case $2-$1 in
	b-1|a-2a|b-2a|a-2b|b-2b) return 0 ;;
	esac
	die "step $1: $(role_name "$2")'s part is not written for a party's own directory yet; it runs in the rehearsal (ROLE=all) only"
}

# ---------------------------------------------------------------- init

# role_init_keys KEYDIR: the keys of a party's new directory.  A: its
# existing keys, never new ones (KEYDIR required); B: new ones made by
# dnssec-keygen, or its own from KEYDIR; the registry: none.
role_init_keys() {
	case $ROLE in
	a) [ -n "$1" ] || die "init -r a: -K keydir: A's existing keys are required (A's keys are never made here)"
	   role_copy_keys a "$1" ;;
	b) if [ -n "$1" ]; then
		A_SIGNER=berokit role_copy_keys b "$1"
	   else
		party_keygen b "$TLD"
	   fi ;;
	registry) [ -z "$1" ] || die "init -r registry: -K: the registry holds no key" ;;
	esac
	if [ -n "$SECRET" ]; then
		[ "$ROLE" != registry ] ||
		    die "config: TSIG_SECRET: the registry holds no secret (the TSIG key is A's and B's)"
		( umask 077
		printf '%s:%s:%s\n' "$TSIG_ALG" "$TSIG_NAME" "$SECRET" \
		    > keys/tsig.key ) || die "keys/tsig.key: cannot write"
	fi
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
		[ "$p" != a ] || printf '\n# From init -K: how A signs.\nA_SIGNER=%s\n' \
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
		die "init -r a: -z zone: A's signed zone is required (or TRANSFER=axfr from A_XFR_ADDR)"
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
		chain -d a/parent.ds -- a/step-0.zone
	else
		say "  note: the parent's DS not observed (PARENT_SERVERS empty): A's zone is checked from the DS of the keys given"
	fi
	chain -d a/ds-a.txt -- a/step-0.zone
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
	chain -d "$(current ds)" -- "a/step-$STEP.zone"
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

# role_zone_ok STEP ZONE: step -z is A's, when A keeps its own signer:
# the zone its signer made for a step whose part signs (2a, 2b).
role_zone_ok() {
	[ -n "$2" ] || return 0
	[ "$ROLE" = a ] && [ "$A_SIGNER" = external ] ||
	    die "step $1: -z: only A with its own signer (ROLE=a, A_SIGNER=external) gives the zone it signed"
	case $1 in
	2a|2b) ;;
	*) die "step $1: -z: only steps 2a and 2b take the zone A's signer made" ;;
	esac
}

# role_hint STEP: in a party's directory, what this party does about
# the next step (status): run its part, or wait for the bundle or the
# step of another party.
role_hint() {
	local s=$1 me w k
	[ "$ROLE" != all ] || return 0
	me=$(role_party)
	# The bundle a party takes before its part of the step (A's zone
	# comes by transfer instead when TRANSFER=axfr).
	case $me-$s in
	b-1) k=a-0 ;;
	a-1|r-1) k=b-1 ;;
	b-2a) k=a-2a ;;
	a-2b) k=b-2a ;;
	b-2b) k=a-2b ;;
	*) k= ;;
	esac
	case $TRANSFER-$k in
	axfr-a-2a|axfr-a-2b) k= ;;
	esac
	if [ -n "$k" ] && ! bundle_taken "$k" > /dev/null; then
		say "  $(role_name "$me") waits for $(role_name "${k%%-*}")'s bundle $k (bero-migrate import)"
		return 0
	fi
	for w in $(step_parties "$s"); do
		if [ "$w" = "$me" ]; then
			say "  $(role_name "$me") runs: bero-migrate -d $DIR step $s$( [ "$me" = a ] && [ "$A_SIGNER" = external ] && case $s in 2a|2b) printf ' -z zone' ;; esac)"
			return 0
		fi
	done
	say "  $(role_name "$me") waits for $(for w in $(step_parties "$s"); do role_name "$w"; done | paste -sd/ | sed 's,/, and ,g') (step $s)"
}
