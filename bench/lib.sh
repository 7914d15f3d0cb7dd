# Shared by the bench/*.sh scripts: timing under /usr/bin/time -v, the
# generated zone, medians.  The including script sets prog, out (the
# directory for results), bench_prefix (the prefix of result files, may
# be empty), and for bench_make_zone: zone, gentld, n, seed, tld.

die() {
	echo "$prog: $*" >&2
	exit 2
}

# The generated TLD zone, made again when gentld is newer.
bench_make_zone() {
	if [ ! -s "$zone" ] || [ "$gentld" -nt "$zone" ]; then
		echo "generating $zone"
		"$gentld" -n "$n" -s "$seed" -z "$tld" > "$zone.tmp"
		mv "$zone.tmp" "$zone"
	fi
}

# timed_run NAME COMMAND: one run; its wall seconds, CPU seconds (user
# and system) and peak RSS (KiB) are appended to NAME.runs, NAME.cpu and
# NAME.rss, its status written to NAME.status, its output to NAME.out.
timed_run() {
	f=$out/$bench_prefix$1
	set +e
	/usr/bin/time -v -o "$f.time" sh -c "$2" > "$f.out" 2>&1
	echo $? > "$f.status"
	set -e
	awk '/Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' \
	    "$f.time" >> "$f.runs"
	awk '/User time|System time/ { s += $NF } END { print s }' \
	    "$f.time" >> "$f.cpu"
	awk '/Maximum resident set size/ { print $NF }' "$f.time" >> "$f.rss"
}

# time_tool NAME RUNS COMMAND
time_tool() {
	f=$out/$bench_prefix$1
	: > "$f.runs"
	: > "$f.cpu"
	: > "$f.rss"
	i=0
	while [ "$i" -lt "$2" ]; do
		timed_run "$1" "$3"
		i=$((i + 1))
	done
}

median() {
	sort -n "$1" | awk '{ v[NR] = $1 }
	    END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

largest() {
	sort -n "$1" | tail -n 1
}
