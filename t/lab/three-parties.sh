# t/lab/three-parties.sh: what t/0850-lab-three-parties.bats does after
# each step of make demo's script (its DEMO_STEP_HOOK), in the lab's
# network: real validating resolvers (lab.sh) ask the probe set of the
# demo's sample TLD.  Sourced after lab.sh.

# The probe set of the sample TLD (scripts/gentld.awk): the apex SOA,
# NS and DNSKEY and an apex no-data answer validated; nic.TLD's address
# validated; a name that does not exist never SERVFAIL (an opt-out span
# covers it: RFC 5155 section 9.2, no AD expected).
lab_probe_set() {
	local tld=$LAB_TLD
	cat <<EOF
$tld SOA secure
$tld NS secure
$tld DNSKEY secure
$tld A nodata
nic.$tld A secure
$1.$tld A nxdomain
EOF
}

# three_after_step STEP: after step 0, the resolvers' root hints and
# trust anchor from the demo's signed test root, and keep-u; after
# every step, fresh resolvers (new-u, new-a while a resolver may reach
# A, new-b once B carries KSK_A's signature) and keep-u answer the
# probe set (probes.log), the fresh ones stopped after.  After step 1,
# a control: a fresh resolver pinned to B, whose zone only B's keys
# sign, must not validate (probes.log.control).  Fails when an answer is
# wrong.
three_after_step() {
	local s=$1 rs=() r bad=0
	lab_load || return 1
	if [ "$s" = 0 ]; then
		lab_root "$DEMO_OUT/root/root.zone" &&
		    lab_resolver_start keep-u u || return 1
	fi
	rs=(keep-u:any)
	lab_resolver_start "new-u-$s" u || return 1
	rs+=("new-u-$s:any")
	case $s in
	12|13) ;;
	*) lab_resolver_start "new-a-$s" a || return 1
	   rs+=("new-a-$s:any") ;;
	esac
	case $s in
	0|1) ;;
	*) lab_resolver_start "new-b-$s" b || return 1
	   rs+=("new-b-$s:any") ;;
	esac
	probe_many "$s" "${rs[@]}" || bad=1
	if [ "$s" = 1 ]; then
		lab_resolver_start control-b b || return 1
		LAB_PROBES=$LAB_DIR/probes.log.control probe control-b 1 ||
		    true
		lab_resolver_stop control-b
	fi
	for r in "${rs[@]}"; do
		case $r in new-*) lab_resolver_stop "${r%%:*}" ;; esac
	done
	return $bad
}

# three_after_step_dds STEP: three_after_step for the double-DS method
# (DEMO_METHOD=double-ds, t/0856), whose steps are 0 1 2a ds3 ds4 2b 3
# to 13.  keep-u (from step 0) and a fresh new-u at every step; a fresh
# new-a while a resolver may reach A (to step 11); a fresh new-b, and
# keep-b with its cache kept, only once B's RRset validates from a DS
# set the root serves: from ds4, when the root serves DS_B beside DS_A
# (B's DNSKEY RRset carries KSK_B's signature only).  The controls,
# after 2a and ds3 (B serves the four keys, the root DS_A alone): a
# fresh resolver pinned to B must not validate (probes.log.control).
# Fails when an answer is wrong.
three_after_step_dds() {
	local s=$1 rs=() r bad=0
	lab_load || return 1
	if [ "$s" = 0 ]; then
		lab_root "$DEMO_OUT/root/root.zone" &&
		    lab_resolver_start keep-u u || return 1
	fi
	rs=(keep-u:any)
	lab_resolver_start "new-u-$s" u || return 1
	rs+=("new-u-$s:any")
	case $s in
	12|13) ;;
	*) lab_resolver_start "new-a-$s" a || return 1
	   rs+=("new-a-$s:any") ;;
	esac
	case $s in
	0|1|2a|ds3) ;;
	*) if [ "$s" = ds4 ]; then
		lab_resolver_start keep-b b || return 1
	   fi
	   lab_resolver_start "new-b-$s" b || return 1
	   rs+=(keep-b:any "new-b-$s:any") ;;
	esac
	probe_many "$s" "${rs[@]}" || bad=1
	case $s in
	2a|ds3)
		lab_resolver_start "control-b-$s" b || return 1
		LAB_PROBES=$LAB_DIR/probes.log.control probe "control-b-$s" "$s" ||
		    true
		lab_resolver_stop "control-b-$s" ;;
	esac
	for r in "${rs[@]}"; do
		case $r in new-*) lab_resolver_stop "${r%%:*}" ;; esac
	done
	return $bad
}

