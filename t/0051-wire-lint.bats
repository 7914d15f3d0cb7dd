#!/usr/bin/env bats
# tools/wire-lint.sh (issue 15, item 1): no file but lib/wire.c reads a
# wire field by hand.  The repository passes; a raw RDATA offset, byte
# assembly by shifts and a private get16 planted in a copy are refused,
# each at its file and line, in any file of lib/ or bin/ (no list of
# files exempts one any more); comments, strings and lines marked "not
# wire" are not findings.

load helper

lint() {
	runs sh "$TOP/tools/wire-lint.sh" "$@"
	refused=$(printf '%s\n' "$stderr" | grep -v '^wire-lint: warning: ' || :)
}

# has LINE: standard error of the last lint has LINE.
has() {
	printf '%s\n' "$stderr" | grep -Fxq -- "$1" || fail "no '$1' in: $stderr"
}

# A copy of what the lint reads, at $R.
copy() {
	R=$BATS_TEST_TMPDIR/r
	mkdir -p "$R/tools"
	cp -R "$TOP/lib" "$TOP/bin" "$R"
}

# plant FILE LINE: LINE added at the end of FILE; prints its number.
plant() {
	printf '%s\n' "$2" >> "$1"
	wc -l < "$1" | tr -d ' '
}

@test "wire-lint: the repository passes" {
	lint "$TOP"
	assert_success
	assert_output ""
	assert_equal "$refused" ""
}

@test "wire-lint: a planted raw RDATA offset is refused at its line" {
	local n c
	copy
	for c in 'static int f(const uint8_t *rd) { return rd[2]; }' \
	    'static uint32_t f(const struct rr *r) { return wire_get32(r->rdata + 16); }' \
	    'static int f(const uint8_t *rd) { return rd[5 + rd[4]]; }' \
	    'static int f(const struct rr *r) { return r->rdata[r->rdlen - 4]; }'; do
		cp "$TOP/lib/denial.c" "$R/lib/denial.c"
		n=$(plant "$R/lib/denial.c" "$c")
		lint "$R"
		assert_failure 1
		assert_equal "$refused" "wire-lint: lib/denial.c:$n: a raw RDATA offset: use a view of lib/wire.h"
	done
}

@test "wire-lint: byte assembly and private accessors are refused" {
	local n
	copy
	n=$(plant "$R/bin/zcanon.c" 'static unsigned f(const uint8_t *p) { return p[0] << 8 | p[1]; }')
	lint "$R"
	assert_failure 1
	assert_equal "$refused" "wire-lint: bin/zcanon.c:$n: hand-rolled byte assembly: use the accessors of lib/wire.h"
	cp "$TOP/bin/zcanon.c" "$R/bin/zcanon.c"
	n=$(plant "$R/lib/zone.c" '	out[0] = (uint8_t)(v >> 8);')
	lint "$R"
	assert_failure 1
	assert_equal "$refused" "wire-lint: lib/zone.c:$n: hand-rolled byte assembly: use the accessors of lib/wire.h"
	cp "$TOP/lib/zone.c" "$R/lib/zone.c"
	n=$(plant "$R/lib/ds.c" 'get16(const uint8_t *p)')
	lint "$R"
	assert_failure 1
	assert_equal "$refused" "wire-lint: lib/ds.c:$n: a private copy of the accessors of lib/wire.h"
}

@test "wire-lint: comments, strings and lines marked 'not wire' are not findings" {
	copy
	plant "$R/lib/ds.c" '/* the tag is rd[0] << 8 | rd[1], RFC 4034 */' > /dev/null
	plant "$R/lib/ds.c" 'static const char *s = "rdata + 16";' > /dev/null
	plant "$R/lib/ds.c" '	h ^= h >> 16 << 8;	/* wire-lint: not wire: a hash */' > /dev/null
	lint "$R"
	assert_success
	# lib/wire.c itself is the one place that may.
	plant "$R/lib/wire.c" 'static int f(const uint8_t *rd) { return rd[2] << 8; }' > /dev/null
	lint "$R"
	assert_success
}

@test "wire-lint: no file is exempt: the list of files to convert is gone" {
	local n f
	copy
	# A planted offset fails in every part of the tree the lint reads,
	# and a list of pending files, as the lint once read, exempts none.
	for f in lib/ds.c bin/zresign.c bin/parts/zresign/serial.c; do
		n=$(plant "$R/$f" 'static int f(const uint8_t *rd) { return rd[2]; }')
		echo "$f" > "$R/tools/wire-lint.pending"
		lint "$R"
		assert_failure 1
		assert_equal "$stderr" "wire-lint: $f:$n: a raw RDATA offset: use a view of lib/wire.h"
		cp "$TOP/$f" "$R/$f"
	done
	[ ! -e "$TOP/tools/wire-lint.pending" ]
	lint "$BATS_TEST_TMPDIR/nowhere"
	assert_failure 2
}
