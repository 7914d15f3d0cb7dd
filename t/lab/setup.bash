# Shared by the lab's bats files (t/08NN-lab-*.bats): when the lab may
# run, where it keeps its logs, and how it reports.
. "$BATS_TEST_DIRNAME/lab/lab.sh"

# lab_setup_file NAME: a new lab whose logs stay in
# $(dirname $BK_BIN)/lab/NAME after the run (the build directory), or,
# when the lab cannot run here, the reason in LAB_SKIP: lab_setup skips
# every test with it (Bats 1.8 cannot skip from setup_file).
lab_setup_file() {
	LAB_SKIP=
	export LAB_SKIP
	# The lab tests real servers, not our memory safety: "make check"
	# runs it once, in the plain pass.
	if [ "${BK_ASAN:-0}" = 1 ]; then
		LAB_SKIP="the lab runs in the plain pass only (BK_ASAN=1)"
	elif [ "$(id -u)" != 0 ]; then
		LAB_SKIP="the lab needs root (port 53)"
	elif LAB_SKIP=$(lab_missing); then
		LAB_SKIP="$LAB_SKIP not installed (make deps)"
	else
		LAB_SKIP=
	fi
	[ -z "$LAB_SKIP" ] || return 0
	LAB_OUT=${BK_LAB_OUT:-$(dirname "$BK_BIN")/lab}/$1
	export LAB_OUT
	rm -rf "$LAB_OUT"
	mkdir -p "$LAB_OUT" || return 1
	if ! lab_init "$LAB_OUT" 2> "$LAB_OUT/init.err"; then
		lab_cleanup
		LAB_SKIP="the lab cannot run here: $(cat "$LAB_OUT/init.err")"
	fi
}

# In setup: skip when the lab cannot run, else load it.
lab_setup() {
	[ -z "${LAB_SKIP:-}" ] || skip "$LAB_SKIP"
	lab_load
}

# Say something on the TAP stream, shown whether the test passes or not.
lab_note() {
	sed 's/^/# /' >&3
}
