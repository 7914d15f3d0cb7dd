# lib/publish.sh: the end of a step: the verdict, publication of what a
# party serves (atomically, kept in the history, the publish hook), and
# A's stopping.
#
# Sourced by lib.sh, never run alone.

# Step 13: a party stops serving the zone.
stop_serving() {
	local f
	f=$(current "$1")
	[ "$FAILED" -eq 0 ] || die "step $STEP: stop after a failed check"
	rm -f "$f" || die "step $STEP: cannot remove $f"
	say "  removed: $f ($1 no longer answers for $TLD)"
	hook "$1" "$f"
}

# Stop here when a check failed: nothing is published.
verdict() {
	if [ "$FAILED" -ne 0 ]; then
		say "step $STEP: a check failed; nothing published"
		exit 1
	fi
	say "step $STEP: every check passed"
}

# Publish a file as what a party serves now (atomically: copy, then
# rename), keep it in the history, and run the hook (the lab reloads its
# server there).
publish() {
	local party=$1 file=$2 dest hist
	[ "$FAILED" -eq 0 ] || die "step $STEP: publish after a failed check"
	dest=$(current "$party")
	case $party in
	ds) hist=history/ds-$STEP.txt ;;
	*) hist=history/$party-$STEP.zone ;;
	esac
	mkdir -p "$(dirname "$dest")" history
	cp "$file" "$dest.new" && mv -f "$dest.new" "$dest" ||
	    die "step $STEP: cannot publish $dest"
	cp "$file" "$hist" || die "step $STEP: cannot keep $hist"
	say "  published: $dest"
	hook "$party" "$dest"
	hooked "$party"
}

# Remember that a publication of the running step is complete, its hook
# included: a step resumed later (step 6) runs again a hook that did
# not succeed, and the step is logged only once every one did.
hooked() {
	printf '%s %s\n' "$STEP" "$1" >> history/hooked ||
	    die "step $STEP: history/hooked: cannot write"
}

# rehook PARTY: a version of PARTY that an earlier run of this step
# published: its hook runs again unless it succeeded then.
rehook() {
	local dest
	dest=$(current "$1")
	if [ -f history/hooked ] && grep -qxF "$STEP $1" history/hooked; then
		return 0
	fi
	cmp -s "$dest" "history/$1-$STEP.zone" ||
	    die "step $STEP: $dest is not history/$1-$STEP.zone, which an earlier run of this step published"
	say "  the publish hook for $dest did not succeed in that run: again"
	hook "$1" "$dest"
	hooked "$1"
}

# The publish hook: BERO_PUBLISH_HOOK party /absolute/path.
hook() {
	[ -n "${BERO_PUBLISH_HOOK:-}" ] || return 0
	[ "$1" = ds ] && return 0
	$BERO_PUBLISH_HOOK "$1" "$PWD/$2" ||
	    die "step $STEP: publish hook failed for $1 $2"
}
