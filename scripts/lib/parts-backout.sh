# lib/parts-backout.sh: the back-out (bero-migration(7), BACK-OUT) in a
# party's own directory (ROLE=a, b, registry; lib/role.sh), for both
# methods.  'bero-migrate backout' runs this party's part of the next
# back-out step, with its wait and checks, or logs another party's step
# once it is observed here, as 'step' and 'observe' do for the forward
# steps: the parent's b3, b6, b10, b14 when every parent address serves
# the delegation expected; at the registry, the operators' b4 and b8
# when every address of A's and B's servers serves B's zone of that
# step (bundle b-b4, b-b8), and A's b12 when A's servers serve A's zone
# (bundle a-b12); the steps of others before it that leave no trace
# here (the registry's requests; at B, A's b12) with it, at that time.
#
# A goes first in b4 and b8 (as in 2a and 2b): B takes A's serial, and
# with the exchange KSK_A's signature, from A's zone of the step (bundle
# a-b4, a-b8, or a zone transfer).
#
# From step 10 on, B's b1 puts A's keys back in B's DNSKEY RRset: with
# the exchange, with a new KSK_A signature over the four keys from A's
# zone as A serves it then (bundle a-b1, or a zone transfer; the one B
# carried until step 10 may have run short since, and B never carries
# its own).  The registry and A log b1 once every address of B's
# servers serves B's zone of b1 (bundle b-b1); A, which observes no
# step between 9 and 12, backs out from 10 and 11 as from 9 with b1
# added once it has taken b-b1, so that its b4 waits for b1 as the
# rehearsal's does; without b-b1, whether B did step 10 is observed on
# B's servers before A's first back-out step, never assumed
# (backout_a_no_b1).  From step 12, the registry's b2 asks for DS_A (the
# DS the parent served at step 8, before 12 took it out) and DS_B; the
# parent's b3 is logged when every parent address serves it.
#
# Sourced by lib.sh (through parts.sh), never run alone.

# backout_role_parties BSTEP: the parties with a part of a back-out
# step in their own directories: a, b, r; the parent's steps none.
backout_role_parties() {
	case $1 in
	b4|b8) echo "a b" ;;
	b7|b11) echo "a b r" ;;
	b12) echo a ;;
	b15) echo b ;;
	b2|b5|b9|b13) echo r ;;
	b1) echo b ;;
	esac
}

# backout_b1_seen LAST: at A, whose log ends at 9 while B did step 10
# (A observes nothing between 9 and 12), B's b1 is known once B's bundle
# b-b1 is taken: the back-out from there has b1 (backout_needs).
backout_b1_seen() {
	[ "${ROLE:-all}" = a ] && [ "$1" = 9 ] && [ -f imported ] &&
	    bundle_taken b-b1 > /dev/null
}

