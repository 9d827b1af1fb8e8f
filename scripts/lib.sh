# Shared helpers for the scripts in this directory; source, don't run.
# shellcheck shell=bash
#
# BASE picks the base and with it the tree, builds, patches and test
# selection (scripts/bases/$BASE.conf): v10.2.2 (default, the series for
# qemu-devel) or v7.2.0 (the backport).

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASES="v10.2.2 v7.2.0"     # newest first: the order make check runs them
BASE=${BASE:-v10.2.2}
[ -f "$TOP/scripts/bases/$BASE.conf" ] || {
    echo "unknown BASE=$BASE; one of: $BASES" >&2; exit 1; }
. "$TOP/scripts/bases/$BASE.conf"

TREE="$TOP/$TREE_DIR"
BASE_TREE="$TOP/$BASE_TREE_DIR"
PATCHES="$TOP/$PATCHES_DIR"
FIXUPS="$TOP/$FIXUPS_DIR"

# Tags in the work tree
TAG_IMPORT=upstream-v$BASE_VERSION   # the tarball as shipped
TAG_BASE=series-base                 # + build fix-ups; the series applies here

# Identity of the generated base commits (fixed, so they are reproducible)
BASE_IDENT_NAME="qcow2-bitmaps base import"
BASE_IDENT_EMAIL="base@qcow2-bitmaps.invalid"

die() { echo "$(basename "$0") [$BASE]: $*" >&2; exit 1; }
note() { echo "$(basename "$0") [$BASE]: $*" >&2; }

sudo_cmd() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The series: numbered patches, cover letter (0000) excluded
series_patches() {
    find "$PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
        ! -name '0000-*' | LC_ALL=C sort
}

# git in the work tree
tgit() {
    git -C "$TREE" "$@"
}

# Deterministic identity and dates for the generated base commits
base_git() {
    GIT_AUTHOR_NAME="$BASE_IDENT_NAME" GIT_AUTHOR_EMAIL="$BASE_IDENT_EMAIL" \
    GIT_COMMITTER_NAME="$BASE_IDENT_NAME" GIT_COMMITTER_EMAIL="$BASE_IDENT_EMAIL" \
    GIT_AUTHOR_DATE="$BASE_DATE" GIT_COMMITTER_DATE="$BASE_DATE" \
        git -C "$TREE" "$@"
}
