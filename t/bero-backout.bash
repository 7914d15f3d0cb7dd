# Shared by the back-out tests in the parties' own directories
# (t/0756, t/0758, t/0766), loaded after bero-roles.bash: the setup of each
# test, the forward steps to where the back-out starts, and the parent's
# back-out steps.

# roles_backout_setup: a back-out test's setup: it starts from the
# servers as before step 1 (A's zone at both operators' servers, the
# parent's delegation to A with DS_A), in its own directory with the
# file's src; F is the file's directory, SERIAL the parent's serial.
roles_backout_setup() {
	zcs_load
	F=$BATS_FILE_TMPDIR
	cd "$BATS_TEST_TMPDIR" || return 1
	roles_serve afile "$F/src/a.signed"
	roles_serve bfile "$F/src/a.signed"
	cp "$F/root.zone.0" "$F/root.zone.new" && mv "$F/root.zone.new" "$F/root.zone"
	kill -HUP "$(awk '$2 == "nsd-parent" { print $1 }' "$ZCS_DIR/pids")"
	ln -s "$F/src" src
	SERIAL=2026120200
	sleep 1
}

# ok_at TIME DIR COMMAND...: the command succeeds (output in $output).
ok_at() {
	local t=$1
	shift
	runs at "$t" bero-migrate -d "$@"
	[ "$status" -eq 0 ] || printf '%s\n' "$*: $stderr" >&2
	assert_success
}

# parent REQUEST: the parent publishes a request of the registry.
parent() {
	roles_parent_publish "$1" $((SERIAL += 1))
}

# roles_forward LAST [METHOD]: the three directories from init to step
# LAST (ds4, 5, 9, 10, 11 or 12) of METHOD (M: exchange unless given),
# each party with its own commands, every step observed; T is the time.
roles_forward() {
	local last=$1 d
	M=${2:-exchange}
	T=$T0
	export BERO_NOW=$T0
	roles_init src/akeys "$F/parties.conf" "$F/parties.conf" -M "$M"
	roles_step_1 $T
	T=$((T + 20))
	ok_at $((T += 60)) a step 2a
	bero-migrate -d a export 2a -o a2a > /dev/null
	at $T bero-migrate -d b import a2a > /dev/null
	ok_at $((T += 60)) b step 2a
	bero-migrate -d b export 2a -o b2a > /dev/null
	at $T bero-migrate -d a import b2a > /dev/null
	if [ "$M" = double-ds ]; then
		at $T bero-migrate -d r import b2a > /dev/null
		ok_at $T r observe 2a
		ok_at $((T += 60)) r step ds3
		T=$((T + 86400))
		parent r/r/step-ds3.request
		for d in a b r; do ok_at $T $d observe ds4; done
		[ "$last" != ds4 ] || return 0
	fi
	T=$(due a 2b)
	ok_at $T a step 2b
	bero-migrate -d a export 2b -o a2b > /dev/null
	at $T bero-migrate -d b import a2b > /dev/null
	T=$(due b 2b)
	ok_at $T b step 2b
	bero-migrate -d b export 2b -o b2b > /dev/null
	at $T bero-migrate -d a import b2b > /dev/null
	at $T bero-migrate -d r import b2b > /dev/null
	ok_at $T r observe 2b
	ok_at $T r step 3
	T=$((T + 86400))
	parent r/r/step-3.request
	for d in a b r; do ok_at $T $d observe 4; done
	for d in a b r; do T=$(due $d 5); ok_at $T $d step 5; done
	[ "$last" != 5 ] || return 0
	runs at $T bero-migrate -d b step 6
	assert_failure 1
	bero-migrate -d b export 6 -o b6 > /dev/null
	at $T bero-migrate -d a import b6 > /dev/null
	at $T bero-migrate -d r import b6 > /dev/null
	ok_at $((T += 60)) a step 6
	bero-migrate -d a export 6 -o a6 > /dev/null
	at $T bero-migrate -d b import a6 > /dev/null
	for d in b r; do ok_at $T $d observe 6; done
	ok_at $((T += 60)) r step 7
	T=$((T + 86400))
	parent r/r/step-7.request
	for d in a b r; do ok_at $T $d observe 8; done
	for d in a b r; do T=$(due $d 9); ok_at $T $d step 9; done
	[ "$last" != 9 ] || return 0
	ok_at $T b step 10
	bero-migrate -d b export 10 -o b10 > /dev/null
	at $T bero-migrate -d r import b10 > /dev/null
	ok_at $T r observe 10
	[ "$last" != 10 ] || return 0
	T=$(due r 11)
	ok_at $T r step 11
	[ "$last" != 11 ] || return 0
	T=$((T + 86400))
	parent r/r/step-11.request
	for d in a b r; do ok_at $T $d observe 12; done
}

