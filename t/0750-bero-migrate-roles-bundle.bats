#!/usr/bin/env bats
# bero-migrate export and import: the hand-overs between the parties'
# directories.  A bundle is a directory: a MANIFEST (format, from whom,
# for which step, the zone, the time, each file with its SHA-256) and
# the files it lists.  A hostile or broken bundle is refused with the
# manifest's file:line, exit 2, and nothing of it is kept.

load helper
load bero-migrate
load bero-roles

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	export BERO_NOW=$T0
	roles_a_zone src
	bero-migrate -d a init -R a -k src/akeys -f src/a.signed > /dev/null &&
	    bero-migrate -d b init -R b > /dev/null &&
	    bero-migrate -d r init -R registry > /dev/null &&
	    bero-migrate -d a export 0 -o a0 > /dev/null
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export BERO_NOW=$T0
	cp -a "$BATS_FILE_TMPDIR"/{a,b,r,a0} .
}

# Every file of a directory but its lock, with its digest: what an
# import that is refused must leave as it was.
tree() {
	(cd "$1" && find . -type f ! -name lock -exec sha256sum {} + | sort)
}

# refused BUNDLE DIR PATTERN: the import is trouble (exit 2) matching
# PATTERN, and DIR is as it was.
refused() {
	local before
	before=$(tree "$2")
	runs bero-migrate -d "$2" import "$1"
	assert_trouble bero-migrate "$3"
	assert_equal "$(tree "$2")" "$before"
	[ -z "$(ls -d "$2"/import.* 2> /dev/null)" ]
}

@test "export 0 in A's directory: the manifest, the public keys, A's DNSKEY RRset with its signatures, DS_A and the zone; no private file" {
	run cat a0/MANIFEST
	assert_line --index 0 "berokit-bundle 1"
	assert_line --index 1 "from a"
	assert_line --index 2 "step 0"
	assert_line --index 3 "zone example."
	assert_line --index 4 "time $T0"
	assert_equal "$(ls a0 | tr '\n' ' ')" "$(cd a/keys/a && ls *.key | tr '\n' ' ')MANIFEST dnskey ds zone "
	(cd a0 && awk '$1 == "file" { print $3 "  " $2 }' MANIFEST | sha256sum -c --quiet)
	[ -z "$(grep -rl Private a0)" ]
	cmp a0/zone a/published/a/example.zone
	assert_equal "$(awk -F '\t' '{ print $4 }' a0/dnskey | sort | uniq -c | awk '{ print $1 $2 }' | tr '\n' ' ')" "2DNSKEY 2RRSIG "
	assert_equal "$(awk -F '\t' '{ split($5, f, " "); print $4, f[3] }' a0/ds)" "DS 2"
}

@test "export refuses: a bundle that exists, a step not done, a party or step with no hand-over, the rehearsal" {
	runs bero-migrate -d a export 0 -o a0
	assert_trouble bero-migrate "a0: exists; a bundle is written to a new name"
	runs bero-migrate -d b export 1 -o b1
	assert_trouble bero-migrate "export: step 1 is not done here yet"
	runs bero-migrate -d r export 0
	assert_trouble bero-migrate "export: the registry hands nothing over after step 0"
	runs bero-migrate -d a export 3
	assert_trouble bero-migrate "export: operator A hands nothing over after step 3"
	bm_init all
	runs bero-migrate -d all export 0
	assert_trouble bero-migrate "the rehearsal \\(ROLE=all\\) hands nothing over"
	[ ! -e b1 ] && [ ! -e all-0.bundle ] && [ ! -e r-0.bundle ]
}

@test "import refuses a changed or truncated file, a cut manifest, another format: file:line, exit 2, nothing kept" {
	cp -a a0 x
	sed -i '$d' x/zone
	refused x b "x/MANIFEST:[0-9]+: zone: its SHA-256 digest is not the manifest's \\(changed or cut short\\)"
	rm -rf x && cp -a a0 x
	printf 'x' >> x/ds
	refused x b "x/MANIFEST:[0-9]+: ds: its SHA-256 digest is not the manifest's"
	rm -rf x && cp -a a0 x
	head -n 5 a0/MANIFEST > x/MANIFEST
	refused x b "x/MANIFEST:5: the manifest ends early \\(cut short\\)"
	rm -rf x && cp -a a0 x
	head -c 300 a0/MANIFEST > x/MANIFEST
	refused x b "x/MANIFEST:[0-9]+: "
	rm -rf x && cp -a a0 x
	sed -i '1s/1$/2/' x/MANIFEST
	refused x b "x/MANIFEST:1: 'berokit-bundle 2': not 'berokit-bundle 1'"
	rm -rf x && cp -a a0 x
	rm x/MANIFEST
	refused x b "x/MANIFEST: none \\(not a bundle\\)"
	refused nothing b "nothing: not a bundle"
}

