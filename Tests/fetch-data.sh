#!/usr/bin/env bash
# The test suite's data step: every data set in place from an offline mirror, for the milestones'
# smoke runs. Usage: Tests/fetch-data.sh TUTOR [MIRROR=../shared/data]
#
# MNIST and Tiny Shakespeare come from the mirror as they are (byte-identical to the canonical
# files; the tutor checks their SHA-256). CIFAR-10 is different: our mirror holds it as JPEGs plus
# to_binary.py, which rebuilds the binary batch files, and the tutor says so rather than run Python
# itself. This script runs that script — with Pillow from the system, or installed once by pip into
# .build-data/python (git-ignored) and reused — into .build-data/cifar10-rebuilt-from-jpegs, and
# fetches CIFAR-10 from there (then removes that folder): the tutor checks the files' structure
# (sizes, records, labels), not a SHA-256, since rebuilt bytes are not the canonical ones. A mirror
# holding the official archive instead is used as it is. When CIFAR-10 is already in place and
# passes `tutor data verify`, nothing is rebuilt.
set -eu
tutor=${1:?"usage: Tests/fetch-data.sh TUTOR [MIRROR]"}
mirror=${2:-../shared/data}
cd "$(dirname "$0")/.."

rebuild=$mirror/cifar10/to_binary.py
if "$tutor" data verify cifar10 >/dev/null 2>&1; then
  echo "CIFAR-10 is in place and as fetched: nothing to rebuild"
elif [ -f "$rebuild" ] && [ ! -f "$mirror/cifar10/cifar-10-binary.tar.gz" ] && [ ! -f "$mirror/cifar-10-binary.tar.gz" ]; then
  if ! python3 -c "import PIL" 2>/dev/null; then
    packages=$PWD/.build-data/python
    if ! PYTHONPATH=$packages python3 -c "import PIL" 2>/dev/null; then
      echo "Pillow is not installed: installing it into $packages (once)"
      python3 -m pip install --quiet --disable-pip-version-check --target "$packages" pillow
    fi
    export PYTHONPATH=$packages${PYTHONPATH:+:$PYTHONPATH}
  fi
  # Named for what it holds (the tutor records where CIFAR-10 came from); removed once fetched.
  rebuilt=$PWD/.build-data/cifar10-rebuilt-from-jpegs
  rm -rf "$rebuilt"
  trap 'rm -rf "$rebuilt"' EXIT
  echo "rebuilding CIFAR-10's binary files from the mirror's JPEGs: python3 $rebuild"
  python3 "$rebuild" "$rebuilt"
  "$tutor" data fetch cifar10 --mirror "$rebuilt"
fi
"$tutor" data fetch --mirror "$mirror"
