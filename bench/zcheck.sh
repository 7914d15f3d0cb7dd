#!/bin/sh
# The verification benchmark (DESIGN.md, "Performance budgets"):
# zcheck-chain against dnssec-verify, kzonecheck and ldns-verify-zone on
# the same signed zone, in the same run.  The zone is gentld's (bench/
# run.sh makes the same one), signed by dnssec-signzone with ECDSA P-256
# (algorithm 13) and NSEC3 1 0 0 - with opt-out.  Signing is slow, so
# the signed zone is kept in bench/out and made again only when the
# zone's text changed or its signatures no longer cover the next month
# (dnssec-verify checks them against the clock).
#
# The machine's limit is what verification cannot avoid: the RRSIGs of
# the zone divided by OpenSSL's ECDSA P-256 verification rate on all
# cores (openssl speed -multi), plus reading the zone (zcanon's time to
# read, sort and write it, an upper bound).  Times are medians of
# /usr/bin/time runs, memory the largest peak RSS; the table goes to
# standard output and to bench/out/zcheck.txt.
#
# usage: sh bench/zcheck.sh [bindir]
#
# bindir holds zcheck-chain and zcanon, and ../bench/gentld next to it
# ("make bench" builds them).  Environment: BENCH_N delegations
# (1000000), BENCH_SEED (1), BENCH_RUNS timed runs of zcheck-chain (3),
# BENCH_PEER_RUNS of each peer (1), BENCH_PEERS=0 to time zcheck-chain
# alone.
set -eu

prog=zcheck.sh
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
keys=$out/zcheck-keys
signed=$out/zcheck-n$n-s$seed.signed
ds=$out/zcheck-keys/ds
cores=$(nproc)

bench_prefix=zcheck-
. "$(dirname "$0")/lib.sh"

for f in "$bin/zcheck-chain" "$bin/zcanon" "$gentld"; do
	[ -x "$f" ] || die "$f: not built (make bench builds it)"
done
for c in /usr/bin/time dnssec-signzone dnssec-keygen dnssec-dsfromkey \
    openssl; do
	command -v "$c" > /dev/null || die "$c: not installed (make deps)"
done
mkdir -p "$out"

# One KSK and one ZSK, ECDSA P-256, made once; the KSK's DS.
make_keys() {
	if ! ls "$keys"/K$tld.+013+*.private > /dev/null 2>&1; then
		mkdir -p "$keys"
		dnssec-keygen -q -K "$keys" -a ECDSAP256SHA256 -f KSK "$tld" \
		    > /dev/null
		dnssec-keygen -q -K "$keys" -a ECDSAP256SHA256 "$tld" > /dev/null
	fi
	for k in "$keys"/K$tld.+013+*.key; do
		if grep -q 'DNSKEY[[:space:]]*257' "$k"; then
			dnssec-dsfromkey -2 "$k"
		fi
	done > "$ds"
}

# Signatures from yesterday for 90 days; made again when the zone's text
# changed or fewer than 30 days are left.
sign() {
	sum=$(cksum < "$zone")
	soon=$(date -u -d '+30 days' +%Y%m%d%H%M%S)
	if [ -s "$signed" ] && [ -s "$signed.src" ] &&
	    [ "$(sed -n 1p "$signed.src")" = "$sum" ] &&
	    [ "$(sed -n 2p "$signed.src")" -gt "$soon" ]; then
		return
	fi
	start=$(date -u -d '-1 day' +%Y%m%d000000)
	end=$(date -u -d '+90 days' +%Y%m%d000000)
	echo "signing $signed (slow)"
	dnssec-signzone -P -Q -S -K "$keys" -d "$out" -o "$tld" -n "$cores" \
	    -3 - -H 0 -A -s "$start" -e "$end" -O full -f "$signed.tmp" \
	    "$zone" > /dev/null
	mv "$signed.tmp" "$signed"
	printf '%s\n%s\n' "$sum" "$end" > "$signed.src"
}

# OpenSSL's ECDSA P-256 verifications per second on all cores.
verify_rate() {
	openssl speed -seconds 3 -multi "$cores" ecdsap256 2> /dev/null |
	    awk '/256 bits ecdsa \(nistp256\)/ { print $NF }' | tail -n 1
}

bench_make_zone
make_keys
sign
now=$(date -u +%Y%m%d%H%M%S)

