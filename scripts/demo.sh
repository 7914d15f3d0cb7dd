#!/bin/sh
# The built-in example: operator A's sample TLD taken through the
# filters that exist, every stage in demo-out/ with its diff against the
# previous one.  Usage: sh scripts/demo.sh BINDIR
set -eu
bin=$(cd "${1:-build/bin}" && pwd)
PATH=$bin:$PATH
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/demo-out
rm -rf "$out"
mkdir -p "$out"
cp "$top"/t/data/examples/* "$out"/
cd "$out"

step() {
	printf '\n== %s\n$ %s\n' "$1" "$2"
	sh -c "$2"
}

step "stage 0: A's zone in canonical form" \
    "zcanon -o stage0.zone example.zone && wc -l < stage0.zone"
step "stage 2a: A merges B's KSK and ZSK into its DNSKEY RRset" \
    "zmerge-dnskey -k Kexample.+013+62651.key -k Kexample.+013+48585.key -o stage2a.zone stage0.zone && diff stage0.zone stage2a.zone || true"
step "stage 2b: A adds B's name servers and their glue at the apex" \
    "zadd-bero-ns -n nic-b.ns -o stage2b.zone stage2a.zone && diff stage2a.zone stage2b.zone || true"
step "stage 3: the DS records the registry asks IANA for" \
    "ds-from-dnskey stage2b.zone | tee ds-proposed.txt"
step "stage 6: A's name servers leave the apex" \
    "zadd-bero-ns -r -n a.ns -o stage6.zone stage2b.zone && diff stage2b.zone stage6.zone || true"
step "stage 10: A's keys leave the DNSKEY RRset" \
    "zmerge-dnskey -r -k Kexample.+013+05021.key -k Kexample.+013+40244.key -o stage10.zone stage6.zone && diff stage6.zone stage10.zone || true"
step "stage 11: the DS set that remains" \
    "ds-from-dnskey stage10.zone | tee ds-final.txt"
printf '\nThe stages are in %s\n' "$out"
