#!/usr/bin/env bats
# Every pipeline of bero-migration(7), berokit(7) and the EXAMPLES of each
# page runs as printed (t/man-pipelines.sh extracts them): each page's
# blocks in order, in one scratch directory holding the example files
# the pages name (t/data/examples, and what fixtures() makes), with
# kdig's AXFR sent to this test's own NSD on loopback (addresses only:
# nothing is looked up).  Every signed zone of example. a block writes
# must validate (zcheck-chain) from the DS records of the key-signing keys
# in the directory (both operators' of t/data/examples, and those a
# block makes).
# A block is skipped only when the page's text before it says it is "not
# run by the tests".
load helper
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup() {
	export PATH
	ZCS_DIR=$BATS_TEST_TMPDIR/servers
}

teardown() {
	zcs_stop
}

# The files the pages name beyond t/data/examples: the key pairs by role
# (bero-migration(7): KSK_A, ZSK_A, KSK_B, ZSK_B), each operator's
# name-server fragment, A's zone at the start (a/step-0.zone), the DS
# set the root holds then (r/ds-a.txt), and the TSIG key of the
# transfers.
fixtures() {
	local r k
	for r in KSK_A=05021 ZSK_A=40244 KSK_B=62651 ZSK_B=48585; do
		for k in key private; do
			cp "Kexample.+013+${r#*=}.$k" "${r%%=*}.$k"
		done
	done
	cp a.ns ns-a.frag
	cp nic-b.ns ns-b.frag
	mkdir -p a b r
	zresign -A -k KSK_A -k ZSK_A -o a/step-0.zone example.zone
	ds-from-dnskey -2 KSK_A.key > r/ds-a.txt
	printf 'hmac-sha256:xfr.example.:%s\n' \
	    "$(printf 'berokit test key, not a secret' | base64)" > tsig.key
}

# serve: NSD for A (127.0.0.1) and B (127.0.0.2) on the lab's port, each
# serving the newest of its party's step zones, transfers with TSIG.
serve() {
	local p f d=$ZCS_DIR/nsd a pid
	# The NSDs of the block before go (the lab's network stays).
	if [ -f "$ZCS_DIR/nsd-pids" ]; then
		while read -r pid; do
			kill -TERM "$pid" 2> /dev/null
			while zcs_alive "$pid"; do sleep 0.05; done
		done < "$ZCS_DIR/nsd-pids"
	fi
	: > "$ZCS_DIR/nsd-pids"
	[ -n "${ZCS_PORT:-}" ] || zcs_net || return 1
	IFS=: read -r _ name secret < tsig.key
	# One NSD a party: two zones of one name cannot share a server.
	for p in a b; do
		f=$(ls -t $p/step-*.zone 2> /dev/null | head -n 1)
		[ -n "$f" ] || continue
		a=127.0.0.1
		[ $p = b ] && a=127.0.0.2
		mkdir -p "$d/$p"
		{
			nsd_conf_server "$d/$p" "$ZCS_PORT" "$a"
			nsd_conf_control
			printf 'key:\n\tname: "%s"\n\talgorithm: hmac-sha256\n\tsecret: "%s"\n' \
			    "$name" "$secret"
			printf 'zone:\n\tname: "example."\n\tzonefile: "%s"\n\tprovide-xfr: 127.0.0.0/8 %s\n' \
			    "$PWD/$f" "$name"
		} > "$d/$p/nsd.conf"
		zcs_spawn "nsd-$p" "$d/$p/nsd.out" nsd -d -c "$d/$p/nsd.conf"
		printf '%s\n' "$ZCS_PID" >> "$ZCS_DIR/nsd-pids"
		printf '%s %s example.\n' "$d/$p" "$a" >> "$ZCS_DIR/wait"
	done
	zcs_ready
}

