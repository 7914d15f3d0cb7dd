# expiry.awk: the earliest expiration of the signatures in a zone, as
# seconds since the epoch: first of those made by the keys named in
# "own" (" tag/alg tag/alg "), then of the others (the signatures
# imported from the other operator), "-" when there is none.
#
#   awk -F '\t' -v own=" 5021/13 40244/13 " -f expiry.awk zone
#
# RRSIG times are YYYYMMDDHHmmSS in UTC (RFC 4034 section 3.2), or a
# number of seconds.

# Days from 1970-01-01 to a civil date (proleptic Gregorian).
function days(y, m, d,    era, yoe, doy, doe) {
	if (m <= 2)
		y--
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}

function epoch(s,    d) {
	if (length(s) != 14)
		return s + 0
	d = days(substr(s, 1, 4) + 0, substr(s, 5, 2) + 0,
	    substr(s, 7, 2) + 0)
	return d * 86400 + substr(s, 9, 2) * 3600 + substr(s, 11, 2) * 60 \
	    + substr(s, 13, 2)
}

$4 == "RRSIG" {
	split($5, f, " ")
	t = epoch(f[5])
	if (index(own, " " f[7] "/" f[2] " ")) {
		if (mine == "" || t < mine)
			mine = t
	} else if (other == "" || t < other)
		other = t
}

END {
	print (mine == "" ? 0 : mine), (other == "" ? "-" : other)
}
