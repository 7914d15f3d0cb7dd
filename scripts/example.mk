# example.mk: a zone-build Makefile that uses berokit.mk.  Operator A's
# sample zone, example.zone, is signed with A's two keys, its DS records
# are made for the parent, and the chain of trust from them is checked:
#
#   make -f example.mk               example.signed, example.ds,
#                                    example.check
#   make -f example.mk BEROKIT_NOW=1796083200
#                                    the same at a given time
#
# Edit example.zone and run make again: the zone is signed again, and
# the signatures of the RRsets that did not change are kept (zresign -P).

BEROKIT_KEYS = Kexample.+013+05021 Kexample.+013+40244

all: example.check

clean:
	rm -f example.signed example.ds example.check

.PHONY: all clean

include $(dir $(lastword $(MAKEFILE_LIST)))berokit.mk
