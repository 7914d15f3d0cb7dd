#!/usr/bin/env bats
# zadd-bero-ns -D: the delegation request (NS, glue, DS) for the zone as
# edited, steps 3, 7 and 11; and the driver's delegation, which is it.
load helper

E=$DATA/examples

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "zadd-bero-ns -D: step 3's request: both operators' NS, in-zone glue only, the DS set" {
	runs zadd-bero-ns -D "$E/ds-ab.ds" -n "$E/nic-b.ns" "$E/example.zone"
	assert_success
	assert_equal "$stderr" ""
	assert_output - <<'EOF2'
example.	3600	IN	NS	ns1.nic-a.example.
example.	3600	IN	NS	ns1.nic-b.example.
example.	3600	IN	NS	ns2.nic-a.example.
example.	3600	IN	NS	ns2.nic-b.net.
example.	3600	IN	DS	5021 13 2 4943e1fe83038856bd4194ebc31dd5e11247302307afce4ef9377ac23dccd4eb
example.	3600	IN	DS	62651 13 2 6bc3d1b7906be04635126534798315ca0bded10a9be940bec4a0cb7c09710eed
ns1.nic-a.example.	3600	IN	A	192.0.2.1
ns1.nic-a.example.	3600	IN	AAAA	2001:db8::1
ns2.nic-a.example.	3600	IN	A	192.0.2.2
ns1.nic-b.example.	3600	IN	A	203.0.113.1
ns1.nic-b.example.	3600	IN	AAAA	2001:db8:b::1
EOF2
	# IANA's offline rules take it as it is (lab addresses).
	zadd-bero-ns -D "$E/ds-ab.ds" -n "$E/nic-b.ns" "$E/example.zone" > req
	runs zcheck-servers -O -L -n req example. ns2.nic-b.net=192.0.2.53
	assert_success
}

@test "zadd-bero-ns -D: without -n the zone's own delegation; signatures and delegations left out" {
	runs zadd-bero-ns -D "$E/ds-a.ds" "$E/example.signed"
	assert_success
	refute_output --regexp $'\t(RRSIG|NSEC3|SOA|DNSKEY)\t'
	refute_output --partial 'alpha.example.'
	assert_equal "${#lines[@]}" 6
	# Step 7 from a zone with both sets: -r -K, A's glue out of the request.
	zadd-bero-ns -n "$E/nic-b.ns" "$E/example.zone" > both.zone
	runs zadd-bero-ns -K -r -D "$E/ds-ab.ds" -n "$E/a.ns" -o step7.request both.zone
	assert_success
	refute_output
	run grep -c nic-a step7.request
	assert_output 0
}

@test "zadd-bero-ns -D: a DS set with other records, another owner or none is refused, nothing written" {
	runs zadd-bero-ns -D "$E/a.ns" "$E/example.zone"
	assert_trouble zadd-bero-ns 'a.ns:2: not a DS record of example.$'
	printf 'other. IN DS 5021 13 2 4943E1FE83038856BD4194EBC31DD5E11247302307AFCE4EF9377AC23DCCD4EB\n' > other.ds
	runs zadd-bero-ns -D other.ds "$E/example.zone"
	assert_trouble zadd-bero-ns 'not a DS record of example.'
	: > empty.ds
	runs zadd-bero-ns -D empty.ds "$E/example.zone"
	assert_trouble zadd-bero-ns 'empty.ds: no DS record: the delegation would be insecure'
	runs zadd-bero-ns -D - -n - "$E/example.zone" < /dev/null
	assert_trouble zadd-bero-ns 'the DS set and the zone or the fragment cannot both be standard input'
	usage_is_synopsis zadd-bero-ns -r -D "$E/ds-a.ds" "$E/example.zone"
}

@test "driver: delegation is zadd-bero-ns -D with the root's TTLs" {
	runs env BERO_SHARE="$TOP/scripts" bash -c '. "$BERO_SHARE/lib.sh"
	    TLD=example. STEP=x TTL_NS_P=172800 TTL_GLUE_P=86400 TTL_DS_P=3600
	    delegation "$1" "$2"' x "$E/example.zone" "$E/ds-a.ds"
	assert_success
	assert_output - <<'EOF2'
example.	172800	IN	NS	ns1.nic-a.example.
example.	172800	IN	NS	ns2.nic-a.example.
example.	3600	IN	DS	5021 13 2 4943e1fe83038856bd4194ebc31dd5e11247302307afce4ef9377ac23dccd4eb
ns1.nic-a.example.	86400	IN	A	192.0.2.1
ns1.nic-a.example.	86400	IN	AAAA	2001:db8::1
ns2.nic-a.example.	86400	IN	A	192.0.2.2
EOF2
}
