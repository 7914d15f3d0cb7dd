#!/usr/bin/env bats
# The lab with three state directories, the zone living on and the
# parent late: make demo's script (as t/0850 runs it: the lab's network,
# addresses and port 53, each party in its own directory, A signed by
# BIND's dnssec-signzone) with DEMO_LIVING=1 and DEMO_PARENT_LATE=1
# (scripts/demo/living.sh):
#  - after step 2a the registry adds a delegation with a DS: A, the
#    source until step 6, publishes it (sync -f, its own signer) and B
#    takes it (export sync, import, sync);
#  - the registry's observation of step 4 is tried before the parent
#    publishes the request of step 3: refused, nothing logged; it is
#    observed once the test root serves DS_A and DS_B;
#  - in the wait of step 5 both operators refresh: A with its signer
#    (sync -f) and its refresh bundle, B with refresh, which renews
#    KSK_B's short-lived signatures and takes A's serial (G5);
#  - after step 7 the registry deletes a delegation that has a DS: B,
#    the source from step 6, publishes it (sync -f) and A takes it
#    (sync -f with its own signer's zone of B's data).
# After every step, and after both refreshes, the resolvers of t/0850
# (keep-u, new-u, new-a while a resolver may reach A, new-b from 2a)
# answer t/0850's probe set and the added delegation's DS (validated,
# AD, from step 2a) and the deleted one's (validated until step 7, then
# NXDOMAIN, never SERVFAIL).  While only one operator serves a change
# (add-at-a, del-at-b), fresh resolvers pinned to each are the controls:
# the one pinned to the operator that lacks the change fails the probe.

load helper
load lab/setup

setup_file() {
	lab_demo_file 0855-three-parties-living living_after_step \
	    DEMO_LIVING=1 DEMO_PARENT_LATE=1
}

teardown_file() {
	[ -n "${LAB_SKIP:-}" ] && return 0
	lab_cleanup
	[ -s "$LAB_DIR/probes.log" ] && {
		lab_summary
		awk '$1 == "add-at-a" || $1 == "del-at-b" { n++; if ($9 != "ok") f++ }
		    END { printf "controls (add-at-a, del-at-b): %d probes, %d failed as they must (the change not yet at that operator)\n", n, f }' \
		    "$LAB_DIR/probes.log.control"
	} | lab_note
	return 0
}

setup() {
	lab_setup
	D=$LAB_OUT/demo
	P=$LAB_DIR/probes.log
	. "$D/living/names"
}

# ran PARTY STATUS COMMAND: the line of demo-out/who for that command
# (time party status command), the first such.
ran() {
	awk -v p="$1" -v rc="$2" -v c="$3" '$2 == p && $3 == rc {
	    x = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", x); if (x == c) { print; exit } }' "$D/who"
}

# out_of PARTY COMMAND: what the party's command printed (the
# transcript's section of it).
out_of() {
	awk -v h="$1 \$ bero-migrate -d $2 $3 (status 0)" '
	    /^\[[0-9:]+\] / { p = index($0, h) > 0; next } p' "$D/transcript"
}

# probes_of NAME TYPE [FROM [TO]]: the probes of NAME/TYPE at the hook's
# names from FROM to TO (t/lab/three-parties.sh, LIVING_ORDER).
probes_of() {
	local from=${3:-0} to=${4:-13}
	. "$BATS_TEST_DIRNAME/lab/three-parties.sh"
	awk -v q="$1" -v t="$2" -v order="$LIVING_ORDER" -v from="$from" -v to="$to" '
	    BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) at[o[i]] = i }
	    $4 == q && $5 == t && at[$1] >= at[from] && at[$1] <= at[to]' "$P"
}

@test "the demo's parties ran every step in their own directories, with the living zone and the late parent" {
	run cat "$LAB_OUT/demo.rc"
	assert_output 0 || { cat "$LAB_OUT/demo.out" "$LAB_OUT/demo.err"; false; }
	run cat "$LAB_OUT/demo.out"
	assert_line '== the migration is complete'
	assert_line --regexp '^== [0-9]+ commands by the parties in [0-9]+ s; the servers are stopped$'
	grep -qx 'A_SIGNER=external' "$D/a/config"
	grep -q '^13 ' "$D/a/log"
}

