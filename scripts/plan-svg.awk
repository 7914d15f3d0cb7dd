# plan-svg.awk: the timeline of a migration as an SVG picture, for the
# people who plan the change: one column per step of PROCEDURE.md, with
# its earliest time and the wait before it, and one row per published
# thing (the root's NS and DS sets for the TLD, each operator's apex NS
# and DNSKEY RRsets and what it signs, the servers a resolver may reach),
# coloured by operator: A blue, B orange, both green.
#
#   bero-migrate plan -o plan.svg ...
#
# -v method=double-ds draws that method's steps (ds3 and ds4 before 2b)
# and what it publishes; otherwise the signature exchange's.
#
# Input, from bero-migrate plan, one line a step in order:
#   step time done|plan date clock elapsed
# (time in seconds since the epoch; date YYYY-MM-DD and clock HH:MM in
# UTC; elapsed since the first step, as "1d 2h").

function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	return s
}

function fill(s) {
	if (s == "-" || s == "" || s == "stopped")
		return "#eeeeee"
	if (s ~ /A/ && s ~ /B/)
		return "#a1d99b"
	if (s ~ /B/)
		return "#fdae6b"
	return "#9ecae1"
}

function text(x, y, s, anchor, size, weight) {
	printf "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"%d\"%s>%s</text>\n",
	    x, y, anchor, size, (weight ? " font-weight=\"bold\"" : ""), esc(s)
}

# One row: the label, then runs of equal cells merged into one box.
function row(r, label, spec,    n, cell, i, j, x, w) {
	y = top + r * rowh
	text(8, y + rowh / 2 + 4, label, "start", 12, 1)
	n = split(spec, cell, ",")
	for (i = 1; i <= n; i = j) {
		for (j = i + 1; j <= n && cell[j] == cell[i]; j++)
			;
		x = left + (i - 1) * colw
		w = (j - i) * colw
		printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"2\"/>\n",
		    x, y, w, rowh, fill(cell[i])
		if (cell[i] != "-")
			text(x + w / 2, y + rowh / 2 + 4, cell[i], "middle", 11, 0)
	}
}

{
	n++
	step[n] = $1
	t[n] = $2
	how[n] = $3
	date[n] = $4
	clock[n] = $5
	el = $6
	for (i = 7; i <= NF; i++)
		el = el " " $i
	elapsed[n] = el
}

END {
	left = 150
	colw = 92
	rowh = 34
	head = 96
	top = head + 40
	dds = method == "double-ds"
	cols = dds ? 17 : 15
	width = left + cols * colw + 10
	nrows = 8
	height = top + nrows * rowh + 60
	printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n",
	    width, height, width, height
	printf "<title>Moving a signed TLD from operator A to operator B: what is published where, step by step</title>\n"
	printf "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
	text(8, 22, "Moving a signed TLD from operator A to operator B (bero-migration(7))", "start", 15, 1)
	text(8, 40, "earliest time of each step (UTC); red: a wait bero-migrate enforces; grey: the time IANA is planned to take", "start", 11, 0)

	# The column heads: "before", then the steps.
	x = left
	text(x + colw / 2, head - 30, "before", "middle", 13, 1)
	for (i = 1; i <= n; i++) {
		x = left + i * colw
		text(x + colw / 2, head - 30, "step " step[i], "middle", 13, 1)
		text(x + colw / 2, head - 14, date[i], "middle", 10, 0)
		text(x + colw / 2, head, clock[i] (how[i] == "done" ? " done" : ""), "middle", 10, 0)
		text(x + colw / 2, head + 14, "+" elapsed[i], "middle", 10, 0)
		# A wait the driver enforces (red), or IANA's time (grey).
		if (i > 1 && t[i] > t[i - 1]) {
			iana = step[i] ~ /^(ds4|4|8|12)$/
			printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n",
			    x + 2, head - 44, colw - 4, 64, (iana ? "#888888" : "#d62728")
			text(x + colw / 2, head + 28, (iana ? "IANA" : "wait"), "middle", 10, 1)
		}
	}
	if (dds) {
		rows_double_ds()
		printf "</svg>\n"
		exit
	}
	# What each step's column shows is fixed by the procedure: the
	# cells in the order before, 1, 2a, 2b, 3, 4, 5, 6, 7, 8, 9, 10,
	# 11, 12, 13 (the state after the step).
	row(0, "root: NS", "NS_A,NS_A,NS_A,NS_A,NS_A,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B")
	row(1, "root: DS", "DS_A,DS_A,DS_A,DS_A,DS_A,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_B,DS_B")
	row(2, "A: apex NS", "NS_A,NS_A,NS_A,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,stopped")
	row(3, "A: DNSKEY", "keys A,keys A,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,stopped")
	row(4, "A: data, signed by A", "A's,A's,A's,A's,A's,A's,A's,B's (B>A),B's (B>A),B's (B>A),B's (B>A),B's (B>A),B's (B>A),B's (B>A),stopped")
	row(5, "B: apex NS", "-,NS_A,NS_A,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B")
	row(6, "B: DNSKEY", "-,keys B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys B,keys B,keys B,keys B")
	row(7, "resolvers may reach", "A,A,A,A+B,A+B,A+B,A+B,A+B,A+B,A+B,B,B,B,B,B")
	y = top + nrows * rowh + 22
	text(8, y, "keys A+B: the same DNSKEY RRset at both, each carrying the other's KSK signature over it (RFC 6781 4.3.5.1); B>A: A serves B's data, signed by A", "start", 11, 0)
	text(8, y + 18, "2b waits TTL_KEY after 2a; 5 the root's old NS, glue and DS TTLs after 4; 9 the NS TTLs after 6 and 8 plus TTL_SIG; 11 TTL_KEY after 10", "start", 11, 0)
	printf "</svg>\n"
}

# Double-DS (RFC 6781 section 4.1.2): the cells in the order before, 1,
# 2a, ds3, ds4, 2b, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13.
function rows_double_ds() {
	row(0, "root: NS", "NS_A,NS_A,NS_A,NS_A,NS_A,NS_A,NS_A,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B")
	row(1, "root: DS", "DS_A,DS_A,DS_A,DS_A,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_A+DS_B,DS_B,DS_B")
	row(2, "A: apex NS", "NS_A,NS_A,NS_A,NS_A,NS_A,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,stopped")
	row(3, "A: DNSKEY", "keys A,keys A,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,stopped")
	row(4, "A: data, signed by A", "A's,A's,A's,A's,A's,A's,A's,A's,A's,B's (B>A),B's (B>A),B's (B>A),B's (B>A),B's (B>A),B's (B>A),B's (B>A),stopped")
	row(5, "B: apex NS", "-,NS_A,NS_A,NS_A,NS_A,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_A+NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B,NS_B")
	row(6, "B: DNSKEY", "-,keys B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys A+B,keys B,keys B,keys B,keys B")
	row(7, "resolvers may reach", "A,A,A,A,A,A+B,A+B,A+B,A+B,A+B,A+B,A+B,B,B,B,B,B")
	y = top + nrows * rowh + 22
	text(8, y, "keys A+B: the same DNSKEY RRset at both, each signing it with its own KSK only (double-DS, RFC 6781 4.1.2); B>A: A serves B's data, signed by A", "start", 11, 0)
	text(8, y + 18, "2b waits TTL_KEY after 2a and the root's DS TTL after ds4; 5 the root's old NS and glue TTLs after 4; 9 the NS TTLs after 6 and 8 plus TTL_SIG; 11 TTL_KEY after 10", "start", 11, 0)
}
