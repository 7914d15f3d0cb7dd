# lib/bundle.sh: the hand-overs between the parties' directories.
#
# A bundle is a directory: a MANIFEST and the files it lists, nothing
# else.  The MANIFEST is text, one item a line, in this order:
#   berokit-bundle 1          the format and its version
#   from a|b                  the party who made it
#   step STEP                 the step whose part that party had done
#   zone TLD.                 the zone
#   time SECONDS              when that party logged the step
#   file NAME SHA256          each file, with its SHA-256 digest (hex)
# NAME is a file name of the bundle's directory: letters, digits, '.',
# '_', '+' and '-', not starting with '.'; never a path.  The files:
#   K<tld>+alg+tag.key        the sender's public keys (never a .private)
#   dnskey                    the sender's apex DNSKEY RRset with every
#                             signature over it, as it publishes it
#   ds                        the DS (SHA-256, RFC 4509) of its KSKs
#   zone                      its zone, when TRANSFER=file, and always
#                             in the bundles the registry takes (it
#                             transfers no zone) and in b-1, b-6, a-6
#                             (the receiver observes it served)
#                             and in the sync bundles
# The receiver checks all of it before it keeps anything, and keeps
# nothing when one check fails (bero-migrate(1), import).
#
# Sourced by lib.sh, never run alone.

BUNDLE_FORMAT="berokit-bundle 1"

# The bundles of the exchange method, "sender-step:receivers":  B's keys
# after step 1 go to A (step 2a) and the registry (step 3); A's zone and
# keys after step 0 to B (step 1); A's four-key DNSKEY RRset with KSK_A's
# signature and its zone after its step 2a, and again after 2b, to B
# (B's part of the same step), and B's back to A.  B's zone after 2b
# goes to the registry too (the zone whose apex its request of step 3
# gives, and which A's and B's servers must serve first); B's zone of
# step 6 to A (A's part of step 6 takes B's data) and the registry
# (step 7), A's back to B (B's step 6 is done once A serves it); B's
# zone of step 10 to the registry (step 11).  The sync bundles (step
# "sync") carry the source's last sync version to the receiver: A's
# before step 6, B's from step 6 on (lib/sync.sh).  A's refresh bundle
# (step "refresh") carries A's zone as it serves it after its refresh,
# with a new KSK_A signature over the DNSKEY RRset, which B carries
# (from step 2a to step 10).  Double-DS: B's zone of step 2a goes to
# the registry too (its request of step ds3).
bundle_kinds() {
	printf '%s\n' a-0:b b-1:a b-1:r a-2a:b b-2a:a a-2b:b b-2b:a b-2b:r \
	    b-6:a b-6:r a-6:b b-10:r a-sync:b b-sync:a a-refresh:b
	exchanges || printf '%s\n' b-2a:r
	# The back-out (lib/parts-backout.sh): A's zone of b4 and b8 to
	# B, B's back to A and to the registry; A's zone of b12 to the
	# registry (its request of b13); from step 10 on, A's zone with a
	# new KSK_A signature over the four keys to B (exchange), for B's
	# b1, and B's zone of b1 to A and the registry.
	exchanges && printf '%s\n' a-b1:b
	printf '%s\n' b-b1:a b-b1:r a-b4:b b-b4:a b-b4:r a-b8:b b-b8:a b-b8:r a-b12:r
}

# bundle_has_zone KIND: the bundle carries the sender's zone: always
# when the registry takes it or its receiver observes that zone served;
# else when zones move as files (TRANSFER=file).
bundle_has_zone() {
	case $1 in
	b-1|b-2b|b-6|a-6|b-10|*-sync|a-refresh|a-b1|b-b1|b-b4|b-b8|a-b12) return 0 ;;
	b-2a) exchanges || return 0 ;;
	esac
	[ "$TRANSFER" = file ]
}

