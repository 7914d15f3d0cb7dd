#!/usr/bin/env bats
# The forms a time takes wherever a program takes one (berokit(7),
# Time; lib/dnstime.c, dnstime_arg()): now, an offset from now (+3600,
# -1h, +30d), YYYYMMDDHHmmSS in UTC and seconds since the epoch; in
# zresign -t, -i, -e and -E, zcheck-chain -t and zcheck-servers -t.
load helper

E=$DATA/examples
KA="-k $E/Kexample.+013+05021 -k $E/Kexample.+013+40244"

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# The inception and expiration of the SOA's signature, as seconds.
sig_times() {
	awk -F '\t' '$4 == "RRSIG" && $5 ~ /^SOA / { split($5, f, " ")
	    print f[6], f[5]; exit }' "$1" | while read -r i e; do
		printf '%s %s\n' \
		    "$(date -u -d "${i:0:8} ${i:8:2}:${i:10:2}:${i:12:2}" +%s)" \
		    "$(date -u -d "${e:0:8} ${e:8:2}:${e:10:2}:${e:12:2}" +%s)"
	done
}

# within V LO HI: LO <= V <= HI.
within() {
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ] ||
	    fail "$1 not within [$2, $3]"
}

@test "zresign: -t 20261206120000 with -i now and -e +1w, and -t in seconds, the same signatures" {
	zresign $KA -t 20261206120000 -i now -e +1w -o a.zone "$E/example.zone"
	read -r i e < <(sig_times a.zone)
	assert_equal "$i" "$(date -u -d '2026-12-06 12:00:00' +%s)"
	assert_equal "$e" "$(date -u -d '2026-12-13 12:00:00' +%s)"
	zresign $KA -t "$(date -u -d '2026-12-06 12:00:00' +%s)" -i now \
	    -e +604800 -o b.zone "$E/example.zone"
	cmp a.zone b.zone
	# -E takes them too: the DNSKEY RRset's signature, to -e +1w - 1d.
	zresign $KA -t 20261206120000 -i -2h -e +1w -E +6d -o c.zone "$E/example.zone"
	grep -q $'\tRRSIG\tDNSKEY 13 1 3600 20261212120000 20261206100000 ' c.zone
}

@test "zresign: -t now and -t +3600 are the clock, and an hour after it" {
	local t0 t1 i e
	t0=$(date -u +%s)
	zresign $KA -t now -i now -e +30d -o now.zone "$E/example.zone"
	zresign $KA -t +3600 -i now -e +1h -o later.zone "$E/example.zone"
	t1=$(date -u +%s)
	read -r i e < <(sig_times now.zone)
	within "$i" "$t0" "$t1"
	assert_equal "$e" $((i + 30 * 86400))
	read -r i e < <(sig_times later.zone)
	within "$i" $((t0 + 3600)) $((t1 + 3600))
	assert_equal "$e" $((i + 3600))
	runs zresign $KA -t tomorrow "$E/example.zone"
	assert_trouble zresign '^zresign: -t tomorrow: not a time \(now, YYYYMMDDHHmmSS'
}

@test "zcheck-chain -t: now, +duration and -duration around the signatures' validity" {
	zresign $KA -t now -i -1h -e +2d -o now.zone "$E/example.zone"
	ds-from-dnskey "$E/Kexample.+013+05021" > ds.txt
	runs zcheck-chain -q -t now -D ds.txt now.zone
	assert_success
	runs zcheck-chain -q -t +1d -D ds.txt now.zone
	assert_success
	# Expired three days from now, not valid yet two hours ago.
	runs zcheck-chain -q -t +3d -D ds.txt now.zone
	assert_failure 1
	runs zcheck-chain -q -t -2h -D ds.txt now.zone
	assert_failure 1
	runs zcheck-chain -t +3x -D ds.txt now.zone
	assert_trouble zcheck-chain '^zcheck-chain: -t \+3x: not a time \(now, '
}

@test "zcheck-servers -t: now, +3600 and YYYYMMDDHHmmSS are times (nothing is queried here)" {
	local t
	for t in now +3600 -1d 20261206120000 1796558400; do
		# A documentation address is reported and never queried
		# without -L: a finding (1), not a usage error (2).
		runs zcheck-servers -t "$t" example. ns1.example=192.0.2.1
		assert_failure 1
		assert_output --partial 'not queried without -L'
	done
	runs zcheck-servers -t +soon example. ns1.example=192.0.2.1
	assert_trouble zcheck-servers '^zcheck-servers: -t \+soon: not a time'
}

@test "bero-migrate plan -t: now and +duration from the clock (BERO_NOW here), as the tools take them" {
	local t=1796083200
	BERO_NOW=$t bero-migrate plan -t 20261201000000 > abs.txt 2> /dev/null
	runs env BERO_NOW=$t bero-migrate plan -t now
	assert_success
	assert_equal "$output" "$(cat abs.txt)"
	runs env BERO_NOW=$((t - 86400)) bero-migrate plan -t +1d
	assert_success
	assert_equal "$output" "$(cat abs.txt)"
	runs env BERO_NOW=$((t + 3600)) bero-migrate plan -t -3600
	assert_success
	assert_equal "$output" "$(cat abs.txt)"
	runs bero-migrate plan -t +1x
	assert_trouble bero-migrate 'plan: -t \+1x: not a time'
}
