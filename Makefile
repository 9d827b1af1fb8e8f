# qcow2 persistent dirty bitmaps: a patch series on QEMU v10.2.2 (patches/)
# with a backport to v7.2.0 (patches/backport-v7.2.0/).  See README.md.
# Every target is a thin wrapper around scripts/.
#
# BASE picks the base a target works on: v10.2.2 (default) or v7.2.0.
#   make BASE=v7.2.0 iotests TESTS=242
# make check runs every base, newest first (CHECK_BASES narrows it).

TESTS ?=
BASE ?= v10.2.2
export BASE

.PHONY: all deps deps-e2e tree build base check check-sanitizers check-each-patch iotests e2e checkpatch export status reset

all: build

deps:
	scripts/install-deps

# also libvirt, virtnbdbackup and what the e2e test's guest is made of
deps-e2e:
	scripts/install-deps --e2e

tree: deps
	scripts/prepare-tree

build: tree
	scripts/build-qemu

base: tree
	scripts/build-qemu --base

# Both bases: tree, build, round-trip, checkpatch, unit tests, iotests,
# end-to-end tests
check: deps-e2e
	scripts/run-checks

# ASan+UBSan build, then the base's sanitizer selection (or TESTS="...")
check-sanitizers: tree
	scripts/build-qemu --sanitize
	tests-iotests/run-iotests --sanitizers $(TESTS)

# make iotests TESTS="242 tests/qemu-img-bitmaps"   (no TESTS: whole selection)
iotests:
	tests-iotests/run-iotests $(TESTS)

checkpatch:
	scripts/checkpatch-series

# Build and test the tree at every commit of the series (bisectability)
check-each-patch: build
	scripts/check-each-patch

# libvirt + virtnbdbackup + a Linux guest across kill -9: the series,
# then the unpatched base (which must fail); root only
e2e: deps-e2e build base
	tests-iotests/run-e2e

export:
	scripts/export-series

status:
	@scripts/series-status

reset:
	scripts/prepare-tree --reset