# export STEP [-o file]: the bundle of this directory's party for a
# step whose part it has done.
cmd_export() {
	local s out= o me
	[ $# -ge 1 ] || usage
	s=$1
	shift
	OPTIND=1
	while getopts :o: o; do
		case $o in
		o) out=$OPTARG ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -eq 0 ] || usage
	valid_step "$s" || [ "$s" = 0 ] || [ "$s" = sync ] || [ "$s" = refresh ] ||
	    backout_title "$s" | grep -q . ||
	    die "export: step $s: no such step (steps: $STEPS; or sync, refresh)"
	[ -n "$out" ] || out=$(role_party)-$s.bundle
	case $out in
	/*) ;;
	*) out=$PWD/$out ;;
	esac
	enter_state
	NOW=$(now) || exit 2
	me=$(role_party)
	[ "$ROLE" != all ] ||
	    die "export: the rehearsal (ROLE=all) hands nothing over: every party is in this directory"
	# (Matched in a variable: grep -q ending a pipeline early would
	# fail it under pipefail.)
	case " $(bundle_kinds | tr '\n' ' ')" in
	*" $me-$s:"*) true ;;
	*) false ;;
	esac ||
	    die "export: $(role_name "$me") hands nothing over after step $s (bundles: $(bundle_kinds | cut -d: -f1 | sort -u | tr '\n' ' '))"
	# A step is exported once done here; B's part of step 6 once
	# published (A's part needs it before the step is done at B).
	[ -n "$(steptime "$s")" ] ||
	    { [ "$me-$s" = b-6 ] && [ -f reports/6.published ] && [ -f history/b-6.zone ]; } ||
	    { [ "$s" = sync ] && bundle_sync_version "$me" > /dev/null; } ||
	    { [ "$s" = refresh ] && [ -n "$(logtime 2a)" ] && [ -z "$(logtime 10)" ]; } ||
	    { [ "$me-$s" = a-b1 ] && backout_a_b1_ok; } ||
	    die "export: step $s is not done here yet (bero-migrate status)"
	[ ! -e "$out" ] || die "$out: exists; a bundle is written to a new name"
	bundle_write "$me" "$s" "$out"
	say "$out: bundle $me-$s for $(bundle_kinds | awk -F: -v k="$me-$s" '$1 == k { print $2 }' | while read -r p; do role_name "$p"; done | paste -sd, | sed 's/,/, /g')"
}

# bundle_write PARTY STEP OUT: made in a new directory next to OUT, then
# renamed: a bundle is complete or absent.
bundle_write() {
	local p=$1 s=$2 out=$3 tmp f z t
	local -a files
	z=history/$p-$s.zone
	[ -f "$z" ] || z=$(current "$p")
	[ "$s" != sync ] || read -r z t <<< "$(bundle_sync_version "$p")"
	[ "$s" != refresh ] || z=$(current "$p") t=$NOW
	need "$z"
	[ "$s" = sync ] || [ "$s" = refresh ] || t=$(steptime "$s")
	[ -n "$t" ] || t=$(cat "reports/$s.observed" 2> /dev/null) || t=
	is_num "$t" || t=$NOW
	tmp=$(mktemp -d "$out.XXXXXX") || die "$out: cannot write"
	trap 'rm -rf "$tmp"' EXIT
	keys "$p"
	[ "${#KEYS[@]}" -gt 0 ] || die "keys/$p: no keys"
	for f in "${KEYS[@]}"; do
		cp -- "$f.key" "$tmp/" || die "$out: cannot write"
	done
	dnskey_fragment "$z" > "$tmp/dnskey" || die "$z: cannot read"
	party_ksks "$p"
	ds-from-dnskey -2 -L "$TTL_DS_P" "${KSKS[@]}" > "$tmp/ds" ||
	    die "ds-from-dnskey failed on keys/$p"
	if bundle_has_zone "$p-$s"; then
		cp -- "$z" "$tmp/zone" || die "$out: cannot write"
	fi
	files=("$tmp"/*)
	{
		printf '%s\nfrom %s\nstep %s\nzone %s\ntime %s\n' \
		    "$BUNDLE_FORMAT" "$p" "$s" "$TLD" "$t"
		for f in "${files[@]}"; do
			printf 'file %s %s\n' "${f##*/}" \
			    "$(sha256sum < "$f" | cut -d' ' -f1)"
		done
	} > "$tmp/MANIFEST" || die "$out: cannot write"
	chmod 700 "$tmp" && mv -T "$tmp" "$out" || die "$out: cannot write"
	trap - EXIT
}