@test "after every step and after the refreshes, every resolver validated what it was asked, the living zone's names too" {
	local s steps
	steps=$(awk '{ print $1 }' "$P" | uniq | tr '\n' ' ')
	assert_equal "$steps" "0 1 2a 2b 3 4 refresh 5 6 7 8 9 10 11 12 13 "
	run awk '$9 != "ok"' "$P"
	assert_output ""
	run awk '$5 ~ /^(SOA|NS|DNSKEY)$/ && $7 != "AD"' "$P"
	assert_output ""
	# The living zone's probes were asked at every step from 2a
	# (the added DS) and at every step (the deleted one's).
	[ "$(probes_of "$ADDED" DS 2a 13 | wc -l)" -eq "$(awk '$1 != 0 && $1 != 1 && $5 == "SOA"' "$P" | wc -l)" ]
	[ "$(probes_of "$DELETED" DS | wc -l)" -eq "$(awk '$5 == "SOA"' "$P" | wc -l)" ]
}

@test "(2) the delegation added at step 2 went from A (sync -f, its own signer) to B (sync), and validated at every resolver from then on, pinned to A and to B" {
	local ta tb t2b
	ta=$(ran a 0 "sync -f a-signer/zone-add.signed" | cut -d ' ' -f 1)
	tb=$(ran b 0 sync | cut -d ' ' -f 1)
	t2b=$(ran a 0 "step 2b -f a-signer/zone-2b.signed" | cut -d ' ' -f 1)
	[ -n "$ta" ] && [ -n "$tb" ] && [ -n "$t2b" ]
	[ "$ta" -le "$tb" ] && [ "$tb" -le "$t2b" ]
	run out_of B b sync
	assert_output --partial "from a (the source) to b"
	assert_output --regexp "G5 SOA serial [0-9]+ at both"
	# Every probe of its DS from step 2a on: NOERROR, AD, one DS.
	run probes_of "$ADDED" DS 2a 13
	refute_output ""
	run awk '!($6 == "NOERROR" && $7 == "AD" && $8 == "ds=1" && $9 == "ok")' <<< "$output"
	assert_output ""
	# Through each operator: resolvers pinned to A and to B.
	probes_of "$ADDED" DS 2a 13 | grep -q '^2a new-a-2a a '
	probes_of "$ADDED" DS 2a 13 | grep -q '^2a new-b-2a b '
	probes_of "$ADDED" DS 2a 13 | grep -q '^11 new-a-11 a '
	# B's zone at the end holds it, with its DS.
	grep -qP "^\Q$ADDED\E\t[0-9]+\tIN\tDS\t4711 13 2 " "$D/b/published/b/example.zone"
}

@test "(2) the delegation deleted at step 7 went from B (sync -f) to A (sync -f, its own signer): validated before, gone after at every resolver, never SERVFAIL" {
	local t7 tb ta
	t7=$(ran r 0 "step 7" | cut -d ' ' -f 1)
	tb=$(ran b 0 "sync -f living/del.zone" | cut -d ' ' -f 1)
	ta=$(ran a 0 "sync -f a-signer/zone-del.signed" | cut -d ' ' -f 1)
	[ -n "$t7" ] && [ -n "$tb" ] && [ -n "$ta" ]
	[ "$t7" -le "$tb" ] && [ "$tb" -le "$ta" ]
	run out_of A a "sync -f a-signer/zone-del.signed"
	assert_output --partial "from b (the source) to a"
	# Before: its DS validated everywhere.
	run probes_of "$DELETED" DS 0 6
	refute_output ""
	run awk '!($6 == "NOERROR" && $7 == "AD" && $9 == "ok")' <<< "$output"
	assert_output ""
	# After: NXDOMAIN everywhere, through A and through B.
	run probes_of "$DELETED" DS 7 13
	refute_output ""
	run awk '!($6 == "NXDOMAIN" && $9 == "ok")' <<< "$output"
	assert_output ""
	probes_of "$DELETED" DS 7 13 | grep -q '^7 new-a-7 a '
	probes_of "$DELETED" DS 7 13 | grep -q '^7 new-b-7 b '
	probes_of "$DELETED" DS 7 13 | grep -q '^7 keep-u u '
	! grep -qP "^\Q$DELETED\E\t" "$D/b/published/b/example.zone" || false
}

