#!/bin/bash
# Zones made by hand with BIND's dnssec-keygen and dnssec-signzone, not
# with berokit: the lab's own self-test (a root and operator A, as before
# the migration) and the negative control's stage, the draft's literal
# step 2 (draft-zhang-dnsop-tld-transition-00): both operators add B's
# name servers and B's keys at once, and each signs the shared DNSKEY
# RRset with its own KSK only, with no signature exchanged (RFC 6781
# section 4.3.5.1 is what it skips).
#
# hm_make DIR writes, in DIR:
#   root.zone    the test root: the TLD delegated to NS_A, DS = {DS_A}
#   a-0.zone     A's zone before the migration (keys KSK_A, ZSK_A)
#   a-draft.zone A's zone at the draft's step 2
#   b-draft.zone B's zone at the draft's step 2
# with NSEC3 1 0 0 - and opt-out (RFC 9276, RFC 5155 section 6) as the
# procedure asks, ECDSA P-256 keys, signatures valid from an hour ago for
# a day.  Needs lab.sh's LAB_* addresses and LAB_TLD.

HM_ALG=ECDSAP256SHA256

hm_key() {
	dnssec-keygen -q -a "$HM_ALG" ${3:+-f "$3"} -K "$1" "$2"
}

# hm_sign KEYDIR IN OUT ORIGIN KSK ZSK [options]: sign with exactly the
# two keys whose private halves are in KEYDIR; other DNSKEYs in IN stay
# published, unsigned by their owner.
hm_sign() {
	local dir=$1 in=$2 out=$3 origin=$4 ksk=$5 zsk=$6
	shift 6
	dnssec-signzone -q -P -K "$dir" -o "$origin" -O full \
	    -s now-3600 -e now+86400 "$@" -f "$out" \
	    -k "$ksk" "$in" "$zsk" > /dev/null
}

# NS records and glue of one operator.
hm_ns() {
	local op=$1 addrs=$2 i=0 a
	for a in $addrs; do
		i=$((i + 1))
		printf '%s 10 IN NS ns%d.nic-%s.%s\n' "$LAB_TLD" "$i" "$op" \
		    "$LAB_TLD"
		printf 'ns%d.nic-%s.%s 10 IN A %s\n' "$i" "$op" "$LAB_TLD" "$a"
	done
}

hm_tld() {
	local op=$1 serial=$2
	sed "s/2026112801/$serial/" "$HM_ZONE"
	printf '_operator.%s 10 IN TXT "%s"\n' "$LAB_TLD" \
	    "$(echo "$op" | tr a-z A-Z)"
}

hm_make() {
	local d=$1 top ka za kb zb kr zr
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	HM_ZONE=${HM_ZONE:-$top/example.zone}
	mkdir -p "$d/keys-root" "$d/keys-a" "$d/keys-b" || return 1
	kr=$(hm_key "$d/keys-root" . KSK) && zr=$(hm_key "$d/keys-root" .) &&
	ka=$(hm_key "$d/keys-a" "$LAB_TLD" KSK) &&
	za=$(hm_key "$d/keys-a" "$LAB_TLD") &&
	kb=$(hm_key "$d/keys-b" "$LAB_TLD" KSK) &&
	zb=$(hm_key "$d/keys-b" "$LAB_TLD") || return 1

	# Before the migration: A alone.
	{ hm_tld a 2026112801; cat "$d/keys-a/$ka.key" "$d/keys-a/$za.key"; } \
	    > "$d/a-0.in"
	hm_sign "$d/keys-a" "$d/a-0.in" "$d/a-0.zone" "$LAB_TLD" "$ka" "$za" \
	    -3 - -H 0 -A || return 1

	# The root: NS_A with glue, DS_A (RFC 4034 section 5).
	{
		printf '. 10 IN SOA a.root-servers.lab. hostmaster.lab. '
		printf '2026112801 10 10 600 10\n'
		printf '. 10 IN NS a.root-servers.lab.\n'
		printf 'a.root-servers.lab. 10 IN A %s\n' "$LAB_ROOT_ADDR"
		hm_ns a "$LAB_A_ADDRS"
		dnssec-dsfromkey -2 -T 10 "$d/keys-a/$ka.key"
		cat "$d/keys-root/$kr.key" "$d/keys-root/$zr.key"
	} > "$d/root.in"
	hm_sign "$d/keys-root" "$d/root.in" "$d/root.zone" . "$kr" "$zr" ||
	    return 1

	# The draft's step 2: NS = NS_A + NS_B and the four keys at both
	# operators, each DNSKEY RRset signed by its own KSK alone.
	{
		hm_tld a 2026112802
		hm_ns b "$LAB_B_ADDRS"
		cat "$d"/keys-a/*.key "$d"/keys-b/*.key
	} > "$d/a-draft.in"
	hm_sign "$d/keys-a" "$d/a-draft.in" "$d/a-draft.zone" "$LAB_TLD" \
	    "$ka" "$za" -3 - -H 0 -A || return 1
	sed 's/^\(_operator\..*TXT\).*/\1 "B"/' "$d/a-draft.in" > "$d/b-draft.in"
	hm_sign "$d/keys-b" "$d/b-draft.in" "$d/b-draft.zone" "$LAB_TLD" \
	    "$kb" "$zb" -3 - -H 0 -A || return 1
	printf 'ksk_a %s\nzsk_a %s\nksk_b %s\nzsk_b %s\n' "$ka" "$za" "$kb" \
	    "$zb" > "$d/keys.txt"
}
