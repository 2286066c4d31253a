#!/usr/bin/env bash
# package-plugin.sh — the release tarball of the provider plugin:
#   dist/pulumi-resource-braket-v<version>-<os>-<arch>.tar.gz   (version from package.json)
# holding, at its root, the executable pulumi-resource-braket (from `npm run build`, i.e.
# provider/scripts/build-plugin.mjs), README.md, LICENSE (if the repository has one) and
# THIRD-PARTY-NOTICES.txt, as pulumi-awsx's release tarballs do. Install it with
#   pulumi plugin install resource braket <version> --file dist/pulumi-resource-braket-v<version>-linux-amd64.tar.gz
# Usage: bash provider/scripts/package-plugin.sh [OUTPUT_DIR]   (default: dist/)
# Archive metadata is normalized (sorted entries, root-owned, mtime from SOURCE_DATE_EPOCH or the last
# commit, gzip without a timestamp); the binary itself differs between builds (V8's code cache does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

die() { printf 'package-plugin: ERROR: %s\n' "$*" >&2; exit 1; }

name=pulumi-resource-braket
binary="bin/$name"
notices="dist/plugin/THIRD-PARTY-NOTICES.txt"
outdir="${1:-dist}"

[ -x "$binary" ] || die "$binary is missing: build it first (npm run build)"
[ -f "$notices" ] || die "$notices is missing: build the plugin first (npm run build)"
version="$(node -p 'require("./package.json").version')"
[ -n "$version" ] || die "no version in package.json"

# os and arch from the binary itself (it embeds whichever node binary it was built with).
magic="$(od -An -tx1 -N4 "$binary" | tr -d ' \n')"
[ "$magic" = 7f454c46 ] || die "$binary is not an ELF executable (only Linux builds are packaged)"
os=linux
case "$(od -An -tu2 -j18 -N2 "$binary" | tr -d ' \n')" in
    62) arch=amd64 ;;
    183) arch=arm64 ;;
    *) die "$binary is for a machine type this script does not know" ;;
esac

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
install -m 0755 "$binary" "$stage/$name"
install -m 0644 README.md "$stage/README.md"
install -m 0644 "$notices" "$stage/THIRD-PARTY-NOTICES.txt"
for f in LICENSE LICENSE.md LICENSE.txt; do
    if [ -f "$f" ]; then install -m 0644 "$f" "$stage/$f"; fi
done

epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
mkdir -p "$outdir"
tarball="$outdir/$name-v$version-$os-$arch.tar.gz"
(cd "$stage" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort |
    tar --create --no-recursion --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --files-from=- |
    gzip -9 -n) >"$tarball.tmp.$$"
# One temporary file per run: concurrent runs (the tests, the bench) each leave a whole tarball.
mv -f "$tarball.tmp.$$" "$tarball"

printf 'package-plugin: wrote %s (%s bytes):\n' "$tarball" "$(stat -c %s "$tarball")" >&2
tar -tvzf "$tarball" >&2
printf '%s\n' "$tarball"
