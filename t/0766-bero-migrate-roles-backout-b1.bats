#!/usr/bin/env bats
# The back-out from step 10 on in three state directories (A, B, the
# registry), as t/0758, and what A knows of B's b1 (issue 13: a time
# that something happened is observed, never assumed).  A observes no
# step between 9 and 12: backing out from its step 9 while B did step 10,
# A's b4 must wait for B's b1 (Tb1 + Dprp_C + TTL_KEY) and follow its
# serial, so A asks B's servers before its first back-out step: a
# DNSKEY RRset without A's keys (B's step 10) or a serial A has not
# taken (B's b1) is refused, naming the bundle b-b1; a server that
# cannot be asked logs nothing (both methods); B's refresh once A's
# refresh took its serial is no b1.  B's b1 with A's zone by zone transfer
# (TRANSFER=axfr, no bundle a-b1), a zone whose KSK_A signature was
# altered refused; A with its own signer (A_SIGNER=external, here from
# step 10 on: roles_forward signs for A with berokit) at b4 after b1,
# its zone given with backout -f, one whose serial does not follow B's
# b1 refused.

load helper
load bero-migrate
load bero-roles
load bero-backout
. "$BATS_TEST_DIRNAME/lab/servers.sh"

setup_file() {
	roles_file_setup 2592000 || return 1
	cp root.zone root.zone.0
	[ -z "$ZCS_SKIP" ] || return 0
	# A's primary for zone transfers (TSIG), as t/0750 and t/0752 run it.
	cp src/a.signed "$ZCS_DIR/zones/axfr.zone" &&
	    roles_nsd_xfr axfr 127.75.1.11 "$ZCS_DIR/zones/axfr.zone" && zcs_ready
}

teardown_file() {
	zcs_stop
}

setup() {
	roles_backout_setup
}

# serial_of ZONE: the SOA serial of a canonical zone file.
serial_of() {
	awk -F '\t' '$4 == "SOA" { split($5, f, " "); print f[3]; exit }' "$1"
}

@test "A, whose log ends at 9, backs out from there only once it knows of B's b1: refused while B's servers serve B's step 10 or b1 and b-b1 is not taken, nothing logged while they cannot be asked; then b1 from b-b1 and b4 after its wait" {
	local before b10
	roles_forward 10
	T=$((T + 3600))
	assert_equal "$(awk 'END { print $1 }' a/log)" 9
	# B did step 10: its servers serve B's keys alone.
	before=$(snapshot a)
	runs at $T bero-migrate -d a backout
	refused_here a "$before" "backout step b4 refused: ns1.nic-b.example. \\(127.75.2.1 port $ZCS_PORT\\) of operator B serves a DNSKEY RRset without A's keys: B did step 10, which A's log does not show; A's back-out waits for B's back-out step b1, which puts them back: export b1 for B \\(A's zone with a new KSK_A signature\\), then import B's bundle b-b1"
	[ ! -e a/backout-log ]
	# B's b1: A's keys back, a serial A has not taken.
	bero-migrate -d a export b1 -o a-b1 > /dev/null
	at $T bero-migrate -d b import a-b1 > /dev/null
	ok_at $T b backout
	assert_output --partial "logged: back-out step b1 at"
	bero-migrate -d b export b1 -o b-b1 > /dev/null
	runs at $T bero-migrate -d a backout
	refused_here a "$before" "backout step b4 refused: ns1.nic-b.example. \\(127.75.2.1 port $ZCS_PORT\\) of operator B serves serial $(serial_of b/published/b/example.zone), not $(serial_of a/published/b/example.zone) of B's zone here \\(published/b/example.zone\\) nor $(serial_of a/published/a/example.zone) of A's: B published a zone A has not followed, .*its back-out step b1 \\(import B's bundle b-b1\\)"
	[ ! -e a/backout-log ]
	# B's server cannot be asked: nothing logged (fail closed).
	roles_serve bfile /dev/null
	sleep 1
	runs at $T bero-migrate -d a backout
	assert_failure 1
	assert_output --partial "back-out step b4: ns1.nic-b.example. (127.75.2.1 port $ZCS_PORT) of operator B cannot be asked"
	assert_equal "$(snapshot a)" "$before"
	[ ! -e a/backout-log ]
	roles_serve bfile b/published/b/example.zone
	sleep 1
	# With b-b1, A logs b1 when B's servers serve it; its b4 waits.
	at $T bero-migrate -d a import b-b1 > /dev/null
	at $T bero-migrate -d r import b-b1 > /dev/null
	for d in a r; do
		ok_at $T $d backout
		assert_output --partial "observed: every address of operator B serves b/step-b1.zone"
		assert_output --partial "logged: back-out step b1 at"
	done
	backout_b4
	b10=$(serial_of b/history/b-b1.zone)
	[ "$(serial_of a/published/a/example.zone)" -gt "$b10" ]
	assert_equal "$(serial_of b/published/b/example.zone)" "$(serial_of a/published/a/example.zone)"
	assert_equal "$(awk '{ print $1 }' a/backout-log | tr '\n' ' ')" "b1 b4 "
}

