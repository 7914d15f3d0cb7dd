#!/usr/bin/env bats
# bero-migrate init -R: one party's state directory.  A starts from its
# zone and keys as they are (here signed by BIND's dnssec-signzone with
# keys dnssec-keygen made beforehand), never from new keys; B makes or
# imports its own; the registry holds no key.  No directory holds a
# private key of another party, nor the parent's; the TSIG key is the
# one secret A and B share.  A step of another party is refused, naming
# who runs it.

load helper
load bero-migrate
load bero-roles

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	roles_a_zone src
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export BERO_NOW=$T0
	S=$BATS_FILE_TMPDIR/src
	printf 'TSIG_NAME=ab-xfr.\nTSIG_SECRET=c2VjcmV0LW9mLWEtYW5kLWI=\n' > tsig.conf
}

@test "init -R a from BIND's signed zone and public keys only: A_SIGNER=external, nothing of A's made, the zone published as it is" {
	runs bero-migrate -d a init -R a -k "$S/apub" -f "$S/a.signed"
	assert_success
	assert_output --partial "ok: the DNSKEY RRset of a/step-0.zone is the keys of keys/a"
	assert_output --partial "A signs with: external"
	assert_equal "$(cat a/log)" "0 $T0 a"
	grep -qx 'ROLE=a' a/config
	grep -qx 'A_SIGNER=external' a/config
	# Only the two public keys given, no private file, no other key.
	assert_equal "$(cd a/keys && find . -type f | sort | tr '\n' ' ')" \
	    "$(cd "$S/apub" && find . -type f | sed 's,^\./,./a/,' | sort | tr '\n' ' ')"
	[ -z "$(find a -name '*.private')" ]
	[ ! -e a/keys/root ] && [ ! -e a/root ]
	# What A serves is BIND's zone, record for record.
	cmp <(zcanon -z example. "$S/a.signed") a/published/a/example.zone
	# DS_A: the DS of the KSK given.
	assert_equal "$(cut -f4 a/a/ds-a.txt)" DS
}

@test "init -R a with the key pairs: A_SIGNER=berokit, the private files kept 0600" {
	runs bero-migrate -d a init -R a -k "$S/akeys" -f "$S/a.signed"
	assert_success
	grep -qx 'A_SIGNER=berokit' a/config
	assert_equal "$(find a/keys/a -name '*.private' | wc -l)" 2
	assert_equal "$(stat -c %a a/keys/a/*.private | sort -u)" 600
	assert_equal "$(stat -c %a a)" 700
}

