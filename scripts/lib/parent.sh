# lib/parent.sh: the parent's side: the registry's requests (NS, glue,
# DS) and the test root that applies them.
#
# Sourced by lib.sh, never run alone.

# The NS names a request or a root zone gives the TLD.
request_ns() {
	awk -F '\t' -v o="$TLD" '$1 == o && $4 == "NS" { print tolower($5) }' "$1" | sort
}

# The test root without its delegations: the SOA, the root's NS RRset and
# the addresses of its hosts.
root_zone() {
	local h a first=
	for h in $(lower "$ROOT_NS"); do
		[ -n "$first" ] || first=$h
	done
	printf '.\t86400\tIN\tSOA\t%s nstld.root-servers.test. %s 1800 900 604800 86400\n' \
	    "$first" "$1"
	for h in $(lower "$ROOT_NS"); do
		printf '.\t518400\tIN\tNS\t%s\n' "$h"
		for a in $(addrs_of "$h"); do
			printf '%s\t518400\tIN\t%s\t%s\n' "$h" \
			    "$(case $a in *:*) echo AAAA;; *) echo A;; esac)" "$a"
		done
	done
}

# The TLD's delegation as the root holds it, or as the registry asks for
# it, for the apex NS RRset of a zone (ZONE DSFILE): zadd-bero-ns -D
# writes the NS records, the A and AAAA glue of the hosts in the TLD and
# the DS records of the file (zadd-bero-ns(1)); the TTLs are then the
# root's (TTL_NS_P, TTL_GLUE_P, TTL_DS_P).
delegation() {
	zadd-bero-ns -D "$2" -z "$TLD" "$1" |
	    awk -F '\t' -v OFS='\t' -v ns="$TTL_NS_P" -v glue="$TTL_GLUE_P" \
	    -v ds="$TTL_DS_P" '{ $2 = $4 == "NS" ? ns : $4 == "DS" ? ds : glue
	    print }'
}

# Apply a delegation (standard input) to a root zone: every record at or
# below the TLD goes, signatures and NSEC records there too, and the
# delegation given takes its place.  The result is in canonical form.
root_apply() {
	{
		awk -F '\t' -v tld="$TLD" '$1 != tld &&
		    substr($1, length($1) - length(tld)) != "." tld' "$1"
		cat
	} | zcanon -z .
}

# The TLD's DS records in a root zone: the DS set the root publishes.
root_ds() {
	awk -F '\t' -v tld="$TLD" '$1 == tld && $4 == "DS"' "$1"
}

# The zone of each party one of whose hosts an NS set (a request, a
# root zone) names: the servers IANA tests.
listed_zones() {
	local ns
	need "$1"
	ns=$(request_ns "$1") || return 1
	printf '%s\n' "$ns" | grep -qxF -f <(lower "$NS_A" | tr ' ' '\n' | grep .) &&
	    current a
	printf '%s\n' "$ns" | grep -qxF -f <(lower "$NS_B" | tr ' ' '\n' | grep .) &&
	    current b
	return 0
}