# backout_a_no_b1 BSTEP (A's first back-out step, from its step 9,
# with no b-b1 taken): whether B did step 10, which A's log does not
# show, is observed on B's servers, never assumed.  Every address of
# B's servers must serve, with A's keys (keys/a) in its DNSKEY RRset,
# the serial of B's zone here (current b) or of A's own (A's refresh
# takes B's serial, G5): B has published nothing A does not follow, so
# there is no b1 to wait for.  An address that serves a DNSKEY RRset
# without A's keys (B's step 10: A's b4 would then run while a resolver
# may hold that RRset, and bring NS_A back to it, bogus), or another
# serial (B's b1, or a sync or refresh A has not followed: A's b4
# serial must follow it, G5, RFC 1982): refused.  One that cannot be
# asked: nothing is logged (fail closed, exit 1).
backout_a_no_b1() {
	local s=$1 name addr port got keys serial own want
	want=$(current b)
	need "$want" "$(current a)"
	serial=$(serial "$want") && own=$(serial "$(current a)") ||
	    die "backout step $s: $want or $(current a): no SOA serial"
	keys=$(rdatas_of a)
	[ -n "$keys" ] || die "backout step $s: keys/a: none"
	while read -r name addr port; do
		got=$(ask "$addr" "$port" "$TLD" DNSKEY answer) || {
			say "back-out step $s: $name ($addr port $port) of operator B cannot be asked: whether B did step 10 (A's keys out of its DNSKEY RRset), which A's log, ending at 9, does not show, cannot be observed; nothing logged"
			exit 1
		}
		[ -z "$(comm -23 <(printf '%s\n' "$keys") \
		    <(printf '%s\n' "$got" | dnskey_rdatas /dev/stdin))" ] ||
		    die "backout step $s refused: $name ($addr port $port) of operator B serves a DNSKEY RRset without A's keys: B did step 10, which A's log does not show; A's back-out waits for B's back-out step b1, which puts them back: $(exchanges && echo "export b1 for B (A's zone with a new KSK_A signature), then ")import B's bundle b-b1 once B did it (bero-migrate import); nothing logged"
		got=$(ask "$addr" "$port" "$TLD" SOA answer) &&
		    got=$(rrset <(printf '%s\n' "$got") "$TLD" SOA | cut -f 4 |
		        awk '{ print $3 }') && [ -n "$got" ] || {
			say "back-out step $s: $name ($addr port $port) of operator B: its SOA serial cannot be asked; nothing logged"
			exit 1
		}
		[ "$got" = "$serial" ] || [ "$got" = "$own" ] ||
		    die "backout step $s refused: $name ($addr port $port) of operator B serves serial $got, not $serial of B's zone here ($want) nor $own of A's: B published a zone A has not followed, whose serial A's b4 must follow (G5, RFC 1982): after B's step 10, its back-out step b1 (import B's bundle b-b1); else a sync (import B's sync bundle) or a refresh of B's (A's refresh takes its serial); nothing logged"
	done < <(servers_of b)
	say "  observed: every address of operator B serves serial $got with A's keys in its DNSKEY RRset at $(fmt_time "$NOW"): B did no step 10 since, no b1 to wait for"
}

# backout_a_b1_ok: A may hand over its zone for B's b1 (bundle a-b1,
# with the exchange): B may be at step 10 to 12 while A's log is at 9
# to 12, and A's back-out has not begun.
backout_a_b1_ok() {
	local last
	exchanges && [ ! -s backout-log ] || return 1
	last=$(laststep) || return 1
	case $last in
	9|10|11|12) return 0 ;;
	esac
	return 1
}

# backout_ds_a OUT (b2, b3): DS_A as the parent served it at step 8, the
# last DS set seen before step 12 took DS_A out (history/ds-8.txt),
# without DS_B: what b2 asks for again, with DS_B.
backout_ds_a() {
	need history/ds-8.txt b/ds-b.txt
	awk -F '\t' 'NR == FNR { if ($4 == "DS") b[tolower($5)] = 1; next }
	    $4 == "DS" && !(tolower($5) in b)' b/ds-b.txt history/ds-8.txt \
	    > "$1" || die "$1: cannot write"
	[ -s "$1" ] ||
	    die "backout step $STEP refused: history/ds-8.txt: the parent served no DS but DS_B at step 8: no DS_A to ask for again; nothing asked"
}

# backout_has_part BSTEP: this directory's party does a part of it.
backout_has_part() {
	local w
	for w in $(backout_role_parties "$1"); do
		[ "$w" = "$(role_party)" ] && return 0
	done
	return 1
}

# backout_observable BSTEP: this directory logs BSTEP, another party's,
# by observing it (the parent's steps everywhere; at the registry the
# operators' b4, b8, b12 from their bundles).
backout_observable() {
	case $(role_party)-$1 in
	*-b3|*-b6|*-b10|*-b14|a-b1|r-b1|r-b4|r-b8|r-b12) return 0 ;;
	esac
	return 1
}

