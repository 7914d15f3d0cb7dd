#!/usr/bin/env bats
# bero-migrate: the rules G3 to G6 between the operators' zones are
# zcheck-chain's alone (issue 13: the shell no longer re-checks
# algorithms, NSEC3 parameters and unsigned data in awk).  Each case the
# awk refused is still refused, now by zcheck-chain, and nothing is
# published: B's keys of another algorithm at step 1 (G3), B's NSEC3
# salt at step 1 (G6), a record only B has at step 2a (G4); and the
# lab's deliberate difference in the data passes only by its -x
# exemption, which the awk ignored.  Every time is BERO_NOW.

load helper
load bero-migrate

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# refused STEP CHECK: the step failed on a zcheck-chain finding of CHECK
# and published nothing.
refused() {
	assert_equal "$status" 1
	assert_line "step $1: a check failed; nothing published"
	assert_output --regexp "zcheck-chain: INVALID \(reports/$1\.check\)"
	[[ "$stderr" == *"zcheck-chain found problems: "*"($2"* ]] ||
	    fail "no zcheck-chain finding of $2: $stderr"
	grep -q "($2" "st/reports/$1.check"
	assert_equal "$(snap)" "$SNAP"
}

# What is published and logged.
snap() {
	(cd st && ls -R published && cat log published/*/*) | cksum
}

@test "step 1: B's keys of another algorithm (RSA) are refused by zcheck-chain -A (G3)" {
	bm_init st
	rm st/keys/b/K*
	dnssec-keygen -q -K st/keys/b -a RSASHA256 -b 2048 -f KSK example > /dev/null
	dnssec-keygen -q -K st/keys/b -a RSASHA256 -b 2048 example > /dev/null
	SNAP=$(snap)
	BERO_NOW=$T0 runs bero-migrate -d st step 1
	refused 1 G3
	grep -qF "algorithms 8, but" st/reports/*.check
}

@test "step 1: B's NSEC3 salt differs from A's: refused by zcheck-chain -A (G6)" {
	bm_init st
	# Once A is signed: B alone signs with the salt.
	printf "ZRESIGN_OPTS='-S abcd'\n" >> st/config
	SNAP=$(snap)
	BERO_NOW=$T0 runs bero-migrate -d st step 1
	refused 1 G6
	grep -qF "denial NSEC3 1 0 0 abcd, but" st/reports/*.check
}

@test "step 2a: a record only B's copy holds is refused by zcheck-chain (G4)" {
	bm_init st
	BERO_NOW=$T0 bero-migrate -d st step 1 > /dev/null
	printf 'only-b.example.\t3600\tIN\tTXT\t"b"\n' >> st/published/b/example.zone
	SNAP=$(snap)
	BERO_NOW=$T0 runs bero-migrate -d st step 2a
	refused 2a G4
	grep -qF "only-b.example. TXT" st/reports/*.check
}

@test "step 1: the lab's _operator TXT passes by its -x exemption only (the awk dropped it whatever zcheck-chain was told)" {
	bm_init st -C /dev/stdin <<'EOS'
LAB_OPERATOR_TXT=yes
ZCHECK_LAB_OPTS='-x other'
EOS
	SNAP=$(snap)
	BERO_NOW=$T0 runs bero-migrate -d st step 1
	refused 1 G4
	grep -qF "_operator.example. TXT" st/reports/*.check
	bm_init ok -C /dev/stdin <<'EOS'
LAB_OPERATOR_TXT=yes
EOS
	BERO_NOW=$T0 runs bero-migrate -d ok step 1
	assert_success
}