# bundle_sync_version PARTY: "file time" of the last version PARTY
# published by sync as the source (history/interim; lib/sync.sh), when it
# is what the party serves now; fails when there is none.
bundle_sync_version() {
	local x
	[ -f history/interim ] || return 1
	x=$(awk -v p="$1" '$1 == p && $2 ~ /-sync-[0-9]+\.zone$/ { l = $2 " " $3 }
	    END { if (l == "") exit 1; print l }' history/interim) || return 1
	cmp -s "${x%% *}" "$(current "$1")" || return 1
	printf '%s\n' "$x"
}

# ---------------------------------------------------------------- import

# bad LINE MESSAGE: a hostile or broken bundle: nothing is imported.
bundle_bad() {
	die "$BUNDLE/MANIFEST:$1: $2"
}

# bundle_read BUNDLE: check the MANIFEST and every file against it.
# Sets B_FROM, B_STEP, B_ZONE, B_TIME and B_FILES (the names).
bundle_read() {
	local n=0 line w1 w2 w3 x f seen=" " want
	B_FROM= B_STEP= B_ZONE= B_TIME= B_FILES=()
	[ -d "$BUNDLE" ] && [ ! -L "$BUNDLE" ] ||
	    die "$BUNDLE: not a bundle (a directory with a MANIFEST)"
	[ -f "$BUNDLE/MANIFEST" ] && [ ! -L "$BUNDLE/MANIFEST" ] ||
	    die "$BUNDLE/MANIFEST: none (not a bundle)"
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		w1= w2= w3= x=
		read -r w1 w2 w3 x <<< "$line"
		case $n in
		1) [ "$line" = "$BUNDLE_FORMAT" ] ||
		       bundle_bad 1 "'$line': not '$BUNDLE_FORMAT' (a bundle of another format or version)"
		   continue ;;
		2) want=from ;;
		3) want=step ;;
		4) want=zone ;;
		5) want=time ;;
		*) want=file ;;
		esac
		[ "$w1" = "$want" ] ||
		    bundle_bad "$n" "'$line': '$want' expected here"
		if [ "$want" = file ]; then
			[ -n "$w3" ] && [ -z "$x" ] ||
			    bundle_bad "$n" "'$line': not 'file NAME SHA256'"
			case $w2 in
			*/*|.*|*[!A-Za-z0-9._+-]*)
				bundle_bad "$n" "'$w2': not a file name of the bundle (a path, or a name starting with '.')" ;;
			MANIFEST) bundle_bad "$n" "'$w2': the manifest lists itself" ;;
			esac
			case $w3 in
			*[!0-9a-f]*) bundle_bad "$n" "'$w3': not a SHA-256 digest (64 hex digits)" ;;
			esac
			[ "${#w3}" -eq 64 ] ||
			    bundle_bad "$n" "'$w3': not a SHA-256 digest (64 hex digits)"
			case $seen in
			*" $w2 "*) bundle_bad "$n" "'$w2': listed twice" ;;
			esac
			seen="$seen$w2 "
			f=$BUNDLE/$w2
			[ -f "$f" ] && [ ! -L "$f" ] ||
			    bundle_bad "$n" "$w2: not in the bundle (or not a plain file)"
			[ "$(sha256sum < "$f" | cut -d' ' -f1)" = "$w3" ] ||
			    bundle_bad "$n" "$w2: its SHA-256 digest is not the manifest's (changed or cut short)"
			B_FILES+=("$w2")
			continue
		fi
		[ -n "$w2" ] && [ -z "$w3" ] ||
		    bundle_bad "$n" "'$line': not '$want VALUE'"
		case $want in
		from) case $w2 in
		      a|b) ;;
		      *) bundle_bad "$n" "from '$w2': bundles come from operator a or b" ;;
		      esac
		      B_FROM=$w2 ;;
		step) valid_step "$w2" || [ "$w2" = 0 ] || [ "$w2" = sync ] || [ "$w2" = refresh ] ||
		      backout_title "$w2" | grep -q . ||
		          bundle_bad "$n" "step '$w2': no such step"
		      B_STEP=$w2 ;;
		zone) B_ZONE=${w2,,} ;;
		time) is_num "$w2" || bundle_bad "$n" "time '$w2': not seconds since the epoch"
		      B_TIME=$w2 ;;
		esac
	done < "$BUNDLE/MANIFEST" || die "$BUNDLE/MANIFEST: cannot read"
	[ "$n" -ge 6 ] || bundle_bad "$n" "the manifest ends early (cut short)"
	# Nothing in the bundle that the manifest does not list.
	for f in "$BUNDLE"/* "$BUNDLE"/.[!.]* "$BUNDLE"/..?*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		case $seen in
		*" ${f##*/} "*) ;;
		*) [ "${f##*/}" = MANIFEST ] ||
		       die "$BUNDLE/${f##*/}: not in the manifest: nothing imported" ;;
		esac
	done
}