# role_backout BSTEP ZONE: the back-out in a party's directory (the
# driver's backout, with the log and the back-out log read and BSTEP
# the next back-out step).  Exits: 0 logged, 1 not observed yet or a
# check failed, 2 refused.
role_backout() {
	local s=$1 zone=$2 me rc
	me=$(role_party)
	if [ -n "$zone" ]; then
		[ "$me" = a ] && [ "$A_SIGNER" = external ] ||
		    die "backout -f: only A with its own signer (ROLE=a, A_SIGNER=external) gives the zone it signed"
		case $s in
		b4|b8|b12) ;;
		*) die "backout step $s: -f: only A's parts of b4, b8 and b12 take the zone A's signer made" ;;
		esac
	fi
	backout_has_part "$s" || role_backout_observe "$s"
	[ "$me" != a ] || [ -n "$BLAST" ] || [ "$LAST" != 9 ] ||
	    backout_b1_seen "$LAST" || backout_a_no_b1 "$s"
	backout_due "$s"
	[ "$NOW" -ge "$DUE" ] ||
	    die "backout step $s refused: wait $(fmt_dur $((DUE - NOW))) more, until $(fmt_time "$DUE"): bero-migration(7), BACK-OUT, step $s: $RULE"
	: > "reports/$s.pipeline"
	: > "reports/$s.check"
	: > "reports/$s.diff"
	rm -f "reports/$s.observed"
	{
		say "== back-out step $s ($(role_name "$me")'s part) at $(fmt_time "$NOW"), back from step $LAST: $(backout_title "$s")"
		[ -n "$BLAST" ] || [ "$me" != r ] || backout_withdraw "$LAST"
		STEP=$s NOW=$NOW BERO_ZONE=$zone bash "$BERO_SHARE/step-$s.sh" 9>&-
	} > "reports/$s.out"
	rc=$?
	[ "$rc" -gt 1 ] || cat "reports/$s.out"
	case $rc in
	0) ;;
	1) exit 1 ;;
	*) exit 2 ;;
	esac
	# What this party published is logged once its servers serve it.
	case $s in
	b1|b4|b8|b12)
		STEP=$s observe_operator "$me" "history/$me-$s.zone" |
		    tee -a "reports/$s.out"
		[ "${PIPESTATUS[0]}" -eq 0 ] || {
			say "back-out step $s: published, not yet served by every address of $(role_name "$me")'s servers: run bero-migrate -d $DIR backout again; nothing logged"
			exit 1
		} ;;
	esac
	role_backout_log "$s"
}

# role_backout_log BSTEP...: the back-out steps logged here, at the time
# observed (reports/LAST.observed) or now, never before the last line.
role_backout_log() {
	local t x last=${!#}
	t=$(cat "reports/$last.observed" 2> /dev/null) || t=
	if [ -z "$t" ]; then
		t=$(now) || exit 2
		maxv "$NOW" "$t"
		t=$M
	fi
	is_num "$t" || die "back-out step $last: reports/$last.observed: not a time"
	maxv "$t" "$LAST_T" "${BLAST_T:-0}"
	t=$M
	for x; do
		printf '%s %s %s\n' "$x" "$t" "$(party_of "$x")" >> backout-log ||
		    die "backout-log: cannot write"
	done
	say "logged: back-out step $* at $(fmt_time "$t")"
	[ -n "$(next_in "$(backout_steps "$LAST")" "$last")" ] ||
	    say "back-out complete here: A serves the zone alone"
	exit 0
}

# role_backout_observe BSTEP: another party's back-out step: logged with
# the steps before the first one observable here, once it is observed.
role_backout_observe() {
	local s=$1 x=$1 p z
	local -a pend=()
	while :; do
		pend+=("$x")
		backout_observable "$x" && break
		x=$(next_in "$(backout_steps "$LAST")" "$x")
		[ -n "$x" ] && ! backout_has_part "$x" ||
		    die "backout step $s is $(role_name "$(backout_role_parties "$s" | cut -d' ' -f1)")'s, and nothing here observes it"
	done
	rm -f "reports/$x.observed"
	case $x in
	b3|b6|b10|b14)
		[ "$(role_party)" = r ] || backout_expect_request "$x"
		STEP=$x backout_observe_parent "$x" || {
			say "back-out step $x: not observed; nothing logged"
			exit 1
		}
		role_keep_parent_ds "$x"
		;;
	*)
		case $x in
		b12) z=a/step-b12.zone ;;
		*) z=b/step-$x.zone ;;
		esac
		[ -f "$z" ] ||
		    die "backout step $x: its zone: none here: import the bundle $( [ "$x" = b12 ] && echo a || echo b)-$x first (bero-migrate import); nothing logged"
		# shellcheck disable=SC2086
		for p in "$(backout_role_parties "$x")"; do
			STEP=$x observe_others "$z" $p || {
				say "back-out step $x: not observed; nothing logged"
				exit 1
			}
		done
		;;
	esac
	role_backout_log "${pend[@]}"
}

