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

# bm_after_2a_file [init options] and bm_after_2a: setup_file and setup
# of the files whose every test starts from the same state after steps 1
# and 2a (both at T0), made once per file and copied to ./st for each
# test.
bm_after_2a_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	bm_init tpl "$@"
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

# registry_edit ZONE OUT add|del NAME: the registry's new data: ZONE with
# the SOA serial one up and a delegation NAME added (to a server outside
# the TLD) or removed.
registry_edit() {
	awk -F '\t' -v OFS='\t' -v op="$3" -v name="$4" '
	    $4 == "SOA" { n = split($5, f, " "); f[3]++; $5 = f[1]
		for (i = 2; i <= n; i++) $5 = $5 " " f[i] }
	    op == "del" && ($1 == name || index($1, "." name)) { next }
	    { print }
	    END { if (op == "add")
		print name, 86400, "IN", "NS", "ns1.elsewhere.net." }' "$1" > "$2"
}