# b4_b_then_r: B's part of b4 at T (A's bundle or zone transfer taken),
# served at both operators' serial; A and the registry take b-b4, the
# registry logs b4.
b4_b_then_r() {
	ok_at $T b backout
	assert_output --partial "logged: back-out step b4 at"
	assert_equal "$(served 127.75.1.1)" "$(served 127.75.2.1)"
	bero-migrate -d b export b4 -o b-b4 > /dev/null
	at $T bero-migrate -d a import b-b4 > /dev/null
	at $T bero-migrate -d r import b-b4 > /dev/null
	ok_at $T r backout
	assert_output --partial "logged: back-out step b4 at"
}

# a_signer_b4 OUT SERIAL: what A's own signer (BIND's dnssec-signzone,
# A's keys) makes for A's part of b4: B's data of b1 as A took it
# (a/b/step-b1.zone, stripped of DNSSEC) with NS_A back at the apex, B's
# public keys as records, and the serial SERIAL.
a_signer_b4() {
	{
		zcanon -U -z example. a/b/step-b1.zone |
		    awk -F '\t' -v OFS='\t' -v s="$2" '$4 == "SOA" { n = split($5, f, " ")
			f[3] = s; $5 = f[1]; for (i = 2; i <= n; i++) $5 = $5 " " f[i] } { print }'
		grep -h 'DNSKEY' b/keys/b/*.key | grep -v '^;'
		printf 'example.\t86400\tIN\tNS\tns1.nic-a.example.\n'
		printf 'example.\t86400\tIN\tNS\tns2.nic-a.example.\n'
	} > "$1.unsigned" || return 1
	roles_a_sign src "$1" "$1.unsigned"
}

@test "A with its own signer (A_SIGNER=external) at b4 after B's b1: the zone its signer made with NS_A back (backout -f), a serial after B's b1; one whose serial does not follow it refused, nothing published" {
	local s1 before
	roles_forward 10
	# From here A's own signer signs A's zone; berokit keeps A's public
	# keys only.
	sed -i 's/^A_SIGNER=berokit$/A_SIGNER=external/' a/config
	grep -qx 'A_SIGNER=external' a/config
	rm a/keys/a/*.private
	backout_b1
	s1=$(serial_of a/b/step-b1.zone)
	assert_equal "$s1" "$(serial_of b/published/b/example.zone)"
	T=$(due a b4)
	[ "$(due b b4)" -le "$T" ] || T=$(due b b4)
	runs at $T bero-migrate -d a backout
	assert_trouble bero-migrate "step b4: -f file: A signs with its own signer \\(A_SIGNER=external\\): give the zone it signed for this step"
	# Its signer's zone at B's serial of b1: not after it (G5).
	a_signer_b4 same.signed "$s1"
	before=$(snapshot a)
	runs at $T bero-migrate -d a backout -f same.signed
	assert_failure 1
	[[ "$stderr" == *"step b4: serial $s1 of a/step-b4.zone does not follow $s1 of published/b/example.zone (RFC 1982)"* ]]
	assert_output --partial "step b4: a check failed; nothing published"
	assert_equal "$(snapshot a)" "$before"
	assert_equal "$(awk '{ print $1 }' a/backout-log | tr '\n' ' ')" "b1 "
	# One up: A's part, then B's with A's serial, the registry observes.
	a_signer_b4 a-b4.signed $((s1 + 1))
	ok_at $T a backout -f a-b4.signed
	assert_output --partial "ok: apex NS of a/step-b4.zone: ns1.nic-a.example. ns1.nic-b.example. ns2.nic-a.example. ns2.nic-b.example."
	assert_output --partial "ok: serial $((s1 + 1)) of a/step-b4.zone follows $s1 of published/b/example.zone (RFC 1982)"
	assert_output --partial "ok: the DNSKEY RRset of a/step-b4.zone is signed by a's KSK"
	assert_output --partial "logged: back-out step b4 at"
	[[ " $(dnskey_sigs a/published/a/example.zone) " != *" $(ksk_tag b/keys/b) "* ]]
	bero-migrate -d a export b4 -o a-b4 > /dev/null
	at $T bero-migrate -d b import a-b4 > /dev/null
	b4_b_then_r
	assert_equal "$(serial_of b/published/b/example.zone)" $((s1 + 1))
	roles_scan_parties a0 b1 a2a b2a a2b b2b b6 a6 b10 a-b1 b-b1 a-b4 b-b4
}

# kskA_altered IN OUT: the zone with KSK_A's signature over the DNSKEY
# RRset altered (one base64 character of it changed).
kskA_altered() {
	awk -F '\t' -v OFS='\t' -v tag="$(ksk_tag src/akeys)" '$4 == "RRSIG" && $5 ~ /^DNSKEY / {
	    n = split($5, w, " ")
	    if (w[7] == tag) { c = substr(w[n], 8, 1)
		w[n] = substr(w[n], 1, 7) (c == "A" ? "B" : "A") substr(w[n], 9)
		$5 = w[1]; for (i = 2; i <= n; i++) $5 = $5 " " w[i] } } { print }' "$1" > "$2"
}

@test "B's b1 from step 12 by zone transfer (TRANSFER=axfr, TSIG): KSK_A's signature over the four keys from A's primary, no bundle a-b1; a zone whose KSK_A signature was altered refused, nothing published; then b2 to b4" {
	local before
	roles_forward 12
	# B takes A's zones by transfer from A's primary from here.
	cat >> b/config <<EOC
TRANSFER=axfr
A_XFR_ADDR=127.75.1.11@$ZCS_PORT
TSIG_NAME=$ROLES_TSIG_NAME
EOC
	(umask 077 && printf 'hmac-sha256:%s:%s\n' "$ROLES_TSIG_NAME" "$ROLES_TSIG_SECRET" > b/keys/tsig.key)
	T=$((T + 3600))
	# A's primary serves A's zone with KSK_A's signature altered.
	kskA_altered a/published/a/example.zone altered.zone
	! cmp -s altered.zone a/published/a/example.zone || false
	roles_serve axfr altered.zone
	sleep 1
	before=$(snapshot b)
	runs at $T bero-migrate -d b backout
	assert_failure 1
	assert_output --partial "kdig -k keys/tsig.key @127.75.1.11@$ZCS_PORT example. AXFR"
	assert_output --partial "step b1: a check failed; nothing published"
	assert_equal "$(snapshot b)" "$before"
	[ ! -e b/backout-log ]
	# A's primary serves A's zone as A serves it.
	roles_serve axfr a/published/a/example.zone
	sleep 1
	ok_at $T b backout
	assert_output --partial "kdig -k keys/tsig.key @127.75.1.11@$ZCS_PORT example. AXFR"
	assert_output --partial "ok: the DNSKEY RRset of b/step-b1.zone is signed by a's KSK"
	assert_output --partial "logged: back-out step b1 at"
	[[ " $(dnskey_sigs b/published/b/example.zone) " == *" $(ksk_tag src/akeys) "* ]]
	assert_equal "$(grep -c $'^example\.\t[0-9]*\tIN\tDNSKEY\t' b/published/b/example.zone)" 4
	[ ! -e b/a/step-b1.xfr ] || cmp -s <(zcanon -z example. b/a/step-b1.xfr) <(zcanon -z example. a/published/a/example.zone)
	bero-migrate -d b export b1 -o b-b1 > /dev/null
	for d in a r; do
		at $T bero-migrate -d $d import b-b1 > /dev/null
		ok_at $T $d backout
		assert_output --partial "logged: back-out step b1 at"
	done
	backout_parent b3 b2 "a b r"
	# b4: B takes A's zone of b4 from A's primary.
	T=$(due a b4)
	[ "$(due b b4)" -le "$T" ] || T=$(due b b4)
	ok_at $T a backout
	roles_serve axfr a/published/a/example.zone
	sleep 1
	b4_b_then_r
	grep -q "kdig -k keys/tsig.key @127.75.1.11@$ZCS_PORT example. AXFR" b/reports/b4.out
	roles_scan_all a0 b1 a2a b2a a2b b2b b6 a6 b10 b-b1 b-b4
	assert_equal "$(stat -c %a b/keys/tsig.key)" 600
}

@test "back-out from step 9 after a refresh of B's that A followed: A's own serial at B's servers is no b1, A's b4 goes on as from 9; refused before A's refresh took that serial" {
	local before s
	roles_forward 9
	T=$((T + 3600))
	# B renews every signature (its config: a refresh window of about
	# 30 days), which takes its serial one up.
	echo REFRESH_MARGIN=1200000 >> b/config
	runs at $T bero-migrate -d b refresh
	assert_success
	assert_output --partial "refresh-1: every check passed"
	s=$(served 127.75.2.1)
	[ "$s" -gt "$(serial_of a/published/a/example.zone)" ]
	before=$(snapshot a)
	runs at $T bero-migrate -d a backout
	refused_here a "$before" "backout step b4 refused: ns1.nic-b.example. \\(127.75.2.1 port $ZCS_PORT\\) of operator B serves serial $s, not $(serial_of a/published/b/example.zone) of B's zone here \\(published/b/example.zone\\) nor $(serial_of a/published/a/example.zone) of A's: .*a refresh of B's \\(A's refresh takes its serial\\)"
	# A's refresh takes B's serial (G5): B has published nothing A
	# does not follow, and A's back-out is as from 9, without b1.
	runs at $T bero-migrate -d a refresh
	assert_success
	assert_output --partial "this refresh takes it (G5)"
	assert_equal "$(served 127.75.1.1)" "$s"
	ok_at $T a backout
	assert_output --partial "observed: every address of operator B serves serial $s with A's keys in its DNSKEY RRset"
	assert_output --partial "logged: back-out step b4 at"
	assert_equal "$(awk '{ print $1 }' a/backout-log | tr '\n' ' ')" "b4 "
	[ "$(serial_of a/published/a/example.zone)" -gt "$s" ]
}

@test "double-DS: A, whose log ends at 9, refused while B's servers serve B's step 10 (no bundle of A's to give: B's b1 has KSK_B's signature only); then b1 from b-b1 and b4 after its wait" {
	local before
	roles_forward 10 double-ds
	assert_equal "$(awk 'END { print $1 }' a/log)" 9
	before=$(snapshot a)
	runs at $((T + 3600)) bero-migrate -d a backout
	refused_here a "$before" "backout step b4 refused: ns1.nic-b.example. \\(127.75.2.1 port $ZCS_PORT\\) of operator B serves a DNSKEY RRset without A's keys: B did step 10, which A's log does not show; A's back-out waits for B's back-out step b1, which puts them back: import B's bundle b-b1 once B did it"
	[ ! -e a/backout-log ]
	backout_b1
	backout_b4
	assert_equal "$(awk '{ print $1 }' a/backout-log | tr '\n' ' ')" "b1 b4 "
}
