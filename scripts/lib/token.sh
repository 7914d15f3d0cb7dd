# token.sh: a party's keys named by their PKCS #11 URIs (RFC 7512),
# given to init -k (A's), -K and -Z (B's, or A's with their flags
# checked) instead of a directory of key files.
#
# The token keeps the private key and signs (zresign(1)); bero-migrate
# keeps, for each URI, what the steps read from a key: the DNSKEY, in a
# BIND .key file whose public key is the one the token gives (read by
# ds-from-dnskey, with no PIN) and whose flags and TTL are those of the
# DNSKEY with that public key in A's zone (B, with no zone yet: the
# flags of -K or -Z and TTL_KEY, token_zone_b), and a .private file that
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

# token_keys PARTY ZONE: each key of the URIs of init (INIT_URIS, with
# the flags -K or -Z gives in INIT_FLAGS, - for -k) into keys/PARTY,
# matched with its DNSKEY in ZONE (a signed zone of the TLD) by its
# public key: the token's DS computed as a secure entry point is the
# zone DNSKEY's once that DNSKEY's flags are read as 257, which holds
# exactly when the algorithm and the public key are the same (RFC 4034
# section 5.1.4: the digest is over the owner and the whole RDATA).
# A's ZONE is its signed zone (-f, or a zone transfer from A_XFR_ADDR
# when it is empty); B's is one its tokens sign (token_zone_b).
token_keys() {
	local p=$1 zone=$2 u want line ttl rd sep ds tag alg an base canon i zn
	local -a said=()
	[ "$p" != a ] || [ "$A_SIGNER" != external ] ||
	    die "init -k: PKCS #11 URIs with A_SIGNER=external: A signs with its own signer there, and berokit needs none of A's private keys"
	canon=keys/$p/.zone
	if [ -z "$zone" ] && [ "$p" = a ]; then
		[ "$TRANSFER" = axfr ] ||
		    die "init -R a -k URI: -f file, or TRANSFER=axfr from A_XFR_ADDR: a key named by its URI takes the flags and TTL of its DNSKEY in A's zone"
		STEP=0 transfer a "keys/$p/.xfr"
		zone=keys/$p/.xfr
	fi
	case $zone in
	keys/a/.xfr) zn="A's zone as $A_XFR_ADDR serves it" ;;
	keys/b/.*) zn="the zone its private key signed (the token's public key object is another key's)" ;;
	*) zn=$zone ;;
	esac
	zcanon -z "$TLD" "$zone" > "$canon" || die "$zone: cannot read"
	for i in "${!INIT_URIS[@]}"; do
		u=${INIT_URIS[$i]}
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
		    die "init -k $u: the token's key is not in the DNSKEY RRset of $zn"
		ttl=${line%%$'\t'*}
		rd=${line#*$'\t'}
		[ "${INIT_FLAGS[$i]}" = - ] || [ "${rd%% *}" = "${INIT_FLAGS[$i]}" ] ||
		    die "init -k $u: its DNSKEY in $zn has flags ${rd%% *}, not ${INIT_FLAGS[$i]} (-K: a key-signing key, -Z: a zone-signing key)"
		ds=$(token_ds "$TLD" "$ttl" "$rd") && [ -n "$ds" ] ||
		    die "init -k $u: its DNSKEY in $zn is not a zone key"
		tag=${ds%% *}
		alg=$(printf '%s\n' "$rd" | awk '{ print $3 }')
		[ "$p" != b ] || token_alg_ok "$u" "$alg"
		base=$(printf 'keys/%s/K%s.+%03d+%05d' "$p" "${TLD%.}" "$alg" "$tag")
		an=$(token_alg_name "$alg") || exit 2
		[ ! -e "$base.key" ] ||
		    die "init -k $u: the key ${base##*/} is named twice"
		printf '%s %s IN DNSKEY %s\n' "$TLD" "$ttl" "$rd" > "$base.key" &&
		    printf 'Private-key-format: v1.3\nAlgorithm: %s (%s)\nLabel: %s\n' \
		    "$alg" "$an" "$u" > "$base.private" &&
		    chmod 600 "$base.key" "$base.private" ||
		    die "keys/$p: cannot write ${base##*/}"
		said+=("$(token_say "$u" "$base" "$rd" "$ds")")
	done
	printf '%s\n' "${said[@]}"
	rm -f "$canon" "keys/$p/.xfr" "keys/$p/.signed"
	if [ -z "$A_SIGNER" ] && [ "$p" = a ]; then
		A_SIGNER=berokit
		printf '\n# From init -k: how A signs.\nA_SIGNER=%s\n' \
		    "$A_SIGNER" >> config || die "$DIR/config: cannot write"
	fi
	ksk "$p" > /dev/null
}

