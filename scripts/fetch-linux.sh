#!/bin/sh
# fetch-linux.sh CACHE: Debian's Linux 6.1 kernel image (linux-image-6.1.0-N-amd64)
# unpacked into CACHE, for the side-by-side boot benchmark (scripts/bench-linux.py).
# Prints the vmlinuz path. Uses `apt-get download` and `dpkg-deb -x` only: nothing
# is installed and the system's packages are not touched. A second run finds the
# cached image and downloads nothing. Exits 1 with the reason on stderr when the
# image cannot be had (no apt, no such package in the configured archive, offline).
set -e
cache=${1:?usage: fetch-linux.sh CACHE}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
if [ -e "$cache/vmlinuz" ]; then
	echo "$cache/vmlinuz"
	exit 0
fi
for tool in apt-get apt-cache dpkg-deb; do
	command -v $tool >/dev/null 2>&1 || { echo "fetch-linux: no $tool (not a Debian system)" >&2; exit 1; }
done
# The 6.1 image the metapackage points at, else the highest ABI number listed.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -1)
if [ -z "$pkg" ]; then
	pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
		cut -d' ' -f1 | sort -t- -k4,4n | tail -1)
fi
if [ -z "$pkg" ]; then
	echo "fetch-linux: no linux-image-6.1.0-*-amd64 in the apt archive (apt-get update?)" >&2
	exit 1
fi
tmp="$cache/tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>"$tmp/err") || {
	echo "fetch-linux: apt-get download $pkg failed: $(tail -1 "$tmp/err")" >&2
	exit 1
}
dpkg-deb -x "$tmp"/*.deb "$tmp/x"
img=$(ls "$tmp"/x/boot/vmlinuz-* 2>/dev/null | head -1)
if [ -z "$img" ]; then
	echo "fetch-linux: $pkg has no /boot/vmlinuz-*" >&2
	exit 1
fi
cp "$img" "$cache/vmlinuz.new"
echo "$pkg" > "$cache/package"
mv "$cache/vmlinuz.new" "$cache/vmlinuz"
echo "$cache/vmlinuz"
