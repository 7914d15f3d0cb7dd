# Shared by the lab's bats files (t/08NN-lab-*.bats): when the lab may
# run, where it keeps its logs, and how it reports.
. "$BATS_TEST_DIRNAME/lab/lab.sh"

# lab_setup_file NAME: skip the whole file with the reason when the lab
# cannot run here; otherwise a new lab whose logs stay in
# $(dirname $BK_BIN)/lab/NAME after the run (the build directory).
lab_setup_file() {
	local reason
	# The lab tests real servers, not our memory safety: "make check"
	# runs it once, in the plain pass.
	if [ "${BK_ASAN:-0}" = 1 ]; then
		skip "the lab runs in the plain pass only (BK_ASAN=1)"
	fi
	[ "$(id -u)" = 0 ] || skip "the lab needs root (port 53)"
	if reason=$(lab_missing); then
		skip "$reason not installed (make deps)"
	fi
	LAB_OUT=${BK_LAB_OUT:-$(dirname "$BK_BIN")/lab}/$1
	rm -rf "$LAB_OUT"
	mkdir -p "$LAB_OUT" || return 1
	if ! lab_init "$LAB_OUT" 2> "$LAB_OUT/init.err"; then
		lab_cleanup
		skip "the lab cannot run here: $(cat "$LAB_OUT/init.err")"
	fi
	export LAB_OUT
}

# Say something on the TAP stream, shown whether the test passes or not.
lab_note() {
	sed 's/^/# /' >&3
}