# import BUNDLE [-y digest]...
cmd_import() {
	local o me kind
	local -a confirm=()
	[ $# -ge 1 ] || usage
	BUNDLE=$1
	shift
	OPTIND=1
	while getopts :y: o; do
		case $o in
		y) confirm+=("$OPTARG") ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -eq 0 ] || usage
	case $BUNDLE in
	/*) ;;
	*) BUNDLE=$PWD/$BUNDLE ;;
	esac
	enter_state
	NOW=$(now) || exit 2
	me=$(role_party)
	[ "$ROLE" != all ] ||
	    die "import: the rehearsal (ROLE=all) takes nothing in: every party is in this directory"
	bundle_read
	[ "$B_ZONE" = "$TLD" ] ||
	    bundle_bad 4 "zone $B_ZONE: this directory's is $TLD"
	[ "$B_FROM" != "$me" ] ||
	    bundle_bad 2 "from $B_FROM: a bundle of this directory's own party"
	kind=$B_FROM-$B_STEP
	case " $(bundle_kinds | tr '\n' ' ') " in
	*" $kind:$me "*) true ;;
	*) false ;;
	esac ||
	    bundle_bad 3 "step $B_STEP: $(role_name "$B_FROM")'s bundle after step $B_STEP is not one $(role_name "$me") takes (it takes: $(bundle_kinds | awk -F: -v m="$me" '$2 == m { print $1 }' | tr '\n' ' '))"
	bundle_when "$kind"
	WORK=$(mktemp -d "$PWD/import.XXXXXX") || die "$PWD: cannot write"
	trap 'rm -rf "$WORK"' EXIT
	bundle_check_files
	bundle_check_keys "$kind"
	bundle_confirm "$kind" "${confirm[@]}"
	bundle_check_content "$kind"
	bundle_keep "$kind"
	rm -rf "$WORK"
	trap - EXIT
}

# bundle_when KIND: the bundle comes at its time in this directory's
# log: after the step it follows, before the step it serves.
bundle_when() {
	local last
	last=$(laststep) || die "log: cannot read"
	case $1:$(role_party) in
	a-0:*) [ "$last" = 0 ] && [ ! -e history/a-0.zone ] ;;
	b-1:*) [ "$last" = 0 ] ;;
	a-2a:*) [ "$last" = 1 ] ;;
	b-2a:r) [ "$last" = 1 ] && [ -z "$(bundle_taken b-2a)" ] ;;
	b-2a:*) [ "$last" = 2a ] && [ -z "$(bundle_taken b-2a)" ] ;;
	# Double-DS: B takes A's 2b after the parent's ds4.
	a-2b:*) [ "$last" = 2a ] || { ! exchanges && [ "$last" = ds4 ]; } ;;
	b-2b:r) { [ "$last" = 1 ] || { ! exchanges && [ "$last" = ds4 ]; }; } &&
	    [ -z "$(bundle_taken b-2b)" ] ;;
	b-2b:*) [ "$last" = 2b ] && [ -z "$(bundle_taken b-2b)" ] ;;
	b-6:*) [ "$last" = 5 ] && [ -z "$(bundle_taken b-6)" ] ;;
	a-6:*) [ "$last" = 5 ] && [ -f reports/6.published ] && [ -z "$(bundle_taken a-6)" ] ;;
	b-10:*) [ "$last" = 9 ] && [ -z "$(bundle_taken b-10)" ] ;;
	# The source's sync version: A's while A is the source, B's after.
	a-sync:b) case $last in 1|2a|ds3|ds4|2b|3|4|5) ;; *) false ;; esac ;;
	b-sync:a) case $last in 6|7|8|9|10|11|12) ;; *) false ;; esac ;;
	# A's new exchanged signature: while B carries one.
	a-refresh:b) case $last in 2a|2b|3|4|5|6|7|8|9) ;; *) false ;; esac ;;
	# B's b1 at A, whose log may end at 9 (A observes nothing
	# between 9 and 12): before A's back-out begins.
	b-b1:a) case $last in 9|10|11|12) [ ! -s backout-log ] && [ -z "$(bundle_taken b-b1)" ] ;; *) false ;; esac ;;
	# The back-out's: once the sender's step is logged, before the
	# receiver's part (lib/parts-backout.sh).
	[ab]-b*) case " $(backout_steps "$last") " in
		*" $B_STEP "*) [ -z "$(bundle_taken "${1%%:*}")" ] ;;
		*) false ;;
		esac ;;
	*) false ;;
	esac || bundle_bad 3 "step $B_STEP: not now: this directory's last step is $last$(bundle_taken "$1" | sed 's/^/; /')"
}

# bundle_taken KIND: the line of DIR/imported for a bundle kind taken.
bundle_taken() {
	[ -f imported ] && awk -v k="$1" '$1 == k { print "imported already: " $0; f = 1 }
	    END { exit !f }' imported
}

# Every file is of a kind a bundle has; no private key ever.
bundle_check_files() {
	local f
	for f in "${B_FILES[@]}"; do
		case $f in
		K"${TLD%.}".+[0-9][0-9][0-9]+[0-9][0-9][0-9][0-9][0-9].key) ;;
		dnskey|ds|zone) ;;
		*.private) die "$BUNDLE/$f: a private key: never handed over (nothing imported)" ;;
		*) die "$BUNDLE/$f: not a file a bundle holds (K${TLD%.}.+alg+tag.key, dnskey, ds, zone)" ;;
		esac
		if grep -qE '^(Private-key-format|PrivateKey):' "$BUNDLE/$f"; then
			die "$BUNDLE/$f: holds a private key: never handed over (nothing imported)"
		fi
	done
	for f in dnskey ds; do
		[ -f "$BUNDLE/$f" ] || die "$BUNDLE: no $f file"
	done
}

# The sender's keys: DNSKEYs of the TLD, none of the receiver's own, at
# least one KSK; the DS file is theirs (made again here and compared);
# the sender's own DNSKEY RRset holds every one of them.  Copied to
# WORK/keys.
bundle_check_keys() {
	local p=$B_FROM me k n=0 mine rd f
	me=$(role_party)
	mkdir -p "$WORK/keys" || die "$WORK: cannot write"
	for k in "${B_FILES[@]}"; do
		case $k in
		*.key) ;;
		*) continue ;;
		esac
		key_owner_ok "$BUNDLE/$k" || die "$BUNDLE/$k: not a DNSKEY of $TLD"
		cp -- "$BUNDLE/$k" "$WORK/keys/" || die "$WORK: cannot write"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || die "$BUNDLE: no key of $(role_name "$p")"
	# A key of the receiver's own, or of a third party the receiver
	# knows, is not the sender's.
	for mine in a b; do
		[ "$mine" != "$p" ] || continue
		keys "$mine"
		for k in "${KEYS[@]}"; do
			rd=$(key_rdata "$k.key")
			for f in "$WORK"/keys/*.key; do
				[ "$(key_rdata "$f")" != "$rd" ] ||
				    die "$BUNDLE/${f##*/}: $(role_name "$mine")'s key ${k##*/}, not $(role_name "$p")'s: nothing imported"
			done
		done
	done
	# The DS file: the SHA-256 DS of the KSKs given, made again here.
	WKSKS=()
	for f in "$WORK"/keys/*.key; do
		[ "$(keyflags "$f")" = 257 ] && WKSKS+=("$f")
	done
	[ "${#WKSKS[@]}" -gt 0 ] ||
	    die "$BUNDLE: no key-signing key of $(role_name "$p") (flags 257)"
	ds-from-dnskey -2 "${WKSKS[@]}" | ds_norm > "$WORK/ds.mine" ||
	    die "$BUNDLE: ds-from-dnskey failed on its keys"
	ds_norm < "$BUNDLE/ds" > "$WORK/ds.given"
	cmp -s "$WORK/ds.mine" "$WORK/ds.given" ||
	    die "$BUNDLE/ds: not the DS of the bundle's key-signing keys: nothing imported"
	# Every key given is in the sender's DNSKEY RRset.
	dnskey_rdatas "$BUNDLE/dnskey" > "$WORK/rdatas" ||
	    die "$BUNDLE/dnskey: cannot read"
	for f in "$WORK"/keys/*.key; do
		grep -qxF -- "$(key_rdata "$f")" "$WORK/rdatas" ||
		    die "$BUNDLE/dnskey: does not hold ${f##*/}, a key of the bundle"
	done
}