# ------------------------------------------------ the living zone (t/0855)
# make demo's script with DEMO_LIVING=1 and DEMO_PARENT_LATE=1
# (scripts/demo/living.sh): a delegation added after step 2a, one deleted
# after step 7, both operators' refresh in the wait of step 5, the
# registry's observation of step 4 refused before the parent publishes.
# Its hook is living_after_step; t/0850's (three_after_step alone) asks
# what it always asked.

# The hook's names in the order the demo runs them: its steps, and
# between them the living demo's own (scripts/demo/living.sh).
LIVING_ORDER="0 1 add-at-a 2a 2b 3 parent-late 4 refresh 5 6 del-at-b 7 8 9 10 11 12 13"

# living_index NAME: NAME's place in LIVING_ORDER (from 1; 0 if absent).
living_index() {
	local w i=0
	for w in $LIVING_ORDER; do
		i=$((i + 1))
		[ "$w" != "$1" ] || { echo "$i"; return 0; }
	done
	echo 0
}

# living_probe_extra: the living zone's probes at LIVING_STEP, from the
# demo's living/names (ADDED, DELETED).  The added delegation's DS, once
# both operators serve it (the add is done before step 2a's probes, and
# with LIVING_CONTROL at add-at-a): validated (AD; the DS RRset is the
# TLD's data, RFC 4035 section 5.2).  The deleted one's DS: validated
# until it goes, then a name that does not exist, never SERVFAIL (its
# span may be opt-out: RFC 5155 section 9.2, no AD asked).
living_probe_extra() {
	local i
	[ -f "$DEMO_OUT/living/names" ] || return 0
	. "$DEMO_OUT/living/names"
	i=$(living_index "$LIVING_STEP")
	if [ -n "${LIVING_CONTROL:-}" ] || [ "$i" -ge "$(living_index 2a)" ]; then
		printf '%s DS secure\n' "$ADDED"
	fi
	if [ "$i" -lt "$(living_index del-at-b)" ]; then
		printf '%s DS secure\n' "$DELETED"
	else
		printf '%s DS nxdomain\n' "$DELETED"
	fi
}

# living_wrap: lab_probe_set (above) followed by living_probe_extra, in
# this process only (the hook's).
living_wrap() {
	declare -F three_base_probe_set > /dev/null && return 0
	eval "three_base_probe_set() $(declare -f lab_probe_set | sed 1d)"
	lab_probe_set() {
		three_base_probe_set "$1"
		living_probe_extra
	}
}

# living_root_ds NAME: how many DS records of the TLD the test root
# serves now, "NAME count" in living.root-ds.
living_root_ds() {
	local n
	n=$(lab_exec dig +norecurse +time=2 +tries=1 +short \
	    @"$LAB_ROOT_ADDR" "$LAB_TLD" DS 2> /dev/null | grep -c .)
	printf '%s %s\n' "$1" "$n" >> "$LAB_DIR/living.root-ds"
}

# living_control NAME: fresh resolvers pinned to A and to B ask the probe
# set with the added delegation (LIVING_CONTROL) while only one operator
# serves the change (add-at-a: A only; del-at-b: B only), into
# probes.log.control: the probes fail where the change has not arrived.
living_control() {
	local s=$1 p
	for p in a b; do
		lab_resolver_start "control-$p-$s" "$p" || return 1
		LIVING_CONTROL=1 LAB_PROBES=$LAB_DIR/probes.log.control \
		    probe "control-$p-$s" "$s" || true
		lab_resolver_stop "control-$p-$s"
	done
}

# living_after_step NAME: the hook of the living demo.  At a step, and
# after both refreshes, what three_after_step does, with the living
# zone's probes; at add-at-a and del-at-b the controls; at parent-late
# what the root serves.  Before the first probes after the deletion, a
# resolver that asked the deleted DS may keep it for its TTL
# (DEMO_TTL): the probe waits that out since keep-u last asked.
living_after_step() {
	local s=$1 last now
	lab_load || return 1
	living_wrap
	LIVING_STEP=$s
	case $s in
	add-at-a|del-at-b)
		living_control "$s"
		return ;;
	parent-late)
		living_root_ds "$s"
		return ;;
	7)	last=$(cat "$LAB_DIR/living.last" 2> /dev/null) || last=0
		now=$(date +%s)
		[ $((last + ${DEMO_TTL:-10} + 1)) -le "$now" ] ||
		    sleep $((last + ${DEMO_TTL:-10} + 1 - now)) ;;
	esac
	living_root_ds "$s"
	date +%s > "$LAB_DIR/living.last"
	three_after_step "$s"
}

