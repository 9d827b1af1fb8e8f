# qcow2 persistent dirty bitmaps: a patch series on QEMU v7.2.0.
# See README.md.  Every target is a thin wrapper around scripts/.

TESTS ?=

.PHONY: all deps tree build base check check-sanitizers check-each-patch iotests checkpatch export status reset

all: build

deps:
	scripts/install-deps

tree: deps
	scripts/prepare-tree

build: tree
	scripts/build-qemu

base: tree
	scripts/build-qemu --base

check: build
	scripts/run-checks

# ASan+UBSan build in build-san/, then tests-iotests/selection-sanitizers
# (or TESTS="...")
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

export:
	scripts/export-series

status:
	@scripts/series-status

reset:
	scripts/prepare-tree --reset
