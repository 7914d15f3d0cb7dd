#!/usr/bin/env bats
# zresign -m: the timing metadata of BIND key files (dnssec-keygen -P -A
# -I -D, dnssec-settime) at the time of -t: a key's DNSKEY is published
# only from Publish to Delete, and the key signs only from Activate to
# Inactive; -v says what each key does and why.  Keys are made with
# dnssec-keygen and their times set with dnssec-settime around a fixed
# -t (never the clock), 20261210000000.

load helper

NOW=20261210000000
# Signatures valid on any real date, for dnssec-verify (no time option).
TIMES="-t $NOW -i 20200101000000 -e 20380101000000"

# key NAME FLAGS...: a P-256 key of example. made by dnssec-keygen with
# the times given, its base name in $NAME.
key() {
	local name=$1 k
	shift
	k=$(dnssec-keygen -q -a ECDSAP256SHA256 -K "$BATS_TEST_TMPDIR" "$@" example.)
	printf -v "$name" '%s' "$BATS_TEST_TMPDIR/$k"
}

tag() {
	basename "$1" | sed 's/.*+0*//'
}

# The keys (base names given) whose DNSKEY is in the zone on standard
# input, in the order given.
dnskeys() {
	local z k
	z=$(awk -F'\t' '$4 == "DNSKEY" { print $5 }')
	for k in "$@"; do
		grep -qF "$(awk '$3 == "DNSKEY" { print $NF }' "$k.key")" <<<"$z" &&
			printf '%s ' "$(tag "$k")"
	done
	true
}

# The line $1 is one of those on standard error.
errline() {
	printf '%s\n' "$stderr" | grep -qxF -- "$1" || fail "not a line of: $stderr"
}

# The key tags of the signatures, each once, sorted.
signers() {
	awk -F'\t' '$4 == "RRSIG" { split($5, f, " "); print f[7] }' | sort -nu | tr '\n' ' '
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cat > example.zone <<-'Z'
	example.	3600	IN	SOA	ns1.example. hostmaster.example. 1 7200 900 1209600 300
	example.	3600	IN	NS	ns1.example.
	ns1.example.	3600	IN	A	192.0.2.1
	www.example.	3600	IN	A	192.0.2.2
	Z
	key KSK -f KSK -P 20261101000000 -A 20261101000000
	key ZSK -P 20261101000000 -A 20261101000000
	# A successor ZSK: published, not active yet (pre-publication,
	# RFC 6781 section 4.1.1.1).
	key NEXT -P 20261101000000 -A 20261101000000
	dnssec-settime -P 20261201000000 -A 20261215000000 "$NEXT" >/dev/null 2>&1
	# A ZSK retired: inactive, still published until its Delete.
	key OLD -P 20261001000000 -A 20261001000000
	dnssec-settime -I 20261205000000 -D 20261220000000 "$OLD" >/dev/null 2>&1
	# A ZSK deleted, and one not published yet.
	key GONE -P 20261001000000 -A 20261001000000
	dnssec-settime -I 20261130000000 -D 20261205000000 "$GONE" >/dev/null 2>&1
	key LATER -P 20261101000000 -A 20261101000000
	dnssec-settime -P 20261220000000 -A 20261225000000 "$LATER" >/dev/null 2>&1
}

@test "timing: published from Publish to Delete, signing from Activate to Inactive (-m)" {
	local sorted
	runs zresign -m $TIMES -k "$KSK" -k "$ZSK" -k "$NEXT" -k "$OLD" -k "$GONE" -k "$LATER" -o out.zone example.zone
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(dnskeys "$KSK" "$ZSK" "$NEXT" "$OLD" "$GONE" "$LATER" < out.zone)" \
		"$(for k in "$KSK" "$ZSK" "$NEXT" "$OLD"; do printf '%s ' "$(tag "$k")"; done)"
	sorted=$(for k in "$KSK" "$ZSK"; do tag "$k"; done | sort -n | tr '\n' ' ')
	assert_equal "$(signers < out.zone)" "$sorted"
	run ldns-verify-zone -t 20261215000000 out.zone
	assert_success
	run dnssec-verify -q -o example. out.zone
	assert_success
	# Without -m every key given is published and signs, as before.
	runs zresign $TIMES -k "$KSK" -k "$ZSK" -k "$NEXT" -k "$OLD" -k "$GONE" -k "$LATER" -o all.zone example.zone
	assert_success
	assert_equal "$(dnskeys "$KSK" "$ZSK" "$NEXT" "$OLD" "$GONE" "$LATER" < all.zone | wc -w)" 6
	assert_equal "$(signers < all.zone | wc -w)" 6
}

