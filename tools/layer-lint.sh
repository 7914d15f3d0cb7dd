#!/bin/sh
# layer-lint.sh [ROOT]: holds lib/ to the map of layers in lib/README
# (ROOT the repository, "." by default).  Refused, one line each, as
# "layer-lint: file:line: message":
#   - an #include "x.h" in lib/ of a header of a higher layer than the
#     including file's (bin/ may include anything in lib/);
#   - an include cycle among the files of lib/ (x.c and x.h count as one
#     file, x);
#   - a file of lib/ that the map does not list, one it lists twice or
#     in two layers, one it lists that is not there, and an include of a
#     header that is not in lib/;
#   - a place of "Where the rules live" that names a file that is not
#     there, or a function that file no longer defines.
# Exit 0: the code follows the map; 1: it does not; 2: trouble (no map).
set -u
prog=layer-lint
root=${1:-.}
map=$root/lib/README

[ -f "$map" ] || { echo "$prog: $map: no map of the layers" >&2; exit 2; }
[ -d "$root/lib" ] || { echo "$prog: $root/lib: no such directory" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# The map: "name.[ch]", "name.c" or "name.h" at the start of a line
# under a "Layer N: title" heading (underlined, as every heading is,
# and up to the next heading); "LAYER file layer line title".
awk '
	/^(-+|=+)$/ && prev !~ /^Layer [0-9]+: / { layer = "" }
	{ prev = $0 }
	/^Layer [0-9]+: / { layer = $2; sub(/:$/, "", layer);
	    title = $0; sub(/^Layer [0-9]+: /, "", title); next }
	layer != "" && /^[a-z0-9_-]+\.(\[ch\]|c|h)[ \t]/ {
		f = $1
		if (f ~ /\.\[ch\]$/) {
			sub(/\.\[ch\]$/, "", f)
			print "LAYER", f ".c", layer, NR, title
			print "LAYER", f ".h", layer, NR, title
		} else
			print "LAYER", f, layer, NR, title
	}
	/^(-+|=+)$/ { cycles = prev0 ~ /^Cycles not yet broken/ }
	{ prev0 = $0 }
	cycles && /^[a-z0-9_-]+( <-> [a-z0-9_-]+)+([ \t]|$)/ {
		n = 1; c[1] = $1
		for (i = 2; $i == "<->"; i += 2)
			c[++n] = $(i + 1)
		print "CYCLE", setname(c, n), NR
	}
	# The names of a cycle, sorted, joined by ",".
	function setname(c, n,    i, j, t, s) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && c[j - 1] > c[j]; j--) {
				t = c[j]; c[j] = c[j - 1]; c[j - 1] = t
			}
		s = c[1]
		for (i = 2; i <= n; i++)
			s = s "," c[i]
		return s
	}
' "$map" > "$tmp/map" || exit 2

