#!/bin/sh
# same-output.sh OLD_BIN NEW_BIN [WORKDIR]: every program of berokit run
# on the test data (t/data) with the programs of OLD_BIN and again with
# those of NEW_BIN: standard output, standard error (the directory of the
# programs taken out) and the exit status of each run must be the same,
# byte for byte.  For a change that must not change behaviour (issue 15:
# lib/wire.c, the splits).  Inputs are made once (broken copies of signed
# zones by sed), then read by both; times are fixed (-t).  Prints the
# number of runs and of differences, and each difference; exits 1 when
# there is one.  Runs only on the files of this repository; nothing is
# sent (zcheck-servers -O).
set -u
old=$1 new=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
w=${3:-$(mktemp -d)}
D=$top/t/data
EX=$D/examples
KR=$D/zresign/keys
mkdir -p "$w/in" "$w/old" "$w/new" || exit 2

# The inputs: zones as the tests have them, and broken copies.
xz -dc "$D/realzones/root-2017082100/root.zone.xz" > "$w/in/root.zone"
cp "$EX"/*.signed "$EX"/*.zone "$EX"/*.ns "$EX"/*.ds "$w/in/"
for f in "$D"/zresign/full-*.out; do
	cp "$f" "$w/in/$(basename "$f" .out).zone"
done
# Each signed zone broken five ways: a signature dropped, an NSEC or
# NSEC3 dropped, a signature's time and a serial changed, a key dropped.
for f in "$w"/in/full-*.zone "$w"/in/*.signed; do
	b=${f%.*}
	awk -F'\t' '$4 == "RRSIG" && ++n == 7 { next } { print }' "$f" \
	    > "$b-nosig.zone"
	awk -F'\t' '($4 == "NSEC" || $4 == "NSEC3") && ++n == 3 { next }
	    { print }' "$f" > "$b-nodenial.zone"
	sed '0,/\(\tRRSIG\t[A-Z0-9]* [0-9]* [0-9]* [0-9]* \)20[0-9]/s//\1201/' \
	    "$f" > "$b-sigtime.zone"
	awk -F'\t' '$4 == "SOA" { sub(/ [0-9]+ /, " 1 ") } { print }' "$f" \
	    > "$b-serial.zone"
	awk -F'\t' '$4 == "DNSKEY" && ++n == 1 { next } { print }' "$f" \
	    > "$b-nokey.zone"
done

n=0
# run NAME ARGS...: the program in both builds, in the inputs' directory.
run() {
	n=$((n + 1))
	for side in old new; do
		bin=$old
		[ $side = new ] && bin=$new
		(cd "$w/in" && "$bin/$@" > "$w/$side/$n.out" \
		    2> "$w/$side/$n.err" < /dev/null; echo "$?" \
		    > "$w/$side/$n.rc")
		sed -i "s|$bin/||g" "$w/$side/$n.err"
	done
	printf '%s\n' "$*" > "$w/old/$n.cmd"
}

T=20270101000000
for z in "$w"/in/*.zone "$w"/in/*.signed; do
	b=$(basename "$z")
	[ "$b" = root.zone ] && continue
	run zcanon "$b"
	run zcanon -U "$b"
	run zcheck-chain -t $T -v "$b"
	run zcheck-chain -t $T -j "$b"
	run zcheck-chain -t $T -D ds-a.ds "$b"
	run zdiff-dnssec example.signed "$b"
	run zdiff-dnssec -j "$b" a-2a.signed
done
run zcanon root.zone
run zcheck-chain -t 20170822000000 -D "$D/realzones/root-2017082100/root-anchors.ds" root.zone
run zcheck-chain -t 20181010000000 "$D/realzones/uri.arpa-2018100702/uri.arpa.zone"
run zdiff-dnssec -S a-2a.signed b-2a.signed
run zcheck-chain -t $T -h example.signed a-2a.signed b-2a.signed
run zcheck-chain -t $T -D ds-ab.ds a-2a.signed b-2a.signed
for s in "$D"/zdiff-dnssec/*.zone; do
	for t in a-0 a-2a b-2b b-10; do
		run zdiff-dnssec "$D/zdiff-dnssec/$t.zone" "$s"
		run zdiff-dnssec -b "$s" "$D/zdiff-dnssec/$t.zone"
	done
	run zcheck-chain -t 20261215000000 "$s"
done
for m in "" -n -A; do
	for z in example.zone full-nsec.zone full-nsec3-serial.zone \
	    example.signed; do
		run zresign $m -t 20261201000000 -i 20261201000000 \
		    -e 20270101000000 -k "$KR/Kexample.+015+37913" \
		    -k "$KR/Kexample.+015+10418" "$z"
		run zresign $m -t 20261215000000 -v -k "$EX/Kexample.+013+05021" \
		    -k "$EX/Kexample.+013+40244" "$z"
	done
done
run zresign -t 20261215000000 -k "$EX/Kexample.+013+05021" \
    -k "$EX/Kexample.+013+40244" -c zonemd example.zone
run zadd-bero-ns -n nic-b.ns example.zone
run zadd-bero-ns -D ds-ab.ds -n nic-b.ns example.signed
run zadd-bero-ns -r -n a.ns a-2a.signed
run zmerge-dnskey -f a-dnskey.frag b-2a.signed
run zmerge-dnskey -k "$EX/Kexample.+013+62651.key" -k \
    "$EX/Kexample.+013+48585.key" example.signed
run zmerge-dnskey -r -K 5021/13 a-2a.signed
for k in "$EX"/*.key "$KR"/*.key "$D"/zresign/vectors/*.key; do
	run ds-from-dnskey -a "$k"
	run ds-from-dnskey -C -1 -2 -4 "$k"
done
run ds-from-dnskey example.signed
# -O: the rules that need no answer; nothing is sent.
run zcheck-servers -O -L -v -n "$D/zcheck-servers/nic.ns" example.
run zcheck-servers -O -L -j -D ds-ab.ds -n "$D/zcheck-servers/nic.ns" example.
run zcheck-servers -O -L -v -n a-2a.signed example.

diffs=0
i=1
while [ $i -le $n ]; do
	for e in out err rc; do
		if ! cmp -s "$w/old/$i.$e" "$w/new/$i.$e"; then
			diffs=$((diffs + 1))
			printf 'differs (%s): %s\n' "$e" "$(cat "$w/old/$i.cmd")"
		fi
	done
	i=$((i + 1))
done
printf '%d runs, %d outputs differ; %d non-empty stdout, %d exits 0, %d exits 1, %d exits 2\n' \
    "$n" "$diffs" "$(find "$w/old" -name '*.out' -size +0 | wc -l)" \
    "$(grep -lx 0 "$w"/old/*.rc | wc -l)" "$(grep -lx 1 "$w"/old/*.rc | wc -l)" \
    "$(grep -lx 2 "$w"/old/*.rc | wc -l)"
[ -n "${3:-}" ] || rm -rf "$w"
[ $diffs -eq 0 ]