@test "init -R a refuses: no keys, keys not in the zone's DNSKEY RRset, a zone that does not validate, half the private files, -N: nothing left" {
	runs bero-migrate -d a init -R a -f "$S/a.signed"
	assert_trouble bero-migrate "A's existing keys are required"
	runs bero-migrate -d a init -R a -k "$S/apub"
	assert_trouble bero-migrate "-f file: A's signed zone is required"
	runs bero-migrate -d a init -R a -k "$S/apub" -f "$S/a.signed" -N 5
	assert_trouble bero-migrate "-N: A's zone is its own"
	# A key that is not in the zone (another KSK).
	mkdir other
	cp "$S"/apub/*.key other/
	dnssec-keygen -q -K other -a ECDSAP256SHA256 -f KSK example. > /dev/null
	rm other/*.private
	runs bero-migrate -d a init -R a -k other -f "$S/a.signed"
	assert_failure 1
	assert_output --partial "step 0: a check failed; nothing published"
	[[ "$stderr" =~ "bero-migrate: step 0: the DNSKEY RRset of a/step-0.zone is not the keys of keys/a ("[0-9/\ ]+"): 1 of those keys missing from it, 0 keys in it not given" ]]
	[ -z "$(ls -A a)" ]
	# A record changed after signing: zcheck-chain finds it.
	sed 's/192\.0\.2\.2$/192.0.2.99/' "$S/a.signed" > bad.signed
	! cmp -s bad.signed "$S/a.signed" || false
	runs bero-migrate -d a init -R a -k "$S/apub" -f bad.signed
	assert_failure 1
	assert_output --partial "zcheck-chain: INVALID"
	[ -z "$(ls -A a)" ]
	# One key with its private file, one without.
	mkdir half
	cp "$S"/akeys/* half/
	rm "$(ls half/*.private | head -n 1)"
	runs bero-migrate -d a init -R a -k half -f "$S/a.signed"
	assert_trouble bero-migrate "1 keys with a private file, 1 without"
	runs bero-migrate -d a init -R a -C <(echo A_SIGNER=berokit) -k "$S/apub" -f "$S/a.signed"
	assert_trouble bero-migrate "2 keys without their private file"
	[ -z "$(ls -A a)" ]
}

@test "init -R b makes B's keys (a KSK and a ZSK) or imports them with -k; never a zone" {
	runs bero-migrate -d b init -R b -C tsig.conf
	assert_success
	assert_equal "$(ls b/keys/b | wc -l)" 4
	assert_equal "$(cat b/keys/b/*.key | grep -c 'DNSKEY 257 ')" 1
	assert_equal "$(cat b/keys/b/*.key | grep -c 'DNSKEY 256 ')" 1
	assert_equal "$(stat -c %a b/keys/tsig.key)" 600
	[ ! -e b/keys/root ] && [ -z "$(ls -A b/keys/a)" ]
	assert_equal "$(cat b/log)" "0 $T0 b"
	mkdir bkeys
	cp b/keys/b/* bkeys/
	runs bero-migrate -d b2 init -R b -k bkeys
	assert_success
	cmp <(cat bkeys/*) <(cat b2/keys/b/*)
	runs bero-migrate -d b3 init -R b -k "$S/apub"
	assert_trouble bero-migrate "2 keys without their private file"
	runs bero-migrate -d b3 init -R b -f "$S/a.signed"
	assert_trouble bero-migrate "-f: only A starts from a zone"
}

@test "init -R registry: no key, no secret" {
	runs bero-migrate -d r init -R registry
	assert_success
	assert_equal "$(find r/keys -type f | wc -l)" 0
	assert_equal "$(cat r/log)" "0 $T0 r"
	runs bero-migrate -d r2 init -R registry -C tsig.conf
	assert_trouble bero-migrate "the registry holds no secret"
	runs bero-migrate -d r2 init -R registry -k "$S/apub"
	assert_trouble bero-migrate "the registry holds no key"
	runs bero-migrate -d r2 init -R x
	assert_trouble bero-migrate "init: -R x: not a, b or registry"
}

@test "a step of another party is refused, naming who runs it; the parent's steps are observed, never run" {
	bero-migrate -d a init -R a -k "$S/apub" -f "$S/a.signed" > /dev/null
	bero-migrate -d r init -R registry > /dev/null
	bero-migrate -d b init -R b > /dev/null
	runs bero-migrate -d a step 1
	assert_trouble bero-migrate "step 1 is run by operator B in its own state directory; this one is operator A's \\(config ROLE=a\\)"
	runs bero-migrate -d r step 13
	assert_trouble bero-migrate "step 13 is run by operator A in its own state directory; this one is the registry's"
	runs bero-migrate -d b step 3
	assert_trouble bero-migrate "step 3 is run by the registry"
	runs bero-migrate -d b step 4
	assert_trouble bero-migrate "step 4 is the parent's .*bero-migrate observe 4"
	# Its own step, before B's step 1 is known here: what to do first.
	runs bero-migrate -d a step 2a
	assert_trouble bero-migrate "step 2a refused: the next step here is 1 \\(B takes A's zone, signs it with its own keys\\), not operator A's: import B's bundle b-1 with -y \\(bero-migrate import\\), which logs it once every address of B's servers serves B's zone of step 1; nothing done"
	# status says what each party does next.
	runs bero-migrate -d a status
	assert_success
	assert_line --index 3 "  operator A waits for operator B's bundle b-1 (bero-migrate import)"
	runs bero-migrate -d b status
	assert_line --index 3 "  operator B waits for operator A's bundle a-0 (bero-migrate import)"
	runs bero-migrate -d r status
	assert_line --index 3 "  the registry waits for operator B's bundle b-1 (bero-migrate import)"
}

@test "the key-disjointness scan over the three directories: only the party's own private keys; the TSIG key at A and B alone, 0600" {
	bero-migrate -d a init -R a -C tsig.conf -k "$S/akeys" -f "$S/a.signed" > /dev/null
	bero-migrate -d b init -R b -C tsig.conf > /dev/null
	bero-migrate -d r init -R registry > /dev/null
	roles_private_values "$S"/akeys/*.private > a.own
	roles_private_values b/keys/b/*.private > b.own
	assert_equal "$(wc -l < a.own) $(wc -l < b.own)" "2 2"
	cat a.own b.own > all.own
	roles_scan a a a.own b.own
	roles_scan b b b.own a.own
	roles_scan r r /dev/null all.own
	for d in a b; do
		assert_equal "$(stat -c %a $d/keys/tsig.key)" 600
	done
	cmp a/keys/tsig.key b/keys/tsig.key
	[ -z "$(grep -rl c2VjcmV0LW9mLWEtYW5kLWI r)" ]
	[ -z "$(grep -rl c2VjcmV0LW9mLWEtYW5kLWI a b | grep -v '/keys/tsig.key$')" ]
	# The scan fails on a key of B's left in A's directory (anywhere),
	# and on a private key outside keys/a.
	cp b/keys/b/*.private a/reports/
	run roles_scan a a a.own b.own
	assert_failure
	assert_output --partial "a/reports/"
	rm a/reports/*.private
	roles_private_values b/keys/b/*.private | head -n 1 > a/history/note
	run roles_scan a a a.own b.own
	assert_failure
	assert_output --partial "a/history/note: holds another party's private key"
}
