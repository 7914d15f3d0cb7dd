#!/bin/sh
# The large seeds of the zone-text corpora: the largest records the
# reader must take (RFC 1035 §3.2.1: RDLENGTH is 16 bits, so 65,535
# octets of RDATA), whose text runs far beyond what the fuzzer would
# grow an input to by itself, and NSEC/NSEC3 type bit maps over many
# windows (RFC 4034 §4.1.2, RFC 5155 §3.2.1), well formed and not.
# They are kept in the corpora; this script says how they were made and
# makes them again:
#
#   sh fuzz/mkseeds.sh fuzz/corpus
#
# Most of them failed fuzz_zread when they were made, before the fixes
# of issue 11 (fuzz/README says how).
set -eu

dir=${1:?usage: sh fuzz/mkseeds.sh corpus-dir}
zr=$dir/fuzz_zread
bj=$dir/fuzz_b64join
cc=$dir/fuzz_chaincheck
mkdir -p "$zr" "$bj" "$cc"

# txt N: a TXT RDATA of N octets in strings of up to 255 characters
# (each string costs one more octet, its length), written 4 strings a
# line inside parentheses.
txt() {
	awk -v n="$1" 'BEGIN {
		a = "abcdefghijklmnopqrstuvwxyz0123456789-=+/ ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		printf "(\n"
		k = 0
		while (n > 0) {
			l = n - 1 > 255 ? 255 : n - 1
			s = ""
			for (i = 0; i < l; i++)
				s = s substr(a, (i + k) % length(a) + 1, 1)
			printf "\t\"%s\"%s", s, (++k % 4 == 0) ? "\n" : " "
			n -= l + 1
		}
		printf ")\n"
	}'
}

# hex N: N octets in hexadecimal, 32 a line inside parentheses, for the
# generic form (RFC 3597 §5).
hex() {
	awk -v n="$1" 'BEGIN {
		printf "(\n"
		for (i = 0; i < n; i++)
			printf "%s%02X%s", i % 32 ? "" : "\t", (i * 7 + 3) % 256,
			    (i % 32 == 31 || i == n - 1) ? "\n" : ""
		printf ")\n"
	}'
}

# types FROM TO: the type names FROM to TO, 12 a line, as TYPEnnn.
types() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		for (t = a; t <= b; t++)
			printf "%sTYPE%d%s", (t - a) % 12 ? " " : "\t", t,
			    ((t - a) % 12 == 11 || t == b) ? "\n" : ""
	}'
}

# A TXT of 65,535 octets (the largest RDATA), and one of 60,000 that
# fits the reader's 64 KiB batch even with its owner.
{ printf '$ORIGIN example.\nbig TXT '; txt 65535; } > "$zr/txt-max.zone"
{ printf '$ORIGIN example.\nbig TXT '; txt 60000; } > "$zr/txt-60000.zone"
# The largest RDATA in generic form, of an unknown type and of TXT.
{ printf '$ORIGIN example.\nbig TYPE65280 \\# 65535 '; hex 65535; } \
    > "$zr/generic-max.zone"
{ printf '$ORIGIN example.\nbig TYPE65280 \\# 30000 '; hex 30000; } \
    > "$zr/generic-30000.zone"

# A full NSEC type bit map: every type 0 to 65535 (256 windows of 32
# octets, 8,704 octets of bit map, about 644 KB of text); twice, which
# made zcanon crash (issue 11, item 1).
{ printf '$ORIGIN example.\na NSEC b.example. (\n'; types 0 65535
  printf ')\n'; } > "$zr/nsec-full-bitmap.zone"
{ cat "$zr/nsec-full-bitmap.zone"
  printf 'b NSEC a.example. (\n'; types 0 65535; printf ')\n'; } \
    > "$zr/nsec-full-bitmap-x2.zone"
# Windows 0 to 15 full in an NSEC3 (4,096 types), and the edges of
# windows: the first and last type of several, the last window.
{ printf '$ORIGIN example.\n'
  printf '0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 1 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom (\n'
  types 0 4095; printf ')\n'; } > "$zr/nsec3-16-windows.zone"
