#!/usr/bin/env bats
# One output path (lib/out.c, issue 15 item 4): every program commits
# what it writes through it, and a failure says what failed and why.
# Writes are made to fail without touching the system: a file size limit
# of 0 (ulimit -f 0, with SIGXFSZ ignored) makes every write(2) to a
# regular file fail with EFBIG, in a subshell whose standard error is a
# pipe to the test, so that the message itself gets through.  With -o,
# the old file is left as it was (contents and mode) and no temporary
# file is left beside it; without, nothing but the message.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
	A="-k Kexample.+013+05021 -k Kexample.+013+40244"
	KSK_B=Kexample.+013+62651.key
	# A zone larger than any buffer of stdio (the writer's own path,
	# write(2) from several threads) and the small one of the examples
	# (written at the commit, by fflush(3)).
	{
		cat example.zone
		for i in $(seq 1 3000); do
			printf 'd%d.example.\t86400\tIN\tNS\tns1.provider.net.\n' "$i"
		done
	} > big.zone
}

# limited CMD...: CMD run with a file size limit of 0 and its standard
# output to ./stdout; its status in $status, its standard error in
# $stderr.
limited() {
	status=0
	stderr=$( (trap '' XFSZ; ulimit -f 0; exec "$@" 2>&1 > stdout) ) ||
		status=$?
}

# old_kept FILE: FILE is still "old\n" with mode 640, alone in ./o.
old_kept() {
	assert_equal "$(cat "$1")" "old"
	assert_equal "$(stat -c %a "$1")" "640"
	assert_equal "$(ls o)" "$(basename "$1")"
}

old_file() {
	mkdir -p o
	printf 'old\n' > o/out.zone
	chmod 640 o/out.zone
}

# each_o PROG ARG...: PROG -o o/out.zone ARG... under the limit fails
# with the reason, and keeps the old file.
each_o() {
	local prog=$1
	shift
	old_file
	limited "$prog" -o o/out.zone "$@"
	assert_equal "$status" 2
	assert_equal "$stderr" "$prog: o/out.zone: write: File too large"
	assert_equal "$(cat stdout)" ""
	old_kept o/out.zone
}

# each_stdout PROG ARG...: PROG ARG... with its standard output to a
# file under the limit fails with the reason.
each_stdout() {
	local prog=$1
	shift
	limited "$prog" "$@"
	assert_equal "$status" 2
	assert_equal "$stderr" "$prog: <stdout>: write: File too large"
}

@test "output: zcanon -o, and standard output: write: File too large" {
	each_o zcanon big.zone
	each_o zcanon example.zone
	each_stdout zcanon big.zone
	each_stdout zcanon example.zone
}

@test "output: zresign -o, and standard output: write: File too large" {
	each_o zresign -t 20261201000000 $A big.zone
	each_o zresign -t 20261201000000 $A example.zone
	each_stdout zresign -t 20261201000000 $A example.zone
}

@test "output: zadd-bero-ns -o, and standard output: write: File too large" {
	each_o zadd-bero-ns -n nic-b.ns big.zone
	each_o zadd-bero-ns -n nic-b.ns example.zone
	each_stdout zadd-bero-ns -n nic-b.ns example.zone
}

@test "output: zmerge-dnskey -o, and standard output: write: File too large" {
	each_o zmerge-dnskey -k "$KSK_B" big.zone
	each_o zmerge-dnskey -k "$KSK_B" example.zone
	each_stdout zmerge-dnskey -k "$KSK_B" example.zone
}

@test "output: ds-from-dnskey -o, and standard output: write: File too large" {
	each_o ds-from-dnskey Kexample.+013+05021 Kexample.+013+62651
	each_stdout ds-from-dnskey Kexample.+013+05021
}

@test "output: the reports on standard output: write: File too large" {
	each_stdout zdiff-dnssec example.zone big.zone
	each_stdout zdiff-dnssec -j example.zone big.zone
	each_stdout zcheck-chain -j -t 20261201000000 -D ds-a.ds a-2a.signed
	cat a.ns nic-b.ns ds-ab.ds > request.txt
	each_stdout zcheck-servers -O -L -j -n request.txt example. \
	    ns2.nic-b.net=192.0.2.53
}

@test "output: no file is made where the limit stops it, and the old one stays" {
	# The limit hits after the temporary file is made: it goes.
	old_file
	limited zcanon -o o/out.zone big.zone
	assert_equal "$status" 2
	old_kept o/out.zone
	# A new output: nothing is left at all.
	rm -r o && mkdir o
	limited zcanon -o o/new.zone big.zone
	assert_equal "$status" 2
	assert_equal "$(ls o)" ""
	# Without the limit, the same commands write.
	old_file
	runs zcanon -o o/out.zone big.zone
	assert_success
	assert_equal "$(wc -l < o/out.zone)" "$(zcanon big.zone | wc -l)"
	assert_equal "$(stat -c %a o/out.zone)" "640"
}

@test "output: an -o whose temporary file cannot be made says so" {
	runs zcanon -o /nonexistent/dir/out example.zone
	assert_trouble zcanon '^zcanon: /nonexistent/dir/out: create a temporary file beside it: No such file or directory$'
}

@test "output: a program that gives up after opening its output leaves no temporary file" {
	build_driver "$TOP/t/tools/outtest.c" outtest
	old_file
	runs bash -c 'echo new | ./outtest o/out.zone die'
	assert_equal "$status" 2
	assert_equal "$stderr" "outtest: open
outtest: told to give up"
	old_kept o/out.zone
	# Not told to: it commits.
	runs bash -c 'echo new | ./outtest o/out.zone'
	assert_success
	assert_equal "$(cat o/out.zone)" "new"
	assert_equal "$(ls o)" "out.zone"
}
