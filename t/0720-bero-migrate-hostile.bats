#!/usr/bin/env bats
# bero-migrate with hostile names: the pipelines pass file, zone and key
# names as arguments, never through eval, so a name holding $(...), a
# quote or a space runs nothing; a step with such a name works, or
# refuses cleanly (status 2, nothing published) when the name is not
# one a zone may have.

load helper
load bero-migrate

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# Nothing ran: no file named pwned anywhere in the test's directory.
nothing_ran() {
	run find "$BATS_TEST_TMPDIR" -name 'pwned*'
	assert_output ""
}

@test "-f zone files named \$(touch pwned) and with a space and a quote: init and step 1 work, nothing runs" {
	local f
	mkdir zones
	for f in 'zones/$(touch pwned)' "zones/my zone's.zone"; do
		cp "$DATA/examples/example.zone" "$f"
	done
	BERO_NOW=$T0 runs bero-migrate -d st1 init -f 'zones/$(touch pwned)'
	assert_success
	assert_line --partial "\$ zcanon -U -z example. '$PWD/zones/\$(touch pwned)' | set_operator A"
	BERO_NOW=$T0 runs bero-migrate -d st2 init -f "zones/my zone's.zone"
	assert_success
	assert_line --partial "\$ zcanon -U -z example. '$PWD/zones/my zone'\\''s.zone' | set_operator A"
	nothing_ran
	BERO_NOW=$T0 runs bero-migrate -d st1 step 1
	assert_success
	nothing_ran
	# The zone read is the one named.
	run zdiff-dnssec -E -g data "$DATA/examples/example.zone" st2/published/a/example.zone
	assert_success
}

@test "key files named K\$(touch pwned) 'q.+013+N: step 1 signs with them, nothing runs" {
	local k b
	bm_init st
	for k in st/keys/b/K*.key; do
		b=${k##*/}
		b=${b%.key}
		mv "$k" "st/keys/b/K\$(touch pwned) 'q.+${b#*+}.key"
		mv "st/keys/b/$b.private" "st/keys/b/K\$(touch pwned) 'q.+${b#*+}.private"
	done
	BERO_NOW=$T0 runs bero-migrate -d st step 1
	assert_success
	assert_line --regexp "^\\\$ ds-from-dnskey -2 -L 86400 'keys/b/K\\\$\\(touch pwned\\) '\\\\''q\\.\\+013\\+[0-9]+' > b/ds-b.txt$"
	nothing_ran
	run zcheck-chain -q -t "$T0" -D st/b/ds-b.txt st/published/b/example.zone
	assert_success
}

@test "a state directory named st \$(touch pwned) 'q: init and step 1 work, nothing runs" {
	local d="st \$(touch pwned) 'q"
	bm_init "$d"
	BERO_NOW=$T0 runs bero-migrate -d "$d" step 1
	assert_success
	nothing_ran
}

@test "hostile zone and host names in the config: init refuses cleanly, nothing runs, nothing is left" {
	local conf
	# The config is shell: the values are quoted so that they are data.
	for conf in "TLD='\$(touch pwned).'" "TLD=\"it's.\"" "TLD='a b.'" \
	    "NS_B='ns1.nic-b.example. \$(touch pwned).'" \
	    "ADDRS='ns1.nic-a.example.=192.0.2.1;touch pwned'" \
	    "ZRESIGN_OPTS='| touch pwned'"; do
		printf '%s\n' "$conf" > frag
		BERO_NOW=$T0 runs bero-migrate -d new init -N 5 -C frag
		assert_equal "$status" 2
		assert_equal "$output" ""
		[[ "$stderr" == *"bero-migrate: config: "* ]] ||
		    fail "$conf: not refused by the config's check: $stderr"
		[ -d new ] && [ -z "$(ls -A new)" ]
		nothing_ran
	done
	# And in the config of a state directory: every step refuses.
	bm_init st
	echo "NS_B='ns1.nic-b.example. ns\$(touch;pwned).'" >> st/config
	BERO_NOW=$T0 runs bero-migrate -d st step 1
	assert_trouble bero-migrate "config: NS_B: 'ns\\\$\\(touch;pwned\\)\\.': not an absolute host name"
	nothing_ran
}

@test "run: a pipeline printed with shell quoting reads back as the words it ran" {
	BERO_SHARE=$TOP/scripts run bash -c '. "$BERO_SHARE/lib.sh"
	    pipeline_text t printf "%s|\n" "a b" "it'\''s" "\$(x)" "" "|" cat ">" "o u t"
	    printf "%s\n" "$t"
	    eval "$t"
	    pipeline_run printf "%s|\n" "a b" "it'\''s" "\$(x)" "" "|" cat ">" "o u t2"
	    cmp "o u t" "o u t2" && cat "o u t"'
	assert_success
	assert_output "printf '%s|\\n' 'a b' 'it'\\''s' '\$(x)' '' | cat > 'o u t'
a b|
it's|
\$(x)|
|"
}
