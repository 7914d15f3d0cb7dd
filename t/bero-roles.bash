# Shared by the t/0750-bero-migrate-roles-*.bats files: the three
# parties' state directories of one migration (A, B, the registry), A
# starting from a zone BIND signed with keys made beforehand, and the
# scan that no directory holds a private key of another party.

# roles_a_zone DIR: in DIR, A's keys made by dnssec-keygen (akeys/: the
# pairs; apub/: their public halves) and the sample TLD of 20
# delegations signed by BIND's dnssec-signzone with them (a.signed):
# NSEC3 with opt-out, no salt, no extra iterations (RFC 9276), valid
# from 2026-11-01 to 2038 (any real date of a run, and T0).
roles_a_zone() {
	local d=$1
	mkdir -p "$d/akeys" "$d/apub" || return 1
	awk -f "$TOP/scripts/gentld.awk" -v tld=example. -v n=20 \
	    -v serial=2026120100 -v ttl_zone=86400 -v ttl_ns=86400 \
	    -v "ns=ns1.nic-a.example. ns2.nic-a.example." \
	    -v "addrs=ns1.nic-a.example.=192.0.2.1 ns1.nic-a.example.=2001:db8::1 ns2.nic-a.example.=192.0.2.2" \
	    < /dev/null | zcanon > "$d/a.unsigned" || return 1
	dnssec-keygen -q -K "$d/akeys" -a ECDSAP256SHA256 -L 3600 -f KSK \
	    example. > /dev/null &&
	    dnssec-keygen -q -K "$d/akeys" -a ECDSAP256SHA256 -L 3600 \
	    example. > /dev/null || return 1
	cp "$d"/akeys/*.key "$d/apub/" || return 1
	roles_a_sign "$d" "$d/a.signed" "$d/a.unsigned"
}

# roles_a_sign SRC OUT UNSIGNED: A's own signer, BIND's dnssec-signzone,
# signs UNSIGNED with A's keys (SRC/akeys) alone into OUT: NSEC3 with
# opt-out, no salt, no extra iterations (RFC 9276), valid from
# 2026-11-01 to 2038 (any real date of a run, and T0).
roles_a_sign() {
	dnssec-signzone -q -K "$1/akeys" -S -3 - -A -H 0 -s 20261101000000 \
	    -e 20380101000000 -o example. -f "$2" "$3" > /dev/null 2>&1
}

# roles_private_values FILE...: the private key material of BIND
# .private files (the PrivateKey: value, or every value of an RSA key),
# one a line.
roles_private_values() {
	awk -F ': ' '$1 ~ /^(PrivateKey|PrivateExponent|Prime1|Prime2)$/ { print $2 }' "$@"
}

# roles_scan DIR PARTY OWN OTHERS: fails, naming the file, when DIR (the
# state directory of PARTY) holds any DNSSEC private key but its own:
# a file with a private key's header outside keys/PARTY, or any value
# of OTHERS (a file of private values of the other parties' keys)
# anywhere in it, or a key of keys/PARTY whose private value is not one
# of OWN (a file: the party's own values).
roles_scan() {
	local dir=$1 party=$2 own=$3 others=$4 f v bad=0
	while IFS= read -r f; do
		case $f in
		"$dir/keys/$party/"*.private) ;;
		*) echo "$f: a private key outside keys/$party" >&2; bad=1; continue ;;
		esac
		for v in $(roles_private_values "$f"); do
			grep -qxF -- "$v" "$own" ||
			    { echo "$f: a private key not $party's" >&2; bad=1; }
		done
	done < <(grep -rlE 'Private-key-format|PrivateKey' "$dir")
	if [ -s "$others" ]; then
		while IFS= read -r f; do
			echo "$f: holds another party's private key" >&2
			bad=1
		done < <(grep -rlF -f "$others" "$dir")
	fi
	return "$bad"
}

# roles_parent_zone DSFILE OUT: the test root of these tests, unsigned
# (what the parent serves is asked of its server, never validated
# here): its SOA and NS, and the TLD's delegation to NS_A with glue and
# the DS records of DSFILE.
roles_parent_zone() {
	{
		printf '.\t86400\tIN\tSOA\ta.root-servers.test. nstld.root-servers.test. 2026120100 1800 900 604800 86400\n'
		printf '.\t518400\tIN\tNS\ta.root-servers.test.\n'
		printf 'a.root-servers.test.\t518400\tIN\tA\t127.75.0.1\n'
		printf 'example.\t172800\tIN\tNS\tns1.nic-a.example.\n'
		printf 'example.\t172800\tIN\tNS\tns2.nic-a.example.\n'
		printf 'ns1.nic-a.example.\t172800\tIN\tA\t192.0.2.1\n'
		printf 'ns2.nic-a.example.\t172800\tIN\tA\t192.0.2.2\n'
		awk -F '\t' -v OFS='\t' '$4 == "DS" { $2 = 86400; print }' "$1"
	} | zcanon -z . > "$2"
}

# roles_lab DIR: the parent's server (NSD, t/lab/servers.sh) on
# 127.75.0.1 serving DIR/root.zone (the caller sources servers.sh), in a
# network namespace of its own when one can be made; the driver runs
# there through roles_run.
roles_lab() {
	zcs_start "$1/lab" || return 1
	[ -z "$ZCS_SKIP" ] || return 0
	zcs_nsd parent 127.75.0.1 ".=$1/root.zone" && zcs_ready
}

# roles_parties: in the current directory (a file's temporary one), A's
# zone and keys (src/, roles_a_zone) and A's DS (src/ds-a), the test
# root delegating to NS_A with that DS (root.zone) served by the
# parent's NSD (roles_lab), the publish hook (roles_hook), and the
# operators' NSDs: A's (afile, 127.75.1.1) and B's (bfile, 127.75.2.1),
# both serving A's signed zone until the hook replaces it.  Returns 0
# with nothing started when the lab cannot run (ZCS_SKIP says why);
# else ZCS_DIR's env is read.  The caller sources t/lab/servers.sh.
roles_parties() {
	local s
	roles_a_zone src || return 1
	ds-from-dnskey -2 "$(grep -l 'DNSKEY 257' src/akeys/*.key)" > src/ds-a
	roles_parent_zone src/ds-a root.zone
	roles_lab "$PWD" || return 1
	[ -z "$ZCS_SKIP" ] || return 0
	. "$ZCS_DIR/env"
	roles_hook "$ZCS_DIR" || return 1
	for s in afile bfile; do
		cp src/a.signed "$ZCS_DIR/zones/$s.zone" || return 1
	done
	zcs_nsd afile 127.75.1.1 "example.=$ZCS_DIR/zones/afile.zone" &&
	    zcs_nsd bfile 127.75.2.1 "example.=$ZCS_DIR/zones/bfile.zone" &&
	    zcs_ready
}

# roles_conf TIMEOUT: the lines of a config naming roles_parties'
# servers (the parent's, A's, B's, on the lab's port), with observe's
# timeout TIMEOUT (seconds) and interval 1.
roles_conf() {
	printf 'PARENT_SERVERS="a.root-servers.test.=127.75.0.1@%s"\n' "$ZCS_PORT"
	printf 'A_SERVERS="ns1.nic-a.example.=127.75.1.1@%s"\n' "$ZCS_PORT"
	printf 'B_SERVERS="ns1.nic-b.example.=127.75.2.1@%s"\n' "$ZCS_PORT"
	printf 'OBSERVE_TIMEOUT=%s\nOBSERVE_INTERVAL=1\n' "$1"
}

# roles_hook DIR: the publish hook of the tests: it plays the party's
# name server (ZCS_DIR/hook SERVER PARTY FILE: the file becomes what the
# NSD named SERVER serves, and it is told to reload).
roles_hook() {
	mkdir -p "$1/zones" || return 1
	cat > "$1/hook" <<'EOH'
#!/bin/sh
# A zone removed (step 13: A stops answering): the server is given an
# empty file, which it cannot load, and answers no more for the zone.
if [ -e "$3" ]; then
	cp "$3" "$ZCS_DIR/zones/$1.zone" || exit 1
else
	: > "$ZCS_DIR/zones/$1.zone" || exit 1
fi
pid=$(awk -v n="nsd-$1" '$2 == n { print $1 }' "$ZCS_DIR/pids")
[ -z "$pid" ] || kill -HUP "$pid"
EOH
	chmod +x "$1/hook"
}

# roles_run COMMAND...: in the lab's network; bero-migrate -d DIR with
# the publish hook of DIR's party's server: a and ak (A's, file) afile,
# ax (A's, zone transfers) a1, b bfile, bx bxs.
roles_run() {
	local srv=
	if [ "$1" = bero-migrate ] && [ "$2" = -d ]; then
		case $3 in
		a|ak) srv=afile ;;
		ax) srv=a1 ;;
		b) srv=bfile ;;
		bx) srv=bxs ;;
		esac
	fi
	BERO_PUBLISH_HOOK=${srv:+$ZCS_DIR/hook $srv} zcs_exec "$@"
}

# at TIME COMMAND...: the command run at TIME (BERO_NOW) in the lab,
# with the publish hook of the directory's party (roles_run).
at() {
	local t=$1
	shift
	BERO_NOW=$t roles_run "$@"
}

# due DIR STEP: the earliest time of a step in a directory (when).
due() {
	bero-migrate -d "$1" when "$2"
}

# snapshot DIR: what a refused command must leave as it was: the log,
# what the directory publishes and its history.
snapshot() {
	(cd "$1" && find log published history -type f | sort | xargs sha256sum)
}

# refused_here DIR BEFORE PATTERN: the last command was trouble (exit 2,
# the message matching PATTERN) and DIR is as it was (BEFORE).
refused_here() {
	assert_trouble bero-migrate "$3"
	assert_equal "$(snapshot "$1")" "$2"
}

# served SERVER-ADDRESS: the serial an operator's server serves.
served() {
	zcs_exec kdig @"$1" -p "$ZCS_PORT" +norec +short example. SOA | awk '{ print $3 }'
}

# roles_a_sign_2a SRC OUT BKEYDIR: what A's own signer (BIND's
# dnssec-signzone) makes at step 2a: A's zone with B's public keys
# added as records, the serial one up, signed by A's keys only.
roles_a_sign_2a() {
	local src=$1
	{
		awk -F '\t' -v OFS='\t' '$4 == "SOA" { n = split($5, f, " ")
		    f[3] = f[3] + 1; $5 = f[1]; for (i = 2; i <= n; i++) $5 = $5 " " f[i] }
		    { print }' "$src/a.unsigned"
		grep -h 'DNSKEY' "$3"/*.key | grep -v '^;'
	} > "$src/a-2a.unsigned" || return 1
	roles_a_sign "$src" "$2" "$src/a-2a.unsigned"
}

# dnskey_sigs ZONE: the key tags of the signatures over the apex DNSKEY
# RRset, sorted, on one line.
dnskey_sigs() {
	awk -F '\t' '$1 == "example." && $4 == "RRSIG" { split($5, f, " ")
	    if (f[1] == "DNSKEY") print f[7] }' "$1" | sort -n | paste -sd ' '
}

# ksk_tag KEYDIR: the key tag of the KSK among the .key files there.
ksk_tag() {
	grep -l 'DNSKEY 257' "$1"/*.key | sed 's/.*+0*\([0-9][0-9]*\)\.key$/\1/'
}

# remanifest BUNDLE: the digests of the manifest made again from the
# files (a bundle changed by someone who knows the format).
remanifest() {
	local f
	head -n 5 "$1/MANIFEST" > "$1/M.new"
	for f in "$1"/*; do
		case ${f##*/} in MANIFEST|M.new) continue ;; esac
		printf 'file %s %s\n' "${f##*/}" "$(sha256sum < "$f" | cut -d' ' -f1)"
	done >> "$1/M.new"
	mv "$1/M.new" "$1/MANIFEST"
}