# The files of lib/, and the quoted includes of lib/ and bin/:
# "FILE name" and "INC file line header".
(cd "$root" && ls lib/*.c lib/*.h 2>/dev/null) | sed 's|^lib/||; s/^/FILE /' \
    > "$tmp/files"
(cd "$root" && for f in lib/*.c lib/*.h bin/*.c bin/*.h; do
	[ -f "$f" ] || continue
	awk -v f="$f" '/^[ \t]*#[ \t]*include[ \t]*"/ {
		h = $0; sub(/^[^"]*"/, "", h); sub(/".*$/, "", h)
		print "INC", f, FNR, h }' "$f"
done) > "$tmp/incs" || exit 2

awk -v prog="$prog" '
	function stem(f) { sub(/\.[ch]$/, "", f); return f }
	function say(where, msg) { print prog ": " where ": " msg; bad = 1 }
	$1 == "LAYER" {
		if ($2 in layer) {
			say("lib/README:" $4, $2 " is listed twice (lines " \
			    line[$2] " and " $4 "): list each file once")
			next
		}
		layer[$2] = $3; line[$2] = $4
		t = $0; sub(/^LAYER [^ ]+ [^ ]+ [^ ]+ /, "", t); title[$3] = t
		next
	}
	$1 == "CYCLE" { known[$2] = $3; next }
	$1 == "FILE" { have[$2] = 1; nfile++; files[nfile] = $2; next }
	$1 == "INC" { ninc++; isrc[ninc] = $2; iline[ninc] = $3;
	    ihdr[ninc] = $4; next }
	END {
		for (i = 1; i <= nfile; i++) {
			f = files[i]
			if (!(f in layer))
				say("lib/" f, "not in the map: add a line \"" \
				    f "  <its concern>\" (or \"" stem(f) \
				    ".[ch]\" for the pair) under its layer " \
				    "in lib/README")
		}
		for (f in layer)
			if (!(f in have))
				say("lib/README:" line[f], f " is listed, " \
				    "but lib/" f " is not there: take it out " \
				    "of the map")
		for (i = 1; i <= ninc; i++) {
			src = isrc[i]; h = ihdr[i]; where = src ":" iline[i]
			if (!(h in have)) {
				if (src ~ /^bin\// && h !~ /\//)
					continue	# a header of bin/ itself
				say(where, "includes \"" h "\", which is not " \
				    "a file of lib/")
				continue
			}
			if (src !~ /^lib\//)
				continue		# bin/ may include any
			s = src; sub(/^lib\//, "", s)
			if (!(s in layer) || !(h in layer))
				continue		# said above
			if (layer[h] + 0 > layer[s] + 0)
				say(where, "includes " h " of layer " \
				    layer[h] " (" title[layer[h]] ") from " \
				    "layer " layer[s] " (" title[layer[s]] \
				    "): an include must not go up a layer " \
				    "(lib/README)")
			a = stem(s); b = stem(h)
			if (a != b && !((a, b) in edge)) {
				edge[a, b] = where " includes " h
				nout[a]++; out[a, nout[a]] = b
				node[a] = node[b] = 1
			}
		}
		# Depth first from every node; an edge to a node on the
		# stack closes a cycle, said once with every include in it.
		for (n in node)
			if (!(n in color))
				visit(n, 0)
		for (c in known)
			if (!(c in seen))
				say("lib/README:" known[c], "the cycle " c \
				    " is broken: take it out of \"Cycles not " \
				    "yet broken\"")
		exit bad
	}
	# A cycle found is said at its first include, with the others; a
	# cycle of "Cycles not yet broken" is only a warning.
	function visit(n, depth,    k, m, j, i, msg, first, nc, c) {
		color[n] = 1; stack[depth] = n
		for (k = 1; k <= nout[n]; k++) {
			m = out[n, k]
			if (!(m in color))
				visit(m, depth + 1)
			else if (color[m] == 1) {
				for (j = depth; stack[j] != m; j--)
					;
				first = edge[m, j < depth ? stack[j + 1] : m]
				msg = ""; nc = 0
				for (i = j; i <= depth; i++) {
					c[++nc] = stack[i]
					if (i > j)
						msg = msg (i > j + 1 ? ", " : \
						    " with ") edge[stack[i], \
						    i < depth ? stack[i + 1] : m]
				}
				sub(/ includes /, ": includes ", first)
				msg = first ": an include cycle" msg
				if (setname(c, nc) in known) {
					seen[setname(c, nc)] = 1
					print prog ": warning: " msg " (not " \
					    "yet broken: lib/README)"
				} else
					say2(msg)
			}
		}
		color[n] = 2
	}
	function say2(msg) { print prog ": " msg; bad = 1 }
	function setname(c, n,    i, j, t, s) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && c[j - 1] > c[j]; j--) {
				t = c[j]; c[j] = c[j - 1]; c[j - 1] = t
			}
		s = c[1]
		for (i = 2; i <= n; i++)
			s = s "," c[i]
		return s
	}
' "$tmp/map" "$tmp/files" "$tmp/incs" > "$tmp/out"
st=$?
[ $st -le 1 ] || { echo "$prog: awk failed" >&2; exit 2; }

# "Where the rules live": each place (path, or path:function) that ends
# a line must exist and still define its function.
sed -n '/^Where the rules live/,$p' "$map" |
    grep -oE '[A-Za-z0-9_./-]+\.(c|h|sh|awk)(:[A-Za-z_][A-Za-z0-9_]*)?[[:space:]]*$' |
while read -r place; do
	file=${place%%:*}
	fn=
	case $place in *:*) fn=${place#*:} ;; esac
	if [ ! -f "$root/$file" ]; then
		echo "$prog: lib/README: $place: $file is not there: say where the rule lives now"
	elif [ -n "$fn" ] && ! grep -qE "^$fn[[:space:]]*\(" "$root/$file"; then
		echo "$prog: lib/README: $place: $file no longer defines $fn: say where the rule lives now"
	fi
done > "$tmp/rules"

cat "$tmp/out" "$tmp/rules" >&2
[ $st -eq 0 ] && [ ! -s "$tmp/rules" ]
