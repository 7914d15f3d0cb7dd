#!/usr/bin/env bats
# scripts/berokit.mk, the Makefile include, through scripts/example.mk
# in a copy of the examples: signing, DS records and the chain check;
# nothing done twice; a re-sign after an edit keeps the signatures of
# what did not change (zresign -P); a failed rule leaves the old target
# and fails make; and make install puts the driver and its scripts where
# the driver finds them.

load helper

NOW=1796083200

setup() {
	# make check runs these tests under make: its variables would make
	# the inner make print "Entering directory" and take its flags.
	unset MAKELEVEL MAKEFLAGS MFLAGS
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/* .
	cp "$TOP/scripts/berokit.mk" "$TOP/scripts/example.mk" .
}

mk() {
	make -f example.mk BEROKIT_NOW=$NOW "$@"
}

@test "make -f example.mk: the signed zone, its DS records and the check" {
	run mk
	assert_success
	[ -s example.signed ] && [ -s example.ds ] && [ -s example.check ]
	[ ! -e example.signed.unsigned ]
	run zcheck-chain -q -t $NOW -D example.ds example.signed
	assert_success
	# The DS of A's KSK, made again from the key file.
	run ds-from-dnskey -2 Kexample.+013+05021
	assert_output "$(cat example.ds)"
	run tail -n 1 example.check
	assert_output 'zcheck-chain: 0 problems, 0 warnings'
	run mk
	assert_output "make: Nothing to be done for 'all'."
}

@test "an edit re-signs; the signatures of the RRsets that did not change are kept" {
	mk > /dev/null
	cp example.signed before.signed
	# A secure delegation: its DS and its NSEC3 record are signed (an
	# insecure one changes no signature of an opt-out zone, whose
	# denial zresign keeps from -P).
	printf 'delta\t86400\tIN\tNS\tns1.provider.net.\n' >> example.zone
	printf 'delta\t86400\tIN\tDS\t12345 13 2 %s\n' "$(printf '%064d' 0 | tr 0 a)" >> example.zone
	run mk BEROKIT_NOW=$((NOW + 3600))
	assert_success
	assert_line --partial -- '-P example.signed'
	run zdiff-dnssec -b before.signed example.signed
	assert_line --regexp '^data: 1 delegation differs'
	assert_line --regexp '^signatures: [0-9]+ made, 0 removed, [1-9][0-9]* kept, '
}

@test "a rule that fails leaves the old target and fails make" {
	mk > /dev/null
	cp example.signed before.signed
	touch example.zone
	run mk BEROKIT_KEYS='Kexample.+013+05021 Kexample.+013+99999'
	assert_failure
	[[ "$output" == *"Kexample.+013+99999"* ]]
	cmp example.signed before.signed
	run mk BEROKIT_KEYS=
	assert_failure
	assert_line 'berokit.mk: example.signed: no keys (BEROKIT_KEYS)'
}

@test "a check that fails writes no verdict and fails make" {
	# The chain checked from B's DS: A's zone does not validate from it.
	ds-from-dnskey -2 Kexample.+013+62651 > b.ds
	run mk BEROKIT_DS=b.ds
	assert_failure
	[[ "$output" == *"zcheck-chain: "* ]]
	[ ! -e example.check ] && [ ! -e example.check.tmp ]
	[ -s example.signed ]
}

@test "per-zone keys and DS sets: BEROKIT_KEYS_<stem>, BEROKIT_DS_<stem>" {
	cp example.zone other.zone
	run make -f example.mk BEROKIT_NOW=$NOW other.check \
	    BEROKIT_KEYS_other='Kexample.+013+62651 Kexample.+013+48585'
	assert_success
	run ds-from-dnskey -2 Kexample.+013+62651
	assert_output "$(cat other.ds)"
}

@test "make install: bero-migrate in BINDIR finds its scripts; uninstall removes them" {
	local o
	o=$(dirname "$BK_BIN")
	run make -C "$TOP" O="$o" PREFIX="$PWD/inst" install
	assert_success
	[ -x inst/bin/bero-migrate ] && [ -f inst/share/berokit/step-2b.sh ]
	[ -f inst/share/berokit/berokit.mk ] && [ -f inst/share/man/man7/bero-migration.7 ]
	run inst/bin/bero-migrate plan -t 20261201000000
	assert_success
	assert_output "$(cat "$DATA/bero-migrate/plan-default.out")"
	run make -C "$TOP" O="$o" PREFIX="$PWD/inst" uninstall
	assert_success
	[ ! -e inst/bin/bero-migrate ] && [ ! -e inst/share/berokit ]
	[ ! -e inst/share/man/man1/bero-migrate.1 ]
}