# roles_nsd_xfr NAME ADDR ZONEFILE: an NSD of A's (t/lab/servers.sh's
# way) on ADDR serving ZONEFILE, which gives zone transfers to loopback
# clients signed with the TSIG key of the tests (ROLES_TSIG_NAME and
# ROLES_TSIG_SECRET, hmac-sha256) and to no one else.
ROLES_TSIG_NAME=ab-xfr.
ROLES_TSIG_SECRET=c2VjcmV0LW9mLWEtYW5kLWI=
roles_nsd_xfr() {
	local name=$1 addr=$2 zf=$3 d=$ZCS_DIR/nsd-$1
	mkdir -p "$d" || return 1
	{
		nsd_conf_server "$d" "$ZCS_PORT" "$addr"
		nsd_conf_control
		cat <<EOC
key:
	name: "$ROLES_TSIG_NAME"
	algorithm: hmac-sha256
	secret: "$ROLES_TSIG_SECRET"
zone:
	name: "example."
	zonefile: "$zf"
	provide-xfr: 127.0.0.0/8 $ROLES_TSIG_NAME
EOC
	} > "$d/nsd.conf"
	zcs_spawn "nsd-$name" "$d/nsd.out" nsd -d -c "$d/nsd.conf"
	printf '%s %s %s\n' "$d" "$addr" example. >> "$ZCS_DIR/wait"
}

