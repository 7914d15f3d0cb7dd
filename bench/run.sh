#!/bin/sh
# The read, canonical sort and write benchmark (DESIGN.md, "Performance
# budgets"): berokit's zcanon against ldns-read-zone and
# named-compilezone on the same generated TLD zone, in the same run.
# Times are medians of hyperfine runs, memory the peak RSS that
# /usr/bin/time -v reports; the table goes to standard output and to
# bench/out/results.txt.
#
# usage: sh bench/run.sh [bindir]
#
# bindir holds zcanon, and ../bench/gentld next to it (make bench builds
# both).  Environment: BENCH_N delegations (1000000), BENCH_SEED (1),
# BENCH_RUNS timed runs per tool (3), BENCH_PEERS=0 to time zcanon
# alone, BENCH_VERIFY=0 to skip comparing the outputs.
set -eu

prog=run.sh
bin=${1:-build/bin}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
n=${BENCH_N:-1000000}
seed=${BENCH_SEED:-1}
runs=${BENCH_RUNS:-3}
peers=${BENCH_PEERS:-1}
verify=${BENCH_VERIFY:-1}
gentld=$bin/../bench/gentld
phases=$bin/../bench/phases
zone=$out/tld-n$n-s$seed.zone
tld=tld

bench_prefix=
. "$(dirname "$0")/lib.sh"

for f in "$bin/zcanon" "$gentld"; do
	[ -x "$f" ] || die "$f: not built (make bench builds it)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time: not installed (make deps)"
mkdir -p "$out"

# The zone, made again only when missing or older than its generator.

# The tools: a name, a label for the table, a command line (run by sh).
# ldns-read-zone -z sorts, which implies -c (owner and RDATA names in
# lower case): that is the comparable canonical pass; -c alone reads,
# lower-cases and prints in input order, shown as a reference.
# named-compilezone loads the zone into BIND's tree (canonical order)
# and dumps it, one record per line with full names; every check that
# could be skipped is skipped, so that it only reads, sorts and writes.
set_tools() {
	tools=zcanon
	label_zcanon="zcanon"
	cmd_zcanon="'$bin/zcanon' '$zone' > '$out/zcanon.out'"
	[ "$peers" = 0 ] && return
	if command -v ldns-read-zone > /dev/null; then
		tools="$tools ldns_z ldns_c"
		label_ldns_z="ldns-read-zone -z"
		cmd_ldns_z="ldns-read-zone -z '$zone' > '$out/ldns-z.out'"
		label_ldns_c="ldns-read-zone -c (no sort)"
		cmd_ldns_c="ldns-read-zone -c '$zone' > '$out/ldns-c.out'"
	else
		echo "ldns-read-zone: not installed (make deps), skipped"
	fi
	if command -v named-compilezone > /dev/null; then
		tools="$tools named"
		label_named="named-compilezone"
		cmd_named="named-compilezone -q -f text -F text -s full"
		cmd_named="$cmd_named -i none -k ignore -n ignore -m ignore"
		cmd_named="$cmd_named -r ignore -M ignore -S ignore -W ignore"
		cmd_named="$cmd_named -o '$out/named.out' $tld '$zone'"
	else
		echo "named-compilezone: not installed (make deps), skipped"
	fi
}

get() {
	eval "printf '%s' \"\$$1_$2\""
}

# Median seconds of each tool, one "tool seconds" line each in
# $out/times: hyperfine when installed, else runs of /usr/bin/time.
time_tools() {
	: > "$out/times"
	if command -v hyperfine > /dev/null; then
		set -- --style basic --runs "$runs" \
		    --export-csv "$out/hyperfine.csv"
		for t in $tools; do
			set -- "$@" -n "$t" "$(get cmd "$t")"
		done
		hyperfine "$@"
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		    { print $col["command"], $col["median"] }' \
		    "$out/hyperfine.csv" > "$out/times"
		return
	fi
	echo "hyperfine: not installed (make deps), timing with /usr/bin/time"
	for t in $tools; do
		: > "$out/$t.runs"
		i=0
		while [ "$i" -lt "$runs" ]; do
			/usr/bin/time -f %e -a -o "$out/$t.runs" \
			    sh -c "$(get cmd "$t")"
			i=$((i + 1))
		done
		sort -n "$out/$t.runs" | awk -v t="$t" '{ v[NR] = $1 }
		    END { print t, NR % 2 ? v[(NR + 1) / 2] :
		    (v[NR / 2] + v[NR / 2 + 1]) / 2 }' >> "$out/times"
	done
}

