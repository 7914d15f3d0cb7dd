#!/usr/bin/env bats
# bero-migrate fails closed: a wait, a TTL or a time that cannot be had
# refuses the step (status 2, nothing published or logged); a step is
# logged only once every publication and every hook succeeded, at the
# time it published.

load helper
load bero-migrate

setup_file() { bm_after_2a_file; }
setup() { bm_after_2a; }

# Step 2b at T0 + Dprp_C: 60 minutes before its wait (TTL_KEY 3600 s)
# is over.  It must be refused, whatever the state of the TTL cache.
refused_early() {
	local before
	before=$(bm_snapshot)
	BERO_NOW=$((T0 + 600)) runs bero-migrate -d st step 2b
	assert_equal "$status" 2
	assert_equal "$output" ""
	[[ "$stderr" == *"bero-migrate: "*"$1"* ]] ||
	    fail "stderr does not name '$1': $stderr"
	assert_equal "$(bm_snapshot)" "$before"
	[ ! -e st/history/a-2b.zone ]
	runs bero-migrate -d st when 2b
	assert_equal "$status" 2
	assert_equal "$output" ""
}

@test "a TTL cache that cannot be written: step 2b refused, not run an hour early" {
	rm -rf st/cache
	: > st/cache
	refused_early 'cache: cannot create the TTL cache'
}

@test "a TTL cache entry that cannot be read, or is not three TTLs: refused" {
	local e
	BERO_NOW=$T0 bero-migrate -d st status > /dev/null
	e=st/cache/history_a-2a.zone.ttls
	[ -s "$e" ]
	rm -f "$e"
	mkdir "$e"
	refused_early "$(basename "$e")"
	rm -rf "$e"
	echo 'garbage' > "$e"
	refused_early 'not three TTLs'
	echo '3600 86400' > "$e"
	refused_early 'not three TTLs'
}

@test "a published version that cannot be read: refused" {
	rm st/history/b-2a.zone
	mkdir st/history/b-2a.zone
	refused_early 'history/b-2a.zone: cannot read'
}

@test "a clock that fails (NOW_CMD): refused" {
	local before
	before=$(bm_snapshot)
	echo 'NOW_CMD=false' >> st/config
	runs bero-migrate -d st step 2b
	assert_trouble bero-migrate 'NOW_CMD failed'
	echo 'NOW_CMD="echo soon"' >> st/config
	runs bero-migrate -d st step 2b
	assert_trouble bero-migrate 'not a time in seconds: soon'
	assert_equal "$(bm_snapshot)" "$before"
	runs bero-migrate -d st status
	assert_trouble bero-migrate 'not a time in seconds: soon'
}

@test "a delay that is not a number in the TTL cache's place: the rule is not computed" {
	# The config's TTL_KEY is not what the waits use (the zones' TTLs
	# are), but a rule variable left empty must refuse, not count 0.
	BERO_SHARE=$TOP/scripts run bash -c '. "$BERO_SHARE/lib.sh"
	    T_2a=100 Dprp_C=600 TTL_KEY=
	    rule 2b; echo "due $DUE"'
	assert_equal "$status" 2
	assert_output --partial 'step 2b: the wait cannot be computed: TTL_KEY'
	refute_output --partial 'due'
}

