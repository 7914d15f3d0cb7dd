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

# ------------------------------------------- the replay after step 10 (t/0857)
# replay_after_step STEP: the hook of t/0857 (make demo's script as t/0850
# runs it, no resolvers between the steps).  After step 10, what the
# former operator holds then: A's state directory as it is (its copy of
# B's zone, the four-key DNSKEY RRset with KSK_B's short-lived signature)
# and the private keys of A's own signer, in $LAB_DIR/replay/a-10 and
# a-keys-10; after step 12, the DS RRset the test root serves.
replay_after_step() {
	local d
	lab_load || return 1
	d=$LAB_DIR/replay
	case $1 in
	10)	mkdir -p "$d" &&
		    cp -a "$DEMO_OUT/a" "$d/a-10" &&
		    cp -a "$DEMO_OUT/a-signer/keys" "$d/a-keys-10" ;;
	12)	lab_exec dig +norecurse +time=2 +tries=1 +short \
		    @"$LAB_ROOT_ADDR" "$LAB_TLD" DS > "$d/root-ds-12" ;;
	esac
}
