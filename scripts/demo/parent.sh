# scripts/demo/parent.sh: the parent of make demo, a test root that
# stands for IANA's root zone.  It is unsigned (bero-migrate asks the
# parent what it serves, the TLD's NS, glue and DS, and validates the
# TLD from that DS set; no resolver runs in the demo), and it changes
# the TLD's delegation only when a request of the registry says so, as
# IANA does: the demo plays IANA with parent_publish.
#
# Sourced by scripts/demo.sh, which sets DEMO_TLD, DEMO_TTL, DEMO_NET.

# parent_zone DELEG OUT: the test root zone with the TLD's delegation
# given by DELEG (a fragment: the TLD's NS records, the glue of its
# hosts, its DS records, as a request of the registry gives them), every
# TTL DEMO_TTL, the serial SERIAL.
parent_zone() {
	{
		printf '.\t%s\tIN\tSOA\ta.root-servers.test. nstld.root-servers.test. %s 1800 900 604800 %s\n' \
		    "$DEMO_TTL" "${SERIAL:-1}" "$DEMO_TTL"
		printf '.\t%s\tIN\tNS\ta.root-servers.test.\n' "$DEMO_TTL"
		printf 'a.root-servers.test.\t%s\tIN\tA\t%s.1\n' "$DEMO_TTL" "$DEMO_NET"
		awk -F '\t' -v OFS='\t' -v t="$DEMO_TTL" \
		    '!/^;/ && NF >= 5 && ($4 == "NS" || $4 == "DS" || $4 == "A" || $4 == "AAAA") { $2 = t; print }' "$1"
	} | zcanon -z . > "$2"
}
