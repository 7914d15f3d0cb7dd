#!/bin/sh
# make demo-rehearsal: the complete migration of a built-in sample TLD
# from operator A to operator B in one state directory (ROLE=all: every
# party's keys and a test root in one place), on this machine alone;
# make demo (scripts/demo.sh) runs the three parties apart.  bero-migrate makes
# keys for the root, A and B, a sample TLD of DEMO_DELEGATIONS
# delegations (3000) signed by A and a test root delegating it, then runs
# every step of PROCEDURE.md: each prints the pipeline that ran, the
# zdiff-dnssec summary against the previous stage and the zcheck-chain
# verdict.  The zone moves between the operators as files
# (TRANSFER=file), and the clock is advanced past each wait through
# BERO_NOW, the time bero-migrate uses as now: the waits are enforced as
# they would be, only nobody sleeps.  Everything stays in demo-rehearsal/state
# (the stages, the reports, the log) with the plan's timeline in
# demo-rehearsal/plan.svg.
#
# usage: sh scripts/demo/rehearsal.sh [BINDIR]
# (DEMO_OUT: another place than demo-rehearsal; DEMO_DELEGATIONS: the size)
set -eu
bin=$(cd "${1:-build/bin}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
PATH=$bin:$top/scripts:$PATH
export PATH
out=${DEMO_OUT:-$top/demo-rehearsal}
state=$out/state
n=${DEMO_DELEGATIONS:-3000}

for t in zcanon zmerge-dnskey zadd-bero-ns ds-from-dnskey zdiff-dnssec \
    zresign zcheck-chain; do
	command -v "$t" > /dev/null || {
		echo "demo: $t is missing from $bin: make it first" >&2
		exit 2
	}
done

rm -rf "$out"
mkdir -p "$out"
BERO_NOW=${BERO_NOW:-$(date +%s)}
export BERO_NOW

echo "== bero-migrate init: keys for the root, A and B; a sample TLD of $n delegations signed by A; a test root"
bero-migrate -d "$state" init -N "$n"

shown=
for s in 1 2a 2b 3 4 5 6 7 8 9 10 11 12 13; do
	due=$(bero-migrate -d "$state" when "$s")
	if [ "$due" -gt "$BERO_NOW" ]; then
		if [ -z "$shown" ]; then
			# Once, to show it: the driver refuses a step whose
			# wait has not elapsed.
			echo
			echo "\$ bero-migrate -d $state step $s   # too early"
			bero-migrate -d "$state" step "$s" || true
			shown=1
		fi
		echo
		echo "-- the clock moves on by $((due - BERO_NOW)) s (BERO_NOW=$due): the wait before step $s"
		BERO_NOW=$due
	fi
	echo
	# The operators renew signatures before they run short (KSK_B's
	# over the DNSKEY RRset that holds A's keys last 4 days).
	bero-migrate -d "$state" refresh
	bero-migrate -d "$state" step "$s"
done

echo
bero-migrate -d "$state" status
echo
bero-migrate -d "$state" plan -o "$out/plan.svg"
echo
echo "The stages are in $state: a/ b/ root/ r/ (each party's files, one per"
echo "step), published/ (what each serves now), history/, reports/ (the"
echo "pipelines, zdiff-dnssec reports and zcheck-chain verdicts of each step),"
echo "log; the timeline is $out/plan.svg."