@test "resumed step 6: B's failed publish hook runs again; the step is logged only once every hook succeeded" {
	bm_run st 5
	local t6
	t6=$(bero-migrate -d st when 6)
	cat > hook <<'EOS'
#!/bin/sh
d=$(dirname "$0")
echo "$1 $2" >> "$d/hook.log"
[ "$1" != b ] || [ ! -e "$d/fail-b" ]
EOS
	chmod +x hook
	: > fail-b
	BERO_PUBLISH_HOOK=$PWD/hook BERO_NOW=$t6 runs bero-migrate -d st step 6
	assert_trouble bero-migrate 'step 6: publish hook failed for b published/b/example.zone'
	[ -e st/history/b-6.zone ]
	# Again, B's hook still failing: refused again, A untouched, not
	# logged (the old driver skipped B's hook and logged step 6).
	BERO_PUBLISH_HOOK=$PWD/hook BERO_NOW=$t6 runs bero-migrate -d st step 6
	assert_trouble bero-migrate 'step 6: publish hook failed for b'
	[ ! -e st/history/a-6.zone ]
	[ -z "$(bm_time st 6)" ]
	rm fail-b
	: > hook.log
	BERO_PUBLISH_HOOK=$PWD/hook BERO_NOW=$t6 runs bero-migrate -d st step 6
	assert_success
	assert_line "B's part was published by an earlier run of step 6: published/b/example.zone"
	assert_line '  the publish hook for published/b/example.zone did not succeed in that run: again'
	run cat hook.log
	assert_output "b $PWD/st/published/b/example.zone
a $PWD/st/published/a/example.zone"
	assert_equal "$(bm_time st 6)" "$t6"
}

@test "the time logged is when the step published, not when it started" {
	# A clock of the test's own (NOW_CMD, no BERO_NOW) that each publish
	# hook moves on by 100 s, as a hook that waits for the servers would.
	echo $((T0 + 4200)) > clock
	echo "NOW_CMD='cat $PWD/clock'" >> st/config
	cat > hook <<'EOS'
#!/bin/sh
c=$(dirname "$0")/clock
echo $(($(cat "$c") + 100)) > "$c.new" && mv "$c.new" "$c"
EOS
	chmod +x hook
	BERO_PUBLISH_HOOK=$PWD/hook runs bero-migrate -d st step 2b
	assert_success
	assert_line '== step 2b (a+b) at 2026-12-01 01:10:00 UTC'
	assert_equal "$(bm_time st 2b)" $((T0 + 4400))
}

@test "the TSIG secret: in keys/tsig.key (0600) alone, never in config; the state directory is 0700" {
	local secret=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=
	printf 'TRANSFER=axfr\nTSIG_NAME=t.\nTSIG_SECRET=%s\nA_XFR_ADDR=127.0.0.1@1\n' \
	    "$secret" > frag
	BERO_NOW=$T0 runs bero-migrate -d ax init -N 5 -C frag
	assert_success
	[ "$(stat -c %a ax)" = 700 ]
	[ "$(stat -c %a ax/keys/tsig.key)" = 600 ]
	assert_equal "$(cat ax/keys/tsig.key)" "hmac-sha256:t.:$secret"
	run grep -rlF -- "$secret" ax
	assert_output ax/keys/tsig.key
	run stat -c %a ax/config
	assert_output 600
	# The transfer still has its key: it fails on the closed port only.
	BERO_NOW=$T0 runs bero-migrate -d ax step 1
	assert_equal "$status" 2
	[[ "$stderr" == *"failed to query server 127.0.0.1@1"* ]] || fail "$stderr"
	# A key file others may read, a secret put back in config, a state
	# directory others may enter: refused.
	chmod 644 ax/keys/tsig.key
	BERO_NOW=$T0 runs bero-migrate -d ax step 1
	assert_trouble bero-migrate 'keys/tsig.key: mode 644: it holds secrets'
	chmod 600 ax/keys/tsig.key
	echo "TSIG_SECRET=$secret" >> ax/config
	BERO_NOW=$T0 runs bero-migrate -d ax status
	assert_trouble bero-migrate 'config: TSIG_SECRET: a secret in config'
	sed -i '$d' ax/config
	chmod 755 ax
	BERO_NOW=$T0 runs bero-migrate -d ax status
	assert_trouble bero-migrate 'ax: mode 755: it holds secrets'
}

@test "a TSIG secret set on a line with other settings: init refuses, and leaves nothing" {
	printf 'TSIG_NAME=t.; TSIG_SECRET=c2VjcmV0\n' > frag
	BERO_NOW=$T0 runs bero-migrate -d new init -N 5 -C frag
	assert_trouble bero-migrate 'frag: TSIG_SECRET cannot be kept out of config: set it on a line of its own'
	[ -d new ] && [ -z "$(ls -A new)" ]
}