# token_say URI BASE RDATA DS: what init took from the token: the key's
# name (its tag), its role, and a key-signing key's DS (SHA-256, RFC
# 4509), which the other parties confirm out of band.
token_say() {
	local kind=ZSK
	[ "${3%% *}" != 257 ] || kind=KSK
	say "keys/${2#keys/}: $kind, key tag $((10#${2##*+})), from $1"
	[ "$kind" != KSK ] || say "  DS: $TLD $TTL_DS_P IN DS $4"
}

# token_alg_ok URI ALG: a key of B's in a token has B's algorithm
# (KEY_ALG): a key of another type or curve (RSA where B's keys are
# ECDSA P-256, P-384) would give B's zone two algorithms, each of which
# must then sign every RRset (RFC 6840 section 5.11).
token_alg_ok() {
	local want
	case ${KEY_ALG^^} in
	8|RSASHA256) want=8 ;;
	13|ECDSAP256SHA256) want=13 ;;
	15|ED25519) want=15 ;;
	*) die "config: KEY_ALG=$KEY_ALG: not an algorithm keys in a token are used with here (RSASHA256, ECDSAP256SHA256, ED25519)" ;;
	esac
	[ "$2" = "$want" ] ||
	    die "init -R b: $(token_name "$1"): a key of algorithm $2, not operator B's KEY_ALG $KEY_ALG ($want)"
}

# token_name URI: "token T, object O" of a URI, as the tools name them
# (the URI's own spelling; percent-escapes left as they are).
token_name() {
	local path=${1#pkcs11:} t='' o='' a
	path=${path%%\?*}
	while [ -n "$path" ]; do
		a=${path%%;*}
		case $a in
		token=*) t=${a#token=} ;;
		object=*) o=${a#object=} ;;
		esac
		[ "$a" != "$path" ] || break
		path=${path#*;}
	done
	printf 'token %s, object %s' "${t:-(any)}" "${o:-(any)}"
}

# token_zone_b OUT: B has no zone yet: the apex SOA and NS of B's own,
# signed by zresign(1) with each key of the URIs (-K a key-signing key,
# flags 257, -Z a zone-signing key, 256) into OUT, its DNSKEY RRset with
# the TTL of B's keys (TTL_KEY).  The token signs (with the PIN of
# PKCS11_PIN_FILE or of each URI's pin-source), so init proves what the
# steps need: the PIN opens the token, each object is there and is a
# private key of a type the token signs DNSSEC with, and zresign checks
# every signature with the public key before it writes it.  Its errors
# name the token, the object and the PKCS #11 return code.
token_zone_b() {
	local i u ksk=0 zsk=0 h
	local -a opts=(-t "$NOW")
	[ -z "${PKCS11_PIN_FILE:-}" ] || opts+=(-p "$PKCS11_PIN_FILE")
	for i in "${!INIT_URIS[@]}"; do
		u=${INIT_URIS[$i]}
		token_uri_pin "$u"
		case ${INIT_FLAGS[$i]} in
		257) opts+=(-K "$u") ksk=$((ksk + 1)) ;;
		256) opts+=(-Z "$u") zsk=$((zsk + 1)) ;;
		*) die "init -R b -k $u: B has no zone yet to take the key's flags from: name B's key-signing key by -K URI and its zone-signing key by -Z URI" ;;
		esac
	done
	[ "$ksk" -gt 0 ] && [ "$zsk" -gt 0 ] ||
	    die "init -R b: -K URI and -Z URI: operator B's key-signing key and its zone-signing key, both ($ksk and $zsk given)"
	h=${NS_B%% *}
	printf '%s 3600 IN SOA %s hostmaster.%s 1 1800 900 604800 3600\n%s 3600 IN NS %s\n' \
	    "$TLD" "$h" "$TLD" "$TLD" "$h" |
	    zresign -z "$TLD" "${opts[@]}" -o "$1.new" - ||
	    die "init -R b: the token does not sign with operator B's keys (above): nothing made"
	awk -F '\t' -v OFS='\t' -v t="$TTL_KEY" '$4 == "DNSKEY" { $2 = t } { print }' \
	    "$1.new" > "$1" && rm -f "$1.new" || die "$1: cannot write"
}

# token_keys_b: B's keys named by URI (-K, -Z), with no key file and no
# zone of B's yet.
token_keys_b() {
	token_zone_b keys/b/.signed
	token_keys b keys/b/.signed
}
