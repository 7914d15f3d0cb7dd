#!/usr/bin/env bats
# Runs last: the suite changed nothing outside its temporary directories.
# A test that renamed an output over /dev/null (as root, rename(2) would
# do it) leaves a regular file there, and every later write to /dev/null
# on the machine goes to disk.  The tools refuse to replace anything but
# a regular file with -o; this proves it for each of them on a FIFO of
# the test's own, and proves the devices are still devices at the end.

load helper

@test "the system's /dev/null, /dev/full and /dev/zero are still character devices" {
	local d
	for d in /dev/null /dev/full /dev/zero; do
		[ -c "$d" ] || fail "$d is no longer a character device"
	done
}

@test "every program's -o refuses to replace a FIFO (and so a device)" {
	local z=$DATA/examples/example.zone k p
	cd "$BATS_TEST_TMPDIR"
	mkfifo fifo
	k=$(ls "$DATA"/examples/K*.key | head -1)
	for p in "zcanon $z" "zadd-bero-ns -n $DATA/examples/nic-b.ns $z" \
	    "zmerge-dnskey -k $k $z" "ds-from-dnskey $k" \
	    "zresign -t 20261201000000 -k ${k%.key} $z"; do
		runs ${p%% *} -o fifo ${p#* }
		assert_equal "$status" 2
		[[ "$stderr" == *"fifo: not a regular file"* ]] ||
			fail "$p -o fifo: $stderr"
		[ -p fifo ] || fail "$p replaced the FIFO"
	done
}
