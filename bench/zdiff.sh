#!/bin/sh
# The diff benchmark (DESIGN.md, "Performance budgets"): zdiff-dnssec
# against ldns-compare-zones on two signatures of the same generated TLD
# zone, in the same run.  The zone is gentld's (bench/run.sh makes the
# same one), signed twice by dnssec-signzone with NSEC3 1 0 0 -, opt-out,
# and other inception and expiration times: the review of a re-signed
# zone, where every RRSIG differs and nothing else does.  Signing is
# slow, so the signed zones are kept in bench/out and made again only
# when missing.  Times are medians of /usr/bin/time runs, memory the
# largest peak RSS of them; the table goes to standard output and to
# bench/out/zdiff.txt.
#
# usage: sh bench/zdiff.sh [bindir]
#
# bindir holds zdiff-dnssec, and ../bench/gentld next to it ("make bench"
# builds both).  Environment: BENCH_N delegations (1000000), BENCH_SEED
# (1), BENCH_RUNS timed runs of zdiff-dnssec (3), BENCH_PEER_RUNS of
# ldns-compare-zones (1), BENCH_PEERS=0 to time zdiff-dnssec alone.
set -eu

prog=zdiff.sh
bin=${1:-build/bin}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
n=${BENCH_N:-1000000}
seed=${BENCH_SEED:-1}
runs=${BENCH_RUNS:-3}
peer_runs=${BENCH_PEER_RUNS:-1}
peers=${BENCH_PEERS:-1}
gentld=$bin/../bench/gentld
tld=tld
zone=$out/tld-n$n-s$seed.zone
keys=$out/zdiff-keys
old=$out/zdiff-n$n-s$seed-old.zone
new=$out/zdiff-n$n-s$seed-new.zone

bench_prefix=
. "$(dirname "$0")/lib.sh"

for f in "$bin/zdiff-dnssec" "$gentld"; do
	[ -x "$f" ] || die "$f: not built (make bench builds it)"
done
for c in /usr/bin/time dnssec-signzone dnssec-keygen; do
	command -v "$c" > /dev/null || die "$c: not installed (make deps)"
done
mkdir -p "$out"

# One KSK and one ZSK, ECDSA P-256, made once.
make_keys() {
	[ -d "$keys" ] && ls "$keys"/K$tld.+013+*.private > /dev/null 2>&1 &&
	    return
	mkdir -p "$keys"
	dnssec-keygen -q -K "$keys" -a ECDSAP256SHA256 -f KSK "$tld" > /dev/null
	dnssec-keygen -q -K "$keys" -a ECDSAP256SHA256 "$tld" > /dev/null
}

# sign OUT INCEPTION EXPIRATION: both keys, all cores, no verification;
# again only when the zone's text changed (gentld makes the same text
# again when it is rebuilt).
sign() {
	sum=$(cksum < "$zone")
	[ -s "$1" ] && [ "$(cat "$1.src" 2>/dev/null)" = "$sum" ] && return
	echo "signing $1 (slow)"
	dnssec-signzone -P -Q -S -K "$keys" -o "$tld" -n "$(nproc)" \
	    -3 - -H 0 -A -s "$2" -e "$3" -O full -f "$1.tmp" "$zone" \
	    > /dev/null
	mv "$1.tmp" "$1"
	echo "$sum" > "$1.src"
}

bench_make_zone
make_keys
sign "$old" 20261101000000 20270101000000
sign "$new" 20261115000000 20270115000000

load=$(cut -d ' ' -f 1-3 /proc/loadavg)
time_tool zdiff "$runs" "'$bin/zdiff-dnssec' '$old' '$new'"
# Exit 1: the signatures differ; the other groups must not.
[ "$(cat "$out/zdiff.status")" = 1 ] || die "zdiff-dnssec failed"
"$bin/zdiff-dnssec" -b -g data,apex,denial "$old" "$new" > /dev/null ||
    die "zdiff-dnssec: the two signatures differ outside the signatures"
if [ "$peers" != 0 ] && command -v ldns-compare-zones > /dev/null; then
	time_tool ldns "$peer_runs" "ldns-compare-zones '$old' '$new'"
else
	peers=0
fi

records=$("$bin/zdiff-dnssec" -j -b -g data "$old" "$new" |
    awk -F': ' '/"records"/ { s += $2 } END { print s }')
{
	echo "diff of two signatures of a generated TLD zone ($(date -u +%Y-%m-%d))"
	echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "versions: berokit $(git -C "$here/.." describe --always --dirty 2>/dev/null || echo unknown)$(
	    command -v ldns-compare-zones > /dev/null && ldns-compare-zones -v 2>&1 | sed -n 's/.*version \([^ )]*\).*/, ldns \1/p' | head -n 1)"
	echo "zones: $n delegations, NSEC3 opt-out, $records records in both"
	echo "zdiff-dnssec report:"
	sed 's/^/  /' "$out/zdiff.out"
	echo
	echo "load average before: $load"
	printf '%-20s %6s %10s %10s %10s %10s\n' tool runs "median s" \
	    "median CPU" "RSS MiB" "B/record"
	for t in zdiff ldns; do
		[ "$t" = ldns ] && [ "$peers" = 0 ] && continue
		s=$(median "$out/$t.runs")
		c=$(median "$out/$t.cpu")
		m=$(largest "$out/$t.rss")
		name=zdiff-dnssec
		[ "$t" = ldns ] && name=ldns-compare-zones
		awk -v name="$name" -v r="$(wc -l < "$out/$t.runs")" -v s="$s" \
		    -v c="$c" -v m="$m" -v rec="$records" 'BEGIN {
			f = "%-20s %6d %10.2f %10.2f %10.1f %10.1f\n"
			printf f, name, r, s, c, m / 1024, m * 1024 / rec }'
	done
	# Wall time is the budget; CPU time is the figure that holds when
	# other work shares the cores.
	if [ "$peers" != 0 ]; then
		awk -v a="$(median "$out/zdiff.runs")" \
		    -v b="$(median "$out/ldns.runs")" \
		    -v ca="$(median "$out/zdiff.cpu")" \
		    -v cb="$(median "$out/ldns.cpu")" \
		    -v ma="$(largest "$out/zdiff.rss")" \
		    -v mb="$(largest "$out/ldns.rss")" 'BEGIN {
			printf "zdiff-dnssec is %.1fx faster than ", b / a
			printf "ldns-compare-zones (%.1fx in CPU time), ", cb / ca
			printf "with %.1fx less memory\n", mb / ma }'
	fi
} | tee "$out/zdiff.txt"
