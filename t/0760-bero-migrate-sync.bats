#!/usr/bin/env bats
# bero-migrate sync: registrations change while the zone moves.  Before
# step 6 A's data are the source and B takes them; from step 6 on B's are
# and A takes them.  The receiver signs the source's data with its own
# keys and apex, and publishes them with the source's serial (G4, G5).

load helper
load bero-migrate

setup_file() { bm_after_2a_file; }
setup() { bm_after_2a; }

serial_of() {
	awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3]; exit }' "$1"
}

has() {
	awk -F '\t' -v n="$2" -v t="$3" '$1 == n && $4 == t { x = 1 }
	    END { exit !x }' "$1"
}

# A delegation of the sample TLD.
some_delegation() {
	awk -F '\t' -v tld=example. '$4 == "NS" && $1 != tld { print $1; exit }' \
	    "$1"
}

@test "a registration added after step 2a (A's data) reaches B, validates there from the root's DS, with A's serial; step 2b then passes" {
	local sa
	registry_edit st/published/a/example.zone new.zone add newreg.example.
	BERO_NOW=$((T0 + 600)) runs bero-migrate -d st sync -f new.zone
	assert_success
	assert_line '== sync (sync-1) at 2026-12-01 00:10:00 UTC: from a (the source) to b'
	sa=$(serial_of new.zone)
	for p in a b; do
		has st/published/$p/example.zone newreg.example. NS
		assert_equal "$(serial_of st/published/$p/example.zone)" "$sa"
	done
	# B's copy: B's own keys and apex, KSK_A's exchanged signature kept,
	# valid from the DS set the root publishes, and the data A's.
	run zcheck-chain -t $((T0 + 600)) -D st/published/root/ds.txt \
	    st/published/a/example.zone st/published/b/example.zone
	assert_success
	run zdiff-dnssec -E -g data st/history/b-2a.zone st/published/b/example.zone
	assert_failure 1
	assert_output --partial '1 record added'
	# Both versions are kept and counted as published at that time.
	run cat st/history/interim
	assert_output "a history/a-sync-1.zone $((T0 + 600)) 3
b history/b-sync-1.zone $((T0 + 600)) 3"
	cmp st/history/b-sync-1.zone st/published/b/example.zone
	# Nothing is logged: sync is not a step.
	assert_equal "$(wc -l < st/log)" 3
	# Step 2b takes both copies as they are now: the same data.
	BERO_NOW=$((T0 + 4200)) runs bero-migrate -d st step 2b
	assert_success
	has st/published/b/example.zone newreg.example. NS
}

@test "between steps 1 and 2a each publishes its own keys only: B takes A's edit, checked from B's own DS; step 2a then passes" {
	bm_init one
	BERO_NOW=$T0 bero-migrate -d one step 1 > /dev/null
	registry_edit one/published/a/example.zone new.zone add early.example.
	BERO_NOW=$((T0 + 60)) runs bero-migrate -d one sync -f new.zone
	assert_success
	assert_line --regexp '^[$] zcheck-chain -v -t [0-9]+ -A b/sync-1.source b/sync-1.zone$'
	assert_line --regexp '^[$] zcheck-chain -v -t [0-9]+ -w [0-9]+ -D b/ds-b.txt b/sync-1.zone$'
	has one/published/b/example.zone early.example. NS
	BERO_NOW=$((T0 + 60)) runs bero-migrate -d one step 2a
	assert_success
}

@test "the source's zone served with a new serial (A's own signer, no -z): B takes it" {
	local sa
	# A publishes its edit itself (as A's signer and servers would).
	registry_edit st/published/a/example.zone new.zone add other.example.
	run bash -c 'ks=(); for k in st/keys/a/K*.key; do ks+=(-k "${k%.key}"); done
	    zresign -A -t '$((T0 + 600))' "${ks[@]}" -P st/published/a/example.zone \
	    -o a.zone new.zone'
	assert_success
	# KSK_B's exchanged signature over A's DNSKEY RRset: zresign keeps
	# it (the exchange policy); A's zone is A's again.
	cp a.zone st/published/a/example.zone
	BERO_NOW=$((T0 + 600)) runs bero-migrate -d st sync
	assert_success
	sa=$(serial_of a.zone)
	assert_equal "$(serial_of st/published/b/example.zone)" "$sa"
	has st/published/b/example.zone other.example. NS
	# Again: nothing to do, nothing published.
	BERO_NOW=$((T0 + 700)) runs bero-migrate -d st sync
	assert_success
	assert_line "  nothing to synchronize: b serves serial $sa, as a does"
	assert_equal "$(wc -l < st/history/interim)" 1
}

@test "a registration deleted after step 6 (B's data) reaches A; step 7 then passes" {
	local gone sb
	bm_run st 6
	gone=$(some_delegation st/published/b/example.zone)
	[ -n "$gone" ]
	registry_edit st/published/b/example.zone new.zone del "$gone"
	BERO_NOW=$BM_NOW runs bero-migrate -d st sync -f new.zone
	assert_success
	assert_line "== sync (sync-1) at $(TZ=UTC date -d @"$BM_NOW" '+%Y-%m-%d %H:%M:%S UTC'): from b (the source) to a"
	sb=$(serial_of new.zone)
	for p in a b; do
		! has st/published/$p/example.zone "$gone" NS || false
		assert_equal "$(serial_of st/published/$p/example.zone)" "$sb"
	done
	run zcheck-chain -t "$BM_NOW" -D st/published/root/ds.txt \
	    st/published/b/example.zone st/published/a/example.zone
	assert_success
	BERO_NOW=$BM_NOW runs bero-migrate -d st step 7
	assert_success
}

@test "refused: before step 1, after step 13, in the middle of step 6, an edit whose serial does not follow: nothing published" {
	local before t6
	# Before step 1: B has no zone.
	bm_init early
	BERO_NOW=$T0 runs bero-migrate -d early sync
	assert_trouble bero-migrate 'sync refused: step 1 is not done: B serves no zone yet \(step 1 takes A.s zone whole\)'
	# An edit without a new serial.
	before=$(bm_snapshot)
	cp st/published/a/example.zone same.zone
	BERO_NOW=$((T0 + 600)) runs bero-migrate -d st sync -f same.zone
	assert_trouble bero-migrate 'sync refused: .*same.zone: serial [0-9]+ does not follow [0-9]+, the serial a serves \(RFC 1982\): edits need a new serial'
	assert_equal "$(bm_snapshot)" "$before"
	[ ! -e st/history/interim ]
	# Step 6 half done: B published, A did not (B's hook failed).
	bm_run st 5
	t6=$(bero-migrate -d st when 6)
	BERO_PUBLISH_HOOK=false BERO_NOW=$t6 runs bero-migrate -d st step 6
	assert_trouble bero-migrate 'publish hook failed for b'
	before=$(bm_snapshot)
	BERO_NOW=$t6 runs bero-migrate -d st sync
	assert_trouble bero-migrate 'sync refused: step 6 is half done \(B.s part published, A.s not\): run step 6 again to finish it, then sync \(from B to A\)'
	assert_equal "$(bm_snapshot)" "$before"
	# After step 13: A serves nothing.
	BERO_NOW=$t6 bero-migrate -d st step 6 > /dev/null
	bm_run st 13
	BERO_NOW=$BM_NOW runs bero-migrate -d st sync
	assert_trouble bero-migrate 'sync refused: step 13 is done: A no longer serves the zone, and B.s copy is the only one'
}