@test "timing: -v says what each key does at -t, and why" {
	runs zresign -v -m $TIMES -k "$KSK" -k "$ZSK" -k "$NEXT" -k "$OLD" -k "$GONE" -k "$LATER" example.zone
	assert_success
	errline "zresign: $KSK.key: key $(tag "$KSK")/13 at $NOW: published since 20261101000000, signs since 20261101000000"
	errline "zresign: $NEXT.key: key $(tag "$NEXT")/13 at $NOW: published since 20261201000000, does not sign until 20261215000000"
	errline "zresign: $OLD.key: key $(tag "$OLD")/13 at $NOW: published since 20261001000000 until 20261220000000, does not sign: inactive since 20261205000000"
	errline "zresign: $GONE.key: key $(tag "$GONE")/13 at $NOW: deleted since 20261205000000, does not sign: inactive since 20261130000000"
	errline "zresign: $LATER.key: key $(tag "$LATER")/13 at $NOW: not published until 20261220000000, does not sign until 20261225000000"
}

@test "timing: a signed zone moves on: the deleted key's DNSKEY goes, the retired key's signatures go" {
	# At 20261201 (before Inactive and Delete of GONE) every key but
	# LATER and NEXT signs.
	zresign -q -m -t 20261129000000 -i 20200101000000 -e 20380101000000 \
		-k "$KSK" -k "$ZSK" -k "$GONE" -k "$OLD" -o before.zone example.zone
	assert_equal "$(dnskeys "$KSK" "$ZSK" "$GONE" "$OLD" < before.zone | wc -w)" 4
	assert_equal "$(signers < before.zone | wc -w)" 4
	runs zresign -m $TIMES -k "$KSK" -k "$ZSK" -k "$GONE" -k "$OLD" -P before.zone -o after.zone before.zone
	assert_success
	local sorted
	assert_equal "$(dnskeys "$KSK" "$ZSK" "$GONE" "$OLD" < after.zone)" \
		"$(for k in "$KSK" "$ZSK" "$OLD"; do printf '%s ' "$(tag "$k")"; done)"
	sorted=$(for k in "$KSK" "$ZSK"; do tag "$k"; done | sort -n | tr '\n' ' ')
	assert_equal "$(signers < after.zone)" "$sorted"
	run ldns-verify-zone -t 20261215000000 after.zone
	assert_success
}

@test "timing: times in the .key comments alone count; a bad time is refused; no key signing is refused" {
	# The .private file without its times: the .key comments give them.
	sed -i '/^\(Publish\|Activate\|Inactive\|Delete\):/d' "$NEXT.private"
	runs zresign -v -m $TIMES -k "$KSK" -k "$ZSK" -k "$NEXT" example.zone
	assert_success
	errline "zresign: $NEXT.key: key $(tag "$NEXT")/13 at $NOW: published since 20261201000000, does not sign until 20261215000000"
	# Nothing to sign with.
	runs zresign -m $TIMES -k "$LATER" -k "$GONE" example.zone
	assert_trouble zresign '^zresign: no key signs at -t: the timing metadata of every key given \(-m\) says it is not active or not published$'
	# Active but not published: said, and it does not sign.
	dnssec-settime -P 20261220000000 -A 20261101000000 "$LATER" >/dev/null 2>&1
	runs zresign -m $TIMES -k "$KSK" -k "$ZSK" -k "$LATER" -o out.zone example.zone
	assert_success
	assert_equal "$stderr" "zresign: warning: $LATER.key: key $(tag "$LATER")/13 is active but not published at -t: it does not sign"
	assert_equal "$(signers < out.zone | wc -w)" 2
	# A time that is not one, at its line.
	sed -i 's/^Activate: .*/Activate: 2026120/' "$ZSK.private"
	local line
	line=$(grep -n '^Activate:' "$ZSK.private" | cut -d: -f1)
	runs zresign -m $TIMES -k "$KSK" -k "$ZSK" example.zone
	assert_trouble zresign "^zresign: .*\\.private:$line: Activate: not a time \\(YYYYMMDDHHmmSS\\)\$"
}

