#!/bin/sh
# fetch-xen.sh VERSION [CACHE]: print the path of Debian's Xen VERSION hypervisor
# image (xen-VERSION-amd64.gz), fetching it first when it is not the system's.
#   4.17: Debian 12's package, installed with apt-get where missing (as root).
#   4.20: Debian 13's xen-hypervisor-4.20-amd64 (a single hypervisor file, no
#         dependencies), downloaded with a private apt configuration for Debian 13
#         (the system's sources, lists and dpkg status are untouched) and unpacked
#         with dpkg-deb -x into CACHE (default ~/.cache/trixie-emu). Idempotent.
# Exits non-zero, with the reason on stderr, when the image cannot be had.
set -eu
. "$(dirname "$0")/trixie-apt.sh"
v=${1:?usage: fetch-xen.sh VERSION [CACHE]}
case $v in
4.17)
	f=/boot/xen-4.17-amd64.gz
	if [ ! -r "$f" ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "fetch-xen: $f missing; run: sudo apt-get install xen-hypervisor-4.17-amd64" >&2
			exit 1
		fi
		[ -e /tmp/.need-pkgs-apt-updated ] || { apt-get update -q >/dev/null && touch /tmp/.need-pkgs-apt-updated; }
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			xen-hypervisor-4.17-amd64 >/dev/null
	fi
	echo "$f"
	exit 0 ;;
4.20) ;;
*) echo "fetch-xen: unknown Xen version $v (4.17 or 4.20)" >&2; exit 1 ;;
esac
C=$(realpath -m "${2:-${TRIXIE_CACHE:-$HOME/.cache/trixie-emu}}")
D=$C/xen-$v
f=$D/boot/xen-$v-amd64.gz
mkdir -p "$C"
exec 9>"$C/.xen-lock"; flock 9
if [ ! -r "$f" ]; then
	trixie_apt "$C" fetch-xen
	rm -rf "$D.tmp"; mkdir -p "$D.tmp"
	(cd "$D.tmp" && apt-get $A download "xen-hypervisor-$v-amd64" >&2)
	dpkg-deb -x "$D.tmp"/xen-hypervisor-"$v"-amd64_*.deb "$D.tmp/root"
	[ -r "$D.tmp/root/boot/xen-$v-amd64.gz" ] || { echo "fetch-xen: no boot/xen-$v-amd64.gz in the package" >&2; exit 1; }
	rm -rf "$D"; mv "$D.tmp/root" "$D"; rm -rf "$D.tmp"
fi
echo "$f"
