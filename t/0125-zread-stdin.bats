#!/usr/bin/env bats
# Standard input read as a file is (lib/zread.c, stdin_open(), issue
# 14): a regular file as itself, mapped, when standard input stands at
# its start; a pipe, or a file read in part already, through a file in
# memory (memfd_create), or a temporary file of TMPDIR when it is set,
# unlinked at once; into memory only when no temporary file can be
# made or take the text, or for zcanon -I.  The zone is the same
# whichever way it comes, and the peak memory that of the file
# (t/0120-zread-split.bats: read in pieces too).

load helper

REAL_URI=$REAL/uri.arpa-2018100702/uri.arpa.zone

# gen N: N delegations of tld., one in ten with a DS, 36 MB for 600000.
gen() {
	awk -v n="$1" 'BEGIN {
		print "$ORIGIN tld."
		print "$TTL 3600"
		print "@ IN SOA ns.nic.tld. admin.nic.tld. 1 7200 3600 864000 300"
		print "@ IN NS ns.nic.tld."
		print "ns.nic IN A 192.0.2.1"
		for (i = 1; i <= n; i++) {
			printf "d%07d IN NS ns1.p%d.example.\n", i, i % 97
			printf "\tNS NS2.P%d.EXAMPLE.\n", i % 89
			if (i % 10 == 0)
				printf "\tDS %d 13 2 %064d\n", i % 65536, i
		}
	}'
}

@test "stdin: a pipe, a redirected file and the file give the same zone; base64 split in chunks read again joined" {
	local f=$REAL_URI t=$BATS_TEST_TMPDIR
	zcanon "$f" > "$t/file.out"
	zcanon < "$f" > "$t/redir.out"
	cat "$f" | zcanon > "$t/pipe.out"
	cmp "$t/file.out" "$t/redir.out"
	cmp "$t/file.out" "$t/pipe.out"
}

@test "stdin: a file read in part already is read from where it stands" {
	local z=$BATS_TEST_TMPDIR/z.zone
	{ echo 'this line is no record'; cat "$DATA/zresign/full.zone"; } > "$z"
	run bash -c '{ read -r line; zcanon; } < "$1"' - "$z"
	assert_success
	assert_output "$(zcanon "$DATA/zresign/full.zone")"
}

@test "stdin: the temporary file of a pipe is gone once read, and with no place for one the pipe is read into memory" {
	local t=$BATS_TEST_TMPDIR
	mkdir "$t/tmp"
	cat "$REAL_URI" | TMPDIR=$t/tmp zcanon > "$t/pipe.out"
	assert_equal "$(ls -A "$t/tmp")" ""
	cat "$REAL_URI" | TMPDIR=$t/none zcanon > "$t/mem.out"
	cmp "$t/pipe.out" "$t/mem.out"
	# An error is reported at its line, under the name <stdin>.
	runs bash -c 'printf "@ SOA a. b. 1 2 3 4 5\n@ A 1.2.3\n" | zcanon -z x.'
	assert_trouble zcanon '^zcanon: <stdin>:2: invalid IPv4 address$'
}

@test "stdin: with no TMPDIR a pipe goes to a file in memory (memfd_create), not to a file of /tmp" {
	local t=$BATS_TEST_TMPDIR pid fds= i w
	mkfifo "$t/fifo"
	( unset TMPDIR; exec zcanon < "$t/fifo" > "$t/out" ) &
	pid=$!
	# Half the text, then a look at the files zcanon holds while it
	# waits for the rest.
	exec {w}> "$t/fifo"
	head -c 20000 "$REAL_URI" >&"$w"
	for i in $(seq 100); do
		fds=$(ls -l "/proc/$pid/fd" 2> /dev/null | sed -n 's/.* -> //p')
		[[ "$fds" != *berokit-stdin* ]] || break
		sleep 0.1
	done
	tail -c +20001 "$REAL_URI" >&"$w"
	exec {w}>&-
	wait "$pid"
	[[ "$fds" == *"/memfd:berokit-stdin (deleted)"* ]] || fail "zcanon's files: $fds"
	zcanon "$REAL_URI" | cmp - "$t/out"
}

@test "stdin: a temporary file that cannot take the whole text (no room): the rest read into memory, the same zone" {
	local z=$BATS_TEST_TMPDIR/m.zone t=$BATS_TEST_TMPDIR
	gen 20000 > "$z"
	{ echo 'this line is no record'; cat "$z"; } > "$t/junk.zone"
	zcanon "$z" > "$t/file.out"
	# A file size limit of 100 KiB (SIGXFSZ ignored, so that the write
	# fails with EFBIG): from a pipe (splice), and copied from a file
	# read in part.
	# Its output goes through cat, out of the limit's reach.
	bash -c 'set -o pipefail; trap "" XFSZ
		cat "$1" | (ulimit -f 100; zcanon) | cat' - "$z" > "$t/pipe.out"
	cmp "$t/file.out" "$t/pipe.out"
	bash -c 'set -o pipefail; trap "" XFSZ
		{ read -r l; (ulimit -f 100; zcanon); } < "$1" | cat' \
		- "$t/junk.zone" > "$t/copy.out"
	cmp "$t/file.out" "$t/copy.out"
}

@test "stdin: a pipe costs the peak memory of the file (within 10%), not the file's and its text" {
	[ -z "${BK_ASAN:-}" ] || skip "peak memory under the sanitizers is theirs"
	local z=$BATS_TEST_TMPDIR/big.zone t=$BATS_TEST_TMPDIR file pipe
	gen 600000 > "$z"
	/usr/bin/time -f %M -o "$t/file.rss" zcanon "$z" > "$t/file.out"
	cat "$z" | /usr/bin/time -f %M -o "$t/pipe.rss" zcanon > "$t/pipe.out"
	cmp "$t/file.out" "$t/pipe.out"
	file=$(tail -n 1 "$t/file.rss")
	pipe=$(tail -n 1 "$t/pipe.rss")
	# The text is 36 MB: held whole, it made the pipe's peak 1.2 times
	# the file's.
	[ "$pipe" -le $((file * 11 / 10)) ] ||
		fail "peak RSS from a pipe $pipe KB, from the file $file KB"
}