@test "import refuses the wrong step, party or zone, and a bundle of the receiver's own party" {
	cp -a a0 x
	sed -i 's/^step 0$/step 10/' x/MANIFEST
	refused x b "x/MANIFEST:3: step 10: operator A's bundle after step 10 is not one operator B takes \\(it takes: a-0 a-2a a-2b a-6 a-sync a-refresh a-b1 a-b4 a-b8 \\)"
	rm -rf x && cp -a a0 x
	sed -i 's/^step 0$/step 2b/' x/MANIFEST
	refused x b "x/MANIFEST:3: step 2b: not now: this directory's last step is 0\$"
	rm -rf x && cp -a a0 x
	sed -i 's/^step 0$/step 99/' x/MANIFEST
	refused x b "x/MANIFEST:3: step '99': no such step"
	rm -rf x && cp -a a0 x
	sed -i 's/^from a$/from root/' x/MANIFEST
	refused x b "x/MANIFEST:2: from 'root': bundles come from operator a or b"
	rm -rf x && cp -a a0 x
	sed -i 's/^zone example\.$/zone other./' x/MANIFEST
	refused x b "x/MANIFEST:4: zone other.: this directory's is example."
	refused a0 a "a0/MANIFEST:2: from a: a bundle of this directory's own party"
	refused a0 r "a0/MANIFEST:3: step 0: operator A's bundle after step 0 is not one the registry takes \\(it takes: b-1 b-2b b-6 b-10 b-b1 b-b4 b-b8 a-b12 \\)"
	rm -rf x && cp -a a0 x
	sed -i 's/^time .*/time soon/' x/MANIFEST
	refused x b "x/MANIFEST:5: time 'soon': not seconds since the epoch"
}

@test "import refuses path names, files the manifest does not list, links, private keys and files of no kind" {
	local n
	cp -a a0 x
	n=$(wc -l < x/MANIFEST)
	printf 'file ../b/config %s\n' "$(sha256sum < b/config | cut -d' ' -f1)" >> x/MANIFEST
	refused x b "x/MANIFEST:$((n + 1)): '../b/config': not a file name of the bundle \\(a path, or a name starting with '.'\\)"
	rm -rf x && cp -a a0 x
	printf 'file /etc/passwd %s\n' "$(sha256sum < /etc/passwd | cut -d' ' -f1)" >> x/MANIFEST
	refused x b "x/MANIFEST:$((n + 1)): '/etc/passwd': not a file name"
	rm -rf x && cp -a a0 x
	printf 'file .. %064d\n' 0 >> x/MANIFEST
	refused x b "x/MANIFEST:$((n + 1)): '..': not a file name"
	rm -rf x && cp -a a0 x
	echo extra > x/notes
	refused x b "x/notes: not in the manifest: nothing imported"
	rm -rf x && cp -a a0 x
	mv x/zone x/zone.real
	ln -s zone.real x/zone
	refused x b "x/MANIFEST:[0-9]+: zone: not in the bundle \\(or not a plain file\\)"
	rm -rf x && cp -a a0 x
	cp "$(ls b/keys/b/*.private | head -n 1)" x/
	remanifest x
	refused x b "x/K.*\\.private: a private key: never handed over \\(nothing imported\\)"
	rm -rf x && cp -a a0 x
	cat "$(ls b/keys/b/*.private | head -n 1)" >> x/ds
	remanifest x
	refused x b "x/ds: holds a private key: never handed over"
	rm -rf x && cp -a a0 x
	echo hello > x/readme
	remanifest x
	refused x b "x/readme: not a file a bundle holds"
}

@test "import refuses keys that are not the sender's, a DS that is not theirs, a DNSKEY RRset that is not the zone's" {
	# B's own key in A's bundle.
	cp -a a0 x
	cp "$(ls b/keys/b/*.key | head -n 1)" x/
	remanifest x
	refused x b "x/K.*\\.key: operator B's key .*, not operator A's: nothing imported"
	# A DS of another key.
	rm -rf x && cp -a a0 x
	ds-from-dnskey -2 -L 86400 "$(grep -l 'DNSKEY 257' b/keys/b/*.key)" > x/ds
	remanifest x
	refused x b "x/ds: not the DS of the bundle's key-signing keys: nothing imported"
	# A key of the TLD the sender's RRset does not hold.
	rm -rf x && cp -a a0 x
	dnssec-keygen -q -K x -a ECDSAP256SHA256 example. > /dev/null
	rm x/*.private
	remanifest x
	refused x b "x/dnskey: does not hold K.*\\.key, a key of the bundle"
	# A key of another zone.
	rm -rf x && cp -a a0 x
	dnssec-keygen -q -K . -a ECDSAP256SHA256 -f KSK other. > /dev/null
	k=$(ls Kother.*.key)
	cp "$k" "x/Kexample.+013+00001.key"
	remanifest x
	refused x b "x/Kexample.\\+013\\+00001.key: not a DNSKEY of example."
	# The DNSKEY RRset of the bundle not the zone's.
	rm -rf x && cp -a a0 x
	awk -F '\t' '$4 == "RRSIG" && !n++ { next } { print }' a0/dnskey > x/dnskey
	! cmp -s a0/dnskey x/dnskey || false
	remanifest x
	refused x b "x/dnskey: not the DNSKEY RRset and signatures of .*x/zone: nothing imported"
}