# ------------------------------- the replay after step 10 (t/0857, t/0858)
# What the former operator A holds after step 10 and replays: B's
# four-key DNSKEY RRset with KSK_B's signature (short-lived:
# KEY_SIG_VALIDITY), taken from a source given by REPLAY_SOURCE:
#   dir     A's own state directory (its copy of B's zone of step 6: the
#           exchange method, t/0857; the default)
#   served  what B's servers serve before step 10, as any former
#           operator may ask them (the double-DS method, t/0858)
# plus the private keys of A's own signer, with which A forges a record
# signed by ZSK_A.  The hook keeps these in $LAB_DIR/replay; the bats
# files load this file for the rest (replay_setup_file, the checks).

# replay_after_step STEP: the hook (make demo's script as t/0850 runs
# it, no resolvers between the steps).  After step 9, with
# REPLAY_SOURCE=served, the DNSKEY RRset and its signatures as B's first
# address serves them (b-dnskey-9); after step 10, A's state directory
# as it is (a-10) and its signer's keys (a-keys-10); after step 12, the
# DS RRset the test root serves (root-ds-12).
replay_after_step() {
	local d b
	lab_load || return 1
	d=$LAB_DIR/replay
	mkdir -p "$d" || return 1
	case $1 in
	9)	[ "${REPLAY_SOURCE:-dir}" = served ] || return 0
		b=${LAB_B_ADDRS%% *}
		lab_exec dig +norecurse +dnssec +noall +answer +time=2 +tries=2 \
		    @"$b" "$LAB_TLD" DNSKEY > "$d/b-dnskey-9" &&
		    [ -s "$d/b-dnskey-9" ] ;;
	10)	cp -a "$DEMO_OUT/a" "$d/a-10" &&
		    cp -a "$DEMO_OUT/a-signer/keys" "$d/a-keys-10" ;;
	12)	lab_exec dig +norecurse +time=2 +tries=1 +short \
		    @"$LAB_ROOT_ADDR" "$LAB_TLD" DS > "$d/root-ds-12" ;;
	esac
}

# replay_rrset DIR: the file in DIR (the hook's) that holds the four-key
# DNSKEY RRset with KSK_B's signature as A got hold of it.
replay_rrset() {
	case ${REPLAY_SOURCE:-dir} in
	served) echo "$1/b-dnskey-9" ;;
	*) echo "$1/a-10/published/b/example.zone" ;;
	esac
}

# replay_base DIR: the zone A forges from.  dir: its copy of B's zone of
# step 6.  served: its own zone of step 10 with its DNSKEY RRset and the
# signatures over it replaced by what B served.
replay_base() {
	case ${REPLAY_SOURCE:-dir} in
	served)
		awk -F '\t' -v z="$LAB_TLD" '!($1 == z && ($4 == "DNSKEY" ||
		    ($4 == "RRSIG" && $5 ~ /^DNSKEY /)))' \
		    "$1/a-10/published/a/example.zone" &&
		    cat "$(replay_rrset "$1")" ;;
	*)	cat "$(replay_rrset "$1")" ;;
	esac
}

# replay_forge DIR: the zone A forges from what it held at step 10: the
# base (replay_base) with forged.TLD added, signed at T10 by A's keys
# (DIR/a-keys-10); zresign keeps the signature of another operator's
# key over the DNSKEY RRset when it verifies (-O exchange, its
# default): KSK_B's.
replay_forge() {
	local -a ks=()
	local k
	for k in "$1"/a-keys-10/K*.private; do
		ks+=(-k "${k%.private}")
	done
	{
		replay_base "$1" || return 1
		printf 'forged.%s\t10\tIN\tA\t192.0.2.66\n' "$LAB_TLD"
	} | zresign -t "$T10" "${ks[@]}"
}

