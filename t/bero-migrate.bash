# Shared by the t/0700-bero-migrate-*.bats files: small state
# directories made at a fixed time, and steps run at their earliest time
# by advancing BERO_NOW, as make demo-rehearsal does.

BM_DATA=$DATA/bero-migrate
# 2026-12-01 00:00:00 UTC: the time init runs at.
T0=1796083200
BM_STEPS="1 2a 2b 3 4 5 6 7 8 9 10 11 12 13"

# bm_init dir [init options]: a state directory with a sample TLD of 20
# delegations, made at T0.
bm_init() {
	local dir=$1
	shift
	BERO_NOW=$T0 bero-migrate -d "$dir" init -N 20 "$@" > /dev/null
}

# bm_run dir last: run every step not yet done up to last, each at the
# earliest time the driver allows, after a refresh; BM_NOW is the time
# of the last one.
bm_run() {
	local dir=$1 last=$2 s t
	BM_NOW=$(awk 'END { print $2 }' "$dir/log")
	for s in $BM_STEPS; do
		if ! awk -v s="$s" '$1 == s { exit 1 }' "$dir/log"; then
			[ "$s" = "$last" ] && return 0
			continue
		fi
		t=$(bero-migrate -d "$dir" when "$s") || return 1
		[ "$t" -gt "$BM_NOW" ] && BM_NOW=$t
		# The operators renew their signatures before every step,
		# as a refresh every REFRESH_MARGIN would (KSK_B's last 4 days).
		BERO_NOW=$BM_NOW bero-migrate -d "$dir" refresh > /dev/null ||
		    { echo "refresh before step $s failed" >&2; return 1; }
		BERO_NOW=$BM_NOW bero-migrate -d "$dir" step "$s" > /dev/null ||
		    { echo "step $s failed" >&2; return 1; }
		[ "$s" = "$last" ] && return 0
	done
	return 0
}

# bm_copy template dir: a copy of a state directory made in setup_file.
bm_copy() {
	cp -a "$1" "$2"
}

# bm_after_2a_file and bm_after_2a: setup_file and setup of the files
# whose every test starts from the same state after steps 1 and 2a (both
# at T0), made once per file and copied to ./st for each test.
bm_after_2a_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	bm_init tpl
	bm_run tpl 2a
}
bm_after_2a() {
	cd "$BATS_TEST_TMPDIR"
	bm_copy "$BATS_FILE_TMPDIR/tpl" st
}

# A checksum of every published file and the log of ./st, to compare
# before and after a step that must publish and log nothing.
bm_snapshot() {
	(cd st && cat log published/a/* published/b/* published/root/*) |
	    cksum
}

# The time a step was done.
bm_time() {
	awk -v s="$2" '$1 == s { print $2 }' "$1/log"
}

# bm_forge DIR OUT: A's forgery after step 10 (t/0762, t/0830): A's
# last zone (its DNSKEY RRset holds the four keys), a record of A's own
# making added, signed again with A's keys at step 10's time, and KSK_B's
# signature over that RRset carried in from B's last zone that held A's
# keys (B served it until step 10: anyone could ask B's servers for it),
# which still verifies.
bm_forge() {
	local -a ks=()
	local k t10 b
	t10=$(bm_time "$1" 10)
	# B's last zone before step 10: its last refresh then, or its step 6.
	b=$(awk -v t="$t10" '$1 == "b" && $3 < t { f = $2 } END { print f }' \
	    "$1/history/interim" 2>/dev/null || true)
	: "${b:=history/b-6.zone}"
	awk -F '\t' '$1 == "example." && ($4 == "DNSKEY" ||
	    ($4 == "RRSIG" && $5 ~ /^DNSKEY /))' "$1/$b" > "$2.dnskey"
	[ -s "$2.dnskey" ] || return 1
	for k in "$1"/keys/a/K*.key; do
		ks+=(-k "${k%.key}")
	done
	{
		cat "$1/published/a/example.zone"
		printf 'forged.example.\t3600\tIN\tA\t192.0.2.66\n'
	} | zresign -A -t "$t10" "${ks[@]}" -P "$1/published/a/example.zone" \
	    -o "$2.own" &&
	    zmerge-dnskey -f "$2.dnskey" -o "$2" "$2.own"
}
