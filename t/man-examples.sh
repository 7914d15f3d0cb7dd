#!/bin/sh
# Print the commands in the EXAMPLES section of an mdoc page, one per line:
# lines of .Bd -literal blocks that start with "$ ", joined across
# trailing backslashes into one line, with mdoc escapes undone.
awk '
/^\.Sh / { ex = ($2 == "EXAMPLES") }
ex && /^\.Bd -literal/ { lit = 1; next }
ex && /^\.Ed/ { lit = 0; next }
ex && lit {
	line = $0
	gsub(/\\e/, "\\", line)
	gsub(/\\&/, "", line)
	gsub(/\\\(em/, "--", line)
	if (!cont && line !~ /^\$ /) next
	if (!cont) line = substr(line, 3)
	cont = (line ~ /\\$/)
	if (cont) sub(/\\$/, " ", line)
	cmd = cmd line
	if (!cont) { print cmd; cmd = "" }
}
' "$1"