# dnskey_rdatas FILE: the apex DNSKEY RDATA of a zone or fragment, one
# a line, in key_rdata's form (the key in one word).
dnskey_rdatas() {
	awk -F '\t' -v o="$TLD" 'tolower($1) == o && $4 == "DNSKEY" { print $5 }' "$1" |
	    awk '{ s = $1 " " $2 " " $3 " "; for (i = 4; i <= NF; i++) s = s $i
		print s }' | sort -u
}

# bundle_confirm KIND DIGEST...: B's keys are taken by A and the registry
# only once every SHA-256 DS digest of B's KSKs (RFC 4509), checked out
# of band, is given with -y; else they are shown and the import refused
# (exit 1).  A digest given that no KSK of the bundle has is refused the
# same way.
bundle_confirm() {
	local kind=$1 d want given g missing= extra=
	shift
	case $kind in
	b-1) ;;
	*) return 0 ;;
	esac
	given=$(for g; do printf '%s\n' "$g"; done | tr -d ' :' | tr a-f A-F | sort -u)
	case $given in
	*[!0-9A-F$'\n']*) die "import: -y: not a digest in hexadecimal: $(printf '%s' "$given" | grep '[^0-9A-F]' | head -n 1)" ;;
	esac
	want=$(awk '$3 == 2 { print $4 }' "$WORK/ds.mine" | sort -u)
	for d in $want; do
		case " $(printf '%s ' $given)" in
		*" $d "*) ;;
		*) missing="$missing $d" ;;
		esac
	done
	for g in $given; do
		case " $(printf '%s ' $want)" in
		*" $g "*) ;;
		*) extra="$extra $g" ;;
		esac
	done
	[ -z "$missing" ] && [ -z "$extra" ] && return 0
	say "the DS of $(role_name b)'s key-signing keys in $BUNDLE (SHA-256, RFC 4509):"
	awk '$3 == 2 { printf "  %s DS %s %s %s %s\n", tld, $1, $2, $3, $4 }' \
	    tld="$TLD" "$WORK/ds.mine"
	[ -z "$extra" ] ||
	    printf '%s: import: -y%s: not the digest of any key-signing key in %s: nothing imported\n' \
	        "$PROG" "$extra" "$BUNDLE" >&2
	[ -z "$missing" ] ||
	    printf '%s: import: confirm each digest above with operator B out of band, then give it with -y: nothing imported\n' \
	        "$PROG" >&2
	exit 1
}

# same_keys LABEL FILE WANT: the DNSKEY RDATA of FILE (a fragment or
# zone) are exactly WANT (lines); else the import is refused, naming
# how many differ.
same_keys() {
	local have
	have=$(dnskey_rdatas "$2")
	[ "$have" = "$3" ] && return 0
	die "$BUNDLE/${2##*/}: its DNSKEY RRset differs from $1: $(comm -13 <(printf '%s\n' "$3") <(printf '%s\n' "$have") | grep -c .) keys only in the bundle, $(comm -23 <(printf '%s\n' "$3") <(printf '%s\n' "$have") | grep -c .) missing from it: nothing imported"
}

# rdatas_of PARTY...: the RDATA of the keys of keys/PARTY, sorted.
rdatas_of() {
	local p k
	for p; do
		keys "$p"
		for k in "${KEYS[@]}"; do
			key_rdata "$k.key"
		done
	done | sort -u
}

