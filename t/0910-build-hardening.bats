#!/usr/bin/env bats
# The hardening the GNUmakefile builds every program with (BK_HARDEN,
# BK_LDFLAGS), checked on the programs themselves with readelf(1), as
# checksec does, so that a change of the build cannot lose it unseen:
# relocations read-only after start-up (RELRO) and every symbol bound
# before main() (BIND_NOW), so that the GOT cannot be overwritten; a
# stack protector (-fstack-protector-strong: __stack_chk_fail called);
# calls checked by _FORTIFY_SOURCE (__memcpy_chk and the like).  The
# sanitizer builds leave _FORTIFY_SOURCE out (the GNUmakefile says why),
# so the last test does not apply to them.

load helper

# The program list of the GNUmakefile.
progs() {
	sed -n 's/^PROGS = //p' "$TOP/GNUmakefile"
}

@test "hardening: the program list is found" {
	run progs
	assert_success
	[[ "$output" == *zcanon* && "$output" == *zresign* ]]
}

@test "hardening: every program has full RELRO (GNU_RELRO and BIND_NOW)" {
	for p in $(progs); do
		[ -x "$BK_BIN/$p" ] || fail "$p: not built"
		readelf -lW "$BK_BIN/$p" | grep -q GNU_RELRO ||
			fail "$p: no GNU_RELRO segment"
		readelf -dW "$BK_BIN/$p" | grep -Eq '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW' ||
			fail "$p: not linked with -z now"
	done
}

@test "hardening: every program calls the stack protector" {
	for p in $(progs); do
		readelf --dyn-syms -W "$BK_BIN/$p" | grep -q ' __stack_chk_fail' ||
			fail "$p: no __stack_chk_fail (no -fstack-protector-strong)"
	done
}

@test "hardening: every program has fortified calls (_FORTIFY_SOURCE)" {
	[ -z "${BK_ASAN:-}" ] ||
		skip "the sanitizer build leaves _FORTIFY_SOURCE out"
	for p in $(progs); do
		readelf --dyn-syms -W "$BK_BIN/$p" |
		    grep -Eq ' __[a-z0-9_]+_chk(@|$)' ||
			fail "$p: no __*_chk call (no -D_FORTIFY_SOURCE)"
	done
}
