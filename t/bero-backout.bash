# Shared by the back-out tests in the parties' own directories
# (t/0756, t/0758), loaded after bero-roles.bash: the setup of each
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
