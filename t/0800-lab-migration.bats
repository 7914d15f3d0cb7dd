#!/usr/bin/env bats
# The end-to-end lab test (issue 6, part 5): the whole migration of
# PROCEDURE.md run by scripts/bero-migrate with berokit's tools, published
# to real authoritative servers (NSD: the test root, A on two addresses,
# B on two addresses) and watched through real validating resolvers
# (Unbound) that trust the test root's key.  Every TTL is 10 s and the
# propagation delays 2 s, and the test really sleeps through every wait,
# so the resolvers' caches behave as they do in production.
#
# The resolvers, per step (t/lab/lab.sh):
#   keep-a  started at step 0, pinned to A while A serves (caches kept)
#   keep-b  started at step 2a, pinned to B (caches kept)
#   keep-u  started at step 0, following the root's delegation
#   keep-x  started at step 0, pinned to A, then to B and back at every
#           step while a resolver may reach both (2b to 8): its cache
#           holds what the other operator published a step before
#   new-a, new-b, new-u  started afresh at every step
# A resolver is pinned to A only while A serves (to step 12) and to B
# only from step 2a, when B's DNSKEY RRset carries KSK_A's signature:
# before that, B is in no NS set and validates from no DS the root has.
#
# At every step every resolver must answer the probe set as a validating
# resolver should (lab.sh's probe): the apex SOA, NS and DNSKEY, the DS
# of the secure delegation and an apex no-data answer validated (AD);
# the DS denial of an insecure delegation and a name that does not exist
# without SERVFAIL (opt-out: RFC 5155 section 9.2); and the _operator
# TXT record validated, naming the operator a pinned resolver is pinned
# to, and the one an unpinned resolver must reach when the NS sets leave
# no choice.  Every answer is kept in the lab's answers.log, one line
# per probe in probes.log, and a table per step is printed at the end.

load helper
load lab/setup

setup_file() {
	lab_migration_setup_file 0800-migration
}

teardown_file() {
	lab_migration_teardown_file
}

setup() {
	lab_setup
}

# Which operators serve, and who may be pinned to them, at a step.
a_serves() {
	case $1 in 13) return 1 ;; esac
}

b_valid() {
	case $1 in 0|1) return 1 ;; esac
}

# The switcher's pin at a step: A to step 2a (B is in no NS set before
# 2b), then B, A, B... while a resolver may reach both (2b to 8), then B
# (A is in no NS set a resolver may hold once step 9's wait is over).
x_pin() {
	local s i=0
	for s in 2b 3 4 5 6 7 8; do
		if [ "$s" = "$1" ]; then
			[ $((i % 2)) = 0 ] && echo b || echo a
			return
		fi
		i=$((i + 1))
	done
	case $1 in 0|1|2a) echo a ;; *) echo b ;; esac
}

# The operator an unpinned resolver must reach at a step: A while A's
# name servers are the only ones in any NS set (to step 2a), B once
# the root names only B's and no NS set naming A can be cached (fresh
# resolvers from step 8, long-lived ones from step 9); either between.
u_op() {
	case $1:$2 in
	*:0|*:1|*:2a) echo A ;;
	new:8|*:9|*:1[0-3]) echo B ;;
	*) echo any ;;
	esac
}

# probe_all STEP: the fresh resolvers of the step, then every resolver
# in play asked the probe set; the test fails on any wrong answer, after
# every resolver was asked.
probe_all() {
	local s=$1 bad=0 r
	lab_resolver_start "new-u-$s" u
	a_serves "$s" && lab_resolver_start "new-a-$s" a
	b_valid "$s" && lab_resolver_start "new-b-$s" b
	case $s in
	2a) lab_resolver_start keep-b b ;;
	13) lab_resolver_stop keep-a ;;
	esac
	lab_resolver_pin keep-x "$(x_pin "$s")"

	r="new-u-$s:$(u_op new "$s") keep-u:$(u_op keep "$s") keep-x:any"
	a_serves "$s" && r="$r new-a-$s:A keep-a:A"
	b_valid "$s" && r="$r new-b-$s:B keep-b:B"
	probe_many "$s" $r || bad=1
	lab_resolver_stop "new-u-$s"
	lab_resolver_stop "new-a-$s"
	lab_resolver_stop "new-b-$s"
	if [ "$bad" = 1 ]; then
		awk -v s="$s" '$1 == s && $9 != "ok"' "$LAB_DIR/probes.log"
		return 1
	fi
}

@test "step 0: init publishes the root and A; every resolver validates" {
	run bero init -C "$LAB_OUT/lab.conf" -f "$BATS_TEST_DIRNAME/lab/example.zone"
	echo "$output" > "$LAB_OUT/steps/0.out"
	assert_success
	# The root and A serve what init published (the hook may have
	# started them already; reload_party starts or reloads).
	reload_party root "$STATE/published/root/root.zone"
	reload_party a "$STATE/published/a/example.zone"
	lab_root "$STATE/published/root/root.zone"
	lab_resolver_start keep-a a
	lab_resolver_start keep-u u
	lab_resolver_start keep-x a
	run probe_all 0
	assert_success
}

@test "step 1: B takes A's zone by AXFR with TSIG and signs it; resolvers validate" {
	run_step 1
	run probe_all 1
	assert_success
}

@test "step 2a: both publish the four keys with exchanged signatures" {
	run_step 2a
	run probe_all 2a
	assert_success
}

@test "step 2b: both add B's name servers, after TTL_KEY" {
	run_step 2b
	run probe_all 2b
	assert_success
}

@test "step 3: the registry asks for NS_A + NS_B and DS_A + DS_B" {
	run_step 3
	run probe_all 3
	assert_success
}

@test "step 4: the root publishes NS_A + NS_B and DS_A + DS_B" {
	run_step 4
	run probe_all 4
	assert_success
}

@test "step 5: the wait for the root's TTLs" {
	run_step 5
	run probe_all 5
	assert_success
}

@test "step 6: B removes NS_A; A serves B's data signed by A" {
	run_step 6
	run probe_all 6
	assert_success
}

@test "step 7: the registry asks for NS_B" {
	run_step 7
	run probe_all 7
	assert_success
}

@test "step 8: the root publishes NS_B" {
	run_step 8
	run probe_all 8
	assert_success
}

@test "step 9: the wait until no answer signed by ZSK_A can be cached" {
	run_step 9
	run probe_all 9
	assert_success
}

@test "step 10: B removes A's keys" {
	run_step 10
	run probe_all 10
	assert_success
}

@test "step 11: the registry asks for DS_B alone, after TTL_KEY" {
	run_step 11
	run probe_all 11
	assert_success
}

@test "step 12: the root publishes DS_B alone" {
	run_step 12
	run probe_all 12
	assert_success
}

@test "step 13: A stops answering; resolvers still validate through B" {
	run_step 13
	# A's servers no longer answer.
	run lab_served_serial 127.53.0.11 example.
	assert_output ""
	run probe_all 13
	assert_success
}

@test "every probe of every step was answered as a validating resolver must" {
	run awk '$9 != "ok"' "$LAB_DIR/probes.log"
	assert_output ""
	# 15 steps, each with both fresh and long-lived resolvers.
	run awk '{ print $1 }' "$LAB_DIR/probes.log"
	assert_equal "$(printf '%s\n' "$output" | sort -u | wc -l)" 15
}
