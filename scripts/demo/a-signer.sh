# scripts/demo/a-signer.sh: operator A's own signer in make demo, as an
# incumbent operator runs it before and during the migration: BIND's
# dnssec-keygen made A's keys long before (here: at the start of the
# demo), dnssec-signzone signs A's zone with them, and A adds B's keys
# and name servers to its zone its own way (records in the unsigned
# zone, signed again).  Nothing of berokit signs for A: A's berokit
# directory holds A's public keys only (A_SIGNER=external), and A's
# private keys never leave A_SIGNER_DIR (demo-out/a-signer), which is
# not a berokit directory.
#
# Sourced by scripts/demo.sh, which sets DEMO_TLD, DEMO_TTL and say_as.

# asig_init DIR N ADDRS: A's keys (a KSK and a ZSK, ECDSA P-256, their
# DNSKEY TTL DEMO_TTL) in DIR/keys and their public halves in
# DIR/public; A's zone (the sample TLD of N delegations, every TTL and
# the negative TTL DEMO_TTL, the addresses of NS_A's hosts ADDRS) in
# DIR/zone.unsigned.
asig_init() {
	local d=$1 n=$2 addrs=$3
	mkdir -p "$d/keys" "$d/public" || return 1
	say_as A "dnssec-keygen -K keys -a ECDSAP256SHA256 -L $DEMO_TTL -f KSK $DEMO_TLD"
	dnssec-keygen -q -K "$d/keys" -a ECDSAP256SHA256 -L "$DEMO_TTL" \
	    -f KSK "$DEMO_TLD" > /dev/null || return 1
	say_as A "dnssec-keygen -K keys -a ECDSAP256SHA256 -L $DEMO_TTL $DEMO_TLD"
	dnssec-keygen -q -K "$d/keys" -a ECDSAP256SHA256 -L "$DEMO_TTL" \
	    "$DEMO_TLD" > /dev/null || return 1
	cp "$d"/keys/*.key "$d/public/" || return 1
	awk -f "$DEMO_TOP/scripts/gentld.awk" -v tld="$DEMO_TLD" -v n="$n" \
	    -v serial="$(date -u +%Y%m%d)00" -v ttl_zone="$DEMO_TTL" \
	    -v ttl_ns="$DEMO_TTL" -v "ns=ns1.nic-a.$DEMO_TLD ns2.nic-a.$DEMO_TLD" \
	    -v "addrs=$addrs" < /dev/null |
	    awk -F '\t' -v OFS='\t' -v neg="$DEMO_TTL" '$4 == "SOA" {
		n = split($5, f, " "); f[n] = neg; $5 = f[1]
		for (i = 2; i <= n; i++) $5 = $5 " " f[i] } { print }' \
	    > "$d/zone.unsigned"
}

# asig_sign DIR IN OUT: dnssec-signzone over IN with A's keys: NSEC3
# with opt-out, no salt, no extra iterations (RFC 9276), signatures
# valid from an hour ago for 30 days.
asig_sign() {
	local d=$1 s e
	s=$(date -u -d "@$(($(date +%s) - 3600))" +%Y%m%d%H%M%S) &&
	    e=$(date -u -d "@$(($(date +%s) + 30 * 86400))" +%Y%m%d%H%M%S) ||
	    return 1
	say_as A "dnssec-signzone -K keys -S -3 - -A -H 0 -s $s -e $e -o $DEMO_TLD -f ${3##*/} ${2##*/}"
	dnssec-signzone -q -d "$d" -K "$d/keys" -S -3 - -A -H 0 -s "$s" -e "$e" \
	    -o "$DEMO_TLD" -f "$3" "$2" > /dev/null 2> "$d/signzone.err" || {
		cat "$d/signzone.err" >&2
		return 1
	}
}

# asig_edit DIR STEP BUNDLE [NSFILE]: A's zone of a step, unsigned: the
# serial one up from the last, B's public keys of BUNDLE added as DNSKEY
# records, and NSFILE's records (NS_B and its addresses) when given.
asig_edit() {
	local d=$1 s=$2 b=$3 last
	last=$(cat "$d/last" 2> /dev/null) || last=$d/zone.unsigned
	{
		awk -F '\t' -v OFS='\t' '$4 == "SOA" { n = split($5, f, " ")
		    f[3] = f[3] + 1; $5 = f[1]; for (i = 2; i <= n; i++) $5 = $5 " " f[i] }
		    { print }' "$last"
		grep -vh '^;' "$b"/K*.key | grep -v '^$'
		[ -z "${4:-}" ] || cat "$4"
	} | awk '!seen[$0]++' > "$d/zone-$s.unsigned" || return 1
	printf '%s\n' "$d/zone-$s.unsigned" > "$d/last"
}

# asig_six DIR BZONE BUNDLE: A's zone of step 6, unsigned: B's data of
# its step 6 (BZONE, as B handed it over) stripped of DNSSEC, with B's
# serial and apex NS (NS_B alone), and B's public keys of BUNDLE added.
asig_six() {
	local d=$1
	{
		zcanon -U -z "$DEMO_TLD" "$2"
		grep -vh '^;' "$3"/K*.key | grep -v '^$'
	} > "$d/zone-6.unsigned" || return 1
	printf '%s\n' "$d/zone-6.unsigned" > "$d/last"
}
