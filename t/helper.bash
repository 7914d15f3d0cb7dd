# Shared by every t/NNNN-tool-topic.bats file.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BK_BIN=${BK_BIN:-$TOP/build/bin}
PATH=$BK_BIN:$TOP/scripts:$PATH
DATA=$BATS_TEST_DIRNAME/data
REAL=$DATA/realzones
export TZ=UTC

# The 2017 root zone, unpacked once per run into a shared cache.
root_zone() {
	local z=${BATS_RUN_TMPDIR:-/tmp}/root.zone
	[ -s "$z" ] || xz -dc "$REAL/root-2017082100/root.zone.xz" > "$z"
	printf '%s\n' "$z"
}

# name_of_octets N: an absolute name of N octets in wire form (N from 195
# to 256; RFC 1035 section 2.3.4 allows 255): three labels of 63 octets
# and one of N - 194 (each label costs its length and one octet, the
# root one).
name_of_octets() {
	local l63 last
	l63=$(printf '%063d' 0 | tr 0 a)
	last=$(printf "%0$(($1 - 194))d" 0 | tr 0 b)
	printf '%s.%s.%s.%s.\n' "$l63" "$l63" "$l63" "$last"
}

# Run a command with stdout and stderr kept apart ($output, $stderr).
runs() {
	run --separate-stderr "$@"
}

# usage_is_synopsis PROG [ARG...]: PROG run with ARGs (a usage error)
# exits 2 with nothing on standard output, and its usage message (from
# "usage:" on; getopt(3) may say what was wrong first) is the SYNOPSIS of
# its man page as mandoc(1) renders it, white space folded: the one test
# of that agreement, for every program.
usage_is_synopsis() {
	local prog=$1 use syn
	shift
	runs "$prog" "$@"
	assert_equal "$status" 2
	assert_equal "$output" ""
	use=$(printf '%s\n' "$stderr" | sed -n '/^usage: /,$p' |
	    sed '1s/^usage: //' | tr '\n' ' ' | tr -s '[:blank:]' ' ' |
	    sed 's/^ //; s/ $//')
	[ -n "$use" ] || fail "$prog $*: no usage message: $stderr"
	syn=$(mandoc -T ascii "$TOP/man/$prog.1" | col -b |
	    awk '/^SYNOPSIS/ { s = 1; next } /^[A-Z]/ { s = 0 } s && NF' |
	    tr '\n' ' ' | tr -s '[:blank:]' ' ' | sed 's/^ //; s/ $//')
	[ -n "$syn" ] || fail "man/$prog.1: no SYNOPSIS"
	assert_equal "$use" "$syn"
}

# opt_letters: the options of a usage message or a rendered SYNOPSIS on
# standard input, one per line, "L" for a switch and "L:name" for a
# letter that takes an argument, with the argument's name (a cluster
# such as -124aCqv is switches; a lone letter followed by a word takes
# it, named by the word up to a bracket: -x name[/type] is "x:name").
opt_letters() {
	tr '\n' ' ' | awk '{
		s = " " $0 " "
		while (match(s, /[[ |]-[A-Za-z0-9]+/)) {
			c = substr(s, RSTART + 2, RLENGTH - 2)
			s = substr(s, RSTART + RLENGTH)
			if (length(c) == 1 && match(s, /^ [a-z][a-z0-9\/_-]*/)) {
				print c ":" substr(s, 2, RLENGTH - 1); continue }
			for (i = 1; i <= length(c); i++) print substr(c, i, 1)
		}
	}' | sort -u
}