# replay_setup_file NAME [VAR=VALUE...]: the setup_file of t/0857 and
# t/0858: make demo's script with the hook above and the demo's VARs
# (lab_demo_file), then T10 (step 10 at B, whose step it is: the last
# signature of KSK_B over an RRset holding A's keys was made then at the
# latest), T12 (the last of the three parties to observe the root's
# DS_B alone), KSV (B's config's KEY_SIG_VALIDITY), KSK_B (the tag of the
# root's DS at the end); the forgery served by A's NSD, B's own zone by
# B's, the zone of step 12 by the root's, its key the resolvers' anchor.
replay_setup_file() {
	local d r
	lab_demo_file "$@"
	[ -z "$LAB_SKIP" ] || return 0
	d=$LAB_OUT/demo
	r=$LAB_OUT/replay
	[ "$(cat "$LAB_OUT/demo.rc")" = 0 ] ||
	    { cat "$LAB_OUT/demo.out" "$LAB_OUT/demo.err" >&2; return 1; }
	T10=$(awk '$1 == 10 && $3 == "b" { t = $2 } END { print t }' "$d/b/log")
	T12=$(awk '$1 == 12 && (t == "" || $2 > t) { t = $2 } END { print t }' \
	    "$d/a/log" "$d/b/log" "$d/registry/log")
	KSV=$(sed -n 's/^KEY_SIG_VALIDITY=//p' "$d/b/config" | tail -n 1)
	KSK_B=$(ldns-read-zone -E DS "$d/root/root.zone" |
	    awk -v z="$LAB_TLD" '$1 == z && $4 == "DS" { print $5 }')
	export T10 T12 KSV KSK_B
	replay_forge "$r" > "$r/forged.zone" || return 1
	lab_nsd_start root "$d/root/root.zone" &&
	    lab_nsd_start a "$r/forged.zone" &&
	    lab_nsd_start b "$d/b/published/b/example.zone" &&
	    lab_root "$d/root/root.zone"
}

# replay_teardown_file: the lab stopped; the probes, their count and
# the times on the TAP stream.
replay_teardown_file() {
	[ -n "${LAB_SKIP:-}" ] && return 0
	lab_cleanup
	[ -s "$LAB_DIR/replay.log" ] || return 0
	{
		awk '{ n++; if ($6 == "SERVFAIL") s++ }
		    END { printf "%d probes, %d SERVFAIL\n", n, s }' \
		    "$LAB_DIR/replay.log"
		cat "$LAB_DIR/replay.log"
		echo "step 10 at $T10 (B's log), 12 at $T12, KEY_SIG_VALIDITY $KSV s"
		echo "lab run time: $(($(date +%s) - $(. "$LAB_DIR/env"; echo "$LAB_T0"))) s"
	} | lab_note
	return 0
}

replay_utc() {
	TZ=UTC date -d "@$1" +%Y%m%d%H%M%S
}

# replay_epoch YYYYMMDDHHMMSS: the UTC time as seconds since the epoch.
replay_epoch() {
	TZ=UTC date -d "${1:0:8} ${1:8:2}:${1:10:2}:${1:12:2}" +%s
}

# replay_ask NAME PIN WHEN QNAME QTYPE: a new resolver pinned to PIN (a
# or b), validating at WHEN (seconds since the epoch), asked QNAME
# QTYPE; the answer in $output and replay.answers, a line in
# replay.log: name pin date qname qtype rcode ad.
replay_ask() {
	local addr
	LAB_VAL_DATE=$(replay_utc "$3") lab_resolver_start "$1" "$2"
	addr=$(cat "$LAB_DIR/unbound-$1/addr")
	run lab_exec dig +dnssec +time=3 +tries=1 @"$addr" "$4" "$5"
	lab_resolver_stop "$1"
	printf '=== %s (pin %s) at %s\n%s\n' "$1" "$2" "$(replay_utc "$3")" \
	    "$output" >> "$LAB_DIR/replay.answers"
	printf '%s %s %s %s %s %s %s\n' "$1" "$2" "$(replay_utc "$3")" "$4" "$5" \
	    "$(printf '%s\n' "$output" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p')" \
	    "$(printf '%s\n' "$output" | grep -q '^;; flags: [a-z ]* ad[ ;]' && echo AD || echo -)" \
	    >> "$LAB_DIR/replay.log"
}

# replay_dnskey_data KEYFILE: the public key of a BIND key file, in one
# word.
replay_dnskey_data() {
	awk '!/^;/ { for (i = 1; i < NF && $i != "DNSKEY"; i++) ;
	    k = ""; for (i += 4; i <= NF; i++) k = k $i; print k }' "$1"
}

# The expiration of KSK_B's signature over the forgery's DNSKEY RRset.
replay_ksk_b_expiration() {
	ldns-read-zone -E RRSIG "$LAB_OUT/replay/forged.zone" |
	    awk -v t="$KSK_B" '$5 == "DNSKEY" && $11 == t { print $9 }'
}