cat > "$zr/nsec-windows.zone" <<'EOF'
$ORIGIN example.
@	NSEC	a.example. A NS SOA TYPE255 TYPE256 TYPE511 TYPE512 TYPE65535
a	NSEC	b.example. TYPE0 TYPE32767 TYPE32768 TYPE65280 TYPE65534
b	NSEC	c.example. CAA TYPE257 TYPE258 TYPE259 TYPE260 TYPE32769
c	NSEC	@ TYPE1023 TYPE1024 TYPE49151 TYPE49152
0p9mhaveqvm6t7vbl5lop2u3t2rp3tom	NSEC3	1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG TYPE256 TYPE65535
2vptu5timamqttgl4luu9kg21e0aor3s	NSEC3	1 1 0 AABB 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom
EOF
# The same bit maps in generic form (next name b.example., then
# windows: number, length, bits).
cat > "$zr/nsec-windows-generic.zone" <<'EOF'
$ORIGIN example.
a	NSEC	\# 19 0162076578616D706C6500 0006 620100000003
b	NSEC	\# 17 016307657861 6D706C6500 0001 40 0101 80
c	NSEC	\# 45 0164076578616D706C6500 FF20 FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF
d	NSEC	\# 45 0165076578616D706C6500 0020 FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF
EOF
# Bit maps RFC 4034 §4.1.2 forbids: each must be refused on reading,
# none rewritten silently.  One a file, since the first stops reading.
printf '$ORIGIN example.\na NSEC \\# 17 0162076578616D706C6500 0001 40 0001 40\n' \
    > "$zr/nsec-bitmap-repeated.zone"
printf '$ORIGIN example.\na NSEC \\# 17 0162076578616D706C6500 0101 40 0001 40\n' \
    > "$zr/nsec-bitmap-order.zone"
printf '$ORIGIN example.\na NSEC \\# 15 0162076578616D706C6500 0002 4000\n' \
    > "$zr/nsec-bitmap-trailing-zero.zone"
printf '$ORIGIN example.\na NSEC \\# 13 0162076578616D706C6500 0000\n' \
    > "$zr/nsec-bitmap-empty-window.zone"
{ printf '$ORIGIN example.\na NSEC \\# 46 0162076578616D706C6500 0021 '
  awk 'BEGIN { for (i = 0; i < 33; i++) printf "01"; print "" }'; } \
    > "$zr/nsec-bitmap-long-window.zone"
printf '$ORIGIN example.\na NSEC \\# 13 0162076578616D706C6500 0005\n' \
    > "$zr/nsec-bitmap-cut.zone"

# b64join: a base64 field of 16 KiB in chunks that are not quartets, and
# the largest generic RDATA.
{ printf '$ORIGIN example.\n@ DNSKEY 257 3 8 (\n'
  awk 'BEGIN { a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for (i = 0; i < 21848; i++) {
		printf "%s", substr(a, (i * 13) % 64 + 1, 1)
		if (i % 57 == 56) printf (i % 114 == 113) ? "\n" : " "
	}
	print "\n)" }'; } > "$bj/dnskey-16k.zone"
cp "$zr/generic-max.zone" "$zr/txt-max.zone" "$zr/nsec-windows-generic.zone" \
    "$bj/"

# zcheck-chain: a signed seed with the large records added (unsigned,
# at names of their own).
base=$(dirname "$0")/corpus/fuzz_chaincheck/ed25519-nsec.zone
{ cat "$base"; printf 'zz-big TXT '; txt 60000; } > "$cc/big-txt.zone"
{ cat "$base"; printf 'zz-bitmap NSEC example. (\n'; types 0 65535
  printf ')\n'; } > "$cc/big-nsec-bitmap.zone"
cp "$zr/nsec-windows.zone" "$zr/txt-max.zone" "$cc/"