@test "timing: -c publish makes CDS for the KSKs that sign at -t, not for one pre-published" {
	key KSK2 -f KSK -P 20261101000000 -A 20261101000000
	dnssec-settime -P 20261201000000 -A 20261220000000 "$KSK2" >/dev/null 2>&1
	runs zresign -m -c publish $TIMES -k "$KSK" -k "$KSK2" -k "$ZSK" -o out.zone example.zone
	assert_success
	assert_equal "$(awk -F'\t' '$4 == "CDS" { split($5, f, " "); print f[1] }' out.zone)" "$(tag "$KSK")"
	assert_equal "$(dnskeys "$KSK" "$KSK2" "$ZSK" < out.zone)" "$(tag "$KSK") $(tag "$KSK2") $(tag "$ZSK") "
	# Without -m both KSKs sign, and both get a CDS.
	runs zresign -c publish $TIMES -k "$KSK" -k "$KSK2" -k "$ZSK" -o all.zone example.zone
	assert_success
	assert_equal "$(grep -c '	CDS	' all.zone)" 2
}

@test "timing: -c publish makes a KSK's CDS only between its SyncPublish and SyncDelete (dnssec-settime -P sync, -D sync)" {
	key KSK2 -f KSK -P 20261101000000 -A 20261101000000
	key KSK3 -f KSK -P 20261101000000 -A 20261101000000
	# KSK: no sync times (not bounded); KSK2: its CDS from the 15th;
	# KSK3: its CDS taken back on the 5th.
	dnssec-settime -P sync 20261215000000 "$KSK2" >/dev/null 2>&1
	dnssec-settime -P sync 20261101000000 -D sync 20261205000000 "$KSK3" >/dev/null 2>&1
	runs zresign -v -m -c publish $TIMES -k "$KSK" -k "$KSK2" -k "$KSK3" -k "$ZSK" -o out.zone example.zone
	assert_success
	assert_equal "$(awk -F'\t' '$4 == "CDS" { split($5, f, " "); print f[1] }' out.zone)" "$(tag "$KSK")"
	assert_equal "$(grep -c '	CDNSKEY	' out.zone)" 1
	errline "zresign: $KSK2.key: key $(tag "$KSK2")/13 at $NOW: published since 20261101000000, signs since 20261101000000, no CDS until 20261215000000"
	errline "zresign: $KSK3.key: key $(tag "$KSK3")/13 at $NOW: published since 20261101000000, signs since 20261101000000, no CDS since 20261205000000"
	# On the 15th KSK2's goes out too.
	runs zresign -v -m -c publish -t 20261215000000 -i 20200101000000 -e 20380101000000 \
	    -k "$KSK" -k "$KSK2" -k "$KSK3" -k "$ZSK" -o later.zone example.zone
	assert_success
	assert_equal "$(awk -F'\t' '$4 == "CDS" { split($5, f, " "); print f[1] }' later.zone | sort -n | paste -sd ' ')" \
	    "$(printf '%s\n' "$(tag "$KSK")" "$(tag "$KSK2")" | sort -n | paste -sd ' ')"
	errline "zresign: $KSK2.key: key $(tag "$KSK2")/13 at 20261215000000: published since 20261101000000, signs since 20261101000000, CDS since 20261215000000"
	# Without -m the sync times are not read: all three.
	runs zresign -c publish $TIMES -k "$KSK" -k "$KSK2" -k "$KSK3" -k "$ZSK" -o all.zone example.zone
	assert_success
	assert_equal "$(grep -c '	CDS	' all.zone)" 3
}
