#!/bin/sh
# Print the .Bd -literal blocks of an mdoc page that t/0905 runs: every
# block of a section 7 page, the blocks of the EXAMPLES section of the
# others.  Each block is printed as
#	#@ page:line EXAMPLES|text run|skip
#	text of the block, mdoc escapes undone
#	#@end
# "skip" when the paragraph before the block says it is "not run by the
# tests"; blocks whose lines start with "$ " are commands (each with its
# continuation lines; the other lines are their output and are left
# out), other blocks are scripts, printed whole.
awk -v page="${1##*/}" '
function flush() { para = "" }
/^\.Sh / { ex = ($2 == "EXAMPLES"); flush(); next }
/^\.Ed/ && skipblk { skipblk = 0; flush(); next }
/^\.(Ss|Pp|Ed|Bl|El|It)( |$)/ && !lit && !skipblk {
	flush()
	if ($0 !~ /^\.It/)
		next
}
/^\.Bd -literal/ {
	if (!(page ~ /\.7$/ || ex)) { skipblk = 1; next }
	lit = 1; n = 0; start = FNR
	skip = para ~ /not run by the tests/
	next
}
/^\.Ed/ && lit {
	lit = 0
	hascmd = 0
	for (i = 1; i <= n; i++) if (b[i] ~ /^\$ /) hascmd = 1
	printf "#@ %s:%d %s %s\n", page, start, ex ? "EXAMPLES" : "text",
	    skip ? "skip" : "run"
	cont = 0
	for (i = 1; i <= n; i++) {
		line = b[i]
		if (hascmd) {
			if (!cont && line !~ /^\$ /) continue
			if (!cont) line = substr(line, 3)
			cont = (line ~ /\\$/)
		}
		print line
	}
	print "#@end"
	flush()
	next
}
lit || skipblk {
	line = $0
	gsub(/\\e/, "\\", line)
	gsub(/\\&/, "", line)
	gsub(/\\\(em/, "--", line)
	gsub(/\\\(mu/, "x", line)
	if (lit) b[++n] = line
	next
}
{ para = para " " $0 }
' "$1"
