#!/usr/bin/env bats
# The whole migration end to end on a small sample TLD, every step at
# the earliest time the driver allows (BERO_NOW), as make demo runs it:
# what each party publishes at the end, the waits of steps 5 and 9
# refused until their time, registered-domain data unchanged, A's zone
# gone; a zone of one's own (-z) with a delegation over A's name-server
# host; make demo-rehearsal's script.  And make demo's script
# (scripts/demo.sh), the three parties in their own directories with
# their own NSD servers on loopback, run once at test size: every step
# ran as its party, no directory or bundle holds another party's private
# key, no server is left; a run refuses to start beside the servers of
# a killed one, and a terminated one stops its servers.  make deps'
# script starts no system service.

load helper
load bero-migrate
load bero-roles

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	bm_init st
	bm_run st 13
	demo_run
}

# The three-party demo needs NSD and kdig, and runs on the real clock
# with real servers, as the lab does (make test-future leaves the lab
# out: its servers read the real clock).
demo_skip() {
	local p
	for p in nsd nsd-control kdig dnssec-signzone ss; do
		command -v "$p" > /dev/null || { echo "$p not installed (make deps)"; return 0; }
	done
	[ -z "${FAKETIME:-}" ] || { echo "real servers on the real clock: not under libfaketime"; return 0; }
	return 1
}

# A port of this run's own, so that the suite may run beside a demo.
DEMO_PORT=$((20000 + $$ % 20000))
export DEMO_PORT

# demo_run: scripts/demo.sh once, at test size, in $BATS_FILE_TMPDIR/demo
# (its output in demo.out, demo.err, its status in demo.rc).
demo_run() {
	demo_skip > /dev/null && return 0
	local rc=0
	DEMO_OUT=$BATS_FILE_TMPDIR/demo DEMO_DELEGATIONS=20 \
	    bash "$TOP/scripts/demo.sh" "$BK_BIN" > demo.out 2> demo.err 3>&- ||
	    rc=$?
	echo "$rc" > demo.rc
}

demo_setup() {
	local why
	if why=$(demo_skip); then
		skip "$why"
	fi
}

# demo_ours DIR: the PIDs of the processes whose command line names a
# file under DIR (the demo's servers).
demo_ours() {
	local p
	for p in /proc/[0-9]*; do
		tr '\0' ' ' 2> /dev/null < "$p/cmdline" | grep -qF -- "$1/" &&
		    echo "${p#/proc/}"
	done
	return 0
}

setup() {
	cd "$BATS_FILE_TMPDIR"
}

@test "every step done, in order, each at or after its time" {
	run awk '{ print $1 }' st/log
	assert_output "$(printf '%s\n' 0 $BM_STEPS)"
	# The waits as planned for the sample TLD's and the root's TTLs:
	# for step 5 the root's NS and glue TTL (two days) binds.
	assert_equal "$(bm_time st 2b)" $((T0 + 4200))
	assert_equal "$(bm_time st 4)" $((T0 + 4200))
	assert_equal "$(bm_time st 5)" $((T0 + 4200 + 1800 + 172800))
	assert_equal "$(bm_time st 9)" $(($(bm_time st 8) + 1800 + 172800 + 86400))
	# Step 11: the last moment A could be reached (T8 + Dprp_P + two
	# days) + SERVE_STALE (three days), later than T10 + Dprp_C +
	# TTL_KEY.
	assert_equal "$(bm_time st 11)" $(($(bm_time st 8) + 1800 + 172800 + 259200))
	run bero-migrate -d st status
	assert_line 'the migration is complete'
	runs bero-migrate -d st step 13
	assert_trouble bero-migrate 'step 13: already done'
}

