# Shared helpers for the scripts in this directory; source, don't run.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$TOP/scripts/base.conf"

TREE="$TOP/$TREE_DIR"
BASE_TREE="$TOP/$BASE_TREE_DIR"
PATCHES="$TOP/patches"
FIXUPS="$TOP/scripts/base-fixups"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
note() { echo "$(basename "$0"): $*" >&2; }

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
