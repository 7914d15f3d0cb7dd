#!/usr/bin/env bats
# The negative control (issue 6, part 6): the lab running the draft's
# literal step 2 (draft-zhang-dnsop-tld-transition-00): both operators add
# B's name servers and B's keys at once, with no DNSKEY signature
# exchanged, while the root still holds only DS_A.  zcheck-chain must
# refuse that stage before it is published; published anyway, by hand,
# real validating resolvers that reach B must fail, and those that reach
# only A must keep validating.  The stage is made with BIND's
# dnssec-signzone (t/lab/handmade.sh), so the failure is not an artefact
# of our own signer.

load helper
load lab/setup
. "$BATS_TEST_DIRNAME/lab/handmade.sh"

setup_file() {
	lab_setup_file 0810-negative
	[ -z "$LAB_SKIP" ] || return 0
	hm_make "$LAB_OUT/zones" 2> "$LAB_OUT/zones.err" ||
	    { cat "$LAB_OUT/zones.err"; return 1; }
}

teardown_file() {
	lab_cleanup
	if [ -n "${LAB_OUT:-}" ] && [ -s "$LAB_OUT/probes.log" ]; then
		lab_summary | lab_note
		echo "answers in $LAB_OUT/answers.log" | lab_note
	fi
}

setup() {
	lab_setup
	Z=$LAB_OUT/zones
}

# The resolver's answers at that step, one word per probe: the rcode, AD.
answers() {
	awk -v s="$1" -v r="$2" '$1 == s && $2 == r { print $5 ":" $6 ":" $7 }' \
	    "$LAB_DIR/probes.log" | paste -sd' ' -
}

# The answers one resolver gave at one step, as dig printed them.
block() {
	awk -v h="=== step $1 resolver $2 " '
	    /^=== step / { on = index($0, h) == 1 } on' "$LAB_DIR/answers.log"
}

@test "lab: before the change, resolvers pinned to A and unpinned validate" {
	reload_party root "$Z/root.zone"
	reload_party a "$Z/a-0.zone"
	lab_root "$Z/root.zone"
	lab_resolver_start old-a a
	lab_resolver_start keep-a a
	lab_resolver_start old-u u
	run probe old-a 0 A
	assert_success
	run probe keep-a 0 A
	assert_success
	run probe old-u 0 A
	assert_success
	# the DNSKEY RRset now cached is A's, with A's two keys
	run grep -c '^0 old-a a example. DNSKEY NOERROR AD dnskey=2 ok$' \
	    "$LAB_DIR/probes.log"
	assert_output 1
}

@test "zcheck-chain refuses the draft's step 2 before it is published" {
	command -v zcheck-chain > /dev/null || skip "zcheck-chain not built"
	cd "$Z"
	ds=ds-a.txt
	awk '$1 == "example." && $4 == "DS"' root.zone > "$ds"
	tag() {
		awk -v r="$1" '$1 == r { sub(/.*\+/, "", $2); print $2 + 0 }' \
		    keys.txt
	}
	# The control: before the change, A's zone passes from {DS_A}.
	runs zcheck-chain -D "$ds" a-0.zone
	assert_success
	# The views of the draft's step 2: the root's DS set {DS_A}, A's
	# zone of before still in caches, both operators' new zones.
	runs zcheck-chain -D "$ds" -h a-0.zone a-draft.zone b-draft.zone
	echo "$output" > "$LAB_OUT/zcheck-chain.out"
	assert_equal "$status" 1
	# B's DNSKEY RRset carries no signature by KSK_A, the only key the
	# root's DS set names (what the fresh resolver pinned to B hits).
	assert_output --regexp "b-draft.zone: example. DNSKEY: does not validate from this DS set: .*\($(tag ksk_a)/13\) \(G2"
	# B's data is signed by ZSK_B alone, which A's old DNSKEY RRset
	# lacks (what the resolver that cached it hits at B).
	assert_output --regexp "zcheck-chain: b-draft.zone:[0-9]+: example. [A-Z]+: does not validate with the DNSKEY RRset of a-0.zone: signed only by key $(tag zsk_b)/13"
	# A's own chain is whole: no finding about A's DNSKEY RRset.
	refute_output --partial "a-draft.zone: example. DNSKEY"
}

@test "published anyway: a fresh resolver pinned to B fails, pinned to A validates" {
	reload_party a "$Z/a-draft.zone"
	reload_party b "$Z/b-draft.zone"
	lab_resolver_start new-a a
	lab_resolver_start new-b b
	run probe new-a 2 A
	assert_success
	run probe new-b 2 B
	assert_failure
	# every answer through B is SERVFAIL: the chain of trust breaks at
	# B's DNSKEY RRset (RFC 4035 section 5.2: no RRSIG by a key that
	# DS_A names), which Unbound reports as RRSIGs Missing (RFC 8914).
	run answers 2 new-b
	assert_output "SOA:SERVFAIL:- NS:SERVFAIL:- DNSKEY:SERVFAIL:- DS:SERVFAIL:- A:SERVFAIL:- DS:SERVFAIL:- A:SERVFAIL:- TXT:SERVFAIL:-"
	run block 2 new-b
	assert_output --partial 'EDE: 10 (RRSIGs Missing)'
	assert_output --partial 'signature missing'
	assert_output --partial 'while building chain of trust'
	# A's servers still answer with A's data, validated.
	run answers 2 new-a
	assert_output "SOA:NOERROR:AD NS:NOERROR:AD DNSKEY:NOERROR:AD DS:NOERROR:AD A:NOERROR:AD DS:NOERROR:- A:NXDOMAIN:- TXT:NOERROR:AD"
}

@test "published anyway: a resolver holding A's old DNSKEY RRset fails at B" {
	# The resolver that cached A's two-key RRset at step 0 now reaches
	# B (as it may, once the apex NS lists NS_B).  Its cached answers
	# go, its cached keys stay: every answer it must fetch from B is
	# signed by ZSK_B, which the cached RRset does not hold ("unknown
	# keys"), or, once that RRset expired, B's own DNSKEY RRset lacks a
	# KSK_A signature ("signature missing"): SERVFAIL either way.
	lab_resolver_pin old-a b
	for q in "example. SOA" "example. NS" "example. A" \
	    "alpha.example. DS" "bravo.example. DS" "_operator.example. TXT"
	do
		lab_ctl old-a flush_type $q > /dev/null
	done
	run probe old-a 2-repinned B
	assert_failure
	run awk '$1 == "2-repinned" && $5 != "DNSKEY" && $6 != "SERVFAIL"' \
	    "$LAB_DIR/probes.log"
	assert_output ""
	block 2-repinned old-a | grep -m 1 'EDE:' | lab_note
}

@test "published anyway: resolvers that never reach B keep validating" {
	# Pinned to A since before the change (its cache from step 0), and
	# one started now.
	run probe keep-a 2 A
	assert_success
	lab_resolver_start late-a a
	run probe late-a 2 A
	assert_success
	# An unpinned resolver may or may not reach B by now (the apex NS
	# lists NS_B; the root's delegation does not): its answers are
	# recorded, not judged.
	probe old-u 2-unpinned any || true
}