# backout_expect_request BSTEP (A, B): the delegation the parent must
# serve at a parent step of the back-out, made here as the registry
# makes its request: the apex NS (and glue) of this party's own zone,
# with the DS set the parent was last seen serving, or DS_A alone (b14).
backout_expect_request() {
	local req ds me
	me=$(role_party)
	req=$(backout_parent_request "$1") || die "back-out step $1: not a step of the parent"
	case $1 in
	b3) STEP=$1 backout_ds_a "$req.dsa"
	    ds_union "$req.ds" "$(current ds)" "$req.dsa" || die "$req.ds: cannot write"
	    ds=$req.ds ;;
	b14) need a/ds-a.txt
	     ds_union "$req.ds" a/ds-a.txt || die "$req.ds: cannot write"
	     ds=$req.ds ;;
	*) ds=$(current ds); need "$ds" ;;
	esac
	mkdir -p r && delegation "$(current "$me")" "$ds" > "$req" ||
	    die "$req: cannot write the delegation expected at back-out step $1"
}

# backout_a_apex HOW PARTY (A's part of b4, b8): NS_PARTY in or out of
# A's apex (the address records kept), A's zone re-signed by A's keys or
# given by A's signer (-f); checked as A's parts of 2a and 2b are.
backout_a_apex() {
	local how=$1 p=$2 want after=
	local -a opt=()
	[ "$how" = remove ] && opt=(-r -K)
	run ns_fragment "$p" '>' "$p/ns-$p.frag"
	# A's serial follows B's, which b1 took one up past the one A has
	# served since it last took B's data (G5, RFC 1982).
	[ ! -f "$(current b)" ] || after=$(current b)
	A_AFTER=$after a_zone "$STEP" zadd-bero-ns "${opt[@]}" -n "$p/ns-$p.frag"
	if [ "$how" = add ]; then want="$NS_A $NS_B"; else want=$NS_A; fi
	say "checks:"
	check_apex_ns_is "$want" "a/step-$STEP.zone"
	check_glue "a/step-$STEP.zone"
	# Whoever signed it (A's own signer's zone, -f, included): B takes
	# this serial, which must follow B's own (G5, RFC 1982).
	[ -z "$after" ] || check_serial_after "a/step-$STEP.zone" "$after"
	# B follows with the same change (G4, G5, G9 are checked between
	# both zones at B's part): B's zone here is a version still cached.
	AS_OLD=b a_checks "$STEP"
	verdict
	publish a "a/step-$STEP.zone"
	say "  next: bero-migrate export $STEP (for B and the registry: A's zone of back-out step $STEP)"
}

# backout_b_apex HOW PARTY (B's part of b4, b8): as A did, with A's
# serial, from A's zone of the step (bundle a-STEP or zone transfer),
# B's keys signing, KSK_A's signature carried with the exchange.
backout_b_apex() {
	local how=$1 p=$2 want
	local -a opt=()
	[ "$how" = remove ] && opt=(-r -K)
	b_take_a "$STEP"
	run ns_fragment "$p" '>' "$p/ns-$p.frag"
	b_zone "$STEP" zadd-bero-ns "${opt[@]}" -n "$p/ns-$p.frag"
	if [ "$how" = add ]; then want="$NS_A $NS_B"; else want=$NS_A; fi
	say "checks:"
	check_apex_ns_is "$want" "b/step-$STEP.zone"
	check_same_rrset NS "a/step-$STEP.zone" "b/step-$STEP.zone"
	check_glue "b/step-$STEP.zone"
	b_checks "$STEP"
	verdict
	cmp -s "a/step-$STEP.zone" "$(current a)" || record_other a "a/step-$STEP.zone"
	publish b "b/step-$STEP.zone"
	say "  next: bero-migrate export $STEP (for A and the registry: B's zone of back-out step $STEP)"
}

