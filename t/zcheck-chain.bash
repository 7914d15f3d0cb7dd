# Shared by the t/0600-zcheck-chain-*.bats files: the test zones, signed
# by BIND's dnssec-signzone from t/data/zcheck-chain/base.zone with the
# fixed keys of t/data/examples (operator A: KSK 5021, ZSK 40244; B: KSK
# 62651, ZSK 48585) and an RSA key, and fixed times, so that every
# message reproduces; then broken by editing the canonical text (zcanon
# writes one record per line).

ZC=$DATA/zcheck-chain
KA=Kexample.+013+05021
ZA=Kexample.+013+40244
KB=Kexample.+013+62651
ZB=Kexample.+013+48585
K8=Kexample.+008+25560
# The signatures' window, and the time the checks run at.
ZC_START=${ZC_START:-20260101000000}
ZC_END=${ZC_END:-20360101000000}
ZC_NOW=20270101000000

# The key pairs, in the current directory.
zc_keys() {
	cp "$DATA"/examples/K*.key "$DATA"/examples/K*.private "$ZC"/K* .
}

# zc_sign out in "published keys" "signing keys" [dnssec-signzone
# options]: sign in with the signing keys, the DNSKEY RRset holding the
# published ones; KSKs sign only the DNSKEY RRset (-x, unless ZC_X is
# set and empty).  The result in canonical form, one record per line.
zc_sign() {
	local out=$1 in=$2 pub=$3 keys=$4 k
	shift 4
	cat "$in" > "$out.in"
	for k in $pub; do
		cat "$k.key" >> "$out.in"
	done
	# shellcheck disable=SC2086
	dnssec-signzone -q ${ZC_X--x} -N keep -s "$ZC_START" -e "$ZC_END" \
	    -o example -f "$out.signed" "$@" "$out.in" $keys > /dev/null ||
	    return 1
	zcanon "$out.signed" > "$out" || return 1
	rm -f "$out.in" "$out.signed"
}

# The DS (SHA-256) of a key, as the parent publishes it.
zc_ds() {
	local k
	for k in "$@"; do
		dnssec-dsfromkey -2 "$k.key"
	done
}

# The signature of a record line, its last field, with one character
# changed: a flipped signature byte.
zc_flip() {
	awk -v owner="$1" -v cov="$2" 'BEGIN { FS = OFS = "\t" }
	$1 == owner && $4 == "RRSIG" && index($5, cov " ") == 1 && !done {
		n = split($5, f, " ")
		c = substr(f[n], 10, 1)
		c = c == "A" ? "B" : "A"
		f[n] = substr(f[n], 1, 9) c substr(f[n], 11)
		$5 = f[1]
		for (i = 2; i <= n; i++)
			$5 = $5 " " f[i]
		done = 1
	}
	{ print }'
}

# Drop the RRSIG over owner's cov RRset (by the key tag, when given).
zc_drop_sig() {
	awk -v owner="$1" -v cov="$2" -v tag="${3:-}" 'BEGIN { FS = "\t" }
	$1 == owner && $4 == "RRSIG" && index($5, cov " ") == 1 {
		split($5, f, " ")
		if (tag == "" || f[7] == tag)
			next
	}
	{ print }'
}

# The RRSIG lines over owner's cov RRset.
zc_sig() {
	awk -v owner="$1" -v cov="$2" 'BEGIN { FS = "\t" }
	$1 == owner && $4 == "RRSIG" && index($5, cov " ") == 1' "$3"
}

# The owner of the NSEC3 record of a name (no salt, no iterations).
zc_hash() {
	ldns-nsec3-hash -t 0 -s '' "$1" | sed 's/\.$/.example./'
}
