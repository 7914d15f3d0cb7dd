# lib/handover.sh: what passes between the operators: the zone, by file
# or by zone transfer (AXFR with TSIG).
#
# Sourced by lib.sh, never run alone.

# Move a party's published zone to a file: by zone transfer (AXFR with
# TSIG, RFC 5936 and RFC 8945) from the party's transfer address when
# TRANSFER=axfr, by copying the file when TRANSFER=file.
transfer() {
	local from=$1 out=$2 addr v
	case $TRANSFER in
	file)
		run cp "$(current "$from")" "$out"
		;;
	axfr)
		v=${from^^}_XFR_ADDR
		addr=${!v:-}
		[ -n "$addr" ] || die "config: ${from^^}_XFR_ADDR unset (TRANSFER=axfr)"
		[ -f keys/tsig.key ] || die "keys/tsig.key: no TSIG key (config TSIG_NAME, TSIG_ALG, TSIG_SECRET)"
		owner_only keys/tsig.key
		run kdig -k keys/tsig.key "@$addr" "$TLD" AXFR +noall +answer \
		    '|' axfr_zone '>' "$out"
		;;
	*)
		die "config: TRANSFER=$TRANSFER: not file or axfr"
		;;
	esac
}

# The zone in a zone transfer's records: a complete transfer begins and
# ends with the SOA (RFC 5936 section 2.2), and the closing one goes.
# Anything else is a failed or cut transfer, and fails.  A filter.
axfr_zone() {
	awk -F '[ \t]+' -v tld="$TLD" '
	    /^;/ || !NF { next }
	    { soa = tolower($1) == tld && $4 == "SOA" }
	    n++ == 0 { if (!soa) exit 1; prev = $0; next }
	    { print prev; prev = $0; last = soa }
	    END { if (n < 3 || !last) {
		print "axfr: the transfer of " tld " is incomplete" > "/dev/stderr"
		exit 1 } }'
}
