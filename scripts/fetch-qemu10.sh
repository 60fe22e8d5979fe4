#!/bin/sh
# fetch-qemu10.sh [CACHE]: print the path of a QEMU 10 qemu-system-x86_64 (Debian 13's
# qemu-system-x86), fetching it first into CACHE (default $TRIXIE_CACHE or
# ~/.cache/trixie-emu) without installing anything: Debian 13's package lists come
# through a private apt configuration (the system's sources, lists and dpkg status are
# untouched), `apt-get download` fetches qemu-system-x86 and the shared libraries and
# firmware it needs, `dpkg-deb -x` unpacks them into CACHE/qemu-10, and two wrappers,
# CACHE/qemu-10/bin/qemu-system-{x86_64,i386}, run the binaries through Debian 13's
# own dynamic loader and libraries. Needs only apt-get and dpkg-deb. Idempotent: a
# second run prints the path (0.1 s). Exits non-zero, with the reason on stderr, when
# QEMU 10 cannot be had. Use: make matrix QEMU_VERSION=10, or QEMU=$(sh this) ...
set -eu
. "$(dirname "$0")/trixie-apt.sh"
C=$(realpath -m "${1:-${TRIXIE_CACHE:-$HOME/.cache/trixie-emu}}")
R=$C/qemu-10
W=$R/bin/qemu-system-x86_64
mkdir -p "$C"
exec 9>"$C/.qemu10-lock"; flock 9
if [ ! -x "$W" ]; then
	rm -rf "$R" "$R.new"
	mkdir -p "$R.new/root" "$R.new/debs"
	trixie_apt "$C" fetch-qemu10
	# With an empty dpkg status, a simulated install lists the whole Depends closure.
	# Keep what QEMU loads or reads at run time: shared libraries, QEMU's own packages
	# and its firmware; leave the maintainer-script tools (adduser, debconf, passwd).
	apt-get $A -s install --no-install-recommends qemu-system-x86 |
		awk '$1 == "Inst" { print $2 }' |
		grep -E '^(lib.*|zlib1g|qemu-.*|seabios|ipxe-qemu)$' > "$R.new/packages.txt"
	grep -qx qemu-system-x86 "$R.new/packages.txt" ||
		{ echo "fetch-qemu10: Debian 13 has no qemu-system-x86 here" >&2; exit 1; }
	(cd "$R.new/debs" && apt-get $A download $(cat "$R.new/packages.txt") >&2)
	for d in "$R.new"/debs/*.deb; do
		dpkg-deb -x "$d" "$R.new/root"
		echo "$(dpkg-deb -f "$d" Package) $(dpkg-deb -f "$d" Version)"
	done > "$R.new/versions.txt"
	rm -rf "$R.new/debs"
	# QEMU looks for its modules and firmware under <directory of /proc/self/exe>/
	# qemu-bundle first. Started through the loader, that directory is the loader's:
	# point the link there back to the unpacked root, or QEMU 10 loads the system's
	# QEMU 7.2 modules from /usr/lib/x86_64-linux-gnu/qemu and aborts.
	ln -s ../../.. "$R.new/root/usr/lib/x86_64-linux-gnu/qemu-bundle"
	mkdir -p "$R.new/bin"
	for t in x86_64 i386; do
		cat > "$R.new/bin/qemu-system-$t" <<-EOF
		#!/bin/sh
		# QEMU 10 (Debian 13) with its own loader and libraries: scripts/fetch-qemu10.sh
		r=\$(dirname "\$(dirname "\$(readlink -f "\$0")")")/root
		exec "\$r/usr/lib64/ld-linux-x86-64.so.2" --argv0 "\$0" \\
			--library-path "\$r/usr/lib/x86_64-linux-gnu" "\$r/usr/bin/qemu-system-$t" "\$@"
		EOF
		chmod +x "$R.new/bin/qemu-system-$t"
	done
	"$R.new/bin/qemu-system-x86_64" --version | grep -q 'version 10\.' ||
		{ echo "fetch-qemu10: the unpacked QEMU does not run or is not QEMU 10" >&2; exit 1; }
	mv "$R.new" "$R"
fi
echo "$W"
