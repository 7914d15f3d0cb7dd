# lib/run.sh: messages (die, fail, ok) and the pipelines a step runs and
# prints (run): one pipeline a call, given as words, never as a string
# for eval.
#
# Sourced by lib.sh, never run alone.

# die stops the whole run with status 2.  Called in a subshell (a
# command substitution, a stage of a pipeline), exit alone would end only
# the subshell, and its caller could go on with an empty value (a TTL of
# 0, a wait already over): so the main shell is told to stop as well, and
# every caller also checks the status of what it runs.
die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	[ "$BASHPID" = "$BERO_MAIN" ] || kill -USR1 "$BERO_MAIN" 2> /dev/null
	exit 2
}
BERO_MAIN=$BASHPID
trap 'exit 2' USR1

say() {
	printf '%s\n' "$*"
}

# A check that failed: said on standard error, remembered, and the step
# goes on so that every problem is reported; verdict() then stops it.
FAILED=0

fail() {
	printf '%s: step %s: %s\n' "$PROG" "${STEP:-?}" "$*" >&2
	FAILED=1
}

ok() {
	say "  ok: $*"
}

# Run one pipeline: print it as it would be typed, keep it in
# reports/STEP.pipeline, then run it.  A pipeline that fails (any
# command of it: pipefail) stops the step with status 2.
#
# The pipeline is given as words, never as a string for eval: the data
# in it (file, zone and key names) are arguments and nothing else.  The
# words '|', '<' and '>' are the pipe and the redirections of standard
# input and output of the command they follow; every other word is an
# argument, printed with shell quoting where it needs it.  Such a word
# is never data: a file name is a path (it holds a "/" or a step name),
# a name ends in a dot, and the words of the config's options are
# checked (state_load).
#   run zcanon -U -z "$TLD" "$f" '>' a/step-0.unsigned
run() {
	local t0 t1 rc text
	pipeline_text text "$@"
	say "\$ $text"
	printf '%s\n' "$text" >> "reports/$STEP.pipeline"
	t0=${EPOCHREALTIME/./}
	pipeline_run "$@"
	rc=$?
	[ "$rc" -eq 0 ] || die "step $STEP: pipeline failed (status $rc): $text"
	t1=${EPOCHREALTIME/./}
	printf '  (%d.%02d s)\n' $(( (t1 - t0) / 1000000 )) \
	    $(( (t1 - t0) / 10000 % 100 ))
}

# shq VAR WORD: WORD as the shell reads it back, into VAR: as it is when
# it holds nothing the shell treats specially, else in single quotes.
shq() {
	case $2 in
	'') printf -v "$1" "''" ;;
	*[!A-Za-z0-9_./:=@%+,-]*) printf -v "$1" "'%s'" "${2//\'/\'\\\'\'}" ;;
	*) printf -v "$1" '%s' "$2" ;;
	esac
}

# pipeline_text VAR WORD...: the pipeline as one line, into VAR.
pipeline_text() {
	local _v=$1 _w _q _out= _sep=
	shift
	for _w; do
		case $_w in
		'|'|'<'|'>') _q=$_w ;;
		*) shq _q "$_w" ;;
		esac
		_out=$_out$_sep$_q
		_sep=' '
	done
	printf -v "$_v" '%s' "$_out"
}

# pipeline_run WORD...: run the pipeline.  What comes before the last
# '|' feeds the last command.
pipeline_run() {
	local -a w=("$@")
	local i last=-1
	for ((i = 0; i < ${#w[@]}; i++)); do
		[ "${w[i]}" = '|' ] && last=$i
	done
	if [ "$last" -lt 0 ]; then
		pipeline_cmd "$@"
	else
		pipeline_run "${w[@]:0:last}" | pipeline_cmd "${w[@]:last+1}"
	fi
}

# pipeline_cmd WORD...: one command of a pipeline, with its redirections.
pipeline_cmd() {
	local in= out= hasin= hasout=
	local -a cmd=()
	while [ $# -gt 0 ]; do
		case $1 in
		'<'|'>')
			[ $# -ge 2 ] && [ -n "$2" ] ||
			    die "step ${STEP:-?}: pipeline: '$1' names no file"
			if [ "$1" = '<' ]; then in=$2 hasin=1; else out=$2 hasout=1; fi
			shift 2 ;;
		*)
			cmd+=("$1")
			shift ;;
		esac
	done
	[ "${#cmd[@]}" -gt 0 ] || die "step ${STEP:-?}: pipeline: an empty command"
	if [ -n "$hasin" ] && [ -n "$hasout" ]; then
		"${cmd[@]}" < "$in" > "$out"
	elif [ -n "$hasin" ]; then
		"${cmd[@]}" < "$in"
	elif [ -n "$hasout" ]; then
		"${cmd[@]}" > "$out"
	else
		"${cmd[@]}"
	fi
}
