#!/bin/sh
# The standard input budget (DESIGN.md, "Performance budgets"): reading
# a zone from standard input costs what reading it from a file costs,
# the same bytes per record and at most 10% more time.  zcanon, zresign
# and zcheck-chain each read the same large zone (bench/gentld's, and for
# zcheck-chain that zone signed) as a file operand and from a pipe
# (cat zone | tool), the two runs alternated in the same minutes so that
# a slow stretch of the machine falls on both.  Times are medians of
# /usr/bin/time wall seconds, memory the largest peak RSS; the table goes
# to standard output and to bench/out/stdin.txt.
#
# zresign signs the unsigned zone with one ECDSA P-256 key pair (a CSK,
# made once by dnssec-keygen), NSEC3 with opt-out; zcheck-chain checks
# that signed zone (made once by zresign, times fixed) from its DS.
#
# usage: sh bench/stdin.sh [bindir]
#
# bindir holds zcanon, zresign, zcheck-chain and ds-from-dnskey, and
# ../bench/gentld next to it ("make bench" builds them).  Environment:
# BENCH_N delegations (1000000), BENCH_SEED (1), BENCH_RUNS runs of each
# tool each way (3), BENCH_TOOLS the tools timed ("zcanon zresign
# zcheck-chain"), BENCH_REPORT_ONLY=1 to print the table of the last
# runs again without running anything.
set -eu

prog=stdin.sh
bin=${1:-build/bin}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
n=${BENCH_N:-1000000}
seed=${BENCH_SEED:-1}
runs=${BENCH_RUNS:-3}
tools=${BENCH_TOOLS:-zcanon zresign zcheck-chain}
gentld=$bin/../bench/gentld
tld=tld
zone=$out/tld-n$n-s$seed.zone
keys=$out/stdin-keys
signed=$out/stdin-n$n-s$seed.signed
times="-t 20261201000000 -i 20261201000000 -e 20270101000000"
now=20261215000000

bench_prefix=stdin-
. "$(dirname "$0")/lib.sh"

for f in zcanon zresign zcheck-chain ds-from-dnskey; do
	[ -x "$bin/$f" ] || die "$bin/$f: not built (make bench builds it)"
done
[ -x "$gentld" ] || die "$gentld: not built (make bench builds it)"
for c in /usr/bin/time dnssec-keygen; do
	command -v "$c" > /dev/null || die "$c: not installed (make deps)"
done
mkdir -p "$out"
bench_make_zone

# One ECDSA P-256 key pair with the SEP flag, made once, and its DS.
if ! ls "$keys"/K$tld.+013+*.private > /dev/null 2>&1; then
	rm -rf "$keys"
	mkdir -p "$keys"
	dnssec-keygen -q -K "$keys" -a ECDSAP256SHA256 -f KSK "$tld" \
	    > /dev/null
fi
key=$(ls "$keys"/K$tld.+013+*.private)
key=${key%.private}
"$bin/ds-from-dnskey" -2 -o "$keys/ds" "$key.key"
sign="$bin/zresign -q -A $times -k $key"
if [ ! -s "$signed" ] || [ "$zone" -nt "$signed" ]; then
	echo "signing $zone"
	$sign -o "$signed" "$zone"
fi

# The command of a tool reading the file named $2, from the file ($1 =
# file) or from a pipe ($1 = pipe).
command_of() {
	case $3 in
	zcanon)		c="$bin/zcanon" ;;
	zresign)	c=$sign ;;
	zcheck-chain)	c="$bin/zcheck-chain -q -t $now -D $keys/ds" ;;
	esac
	if [ "$1" = file ]; then
		echo "$c $2 > /dev/null"
	else
		echo "cat $2 | $c > /dev/null"
	fi
}

input_of() {
	[ "$1" = zcheck-chain ] && echo "$signed" || echo "$zone"
}

records() {
	grep -c -v '^[$;]' "$1"
}

rounds=$runs
[ -z "${BENCH_REPORT_ONLY:-}" ] || rounds=0
[ "$rounds" -eq 0 ] ||
for t in $tools; do
	for how in file pipe; do
		: > "$out/$bench_prefix$t-$how.runs"
		: > "$out/$bench_prefix$t-$how.cpu"
		: > "$out/$bench_prefix$t-$how.rss"
		: > "$out/$bench_prefix$t-$how.sys"
	done
done
i=0
while [ "$i" -lt "$rounds" ]; do
	for t in $tools; do
		in=$(input_of "$t")
		# Which goes first alternates from one round to the next.
		if [ $((i % 2)) -eq 0 ]; then order="file pipe"; else
			order="pipe file"; fi
		for how in $order; do
			timed_run "$t-$how" "$(command_of "$how" "$in" "$t")"
			awk '/System time/ { print $NF }' \
			    "$out/$bench_prefix$t-$how.time" >> \
			    "$out/$bench_prefix$t-$how.sys"
			[ "$(cat "$out/$bench_prefix$t-$how.status")" = 0 ] ||
			    die "$t from a $how failed: $(cat "$out/$bench_prefix$t-$how.out")"
		done
	done
	i=$((i + 1))
done

{
	echo "standard input against a file: $n delegations, medians of $runs runs each way, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%-13s %7s %7s %6s %7s %7s %6s %6s %6s %8s %8s %6s %6s\n' tool \
	    "file s" "pipe s" "x" "f cpu" "p cpu" "x" "f sys" "p sys" \
	    "file MiB" "pipe MiB" "f B/r" "p B/r"
	for t in $tools; do
		in=$(input_of "$t")
		r=$(records "$in")
		f=$out/$bench_prefix$t
		awk -v t="$t" -v f="$(median "$f-file.runs")" \
		    -v p="$(median "$f-pipe.runs")" \
		    -v fc="$(median "$f-file.cpu")" -v pc="$(median "$f-pipe.cpu")" \
		    -v fs="$(median "$f-file.sys")" -v ps="$(median "$f-pipe.sys")" \
		    -v fm="$(largest "$f-file.rss")" -v pm="$(largest "$f-pipe.rss")" \
		    -v r="$r" 'BEGIN {
			x = f > 0 ? p / f : 0; xc = fc > 0 ? pc / fc : 0
			fb = fm * 1024 / r; pb = pm * 1024 / r
			printf "%-13s %7.2f %7.2f %6.2f %7.2f %7.2f %6.2f %6.2f %6.2f %8.1f %8.1f %6.1f %6.1f  %s\n",
			    t, f, p, x, fc, pc, xc, fs, ps, fm / 1024, pm / 1024,
			    fb, pb,
			    ok(xc, fb, pb)
		}
		function ok(xc, fb, pb) {
			return xc <= 1.10 && fb < 100 && pb < 100 ? \
			    "within budget" : "OVER BUDGET"
		}'
	done
	echo "x: pipe / file, wall seconds and CPU seconds (user + system, cat's included); sys: system seconds; B/r: peak RSS per record read"
	echo "budget: at most 1.10x the file's time (judged on CPU seconds, which a loaded machine leaves comparable); under 100 bytes of peak RSS per record either way"
} | tee "$out/stdin.txt"
