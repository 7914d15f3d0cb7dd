#!/bin/sh
# install-debs.sh [-n] PACKAGE...: make deps and make deps-demo.
# Installs the Debian packages of the list that are not installed, and
# nothing else; quick when none is missing.  -n: without the packages
# they only recommend (make demo's list).
#
# Debian starts a package's service when it installs it (nsd, unbound:
# a name server and a resolver on port 53 of every interface).  berokit
# starts its own servers on loopback when it needs them (make demo, the
# lab) and wants none of the system's, so while apt-get runs, a
# policy-rc.d that answers 101 ("action forbidden", see
# /usr/share/doc/init-system-helpers/README.policy-rc.d) keeps every
# service from starting, and afterwards the services of the packages
# this run installed are not enabled at boot either (systemctl disable,
# when systemd runs).  A policy-rc.d that is already there is the
# administrator's: it is left as it is, and decides.
#
# BK_POLICY_RC_D: another path than /usr/sbin/policy-rc.d (the tests).
set -u
recommends=
if [ "${1:-}" = -n ]; then
	recommends=--no-install-recommends
	shift
fi
policy=${BK_POLICY_RC_D:-/usr/sbin/policy-rc.d}

missing=
for p; do
	dpkg-query -W -f='${Status}\n' "$p" 2> /dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
echo "installing:$missing"

ours=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# berokit install-debs.sh: no service starts while it installs.\nexit 101\n' \
	    > "$policy" && chmod 755 "$policy" || exit 2
	ours=1
fi
cleanup() {
	[ -z "$ours" ] || rm -f "$policy"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# shellcheck disable=SC2086
apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $recommends $missing ||
    exit 2

# The services of what was installed now: not enabled at boot.
if [ -d /run/systemd/system ] && command -v systemctl > /dev/null; then
	for p in $missing; do
		for u in $(dpkg-query -L "$p" 2> /dev/null |
		    grep -E '^/(usr/)?lib/systemd/system/[^/]+\.service$'); do
			u=${u##*/}
			case $u in *@.service) continue ;; esac
			systemctl disable --now "$u" > /dev/null 2>&1 &&
			    echo "install-debs: $u (from $p) not enabled at boot"
		done
	done
fi
exit 0
