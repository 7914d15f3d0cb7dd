# lib/zone.sh: reading and editing zone data in the pipelines: the apex,
# serials (RFC 1982), the unsigned data, a zone's DNSSEC records
# dropped, the operator's mark, DNSKEY fragments and the NS fragments.
#
# Sourced by lib.sh, never run alone.

# The records of an RRset at the apex, "TTL<tab>RDATA" a line, sorted.
# The apex comes first in a zone in canonical order (RFC 4034 section
# 6.1): the reading stops after it.
apex_rrset() {
	awk -F '\t' -v o="$TLD" -v t="$2" '
	    $1 == o { seen = 1; if ($4 == t) print $2 "\t" $5; next }
	    seen { exit }' "$1" | sort
}

# The SOA serial; fails when the zone cannot be read or has none.
serial() {
	awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3]; s = 1; exit }
	    END { exit !s }' "$1"
}

# S: the serial after the larger of those of two zones (RFC 1982).
next_serial() {
	local s1 s2
	s1=$(serial "$1") && is_num "$s1" || die "step $STEP: $1: no SOA serial"
	s2=$(serial "$2") && is_num "$s2" || die "step $STEP: $2: no SOA serial"
	S=$(serial_next "$s1" "$s2") || die "step $STEP: no next serial"
}

# need FILE...: a check reads these; one that cannot be read stops the
# step (two missing files would otherwise compare equal).
need() {
	local f
	for f; do
		[ -f "$f" ] && [ -r "$f" ] || die "step ${STEP:-?}: $f: cannot read"
	done
}

# RFC 1982 section 3.2: s1 > s2 in serial number arithmetic (32 bits).
serial_gt() {
	local d=$(( ($1 - $2) & 0xffffffff ))
	[ "$d" -ne 0 ] && [ "$d" -lt 2147483648 ]
}

# In the lab (LAB_OPERATOR_TXT=yes), set the text of _operator.TLD TXT,
# the marker of which operator answered, adding the record when the zone
# lacks it; elsewhere pass the zone through.  A filter.
set_operator() {
	if [ "$LAB_OPERATOR_TXT" != yes ]; then
		cat
		return
	fi
	awk -F '\t' -v OFS='\t' -v op="_operator.$TLD" -v v="$1" \
	    -v ttl="$TTL_ZONE" '
	    $1 == op && $4 == "TXT" { if (done++) next; $5 = "\"" v "\"" }
	    { print }
	    END { if (!done) print op, ttl, "IN", "TXT", "\"" v "\"" }'
}

# Set the SOA serial.  A filter.
set_serial() {
	awk -F '\t' -v OFS='\t' -v s="$1" '
	    $4 == "SOA" && !done { n = split($5, f, " "); f[3] = s; $5 = f[1]
		for (i = 2; i <= n; i++) $5 = $5 " " f[i]; done = 1 }
	    { print }'
}

# The serial after the larger of two (RFC 1982: plus one, mod 2^32).
serial_next() {
	local s=$1
	serial_gt "$2" "$s" && s=$2
	printf '%s\n' $(( (s + 1) & 0xffffffff ))
}

# The apex DNSKEY RRset and the signatures over it: the fragment one
# operator hands the other in the signature exchange (RFC 6781 section
# 4.3.5.1).
dnskey_fragment() {
	awk -F '\t' -v o="$TLD" '$1 != o { if (seen) exit; next }
	    { seen = 1 } $4 == "DNSKEY" || ($4 == "RRSIG" && $5 ~ /^DNSKEY /)' "$1"
}

# The apex NS names of a zone, sorted, one a line.
apex_ns() {
	apex_rrset "$1" NS | cut -f2 | tr 'A-Z' 'a-z' | sort
}

lower() {
	printf '%s\n' "${*,,}"
}

# The fragment naming a party's name servers, as zadd-bero-ns reads it:
# the apex NS records (TTL_NS_C) and the addresses of the hosts in the
# TLD (TTL_ZONE).
ns_fragment() {
	local h a v=NS_${1^^} hosts
	hosts=${!v}
	for h in $(lower "$hosts"); do
		printf '%s\t%s\tIN\tNS\t%s\n' "$TLD" "$TTL_NS_C" "$h"
	done
	for h in $(lower "$hosts"); do
		case $h in
		*."$TLD") ;;
		*) continue ;;
		esac
		for a in $(addrs_of "$h"); do
			printf '%s\t%s\tIN\t%s\t%s\n' "$h" "$TTL_ZONE" \
			    "$(case $a in *:*) echo AAAA;; *) echo A;; esac)" "$a"
		done
	done
}

# The RDATA of the DNSKEY in a .key file, as the tools write it.
key_rdata() {
	awk '!/^;/ { for (i = 1; i < NF; i++) if ($i == "DNSKEY") {
	    s = $(i + 1) " " $(i + 2) " " $(i + 3) " "
	    for (j = i + 4; j <= NF; j++) s = s $j; print s; exit } }' "$1"
}
