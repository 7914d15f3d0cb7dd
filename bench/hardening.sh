#!/bin/sh
# What the build hardening costs (issue 11, item 7): zcanon and zresign
# of two builds, one without the hardening flags and one with, on the
# same inputs.  Wall time on a shared virtual machine drifts by more
# than the few per cent asked about, and the processor's counters are
# not available to perf(1) here, so the first measure is the number of
# instructions executed, counted by valgrind's cachegrind (no cache
# simulation): it does not depend on the load.  The second is wall and
# CPU time in pairs, the two builds alternated (which one goes first
# alternates too), so that a drift hits both alike; the median of the
# ratios of each pair is printed.
#
# usage: sh bench/hardening.sh before-bindir after-bindir
#
# Each bindir holds zcanon and zresign; ../bench/gentld next to the
# second one writes the zones ("make O=dir all dir/bench/gentld").
# Environment: HARD_N delegations for zcanon (100000), HARD_SIGN_N for
# zresign (3000), HARD_PAIRS wall-clock pairs per program (21),
# HARD_GRIND=0 not to count instructions.  zresign signs the zone
# "example" with the ECDSA P-256 KSK and ZSK of t/data/examples at a
# fixed time, so its output (RFC 6979 nonces) is the same every run.
# Results go to bench/out/hardening.txt as well.
set -eu

prog=hardening.sh
[ $# -eq 2 ] || { echo "usage: sh bench/hardening.sh before-bindir" \
    "after-bindir" >&2; exit 2; }
before=$1
after=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=$here/out/hardening
n=${HARD_N:-100000}
sign_n=${HARD_SIGN_N:-3000}
pairs=${HARD_PAIRS:-21}
grind=${HARD_GRIND:-1}
gentld=$after/../bench/gentld
keys=$top/t/data/examples
now=20261201000000

bench_prefix=
. "$here/lib.sh"

command -v perf > /dev/null || die "perf: not installed"
for f in "$before/zcanon" "$before/zresign" "$after/zcanon" \
    "$after/zresign" "$gentld"; do
	[ -x "$f" ] || die "$f: not built"
done
mkdir -p "$out"
zone=$out/tld-n$n.zone
szone=$out/example-n$sign_n.zone
[ -s "$zone" ] || "$gentld" -n "$n" -s 1 -z tld > "$zone"
[ -s "$szone" ] || "$gentld" -n "$sign_n" -s 1 -z example > "$szone"

# The command line of each program, given its bindir.
cmd_zcanon() {
	echo "'$1/zcanon' '$zone'"
}
cmd_zresign() {
	echo "'$1/zresign' -t $now -i $now -e 20270101000000 \
	    -k '$keys/Kexample.+013+05021' -k '$keys/Kexample.+013+40244' \
	    '$szone'"
}

# The two builds must write the same bytes, or the comparison is void.
for p in zcanon zresign; do
	sh -c "$(cmd_$p "$before")" > "$out/$p.before"
	sh -c "$(cmd_$p "$after")" > "$out/$p.after"
	cmp -s "$out/$p.before" "$out/$p.after" ||
		die "$p: the two builds write different output"
done

# instructions BINDIR PROG: instructions executed, all threads.
instructions() {
	eval "valgrind --tool=cachegrind --cache-sim=no \
	    --cachegrind-out-file=/dev/null $(cmd_$2 "$1")" 2>&1 > /dev/null |
	    awk '/I *refs:/ { gsub(",", "", $NF); print $NF }'
}

# seconds COMMAND: wall and CPU seconds of one run, "wall cpu"; the CPU
# time is perf's task-clock (all threads), to the microsecond.
seconds() {
	t0=$(date +%s%N)
	perf stat -x, -o "$out/t" -e task-clock sh -c "exec $1" > /dev/null
	t1=$(date +%s%N)
	awk -F, -v w=$(((t1 - t0) / 1000)) '$3 == "task-clock" {
		printf "%.6f %.6f\n", w / 1e6, $1 / 1e3 }' "$out/t"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

{
echo "hardening: $before (before) against $after (after)"
echo "zcanon: gentld -n $n -s 1 -z tld ($(grep -vc '^[;$]' "$zone")" \
    "records); zresign: gentld -3 $sign_n -s 1 -z example" \
    "($(grep -vc '^[;$]' "$szone") records), ECDSA P-256 KSK and ZSK"
echo "outputs of the two builds identical"
for p in zcanon zresign; do
	if [ "$grind" != 0 ]; then
		b=$(instructions "$before" $p)
		a=$(instructions "$after" $p)
		b2=$(instructions "$before" $p)
		a2=$(instructions "$after" $p)
		echo "$p instructions: before $b, $b2; after $a, $a2;" \
		    "after/before $(echo "$a $b $a2 $b2" |
		    awk '{ printf "%.4f", ($1 + $3) / ($2 + $4) }')"
	fi
	: > "$out/$p.pairs"
	i=0
	while [ $i -lt "$pairs" ]; do
		if [ $((i % 2)) -eq 0 ]; then
			b=$(seconds "$(cmd_$p "$before")")
			a=$(seconds "$(cmd_$p "$after")")
		else
			a=$(seconds "$(cmd_$p "$after")")
			b=$(seconds "$(cmd_$p "$before")")
		fi
		echo "$b $a" >> "$out/$p.pairs"
		i=$((i + 1))
	done
	echo "$p wall s, $pairs alternated pairs: median before" \
	    "$(awk '{ print $1 }' "$out/$p.pairs" | median)," \
	    "after $(awk '{ print $3 }' "$out/$p.pairs" | median);" \
	    "median of after/before per pair" \
	    "$(awk '$1 > 0 { printf "%.4f\n", $3 / $1 }' "$out/$p.pairs" |
	    median)"
	echo "$p CPU s (task-clock), same runs: median before" \
	    "$(awk '{ print $2 }' "$out/$p.pairs" | median)," \
	    "after $(awk '{ print $4 }' "$out/$p.pairs" | median);" \
	    "median of after/before per pair" \
	    "$(awk '$2 > 0 { printf "%.4f\n", $4 / $2 }' "$out/$p.pairs" |
	    median)"
done
} | tee "$out/../hardening.txt"