# replay_check_held: what A held after step 10: the forgery's DNSKEY
# RRset, A's two keys and B's two, signed by KSK_B no later than step 10
# + KEY_SIG_VALIDITY; the forged record signed by ZSK_A, a key of A's
# own signer that is in the RRset as A got it (replay_rrset); the
# root's DS RRset of step 12, as served: DS_B alone.
replay_check_held() {
	local e t k
	[[ "$T10" =~ ^[0-9]+$ ]] && [[ "$T12" =~ ^[0-9]+$ ]] && [ "$T12" -ge "$T10" ]
	[[ "$KSV" =~ ^[0-9]+$ ]]
	run cat "$LAB_OUT/replay/root-ds-12"
	assert_equal "${#lines[@]}" 1
	assert_output --regexp "^$KSK_B 13 2 "
	run ldns-read-zone -E DNSKEY "$LAB_OUT/replay/forged.zone"
	assert_equal "$(grep -c "	DNSKEY	" <<< "$output")" 4
	e=$(replay_ksk_b_expiration)
	[[ "$e" =~ ^[0-9]{14}$ ]] || fail "no signature of KSK_B ($KSK_B) over the DNSKEY RRset: '$e'"
	[ "$(replay_epoch "$e")" -le $((T10 + KSV)) ] ||
	    fail "KSK_B's signature expires $e, after step 10 + KEY_SIG_VALIDITY ($(replay_utc $((T10 + KSV))))"
	run ldns-read-zone -E RRSIG "$LAB_OUT/replay/forged.zone"
	t=$(awk -v q="forged.$LAB_TLD" '$1 == q && $5 == "A" { print $11 }' <<< "$output")
	[[ "$t" =~ ^[0-9]+$ ]] || fail "forged.$LAB_TLD A: no signature"
	k=$(printf '%s/replay/a-keys-10/K%s+013+%05d.key' "$LAB_OUT" "$LAB_TLD" "$t")
	[ -f "$k" ] || fail "forged.$LAB_TLD A signed by key $t, not one of A's"
	[ "$(awk '!/^;/ { for (i = 1; i < NF && $i != "DNSKEY"; i++) ; print $(i + 1) }' "$k")" = 256 ]
	tr -d ' ' < "$(replay_rrset "$LAB_OUT/replay")" |
	    grep -qF "$(replay_dnskey_data "$k")"
}

# replay_check_window: an hour after step 12, still within
# KEY_SIG_VALIDITY of step 10, the forgery validates from DS_B at a
# resolver pinned to A (the window is real).
replay_check_window() {
	local w=$((T12 + 3600))
	[ "$w" -lt "$(replay_epoch "$(replay_ksk_b_expiration)")" ]
	replay_ask early a "$w" "forged.$LAB_TLD" A
	assert_output --partial 'status: NOERROR'
	assert_output --regexp 'flags: [a-z ]* ad'
	assert_output --partial '192.0.2.66'
}

# replay_check_bogus: at step 10 + KEY_SIG_VALIDITY + Unbound's largest
# clock skew (val-sig-skew-max, 1 day) + 1 s the forgery is bogus at a
# resolver pinned to A: SERVFAIL, RFC 8914 EDE 7, KSK_B's signature over
# the DNSKEY RRset expired (RFC 4035 section 5.3.1); the apex too.
replay_check_bogus() {
	local w=$((T10 + KSV + 86400 + 1))
	replay_ask late a "$w" "forged.$LAB_TLD" A
	assert_output --partial 'status: SERVFAIL'
	refute_output --partial '192.0.2.66'
	assert_output --partial 'EDE: 7 (Signature Expired)'
	assert_output --partial "for key $LAB_TLD while building chain of trust"
	replay_ask late-soa a "$w" "$LAB_TLD" SOA
	assert_output --partial 'status: SERVFAIL'
}

# replay_check_b: at that date B's own zone validates at a resolver
# pinned to B (the bogus answer is the forgery's).
replay_check_b() {
	local w=$((T10 + KSV + 86400 + 1))
	replay_ask late-b-soa b "$w" "$LAB_TLD" SOA
	assert_output --partial 'status: NOERROR'
	assert_output --regexp 'flags: [a-z ]* ad'
	replay_ask late-b-nic b "$w" "nic.$LAB_TLD" A
	assert_output --partial 'status: NOERROR'
	assert_output --regexp 'flags: [a-z ]* ad'
}