# run_page PAGE: its blocks in order, in one scratch directory.
run_page() {
	local page=$1 head mode block n=0 ran=0 dir=$BATS_TEST_TMPDIR/$1 f
	mkdir -p "$dir" "$ZCS_DIR"
	: > "$ZCS_DIR/pids"
	cp -R "$DATA/examples/." "$dir"
	cd "$dir" || return 1
	fixtures
	while IFS= read -r head; do
		mode=${head##* }
		block=
		while IFS= read -r line && [ "$line" != '#@end' ]; do
			block+=$line$'\n'
		done
		n=$((n + 1))
		[ "$mode" = run ] || continue
		touch "$BATS_TEST_TMPDIR/mark"
		case $block in
		*kdig*) serve || fail "${head#\#@ }: the servers did not start" ;;
		esac
		run zcs_exec env A_XFR="127.0.0.1@${ZCS_PORT:-53}" \
		    B_XFR="127.0.0.2@${ZCS_PORT:-53}" \
		    bash -e -o pipefail -c "$block"
		[ "$status" -eq 0 ] || fail "${head#\#@ } failed ($status):
$block$output"
		ran=$((ran + 1))
		# Every signed zone of example. the block wrote validates from
		# the DS records of its key-signing keys that are key files
		# at hand (t/data/examples' and those a block makes).
		find . -name 'K*.key' -exec ds-from-dnskey -a -q {} + |
		    awk -F '\t' '$1 == "example."' > local.ds
		for f in $(find . -type f -newer "$BATS_TEST_TMPDIR/mark"); do
			head -n 1 "$f" | grep -q $'^example\.\t[0-9]*\tIN\tSOA\t' ||
			    continue
			grep -q $'\tRRSIG\t' "$f" || continue
			ds-from-dnskey -q -z example. "$f" |
			    grep -xF -f local.ds > trust.ds ||
			    fail "${head#\#@ }: $f: no key-signing key of it is a key file here"
			run zcheck-chain -q -D trust.ds "$f"
			[ "$status" -eq 0 ] || fail "${head#\#@ }: $f does not validate:
$block$(zcheck-chain -D trust.ds "$f" 2>&1)"
		done
	done < <("$TOP/t/man-pipelines.sh" "$TOP/man/$page")
	[ "$ran" -gt 0 ] || fail "$page: no block run"
}

@test "bero-migration(7): every step's pipeline and every example runs as printed" {
	run_page bero-migration.7
}

@test "berokit(7): its pipelines run as printed" {
	run_page berokit.7
}

@test "the EXAMPLES of every section 1 page run as printed" {
	local page
	for page in $(cd "$TOP/man" && ls *.1); do
		run_page "$page"
	done
}

@test "every page has EXAMPLES that run (one test of the pages' blocks: t/0900 ran them a second time)" {
	local page
	for page in $(cd "$TOP/man" && ls *.1 *.7); do
		"$TOP/t/man-pipelines.sh" "$TOP/man/$page" |
		    grep -q '^#@ .* EXAMPLES run$' ||
		    fail "$page: no EXAMPLES block that runs"
	done
}

@test "README: the first example (step 2a at both, then 2b) runs as printed" {
	local script
	cd "$BATS_TEST_TMPDIR"
	cp -R "$DATA/examples/." .
	zresign -A -k Kexample.+013+05021 -k Kexample.+013+40244 -o a.zone example.zone
	zresign -A -k Kexample.+013+62651 -k Kexample.+013+48585 -o b.zone example.zone
	ds-from-dnskey Kexample.+013+05021 > ds-a.txt
	script=$(awk '/^A first example/ { on = 1 } /^Doing both at once/ { on = 0 }
	    on && /^  / { print substr($0, 3) }' "$TOP/README")
	[[ "$script" == *"zadd-bero-ns -D"* ]] || fail "no example in README"
	run bash -e -o pipefail -c "$script"
	assert_success
	runs zcheck-chain -q -D ds-a.txt a-2a.zone b-2a.zone
	assert_success
	runs zcheck-chain -q -D ds-a.txt a-2b.zone
	assert_success
	runs zcheck-servers -O -L -n request-3.txt example. ns2.nic-b.net=192.0.2.53
	assert_success
}
