# Sourced by scripts/fetch-xen.sh and scripts/fetch-qemu10.sh, not run.
# trixie_apt CACHE WHO: set A to apt options for a private configuration that reads
# Debian 13 (trixie) from the mirror the system already uses, with its lists and
# archives under CACHE/apt and an empty dpkg status, so nothing of the system's apt
# state is read or changed; fetch the lists once. WHO prefixes the error message.
trixie_apt() {
	mkdir -p "$1/apt/lists/partial" "$1/apt/cache/archives/partial"
	_m=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
	[ -n "$_m" ] || _m=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	[ -n "$_m" ] || { echo "$2: no Debian mirror in the apt sources" >&2; return 1; }
	echo "deb $_m trixie main" > "$1/apt/sources.list"
	A="-o Dir::Etc::sourcelist=$1/apt/sources.list -o Dir::Etc::sourceparts=-
	   -o Dir::State::Lists=$1/apt/lists -o Dir::Cache=$1/apt/cache
	   -o Dir::State::status=/dev/null -o APT::Sandbox::User=root -qq"
	[ -n "$(ls "$1/apt/lists" 2>/dev/null | grep -v partial)" ] || apt-get $A update >&2
}
