#!/bin/sh
# Makes the signed migration stages of t/data/examples/example.zone that
# the zdiff-dnssec tests compare: operator A's and operator B's zone at
# each step of PROCEDURE.md that changes zone data, built with berokit's
# filters and signed with dnssec-signzone (NSEC3 1 0 0 -, opt-out, as the
# procedure asks), which keeps a signature that is still valid for an
# RRset that did not change, as a re-signing signer does.  ECDSA
# signatures are random, so the files are made once and kept; the tests
# only read them.
#
# usage: BK_BIN=build/bin sh t/data/zdiff-dnssec/mkstages.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ex=$here/../examples
bin=$(cd "${BK_BIN:-build/bin}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$ex"/K* "$ex"/nic-b.ns "$tmp"
cd "$tmp"
printf 'example. 3600 IN NS ns1.nic-a.example.\nexample. 3600 IN NS %s\n' \
    ns2.nic-a.example. > nic-a.ns

KA=Kexample.+013+05021 ZA=Kexample.+013+40244
KB=Kexample.+013+62651 ZB=Kexample.+013+48585

# sign in out ksk zsk [-N increment]
sign() {
	dnssec-signzone -P -Q -K . -o example. -3 - -H 0 -A \
	    -s 20261101000000 -e 20270301000000 ${5:+-N $5} \
	    -f "$2.tmp" -k "$3" "$1" "$4" > /dev/null
	"$bin/zcanon" "$2.tmp" > "$2"
}

# Operator A before the change: A's zone signed with A's keys.
cat "$ex/example.zone" $KA.key $ZA.key > a0.in
sign a0.in a-0.zone $KA $ZA

# The same, with NSEC: the denial group's switch to NSEC3.
dnssec-signzone -P -Q -K . -o example. -s 20261101000000 \
    -e 20270301000000 -f nsec.tmp -k $KA a0.in $ZA > /dev/null
"$bin/zcanon" nsec.tmp > a-nsec.zone

# Step 1: B takes A's data, drops A's DNSSEC records, signs with B's keys.
awk -F '\t' '$4 !~ /^(RRSIG|NSEC3|NSEC3PARAM|DNSKEY)$/' a-0.zone > b1.in
cat $KB.key $ZB.key >> b1.in
sign b1.in b-1.zone $KB $ZB

# Step 2a: both publish the four keys, re-sign, and exchange their
# signatures over the shared DNSKEY RRset.
"$bin/zmerge-dnskey" -k $KB.key -k $ZB.key a-0.zone > a2a.in
sign a2a.in a2a.own $KA $ZA increment
"$bin/zmerge-dnskey" -k $KA.key -k $ZA.key b-1.zone > b2a.in
sign b2a.in b2a.own $KB $ZB increment
"$bin/zmerge-dnskey" -f b2a.own a2a.own > a-2a.zone
"$bin/zmerge-dnskey" -f a2a.own b2a.own > b-2a.zone

# Step 2b: both add B's name servers and their glue, re-sign, and
# exchange their DNSKEY signatures again: dnssec-signzone drops the
# signatures of keys whose private half it does not have.
"$bin/zadd-bero-ns" -n nic-b.ns a-2a.zone > a2b.in
sign a2b.in a2b.own $KA $ZA increment
"$bin/zadd-bero-ns" -n nic-b.ns b-2a.zone > b2b.in
sign b2b.in b2b.own $KB $ZB increment
"$bin/zmerge-dnskey" -f b2b.own a2b.own > a-2b.zone
"$bin/zmerge-dnskey" -f a2b.own b2b.own > b-2b.zone

# Step 6: B removes A's name servers, re-signs, and carries A's
# signatures over the DNSKEY RRset, which did not change, again.
"$bin/zadd-bero-ns" -r -n nic-a.ns b-2b.zone > b6.in
sign b6.in b6.own $KB $ZB increment
"$bin/zmerge-dnskey" -f a-2b.zone b6.own > b-6.zone

# Step 10: B removes A's keys and their signatures, re-signs.
"$bin/zmerge-dnskey" -r -K 5021/13 -K 40244/13 b-6.zone > b10.in
sign b10.in b-10.zone $KB $ZB increment

# Not a migration step: a registered domain's delegation changes (one NS
# more, a new DS, a new glue address), as must never happen during one.
awk -F '\t' -v OFS='\t' '
$1 == "alpha.example." && $4 == "DS" { $5 = "54321 13 2 " \
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }
$1 == "ns1.alpha.example." && $4 == "A" { $5 = "198.51.100.11" }
{ print }
$1 == "alpha.example." && $4 == "NS" && !done { print $1, $2, $3, "NS",
    "ns2.alpha.example."; print "ns2.alpha.example.", $2, $3, "A",
    "198.51.100.12"; done = 1 }' a-0.zone > deleg.in
sign deleg.in a-deleg.zone $KA $ZA increment

cp a-0.zone a-nsec.zone b-1.zone a-2a.zone b-2a.zone a-2b.zone b-2b.zone b-6.zone \
    b-10.zone a-deleg.zone "$here"
