#!/bin/sh
# Sorts the inputs a campaign saved by what they hit: each is run again
# through its target, and the kind of error (the sanitizer's report, or
# the target's own "fuzz_x: ..." oracle message, or a timeout) with the
# first three frames in our code makes its signature.  One line per
# signature: how many inputs, the smallest of them, the signature.
#
# usage: sh fuzz/triage.sh [campaign-dir]   (build-fuzz/campaign)
set -u

dir=${1:-build-fuzz/campaign}
for d in "$dir"/*/; do
	t=$(basename "$d")
	[ -x "build-fuzz/$t" ] || continue
	for f in "$d"crashes/*; do
		[ -f "$f" ] || continue
		sig=$(ASAN_OPTIONS=detect_leaks=1 timeout 120 \
		    "build-fuzz/$t" -timeout=60 -rss_limit_mb=2048 "$f" 2>&1 |
		    awk '
			/ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error|ERROR: libFuzzer: (timeout|out-of-memory)/ &&
			    kind == "" { k = $0; sub(/.*ERROR: /, "", k)
				sub(/ on address.*/, "", k); sub(/ \(.*/, "", k)
				kind = k }
			/^fuzz_[a-z0-9]+: / && kind == "" { kind = $0 }
			/^ *#[0-9]+ .* in .* \/.*\/(lib|bin|fuzz)\// && n < 3 {
				fn = $4; loc = $NF; sub(/.*\//, "", loc)
				sub(/:[0-9]+$/, "", loc)
				frames = frames " " fn "@" loc; n++ }
			END { if (kind == "") kind = "no error on replay"
				print kind " |" frames }')
		printf '%s\t%s\t%s\n' "$t" "$(wc -c < "$f")" "$sig|$f"
	done
done | sort -t '	' -k1,1 -k3,3 -k2,2n | awk -F '\t' '
	{ split($3, s, "|"); key = $1 "\t" s[1] "|" s[2]
	  if (!(key in n)) { order[++m] = key; small[key] = s[3] " (" $2 " octets)" }
	  n[key]++ }
	END { for (i = 1; i <= m; i++)
		printf "%s\t%d input(s), smallest %s\n", order[i], n[order[i]],
		    small[order[i]] }'
