# referral.awk: the size in octets of the referral a root server sends
# for a name below the TLD, without EDNS: the header, the question, the
# TLD's NS RRset in the authority section and the address records of
# its hosts (the glue) in the additional section.  The question is the
# longest name there can be below the TLD (255 octets), the worst case
# IANA's technical check asks for.  Names are compressed against every
# name written before them (RFC 1035 section 4.1.4).
#
#   awk -F '\t' -v tld=example. -f referral.awk root.zone
#
# The input is a root zone, or a request fragment, in berokit's
# canonical form (tab-separated fields, owners in lower case).

# Octets of a name written after the names already in "seen", and mark
# its suffixes as seen.
function wire(name,    n, lab, i, j, suf, size) {
	if (name == ".")
		return 1
	sub(/\.$/, "", name)
	n = split(name, lab, ".")
	size = 0
	for (i = 1; i <= n; i++) {
		suf = lab[i]
		for (j = i + 1; j <= n; j++)
			suf = suf "." lab[j]
		if (suf in seen)
			return size + 2
		size += 1 + length(lab[i])
		seen[suf] = 1
	}
	return size + 1
}

$1 == tld && $4 == "NS" {
	host[++nhost] = tolower($5)
	named[tolower($5)] = 1
}
($4 == "A" || $4 == "AAAA") {
	addr[++naddr] = $1
	atype[naddr] = $4
}

END {
	size = 12					# the header
	# The question: a 255-octet name ending in the TLD; its own
	# labels are never a suffix of a host name, the TLD's are.
	t = tld
	sub(/\.$/, "", t)
	nt = split(t, tl, ".")
	for (i = 1; i <= nt; i++) {
		suf = tl[i]
		for (j = i + 1; j <= nt; j++)
			suf = suf "." tl[j]
		seen[suf] = 1
	}
	size += 255 + 4
	for (i = 1; i <= nhost; i++)			# authority: NS
		size += 2 + 10 + wire(host[i])
	for (i = 1; i <= naddr; i++)			# additional: glue
		if (addr[i] in named)
			size += wire(addr[i]) + 10 + (atype[i] == "A" ? 4 : 16)
	print size
}
