# berokit.mk: rules for a zone-build Makefile that signs zones with
# berokit's tools, makes their DS records and checks the chain of trust.
# Include it (it is installed in $(PREFIX)/share/berokit) and name the
# keys; example.mk next to it shows how.
#
# Rules:
#   %.signed: %.zone   the keys merged into the apex DNSKEY RRset
#                      (zmerge-dnskey), then the zone signed (zresign),
#                      reusing the signatures of the previous %.signed
#                      when there is one (-P)
#   %.ds: %.signed     the DS records of its key-signing keys, for the
#                      parent (ds-from-dnskey, SHA-256)
#   %.check: %.signed  the chain of trust from the DS sets of BEROKIT_DS
#                      (by default %.ds) through every signature
#                      (zcheck-chain); the verdict is written only when
#                      the zone is valid, so a failed check fails make
#
# Variables (set them before or after the include):
#   BEROKIT_KEYS       key pairs, by base name (Kname+alg+tag), of every
#                      zone; BEROKIT_KEYS_<stem> for one zone
#   BEROKIT_NOW        the time used as now, in seconds (default: the
#                      clock when make starts)
#   BEROKIT_DS         DS set files for the check; BEROKIT_DS_<stem> for
#                      one zone (default: the zone's own %.ds)
#   BEROKIT_SIGNOPTS   more zresign options
#   BEROKIT_CHECKOPTS  more zcheck-chain options
#
# berokit.mk turns on .SECONDEXPANSION (for the prerequisites of
# %.check) and .DELETE_ON_ERROR, and keeps %.ds (.PRECIOUS).  Every rule writes its target atomically (the tools' -o, or a temporary
# file renamed), so an interrupted or failed make leaves no half-made
# target behind.  No recipe uses a pipeline: a failure anywhere fails
# the rule, whatever the shell.

BEROKIT_NOW ?= $(shell date +%s)
BEROKIT_SIGNOPTS ?=
BEROKIT_CHECKOPTS ?=

berokit_keys = $(or $(BEROKIT_KEYS_$*),$(BEROKIT_KEYS))
berokit_ds = $(or $(BEROKIT_DS_$*),$(BEROKIT_DS),$*.ds)

.DELETE_ON_ERROR:
# The DS sets a check needs are prerequisites named per zone.
.SECONDEXPANSION:
# The DS records are a product (for the parent), not an intermediate.
.PRECIOUS: %.ds

%.signed: %.zone
	@test -n "$(berokit_keys)" || \
	    { echo "berokit.mk: $@: no keys (BEROKIT_KEYS)" >&2; exit 2; }
	zmerge-dnskey $(berokit_keys:%=-k %.key) -o $@.unsigned $<
	zresign $(berokit_keys:%=-k %) -t $(BEROKIT_NOW) \
	    $(if $(wildcard $@),-P $@) $(BEROKIT_SIGNOPTS) -o $@ $@.unsigned
	@rm -f $@.unsigned

%.ds: %.signed
	ds-from-dnskey -2 -o $@ $<

%.check: %.signed $$(berokit_ds)
	zcheck-chain -v -t $(BEROKIT_NOW) $(BEROKIT_CHECKOPTS) \
	    $(berokit_ds:%=-D %) $< > $@.tmp 2>&1 || \
	    { cat $@.tmp >&2; rm -f $@.tmp; exit 1; }
	@mv -f $@.tmp $@
