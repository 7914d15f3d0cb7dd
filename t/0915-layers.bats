#!/usr/bin/env bats
# The layers of lib/ (lib/README), held by tools/layer-lint.sh: the
# repository follows its map, and the lint refuses an include that goes
# up a layer, an include cycle, a file the map does not list (or lists
# twice, or lists but is gone) and a rule's place that is gone.  The
# plants are made in a copy of lib/, bin/ and scripts/ in the test's
# directory.

load helper

lint() {
	runs sh "$TOP/tools/layer-lint.sh" "$@"
}

# A copy of what the lint reads, at $R.
copy() {
	R=$BATS_TEST_TMPDIR/r
	mkdir -p "$R"
	cp -R "$TOP/lib" "$TOP/bin" "$TOP/scripts" "$R"
}

# plant FILE LINE: LINE added after FILE's last #include.
plant() {
	awk -v l="$2" 'NR == FNR { if (/^#include /) n = FNR; next }
	    { print } FNR == n { print l }' "$1" "$1" > "$1.new" &&
	    mv "$1.new" "$1"
}

# planted N NAME [HEADER...]: a new pair lib/NAME.[ch] of layer N, whose
# .c includes its own header and the HEADERs, listed in the map, so
# that the plants do not depend on how the real files include each
# other.
planted() {
	local layer=$1 name=$2 h
	shift 2
	{
		printf '#include "%s.h"\n' "$name"
		for h in "$@"; do
			printf '#include "%s"\n' "$h"
		done
	} > "$R/lib/$name.c"
	printf '/* a plant */\n' > "$R/lib/$name.h"
	awk -v l="$layer" -v e="$name.[ch]         a plant" '
	    { print } /^(-+)$/ && prev ~ "^Layer " l ": " { print e }
	    { prev = $0 }' "$R/lib/README" > "$R/README.new" &&
	    mv "$R/README.new" "$R/lib/README"
}

@test "layers: the planted files of the tests are taken as they are" {
	copy
	planted 1 pa
	planted 2 pb pa.h
	lint "$R"
	assert_success
	[[ "$stderr" != *"layer-lint: lib"* ]] || fail "$stderr"
}

@test "layers: the repository follows the map of lib/README" {
	lint "$TOP"
	assert_success
	assert_output ""
	[[ "$stderr" != *"layer-lint: lib"* ]] || fail "$stderr"
}

@test "layers: an include that goes up a layer is refused" {
	copy
	plant "$R/lib/dname.c" '#include "zsign.h"'
	lint "$R"
	assert_failure 1
	n=$(grep -n '#include "zsign.h"' "$R/lib/dname.c" | cut -d: -f1)
	[[ "$stderr" == *"layer-lint: lib/dname.c:$n: includes zsign.h of layer 4 (engines) from layer 1 (wire and names): an include must not go up a layer (lib/README)"* ]] ||
		fail "$stderr"
	# A header does not escape the rule.
	copy
	plant "$R/lib/zone.h" '#include "crypto.h"'
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *"lib/zone.h:"*"includes crypto.h of layer 3"* ]] ||
		fail "$stderr"
}

@test "layers: bin/ may include anything of lib/, but nothing outside it" {
	copy
	plant "$R/bin/zcanon.c" '#include "zsign.h"'
	lint "$R"
	assert_success
	plant "$R/lib/zsign.c" '#include "zresign-opts.h"'
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *'lib/zsign.c:'*': includes "zresign-opts.h", which is not a file of lib/'* ]] ||
		fail "$stderr"
}

@test "layers: an include cycle is refused, in a layer or across two" {
	copy
	planted 1 pa pb.h
	planted 1 pb pa.h
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *"include cycle"* ]] || fail "$stderr"
	[[ "$stderr" == *"lib/pa.c:2"*"includes pb.h"* ]] || fail "$stderr"
	[[ "$stderr" == *"lib/pb.c:2"*"includes pa.h"* ]] || fail "$stderr"
	# Three files, and the cycle goes up a layer on the way.
	copy
	planted 1 pa pb.h
	planted 1 pb pc.h
	planted 2 pc pa.h
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *"lib/pb.c:2: includes pc.h of layer 2"* ]] || fail "$stderr"
	[[ "$stderr" == *"includes pb.h"*"includes pc.h"*"includes pa.h"* ||
	    "$stderr" == *"includes pc.h"*"includes pa.h"*"includes pb.h"* ||
	    "$stderr" == *"includes pa.h"*"includes pb.h"*"includes pc.h"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"include cycle"* ]] || fail "$stderr"
}

@test "layers: diag.c including zone.h for diag_die_rr (the old cycle) is refused" {
	copy
	plant "$R/lib/diag.c" '#include "zone.h"'
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *"lib/diag.c:"*"includes zone.h of layer 2 (records and zones) from layer 1"* ]] ||
		fail "$stderr"
	[[ "$stderr" == *"include cycle"* ]] || fail "$stderr"
}

@test "layers: a cycle listed as not yet broken warns, and its line goes once it is" {
	copy
	planted 1 pa pb.h
	planted 1 pb pa.h
	printf '\n\nCycles not yet broken\n---------------------\n\npb <-> pa   a plant\n' >> "$R/lib/README"
	lint "$R"
	assert_success
	[[ "$stderr" == *"layer-lint: warning: lib/p"*".c:2: includes p"*"(not yet broken: lib/README)"* ]] ||
		fail "$stderr"
	printf '#include "pb.h"\n' > "$R/lib/pb.c"
	lint "$R"
	assert_failure 1
	[[ "$stderr" != *"listed twice"* ]] || fail "$stderr"
	n=$(grep -n '^pb <-> pa' "$R/lib/README" | cut -d: -f1)
	[[ "$stderr" == *"layer-lint: lib/README:$n: the cycle pa,pb is broken: take it out of \"Cycles not yet broken\""* ]] ||
		fail "$stderr"
}

@test "layers: every file of lib/ is in the map once, and every file listed is there" {
	copy
	printf '/* a new concern */\n' > "$R/lib/zsign-later.c"
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *'layer-lint: lib/zsign-later.c: not in the map: add a line "zsign-later.c  <its concern>" (or "zsign-later.[ch]" for the pair) under its layer in lib/README'* ]] ||
		fail "$stderr"
	# Listed twice.
	copy
	sed -i '/^zwrite\.\[ch\]/p' "$R/lib/README"
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *"zwrite.c is listed twice"* ]] || fail "$stderr"
	# Listed, gone.
	copy
	rm "$R/lib/referral.h"
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *"referral.h is listed, but lib/referral.h is not there"* ]] ||
		fail "$stderr"
}

@test "layers: a rule's place must still hold its function" {
	copy
	sed -i 's/^nsec3_hash(/nsec3_digest(/' "$R/lib/nsec3.c"
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *"layer-lint: lib/README: lib/nsec3.c:nsec3_hash: lib/nsec3.c no longer defines nsec3_hash: say where the rule lives now"* ]] ||
		fail "$stderr"
	copy
	rm "$R/scripts/lib/method.sh"
	lint "$R"
	assert_failure 1
	[[ "$stderr" == *"scripts/lib/method.sh is not there"* ]] || fail "$stderr"
}

@test "layers: no map is trouble" {
	copy
	rm "$R/lib/README"
	lint "$R"
	assert_failure 2
	[[ "$stderr" == "layer-lint: $R/lib/README: no map of the layers" ]] || fail "$stderr"
}