# part_b1_b: B puts A's keys, KSK_A and ZSK_A, back in its DNSKEY RRset
# and re-signs; with the exchange it carries KSK_A's signature over the
# four keys again, from A's zone as A serves it now (bundle a-b1 or a
# zone transfer: zmerge-dnskey -f refuses it unless A's RRset is B's
# new one).  Checked as the rehearsal's b1: B's DNSKEY RRset identical
# to A's, signed by KSK_A (double-DS: by KSK_B), the data unchanged,
# every view valid.
part_b1_b() {
	local a
	keys a
	[ "${#KEYS[@]}" -gt 0 ] ||
	    die "backout step b1: keys/a: none (A's keys come with A's bundle a-0)"
	a=$(current a)
	if exchanges; then
		b_take_a b1
		a=a/step-b1.zone
	fi
	next_serial "$(current b)" "$(current b)"
	pubopts a
	b_zone b1 zmerge-dnskey "${PUBOPTS[@]}"
	say "checks:"
	check_keys_are "a b" b/step-b1.zone
	check_same_rrset DNSKEY b/step-b1.zone "$a"
	check_dnskey_signed_by b/step-b1.zone "$(b_signer)"
	check_registered "$(current b)" b/step-b1.zone
	headroom b b/step-b1.zone
	NEW_B=b/step-b1.zone check_chain
	report "$(current b)" b/step-b1.zone
	verdict
	[ "$a" = "$(current a)" ] || cmp -s "$a" "$(current a)" || record_other a "$a"
	publish b b/step-b1.zone
	say "  next: bero-migrate export b1 (for A and the registry: B's zone of back-out step b1)"
}

part_b4_a() { backout_a_apex add a; }
part_b4_b() { backout_b_apex add a; }
part_b8_a() { backout_a_apex remove b; }
part_b8_b() { backout_b_apex remove b; }

# part_b12_a: A removes B's keys (and any signature by them) and signs
# with its own; its DNSKEY RRset validates from DS_A alone.
part_b12_a() {
	pubopts b
	a_zone b12 zmerge-dnskey -r "${PUBOPTS[@]}"
	say "checks:"
	check_none_of a/step-b12.zone b
	check_dnskey_signed_by a/step-b12.zone a
	check_unreachable b
	check_registered "$(current a)" a/step-b12.zone
	headroom a a/step-b12.zone
	NEW_A=a/step-b12.zone check_chain
	chain -D a/ds-a.txt -- a/step-b12.zone
	report "$(current a)" a/step-b12.zone
	verdict
	publish a a/step-b12.zone
	say "  next: bero-migrate export b12 (for the registry: A's zone without B's keys)"
}

# The registry's requests: b5 NS = NS_A + NS_B (B's zone of b4), b9
# NS = NS_A (B's zone of b8), the DS set as the parent serves it; b13
# DS = DS_A (A's zone of b12): the DS the parent serves that is not
# DS_B.
part_b2_r() { backout_r_request b2 b/step-b1.zone b; }
part_b5_r() { backout_r_request b5 b/step-b4.zone "a b"; }
part_b9_r() { backout_r_request b9 b/step-b8.zone "a b"; }
part_b13_r() { backout_r_request b13 a/step-b12.zone a; }

