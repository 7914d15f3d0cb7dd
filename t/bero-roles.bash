# Shared by the t/0750-bero-migrate-roles-*.bats files: the three
# parties' state directories of one migration (A, B, the registry), A
# starting from a zone BIND signed with keys made beforehand, and the
# scan that no directory holds a private key of another party.

# roles_a_zone DIR: in DIR, A's keys made by dnssec-keygen (akeys/: the
# pairs; apub/: their public halves) and the sample TLD of 20
# delegations signed by BIND's dnssec-signzone with them (a.signed):
# NSEC3 with opt-out, no salt, no extra iterations (RFC 9276), valid
# from 2026-11-01 to 2038 (any real date of a run, and T0).
roles_a_zone() {
	local d=$1
	mkdir -p "$d/akeys" "$d/apub" || return 1
	awk -f "$TOP/scripts/gentld.awk" -v tld=example. -v n=20 \
	    -v serial=2026120100 -v ttl_zone=86400 -v ttl_ns=86400 \
	    -v "ns=ns1.nic-a.example. ns2.nic-a.example." \
	    -v "addrs=ns1.nic-a.example.=192.0.2.1 ns1.nic-a.example.=2001:db8::1 ns2.nic-a.example.=192.0.2.2" \
	    < /dev/null | zcanon > "$d/a.unsigned" || return 1
	dnssec-keygen -q -K "$d/akeys" -a ECDSAP256SHA256 -L 3600 -f KSK \
	    example. > /dev/null &&
	    dnssec-keygen -q -K "$d/akeys" -a ECDSAP256SHA256 -L 3600 \
	    example. > /dev/null || return 1
	cp "$d"/akeys/*.key "$d/apub/" || return 1
	dnssec-signzone -q -K "$d/akeys" -S -3 - -A -H 0 -s 20261101000000 \
	    -e 20380101000000 -o example. -f "$d/a.signed" "$d/a.unsigned" \
	    > /dev/null
}

# roles_private_values FILE...: the private key material of BIND
# .private files (the PrivateKey: value, or every value of an RSA key),
# one a line.
roles_private_values() {
	awk -F ': ' '$1 ~ /^(PrivateKey|PrivateExponent|Prime1|Prime2)$/ { print $2 }' "$@"
}

# roles_scan DIR PARTY OWN OTHERS: fails, naming the file, when DIR (the
# state directory of PARTY) holds any DNSSEC private key but its own:
# a file with a private key's header outside keys/PARTY, or any value
# of OTHERS (a file of private values of the other parties' keys)
# anywhere in it, or a key of keys/PARTY whose private value is not one
# of OWN (a file: the party's own values).
roles_scan() {
	local dir=$1 party=$2 own=$3 others=$4 f v bad=0
	while IFS= read -r f; do
		case $f in
		"$dir/keys/$party/"*.private) ;;
		*) echo "$f: a private key outside keys/$party" >&2; bad=1; continue ;;
		esac
		for v in $(roles_private_values "$f"); do
			grep -qxF -- "$v" "$own" ||
			    { echo "$f: a private key not $party's" >&2; bad=1; }
		done
	done < <(grep -rlE 'Private-key-format|PrivateKey' "$dir")
	if [ -s "$others" ]; then
		while IFS= read -r f; do
			echo "$f: holds another party's private key" >&2
			bad=1
		done < <(grep -rlF -f "$others" "$dir")
	fi
	return "$bad"
}
