#!/bin/bash
# Step 0 (bero-migrate init): the starting point.  Operator A serves the
# TLD signed with its own keys, KSK_A and ZSK_A; the root (a test root,
# signed with its own keys) delegates the TLD to NS_A, with glue, and
# holds DS_A.  Operator B serves nothing yet.
#
# Run by bero-migrate in the state directory, after it wrote the config
# and made the keys.  BERO_ZONE names the TLD's zone file when it was
# given (-z); otherwise the sample TLD is made (BERO_SAMPLE_N
# delegations).
. "$BERO_SHARE/lib.sh"
state_load
# A party's own directory (ROLE=a, b, registry): lib/role.sh.
if [ "$ROLE" != all ]; then
	role_start
	exit 0
fi
DAY=$(date -u -d "@$NOW" +%Y%m%d) || die "step 0: NOW=$NOW: not a time"

# A's zone: the sample TLD, or the zone given without its DNSSEC
# records, signed by A (zresign adds the DNSKEYs of the keys it signs
# with).
if [ -n "${BERO_ZONE:-}" ]; then
	run zcanon -U -z "$TLD" "$BERO_ZONE" '|' set_operator A \
	    '>' a/step-0.unsigned
else
	run awk -f "$BERO_SHARE/gentld.awk" -v "tld=$TLD" -v "n=$BERO_SAMPLE_N" \
	    -v "serial=${DAY}00" -v "ttl_zone=$TTL_ZONE" -v "ttl_ns=$TTL_NS_C" \
	    -v "ns=$NS_A" -v "addrs=$(printf '%s ' $ADDRS)" '<' /dev/null \
	    '|' zcanon '|' set_operator A '>' a/step-0.unsigned
fi
signopts a
run zresign "${SIGNOPTS[@]}" -o a/step-0.zone a/step-0.unsigned

# The root: its SOA, NS and their addresses, the TLD's delegation to
# NS_A with the glue of the hosts in the TLD, and DS_A; signed by the
# root's keys.  root/anchor.ds is the trust anchor of the test root.
ksk a
run ds-from-dnskey -2 -L "$TTL_DS_P" "$KSK" '>' r/ds-a.txt
ksk root
run ds-from-dnskey -2 "$KSK" '>' root/anchor.ds
run root_zone "${DAY}00" '>' root/step-0.unsigned
run delegation a/step-0.zone r/ds-a.txt '|' root_apply root/step-0.unsigned \
    '>' root/step-0.in
signopts root
run zresign "${SIGNOPTS[@]}" -o root/step-0.zone root/step-0.in
run root_ds root/step-0.zone '>' root/step-0.ds

say "checks:"
NEW_A=a/step-0.zone NEW_ROOT=root/step-0.zone NEW_DS=root/step-0.ds
check_apex_ns_is "$NS_A" a/step-0.zone
check_glue a/step-0.zone
check_ds_served root/step-0.ds a/step-0.zone
check_digest_types root/step-0.ds
check_delegation root/step-0.zone
check_chain
verdict

publish a a/step-0.zone
publish root root/step-0.zone
publish ds root/step-0.ds