backout_r_request() {
	local s=$1 z=$2 who=$3
	[ -f "$z" ] ||
	    die "backout step $s refused: $z: none here: import its bundle first (bero-migrate import); nothing asked"
	# shellcheck disable=SC2086
	r_served "$s" "$z" $who
	r_parent_ds "$s"
	if [ "$s" = b2 ]; then
		STEP=$s backout_ds_a "r/step-$s.dsa"
		say "  DS asked for again (DS_A, as the parent served it at step 8, history/ds-8.txt; SHA-256, RFC 4509):"
		awk -F '\t' '{ print "    " $1 " DS " $5 }' "r/step-$s.dsa"
		run ds_union "r/step-$s.ds" "r/parent-$s.ds" "r/step-$s.dsa"
	elif [ "$s" = b13 ]; then
		awk -F '\t' 'NR == FNR { if ($4 == "DS") b[tolower($5)] = 1; next }
		    $4 == "DS" && !(tolower($5) in b)' b/ds-b.txt "r/parent-$s.ds" \
		    > "r/step-$s.only" || die "r/step-$s.only: cannot write"
		[ -s "r/step-$s.only" ] ||
		    die "backout step $s refused: the parent serves no DS but DS_B: nothing to keep; nothing asked"
		run ds_union "r/step-$s.ds" "r/step-$s.only"
	else
		run ds_union "r/step-$s.ds" "r/parent-$s.ds"
	fi
	r_request "$s" "$z" "r/step-$s.ds"
}

# backout_check_a_b12 KEYS (import of a-b12 at the registry): A's zone
# of b12 holds exactly the keys of the bundle, none of B's (keys/b), and
# validates from the DS RRset every parent address serves now.
backout_check_a_b12() {
	[ -n "$zone" ] || die "$BUNDLE: no zone: the registry takes A's zone from the bundle"
	same_keys "the keys of the bundle" "$BUNDLE/dnskey" "$1"
	[ -z "$(comm -12 <(printf '%s\n' "$1") <(rdatas_of b | sort -u))" ] ||
	    die "$BUNDLE: A's zone of b12 still holds a key of operator B's (keys/b): nothing imported"
	parent_ds_served > "$WORK/parent.ds" ||
	    die "import: the DS RRset the parent serves cannot be observed: nothing imported"
	zcheck-chain -t "$NOW" "${ZCHECK_WORDS[@]}" -D "$WORK/parent.ds" "$WORK/zone" \
	    > "$WORK/chain.out" 2>&1 ||
	    die "import: $BUNDLE/zone does not validate from the DS the parent serves: $(grep -v warning "$WORK/chain.out" | head -n 3 | tr '\n' ' ')nothing imported"
}

# backout_role_plan: in a party's directory, under plan -B's table,
# what this party types at each back-out step: its part, with the
# bundles it hands over and takes, or the observation that logs it.
backout_role_plan() {
	local s me x
	[ "${ROLE:-all}" != all ] || return 0
	me=$(role_party)
	say "$(role_name "$me") (bero-migration(7), BACK-OUT):"
	for s in $STEPS; do
		x=
		if backout_has_part "$s"; then
			case $me-$s in
			b-b4|b-b8) x="import a-$s, " ;;
			b-b1) exchanges && x="import a-b1, " ;;
			esac
			x="${x}bero-migrate -d $DIR backout: its part"
			case $me-$s in
			a-b4|a-b8) x="$x; export $s (for B and the registry), import b-$s" ;;
			b-b4|b-b8) x="$x; export $s (for A and the registry)" ;;
			a-b12) x="$x; export b12 (for the registry)" ;;
			b-b1) x="$x; export b1 (for A and the registry)" ;;
			esac
		elif backout_observable "$s"; then
			case $me-$s in
			r-b4|r-b8) x="import b-$s, " ;;
			r-b12) x="import a-b12, " ;;
			a-b1) ! exchanges ||
				x="export b1 (for B: A's zone with a new KSK_A signature), "
				x="${x}import b-b1, " ;;
			r-b1) x="import b-b1, " ;;
			esac
			x="${x}bero-migrate -d $DIR backout: observes it"
		else
			x="logged with the next step observed here"
		fi
		printf '  %-4s %s\n' "$s" "$x"
	done
}