tools=zcheck
time_tool zcheck "$runs" "'$bin/zcheck-chain' -v -t $now -D '$ds' '$signed'"
[ "$(cat "$out/zcheck-zcheck.status")" = 0 ] ||
    { cat "$out/zcheck-zcheck.out"; die "zcheck-chain: the zone does not validate"; }
time_tool read "$runs" "'$bin/zcanon' '$signed' > /dev/null"
if [ "$peers" != 0 ]; then
	if command -v kzonecheck > /dev/null; then
		tools="$tools knot"
		time_tool knot "$peer_runs" \
		    "kzonecheck -o $tld. -d on -t $now '$signed'"
	fi
	if command -v dnssec-verify > /dev/null; then
		tools="$tools bind"
		time_tool bind "$peer_runs" "dnssec-verify -q -o $tld '$signed'"
	fi
	if command -v ldns-verify-zone > /dev/null; then
		tools="$tools ldns"
		time_tool ldns "$peer_runs" \
		    "ldns-verify-zone -t $now -k '$ds' '$signed'"
	fi
fi

label() {
	case $1 in
	zcheck) echo zcheck-chain ;;
	knot) echo kzonecheck ;;
	bind) echo dnssec-verify ;;
	ldns) echo ldns-verify-zone ;;
	esac
}

records=$(awk '/ records, / { sub(/.*serial [0-9]*, /, ""); print $1 }' \
    "$out/zcheck-zcheck.out" | head -n 1)
sigs=$(awk '/ RRSIGs valid/ { sub(/.* of /, ""); print $1 }' \
    "$out/zcheck-zcheck.out" | head -n 1)
rate=$(verify_rate)
{
	echo "verification of a signed generated TLD zone ($(date -u +%Y-%m-%d))"
	echo "machine: $cores cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "versions: berokit $(git -C "$here/.." describe --always --dirty 2>/dev/null || echo unknown), $(openssl version | cut -d' ' -f1-2)"
	echo "zone: $n delegations, ECDSA P-256, NSEC3 opt-out: $records records, $sigs RRSIGs"
	echo "zcheck-chain says:"
	sed 's/^/  /' "$out/zcheck-zcheck.out"
	echo
	printf '%-18s %4s %6s %10s %8s %10s %10s\n' tool runs status \
	    "median s" "CPU s" "RSS MiB" "B/record"
	for t in $tools; do
		awk -v name="$(label "$t")" -v r="$(wc -l < "$out/zcheck-$t.runs")" \
		    -v st="$(cat "$out/zcheck-$t.status")" \
		    -v s="$(median "$out/zcheck-$t.runs")" \
		    -v c="$(median "$out/zcheck-$t.cpu")" \
		    -v m="$(largest "$out/zcheck-$t.rss")" -v rec="$records" \
		    'BEGIN { printf "%-18s %4d %6d %10.2f %8.2f %10.1f %10.1f\n",
			name, r, st, s, c, m / 1024, m * 1024 / rec }'
	done
	awk -v s="$sigs" -v rate="$rate" -v rd="$(median "$out/zcheck-read.runs")" \
	    -v z="$(median "$out/zcheck-zcheck.runs")" -v c="$cores" 'BEGIN {
		v = s / rate
		printf "limit: %d RRSIGs / %.0f verifications/s on %d cores", s, rate, c
		printf " = %.2f s, + read %.2f s (zcanon) = %.2f s\n", v, rd, v + rd
		printf "zcheck-chain: %.2f s, %.2fx the limit\n", z, z / (v + rd) }'
	if [ "$peers" != 0 ] && [ "$tools" != zcheck ]; then
		best=
		for t in $tools; do
			[ "$t" = zcheck ] && continue
			s=$(median "$out/zcheck-$t.runs")
			if [ -z "$best" ] || awk -v a="$s" -v b="$bs" \
			    'BEGIN { exit !(a < b) }'; then
				best=$t
				bs=$s
			fi
		done
		awk -v a="$(median "$out/zcheck-zcheck.runs")" -v b="$bs" \
		    -v name="$(label "$best")" 'BEGIN {
			printf "zcheck-chain is %.1fx faster than the fastest peer, %s\n",
			    b / a, name }'
	fi
} | tee "$out/zcheck.txt"
