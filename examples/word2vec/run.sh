#!/bin/sh
# run.sh: trains the chapter's word2vec skip-gram model (examples/word2vec)
# on the King James Bible, from any directory:
#
#	examples/word2vec/run.sh [-steps N] [-png embeddings.png] [-probes w1,w2]
#
# The text comes with Debian's bible-kjv package (its bible program prints
# it); on a Debian machine this script installs the package when it is
# missing and it can (as root, or with sudo without a password). Nothing
# else is downloaded. With -corpus go (the Go distribution's comments and
# docs) or -corpus FILE it installs nothing.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/examples/apt_install.sh"

case " $* " in
*" -corpus "* | *" -corpus="* | *" --corpus "* | *" --corpus="*) need_kjv=no ;;
*) need_kjv=yes ;;
esac

if [ "$need_kjv" = yes ] && ! command -v bible >/dev/null 2>&1; then
	rc=0
	apt_install bible-kjv "the King James Bible" || rc=$?
	if [ "$rc" = 2 ]; then
		echo "run.sh: the King James Bible needs Debian's bible-kjv package, which cannot be installed here (needs apt-get and root); try -corpus go" >&2
	fi
fi

cd "$root"
exec go run ./examples/word2vec "$@"
