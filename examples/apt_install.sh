# apt_install.sh: sourced by the examples' run.sh scripts.
#
# apt_install PACKAGE WHAT installs Debian's PACKAGE with apt-get when it can
# (as root, or with sudo without a password), saying on stderr that it
# installs WHAT. Another install may hold dpkg's lock: it waits for it up to
# 5 minutes rather than failing at once, and shows apt's own words if the
# install fails. It returns 0 once installed, 1 if the install failed and 2
# if it cannot install here (no apt-get, or not root and no sudo).
apt_install() {
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo="sudo -n"
		else
			return 2
		fi
	fi
	command -v apt-get >/dev/null 2>&1 || return 2
	echo "run.sh: installing $2 (apt-get install $1)..." >&2
	log=$(mktemp)
	if $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq >"$log" 2>&1 &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$1" >>"$log" 2>&1; then
		echo "run.sh: $1 installed" >&2
		rm -f "$log"
		return 0
	fi
	echo "run.sh: could not install $1; apt-get said:" >&2
	tail -n 20 "$log" | sed 's/^/run.sh:   /' >&2
	rm -f "$log"
	return 1
}
