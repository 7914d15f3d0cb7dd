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
# --key-type, e.g. rsa:2048, EC:edwards25519).  The zone: gentld with
# BENCH_N delegations (5000), NSEC, every delegation's NSEC signed.
#
# usage: sh bench/pkcs11.sh [bindir]   (bindir holds zresign, and
# ../bench/p11sign and ../bench/gentld: make O=build build/bench/p11sign
# build/bench/gentld)
set -eu

bin=${1:-build/bin}
bench=$bin/../bench
n=${BENCH_N:-5000}
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
"$bench/gentld" -n "$n" -z tld > "$dir/tld.zone"
echo "key $key, $n delegations, 2 threads, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	raw1=$(BENCH_PIN_SOURCE="$dir/pin" "$bench/p11sign" "$(uri zsk)" 2 2)
	start=$(date +%s.%N)
	"$bin/zresign" -q -vv -T 2 -t 20260101000000 -p "$dir/pin" \
		-K "$(uri ksk)" -Z "$(uri zsk)" -o "$dir/signed.zone" \
		"$dir/tld.zone" 2> "$dir/log"
	end=$(date +%s.%N)
	raw2=$(BENCH_PIN_SOURCE="$dir/pin" "$bench/p11sign" "$(uri zsk)" 2 2)
	made=$(sed -n 's/.*RRsets signed: \([0-9]*\) signatures made.*/\1/p' "$dir/log")
	sign=$(sed -n 's/.* sign \([0-9.]*\),.*/\1/p' "$dir/log")
	printf '%s\n%s\n' "$raw1" "$raw2" | awk -v made="$made" -v sign="$sign" \
	    -v wall="$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" '
		{ r = $NF; sub("/s", "", r); t += r; x[NR] = r }
		END { t /= NR; z = made / sign;
		  printf "run: token %d/s (%d before, %d after); zresign %d signatures in %.2f s of signing: %d/s (%.0f%%), whole run %.2f s: %d/s (%.0f%%)\n",
		      t, x[1], x[2], made, sign, z, 100 * z / t, wall,
		      made / wall, 100 * made / wall / t }'
done