@test "the probes are not blind: while only A serves the added delegation a resolver pinned to B does not find it, and while only B has deleted the other one a resolver pinned to A still finds it" {
	run awk -v q="$ADDED" '$1 == "add-at-a" && $4 == q { print $2, $6, $7, $9 }' "$LAB_DIR/probes.log.control"
	assert_output "control-a-add-at-a NOERROR AD ok
control-b-add-at-a NXDOMAIN - FAIL"
	run awk -v q="$DELETED" '$1 == "del-at-b" && $4 == q { print $2, $6, $7, $9 }' "$LAB_DIR/probes.log.control"
	assert_output "control-a-del-at-b NOERROR AD FAIL
control-b-del-at-b NXDOMAIN - ok"
	# Everything else the controls asked, they validated.
	run awk -v a="$ADDED" -v d="$DELETED" '($1 == "add-at-a" || $1 == "del-at-b") &&
	    $4 != a && $4 != d && $9 != "ok"' "$LAB_DIR/probes.log.control"
	assert_output ""
}

@test "(1) the parent late: the registry's observation of step 4 was refused while the root served DS_A alone, nothing logged; observed once it served DS_A and DS_B" {
	local t1 t2 t4
	run cat "$LAB_OUT/demo.out"
	assert_line '               step 4: not observed; nothing logged'
	assert_line '  (refused, status 1; the registry'"'"'s log is unchanged)'
	t1=$(ran r 1 "observe 4" | cut -d ' ' -f 1)
	t2=$(ran r 0 "observe 4" | cut -d ' ' -f 1)
	[ -n "$t1" ] && [ -n "$t2" ] && [ "$t1" -le "$t2" ]
	# Logged once, by the observation that passed.
	run grep -c '^4 ' "$D/registry/log"
	assert_output 1
	t4=$(awk '$1 == 4 { print $2 }' "$D/registry/log")
	[ "$t4" -gt "$t1" ] && [ "$t4" -le "$t2" ]
	# What the root served then, and at step 4.
	run cat "$LAB_DIR/living.root-ds"
	assert_line 'parent-late 1'
	assert_line '4 2'
}

@test "(3) both operators refreshed in the wait of step 5 (A with its signer and its refresh bundle, B's refresh renewing KSK_B's signatures at A's serial); every resolver validated after it" {
	local tr t5 s4 sr kb e1 e2
	tr=$(ran b 0 refresh | cut -d ' ' -f 1)
	t5=$(ran b 0 "step 5" | cut -d ' ' -f 1)
	[ -n "$tr" ] && [ -n "$t5" ] && [ "$tr" -le "$t5" ]
	[ -n "$(ran a 0 "sync -f a-signer/zone-refresh.signed")" ]
	[ -n "$(ran b 0 "import bundles/a-refresh")" ]
	run out_of B b refresh
	assert_output --partial "b: a signature by its keys expires at"
	assert_output --partial "b: operator A's new signature over the DNSKEY RRset, from its refresh bundle"
	assert_output --partial "this refresh takes it (G5)"
	# KSK_B's signature over the DNSKEY RRset made again, later.
	kb=$(awk -F '\t' '{ split($5, f, " "); print f[1]; exit }' "$D/b/b/ds-b.txt")
	e1=$(awk -F '\t' -v t="$kb" '$4 == "RRSIG" { split($5, f, " ")
	    if (f[1] == "DNSKEY" && f[7] == t) print f[5] }' "$D/b/history/b-2b.zone")
	e2=$(awk -F '\t' -v t="$kb" '$4 == "RRSIG" { split($5, f, " ")
	    if (f[1] == "DNSKEY" && f[7] == t) print f[5] }' "$D/b/history/b-refresh-1.zone")
	[ -n "$e1" ] && [ -n "$e2" ] && [ "$e2" -gt "$e1" ]
	# After it: every resolver validated; A and B serve one serial,
	# later than at step 4.
	run awk '$1 == "refresh" && $9 != "ok"' "$P"
	assert_output ""
	run awk '$1 == "refresh" && $5 == "SOA" && $2 ~ /^new-[ab]-/ { print $8 }' "$P"
	assert_equal "$(printf '%s\n' "$output" | sort -u | wc -l)" 1
	sr=${output%%$'\n'*}
	s4=$(awk '$1 == 4 && $2 == "new-a-4" && $5 == "SOA" { print $8 }' "$P")
	[ "${sr#serial=}" -gt "${s4#serial=}" ]
}
