# gentld.awk: the sample TLD of bero-migrate init, written to standard
# output as an unsigned zone.  It depends only on its variables, so the
# same call gives the same zone on every machine (a Park-Miller generator
# of its own, exact in the 53 bits of an awk number):
#
#   awk -f gentld.awk -v tld=example. -v n=3000 -v serial=2026112800 \
#       -v ttl_zone=86400 -v ttl_ns=86400 -v ns="ns1.nic-a.example. ..." \
#       -v addrs="ns1.nic-a.example.=192.0.2.1 ..." [-v operator=A] \
#       [-v seed=1] < /dev/null
#
# The zone: the SOA, the apex NS RRset (ns) with the addresses of its
# in-zone hosts (addrs), a name-server host of the registry, and n
# delegations in the order they were drawn.  Each delegation has two or
# three NS records: about one in twenty uses hosts inside the delegated
# name, with A and AAAA glue; the others use the hosts of twenty
# providers outside the zone.  About one in ten has a DS record (digest
# type 2).  With operator set, the zone carries _operator.TLD. TXT
# "operator", which tells in the lab which operator answered.

function rnd(m) {
	# Park and Miller's minimal standard generator: every product stays
	# below 2^53, so it is exact in any awk.
	state = (state * 16807) % 2147483647
	return state % m
}

function hex(len,    s, i) {
	s = ""
	for (i = 0; i < len; i++)
		s = s substr("0123456789abcdef", rnd(16) + 1, 1)
	return s
}

function label(i,    s, k) {
	s = syl[rnd(nsyl)] syl[rnd(nsyl)]
	if (rnd(3) == 0)
		s = s syl[rnd(nsyl)]
	# The index makes every label distinct.
	return s i
}

BEGIN {
	if (tld == "" || tld !~ /\.$/) {
		print "gentld.awk: tld must be an absolute name" > "/dev/stderr"
		exit 2
	}
	if (n == "") n = 3000
	if (seed == "") seed = 1
	if (serial == "") serial = 1
	if (ttl_zone == "") ttl_zone = 86400
	if (ttl_ns == "") ttl_ns = ttl_zone
	state = seed % 2147483646 + 1
	nsyl = split("ka ro mi ne su ta lo vi de ba zen pol rim tek sa " \
	    "no fi gra ul om", s, " ")
	for (i = 1; i <= nsyl; i++)
		syl[i - 1] = s[i]
	nns = split(ns, apexns, " ")
	if (nns < 2) {
		print "gentld.awk: at least two apex name servers" > "/dev/stderr"
		exit 2
	}
	OFS = "\t"
	print "; The sample TLD of bero-migrate: " n " delegations, seed " seed
	print tld, ttl_zone, "IN", "SOA", apexns[1] " hostmaster.nic." tld \
	    " " serial " 1800 900 604800 300"
	for (i = 1; i <= nns; i++)
		print tld, ttl_ns, "IN", "NS", apexns[i]
	na = split(addrs, addr, " ")
	for (i = 1; i <= na; i++) {
		h = addr[i]
		sub(/=.*/, "", h)
		a = addr[i]
		sub(/^[^=]*=/, "", a)
		# Only the hosts of the apex NS RRset inside the zone.
		inzone = substr(h, length(h) - length(tld) + 1) == tld &&
		    length(h) > length(tld)
		named = 0
		for (j = 1; j <= nns; j++)
			if (apexns[j] == h)
				named = 1
		if (inzone && named)
			print h, ttl_zone, "IN", (a ~ /:/ ? "AAAA" : "A"), a
	}
	if (operator != "")
		print "_operator." tld, ttl_zone, "IN", "TXT", "\"" operator "\""
	print "nic." tld, ttl_zone, "IN", "A", "192.0.2.80"
	print "nic." tld, ttl_zone, "IN", "AAAA", "2001:db8::80"
	for (i = 1; i <= n; i++) {
		d = label(i) "." tld
		r = rnd(20)
		if (r == 0) {
			# Name servers inside the delegation, with glue.
			for (j = 1; j <= 2; j++) {
				h = "ns" j "." d
				print d, ttl_zone, "IN", "NS", h
				print h, ttl_zone, "IN", "A", "198.51." \
				    (i % 256) "." (j * 10 + rnd(10))
				print h, ttl_zone, "IN", "AAAA", "2001:db8:" \
				    sprintf("%x", i % 65536) "::" j
			}
		} else {
			p = rnd(20)
			k = 2 + (rnd(4) == 0)
			for (j = 1; j <= k; j++)
				print d, ttl_zone, "IN", "NS", "ns" j ".dns" p \
				    (p % 2 ? ".net." : ".org.")
		}
		if (rnd(10) == 0)
			print d, ttl_zone, "IN", "DS", (1 + rnd(65535)) \
			    " 13 2 " hex(64)
	}
}
