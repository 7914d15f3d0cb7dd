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
