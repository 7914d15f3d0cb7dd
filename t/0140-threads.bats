#!/usr/bin/env bats
# The paths that run on several threads at once, on inputs just large
# enough to take them: reading a file in pieces (lib/zread.c), the sort
# in parts (lib/zsort.c), the writer's formatting threads (lib/zwrite.c).
# Whatever the threads do, the output is that of reading standard input,
# which takes none of the reading paths.  make check also runs this file
# on a ThreadSanitizer build (make test-tsan), where a race fails it.
load helper

setup_file() {
	# 10 MiB, 260,000 delegations: pieces, a parallel sort, formatters.
	awk 'BEGIN {
		srand(3)
		print "$ORIGIN tld."
		print "$TTL 600"
		print "@ IN SOA ns.nic.tld. admin.nic.tld. 1 7200 3600 864000 300"
		print "@ IN NS ns.nic.tld."
		print "ns.nic IN A 192.0.2.1"
		for (i = 0; i < 260000; i++) {
			n = sprintf("%x%s", int(rand() * 16777216), i % 5 ? "" : "-x")
			printf "%s IN NS ns%d.h%d.example.\n", n, i % 2, i % 300
			if (i % 9 == 0)
				printf "%s IN DS %d 13 2 %064x\n", n, i % 65536, i
			if (i % 31 == 0)
				printf "ns.%s IN A 192.0.2.%d\n", n, i % 250
		}
	}' > "$BATS_FILE_TMPDIR/t.zone"
}

@test "threads: a file read in pieces, sorted in parts, written by formatters, as from stdin" {
	local z=$BATS_FILE_TMPDIR/t.zone t=$BATS_TEST_TMPDIR
	[ "$(wc -c < "$z")" -gt $((8 << 20)) ]
	zcanon "$z" > "$t/file"
	zcanon < "$z" > "$t/stdin"
	cmp "$t/file" "$t/stdin"
	[ "$(wc -l < "$t/file")" -gt 230000 ]
}

@test "threads: the same, from a fragment, and with -o" {
	local z=$BATS_FILE_TMPDIR/t.zone t=$BATS_TEST_TMPDIR
	grep -v SOA "$z" > "$t/frag.zone"
	zcanon -F -o "$t/frag.out" "$t/frag.zone"
	zcanon -F < "$t/frag.zone" > "$t/stdin"
	cmp "$t/frag.out" "$t/stdin"
}

@test "threads: a piece that cannot be taken leaves the reading to go on alone" {
	local z=$BATS_FILE_TMPDIR/t.zone t=$BATS_TEST_TMPDIR
	# A $TTL halfway: the pieces after it started with the wrong one.
	awk 'NR == 150000 { print "$TTL 77" } { print }' "$z" > "$t/ttl.zone"
	zcanon "$t/ttl.zone" > "$t/file"
	zcanon < "$t/ttl.zone" > "$t/stdin"
	cmp "$t/file" "$t/stdin"
	grep -q '	77	IN	NS	' "$t/file"
}
