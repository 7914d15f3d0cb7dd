#!/bin/sh
# wire-lint.sh [ROOT]: no file of lib/ or bin/ but lib/wire.c and
# lib/wire.h reads a wire field by hand (issue 15, item 1); ROOT is the
# repository, "." by default.  Refused, one line each, as
# "wire-lint: file:line: message":
#   - a raw RDATA offset: RDATA ("rdata", "rd") indexed or offset by a
#     number, "rd[4]", "r->rdata + 16", "rd[5 + rd[4]]", "rdata[len - 4]",
#     "r->rdata + r->rdlen - 4";
#   - hand-rolled byte assembly: a number put together from octets or
#     cut into them by shifts of 8, 16, 24, 32 or 40 bits,
#     "p[0] << 8 | p[1]", "(uint8_t)(v >> 8)";
#   - a private copy of the accessors: a function named get16, get32,
#     put16, put32 or the like.
# The typed views and accessors of lib/wire.h do all of these.  A line
# that shifts bits for another reason (a hash, base32, a bit map's
# window, DER) says so with "wire-lint: not wire" and why, in a comment
# on that line.  Every file is held to this: no list of files still to
# convert is left (issue 15's conversion is done).
# Exit 0: none; 1: a finding; 2: trouble.
set -u
prog=wire-lint
root=${1:-.}

[ -d "$root/lib" ] && [ -d "$root/bin" ] ||
    { echo "$prog: $root: no lib/ and bin/" >&2; exit 2; }

tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

files=$(cd "$root" && ls lib/*.c lib/*.h bin/*.c bin/parts/*/*.c 2>/dev/null |
    grep -v '^lib/wire\.[ch]$')
[ -n "$files" ] || { echo "$prog: $root: no sources" >&2; exit 2; }

# C comments and string literals blanked first (a comment may cite
# "rd[4]"), line numbers kept; then the three patterns.
(cd "$root" && awk '
	FNR == 1 { inc = 0 }
	{
		s = $0; out = ""
		allow = s ~ /wire-lint: not wire/
		while (s != "") {
			if (inc) {
				i = index(s, "*/")
				if (i == 0) { s = ""; break }
				s = substr(s, i + 2); inc = 0; continue
			}
			c = substr(s, 1, 1)
			if (substr(s, 1, 2) == "/*") { inc = 1; s = substr(s, 3); out = out " "; continue }
			if (substr(s, 1, 2) == "//") break
			if (c == "\"" || c == "\047") {
				q = c; s = substr(s, 2); out = out q
				while (s != "" && substr(s, 1, 1) != q) {
					if (substr(s, 1, 1) == "\\") s = substr(s, 2)
					s = substr(s, 2)
				}
				s = substr(s, 2); out = out q; continue
			}
			out = out c; s = substr(s, 2)
		}
		if (allow) next
		if (out ~ /(^|[^a-z_])(rdata|rd)[ \t]*\[[ \t]*[0-9]/ ||
		    out ~ /(^|[^a-z_])(rdata|rd)[ \t]*\[[^]]*[-+][ \t]*[0-9]+[ \t]*\]/ ||
		    out ~ /(^|[^a-z_])(rdata|rd)[ \t]*\[[ \t]*[0-9]+[ \t]*\+/ ||
		    out ~ /(^|[^a-z_])(rdata|rd)[ \t]*\+[ \t]*[0-9]/ ||
		    out ~ /(^|[^a-z_])(rdata|rd)[ \t]*\+[^,;]*rdlen[ \t]*-[ \t]*[0-9]/)
			printf "%s:%d: a raw RDATA offset: use a view of lib/wire.h\n", FILENAME, FNR
		else if (out ~ /<<[ \t]*(8|16|24|32|40)([^0-9]|$)/ ||
		    out ~ />>[ \t]*(8|16|24|32|40)[ \t]*\)/ ||
		    out ~ /\(u?int8_t\)[ \t]*\(?[^;]*>>[ \t]*(8|16|24|32|40)/)
			printf "%s:%d: hand-rolled byte assembly: use the accessors of lib/wire.h\n", FILENAME, FNR
		else if (out ~ /^[a-z_]*(get|put|read|load|store)(_?u?)(16|32|48|64)(_be)?[ \t]*\(/)
			printf "%s:%d: a private copy of the accessors of lib/wire.h\n", FILENAME, FNR
	}' $files) > "$tmp" || exit 2

bad=0
while IFS= read -r l; do
	echo "$prog: $l" >&2
	bad=1
done < "$tmp"
exit $bad
