#!/usr/bin/env bats
# The canonical sort of a zone of 65536 records or more runs on every
# core (lib/zsort.c: parts, a parallel radix sort on eight key octets,
# ties ordered by whole keys, records moved in place).  It must give what
# an independent sort gives: ldns-read-zone -z, whose order is RFC 4034
# section 6's, on a zone made to stress it.
load helper

# A zone of 72,000 names and about 120,000 records in scrambled order:
# names sharing their first eight octets and more (ties), one name in
# several places of the input, mixed case, labels under delegations,
# octets that the canonical key escapes (\000, \001, \002) and octets
# above 127, a wildcard, several types and RDATA that differ only late.
gen() {
	awk -v soa="$1" 'BEGIN {
		srand(7)
		N = 72000
		if (soa)
			print "tld. 3600 IN SOA ns.nic.tld. h.nic.tld. 1 2 3 4 5"
		print "tld. 3600 IN NS ns.nic.tld."
		print "tld. 3600 IN NS ns2.nic.tld."
		print "ns.nic.tld. 3600 IN A 192.0.2.1"
		for (i = 0; i < N; i++) {
			k = int(rand() * 6)
			if (k == 0)
				name = sprintf("common-prefix-%d", int(rand() * 3000))
			else if (k == 1)
				name = sprintf("AbCdEfGh%c%d", 97 + int(rand() * 26), i)
			else if (k == 2)
				name = sprintf("x\\%03d%d", int(rand() * 3), i)
			else if (k == 3)
				name = sprintf("\\%03dhi%d", 128 + int(rand() * 128), i)
			else if (k == 4)
				name = sprintf("sub%d.d%d", int(rand() * 4), int(rand() * 2000))
			else
				name = sprintf("n%x", int(rand() * 4000000))
			if (i % 997 == 0)
				name = "*." name
			line[i] = sprintf("%s.tld. 3600 IN NS ns%d.h%d.example.", name, i % 3, int(rand() * 50))
			if (i % 3 == 0)
				line[i] = line[i] "\n" sprintf("%s.tld. 3600 IN DS %d 13 2 %064x", name, i % 65536, i)
			if (i % 5 == 0)
				line[i] = line[i] "\n" sprintf("%s.tld. 3600 IN TXT \"t%d\" \"%d\"", name, i % 7, i)
			if (i % 7 == 0)
				line[i] = line[i] "\n" sprintf("%s.tld. 3600 IN A 192.0.2.%d", name, i % 250)
		}
		# Out of order: a fixed shuffle of whole lines.
		for (i = N - 1; i > 0; i--) {
			j = int(rand() * (i + 1))
			t = line[i]; line[i] = line[j]; line[j] = t
		}
		for (i = 0; i < N; i++)
			print line[i]
	}'
}

# Records made comparable: names in lower case, RDATA without blanks,
# comments and blank lines gone, duplicates (which ldns keeps) folded.
norm() {
	awk '!/^;/ && NF >= 4 { r = ""
		for (i = 5; i <= NF; i++) r = r $i
		print tolower($1), $2, $3, $4, tolower(r) }' | uniq
}

setup_file() {
	gen 1 > "$BATS_FILE_TMPDIR/big.zone"
	gen 0 > "$BATS_FILE_TMPDIR/frag.zone"
}

@test "zsort: a large zone sorts as ldns-read-zone -z sorts it" {
	local t=$BATS_TEST_TMPDIR
	n=$(wc -l < "$BATS_FILE_TMPDIR/big.zone")
	[ "$n" -ge 65536 ] || fail "only $n lines: not the parallel sort"
	zcanon "$BATS_FILE_TMPDIR/big.zone" > "$t/zcanon"
	ldns-read-zone -z "$BATS_FILE_TMPDIR/big.zone" > "$t/ldns-z"
	norm < "$t/zcanon" > "$t/ours"
	norm < "$t/ldns-z" > "$t/ldns"
	[ "$(wc -l < "$t/ours")" -ge 100000 ]
	diff "$t/ldns" "$t/ours"
}

@test "zsort: a large fragment (no apex) sorts the same" {
	local t=$BATS_TEST_TMPDIR
	zcanon "$BATS_FILE_TMPDIR/big.zone" > "$t/whole"
	grep -v '	SOA	' "$t/whole" > "$t/zone"
	runs zcanon -F "$BATS_FILE_TMPDIR/frag.zone"
	assert_success
	assert_equal "$output" "$(cat "$t/zone")"
}

@test "zsort: a large zone's order does not depend on its input order" {
	local t=$BATS_TEST_TMPDIR
	zcanon "$BATS_FILE_TMPDIR/big.zone" > "$t/a"
	tac "$BATS_FILE_TMPDIR/big.zone" > "$t/rev"
	zcanon "$t/rev" > "$t/b"
	cmp "$t/a" "$t/b"
	zcanon - < "$BATS_FILE_TMPDIR/big.zone" > "$t/c"
	cmp "$t/a" "$t/c"
}

@test "zsort: duplicates in a large zone are dropped, one copy kept" {
	local t=$BATS_TEST_TMPDIR
	cat "$BATS_FILE_TMPDIR/big.zone" "$BATS_FILE_TMPDIR/frag.zone" \
	    > "$t/twice.zone"
	zcanon "$BATS_FILE_TMPDIR/big.zone" > "$t/a"
	zcanon "$t/twice.zone" > "$t/b"
	cmp "$t/a" "$t/b"
}
