#!/usr/bin/env bats
# One state directory, one driver: the lock and who holds it; a log line
# that is not one the driver wrote is an error (file:line), and so is a
# time that goes back; plan -o never writes through a link planted at
# its temporary file; and the test clock, BERO_NOW, is always said.

load helper
load bero-migrate

setup_file() { bm_after_2a_file; }
setup() { bm_after_2a; }

# The processes the hook of the first test left behind, stopped by pid
# even when the test failed; and the driver let go.
teardown() {
	local pid
	cd "$BATS_TEST_TMPDIR" || return 0
	: > go
	[ -f children ] || return 0
	while read -r pid; do
		kill "$pid" 2> /dev/null || true
	done < children
}

# wait_for FILE: until it exists (20 s at most).
wait_for() {
	local i
	for i in $(seq 200); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

@test "a second driver on the same state directory: refused, naming the first one's pid; the lock goes with the driver" {
	local pid
	# A publish hook that waits for a go, and leaves a process behind
	# (as a hook that starts a name server would).
	cat > hook <<'EOS'
#!/bin/sh
d=$(dirname "$0")
sleep 300 > /dev/null 2>&1 &
echo $! >> "$d/children"
: > "$d/started"
i=0
while [ ! -e "$d/go" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
EOS
	chmod +x hook
	BERO_PUBLISH_HOOK=$PWD/hook BERO_NOW=$((T0 + 4200)) \
	    bero-migrate -d st step 2b > first.out 2>&1 &
	pid=$!
	wait_for started
	for args in status "step 2b" "when 2b" plan; do
		# shellcheck disable=SC2086
		BERO_NOW=$((T0 + 4200)) runs bero-migrate -d st $args
		assert_trouble bero-migrate "(^|"$'\n'")bero-migrate: st: in use by another bero-migrate \\(pid $pid\\)\$"
	done
	: > go
	wait "$pid"
	grep -q '^step 2b: every check passed$' first.out
	assert_equal "$(bm_time st 2b)" $((T0 + 4200))
	# The hooks' children still run, and hold no lock.
	BERO_NOW=$((T0 + 4200)) runs bero-migrate -d st status
	assert_success
}

# corrupt LINE PATTERN: the log with its last line replaced is refused
# by every command that reads it.
corrupt() {
	sed -i '$d' st/log
	printf '%s\n' "$1" >> st/log
	for args in status "when 2b" "step 2b" plan; do
		# shellcheck disable=SC2086
		BERO_NOW=$((T0 + 9999)) runs bero-migrate -d st $args
		assert_trouble bero-migrate "bero-migrate: st/log:3: $2"
	done
}

@test "a corrupt log line: an error naming the file and line, never 'the migration is complete'" {
	corrupt 'garbage' "'garbage': not a step, a time and a party"
	corrupt "2a $T0" "'2a $T0': not a step, a time and a party"
	corrupt "2a soon a+b" "'2a soon a\\+b': not a step, a time and a party"
	corrupt "2a $T0 a+b extra" "'2a $T0 a\\+b extra': not a step, a time and a party"
	corrupt "13 $T0 a" "step 13 where step 2a comes next"
	corrupt "2b $T0 a+b" "step 2b where step 2a comes next"
	corrupt "2a $T0 r" "step 2a done by 'r', not by a\\+b"
	corrupt "2a;touch\$IFS\\pwned $T0 a+b" "step 2a;touch"
	[ ! -e st/pwned ]
	sed -i '$d' st/log
	runs bero-migrate -d st status
	assert_success
	: > st/log
	runs bero-migrate -d st status
	assert_trouble bero-migrate 'st/log: empty; run init'
}

@test "a logged time earlier than the step before it: refused; a clock behind the log: refused" {
	sed -i '$d' st/log
	printf '2a %s a+b\n' $((T0 - 1)) >> st/log
	runs bero-migrate -d st status
	assert_trouble bero-migrate 'st/log:3: step 2a at 2026-11-30 23:59:59 UTC, before the step logged above it \(2026-12-01 00:00:00 UTC\)'
	sed -i '$d' st/log
	printf '2a %s a+b\n' $((T0 + 9000)) >> st/log
	BERO_NOW=$((T0 + 8999)) runs bero-migrate -d st step 2b
	assert_trouble bero-migrate 'step 2b: now \(.*\) is before step 2a was done \(.*\): the clock is behind the log'
	[ ! -e st/history/a-2b.zone ]
}

@test "plan -o: a link planted at the temporary file's name is not followed" {
	mkdir pic
	cd pic
	echo precious > victim
	ln -s victim t.svg.new
	ln -s victim t.svg.XXXXXX
	runs bero-migrate plan -o t.svg -t 20261201000000
	assert_success
	assert_equal "$(cat victim)" precious
	[ -f t.svg ] && [ ! -L t.svg ]
	xmllint --noout t.svg
	# A link at the picture itself is replaced, not written through.
	rm t.svg
	ln -s victim t.svg
	runs bero-migrate plan -o t.svg -t 20261201000000
	assert_success
	assert_equal "$(cat victim)" precious
	[ -f t.svg ] && [ ! -L t.svg ]
	# Nothing else is left, and the picture has the umask's mode.
	run ls
	assert_output "t.svg
t.svg.XXXXXX
t.svg.new
victim"
	(umask 022; bero-migrate plan -o m.svg -t 20261201000000 > /dev/null)
	assert_equal "$(stat -c %a m.svg)" 644
}

@test "plan -d -o: the picture's path is taken from where plan was called" {
	BERO_NOW=$T0 runs bero-migrate -d st plan -o here.svg
	assert_success
	[ -s here.svg ] && [ ! -e st/here.svg ]
}

@test "BERO_NOW is said on standard error whenever it is in effect" {
	BERO_NOW=$T0 runs bero-migrate -d st status
	assert_success
	assert_equal "$stderr" "bero-migrate: clock: BERO_NOW=$T0 in effect"
	BERO_NOW=$((T0 + 4200)) runs bero-migrate -d st step 2b
	assert_success
	assert_equal "$stderr" "bero-migrate: clock: BERO_NOW=$((T0 + 4200)) in effect"
	BERO_NOW=$T0 runs bero-migrate plan -t 20261201000000
	assert_equal "$stderr" ""
	# The clock of the config (NOW_CMD): nothing said.
	echo "NOW_CMD='echo $((T0 + 4200))'" >> st/config
	runs bero-migrate -d st status
	assert_success
	assert_equal "$stderr" ""
}
