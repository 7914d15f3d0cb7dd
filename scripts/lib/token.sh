# token.sh: a party's keys named by their PKCS #11 URIs (RFC 7512),
# given to init -k instead of a directory of key files.
#
# The token keeps the private key and signs (zresign(1)); bero-migrate
# keeps, for each URI, what the steps read from a key: the DNSKEY, in a
# BIND .key file whose public key is the one the token gives (read by
# ds-from-dnskey, with no PIN) and whose flags and TTL are those of the
# DNSKEY with that public key in A's zone, and a .private file that
# names the key by its URI on a Label: line, as BIND writes the files of
# keys in a token.  zresign reads that file, finds the key in the token
# and refuses it when its public key is not the .key file's; every
# signature the token makes is verified with that public key before it
# is written.  The PIN is never in the URI (pin-value is refused): it
# comes from PKCS11_PIN_FILE or from the file of the URI's pin-source,
# either its owner's alone.

# token_uri_pin URI: refuse a URI that carries its PIN (without repeating
# it: it would reach the terminal and the logs); a pin-source file must
# be its owner's alone.
token_uri_pin() {
	local src
	case $1 in
	*[\;\?\&]pin-value=*)
		die "init -k: a PKCS #11 URI with pin-value is refused: the PIN would be on the command line (ps) and in the logs; give it by PKCS11_PIN_FILE or the URI's pin-source (a file)" ;;
	esac
	case $1 in
	*[\;\?\&]pin-source=*)
		src=${1#*pin-source=}
		src=${src%%[;&]*}
		src=${src#file:}
		[ -f "$src" ] && [ -r "$src" ] ||
		    die "init -k: pin-source $src: no such file (only a file is accepted)"
		owner_only "$src" ;;
	esac
}

# token_alg_name ALG: the algorithm's mnemonic, as BIND writes it on the
# Algorithm: line (RFC 8624 section 3.1).
token_alg_name() {
	case $1 in
	8) echo RSASHA256 ;;
	13) echo ECDSAP256SHA256 ;;
	15) echo ED25519 ;;
	*) die "init -k: algorithm $1: not one a token signs with here (8, 13, 15)" ;;
	esac
}

# token_ds OWNER TTL RDATA: the SHA-256 DS RDATA of a DNSKEY (every zone
# key, SEP or not).
token_ds() {
	printf '%s %s IN DNSKEY %s\n' "$1" "$2" "$3" |
	    ds-from-dnskey -q -a -2 | awk -F '\t' '{ print $5 }'
}

# token_keys PARTY ZONE URI...: each key of the URIs into keys/PARTY,
# matched with its DNSKEY in ZONE (a signed zone of the TLD) by its
# public key: the token's DS computed as a secure entry point is the
# zone DNSKEY's once that DNSKEY's flags are read as 257, which holds
# exactly when the algorithm and the public key are the same (RFC 4034
# section 5.1.4: the digest is over the owner and the whole RDATA).
token_keys() {
	local p=$1 zone=$2 u want line ttl rd sep ds tag alg an base canon
	shift 2
	[ "$A_SIGNER" != external ] ||
	    die "init -k: PKCS #11 URIs with A_SIGNER=external: A signs with its own signer there, and berokit needs none of A's private keys"
	[ -n "$zone" ] ||
	    die "init -R $ROLE -k URI: -f file: a key named by its URI takes the flags and TTL of its DNSKEY in A's zone"
	canon=keys/$p/.zone
	zcanon -z "$TLD" "$zone" > "$canon" || die "$zone: cannot read"
	for u; do
		token_uri_pin "$u"
		want=$(ds-from-dnskey -q -2 -z "$TLD" "$u") ||
		    die "init -k $u: the token's public key cannot be read"
		want=$(printf '%s\n' "$want" | awk -F '\t' '{ print $5 }')
		line=
		while IFS=$'\t' read -r ttl rd; do
			sep="257 ${rd#* }"
			[ "$(token_ds "$TLD" "$ttl" "$sep")" != "$want" ] ||
			    { line="$ttl"$'\t'"$rd"; break; }
		done < <(apex_rrset "$canon" DNSKEY)
		[ -n "$line" ] ||
		    die "init -k $u: the token's key is not in the DNSKEY RRset of $zone"
		ttl=${line%%$'\t'*}
		rd=${line#*$'\t'}
		ds=$(token_ds "$TLD" "$ttl" "$rd") && [ -n "$ds" ] ||
		    die "init -k $u: its DNSKEY in $zone is not a zone key"
		tag=${ds%% *}
		alg=$(printf '%s\n' "$rd" | awk '{ print $3 }')
		base=$(printf 'keys/%s/K%s.+%03d+%05d' "$p" "${TLD%.}" "$alg" "$tag")
		an=$(token_alg_name "$alg") || exit 2
		[ ! -e "$base.key" ] ||
		    die "init -k $u: the key ${base##*/} is named twice"
		printf '%s %s IN DNSKEY %s\n' "$TLD" "$ttl" "$rd" > "$base.key" &&
		    printf 'Private-key-format: v1.3\nAlgorithm: %s (%s)\nLabel: %s\n' \
		    "$alg" "$an" "$u" > "$base.private" &&
		    chmod 600 "$base.key" "$base.private" ||
		    die "keys/$p: cannot write ${base##*/}"
	done
	rm -f "$canon"
	if [ -z "$A_SIGNER" ]; then
		A_SIGNER=berokit
		[ "$p" != a ] || printf '\n# From init -k: how A signs.\nA_SIGNER=%s\n' \
		    "$A_SIGNER" >> config || die "$DIR/config: cannot write"
	fi
	ksk "$p" > /dev/null
}
