#!/bin/sh
# The signing benchmark (DESIGN.md, "Performance budgets"): zresign
# against kzonesign (Knot), dnssec-signzone (BIND) and ldns-signzone on
# the same generated TLD zone, ECDSA P-256 (algorithm 13) and NSEC3
# 1 0 0 - with opt-out, in the same run; then re-signing after a change
# at the apex, given the previous signed zone (-P), against a plain read
# and write pass: zcanon of a file holding both zones -P reads (the
# pass over the same input), and, for reference, of the edited zone
# alone and of each zone apart.
#
# The machine's limit is what signing cannot avoid: the signatures the
# zone needs divided by OpenSSL's ECDSA P-256 signing rate on all cores
# (openssl speed -multi), plus reading and writing the signed zone
# (zcanon's time for it).  zresign signs ECDSA with RFC 6979 nonces in
# batches (lib/ecdsa.c), faster than OpenSSL's own signing, and checks
# every signature it made before writing (with the key pair, at a bit
# less than the cost of signing); the limit does not count that.
#
# Peers: kzonesign signs with keys of its own KASP database (same
# algorithm), on all cores (signing-threads); dnssec-signzone with -n
# cores and -P (no verification of its output: BIND's verifier runs on
# one core and would dominate); ldns-signzone on one core.  Times are
# medians of /usr/bin/time runs, memory the largest peak RSS; the table
# goes to standard output and to bench/out/zresign.txt.
#
# usage: sh bench/zresign.sh [bindir]
#
# bindir holds zresign and zcanon, and ../bench/gentld next to it
# ("make bench" builds them).  Environment: BENCH_N delegations
# (1000000), BENCH_SEED (1), BENCH_RUNS timed runs of zresign (3),
# BENCH_PEER_RUNS of each peer (1), BENCH_PEERS=0 to time zresign alone,
# BENCH_LDNS=0 to leave out ldns-signzone (the slowest by far).
set -eu

prog=zresign.sh
bin=${1:-build/bin}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
n=${BENCH_N:-1000000}
seed=${BENCH_SEED:-1}
runs=${BENCH_RUNS:-3}
peer_runs=${BENCH_PEER_RUNS:-1}
peers=${BENCH_PEERS:-1}
with_ldns=${BENCH_LDNS:-1}
gentld=$bin/../bench/gentld
tld=tld
zone=$out/tld-n$n-s$seed.zone
keys=$out/zresign-keys
w=$out/zresign-work
cores=$(nproc)

bench_prefix=
. "$(dirname "$0")/lib.sh"

for f in "$bin/zresign" "$bin/zcanon" "$gentld"; do
	[ -x "$f" ] || die "$f: not built (make bench builds it)"
done
for c in /usr/bin/time dnssec-keygen openssl; do
	command -v "$c" > /dev/null || die "$c: not installed (make deps)"
done
mkdir -p "$out" "$w"

# One KSK and one ZSK, ECDSA P-256, made once.
make_keys() {
	if ! ls "$keys"/K$tld.+013+*.private > /dev/null 2>&1; then
		mkdir -p "$keys"
		dnssec-keygen -q -K "$keys" -a ECDSAP256SHA256 -f KSK "$tld" \
		    > /dev/null
		dnssec-keygen -q -K "$keys" -a ECDSAP256SHA256 "$tld" > /dev/null
	fi
	kargs=
	for k in "$keys"/K$tld.+013+*.private; do
		kargs="$kargs -k ${k%.private}"
	done
}

# Knot's configuration: a KASP database of its own in $w/knot, the
# policy of the workload.
knot_conf() {
	mkdir -p "$w/knot" "$w/knot/out"
	ln -sf "$zone" "$w/knot/$tld.zone"
	cat > "$w/knot/knot.conf" <<-EOF
	database:
	    storage: "$w/knot"
	policy:
	  - id: p
	    algorithm: ecdsap256sha256
	    nsec3: on
	    nsec3-opt-out: on
	    nsec3-iterations: 0
	    nsec3-salt-length: 0
	    signing-threads: $cores
	    rrsig-lifetime: 30d
	template:
	  - id: default
	    storage: "$w/knot"
	    file: "$w/knot/%s.zone"
	    dnssec-signing: on
	    dnssec-policy: p
	    adjust-threads: $cores
	zone:
	  - domain: $tld.
	EOF
}