# Peak RSS in KiB of one more run of each tool.
measure_rss() {
	: > "$out/rss"
	for t in $tools; do
		/usr/bin/time -v -o "$out/$t.time" sh -c "$(get cmd "$t")"
		awk -v t="$t" '/Maximum resident set size/ { print t, $NF }' \
		    "$out/$t.time" >> "$out/rss"
	done
}

# zcanon's steps one by one (bench/phases.c), when built.
run_phases() {
	: > "$out/phases"
	[ -x "$phases" ] || return 0
	{
		echo
		echo "zcanon by step (bench/phases, written to /dev/null):"
		"$phases" "$zone"
	} > "$out/phases"
}

# The sorted outputs must hold the same records in the same order once
# the presentation is made uniform (names in lower case, RDATA without
# blanks: named splits long hex, for one).
normalize() {
	awk '!/^;/ && NF >= 4 { r = ""
		for (i = 5; i <= NF; i++) r = r $i
		print tolower($1), $2, $3, $4, tolower(r) }' "$1" | cksum
}

verify_outputs() {
	want=$(normalize "$out/zcanon.out")
	got=$(awk '!/^;/ && NF' "$out/zcanon.out" | wc -l)
	[ "$got" -eq "$records" ] ||
	    echo "warning: zcanon wrote $got records of $records"
	for t in $tools; do
		case $t in
		ldns_z) f=ldns-z.out ;;
		named) f=named.out ;;
		*) continue ;;
		esac
		if [ "$(normalize "$out/$f")" = "$want" ]; then
			echo "outputs agree: $(get label "$t") and zcanon"
		else
			echo "warning: $(get label "$t") and zcanon differ"
		fi
	done
}

machine() {
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' \
	    /proc/meminfo)
	echo "machine: $(nproc) cores, $cpu, $mem, Linux $(uname -r)"
}

versions() {
	rev=$(git -C "$here/.." describe --always --dirty 2>/dev/null ||
	    echo unknown)
	printf 'versions: zcanon %s' "$rev"
	command -v ldns-read-zone > /dev/null &&
	    printf ', ldns %s' "$(ldns-read-zone -v | sed 's/.*ldns version //;
		s/)//')"
	command -v named-compilezone > /dev/null &&
	    printf ', BIND %s' "$(named-compilezone -v)"
	command -v hyperfine > /dev/null &&
	    printf ', %s' "$(hyperfine --version)"
	echo
}

report() {
	echo "read, canonical sort and write of a generated TLD zone" \
	    "($(date -u +%Y-%m-%d))"
	machine
	versions
	size=$(wc -c < "$zone")
	echo "zone: $(basename "$zone"): $n delegations, $records records," \
	    "$(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }')"
	echo "time: median of $runs runs; memory: peak RSS of one run"
	cat "$out/verify"
	echo
	for t in $tools; do
		printf '%s\t%s\n' "$t" "$(get label "$t")"
	done | awk -F'\t' -v rec="$records" -v times="$out/times" \
	    -v rss="$out/rss" '
	BEGIN {
		while ((getline l < times) > 0) { split(l, a, " "); s[a[1]] = a[2] }
		while ((getline l < rss) > 0) { split(l, a, " "); m[a[1]] = a[2] }
		printf "%-28s %9s %11s %9s %9s %8s %8s\n", "tool", "median s",
		    "records/s", "RSS MiB", "B/record", "time x", "RSS x"
	}
	{
		t = $1
		printf "%-28s %9.3f %11.0f %9.1f %9.1f %8.2f %8.2f\n", $2, s[t],
		    rec / s[t], m[t] / 1024, m[t] * 1024 / rec,
		    s[t] / s["zcanon"], m[t] / m["zcanon"]
	}
	END {
		rate = rec / s["zcanon"]
		bpr = m["zcanon"] * 1024 / rec
		print ""
		print "x: the tool'\''s figure divided by zcanon'\''s"
		printf "budget >= 2000000 records/s end to end: %s (%.0f)\n",
		    (rate >= 2000000 ? "met" : "MISSED"), rate
		printf "budget < 100 bytes of peak RSS per record: %s (%.1f)\n",
		    (bpr < 100 ? "met" : "MISSED"), bpr
	}'
}

bench_make_zone
records=$(grep -vc '^[;$]' "$zone")
set_tools
cat "$zone" > /dev/null
time_tools
measure_rss
: > "$out/verify"
[ "$verify" = 0 ] || verify_outputs > "$out/verify"
run_phases
{ report; cat "$out/phases"; } | tee "$out/results.txt"