# roles_a_sign_2b SRC OUT BKEYDIR: what A's own signer makes at step
# 2b: as at step 2a, the serial one up again, and NS_B at the apex with
# the addresses of its hosts (the driver's defaults).
roles_a_sign_2b() {
	local src=$1
	{
		awk -F '\t' -v OFS='\t' '$4 == "SOA" { n = split($5, f, " ")
		    f[3] = f[3] + 2; $5 = f[1]; for (i = 2; i <= n; i++) $5 = $5 " " f[i] }
		    { print }' "$src/a.unsigned"
		grep -h 'DNSKEY' "$3"/*.key | grep -v '^;'
		printf 'example.\t86400\tIN\tNS\tns1.nic-b.example.\n'
		printf 'example.\t86400\tIN\tNS\tns2.nic-b.example.\n'
		printf 'ns1.nic-b.example.\t86400\tIN\tA\t203.0.113.1\n'
		printf 'ns1.nic-b.example.\t86400\tIN\tAAAA\t2001:db8:b::1\n'
		printf 'ns2.nic-b.example.\t86400\tIN\tA\t203.0.113.2\n'
	} > "$src/a-2b.unsigned" || return 1
	roles_a_sign "$src" "$2" "$src/a-2b.unsigned"
}

# roles_parent_publish REQUEST SERIAL: the parent (IANA) publishes a
# request of the registry: the test root of roles_parent_zone with the
# TLD's delegation of REQUEST (NS, glue, DS, with their TTLs), the
# serial given, and its NSD told to reload (roles_lab's server, ZCS_DIR's
# nsd-parent).
roles_parent_publish() {
	local pid
	{
		printf '.\t86400\tIN\tSOA\ta.root-servers.test. nstld.root-servers.test. %s 1800 900 604800 86400\n' "$2"
		printf '.\t518400\tIN\tNS\ta.root-servers.test.\n'
		printf 'a.root-servers.test.\t518400\tIN\tA\t127.75.0.1\n'
		cat "$1"
	} | zcanon -z . > "$ZCS_DIR/../root.zone.new" &&
	    mv "$ZCS_DIR/../root.zone.new" "$ZCS_DIR/../root.zone" || return 1
	pid=$(awk '$2 == "nsd-parent" { print $1 }' "$ZCS_DIR/pids")
	kill -HUP "$pid" && roles_parent_reloaded "$2"
}

# roles_parent_reloaded SERIAL: the parent's NSD serves the root zone of
# SERIAL (asked every 0.2 s, for at most about 10 s), and a second more
# has passed: NSD reloads on SIGHUP in a new process while the old ones
# wind down, and a TCP connection one of those accepted may go
# unanswered (seen twice in CI: "the DS RRset of example. cannot be
# asked" right after the parent's NS were observed).  The tests then
# observe the parent as it serves, not as it reloads.
roles_parent_reloaded() {
	local i
	for i in $(seq 50); do
		zcs_exec kdig @127.75.0.1 -p "$ZCS_PORT" +norec +short +time=1 \
		    +retry=0 . SOA 2> /dev/null | awk '{ print $3 }' | grep -qx "$1" &&
		    { sleep 1; return 0; }
		sleep 0.2
	done
	echo "the parent's NSD does not serve the root zone of serial $1" >&2
	return 1
}

# roles_serve SERVER FILE: the zone an operator's NSD serves becomes
# FILE (a server that goes back to an older zone, or misses a change).
roles_serve() {
	local pid
	cp "$2" "$ZCS_DIR/zones/$1.zone" || return 1
	pid=$(awk -v n="nsd-$1" '$2 == n { print $1 }' "$ZCS_DIR/pids")
	kill -HUP "$pid"
}

# roles_a_sign_6 SRC OUT BZONE BKEYDIR: what A's own signer (BIND's
# dnssec-signzone) makes at step 6: B's data of step 6 (BZONE stripped
# of DNSSEC: its serial and apex NS), B's public keys added as records,
# signed by A's keys only.
roles_a_sign_6() {
	local src=$1
	{
		zcanon -U -z example. "$3"
		grep -h 'DNSKEY' "$4"/*.key | grep -v '^;'
	} > "$src/a-6.unsigned" || return 1
	roles_a_sign "$src" "$2" "$src/a-6.unsigned"
}

# roles_ds_b_digest: DS_B's SHA-256 digest as B's directory shows it
# after step 1, what A and the registry confirm out of band (import -y).
roles_ds_b_digest() {
	awk -F '\t' '{ split($5, f, " "); print f[4] }' b/b/ds-b.txt
}

# roles_init AKEYS ACONF BCONF [INIT-OPTION...]: the directories a, b
# and r made at T0, each as its party makes it: A from its signed zone
# src/a.signed and its keys AKEYS (src/akeys: berokit signs for A;
# src/apub: A's own signer) with the configuration ACONF, B and the
# registry with BCONF, all with the INIT-OPTIONs (-M double-ds); then
# A's bundle of step 0, a0.
roles_init() {
	local k=$1 ac=$2 bc=$3
	shift 3
	at "$T0" bero-migrate -d a init -R a "$@" -C "$ac" -k "$k" -f src/a.signed > /dev/null &&
	    at "$T0" bero-migrate -d b init -R b "$@" -C "$bc" > /dev/null &&
	    at "$T0" bero-migrate -d r init -R registry "$@" -C "$bc" > /dev/null &&
	    bero-migrate -d a export 0 -o a0 > /dev/null
}

# roles_step_1 T: step 1 at T: B takes A's bundle a0, runs its step and
# exports b1; ten seconds later A and the registry import b1, confirming
# DS_B's digest, and log the step (B's servers serve it).
roles_step_1() {
	local t=$1 d digest
	at "$t" bero-migrate -d b import a0 > /dev/null &&
	    at "$t" bero-migrate -d b step 1 > /dev/null &&
	    bero-migrate -d b export 1 -o b1 > /dev/null || return 1
	digest=$(roles_ds_b_digest)
	for d in a r; do
		at $((t + 10)) bero-migrate -d $d import b1 -y "$digest" > /dev/null ||
		    return 1
	done
}

# roles_step_2a T [A-ZONE]: step 2a when berokit signs for A (or, with
# A-ZONE, A's own signer made A's zone): A at T, B a minute later with
# KSK_A's signature from A's bundle a2a; A imports B's bundle b2a.
roles_step_2a() {
	local t=$1
	at "$t" bero-migrate -d a step 2a ${2:+-f "$2"} > /dev/null &&
	    bero-migrate -d a export 2a -o a2a > /dev/null &&
	    at "$t" bero-migrate -d b import a2a > /dev/null &&
	    at $((t + 60)) bero-migrate -d b step 2a > /dev/null &&
	    bero-migrate -d b export 2a -o b2a > /dev/null &&
	    at $((t + 60)) bero-migrate -d a import b2a > /dev/null
}

# roles_step_2b [A-ZONE]: step 2b, each operator at the earliest time
# its directory allows (when), A first (berokit signing, or A's own
# signer's A-ZONE), B after with A's bundle; A and the registry import
# B's bundle, the registry logs the step; T is then B's time.
roles_step_2b() {
	T=$(due a 2b) &&
	    at "$T" bero-migrate -d a step 2b ${1:+-f "$1"} > /dev/null &&
	    bero-migrate -d a export 2b -o a2b > /dev/null &&
	    at "$T" bero-migrate -d b import a2b > /dev/null &&
	    T=$(due b 2b) &&
	    at "$T" bero-migrate -d b step 2b > /dev/null &&
	    bero-migrate -d b export 2b -o b2b > /dev/null &&
	    at "$T" bero-migrate -d a import b2b > /dev/null &&
	    at "$T" bero-migrate -d r import b2b > /dev/null &&
	    at "$T" bero-migrate -d r observe 2b > /dev/null
}

# roles_through_2a [INIT-OPTION...]: at T0 (BERO_NOW too), the three
# directories (roles_init: berokit signs for A with src/akeys, every
# party with parties.conf and the INIT-OPTIONs), step 1 at T0 and step
# 2a a minute later.
roles_through_2a() {
	export BERO_NOW=$T0
	roles_init src/akeys parties.conf parties.conf "$@" &&
	    roles_step_1 "$T0" &&
	    roles_step_2a $((T0 + 60))
}

# roles_steps_4_to_6 T SERIAL: the parent publishes the registry's
# request of step 3 (its zone's serial SERIAL), every party observes
# step 4 at T and runs step 5 when it is due; B's step 6 at the last of
# those times (A's part pending: exit 1) and its bundle b6 to A and the
# registry; a minute later A's step 6 and its bundle a6 to B, which
# observes the step.  T is then the time of B's step 6.
roles_steps_4_to_6() {
	local d rc
	T=$1
	roles_parent_publish r/r/step-3.request "$2" || return 1
	for d in a b r; do
		at "$T" bero-migrate -d $d observe 4 > /dev/null || return 1
	done
	for d in a b r; do
		T=$(due $d 5) && at "$T" bero-migrate -d $d step 5 > /dev/null ||
		    return 1
	done
	rc=0
	at "$T" bero-migrate -d b step 6 > /dev/null || rc=$?
	[ "$rc" -eq 1 ] || return 1
	bero-migrate -d b export 6 -o b6 > /dev/null &&
	    at "$T" bero-migrate -d a import b6 > /dev/null &&
	    at "$T" bero-migrate -d r import b6 > /dev/null &&
	    at $((T + 60)) bero-migrate -d a step 6 > /dev/null &&
	    bero-migrate -d a export 6 -o a6 > /dev/null &&
	    at $((T + 60)) bero-migrate -d b import a6 > /dev/null &&
	    at $((T + 60)) bero-migrate -d b observe 6 > /dev/null
}

# roles_scan_parties BUNDLE...: the key-disjointness scan at the end of
# a rehearsal in three directories (a, b, r) whose A signs with its own
# signer: the private keys of A (src/akeys) and of B (b/keys/b), two
# each, are in no directory but B's own key directory, in no BUNDLE, and
# no .private file is anywhere else; and the scan is not blind: B's
# private key planted in A's history is found.  Fails, naming the file.
roles_scan_parties() {
	local d bad=0
	roles_private_values src/akeys/*.private > a.values &&
	    roles_private_values b/keys/b/*.private > b.values || return 1
	[ "$(wc -l < a.values) $(wc -l < b.values)" = "2 2" ] || {
		echo "private values: A $(wc -l < a.values), B $(wc -l < b.values); 2 each expected" >&2
		return 1
	}
	cat a.values b.values > all.values
	roles_scan a a /dev/null all.values || bad=1
	roles_scan b b b.values a.values || bad=1
	roles_scan r r /dev/null all.values || bad=1
	for d in "$@"; do
		[ -f "$d/MANIFEST" ] || { echo "$d: no bundle" >&2; bad=1; }
		roles_scan "$d" none /dev/null all.values || bad=1
	done
	d=$(find a b r "$@" -name '*.private' ! -path 'b/keys/b/*')
	[ -z "$d" ] || { echo "private key files: $d" >&2; bad=1; }
	cp b/keys/b/*.private a/history/ || return 1
	! roles_scan a a /dev/null all.values 2> /dev/null || {
		echo "the scan is blind: B's private key in a/history not found" >&2
		bad=1
	}
	rm a/history/*.private
	return "$bad"
}

# roles_file_setup [VALIDITY]: a test file's setup_file for the three
# parties' directories: in BATS_FILE_TMPDIR, the sample TLD, the
# parent's zone and the servers (roles_parties), and parties.conf
# (roles_conf, five seconds to observe), with KEY_SIG_VALIDITY set to
# VALIDITY seconds when given (a run that spans days and no refresh).
roles_file_setup() {
	cd "$BATS_FILE_TMPDIR" || return 1
	roles_parties || return 1
	[ -z "$ZCS_SKIP" ] || return 0
	{
		roles_conf 5
		[ -z "${1:-}" ] || printf 'KEY_SIG_VALIDITY=%s\n' "$1"
	} > parties.conf
}

# delegated SERVER-ADDRESS NAME: the server answers a referral for NAME.
delegated() {
	zcs_exec kdig @"$1" -p "$ZCS_PORT" +norec "$2" NS |
	    grep -qE "^$2[[:space:]].*NS[[:space:]]"
}

# roles_scan_all BUNDLE...: the key-disjointness scan of the three
# directories a, b and r of the current directory when berokit signs for
# A with the keys of src/akeys (roles_scan_parties is for A with its own
# signer), and of each bundle given: every party holds its own private
# keys only, and no bundle any.
roles_scan_all() {
	local d
	roles_private_values src/akeys/*.private > a.values &&
	    roles_private_values b/keys/b/*.private > b.values || return 1
	[ -s a.values ] && [ -s b.values ] || return 1
	cat a.values b.values > all.values
	roles_scan a a a.values b.values &&
	    roles_scan b b b.values a.values &&
	    roles_scan r r /dev/null all.values || return 1
	for d; do
		[ -f "$d/MANIFEST" ] && roles_scan "$d" none /dev/null all.values ||
		    return 1
	done
}

# roles_probe ADDRESS NAME TYPE [KDIG-OPTION...]: what the server
# answers, one line.
roles_probe() {
	zcs_exec kdig @"$1" -p "$ZCS_PORT" +tcp +norec +short "$2" "$3" "${@:4}" |
	    sort | paste -sd ' '
}

# roles_served_state: what both operators' servers (roles_parties)
# answer for what observations and requests depend on: the serial, the
# DNSKEY RRset and its signatures, the NS RRset, an NS host's address.
roles_served_state() {
	local a
	for a in 127.75.1.1 127.75.2.1; do
		roles_probe $a example. SOA
		roles_probe $a example. DNSKEY +dnssec
		roles_probe $a example. NS
		roles_probe $a ns1.nic-b.example. A
	done
}

# roles_served_wait STATE: until the servers answer STATE (they reload
# on SIGHUP in their own time), for at most ten seconds.
roles_served_wait() {
	local i
	for i in $(seq 40); do
		[ "$(roles_served_state)" = "$1" ] && return 0
		sleep 0.25
	done
	echo "the servers do not answer as expected" >&2
	return 1
}

# roles_serve_edited SERVER ZONE AWK-PROGRAM: the server (afile, bfile)
# serves ZONE edited by the program (a tab-separated awk filter), once
# it answers otherwise than before.
roles_serve_edited() {
	local before i
	before=$(roles_served_state)
	awk -F '\t' -v OFS='\t' "$3" "$2" > "$1.edited"
	roles_serve "$1" "$1.edited"
	for i in $(seq 40); do
		[ "$(roles_served_state)" != "$before" ] && return 0
		sleep 0.25
	done
	echo "$1: still serves what it did" >&2
	return 1
}

# roles_serial ZONE: its SOA serial.
roles_serial() {
	awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3]; exit }' "$1"
}

# ROLES_SERIAL_MINUS: an awk filter (roles_serve_edited) that takes the
# SOA serial one down.
ROLES_SERIAL_MINUS='$4 == "SOA" { n = split($5, f, " "); f[3]--; $5 = f[1]
    for (i = 2; i <= n; i++) $5 = $5 " " f[i] } { print }'

# roles_sync_at_a T: a registration (newreg.example.) added at A, the
# source, published at T + 60 (sync -f) and taken by B from A's bundle
# async1 at T + 120: both operators serve one serial, after the one
# they served.
roles_sync_at_a() {
	registry_edit a/published/a/example.zone new.zone add newreg.example. &&
	    at $(($1 + 60)) bero-migrate -d a sync -f new.zone > /dev/null &&
	    bero-migrate -d a export sync -o async1 > /dev/null &&
	    at $(($1 + 60)) bero-migrate -d b import async1 > /dev/null &&
	    at $(($1 + 120)) bero-migrate -d b sync > /dev/null
}

# roles_served_back DIR: in a test's teardown, A's and B's servers serve
# again what the directories DIR/a and DIR/b published (a test served
# other zones), the servers answering as DIR/good.state says.  A server
# that serves it still is not told to reload: its answers would not
# change, so nothing would show when the reload is over, and the next
# test could ask it while it reloads.
roles_served_back() {
	local s f
	for s in afile bfile; do
		f=$1/${s%file}/published/${s%file}/example.zone
		cmp -s "$f" "$ZCS_DIR/zones/$s.zone" || roles_serve "$s" "$f"
	done
	roles_served_wait "$(cat "$1/good.state")"
}
