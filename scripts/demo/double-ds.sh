# scripts/demo/double-ds.sh: the steps of make demo with the double-DS
# method (DEMO_METHOD=double-ds; bero-migration(7), Double-DS in the
# parties' directories): RFC 6781 section 4.1.2's Double-DS applied to a
# change of operator.  No KSK signature crosses between the operators:
# A's signer (scripts/demo/a-signer.sh) adds B's keys to A's zone and
# signs the DNSKEY RRset with KSK_A only, B signs the same four-key
# RRset with KSK_B only, and the root serves DS_B beside DS_A (ds3, ds4)
# before B is in any NS set (2b).  Each party types what t/0755 shows a
# real party types; the bundles move as in the exchange method.
#
# Sourced by scripts/demo.sh once step 0 is done (the three directories
# made with init -M double-ds, A's bundle a-0 exported); it uses the
# demo's must, header, wait_for, digests, parent_publish, late_steps
# (steps 9 to 13, as the exchange method has them) and asig_*, and its
# variables out, asig and b_addrs.
# shellcheck shell=bash disable=SC2154

# dds_ns_b FILE: NS_B and the addresses of its hosts, as A adds them to
# its zone at step 2b.
dds_ns_b() {
	local h w
	{
		for h in ns1.nic-b.$DEMO_TLD ns2.nic-b.$DEMO_TLD; do
			printf '%s\t%s\tIN\tNS\t%s\n' "$DEMO_TLD" "$DEMO_TTL" "$h"
		done
		for w in $b_addrs; do
			printf '%s\t%s\tIN\tA\t%s\n' "${w%%=*}" "$DEMO_TTL" "${w#*=}"
		done
	} > "$1"
}

# dds_steps: steps 1 to 13 of the double-DS method, each party in its
# own directory; the demo stops on the first failure.
dds_steps() {
	local d p

	header 1 "Step 1: B takes A's zone and keys (checked against the DS the parent serves) and signs it with its own keys"
	must b import bundles/a-0
	must b step 1
	must b export 1 -o bundles/b-1
	d=$(digests b-1)
	[ -n "$d" ] || die "bundles/b-1/ds: no SHA-256 digest"
	echo "  (B reads the digests of its KSK to A and to the registry, who check them against the bundle: $d)"
	# shellcheck disable=SC2086
	must a import bundles/b-1 -y $d
	# shellcheck disable=SC2086
	must r import bundles/b-1 -y $d

	header 2a "Step 2a: A and B each publish the four keys, each signing them with its own KSK only (no exchanged signature)"
	asig_edit "$asig" 2a "$out/bundles/b-1" || die "A's signer: zone-2a"
	asig_sign "$asig" "$asig/zone-2a.unsigned" "$asig/zone-2a.signed" || die "A's signer failed"
	must a step 2a -f a-signer/zone-2a.signed
	must a export 2a -o bundles/a-2a
	must b import bundles/a-2a
	wait_for b 2a
	must b step 2a
	must b export 2a -o bundles/b-2a
	must a import bundles/b-2a

	header ds3 "Step ds3: the registry asks the parent for DS_B beside DS_A, the NS set still NS_A's, once A and B serve step 2a"
	must r import bundles/b-2a
	must r observe 2a
	must r step ds3

	header ds4 "Step ds4: the parent (IANA) publishes DS_B beside DS_A; every party observes it on the parent's servers"
	parent_publish ds3
	for p in a b r; do
		must "$p" observe ds4
	done

	header 2b "Step 2b: once every DS set a resolver may hold names KSK_B, A and B add NS_B"
	dds_ns_b "$asig/ns-b" || exit 2
	wait_for a 2b
	asig_edit "$asig" 2b "$out/bundles/b-1" "$asig/ns-b" || die "A's signer: zone-2b"
	asig_sign "$asig" "$asig/zone-2b.unsigned" "$asig/zone-2b.signed" || die "A's signer failed"
	must a step 2b -f a-signer/zone-2b.signed
	must a export 2b -o bundles/a-2b
	must b import bundles/a-2b
	wait_for b 2b
	must b step 2b
	must b export 2b -o bundles/b-2b
	must a import bundles/b-2b

	header 3 "Step 3: the registry asks the parent for NS_A and NS_B (the DS set as served), once A and B serve step 2b"
	must r import bundles/b-2b
	must r observe 2b
	must r step 3

	header 4 "Step 4: the parent publishes NS_B beside NS_A; every party observes it"
	parent_publish 3
	for p in a b r; do
		must "$p" observe 4
	done

	header 5 "Step 5: every party waits until no resolver holds the NS set without NS_B"
	for p in a b r; do
		wait_for "$p" 5
		must "$p" step 5
	done

	header 6 "Step 6: B, then A, put NS_B alone at the apex; A signs B's data with its own signer"
	must b step 6 -- 1
	must b export 6 -o bundles/b-6
	must a import bundles/b-6
	must r import bundles/b-6
	asig_six "$asig" "$out/a/b/step-6.xfr" "$out/bundles/b-1" || die "A's signer: zone-6"
	asig_sign "$asig" "$asig/zone-6.unsigned" "$asig/zone-6.signed" || die "A's signer failed"
	must a step 6 -f a-signer/zone-6.signed
	must a export 6 -o bundles/a-6
	must b import bundles/a-6
	must b observe 6
	must r observe 6

	header 7 "Step 7: the registry asks the parent for NS_B alone"
	must r step 7

	header 8 "Step 8: the parent publishes NS_B alone; every party observes it"
	parent_publish 7
	for p in a b r; do
		must "$p" observe 8
	done

	late_steps "Step 10: B takes A's keys out of its zone (there is no KSK_A signature to remove)"
}
