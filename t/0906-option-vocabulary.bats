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

@test "every program of the GNUmakefile (PROGS, SCRIPT) is checked above" {
	local p progs
	progs=$(sed -n 's/^\(PROGS\|SCRIPT\) = //p' "$TOP/GNUmakefile")
	[ -n "$progs" ] || fail "GNUmakefile: no PROGS"
	for p in $progs; do
		grep -q "^	options_agree $p\( \|$\)" "$BATS_TEST_FILENAME" ||
		    fail "$p: no options_agree test"
	done
}