@test "at the end: A stopped, B alone with its own keys, the root delegating to B with DS_B" {
	[ ! -e st/published/a/example.zone ]
	local b=st/published/b/example.zone kb
	run awk -F '\t' '$4 == "DNSKEY" { print $5 }' "$b"
	[ "${#lines[@]}" -eq 2 ]
	for kb in st/keys/b/*.key; do
		grep -qF "$(awk '!/^;/ { print $NF }' "$kb")" "$b" ||
		    fail "B's key $kb is not published"
	done
	run awk -F '\t' '$1 == "example." && $4 == "NS" { print $5 }' st/published/root/root.zone
	assert_output "ns1.nic-b.example.
ns2.nic-b.example."
	run zcheck-chain -q -t "$(bm_time st 13)" -D st/published/root/ds.txt "$b"
	assert_success
	run zcheck-chain -q -t "$(bm_time st 13)" -u -D st/published/root/ds.txt "$b"
	assert_success
	# Registered domains' data never changed.
	run zdiff-dnssec -E -g data st/history/a-0.zone "$b"
	assert_success
}

@test "every published version was checked: a verdict and a report per step" {
	local s
	for s in 0 $BM_STEPS; do
		grep -q '^\$ zcheck-chain ' "st/reports/$s.check" ||
		    fail "no zcheck-chain run in step $s"
		grep -q "^step $s: every check passed" "st/reports/$s.out" ||
		    fail "step $s did not pass"
	done
	for s in 1 2a 2b 4 6 8 10 12; do
		grep -q '^\$ zdiff-dnssec ' "st/reports/$s.diff" ||
		    fail "no zdiff-dnssec report in step $s"
	done
	# The views: step 2b checks A's and B's new zones, with the
	# versions of 2a still cached, from {DS_A}; step 6's A part has
	# B's new zone as an operand and the 2b versions as cached ones,
	# with their refresh just before step 6 (bm_run refreshes).
	grep -q -- '-D history/ds-0.txt -h history/a-2a.zone -h history/b-2a.zone a/step-2b.zone b/step-2b.zone$' st/reports/2b.check
	grep -q -- '-h history/a-2b.zone -h history/a-refresh-1.zone -h history/b-2b.zone -h history/b-refresh-1.zone a/step-6.zone published/b/example.zone$' st/reports/6.check
	# After step 9 A is out of every view.
	! grep -q 'a-6\|published/a' st/reports/10.check || false
}

@test "the signature exchange: each operator carries the other's KSK signature over the shared DNSKEY RRset" {
	local f
	for f in st/history/a-2b.zone st/history/b-2b.zone st/history/a-6.zone st/history/b-6.zone; do
		run awk -F '\t' '$4 == "RRSIG" && $5 ~ /^DNSKEY / { split($5, r, " "); print r[7] }' "$f"
		[ "${#lines[@]}" -ge 2 ] || fail "$f: one signature over the DNSKEY RRset"
	done
	# Step 10 took A's keys and A's signatures out of B's zone.
	run awk -F '\t' '$4 == "DNSKEY"' st/history/b-10.zone
	[ "${#lines[@]}" -eq 2 ]
}

@test "the waits of steps 5 and 9 are refused a second early" {
	local t
	bm_copy st w
	# Back to just after step 4, then ask for step 5 too soon.
	awk '$1 == "5" { exit } { print }' st/log > w/log
	t=$(bero-migrate -d w when 5)
	BERO_NOW=$((t - 1)) runs bero-migrate -d w step 5
	assert_trouble bero-migrate 'step 5 refused: wait 1s more, until .*: bero-migration\(7\), THE WAITS, step 5: now >= T4 \+ Dprp_P \+ max\(TTL_NS_P, TTL_GLUE_P, TTL_DS_P\) = .* \+ 1800 \+ max\(172800, 172800, 86400\), now >= T2b \+ Dprp_C \+ TTL_NS_C = .* \+ 600 \+ 86400, and now >= T2b \+ Dprp_C \+ TTL_NEG_C = .* \+ 600 \+ 300 \(the negative TTL, RFC 2308 section 5\)'
	awk '$1 == "9" { exit } { print }' st/log > w/log
	t=$(bero-migrate -d w when 9)
	BERO_NOW=$((t - 1)) runs bero-migrate -d w step 9
	assert_trouble bero-migrate 'step 9 refused: wait 1s more, .*the last moment A could be reached \+ TTL_SIG = .* \+ 86400'
	awk '$1 == "11" { exit } { print }' st/log > w/log
	t=$(bero-migrate -d w when 11)
	BERO_NOW=$((t - 1)) runs bero-migrate -d w step 11
	assert_trouble bero-migrate 'step 11 refused: wait 1s more, .*now >= T10 \+ Dprp_C \+ TTL_KEY = .* \+ 600 \+ 3600 \(RFC 7583 section 3.3.2\)'
}

@test "a zone of one's own: the examples' TLD, whose nic-a.example delegation names A's host" {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/examples/example.zone" .
	BERO_NOW=$T0 bero-migrate -d own init -f example.zone > /dev/null
	bm_run own 6
	run zdiff-dnssec -E -g data example.zone own/published/b/example.zone
	assert_success
	# Step 6 at B and A: ns1.nic-a.example keeps its glue under
	# nic-a.example, and ns2 its address: NS_A's host address records
	# stay unless REMOVE_NS_A_ADDRS=yes (t/0740).
	for z in own/published/b/example.zone own/published/a/example.zone; do
		run awk -F '\t' '$1 ~ /^ns[12]\.nic-a\.example\.$/ && $4 == "A" { print $1 }' "$z"
		assert_output "ns1.nic-a.example.
ns2.nic-a.example."
	done
}

@test "make demo-rehearsal's script: the whole migration in one directory, printed step by step" {
	cd "$BATS_TEST_TMPDIR"
	BERO_NOW=$T0 DEMO_OUT=$PWD/out DEMO_DELEGATIONS=20 \
	    runs sh "$TOP/scripts/demo/rehearsal.sh" "$BK_BIN"
	assert_success
	# init, the 13 steps that check, and step 6 twice (B, then A).
	assert_equal "$(grep -c '^step .*: every check passed$' <<< "$output")" 16
	assert_equal "$(grep '^step .*: every check passed$' <<< "$output" |
	    sort -u | wc -l)" 15
	# Once, the driver is asked too early, and refuses.  The test
	# clock is said each time.
	[[ "$stderr" == *"bero-migrate: step 2b refused: wait 1h 10m more"* ]] ||
	    fail "no refusal: $stderr"
	[[ "${stderr_lines[0]}" == "bero-migrate: clock: BERO_NOW=$T0 in effect" ]] ||
	    fail "the test clock not said: $stderr"
	assert_line --regexp '^\$ zadd-bero-ns -r -K -n a/ns-a.frag published/b/example.zone '
	assert_line --partial '  zcheck-chain: valid'
	assert_line --regexp '^  signatures: [0-9]+ made, '
	assert_line 'the migration is complete'
	xmllint --noout out/plan.svg
	[ -s out/state/log ]
}

@test "make demo: three parties, each step run by its party in its own directory, observed on the demo's own servers" {
	demo_setup
	local d=$BATS_FILE_TMPDIR/demo t p rc cmd s last dir
	run cat "$BATS_FILE_TMPDIR/demo.rc"
	assert_output 0 || { cat "$BATS_FILE_TMPDIR"/demo.{out,err}; false; }
	run cat "$BATS_FILE_TMPDIR/demo.out"
	assert_line --regexp '^== [0-9]+ commands by the parties in [0-9]+ s; the servers are stopped$'
	# Either every step ran, or the demo says where the driver stops it
	# and why.
	last=$(tail -n 1 "$d/who")
	if grep -qx '== the migration is complete' "$BATS_FILE_TMPDIR/demo.out"; then
		[[ "$last" == *" a 0 step 13" ]] || fail "complete, but the last command: $last"
		assert_equal "$(awk '{ print $1 }' "$d/a/log" | tr '\n' ' ')" "0 1 2a 2b 3 4 5 6 7 8 9 10 11 12 13 "
	else
		assert_line --regexp "^== the demo stops here: the driver does not let (A|B|registry) run its part of step [0-9ab]+ in its own directory yet \\(\"not written for a party's own directory\"\\); every step before it ran as its party$"
		grep -q "^bero-migrate: step .* is not written for a party's own directory yet" "$d/transcript"
	fi
	# A signed with its own signer; B, the registry as they type it.
	assert_line --regexp '^  A +\$ dnssec-signzone -K keys .* -f zone-2a.signed zone-2a.unsigned$'
	assert_line '  A          $ bero-migrate -d a init -R a -C demo.conf -k a-signer/public -f a-signer/zone.signed'
	assert_line --regexp '^  registry +\$ bero-migrate -d registry import bundles/b-1 -y [0-9a-f]{64}$'
	grep -qx 'A_SIGNER=external' "$d/a/config"
	# Every command succeeded (B's step 6 ends 1 until A's part is
	# done), and each step a party ran is in its own directory's log, as
	# done by that party, at a time observed on its servers
	# (reports/STEP.observed).
	while read -r t p rc cmd; do
		[ "$rc" = 0 ] || [ "$p $rc $cmd" = "b 1 step 6" ] ||
		    fail "failed: $p $cmd"
		[ "$rc" = 0 ] || continue
		case $p in a) dir=a ;; b) dir=b ;; r) dir=registry ;; esac
		case $cmd in
		"step "*)
			s=${cmd#step }
			s=${s%% *}
			awk -v s="$s" -v p="$p" '$1 == s && $3 == p { f = 1 } END { exit !f }' "$d/$dir/log" ||
			    fail "step $s of $p is not in $dir/log as $p's"
			case $s in
			1|2a|2b|6|10) [ -s "$d/$dir/reports/$s.observed" ] ||
			    fail "step $s of $p: not observed" ;;
			esac ;;
		esac
	done < "$d/who"
	# At least B's step 1 and both parts of 2a and 2b ran.
	for s in "b 0 step 1" "a 0 step 2a" "b 0 step 2a" "a 0 step 2b" "b 0 step 2b"; do
		grep -qE " $s( |\$)" "$d/who" || fail "not run: $s"
	done
	# The waits were real: B's 2b came at least Dprp_C + TTL_KEY after
	# A's 2a was observed.
	t=$(awk '$1 == "2a" { print $2 }' "$d/a/log")
	[ "$(awk '$1 == "2b" { print $2 }' "$d/b/log")" -ge $((t + 12)) ]
}

@test "make demo: no party's directory, and no bundle, holds another party's private key; the registry none, A's berokit none" {
	demo_setup
	local d=$BATS_FILE_TMPDIR/demo b
	cd "$BATS_TEST_TMPDIR"
	roles_private_values "$d"/a-signer/keys/*.private > a.values
	roles_private_values "$d"/b/keys/b/*.private > b.values
	assert_equal "$(wc -l < a.values) $(wc -l < b.values)" "2 2"
	cat a.values b.values > all.values
	roles_scan "$d/a" a /dev/null all.values
	roles_scan "$d/b" b b.values a.values
	roles_scan "$d/registry" r /dev/null all.values
	for b in "$d"/bundles/*; do
		roles_scan "$b" none /dev/null all.values
	done
	# The parent holds its own keys only, the servers' files none.
	roles_private_values "$d"/root/keys/root/*.private > root.values
	roles_scan "$d/root" root root.values all.values
	roles_scan "$d/servers" none /dev/null all.values
	cat root.values >> all.values
	roles_scan "$d/a" a /dev/null all.values
	roles_scan "$d/registry" r /dev/null all.values
	[ -z "$(find "$d" -name '*.private' ! -path "$d/a-signer/keys/*" ! -path "$d/b/keys/b/*" ! -path "$d/root/keys/root/*")" ]
	# The scan is not blind: A's keys in a copy of B's directory.
	mkdir bcopy && cp -a "$d/b/." bcopy/ && cp "$d"/a-signer/keys/*.private bcopy/history/
	run roles_scan bcopy b b.values a.values
	assert_failure
}

@test "make demo: its servers are stopped at the end; nothing else is left running" {
	demo_setup
	local d=$BATS_FILE_TMPDIR/demo pid rest
	[ -s "$d/servers/pids" ]
	assert_equal "$(awk '{ print $2 }' "$d/servers/pids" | sort | tr '\n' ' ')" "a b root "
	while read -r pid rest; do
		[ ! -d "/proc/$pid" ] || [ "$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat")" = Z ] ||
		    fail "$rest's server (PID $pid) still runs"
	done < "$d/servers/pids"
	assert_equal "$(demo_ours "$d")" ""
}

@test "make demo refuses to start beside the servers of a killed run, touching nothing; -k stops them, and only them" {
	demo_setup
	local d=$BATS_TEST_TMPDIR/out sleeper before
	cd "$BATS_TEST_TMPDIR"
	# What a run killed outright leaves: its test root's server running.
	(
		DEMO_SRV=$d/servers
		. "$TOP/scripts/demo/servers.sh"
		srv_env "$DEMO_SRV"
		mkdir -p "$DEMO_SRV" && : > "$DEMO_SRV/pids" &&
		    printf 'DEMO_PORT=%s\nDEMO_NET=%s\n' "$DEMO_PORT" "$DEMO_NET" > "$DEMO_SRV/env" &&
		    printf '.\t10\tIN\tSOA\ta. b. 1 1 1 1 1\n.\t10\tIN\tNS\ta.\n' > root.zone &&
		    srv_start root root.zone
	) 3>&-
	[ -n "$(demo_ours "$d")" ]
	# A PID in the list that is not one of the demo's servers (a PID
	# used again by another program) is never stopped.
	sleep 300 3>&- &
	sleeper=$!
	printf '%s root\n' "$sleeper" >> "$d/servers/pids"
	before=$(find "$d" -type f | sort | xargs sha256sum)
	DEMO_OUT=$d DEMO_DELEGATIONS=20 runs bash "$TOP/scripts/demo.sh" "$BK_BIN"
	assert_trouble demo "$d: the servers of an earlier run still run \\(PID [0-9]+\\): stop them first \\(make demo-stop, or bash scripts/demo.sh -k\\)"
	[ -z "$output" ]
	assert_equal "$(find "$d" -type f | sort | xargs sha256sum)" "$before"
	[ -n "$(demo_ours "$d")" ]
	DEMO_OUT=$d runs bash "$TOP/scripts/demo.sh" -k "$BK_BIN"
	assert_success
	assert_output --regexp "^demo: stopped the servers left in $d/servers: [0-9]+$"
	assert_equal "$(demo_ours "$d")" ""
	kill -0 "$sleeper" || fail "the demo stopped a process not its own"
	kill "$sleeper"
	wait "$sleeper" 2> /dev/null || true
}

@test "make demo, terminated while it runs: its servers are stopped, and it says so" {
	demo_setup
	local d=$BATS_TEST_TMPDIR/out pid i
	cd "$BATS_TEST_TMPDIR"
	DEMO_OUT=$d DEMO_DELEGATIONS=20 bash "$TOP/scripts/demo.sh" "$BK_BIN" \
	    > demo.out 2> demo.err 3>&- &
	pid=$!
	# Once B's server runs (the three are up), stop the demo.
	for i in $(seq 300); do
		grep -q ' b$' "$d/servers/pids" 2> /dev/null && break
		sleep 0.1
	done
	sleep 1
	[ -n "$(demo_ours "$d")" ]
	kill -TERM "$pid"
	wait "$pid" && fail "a terminated demo exited 0"
	assert_equal "$(demo_ours "$d")" ""
	grep -q '^== the demo FAILED (status 143)' demo.err
	grep -q 'the servers are stopped$' demo.out
}

@test "make deps' script: no service starts while apt-get installs, and a policy-rc.d already there is left as it is" {
	local t=$BATS_TEST_TMPDIR
	cd "$t"
	mkdir fake
	# Tools of our own in PATH: dpkg-query says nothing is installed,
	# apt-get records what policy-rc.d answers while it runs, systemctl
	# what it is asked; nothing of the system is asked or changed.
	printf '#!/bin/sh\nexit 1\n' > fake/dpkg-query
	printf '#!/bin/sh\necho "apt-get $*" >> "%s/calls"\nif [ -x "%s/policy-rc.d" ]; then "%s/policy-rc.d" nsd start; echo "policy $?" >> "%s/calls"; fi\n' \
	    "$t" "$t" "$t" "$t" > fake/apt-get
	printf '#!/bin/sh\necho "systemctl $*" >> "%s/calls"\n' "$t" > fake/systemctl
	chmod +x fake/*
	PATH=$t/fake:$PATH BK_POLICY_RC_D=$t/policy-rc.d runs sh "$TOP/scripts/install-debs.sh" -n nsd unbound
	assert_success
	assert_output "installing: nsd unbound"
	run cat calls
	assert_output "apt-get update -q
policy 101
apt-get install -y -q --no-install-recommends nsd unbound
policy 101"
	[ ! -e policy-rc.d ]
	# The administrator's own policy stays, and decides.
	rm calls
	printf '#!/bin/sh\nexit 0\n' > policy-rc.d
	chmod +x policy-rc.d
	PATH=$t/fake:$PATH BK_POLICY_RC_D=$t/policy-rc.d runs sh "$TOP/scripts/install-debs.sh" nsd
	assert_success
	run cat calls
	assert_output "apt-get update -q
policy 0
apt-get install -y -q nsd
policy 0"
	assert_equal "$(cat policy-rc.d)" "$(printf '#!/bin/sh\nexit 0')"
	# Nothing to install: nothing run.
	rm calls
	printf '#!/bin/sh\necho "install ok installed"\n' > fake/dpkg-query
	PATH=$t/fake:$PATH BK_POLICY_RC_D=$t/policy-rc.d runs sh "$TOP/scripts/install-debs.sh" nsd
	assert_success
	assert_output ""
	[ ! -e calls ]
}
