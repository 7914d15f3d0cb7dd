#!/usr/bin/env bats
# Every command in every man page's EXAMPLES runs, in a copy of the
# sample files of t/data/examples, and exits 0.
load helper

setup() {
	export PATH
}

# Each page's examples run in a fresh copy of the sample files.
run_examples() {
	local page=$1 n=0 cmd dir=$BATS_TEST_TMPDIR/$1
	mkdir -p "$dir"
	cp -R "$DATA/examples/." "$dir"
	cd "$dir" || return 1
	while IFS= read -r cmd; do
		n=$((n + 1))
		run bash -o pipefail -c "$cmd"
		[ "$status" -eq 0 ] || fail "$page example $n failed ($status): $cmd
$output"
	done < <("$TOP/t/man-examples.sh" "$TOP/man/$page")
	[ "$n" -gt 0 ] || fail "$page has no runnable EXAMPLES"
}

@test "man pages: every page has a runnable EXAMPLES section that passes" {
	local page
	for page in $(cd "$TOP/man" && ls *.1 *.7); do
		run_examples "$page"
	done
}