# signed_by_ksk FILE PARTY: the DNSKEY RRset of FILE carries an RRSIG
# by one of PARTY's KSKs (by key tag and algorithm; zcheck-chain
# verifies it when the step carries it into a zone).
signed_by_ksk() {
	local k t
	party_ksks "$2"
	for k in "${KSKS[@]}"; do
		t=$(printf '%s\n' "${k##*/}" | awk -F '+' '{ print ($3 + 0) "/" ($2 + 0) }')
		awk -F '\t' -v o="$TLD" -v t="$t" 'tolower($1) == o && $4 == "RRSIG" {
		    split($5, f, " "); if (f[1] == "DNSKEY" && f[7] "/" f[2] == t) x = 1 }
		    END { exit !x }' "$1" && return 0
	done
	return 1
}

# The content, per bundle: what the receiver checks before it keeps it.
bundle_check_content() {
	local kind=$1 keysin zone=
	keysin=$(for f in "$WORK"/keys/*.key; do key_rdata "$f"; done | sort -u)
	[ -f "$BUNDLE/zone" ] && zone=$BUNDLE/zone
	if [ -n "$zone" ]; then
		zcanon -z "$TLD" "$zone" > "$WORK/zone" 2> "$WORK/zcanon.err" ||
		    die "$BUNDLE/zone: $(head -n 1 "$WORK/zcanon.err")"
		# The RRset handed over is the one the zone serves.
		cmp -s <(dnskey_fragment "$WORK/zone" | sort) \
		    <(zcanon -F -z "$TLD" "$BUNDLE/dnskey" 2> /dev/null | sort) ||
		    die "$BUNDLE/dnskey: not the DNSKEY RRset and signatures of $BUNDLE/zone: nothing imported"
	fi
	if [ "$kind" = a-b12 ]; then
		backout_check_a_b12 "$keysin"
		return
	fi
	if [ "$(role_party)" = r ] && [ "$kind" != b-1 ]; then
		bundle_check_registry "$kind" "$keysin"
		return
	fi
	case $kind in
	b-1)
		# B at step 1 publishes its own keys only; its step is done
		# here once every address of B's servers serves that zone.
		same_keys "the keys of the bundle" "$BUNDLE/dnskey" "$keysin"
		[ -n "$zone" ] || die "$BUNDLE: no zone: B's zone of step 1 is needed to observe it served"
		bundle_observed b "$WORK/zone" 1
		;;
	a-0)
		same_keys "the keys of the bundle" "$BUNDLE/dnskey" "$keysin"
		# KSK_A against the DS_A the parent serves: every DS the
		# parent serves names a key-signing key of the bundle.
		declare -F parent_ds_served > /dev/null ||
		    die "import: the DS the parent serves cannot be observed here (no scripts/lib/observe.sh): nothing imported"
		parent_ds_served > "$WORK/parent.ds" ||
		    die "import: the DS RRset the parent serves cannot be observed: nothing imported"
		ds-from-dnskey -2 -4 "${WKSKS[@]}" | ds_norm > "$WORK/ds.all" ||
		    die "import: ds-from-dnskey failed"
		if ds_norm < "$WORK/parent.ds" | grep -vxF -f "$WORK/ds.all" > "$WORK/ds.other"; then
			die "import: the parent serves DS $(cut -d' ' -f1,2 "$WORK/ds.other" | tr ' \n' '/ ')that names no key-signing key of $BUNDLE: not operator A's keys: nothing imported"
		fi
		if [ -n "$zone" ]; then
			zcheck-chain -t "$NOW" "${ZCHECK_WORDS[@]}" -D "$WORK/parent.ds" \
			    "$WORK/zone" > "$WORK/chain.out" 2>&1 ||
			    die "import: $BUNDLE/zone does not validate from the DS the parent serves: $(grep -v warning "$WORK/chain.out" | head -n 3 | tr '\n' ' ')"
		fi
		;;
	a-sync|b-sync)
		[ "$keysin" = "$(rdatas_of "$B_FROM")" ] ||
		    die "$BUNDLE: its keys are not those of $(role_name "$B_FROM") taken before (keys/$B_FROM): nothing imported"
		[ -n "$zone" ] || die "$BUNDLE: no zone: a sync bundle carries the source's zone"
		# Newer than what this directory serves: an older one would
		# take back the source's later changes (RFC 1982).
		serial_gt "$(serial "$WORK/zone")" "$(serial "$(current "$(role_party)")")" ||
		    die "$BUNDLE/zone: serial $(serial "$WORK/zone") does not follow $(serial "$(current "$(role_party)")"), the one served here: an older version of the source's data; nothing imported"
		;;
	a-refresh)
		[ "$keysin" = "$(rdatas_of a)" ] ||
		    die "$BUNDLE: its keys are not those of operator A taken before (keys/a): nothing imported"
		[ -n "$zone" ] || die "$BUNDLE: no zone: A's refresh bundle carries A's zone"
		same_keys "$(role_name b)'s own (keys/a and keys/b)" \
		    "$BUNDLE/dnskey" "$(rdatas_of a b)"
		signed_by_ksk "$BUNDLE/dnskey" a ||
		    die "$BUNDLE/dnskey: no signature by KSK_A over the DNSKEY RRset: nothing imported"
		;;
	a-2a|b-2a|a-2b|b-2b|b-6|a-6|a-b1|b-b1|a-b4|b-b4|a-b8|b-b8)
		[ "$keysin" = "$(rdatas_of "$B_FROM")" ] ||
		    die "$BUNDLE: its keys are not those of $(role_name "$B_FROM") taken before (keys/$B_FROM): nothing imported"
		# The RRset both publish: the receiver's own and the sender's.
		same_keys "$(role_name "$(role_party)")'s own (keys/a and keys/b)" \
		    "$BUNDLE/dnskey" "$(rdatas_of a b)"
		if [ "$B_FROM" = a ]; then
			signed_by_ksk "$BUNDLE/dnskey" a ||
			    die "$BUNDLE/dnskey: no signature by KSK_A over the DNSKEY RRset: nothing imported"
		elif ! exchanges; then
			# Double-DS: B signs with its own KSK only.
			signed_by_ksk "$BUNDLE/dnskey" b ||
			    die "$BUNDLE/dnskey: no signature by KSK_B over B's DNSKEY RRset: nothing imported"
			same_keys "what A publishes ($(current a))" "$BUNDLE/dnskey" \
			    "$(dnskey_rdatas "$(current a)")"
		else
			signed_by_ksk "$BUNDLE/dnskey" a ||
			    die "$BUNDLE/dnskey: B's DNSKEY RRset does not carry KSK_A's signature: nothing imported"
			same_keys "what A publishes ($(current a))" "$BUNDLE/dnskey" \
			    "$(dnskey_rdatas "$(current a)")"
		fi
		# A's zone for B's b1: KSK_A's signature over the four keys,
		# verified: the zone validates from DS_A (a/ds-a.txt, from
		# A's bundle a-0, checked then against the parent's DS).
		if [ "$kind" = a-b1 ]; then
			[ -n "$zone" ] || die "$BUNDLE: no zone: A's zone is needed for B's b1"
			need a/ds-a.txt
			zcheck-chain -t "$NOW" "${ZCHECK_WORDS[@]}" -D a/ds-a.txt "$WORK/zone" \
			    > "$WORK/chain.out" 2>&1 ||
			    die "import: $BUNDLE/zone does not validate from DS_A (a/ds-a.txt): $(grep -v warning "$WORK/chain.out" | head -n 3 | tr '\n' ' ')nothing imported"
		fi
		# A's zone of step 6: B's data, its serial and apex NS, which
		# B published first (A takes it only once B serves it).
		if [ "$kind" = a-6 ]; then
			[ -n "$zone" ] || die "$BUNDLE: no zone: A's zone of step 6 is needed"
			[ "$(serial "$WORK/zone")" = "$(serial history/b-6.zone)" ] &&
			    [ "$(apex_ns "$WORK/zone")" = "$(apex_ns history/b-6.zone)" ] ||
			    die "$BUNDLE/zone: not the serial and apex NS of B's zone of step 6 (history/b-6.zone): nothing imported"
		fi
		;;
	esac
}

# bundle_check_registry KIND KEYS: B's zone for the registry (b-2b, b-6,
# b-10): B's keys as taken with b-1, and the zone validates both from
# the DS RRset every parent address serves now and from DS_B alone.
# Double-DS's b-2a, signed by KSK_B only before DS_B is at the parent:
# from DS_B alone.
bundle_check_registry() {
	local kind=$1
	[ -n "$zone" ] || die "$BUNDLE: no zone: the registry takes B's zone from the bundle"
	[ "$2" = "$(rdatas_of b)" ] ||
	    die "$BUNDLE: its keys are not those of operator B taken with b-1 (keys/b): nothing imported"
	parent_ds_served > "$WORK/parent.ds" ||
	    die "import: the DS RRset the parent serves cannot be observed: nothing imported"
	local d dsets=("$WORK/parent.ds" b/ds-b.txt)
	[ "$kind" != b-2a ] || dsets=(b/ds-b.txt)
	for d in "${dsets[@]}"; do
		zcheck-chain -t "$NOW" "${ZCHECK_WORDS[@]}" -D "$d" "$WORK/zone" \
		    > "$WORK/chain.out" 2>&1 ||
		    die "import: $BUNDLE/zone does not validate from $( [ "$d" = b/ds-b.txt ] && echo "DS_B (b/ds-b.txt)" || echo "the DS the parent serves"): $(grep -v warning "$WORK/chain.out" | head -n 3 | tr '\n' ' ')nothing imported"
	done
}

# bundle_observed PARTY ZONE STEP: the party's step, whose zone the
# bundle brings, is served on every address of its servers (B_SERVERS),
# its serial or a later one (observe.sh, operators_serve_from: a sync
# since): the time this directory logs for it; else nothing is imported
# (exit 1: import again once it is served).
bundle_observed() {
	STEP=$3 observe_until operators_serve_from "$2" "$1" || {
		say "import: step $3 of $(role_name "$1") is not served on every address of its servers (above): nothing imported; import again once it is"
		exit 1
	}
	B_OBSERVED=$OBSERVED
}

# Keep what was checked, and note the import in DIR/imported.
bundle_keep() {
	local kind=$1 f t
	case $kind in
	b-1|a-0)
		for f in "$WORK"/keys/*.key; do
			cp -- "$f" "keys/$B_FROM/" || die "keys/$B_FROM: cannot write"
		done ;;
	esac
	mkdir -p "$B_FROM" || die "$B_FROM: cannot write"
	cp -- "$BUNDLE/dnskey" "$B_FROM/step-$B_STEP.dnskey" &&
	    cp -- "$BUNDLE/ds" "$B_FROM/ds-$B_FROM.txt" ||
	    die "$B_FROM: cannot write"
	case $kind in
	a-0)
		mkdir -p history published/root || die "history: cannot write"
		cp -- "$WORK/parent.ds" history/ds-0.txt &&
		    cp -- "$WORK/parent.ds" published/root/ds.txt ||
		    die "history/ds-0.txt: cannot write"
		if [ -f "$WORK/zone" ]; then
			cp -- "$WORK/zone" history/a-0.zone &&
			    cp -- "$WORK/zone" "$(current a)" ||
			    die "$(current a): cannot write"
		fi ;;
	a-2a|a-2b|a-b1|a-b4|a-b8)
		if [ -f "$WORK/zone" ]; then
			cp -- "$WORK/zone" "a/step-$B_STEP.xfr" ||
			    die "a/step-$B_STEP.xfr: cannot write"
		fi ;;
	a-b12)
		# The registry: A's zone without B's keys (b13's request).
		mkdir -p a || die "a: cannot write"
		cp -- "$WORK/zone" a/step-b12.zone || die "a/step-b12.zone: cannot write" ;;
	b-b1|b-b4|b-b8)
		# The registry: B's zone, for b2, b5 and b9; A: what B
		# serves (and B's zone of b1, which A observes served).
		mkdir -p b history published/b || die "b: cannot write"
		if [ "$kind" = b-b1 ]; then
			cp -- "$WORK/zone" b/step-b1.zone ||
			    die "b/step-b1.zone: cannot write"
		fi
		if [ "$(role_party)" = r ]; then
			cp -- "$WORK/zone" "b/step-$B_STEP.zone" ||
			    die "b/step-$B_STEP.zone: cannot write"
		else
			STEP=$B_STEP record_other b "$WORK/zone" > /dev/null
		fi ;;
	b-2a|b-2b|b-6|b-10)
		# The registry: B's zone, the apex its requests give.  A: B's
		# zone of step 6, the data of its own part.
		if [ "$(role_party)" = r ]; then
			# Also a version of B's in the history: its TTLs are
			# the waits' once the step is logged here.
			mkdir -p history || die "history: cannot write"
			cp -- "$WORK/zone" "b/step-$B_STEP.zone" &&
			    cp -- "$WORK/zone" "history/b-$B_STEP.zone" ||
			    die "b/step-$B_STEP.zone: cannot write"
		elif [ -f "$WORK/zone" ]; then
			cp -- "$WORK/zone" "b/step-$B_STEP.xfr" ||
			    die "b/step-$B_STEP.xfr: cannot write"
		fi ;;
	a-refresh)
		# A's zone with its new KSK_A signature, for B's refresh.
		cp -- "$WORK/zone" a/refresh.zone ||
		    die "a/refresh.zone: cannot write" ;;
	a-sync|b-sync)
		# The source's new zone, for the receiver's sync.
		cp -- "$WORK/zone" "$B_FROM/sync.xfr" ||
		    die "$B_FROM/sync.xfr: cannot write" ;;
	a-6)
		# What A serves from its step 6 on, in B's views.
		mkdir -p published/a history || die "history: cannot write"
		cp -- "$WORK/zone" history/a-6.zone &&
		    cp -- "$WORK/zone" "$(current a).new" &&
		    mv -f "$(current a).new" "$(current a)" ||
		    die "$(current a): cannot write" ;;
	b-1)
		# Step 1 is B's: logged when every address of B's servers
		# was seen serving B's zone of step 1, never before the last
		# line of this log (the time in the bundle is B's word only).
		maxv "$B_OBSERVED" "$LAST_T"
		t=$M
		printf '1 %s b\n' "$t" >> log || die "log: cannot write" ;;
	esac
	printf '%s %s %s\n' "$kind" "$NOW" \
	    "$(sha256sum < "$BUNDLE/MANIFEST" | cut -d' ' -f1)" >> imported ||
	    die "imported: cannot write"
	say "imported: $(role_name "$B_FROM")'s bundle after step $B_STEP ($BUNDLE)"
}
