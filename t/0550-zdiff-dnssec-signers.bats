#!/usr/bin/env bats
# zdiff-dnssec on the same data signed twice, by the peer signers, run
# now: only the signatures may differ.  (berokit's own signer, zresign,
# does not exist yet; it belongs here when it does.)
load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA"/examples/K* .
	cat "$DATA/examples/example.zone" Kexample.+013+05021.key \
	    Kexample.+013+40244.key > in.zone
}

need() {
	command -v "$1" > /dev/null || skip "$1 not installed"
}

# bind OUT INCEPTION EXPIRATION [options]
bind() {
	local out=$1 s=$2 e=$3
	shift 3
	dnssec-signzone -P -Q -K . -o example. -s "$s" -e "$e" "$@" -f "$out" \
	    -k Kexample.+013+05021 in.zone Kexample.+013+40244 > /dev/null
}

# ldns OUT INCEPTION EXPIRATION [options] KEY...
ldns() {
	local out=$1 s=$2 e=$3
	shift 3
	ldns-signzone -o example. -i "$s" -e "$e" -f "$out" "$@"
}

# Only the signatures differ: exit 0 without them, 1 with them, and
# every signature of the first is refreshed in the second.
only_signatures() {
	runs zdiff-dnssec -g data,apex,denial "$1" "$2"
	assert_success
	assert_output --partial "data: no differences"
	assert_output --partial "apex: no differences"
	runs zdiff-dnssec -b "$1" "$2"
	assert_equal "$status" 1
	assert_line --index 3 --regexp "^signatures: 0 made, 0 removed, 0 kept, $3 refreshed, by 2 keys$"
}

@test "zdiff-dnssec: dnssec-signzone twice, other times, NSEC" {
	need dnssec-signzone
	bind one.zone 20261101000000 20270301000000
	bind two.zone 20261102000000 20270302000000
	only_signatures one.zone two.zone 10
	runs zdiff-dnssec -g signatures one.zone two.zone
	assert_line --index 1 "  key 5021/13 KSK: 0 made, 0 removed, 0 kept, 1 refreshed; expiring 20270302000000, old ones expiring 20270301000000"
}

@test "zdiff-dnssec: dnssec-signzone twice, other times, NSEC3 opt-out" {
	need dnssec-signzone
	bind one.zone 20261101000000 20270301000000 -3 - -H 0 -A
	bind two.zone 20261102000000 20270302000000 -3 - -H 0 -A
	only_signatures one.zone two.zone 8
	assert_line --index 2 "denial: no differences (NSEC3 1 0 0 - opt-out, 2 records)"
}

@test "zdiff-dnssec: ldns-signzone twice, other times, keys from ldns-keygen" {
	need ldns-signzone
	need ldns-keygen
	local ksk zsk
	grep -v DNSKEY in.zone > plain.zone
	ksk=$(ldns-keygen -a ECDSAP256SHA256 -k example.)
	zsk=$(ldns-keygen -a ECDSAP256SHA256 example.)
	ldns-signzone -o example. -i 20261101000000 -e 20270301000000 \
	    -f one.zone plain.zone "$ksk" "$zsk"
	ldns-signzone -o example. -i 20261102000000 -e 20270302000000 \
	    -f two.zone plain.zone "$ksk" "$zsk"
	only_signatures one.zone two.zone 9
	ldns-signzone -n -s '' -t 0 -o example. -i 20261101000000 \
	    -e 20270301000000 -f three.zone plain.zone "$ksk" "$zsk"
	ldns-signzone -n -s '' -t 0 -o example. -i 20261102000000 \
	    -e 20270302000000 -f four.zone plain.zone "$ksk" "$zsk"
	only_signatures three.zone four.zone 10
}

@test "zdiff-dnssec: dnssec-signzone against ldns-signzone, same keys, NSEC: same NSEC chain" {
	need dnssec-signzone
	need ldns-signzone
	bind bind.zone 20261101000000 20270301000000
	ldns-signzone -o example. -i 20261101000000 -e 20270301000000 \
	    -f ldns.zone in.zone Kexample.+013+05021 Kexample.+013+40244
	runs zdiff-dnssec -g data,apex,denial bind.zone ldns.zone
	assert_success
	assert_line --index 2 "denial: no differences (NSEC, 5 records)"
	# BIND also signs the DNSKEY RRset with the ZSK; ldns does not.
	runs zdiff-dnssec -g signatures bind.zone ldns.zone
	assert_equal "$status" 1
	assert_line --index 0 "signatures: 0 made, 1 removed, 0 kept, 9 refreshed, by 2 keys"
}

@test "zdiff-dnssec: dnssec-signzone against ldns-signzone, NSEC3 1 0 0 -: same hashes" {
	need dnssec-signzone
	need ldns-signzone
	bind bind.zone 20261101000000 20270301000000 -3 - -H 0
	ldns-signzone -n -s '' -t 0 -o example. -i 20261101000000 \
	    -e 20270301000000 -f ldns.zone in.zone Kexample.+013+05021 \
	    Kexample.+013+40244
	runs zdiff-dnssec -g data,apex bind.zone ldns.zone
	assert_success
	# The NSEC3 records are the same; the signers differ only in the
	# TTL they give NSEC3PARAM (BIND: 0).
	runs zdiff-dnssec -g denial bind.zone ldns.zone
	assert_equal "$status" 1
	assert_output "denial: NSEC3 1 0 0 -: 0 added, 0 removed, 0 changed, 5 kept, 0 with a new TTL
  NSEC3PARAM TTL 0 -> 3600"
	# With opt-out, ldns keeps the NSEC3 records of insecure delegations
	# and sets the flag; BIND leaves them out.
	bind bindo.zone 20261101000000 20270301000000 -3 - -H 0 -A
	ldns-signzone -n -p -s '' -t 0 -o example. -i 20261101000000 \
	    -e 20270301000000 -f ldnso.zone in.zone Kexample.+013+05021 \
	    Kexample.+013+40244
	runs zdiff-dnssec -g denial bindo.zone ldnso.zone
	assert_equal "$status" 1
	assert_line --index 0 "denial: NSEC3 1 0 0 - opt-out: 3 added, 0 removed, 1 changed, 1 kept, 0 with a new TTL"
}
