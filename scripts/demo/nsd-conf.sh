# scripts/demo/nsd-conf.sh: the configuration of an NSD that runs as the
# invoking user, in the foreground, with every file of its own under one
# directory: the demo's servers (scripts/demo/servers.sh) and the tests'
# (t/lab/lab.sh, t/lab/servers.sh, t/bero-roles.bash).  Sourced; it
# defines functions and nothing else.

# nsd_conf_server DIR PORT ADDR...: the server: clause: answering on
# each ADDR at PORT (over IPv6 too when an ADDR is an IPv6 one), no
# user to change to, no chroot, no database, its zone list, transfer
# state, PID file and log under DIR, one server process.
nsd_conf_server() {
	local d=$1 port=$2 a v6=no
	shift 2
	case $* in *:*) v6=yes ;; esac
	printf 'server:\n'
	for a; do
		printf '\tip-address: %s@%s\n' "$a" "$port"
	done
	cat <<EOF
	do-ip6: $v6
	username: ""
	chroot: ""
	database: ""
	zonesdir: "$d"
	zonelistfile: "$d/zone.list"
	xfrdfile: "$d/xfrd.state"
	xfrdir: "$d"
	pidfile: "$d/nsd.pid"
	logfile: "$d/nsd.log"
	server-count: 1
	reuseport: no
	verbosity: 1
EOF
}

# nsd_conf_probed: more of the server: clause, for a server that tools
# and resolvers ask many questions at once: no version told, no
# response rate limit, the additional section filled.
nsd_conf_probed() {
	cat <<EOF
	hide-version: yes
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
	minimal-responses: no
EOF
}

# nsd_conf_control [DIR]: the remote-control: clause: nsd-control on a
# socket in DIR (nsd-control -c DIR/nsd.conf), or none without DIR.
nsd_conf_control() {
	printf 'remote-control:\n'
	if [ -n "${1:-}" ]; then
		printf '\tcontrol-enable: yes\n\tcontrol-interface: "%s/nsd.ctl"\n' "$1"
	else
		printf '\tcontrol-enable: no\n'
	fi
}
