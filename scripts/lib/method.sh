# lib/method.sh: the two methods of the migration and their steps: the
# order of the steps, who does each, and what each does, in one place
# for the driver, the step scripts, plan and the per-party roles.
#
#   exchange   the signature exchange (RFC 6781 section 4.3.5.1, RFC 8901
#              model 2): B's DNSKEY RRset carries KSK_A's signature, so
#              that a resolver holding only DS_A may reach B.
#   double-ds  Double-DS (RFC 6781 section 4.1.2) applied to a change of
#              operator: no exchanged signature; the root gets DS_B
#              beside DS_A (steps ds3, ds4) and the DS set {DS_A} leaves
#              the caches before B is in any NS set (step 2b).
#
# Sourced by lib.sh, never run alone.

METHODS="exchange double-ds"

# steps_of METHOD: the steps of a method in their order; 0 is "init".
steps_of() {
	case $1 in
	exchange) echo "0 1 2a 2b 3 4 5 6 7 8 9 10 11 12 13" ;;
	double-ds) echo "0 1 2a ds3 ds4 2b 3 4 5 6 7 8 9 10 11 12 13" ;;
	*) return 1 ;;
	esac
}

# method_load: the config's METHOD (exchange when unset) checked, and
# STEPS set to its steps.
method_load() {
	: "${METHOD:=exchange}"
	STEPS=$(steps_of "$METHOD") ||
	    die "config: METHOD='$METHOD': not exchange or double-ds"
}

# Whether the operators exchange KSK signatures over the DNSKEY RRset.
exchanges() {
	[ "${METHOD:-exchange}" = exchange ]
}

# Who performs each step (the log's party field): lib/role.sh's table.
party_of() {
	case $1 in
	b[0-9]*) backout_party "$1" ;;
	*) step_field 1 "$1" ;;
	esac
}

# The parent's steps: they take IANA's time after the request.
parent_step() {
	[ "$(party_of "$1")" = root ]
}

step_title() {
	case $1 in
	1) echo "B takes A's zone, signs it with its own keys" ;;
	2a) if exchanges; then
		echo "A and B publish both operators' keys, exchange DNSKEY signatures"
	    else
		echo "A and B publish both operators' keys, each signs with its own KSK only"
	    fi ;;
	ds3) echo "the registry asks for DS_A + DS_B (NS stays NS_A)" ;;
	ds4) echo "the root publishes DS_A + DS_B" ;;
	2b) echo "A and B add NS_B at the apex" ;;
	3) if exchanges; then
		echo "the registry asks for NS_A + NS_B and DS_A + DS_B"
	   else
		echo "the registry asks for NS_A + NS_B (DS stays DS_A + DS_B)"
	   fi ;;
	4) if exchanges; then
		echo "the root publishes NS_A + NS_B and DS_A + DS_B"
	   else
		echo "the root publishes NS_A + NS_B"
	   fi ;;
	5) echo "wait: the old root NS/DS and apex NS leave the caches" ;;
	6) echo "B removes NS_A; A serves B's data, signed by A" ;;
	7) echo "the registry asks for NS = NS_B" ;;
	8) echo "the root publishes NS = NS_B" ;;
	9) echo "wait: no resolver reaches A, nothing A signed stays cached" ;;
	10) if exchanges; then
		echo "B removes A's keys and A's signature"
	    else
		echo "B removes A's keys"
	    fi ;;
	11) echo "the registry asks for DS = DS_B" ;;
	12) echo "the root publishes DS = DS_B" ;;
	13) echo "A stops answering for the zone" ;;
	b[0-9]*) backout_title "$1" ;;
	esac
}

# The wait rules of a method, as plan lists them.
method_waits() {
	if exchanges; then
		echo "  2b  T2a + Dprp_C + TTL_KEY(old)"
	else
		echo "  2b  max(T2a + Dprp_C + TTL_KEY(old), Tds4 + Dprp_P + TTL_DS_P)"
	fi
	cat <<'EOF'
  5   max(T4 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P, TTL_DS_P), T2b + Dprp_C + max(TTL_NS_C, TTL_NEG_C))
  9   max(T8 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P), T6 + Dprp_C + TTL_NS_C) + TTL_SIG
  11  max(T10 + Dprp_C + TTL_KEY, max(T8 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P), T6 + Dprp_C + TTL_NS_C) + SERVE_STALE)
  13  max(T8 + Dprp_P + max(TTL_NS_P, TTL_GLUE_P), T6 + Dprp_C + TTL_NS_C) + SERVE_STALE
EOF
	if exchanges; then
		echo "  4, 8, 12: IANA_DELAY after the request (planned, not enforced)"
	else
		echo "  ds4, 4, 8, 12: IANA_DELAY after the request (planned, not enforced)"
	fi
}

# What each method costs, as plan prints it under the table.
method_tradeoffs() {
	cat <<'EOF'
methods (bero-migration(7), METHODS):
  exchange   B's DNSKEY RRset carries KSK_A's signature (RFC 6781 section 4.3.5.1):
             A must sign the four-key RRset with its KSK for B, at step 2a and
             again before that signature runs short; two root changes before
             A leaves (3-4, 7-8) and one after (11-12).
  double-ds  no exchanged signature: each operator signs with its own KSK only
             (RFC 6781 section 4.1.2); one more root change (ds3-ds4: DS_A + DS_B
             while only NS_A is listed) and its wait, Dprp_P + TTL_DS_P after it
             is published, before B is in any NS set (2b).
EOF
}