# run NAME COMMAND: one timed run, seconds appended to $w/NAME.runs,
# peak RSS in KiB to .rss, exit status to .status.
run() {
	set +e
	/usr/bin/time -v -o "$w/$1.time" sh -c "$2" > "$w/$1.log" 2>&1
	echo $? > "$w/$1.status"
	set -e
	awk '/Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' \
	    "$w/$1.time" >> "$w/$1.runs"
	awk '/Maximum resident set size/ { print $NF }' "$w/$1.time" \
	    >> "$w/$1.rss"
	[ "$(cat "$w/$1.status")" = 0 ] ||
	    { tail -n 20 "$w/$1.log"; die "$1 failed"; }
	if [ "$1" = speed ]; then
		awk '/256 bits ecdsa \(nistp256\)/ { print $(NF - 1) }' \
		    "$w/speed.log" | tail -n 1 >> "$w/rate.runs"
	fi
}

# rounds RUNS NAME COMMAND [NAME COMMAND ...]: RUNS rounds, each running
# every command once in turn, so that each sees the same load (the
# machine may be shared).
rounds() {
	r=$1
	shift
	set -- "$@"
	args="$*"
	k=1
	while [ "$k" -le "$#" ]; do
		eval "name=\${$k}"
		: > "$w/$name.runs"
		: > "$w/$name.rss"
		k=$((k + 2))
	done
	i=0
	while [ "$i" -lt "$r" ]; do
		k=1
		while [ "$k" -le "$#" ]; do
			eval "name=\${$k}; cmd=\${$((k + 1))}"
			run "$name" "$cmd"
			k=$((k + 2))
		done
		i=$((i + 1))
	done
}

# OpenSSL's ECDSA P-256 signatures per second on all cores, the median
# of the rounds' measures (taken in turn with the runs, under the same
# load).
sign_rate() {
	sort -n "$w/rate.runs" | awk '{ v[NR] = $1 }
	    END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

records_of() {
	grep -vc '^[;$]' "$1"
}

bench_make_zone
make_keys
: > "$w/rate.runs"
now=$(date -u +%Y%m%d%H%M%S)
later=$(date -u -d '+1 day' +%Y%m%d%H%M%S)
signed=$w/zresign.signed

# Signing from scratch, each round with a read and write of the signed
# zone (the limit's other half).
tools=zresign
rounds "$runs" zresign \
    "'$bin/zresign' -vv -A -t $now $kargs -o '$signed' '$zone'" \
    rw "'$bin/zcanon' '$signed' > '$w/rw.out'" \
    speed "openssl speed -seconds 3 -multi $cores ecdsap256"
if [ "$peers" != 0 ]; then
	if command -v kzonesign > /dev/null; then
		tools="$tools knot"
		knot_conf
		rounds "$peer_runs" knot "rm -rf '$w/knot/keys' '$w/knot/timers';
		    kzonesign -c '$w/knot/knot.conf' -r -o '$w/knot/out' $tld."
	fi
	if command -v dnssec-signzone > /dev/null; then
		tools="$tools bind"
		rounds "$peer_runs" bind "dnssec-signzone -P -Q -S -K '$keys' \
		    -o $tld -n $cores -3 - -H 0 -A -O full -f '$w/bind.signed' '$zone'"
	fi
	if [ "$with_ldns" != 0 ] && command -v ldns-signzone > /dev/null; then
		tools="$tools ldns"
		rounds "$peer_runs" ldns "ldns-signzone -n -p -s '' -t 0 \
		    -o $tld -f '$w/ldns.signed' '$zone' $(echo "$kargs" |
		    sed 's/-k //g')"
	fi
fi

# Re-signing after a change at the apex (step 2b's kind: one more TXT
# record), given the previous signed zone, against reading and writing
# the input, and the input and the previous zone.
edited=$w/edited.zone
{ cat "$signed"; printf '%s.\t86400\tIN\tTXT\t"changed"\n' "$tld"; } > "$edited"
# What zresign -P reads, in one file: a plain pass over it reads both
# zones and writes one (their records are the same but one; the second
# SOA record left out, a zone has one).
both=$w/both.zone
{ cat "$edited"; awk -F'\t' '$4 != "SOA"' "$signed"; } > "$both"
rounds "$runs" resign \
    "'$bin/zresign' -vv -A -t $later -P '$signed' $kargs -o '$w/resigned.zone' '$edited'" \
    rwin "'$bin/zcanon' '$edited' > '$w/rwin.out'" \
    rwprev "'$bin/zcanon' '$signed' > '$w/rwprev.out'" \
    rwboth "'$bin/zcanon' '$both' > '$w/rwboth.out'"

