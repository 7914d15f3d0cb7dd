# scripts/demo/parent.sh: the parent of make demo, a test root that
# stands for IANA's root zone, signed by keys of its own (the parent's:
# PARENT_DIR/keys/root, made by dnssec-keygen, signed by
# dnssec-signzone), so that a validating resolver may trust its key (the
# lab's, t/0850).  bero-migrate asks the parent what it serves (the
# TLD's NS, glue and DS) and validates the TLD from that DS set.  The
# parent changes the TLD's delegation only when a request of the
# registry says so, as IANA does: the demo plays IANA (parent_publish).
#
# Sourced by scripts/demo.sh, which sets DEMO_TLD, DEMO_TTL, DEMO_NET
# and PARENT_DIR (demo-out/root).

# parent_keys DIR: the root's KSK and ZSK in DIR/keys/root.
parent_keys() {
	mkdir -p "$1/keys/root" &&
	    dnssec-keygen -q -K "$1/keys/root" -a ECDSAP256SHA256 -L "$DEMO_TTL" \
	    -f KSK . > /dev/null &&
	    dnssec-keygen -q -K "$1/keys/root" -a ECDSAP256SHA256 -L "$DEMO_TTL" \
	    . > /dev/null
}

# parent_zone DELEG OUT: the test root zone with the TLD's delegation
# given by DELEG (a fragment: the TLD's NS records, the glue of its
# hosts, its DS records, as a request of the registry gives them), every
# TTL DEMO_TTL, the serial SERIAL, signed with the keys of PARENT_DIR
# (NSEC, signatures valid from an hour ago for 30 days).
parent_zone() {
	local s e
	s=$(date -u -d "@$(($(date +%s) - 3600))" +%Y%m%d%H%M%S) &&
	    e=$(date -u -d "@$(($(date +%s) + 30 * 86400))" +%Y%m%d%H%M%S) ||
	    return 1
	{
		printf '.\t%s\tIN\tSOA\ta.root-servers.test. nstld.root-servers.test. %s 1800 900 604800 %s\n' \
		    "$DEMO_TTL" "${SERIAL:-1}" "$DEMO_TTL"
		printf '.\t%s\tIN\tNS\ta.root-servers.test.\n' "$DEMO_TTL"
		printf 'a.root-servers.test.\t%s\tIN\tA\t%s.1\n' "$DEMO_TTL" "$DEMO_NET"
		awk -F '\t' -v OFS='\t' -v t="$DEMO_TTL" \
		    '!/^;/ && NF >= 5 && ($4 == "NS" || $4 == "DS" || $4 == "A" || $4 == "AAAA") { $2 = t; print }' "$1"
	} | zcanon -z . > "$PARENT_DIR/root.unsigned" || return 1
	dnssec-signzone -q -d "$PARENT_DIR" -K "$PARENT_DIR/keys/root" -S \
	    -s "$s" -e "$e" -o . -f "$PARENT_DIR/root.signed" \
	    "$PARENT_DIR/root.unsigned" > /dev/null 2> "$PARENT_DIR/signzone.err" || {
		cat "$PARENT_DIR/signzone.err" >&2
		return 1
	}
	zcanon -z . "$PARENT_DIR/root.signed" > "$2"
}
