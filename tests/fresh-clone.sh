#!/bin/sh
# tests/fresh-clone.sh [REV]: the README's first command on a fresh machine.
#
# Clones this repository (REV, default: the work tree's tracked files, committed
# or not) into a temporary folder and runs `make run` there with kconfig-conf and
# qemu-system-x86_64 hidden from PATH, as on a machine without
# kconfig-frontends-nox and qemu-system-x86:
#  1. as a user (NEED_PKGS_UID=1000): make must stop before building anything,
#     having printed one apt-get line naming both packages;
#  2. as root, with scripts/need-pkgs' install step replaced by one that puts the
#     hidden tools back on PATH (NEED_PKGS_INSTALL): the FIRST `make run` must
#     install both, build, boot and print the BOOT-REPORT line.
# No network, no apt-get. Exit 0 pass, 1 fail. KEEP=1 keeps the folder.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fresh-clone.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "fresh-clone: FAIL: $*"
	[ -f "$tmp/out.txt" ] && { echo "  last lines of make's output:"; tail -15 "$tmp/out.txt" | sed 's/^/  | /'; }
	exit 1
}

# The tree under test: uncommitted changes to tracked files too (git stash
# create makes a commit of them without touching the work tree or the stash;
# it needs an identity, which a fresh machine's git may not have).
if [ -z "$rev" ]; then
	rev=$(GIT_AUTHOR_NAME=fresh-clone GIT_AUTHOR_EMAIL=fresh-clone@localhost \
		GIT_COMMITTER_NAME=fresh-clone GIT_COMMITTER_EMAIL=fresh-clone@localhost \
		git -C "$here" stash create) || fail "git stash create failed in $here"
	[ -n "$rev" ] || rev=$(git -C "$here" rev-parse HEAD) || fail "not a git work tree"
fi
git clone -q --shared --no-checkout "$here" "$tmp/repo" &&
	git -C "$tmp/repo" -c advice.detachedHead=false checkout -q "$rev" ||
	fail "cannot clone $here at $rev"

# PATH without the hidden tools: a folder of links to every other command.
hide="kconfig-conf qemu-system-x86_64"
mkdir -p "$tmp/bin"
real=""
for tool in $hide; do
	p=$(command -v "$tool") || fail "$tool is not installed here: the test restores it from the system"
	real="$real $tool=$p"
done
old_ifs=$IFS
IFS=:
for dir in $PATH; do
	IFS=$old_ifs
	# The first directory on PATH wins, as for the shell: ln keeps existing links.
	[ -d "$dir" ] && ln -s "$dir"/* "$tmp/bin/" 2>/dev/null
done
IFS=$old_ifs
for tool in $hide; do rm -f "$tmp/bin/$tool"; done

# The stand-in for apt-get install: restores what each package provides.
cat > "$tmp/fake-install" <<EOF
#!/bin/sh
for pkg in "\$@"; do
	echo "\$pkg" >> "$tmp/installed"
	case \$pkg in
	kconfig-frontends-nox) tool=kconfig-conf ;;
	qemu-system-x86) tool=qemu-system-x86_64 ;;
	*) echo "fake-install: \$pkg is installed on the test machine, why is it missing?"; exit 1 ;;
	esac
	for pair in $real; do
		[ "\${pair%%=*}" = "\$tool" ] && ln -s "\${pair#*=}" "$tmp/bin/\$tool"
	done
done
EOF
chmod +x "$tmp/fake-install"

# A user's environment, not this make's: no MAKEFLAGS, no exported ARCH or O.
run_make() {
	(cd "$tmp/repo" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		-u ARCH -u O -u DEFCONFIG -u MACHINE -u CMDLINE PATH="$tmp/bin" "$@" \
		timeout 300 make run </dev/null >"$tmp/out.txt" 2>&1)
}

# 1. Not root: one apt-get line, nothing built.
run_make NEED_PKGS_UID=1000 && fail "make run as a user passed without kconfig-conf and QEMU"
want="run: sudo apt-get update && sudo apt-get install -y kconfig-frontends-nox qemu-system-x86"
grep -qxF "$want" "$tmp/out.txt" || fail "make run as a user did not print: $want"
[ -e "$tmp/repo/build" ] && fail "make run as a user built something before stopping"
echo "  fresh-clone: as a user, make run stops with: $want"

# 2. Root: the first make run installs, builds and boots.
# What is judged is the plumbing: installed, built, booted, the kernel reported.
# A timed in-kernel test may fail under real-time TCG on a loaded host (make run
# does not use -icount): that verdict is the kernel's, printed, not this test's.
run_make NEED_PKGS_INSTALL="$tmp/fake-install"
rc=$?
grep -q '^BOOT-REPORT {' "$tmp/out.txt" || fail "no BOOT-REPORT line from the first make run (exit $rc)"
grep -q '^KERNEL-EXIT: ' "$tmp/out.txt" || fail "no KERNEL-EXIT line from the first make run (exit $rc)"
if [ $rc -ne 0 ]; then
	grep -q 'QEMU exit 3: kernel reported test failure' "$tmp/out.txt" ||
		fail "the first make run failed (exit $rc)"
	echo "  fresh-clone: note: an in-kernel test failed under real-time TCG:" \
		"$(grep -E '^ *not ok' "$tmp/out.txt" | sed 's/^ *//' | tr '\n' ';')"
fi
installed=$(sort "$tmp/installed" | tr '\n' ' ')
[ "$installed" = "kconfig-frontends-nox qemu-system-x86 " ] ||
	fail "installed: '$installed', expected kconfig-frontends-nox and qemu-system-x86 once each"
echo "  fresh-clone: the first make run installed ${installed% } and booted:" \
	"$(grep -o '"machine":"[^"]*"' "$tmp/out.txt")"
