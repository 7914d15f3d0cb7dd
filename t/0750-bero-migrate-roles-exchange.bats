#!/usr/bin/env bats
# Steps 0 to 2b of the exchange method between three state directories,
# each party's own, with the parent outside: a test root served by NSD
# on a loopback address (t/lab/servers.sh), whose DS RRset bero-migrate
# asks for (PARENT_SERVERS).  A's zone was signed by BIND's
# dnssec-signzone with keys dnssec-keygen made beforehand; berokit has
# A's public keys only (A_SIGNER=external), and A's own signer adds B's
# keys and NS_B.  B checks KSK_A against the DS the parent serves before
# it takes A's zone (a bundle's file, or a zone transfer with TSIG from
# A's NSD); A and the registry take B's keys only with every SHA-256 DS
# digest of B's KSKs confirmed (-y); B takes KSK_A's signature from A's
# zone.  No directory holds another party's private key.

load helper
load bero-migrate
load bero-roles
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	export BERO_NOW=$T0
	roles_parties || return 1
	[ -z "$ZCS_SKIP" ] || return 0
	# At a rogue parent address, the DS of a key that is not A's.
	mkdir rogue
	dnssec-keygen -q -K rogue -a ECDSAP256SHA256 -f KSK example. > /dev/null
	ds-from-dnskey -2 rogue/*.key > src/ds-rogue
	roles_parent_zone src/ds-rogue rogue.zone
	# Besides A's and B's servers (roles_parties), whose zone the
	# publish hook replaces (roles_run), two for the zone transfers:
	# A's with the TSIG key and B's.  B's serves any zone of example.
	# until step 1.
	for s in a1 bxs; do
		cp src/a.signed "$ZCS_DIR/zones/$s.zone" || return 1
	done
	zcs_nsd rogue 127.75.0.2 ".=$BATS_FILE_TMPDIR/rogue.zone" &&
	    zcs_nsd bxs 127.75.2.2 "example.=$ZCS_DIR/zones/bxs.zone" &&
	    roles_nsd_xfr a1 127.75.0.11 "$ZCS_DIR/zones/a1.zone" &&
	    zcs_ready || return 1
	roles_conf 10 > parent.conf
	printf 'PARENT_SERVERS="a.root-servers.test.=127.75.0.2@%s"\n' "$ZCS_PORT" > rogue.conf
	printf 'PARENT_SERVERS="a.root-servers.test.=127.75.0.1@%s b.root-servers.test.=127.75.0.2@%s"\n' \
	    "$ZCS_PORT" "$ZCS_PORT" > split.conf
	roles_run bero-migrate -d a init -R a -C parent.conf -k src/apub \
	    -f src/a.signed > a.init &&
	    roles_run bero-migrate -d b init -R b -C parent.conf > /dev/null &&
	    roles_run bero-migrate -d r init -R registry -C parent.conf > /dev/null &&
	    bero-migrate -d a export 0 -o a0 > /dev/null || return 1
	# The zone transfers: A's server (.11) serves what A publishes, as
	# A's own signer made it, and gives it to B with the TSIG key.
	{
		cat parent.conf
		printf 'A_SERVERS="ns1.nic-a.example.=127.75.0.11@%s"\n' "$ZCS_PORT"
		printf 'B_SERVERS="ns1.nic-b.example.=127.75.2.2@%s"\n' "$ZCS_PORT"
		printf 'TRANSFER=axfr\nA_XFR_ADDR=127.75.0.11@%s\n' "$ZCS_PORT"
		printf 'TSIG_NAME=%s\nTSIG_SECRET=%s\n' "$ROLES_TSIG_NAME" "$ROLES_TSIG_SECRET"
	} > axfr.conf
	roles_run bero-migrate -d bx init -R b -C axfr.conf > /dev/null &&
	    roles_a_sign_2a src ax2a.signed bx/keys/b &&
	    roles_run bero-migrate -d ax init -R a -C axfr.conf -k src/apub > ax.init
}

teardown_file() {
	zcs_stop
}

setup() {
	zcs_load
	cd "$BATS_TEST_TMPDIR" || return 1
	export BERO_NOW=$T0
	cp -a "$BATS_FILE_TMPDIR"/{a,b,r,a0,src,ax,bx,ax2a.signed} .
	cp "$BATS_FILE_TMPDIR"/*.conf .
}

# What B's directory holds after step 1, and its bundle b1.
b_after_1() {
	roles_run bero-migrate -d b import a0 > /dev/null &&
	    roles_run bero-migrate -d b step 1 > /dev/null &&
	    bero-migrate -d b export 1 -o b1 > /dev/null
}

# Through A's part of step 2a: B's keys at A (confirmed), A's zone
# signed by A's own signer with B's keys added, its bundle a2a.
through_2a_a() {
	local digest
	b_after_1 || return 1
	digest=$(awk -F '\t' '{ split($5, f, " "); print f[4] }' b/b/ds-b.txt)
	roles_run bero-migrate -d a import b1 -y "$digest" > /dev/null || return 1
	# The registry too, while B's servers serve B's step 1.
	roles_run bero-migrate -d r import b1 -y "$digest" > /dev/null || return 1
	roles_a_sign_2a src a2a.signed b/keys/b || return 1
	BERO_NOW=$((T0 + 60)) roles_run bero-migrate -d a step 2a -f a2a.signed > a2a.out ||
	    { cat a2a.out; return 1; }
	bero-migrate -d a export 2a -o a2a > /dev/null
}

# Then B's part: it imports a2a and runs its step 2a.
through_2a() {
	through_2a_a || return 1
	roles_run bero-migrate -d b import a2a > /dev/null &&
	    BERO_NOW=$((T0 + 120)) roles_run bero-migrate -d b step 2a > b2a.out ||
	    { cat b2a.out; return 1; }
}

@test "A's init checks its zone against the DS the parent serves" {
	run cat "$BATS_FILE_TMPDIR/a.init"
	assert_output --partial "ok: every DS in a/parent.ds matches a DNSKEY of a/step-0.zone"
	assert_output --partial "zcheck-chain -v -t $T0 -D a/parent.ds a/step-0.zone"
	grep -qx 'A_SIGNER=external' a/config
}

@test "B imports A's bundle: KSK_A checked against the DS the parent serves, the zone validated from it" {
	runs roles_run bero-migrate -d b import a0
	assert_success
	assert_output "imported: operator A's bundle after step 0 ($PWD/a0)"
	cmp a0/zone b/published/a/example.zone
	cmp b/history/ds-0.txt b/published/root/ds.txt
	assert_equal "$(ls b/keys/a | tr '\n' ' ')" "$(cd a/keys/a && ls | tr '\n' ' ')"
	assert_equal "$(cut -d' ' -f1 b/imported)" a-0
	runs bero-migrate -d b status
	assert_line "  operator B runs: bero-migrate -d b step 1"
	# Once only.
	runs roles_run bero-migrate -d b import a0
	assert_trouble bero-migrate "a0/MANIFEST:3: step 0: not now"
}

@test "B refuses A's bundle when the parent serves the DS of another key, when its addresses disagree, when it cannot be asked" {
	local before
	before=$(cd b && find . -type f ! -name lock | sort | xargs sha256sum)
	cp rogue.conf b/config.add && cat b/config.add >> b/config
	runs roles_run bero-migrate -d b import a0
	assert_trouble bero-migrate "import: the parent serves DS [0-9]+/13 that names no key-signing key of .*a0: not operator A's keys: nothing imported"
	cat split.conf >> b/config
	runs roles_run bero-migrate -d b import a0
	assert_trouble bero-migrate "serves another DS RRset of example. than a.root-servers.test."
	printf 'PARENT_SERVERS="a.root-servers.test.=127.75.0.9@%s"\n' "$ZCS_PORT" >> b/config
	runs roles_run bero-migrate -d b import a0
	assert_trouble bero-migrate "the DS RRset of example. cannot be asked"
	printf 'PARENT_SERVERS=\n' >> b/config
	runs roles_run bero-migrate -d b import a0
	assert_trouble bero-migrate "PARENT_SERVERS is empty"
	sed -i '/^PARENT_SERVERS=/d; /^# *$/d' b/config
	rm b/config.add
	assert_equal "$(cd b && find . -type f ! -name lock ! -name config | sort | xargs sha256sum)" \
	    "$(printf '%s\n' "$before" | grep -v ' ./config$')"
}

@test "B's step 1 in its own directory: A's zone from A's bundle, signed with B's keys only; b-1 holds B's keys and DS" {
	b_after_1
	grep -q '^1 ' b/log
	assert_equal "$(awk '{ print $3 }' b/log | tr '\n' ' ')" "b b "
	[ -f b/published/b/example.zone ]
	run cat b/reports/1.out
	assert_output --partial "ok: the DNSKEY RRset of a/step-1.zone is the keys of keys/a"
	assert_output --partial "step 1: every check passed"
	assert_equal "$(awk '$1 == "file" { print $2 }' b1/MANIFEST | grep -c '\.key$')" 2
	# Step 1 again: done.
	runs roles_run bero-migrate -d b step 1
	assert_trouble bero-migrate "step 1: already done"
}

@test "A and the registry take B's keys only with every SHA-256 DS digest of B's KSKs confirmed: without -y the digests are shown and the import refused" {
	local digest before
	b_after_1
	digest=$(awk -F '\t' '{ split($5, f, " "); print f[4] }' b/b/ds-b.txt)
	[ "${#digest}" -eq 64 ]
	for d in a r; do
		before=$(cd "$d" && find . -type f ! -name lock | sort | xargs sha256sum)
		runs roles_run bero-migrate -d "$d" import b1
		assert_failure 1
		assert_output --partial "the DS of operator B's key-signing keys in $PWD/b1 (SHA-256, RFC 4509):"
		assert_output --partial " 13 2 ${digest^^}"
		assert_equal "${stderr##*$'\n'}" "bero-migrate: import: confirm each digest above with operator B out of band, then give it with -y: nothing imported"
		# A wrong digest: refused, and said.
		runs roles_run bero-migrate -d "$d" import b1 -y "$(printf '%064d' 7)"
		assert_failure 1
		assert_output --partial "${digest^^}"
		[[ "$stderr" == *"-y $(printf '%064d' 7): not the digest of any key-signing key"* ]]
		assert_equal "$(cd "$d" && find . -type f ! -name lock | sort | xargs sha256sum)" "$before"
		runs roles_run bero-migrate -d "$d" import b1 -y '*'
		assert_trouble bero-migrate "import: -y: not a digest in hexadecimal: \\*"
		# Confirmed (as typed: lower case, in groups).
		runs roles_run bero-migrate -d "$d" import b1 -y "$(printf '%s' "${digest,,}" | sed 's/.\{16\}/& /g')"
		assert_success
		assert_equal "$(ls "$d/keys/b" | tr '\n' ' ')" "$(cd b/keys/b && ls *.key | tr '\n' ' ')"
		assert_equal "$(awk '$1 == 1 { print $3 }' "$d/log")" b
		runs bero-migrate -d "$d" status
		if [ "$d" = a ]; then
			assert_line "  operator A runs: bero-migrate -d a step 2a -f file"
		else
			assert_line "  the registry waits for operator B's bundle b-2b (bero-migrate import)"
		fi
		runs roles_run bero-migrate -d "$d" import b1 -y "$digest"
		assert_trouble bero-migrate "step 1: not now"
	done
}

@test "step 2a, A with BIND's signer: A's RRset of the four keys carries KSK_A's signature only; B's carries KSK_A's and KSK_B's; A takes B's back" {
	through_2a
	run cat a2a.out
	assert_output --partial "ok: the DNSKEY RRset of a/step-2a.zone is the keys of keys/a and keys/b"
	assert_output --partial "step 2a: every check passed"
	refute_output --partial "zresign"
	# A's RRset: signed by A's keys only (BIND signs it with KSK_A and
	# ZSK_A); B's: KSK_A's (exchanged) and B's own.
	ka=$(ksk_tag src/akeys) kb=$(ksk_tag b/keys/b)
	[[ " $(dnskey_sigs a/published/a/example.zone) " == *" $ka "* ]]
	[[ " $(dnskey_sigs a/published/a/example.zone) " != *" $kb "* ]]
	[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $ka "* ]]
	[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $kb "* ]]
	run cat b2a.out
	assert_output --partial "ok: apex DNSKEY identical in a/step-2a.zone and b/step-2a.zone"
	assert_output --partial "step 2a: every check passed"
	cmp b/published/a/example.zone a/published/a/example.zone
	bero-migrate -d b export 2a -o b2a > /dev/null
	runs bero-migrate -d a import b2a
	assert_success
	assert_equal "$(cut -d' ' -f1 a/imported | tr '\n' ' ')" "b-1 b-2a "
	# A's step 6 before its step 2b: refused (t/0752 runs the rest).
	BERO_NOW=$((T0 + 9999)) runs bero-migrate -d a step 6
	assert_trouble bero-migrate "step 6: out of order: the next step is 2b"
}

@test "A's part of step 2a refuses a zone of A's signer without all of B's keys: nothing published" {
	local digest
	b_after_1
	digest=$(awk -F '\t' '{ split($5, f, " "); print f[4] }' b/b/ds-b.txt)
	roles_run bero-migrate -d a import b1 -y "$digest" > /dev/null
	# A's signer adds only B's KSK: A's part refuses it.
	mkdir bksk
	cp "$(grep -l 'DNSKEY 257' b/keys/b/*.key)" bksk/
	roles_a_sign_2a src a2a.signed bksk
	BERO_NOW=$((T0 + 60)) runs roles_run bero-migrate -d a step 2a -f a2a.signed
	assert_failure 1
	[[ "$stderr" == *"the DNSKEY RRset of a/step-2a.zone is not the keys of keys/a and keys/b"*"1 of those keys missing from it"* ]]
	[ ! -e a/history/a-2a.zone ]
}

@test "B refuses A's bundle a-2a whose DNSKEY RRset holds a key that is not A's or B's: nothing kept" {
	local before
	through_2a_a
	# The bundle made again with a third key in A's RRset, its zone
	# signed by A's signer: a consistent bundle, of another key set.
	mkdir extra
	cp b/keys/b/*.key extra/
	dnssec-keygen -q -K extra -a ECDSAP256SHA256 example. > /dev/null
	rm extra/*.private
	roles_a_sign_2a src a2a-extra.signed extra
	zcanon -z example. a2a-extra.signed > a2a/zone
	awk -F '\t' '$1 == "example." && ($4 == "DNSKEY" || ($4 == "RRSIG" && $5 ~ /^DNSKEY /))' \
	    a2a/zone > a2a/dnskey
	remanifest a2a
	before=$(cd b && find . -type f ! -name lock | sort | xargs sha256sum)
	runs roles_run bero-migrate -d b import a2a
	assert_trouble bero-migrate "a2a/dnskey: its DNSKEY RRset differs from operator B's own \\(keys/a and keys/b\\): 1 keys only in the bundle, 0 missing from it: nothing imported"
	assert_equal "$(cd b && find . -type f ! -name lock | sort | xargs sha256sum)" "$before"
}

@test "TRANSFER=axfr: A's zone by zone transfer with TSIG at A's init and B's step 1; at step 2a B takes KSK_A's signature from A's servers, without a bundle" {
	local digest
	run cat "$BATS_FILE_TMPDIR/ax.init"
	assert_output --partial "kdig -k keys/tsig.key @127.75.0.11@$ZCS_PORT example. AXFR"
	assert_output --partial "step 0: every check passed"
	cmp ax/published/a/example.zone <(zcanon -z example. src/a.signed)
	bero-migrate -d ax export 0 -o ax0 > /dev/null
	[ ! -e ax0/zone ]
	roles_run bero-migrate -d bx import ax0 > /dev/null
	[ ! -e bx/published/a/example.zone ]
	runs roles_run bero-migrate -d bx step 1
	assert_success
	assert_output --partial "ok: the DNSKEY RRset of a/step-1.zone is the keys of keys/a"
	cmp bx/published/a/example.zone <(zcanon -z example. src/a.signed)
	bero-migrate -d bx export 1 -o bx1 > /dev/null
	digest=$(awk -F '\t' '{ split($5, f, " "); print f[4] }' bx/b/ds-b.txt)
	roles_run bero-migrate -d ax import bx1 -y "$digest" > /dev/null
	BERO_NOW=$((T0 + 60)) roles_run bero-migrate -d ax step 2a -f ax2a.signed > /dev/null
	# A's server serves its step 2a zone now: B transfers it from there.
	BERO_NOW=$((T0 + 120)) runs roles_run bero-migrate -d bx step 2a
	assert_success
	assert_output --partial "kdig -k keys/tsig.key @127.75.0.11@$ZCS_PORT example. AXFR"
	assert_output --partial "ok: apex DNSKEY identical in a/step-2a.zone and b/step-2a.zone"
	assert_output --partial "ok: the DNSKEY RRset of b/step-2a.zone is signed by a's KSK"
	[[ " $(dnskey_sigs bx/published/b/example.zone) " == *" $(ksk_tag src/akeys) "* ]]
	# The TSIG key: at A and B, 0600; the registry has none.
	assert_equal "$(stat -c %a ax/keys/tsig.key bx/keys/tsig.key | sort -u)" 600
	cmp ax/keys/tsig.key bx/keys/tsig.key
}

@test "TRANSFER=axfr: a transfer A's server refuses (no TSIG key, or the wrong one) stops B's step 1; nothing published" {
	roles_run bero-migrate -d bx import "$(bero-migrate -d ax export 0 -o ax0 > /dev/null; echo ax0)" > /dev/null
	printf 'hmac-sha256:%s:%s\n' "$ROLES_TSIG_NAME" "$(printf 'another secret' | base64)" > bx/keys/tsig.key
	runs roles_run bero-migrate -d bx step 1
	assert_trouble bero-migrate "step 1: pipeline failed \\(status [0-9]+\\): kdig -k keys/tsig.key"
	[ ! -e bx/published/b/example.zone ] && [ ! -e bx/history/b-1.zone ]
	assert_equal "$(wc -l < bx/log)" 1
}

@test "A_SIGNER=berokit: A's part of step 2a re-signs A's zone with A's keys and B's added; B takes KSK_A's signature from its bundle" {
	local digest
	roles_run bero-migrate -d ak init -R a -C parent.conf -k src/akeys -f src/a.signed > /dev/null
	grep -qx 'A_SIGNER=berokit' ak/config
	bero-migrate -d ak export 0 -o ak0 > /dev/null
	roles_run bero-migrate -d b import ak0 > /dev/null
	roles_run bero-migrate -d b step 1 > /dev/null
	bero-migrate -d b export 1 -o b1 > /dev/null
	digest=$(awk -F '\t' '{ split($5, f, " "); print f[4] }' b/b/ds-b.txt)
	roles_run bero-migrate -d ak import b1 -y "$digest" > /dev/null
	# -z is for A's own signer only.
	BERO_NOW=$((T0 + 60)) runs roles_run bero-migrate -d ak step 2a -f src/a.signed
	assert_trouble bero-migrate "step 2a: -f: only A with its own signer"
	BERO_NOW=$((T0 + 60)) runs roles_run bero-migrate -d ak step 2a
	assert_success
	assert_output --partial "zresign -A -k keys/a/"
	assert_output --partial "step 2a: every check passed"
	[[ " $(dnskey_sigs ak/published/a/example.zone) " == *" $(ksk_tag src/akeys) "* ]]
	[[ " $(dnskey_sigs ak/published/a/example.zone) " != *" $(ksk_tag b/keys/b) "* ]]
	bero-migrate -d ak export 2a -o ak2a > /dev/null
	roles_run bero-migrate -d b import ak2a > /dev/null
	BERO_NOW=$((T0 + 120)) runs roles_run bero-migrate -d b step 2a
	assert_success
	assert_output --partial "step 2a: every check passed"
}

@test "step 2b: A (BIND's signer) adds NS_B once it has B's step 2a; B takes A's serial and KSK_A's signature from A's zone of step 2b" {
	local t
	through_2a
	roles_a_sign_2b src a2b.signed b/keys/b
	# Before its wait (T2a + Dprp_C + TTL_KEY): refused.
	t=$(bero-migrate -d a when 2b)
	assert_equal "$t" $((T0 + 60 + 600 + 3600))
	# Without B's bundle b-2a: refused, whatever the time.
	BERO_NOW=$t runs roles_run bero-migrate -d a step 2b -f a2b.signed
	assert_trouble bero-migrate "step 2b: B's step 2a is not known here: import B's bundle b-2a first"
	bero-migrate -d b export 2a -o b2a > /dev/null
	bero-migrate -d a import b2a > /dev/null
	BERO_NOW=$((t - 1)) runs roles_run bero-migrate -d a step 2b -f a2b.signed
	assert_trouble bero-migrate "step 2b refused: wait 1s more"
	BERO_NOW=$t runs roles_run bero-migrate -d a step 2b -f a2b.signed
	assert_success
	assert_output --partial "ok: apex NS of a/step-2b.zone: ns1.nic-a.example. ns1.nic-b.example. ns2.nic-a.example. ns2.nic-b.example."
	bero-migrate -d a export 2b -o a2b > /dev/null
	roles_run bero-migrate -d b import a2b > /dev/null
	t=$(bero-migrate -d b when 2b)
	BERO_NOW=$t runs roles_run bero-migrate -d b step 2b
	assert_success
	assert_output --partial "ok: apex NS identical in a/step-2b.zone and b/step-2b.zone"
	assert_output --partial "ok: G5 SOA serial 2026120102 at both"
	assert_output --partial "step 2b: every check passed"
	[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $(ksk_tag src/akeys) "* ]]
	bero-migrate -d b export 2b -o b2b > /dev/null
	runs bero-migrate -d a import b2b
	assert_success
}

@test "the key-disjointness scan over the three directories and every bundle, through step 2b: each holds its own private keys only; the TSIG key at A and B alone" {
	local digest t
	through_2a
	bero-migrate -d b export 2a -o b2a > /dev/null
	bero-migrate -d a import b2a > /dev/null
	roles_a_sign_2b src a2b.signed b/keys/b
	t=$(bero-migrate -d a when 2b)
	BERO_NOW=$t roles_run bero-migrate -d a step 2b -f a2b.signed > /dev/null
	bero-migrate -d a export 2b -o a2b > /dev/null
	roles_run bero-migrate -d b import a2b > /dev/null
	t=$(bero-migrate -d b when 2b)
	BERO_NOW=$t roles_run bero-migrate -d b step 2b > /dev/null
	bero-migrate -d b export 2b -o b2b > /dev/null
	bero-migrate -d a import b2b > /dev/null
	# A signs with its own signer: berokit holds none of A's private keys.
	roles_scan_parties a0 b1 a2a b2a a2b b2b
	# No TSIG key in this run (TRANSFER=file); in the zone-transfer run
	# below, A's and B's alone.
	[ ! -e a/keys/tsig.key ] && [ ! -e b/keys/tsig.key ] && [ ! -e r/keys/tsig.key ]
}
