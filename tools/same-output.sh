#!/bin/sh
# Every tool's output on the test data, from two builds, compared: the
# proof that a change meant to change no behaviour (issue 15's split of
# the large files) changed none.  Each case runs once per build in a
# scratch copy of t/data; its standard output, standard error (the
# scratch directory's name replaced by DIR) and exit status are kept in
# a directory per build, and the two directories must be identical.
#
# usage: sh tools/same-output.sh bindir-a bindir-b
#
# The cases: zcanon (four option sets) on every zone-like file of
# t/data; zcheck-chain on every zone, with and without the examples' DS
# set; zresign with every key pair of t/data/zresign/keys by algorithm,
# NSEC, NSEC3 and opt-out, re-signing with -P, every serial policy, a
# zone of bench/gentld's when it is built next to bindir-a (threads);
# zdiff-dnssec on every pair of t/data/zdiff-dnssec zones, four option
# sets; ds-from-dnskey, zadd-bero-ns, zmerge-dnskey and zcheck-servers
# -O on their data.  Times are fixed (-t), so the outputs reproduce.
# Exit 0 same, 1 different, 2 trouble.
set -u

prog=same-output.sh
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 2; }

[ $# -eq 2 ] || { printf 'usage: %s bindir-a bindir-b\n' "$prog" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
a=$(cd "$1" && pwd) || die "$1: no such directory"
b=$(cd "$2" && pwd) || die "$2: no such directory"
for p in zcanon zadd-bero-ns zmerge-dnskey ds-from-dnskey zdiff-dnssec \
    zcheck-chain zresign zcheck-servers; do
	[ -x "$a/$p" ] || die "$a/$p: not built"
	[ -x "$b/$p" ] || die "$b/$p: not built"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

T=20261201000000
TIMES="-t $T -i 20261201000000 -e 20270101000000"

# The cases, one a line: a command line run by sh in the scratch copy,
# with $BIN/ before each tool.
cases() {
	d=t/data
	zones=$(cd "$w" && ls $d/*/*.zone $d/*/*.signed $d/*/*.ns $d/*/*.frag \
	    $d/*/*.key $d/*/*.ds root.zone uri.arpa.zone gen.zone 2>/dev/null)
	for f in $zones; do
		for o in "" -U -F -i; do
			echo "\$BIN/zcanon $o $f"
		done
		echo "\$BIN/zcanon -z example. - < $f"
	done
	for f in $(cd "$w" && ls $d/*/*.zone $d/*/*.signed uri.arpa.zone); do
		echo "\$BIN/zcheck-chain -t $T -v $f"
		echo "\$BIN/zcheck-chain -t $T -j $f"
		echo "\$BIN/zcheck-chain -t $T -G -D $d/examples/ds-ab.ds $f"
		echo "\$BIN/zcheck-chain -t $T -q -u -D $d/examples/ds-a.ds $f"
	done
	echo "\$BIN/zcheck-chain -t $T -v -h $d/examples/a-2a.signed $d/examples/b-2a.signed"
	echo "\$BIN/zcheck-chain -t $T -v -D $d/examples/ds-ab.ds $d/examples/a-2a.signed $d/examples/b-2a.signed"
	echo "\$BIN/zcheck-chain -t $T -v -T 1 -w 30d -l 1232 $d/examples/example.signed"
	K=$d/zresign/keys
	for alg in 008+07997:008+48945 013+01539:013+40339 \
	    014+36352:014+22316 015+37913:015+10418 016+48979:016+49625; do
		k="-k $K/Kexample.+${alg%%:*} -k $K/Kexample.+${alg##*:}"
		for m in "" -n -A "-n -H 5 -S abcd" -N -M; do
			echo "\$BIN/zresign $m $TIMES $k $d/zresign/full.zone"
		done
		echo "\$BIN/zresign -v -T 2 -R 7 -J 3600 $TIMES $k $d/zresign/full.zone"
		echo "\$BIN/zresign $TIMES $k -P $d/zresign/full.out $d/zresign/full.zone"
	done
	k="-k $K/Kexample.+015+37913 -k $K/Kexample.+015+10418"
	for s in keep increment date unixtime; do
		echo "\$BIN/zresign -s $s $TIMES $k $d/zresign/full.zone"
	done
	echo "\$BIN/zresign $TIMES -k $K/Kexample.+005+33201 $d/zresign/full.zone"
	echo "\$BIN/zresign $TIMES $k -P $d/zresign/full-nsec3.out -3 $d/zresign/full.zone"
	echo "\$BIN/zresign -t $T -w 86400 $k $d/zresign/full-nsec.out"
	echo "\$BIN/zresign -A $TIMES $k - < $d/zresign/full.zone"
	E=$d/examples
	ek="-k $E/Kexample.+013+05021 -k $E/Kexample.+013+40244"
	echo "\$BIN/zresign $TIMES $ek $E/example.zone"
	echo "\$BIN/zresign $TIMES $ek -P $E/example.signed $E/example.zone"
	echo "\$BIN/zresign $TIMES $ek -X $E/example.signed"
	echo "\$BIN/zresign $TIMES $ek -m -c all $E/example.zone"
	echo "\$BIN/zresign $TIMES $ek -W $E/example.zone"
	if [ -s "$w/gen.zone" ]; then
		for m in "" -n -A; do
			echo "\$BIN/zresign $m -T 2 $TIMES $k -z tld. gen.zone > gen$m.signed; cat gen$m.signed"
			echo "\$BIN/zcheck-chain -t $T -v -T 2 gen$m.signed"
		done
		echo "\$BIN/zdiff-dnssec gen.zone gen-A.signed"
	fi
	z=$d/zdiff-dnssec
	for x in $(cd "$w" && ls $z/*.zone); do
		for y in $(cd "$w" && ls $z/*.zone); do
			for o in "" -j -s -b "-D -g data,apex"; do
				echo "\$BIN/zdiff-dnssec $o $x $y"
			done
		done
	done
	echo "\$BIN/zdiff-dnssec -S $E/a-2a.signed $E/b-2a.signed"
	echo "\$BIN/zdiff-dnssec -j -F signatures $E/example.zone $E/example.signed"
	for f in $(cd "$w" && ls $d/ds-from-dnskey/*.zone $d/*/*.key $E/*.key); do
		for o in "" -2 -a -C "-1 -4 -v" -q; do
			echo "\$BIN/ds-from-dnskey $o $f"
		done
	done
	for f in $(cd "$w" && ls $d/zadd-bero-ns/*.ns $d/zcheck-servers/*.ns $E/*.ns); do
		for zf in $d/zadd-bero-ns/one-ns.zone $d/zadd-bero-ns/signed.zone \
		    $d/zadd-bero-ns/signed-2b.zone $E/example.zone; do
			echo "\$BIN/zadd-bero-ns -n $f $zf"
			echo "\$BIN/zadd-bero-ns -K -D $E/ds-ab.ds -n $f $zf"
			echo "\$BIN/zadd-bero-ns -r -n $f $zf"
		done
		echo "\$BIN/zcheck-servers -O -L -v -n $f example."
		echo "\$BIN/zcheck-servers -O -L -j -D $E/ds-ab.ds -n $f example."
	done
	echo "\$BIN/zadd-bero-ns -D $E/ds-ab.ds $E/example.zone"
	m=$d/zmerge-dnskey
	for f in $(cd "$w" && ls $m/*.key $m/*.frag $E/*.frag); do
		for zf in $m/a.zone $m/b.zone $m/a-2a.zone; do
			echo "\$BIN/zmerge-dnskey -k $f $zf"
			echo "\$BIN/zmerge-dnskey -a -f $f $zf"
			echo "\$BIN/zmerge-dnskey -F -k $f $zf"
		done
	done
	echo "\$BIN/zmerge-dnskey -r -K 5021/13 $E/example.signed"
}

# run DIR BIN: every case with the tools of BIN, results in DIR.
run() {
	out=$1 BIN=$2 n=0
	export BIN
	mkdir -p "$out"
	while IFS= read -r c; do
		n=$((n + 1))
		(cd "$w" && sh -c "$c" > "$out/$n.out" 2> "$out/$n.err" \
		    < /dev/null; echo "$? $c" > "$out/$n.status")
		sed -i "s|$w|DIR|g; s|$BIN|BIN|g" "$out/$n.err" "$out/$n.out"
	done < "$tmp/cases"
}

w=$tmp/w
mkdir -p "$w" && cp -R "$top/t" "$w/" || exit 2
xz -dc "$top/t/data/realzones/root-2017082100/root.zone.xz" > "$w/root.zone" ||
    die "root zone: cannot unpack"
u=$(ls "$top"/t/data/realzones/uri.arpa-*/*.zone* 2>/dev/null | head -n 1)
case $u in
*.xz)	xz -dc "$u" > "$w/uri.arpa.zone" ;;
?*)	cp "$u" "$w/uri.arpa.zone" ;;
esac
g=$a/../bench/gentld
[ -x "$g" ] && "$g" -n 3000 -s 1 -z tld > "$w/gen.zone"
cases > "$tmp/cases"
run "$tmp/a" "$a"
run "$tmp/b" "$b"
n=$(wc -l < "$tmp/cases")
st=$(cat "$tmp"/a/*.status | cut -d' ' -f1 | sort | uniq -c |
    awk '{ printf "%s%d exit %d", (NR > 1 ? ", " : ""), $1, $2 }')
if diff -r "$tmp/a" "$tmp/b" > "$tmp/diff"; then
	printf '%s: %d cases (%s), the same output\n' "$prog" "$n" "$st"
	exit 0
fi
head -n 50 "$tmp/diff"
printf '%s: %d cases, %d differ\n' "$prog" "$n" \
    "$(grep -c '^diff ' "$tmp/diff")"
exit 1
