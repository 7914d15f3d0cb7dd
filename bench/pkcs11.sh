#!/bin/sh
# Signing through PKCS #11 (issue 16): SoftHSM2's own rate, a loop of
# C_SignInit and C_Sign on 2 threads, each with its session
# (bench/p11sign.c), and zresign's rate through the same token on 2
# threads (-T 2): the signatures it made over the seconds of its
# signing phase (-vv), and over its whole run (which adds reading, the
# chain, the check of every signature with the DNSKEY, and writing).
# The token is measured for 2 s just before and just after each zresign
# run and the mean taken, so that a change of the machine's load moves
# both; BENCH_RUNS runs (3), in the same run of this script, on a
# token made for it in a temporary directory (SOFTHSM2_CONF); ECDSA
# P-256 (algorithm 13) unless BENCH_KEY says otherwise (pkcs11-tool's
# --key-type, e.g. rsa:2048, EC:edwards25519).  The zones: gentld with
# each of BENCH_SIZES delegations ("5000 46000": 5,496 and 50,740
# signatures), NSEC, every delegation's NSEC signed, the sizes
# alternated run by run.  Each run prints zresign's phases (-vv) and the
# seconds its run spent outside them (C_Initialize, C_Login, finding the
# keys, starting and exiting), so that a cost fixed per run and one per
# signature tell themselves apart between the sizes; then the medians.
#
# usage: sh bench/pkcs11.sh [bindir]   (bindir holds zresign, and
# ../bench/p11sign and ../bench/gentld: make O=build build/bench/p11sign
# build/bench/gentld)
set -eu

bin=${1:-build/bin}
bench=$bin/../bench
sizes=${BENCH_SIZES:-${BENCH_N:-5000 46000}}
runs=${BENCH_RUNS:-3}
key=${BENCH_KEY:-EC:prime256v1}
module=/usr/lib/softhsm/libsofthsm2.so
dir=$(mktemp -d)
trap '[ -n "${BENCH_KEEP:-}" ] && cat "$dir/log" >&2; rm -rf "$dir"' EXIT

mkdir "$dir/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
	"$dir" > "$dir/softhsm2.conf"
export SOFTHSM2_CONF="$dir/softhsm2.conf"
printf '1234\n' > "$dir/pin"
softhsm2-util --init-token --free --label bench --pin 1234 \
	--so-pin 12345678 > /dev/null
for k in ksk:01 zsk:02; do
	pkcs11-tool --module "$module" --token-label bench --login --pin 1234 \
		--keypairgen --key-type "$key" --label "${k%:*}" \
		--id "${k#*:}" > /dev/null 2>&1
done
uri() {
	printf 'pkcs11:token=bench;object=%s?module-path=%s\n' "$1" "$module"
}
# run SIZE I: one run of token, zresign, token on the zone of SIZE
# delegations; a line of figures to $dir/runs (rates, percentages, the
# seconds of each phase of zresign -vv and what its run spent outside
# them: starting, C_Initialize, C_Login, finding the keys, exiting).
run() {
	raw1=$(BENCH_PIN_SOURCE="$dir/pin" "$bench/p11sign" "$(uri zsk)" 2 2)
	start=$(date +%s.%N)
	"$bin/zresign" -q -vv -T 2 -t 20260101000000 -p "$dir/pin" \
		-K "$(uri ksk)" -Z "$(uri zsk)" -o "$dir/signed.zone" \
		"$dir/tld-$1.zone" 2> "$dir/log"
	end=$(date +%s.%N)
	raw2=$(BENCH_PIN_SOURCE="$dir/pin" "$bench/p11sign" "$(uri zsk)" 2 2)
	made=$(sed -n 's/.*RRsets signed: \([0-9]*\) signatures made.*/\1/p' "$dir/log")
	phases=$(sed -n 's/.*seconds: //p' "$dir/log")
	printf '%s\n%s\n' "$raw1" "$raw2" | awk -v made="$made" -v size="$1" \
	    -v phases="$phases" \
	    -v wall="$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" '
		{ r = $NF; sub("/s", "", r); t += r; x[NR] = r }
		END { t /= NR; n = split(phases, f, /, /)
		  for (i = 1; i <= n; i++) { split(f[i], kv, " ")
		      p[kv[1]] = kv[2]; sum += kv[2] }
		  z = made / p["sign"]
		  printf "%d %d %d %d %d %.2f %d %.0f %.2f %d %.0f", size, made,
		      t, x[1], x[2], p["sign"], z, 100 * z / t, wall,
		      made / wall, 100 * made / wall / t
		  printf " %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.0f %.0f\n",
		      p["read"], p["prepare"], p["chain"] + p["plan"] + p["verify"],
		      p["place"], p["check"], p["write"], wall - sum,
		      1e6 * p["check"] / made, 1e6 * p["sign"] / made }' \
	    >> "$dir/runs"
	tail -n 1 "$dir/runs" | awk '{ printf "run: %d signatures; token %d/s (%d before, %d after); zresign signing %.2f s: %d/s (%.0f%%), whole run %.2f s: %d/s (%.0f%%); read %.2f, prepare %.2f, chain+plan %.2f, place %.2f, check %.2f, write %.2f, outside the phases %.2f; %.0f us a signature checked, %.0f us signed\n",
	    $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20 }'
}

: > "$dir/runs"
echo "key $key, sizes $sizes delegations, 2 threads, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
	"$bench/gentld" -n "$n" -z tld > "$dir/tld-$n.zone"
done
# The sizes alternated run by run, so that a change of the machine's
# load falls on both.
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	for n in $sizes; do
		run "$n"
	done
done
# The medians of the runs, by size (of an even count, the lower).
for n in $sizes; do
	awk -v n="$n" '$1 == n' "$dir/runs" > "$dir/runs-$n"
	med() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
	printf 'median of %s runs, %s delegations (%s signatures): token %s/s, zresign signing %s%%, whole run %s%%; seconds: sign %s, read %s, prepare %s, chain+plan %s, place %s, check %s, write %s, outside the phases %s; %s us a signature checked, %s us signed\n' \
	    "$(wc -l < "$dir/runs-$n")" "$n" "$(cut -d' ' -f2 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f3 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f8 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f11 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f6 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f12 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f13 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f14 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f15 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f16 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f17 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f18 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f19 "$dir/runs-$n" | med)" \
	    "$(cut -d' ' -f20 "$dir/runs-$n" | med)"
done