label() {
	case $1 in
	zresign) echo zresign ;;
	knot) echo kzonesign ;;
	bind) echo dnssec-signzone ;;
	ldns) echo ldns-signzone ;;
	resign) echo "zresign -P (re-sign)" ;;
	rw) echo "zcanon signed zone" ;;
	rwin) echo "zcanon edited zone" ;;
	rwprev) echo "zcanon previous zone" ;;
	rwboth) echo "zcanon both in one file" ;;
	esac
}

in_records=$(records_of "$zone")
out_records=$(records_of "$signed")
edit_records=$(records_of "$edited")
sigs=$(awk -F'\t' '$4 == "RRSIG"' "$signed" | wc -l)
rate=$(sign_rate)
{
	echo "signing a generated TLD zone ($(date -u +%Y-%m-%d))"
	echo "machine: $cores cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "versions: berokit $(git -C "$here/.." describe --always --dirty 2>/dev/null || echo unknown), $(openssl version | cut -d' ' -f1-2)$(command -v kzonesign > /dev/null && printf ', Knot %s' "$(kzonesign -V | awk '{ print $NF }')")"
	echo "zone: $n delegations, $in_records records; signed, ECDSA P-256, NSEC3 opt-out: $out_records records, $sigs RRSIGs"
	echo "zresign -vv says:"
	sed 's/^/  /' "$w/zresign.log"
	echo "zresign -P -vv says (re-signing after one more apex TXT record):"
	sed 's/^/  /' "$w/resign.log"
	echo
	printf '%-24s %4s %10s %10s %10s\n' tool runs "median s" "RSS MiB" \
	    "B/record"
	for t in $tools resign rw rwin rwprev rwboth; do
		rec=$in_records
		case $t in
		resign|rwboth) rec=$((edit_records + out_records)) ;;
		rw|rwprev) rec=$out_records ;;
		rwin) rec=$edit_records ;;
		esac
		awk -v name="$(label "$t")" -v r="$(wc -l < "$w/$t.runs")" \
		    -v s="$(median "$w/$t.runs")" \
		    -v m="$(largest "$w/$t.rss")" -v rec="$rec" \
		    'BEGIN { printf "%-24s %4d %10.2f %10.1f %10.1f\n",
			name, r, s, m / 1024, m * 1024 / rec }'
	done
	echo "(B/record: peak RSS over the records read: the input zone, or for"
	echo " the re-signing the edited zone and the previous one)"
	echo
	awk -v s="$sigs" -v rate="$rate" -v rw="$(median "$w/rw.runs")" \
	    -v z="$(median "$w/zresign.runs")" -v c="$cores" 'BEGIN {
		v = s / rate
		printf "limit: %d RRSIGs / %.0f ECDSA P-256 signatures/s on %d cores", s, rate, c
		printf " = %.2f s, + read and write %.2f s (zcanon) = %.2f s\n", v, rw, v + rw
		printf "zresign: %.2f s, %.2fx the limit (budget: 1.5x)\n", z, z / (v + rw) }'
	if [ "$peers" != 0 ] && [ -s "$w/knot.runs" ]; then
		awk -v a="$(median "$w/zresign.runs")" -v b="$(median "$w/knot.runs")" \
		    'BEGIN { printf "zresign is %.2fx faster than kzonesign (budget: 2x)\n", b / a }'
	fi
	awk -v a="$(median "$w/resign.runs")" -v b="$(median "$w/rwin.runs")" \
	    -v c="$(median "$w/rwprev.runs")" -v d="$(median "$w/rwboth.runs")" 'BEGIN {
		printf "re-signing: %.2f s; budget 1.3x a plain read and write pass:\n", a
		printf "  %.2fx reading both zones -P reads and writing one (zcanon of both in one file)\n", a / d
		printf "  %.2fx reading and writing the edited zone alone\n", a / b
		printf "  %.2fx reading and writing each zone apart\n", a / (b + c) }'
	awk -v m="$(largest "$w/zresign.rss")" -v rec="$in_records" 'BEGIN {
		printf "memory: %.1f bytes of peak RSS per input record (budget: 100)\n",
		    m * 1024 / rec }'
} | tee "$out/zresign.txt"