# backout_parent STEP REQSTEP [DIRS]: the registry's request REQSTEP;
# nothing observed before the parent publishes it (in DIRS, A's
# directory unless given); then every directory logs STEP.
backout_parent() {
	local s=$1 q=$2 d before
	ok_at $T r backout
	assert_output --partial "back-out step $q (the registry's part)"
	assert_output --partial "step $q: every check passed"
	for d in ${3:-a}; do
		before=$(cat $d/backout-log)
		runs at $T bero-migrate -d $d backout
		assert_failure 1
		assert_output --partial "back-out step $s: not observed; nothing logged"
		assert_equal "$(cat $d/backout-log)" "$before"
	done
	T=$((T + 86400))
	parent r/r/step-$q.request
	for d in a b r; do
		ok_at $T $d backout
		assert_output --regexp "logged: back-out step (b[0-9]+ )*$s at"
	done
}

# The back-out from step 10 on (t/0758, t/0766): B's b1, the operators'
# b4 after it, and the rest as from step 9.

# backout_b1: B's b1 with A's zone of the moment (bundle a-b1; none
# with double-DS), then A and the registry log it once B's servers
# serve B's zone of b1.
backout_b1() {
	local d
	T=$((T + 3600))
	if [ "$M" = exchange ]; then
		# B's part needs A's zone with a new KSK_A signature.
		runs at $T bero-migrate -d b backout
		assert_trouble bero-migrate "step b1: A's zone of its step b1: none: import A's bundle a-b1 first"
		[ ! -e b/backout-log ]
		[ -d a-b1 ] || bero-migrate -d a export b1 -o a-b1 > /dev/null
		at $T bero-migrate -d b import a-b1 > /dev/null
	else
		runs bero-migrate -d a export b1 -o a-b1
		assert_trouble bero-migrate "export: operator A hands nothing over after step b1"
	fi
	ok_at $T b backout
	assert_output --partial "back-out step b1 (operator B's part)"
	assert_output --partial "ok: the DNSKEY RRset of b/step-b1.zone is signed by $( [ "$M" = exchange ] && echo a || echo b)'s KSK"
	assert_output --partial "logged: back-out step b1 at"
	# B serves the four keys again, with KSK_A's signature (the
	# exchange) or KSK_B's only (double-DS).
	assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' b/published/b/example.zone)" 4
	if [ "$M" = exchange ]; then
		[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $(ksk_tag src/akeys) "* ]]
	else
		[[ " $(dnskey_sigs b/published/b/example.zone) " != *" $(ksk_tag src/akeys) "* ]]
	fi
	bero-migrate -d b export b1 -o b-b1 > /dev/null
	for d in a r; do
		# (A, whose log ends at 9 when B backs out from 10 or 11,
		# would back out from 9: b1 is known there from b-b1.)
		if [ "$d" = r ] || [ "$(awk 'END { print $1 }' a/log)" = 12 ]; then
			runs at $T bero-migrate -d $d backout
			assert_trouble bero-migrate "backout step b1: its zone: none here: import the bundle b-b1 first"
		fi
		at $T bero-migrate -d $d import b-b1 > /dev/null
		ok_at $T $d backout
		assert_output --partial "observed: every address of operator B serves b/step-b1.zone"
		assert_output --partial "logged: back-out step b1 at"
	done
}

# backout_apex STEP: A's part of back-out step STEP, then B's, each
# exported; A and the registry take B's; the registry observes it.
backout_apex() {
	local s=$1
	ok_at $T a backout
	assert_output --partial "back-out step $s (operator A's part)"
	bero-migrate -d a export $s -o a-$s > /dev/null
	at $T bero-migrate -d b import a-$s > /dev/null
	ok_at $T b backout
	assert_output --partial "ok: the DNSKEY RRset of b/step-$s.zone is signed by"
	bero-migrate -d b export $s -o b-$s > /dev/null
	at $T bero-migrate -d a import b-$s > /dev/null
	at $T bero-migrate -d r import b-$s > /dev/null
	ok_at $T r backout
	assert_output --partial "logged: back-out step $s at"
}

# backout_wait STEP: every directory's wait; refused a second early.
backout_wait() {
	local s=$1 d before
	for d in a b r; do
		T=$(due $d $s)
		before=$(cat $d/backout-log)
		runs at $((T - 1)) bero-migrate -d $d backout
		assert_trouble bero-migrate "backout step $s refused: wait 1s more"
		assert_equal "$(cat $d/backout-log)" "$before"
		ok_at $T $d backout
	done
}

# backout_b4: A's and B's b4 once the wait after b1 (and b3) is over,
# refused a second before it at A.
backout_b4() {
	local ta tb
	ta=$(due a b4)
	tb=$(due b b4)
	[ "$ta" -ge "$tb" ] && T=$ta || T=$tb
	runs at $((ta - 1)) bero-migrate -d a backout
	assert_trouble bero-migrate "backout step b4 refused: wait 1s more, .*Tb1 \\+ Dprp_C \\+ TTL_KEY"
	backout_apex b4
}

# backout_b15: B's last back-out step when it is due: B stops serving
# the zone (its server answers no more for it, A's still does), and
# every directory's back-out is then complete.
backout_b15() {
	local d
	T=$(due b b15)
	ok_at $T b backout
	assert_output --partial "removed: published/b/example.zone"
	sleep 1
	! zcs_exec kdig @127.75.2.1 -p "$ZCS_PORT" +norec +time=2 +retry=0 example. SOA | grep -q 'status: NOERROR' || false
	zcs_exec kdig @127.75.1.1 -p "$ZCS_PORT" +norec example. SOA | grep -q 'status: NOERROR'
	for d in a b r; do
		runs at $T bero-migrate -d $d backout
		assert_trouble bero-migrate "backout: complete at"
	done
}

# backout_end: A's b12 (B's keys out), the registry's b13 (DS = DS_A)
# after its wait, the parent's b14, B's b15; then A alone.
backout_end() {
	ok_at $T a backout
	assert_output --partial "ok: no signature by b's keys in a/step-b12.zone"
	bero-migrate -d a export b12 -o a-b12 > /dev/null
	at $T bero-migrate -d r import a-b12 > /dev/null
	ok_at $T r backout
	assert_output --partial "logged: back-out step b12 at"
	T=$(due r b13)
	runs at $((T - 1)) bero-migrate -d r backout
	assert_trouble bero-migrate "backout step b13 refused: wait 1s more"
	backout_parent b14 b13
	[ "$(awk -F '\t' '$4 == "DS"' r/r/step-b13.request | wc -l)" -eq 1 ]
	assert_equal "$(awk -F '\t' '$4 == "DS" { print $5 }' r/r/step-b13.request)" \
	    "$(awk -F '\t' '$4 == "DS" { print $5 }' a/a/ds-a.txt)"
	backout_b15
	# A's zone: A's keys alone again, signed by them.
	assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' a/published/a/example.zone)" 2
	assert_equal "$(grep -c '	DS	' a/published/root/ds.txt)" 1
}

# backout_rest: b5 to b15 as from step 9, until A serves the zone alone.
backout_rest() {
	backout_parent b6 b5
	backout_wait b7
	backout_apex b8
	backout_parent b10 b9
	backout_wait b11
	backout_end
	assert_equal "$(awk -F '\t' '$4 == "DS" { print $5 }' a/published/root/ds.txt)" \
	    "$(awk -F '\t' '$4 == "DS" { print $5 }' a/a/ds-a.txt)"
	roles_scan_all a0 b1 a2a b2a a2b b2b b6 a6 b10 b-b1 a-b4 b-b4 a-b8 b-b8 a-b12 $( [ "$M" = exchange ] && echo a-b1)
}
