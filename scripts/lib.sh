# lib.sh: what bero-migrate and every scripts/step-*.sh share.
#
# Sourced (by bash), never run.  It loads lib/, one concern a file:
#   run.sh       messages; the pipelines a step runs and prints
#   state.sh     the state directory: config, log, versions, keys
#   time.sh      times, durations, the TTLs read from the zones
#   waits.sh     the wait rules of PROCEDURE.md, the plan, headroom (G8)
#   views.sh     what resolvers may combine; zcheck-chain; the report
#   zone.sh      apex, serials, stripping and marking zone data
#   checks.sh    the table's checks that are not zcheck-chain's
#   parent.sh    the registry's requests and the test root
#   handover.sh  the zone between operators (file, AXFR with TSIG)
#   observe.sh   what the parent's and the operators' servers serve now
#   publish.sh   the verdict, publication and its hook
#   role.sh      whose directory this is (ROLE), what it holds and runs
#   token.sh     keys named by their PKCS #11 URIs (init -k pkcs11:...)
#   bundle.sh    the hand-overs between the parties (export, import)
#   parts.sh     each party's part of a step, in its own directory
#   sync.sh      the living zone: sync, refresh, short KSK_B signatures
#   method.sh    the methods (exchange, double-ds): steps, parties, titles
#   backout.sh   the way back to A alone: its steps, waits and changes
#
# Every function works in the state directory: the driver changes to it
# before it runs a step, so every path below is relative to it, and the
# pipelines a step prints read as they would be typed there.
#
# Zone files are the tools' canonical output: one record a line, fields
# separated by tabs (owner, TTL, class, type, RDATA), owners lower case,
# the SOA first.  The awk programs here rely on that form.

set -o pipefail
PROG=bero-migrate

# The steps of PROCEDURE.md in their order; 0 is "init".  state_load
# sets them for the config's METHOD (lib/method.sh).
STEPS="0 1 2a 2b 3 4 5 6 7 8 9 10 11 12 13"

for _lib in run state time waits views zone checks parent handover observe publish \
    role token bundle parts sync method backout; do
	# shellcheck source=/dev/null
	. "$BERO_SHARE/lib/$_lib.sh" || {
		printf 'bero-migrate: cannot read %s\n' "$BERO_SHARE/lib/$_lib.sh" >&2
		exit 2
	}
done
unset _lib
