#!/usr/bin/env bats
# The output file of -o (lib/out.c, shared by every program): it keeps
# the permission bits of the file it replaces, a new one gets those the
# umask leaves, and a SIGINT or SIGTERM while it is written leaves no
# temporary file behind, and the old file as it was.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/examples/example.zone" .
}

mode() {
	stat -c %a "$1"
}

tmpfiles() {
	compgen -G '*.tmp*' || true
}

@test "outfile: -o keeps the mode of the file it replaces: 0640, 0600, 0604" {
	local m
	for m in 640 600 604; do
		echo old > out.zone
		chmod "$m" out.zone
		runs zcanon -o out.zone example.zone
		assert_success
		assert_equal "$(mode out.zone)" "$m"
		grep -q SOA out.zone
	done
	# So does zadd-bero-ns, through the same library.
	chmod 640 out.zone
	runs zadd-bero-ns -n "$DATA/examples/nic-b.ns" -o out.zone out.zone
	assert_success
	assert_equal "$(mode out.zone)" 640
}

@test "outfile: a new file gets the mode the umask leaves" {
	runs bash -c 'umask 027 && zcanon -o new1.zone example.zone'
	assert_success
	assert_equal "$(mode new1.zone)" 640
	runs bash -c 'umask 077 && zcanon -o new2.zone example.zone'
	assert_success
	assert_equal "$(mode new2.zone)" 600
	runs bash -c 'umask 002 && zcanon -o new3.zone example.zone'
	assert_success
	assert_equal "$(mode new3.zone)" 664
}

# catch SIG: outtest writes standard input, a FIFO held open, into
# out.zone; once its temporary file is there, it gets SIG.
catch() {
	build_driver "$TOP/t/tools/outtest.c" outtest
	echo old > out.zone
	chmod 640 out.zone
	mkfifo in
	# A shell starts a job in the background with SIGINT ignored
	# (which out.c respects); env(1) gives it the default back.
	env --default-signal=INT ./outtest out.zone < in 2> err 3>&- &
	local pid=$! i
	exec 7> in
	echo '; half a zone' >&7
	for i in $(seq 500); do
		grep -q open err && [ -n "$(tmpfiles)" ] && break
		sleep 0.01
	done
	[ -n "$(tmpfiles)" ] || fail "no temporary file while writing"
	local tmode
	tmode=$(mode "$(tmpfiles)")
	kill -"$1" "$pid"
	exec 7>&-
	local status=0
	wait "$pid" || status=$?
	assert_equal "$status" "$2"
	assert_equal "$(tmpfiles)" ""
	assert_equal "$(cat out.zone)" old
	# Made with the mode it was to have, never more open.
	assert_equal "$tmode" 640
}

@test "outfile: SIGTERM while writing: no temporary file, the old file intact" {
	catch TERM 143
}

@test "outfile: SIGINT while writing: no temporary file, the old file intact" {
	catch INT 130
}

@test "outfile: the driver not stopped commits, and leaves no temporary file" {
	build_driver "$TOP/t/tools/outtest.c" outtest
	echo new | ./outtest out.zone
	assert_equal "$(cat out.zone)" new
	assert_equal "$(tmpfiles)" ""
}

# zcanon itself, killed with SIGTERM once its temporary file appears
# (it reads all its input first, so a large zone gives it time to be
# caught writing; each try that finishes first is made again).
@test "outfile: zcanon killed with SIGTERM while writing leaves no temporary file" {
	{
		printf '$ORIGIN example.\n$TTL 3600\n@ SOA ns1 h 1 2 3 4 5\n'
		printf '@ NS ns1\n@ NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n'
		awk 'BEGIN { for (i = 0; i < 200000; i++)
			printf "d%d NS ns1.d%d\nd%d DS 1234 13 2 %s\n", i, i, i,
			    "3E1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8" }'
	} > big.zone
	local try pid status caught=0
	for try in 1 2 3 4 5; do
		echo old > out.zone
		zcanon -o out.zone big.zone 3>&- &
		pid=$!
		while kill -0 "$pid" 2>/dev/null && [ -z "$(tmpfiles)" ]; do
			:
		done
		kill -TERM "$pid" 2>/dev/null || true
		status=0
		wait "$pid" || status=$?
		if [ "$status" = 143 ]; then
			caught=1
			assert_equal "$(tmpfiles)" ""
			assert_equal "$(cat out.zone)" old
			break
		fi
		assert_equal "$status" 0
	done
	[ "$caught" = 1 ] || skip "zcanon finished before the signal five times"
}