# options_agree PROG [ARG...]: PROG's options are the vocabulary of
# berokit(7), OPTIONS ACROSS PROGRAMS, read from the page itself.  PROG
# run with ARGs (a usage error) prints a usage message whose options are
# those of its page's SYNOPSIS; every letter is in the table, as a shared
# letter that lists PROG or as a letter of PROG alone, taking an argument
# where the table's does, of the name the table gives it (one name a
# letter, in every program); every row that names PROG is a letter PROG
# takes; a shared letter has no row of one program; every option of the
# page's lists (.It Fl) is one PROG takes, and every letter it takes is
# on its page.  The one test of that agreement, for every program.
options_agree() {
	local prog=$1 page=$TOP/man/$1.1 use syn tab items bad
	shift
	runs "$prog" "$@"
	assert_equal "$status" 2
	use=$(printf '%s\n' "$stderr" | sed -n '/^usage: /,$p' | opt_letters)
	[ -n "$use" ] || fail "$prog $*: no options in its usage: $stderr"
	syn=$(mandoc -T ascii "$page" | col -b |
	    awk '/^SYNOPSIS/ { s = 1; next } /^[A-Z]/ { s = 0 } s' |
	    opt_letters)
	[ "$use" = "$syn" ] ||
	    fail "$prog: usage and SYNOPSIS differ:$(diff <(echo "$use") <(echo "$syn") | sed -n 's/^[<>]/&/p' | tr '\n' ' ')"
	# The table: "shared L[:] prog,prog" and "own L[:] prog" lines.
	tab=$(awk '
		/^\.Sh / { on = ($0 == ".Sh OPTIONS ACROSS PROGRAMS"); next }
		on && /^\.Ss / { kind = ($0 ~ /Shared/) ? "shared" : "own" }
		on && /^\.It Fl / {
			n = split($0, f, / Ta /)
			split(f[1], w, " ")
			a = w[5]
			sub(/[^a-z0-9\/_-].*$/, "", a)
			l = w[3] (w[4] == "Ar" ? ":" a : "")
			p = (kind == "shared") ? f[n] : f[2]
			gsub(/ /, "", p)
			print kind, l, p
		}' "$TOP/man/berokit.7")
	[ -n "$tab" ] || fail "berokit.7: no OPTIONS ACROSS PROGRAMS table"
	bad=$(printf '%s\n' "$tab" | awk -v prog="$prog" -v use="$use" '
		BEGIN { n = split(use, u, "\n"); for (i = 1; i <= n; i++) {
			l = u[i]; sub(/:.*$/, "", l)
			if (l in takes) print "-" l ": two names, " takes[l] " and " u[i]
			takes[l] = u[i] } }
		{ l = $2; sub(/:.*$/, "", l) }
		$1 == "shared" { if (l in shared) print "-" l ": two shared rows"
			shared[l] = $2; progs[l] = "," $3 "," }
		$1 == "own" { own[l] = 1
			if ($3 == prog) { mine[l] = $2
				if (!(l in takes)) print "-" l ": the table gives it to " prog ", which does not take it" } }
		END {
			for (l in shared) {
				if (l in own) print "-" l ": shared, and a letter of one program too"
				if (index(progs[l], "," prog ",") && !(l in takes))
					print "-" l ": the table gives it to " prog ", which does not take it"
			}
			for (l in takes) {
				if (l in shared) {
					if (!index(progs[l], "," prog ","))
						print "-" l ": " prog " takes it, the table does not list " prog " for it"
					else if (shared[l] != takes[l])
						print "-" l ": " prog " takes it as " takes[l] ", the table as " shared[l]
				} else if (l in mine) {
					if (mine[l] != takes[l])
						print "-" l ": " prog " takes it as " takes[l] ", the table as " mine[l]
				} else
					print "-" l ": " prog " takes it, the table does not list it"
			}
		}')
	[ -z "$bad" ] || fail "$prog and berokit(7):
$bad"
	# The page: its option items (.It Fl, outside the SYNOPSIS) are
	# letters it takes, and each letter it takes is on it.
	items=$(awk '/^\.Sh / { s = ($2 == "SYNOPSIS") } !s && /^\.It Fl [A-Za-z0-9]( |$)/ {
		print $3 (($4 == "Ar" || $4 == "Cm") ? ":" : "") }' "$page" | sort -u)
	bad=$(comm -13 <(printf '%s\n' "$use" | sed 's/:.*/:/') \
	    <(printf '%s\n' "$items"))
	[ -z "$bad" ] || fail "man/$prog.1 lists options $prog does not take: $(echo $bad)"
	for l in $use; do
		awk -v l="${l%%:*}" '/^\.Sh / { s = ($2 == "SYNOPSIS") }
		    !s && ($0 ~ "(^|[ .])Fl " l "( |$)") { f = 1 } END { exit !f }' "$page" ||
		    fail "man/$prog.1 does not describe -${l%%:*}"
	done
}

# A failure of the "could not do the job" kind: status 2, a message in
# the house shape, nothing on standard output.
assert_trouble() {
	local prog=$1 pattern=$2
	assert_equal "$status" 2
	assert_equal "$output" ""
	[[ "$stderr" == "$prog: "* ]] || fail "stderr not '$prog: ...': $stderr"
	[[ "$stderr" =~ $pattern ]] || fail "stderr does not match '$pattern': $stderr"
}

# build_driver SOURCE OUTPUT [ARG...]: a test driver (t/tools/*.c, a
# corpus program) built with cc(1) against the library of the build under
# test ($BK_BIN/../libberokit.a), with the sanitizers when that library
# was built with them, so that the GNUmakefile stays the program list.
# ARGs (flags, more sources) go before the library: a source given there
# replaces the library's object of that name (a test build of it).
build_driver() {
	local lib=$BK_BIN/../libberokit.a san=
	local pkgs="ldns libzscanner libcrypto libsodium"
	nm "$lib" 2>/dev/null | grep -q __asan_ &&
		san="-fsanitize=address,undefined -fno-omit-frame-pointer"
	cc -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $san \
		-I"$TOP/lib" $(pkg-config --cflags $pkgs) \
		-o "$2" "$1" "${@:3}" "$lib" $(pkg-config --libs $pkgs) -lpthread
}

# BIND's tools have no option for "now" and hang under libfaketime, which
# the suite's run with the clock moved ahead (make test-future) preloads:
# there they run on the real clock, through a directory of shims put
# first in PATH (so that the driver's scripts get them too).  What BIND
# signs or checks therefore carries explicit times valid on any real
# date (an inception in the past, an expiration in 2038), and the tools
# under test are given the time with -t or BERO_NOW.
if [ -n "${FAKETIME:-}" ]; then
	BK_REALCLOCK=${BATS_RUN_TMPDIR:-/tmp}/realclock
	if [ ! -d "$BK_REALCLOCK" ]; then
		mkdir -p "$BK_REALCLOCK.$$"
		for _t in dnssec-verify dnssec-signzone dnssec-keygen \
		    dnssec-dsfromkey dnssec-revoke dnssec-settime \
		    named-compilezone named-checkzone named-checkconf dig delv; do
			_p=$(command -v "$_t") || continue
			printf '#!/bin/sh\nexec env -u LD_PRELOAD -u FAKETIME %s "$@"\n' \
				"$_p" > "$BK_REALCLOCK.$$/$_t"
			chmod 755 "$BK_REALCLOCK.$$/$_t"
		done
		mv -T "$BK_REALCLOCK.$$" "$BK_REALCLOCK" 2>/dev/null ||
			rm -rf "$BK_REALCLOCK.$$"
	fi
	PATH=$BK_REALCLOCK:$PATH
fi
