#!/usr/bin/env bats
# One vocabulary of options (issue 14): every program's usage message,
# its page's SYNOPSIS and options list, and the table of berokit(7),
# OPTIONS ACROSS PROGRAMS, name the same letters with the same meaning
# (options_agree in t/helper.bash reads the table from the page).
load helper

@test "ds-from-dnskey: its options are the table's" {
	options_agree ds-from-dnskey -%
}

@test "zcanon: its options are the table's" {
	options_agree zcanon -%
}

@test "zmerge-dnskey: its options are the table's" {
	options_agree zmerge-dnskey -%
}

@test "zcheck-chain: its options are the table's" {
	options_agree zcheck-chain -%
}

@test "zresign: its options are the table's" {
	options_agree zresign -%
}

@test "zadd-bero-ns: its options are the table's" {
	options_agree zadd-bero-ns -%
}

@test "zcheck-servers: its options are the table's" {
	options_agree zcheck-servers -%
}

@test "zdiff-dnssec: its options are the table's" {
	options_agree zdiff-dnssec -%
}

@test "bero-migrate: its options are the table's" {
	options_agree bero-migrate
}

@test "berokit(7) names every capital that two programs take with meanings of their own" {
	local table named
	# The letters of the second table with rows of two programs or more.
	table=$(awk '/^\.Sh / { on = ($0 == ".Sh OPTIONS ACROSS PROGRAMS") }
		on && /^\.Ss / { own = ($0 !~ /Shared/) }
		on && own && /^\.It Fl [A-Z]/ { split($0, f, / Ta /)
			split(f[1], w, " "); p[w[3]] = p[w[3]] " " f[2] }
		END { for (l in p) { n = split(p[l], a, " ")
			for (i = 2; i <= n; i++) if (a[i] != a[1]) { print l; break } } }' \
	    "$TOP/man/berokit.7" | sort | tr '\n' ' ')
	named=$(awk '/each program with its$/ { on = 1 } on && /^\.Fl / {
		gsub(/^\.Fl |[ ,.]/, ""); print; exit }' "$TOP/man/berokit.7" |
	    fold -w1 | sort | tr '\n' ' ')
	[ -n "$table" ] || fail "berokit.7: no capital of two programs"
	assert_equal "$named" "$table"
}

@test "every program of the GNUmakefile (PROGS, SCRIPT) is checked above" {
	local p progs
	progs=$(sed -n 's/^\(PROGS\|SCRIPT\) = //p' "$TOP/GNUmakefile")
	[ -n "$progs" ] || fail "GNUmakefile: no PROGS"
	for p in $progs; do
		grep -q "^	options_agree $p\( \|$\)" "$BATS_TEST_FILENAME" ||
		    fail "$p: no options_agree test"
	done
}
