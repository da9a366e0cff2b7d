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

case " $* " in
*" -corpus "* | *" -corpus="* | *" --corpus "* | *" --corpus="*) need_kjv=no ;;
*) need_kjv=yes ;;
esac

if [ "$need_kjv" = yes ] && ! command -v bible >/dev/null 2>&1; then
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo="sudo -n"
		else
			sudo=none
		fi
	fi
	if [ "$sudo" != none ] && command -v apt-get >/dev/null 2>&1; then
		echo "run.sh: installing the King James Bible (apt-get install bible-kjv)..." >&2
		# Another install may hold dpkg's lock: wait for it up to 5 minutes.
		log=$(mktemp)
		if $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq >"$log" 2>&1 &&
			DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq bible-kjv >>"$log" 2>&1; then
			echo "run.sh: bible-kjv installed" >&2
		else
			echo "run.sh: could not install bible-kjv; apt-get said:" >&2
			tail -n 20 "$log" | sed 's/^/run.sh:   /' >&2
		fi
		rm -f "$log"
	else
		echo "run.sh: the King James Bible needs Debian's bible-kjv package, which cannot be installed here (needs apt-get and root); try -corpus go" >&2
	fi
fi

cd "$root"
exec go run ./examples/word2vec "$@"
