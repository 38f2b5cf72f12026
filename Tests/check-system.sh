#!/usr/bin/env bash
# Checks that this machine has what the course needs, and says how to get what is missing.
# Used by Tests/run-all.sh; run it yourself if a build fails in a way you do not understand.
set -u
missing=0
say() { printf '%s\n' "$*" >&2; }

if ! command -v swift >/dev/null 2>&1; then
  say "✗ swift is not on your PATH. Install Swift 6.0 or newer: https://www.swift.org/install/"
  missing=1
else
  version=$(swift --version 2>/dev/null | grep -oE 'Swift version [0-9]+\.[0-9]+' | grep -oE '[0-9]+\.[0-9]+' | head -1)
  major=${version%%.*}
  if [ -n "$version" ] && [ "${major:-0}" -lt 6 ]; then
    say "✗ Swift $version is too old: the course needs Swift 6.0 or newer (https://www.swift.org/install/)."
    missing=1
  fi
fi

case "$(uname -s)" in
  Linux)
    if ! printf '#include <ncursesw/ncurses.h>\n' | cc -E -x c - >/dev/null 2>&1 \
       && ! printf '#include <ncurses.h>\n' | cc -E -x c - >/dev/null 2>&1; then
      say "✗ The ncurses development files are missing (the full-screen tutor needs them)."
      say "  Debian/Ubuntu: sudo apt-get install libncurses-dev"
      say "  Fedora:        sudo dnf install ncurses-devel"
      missing=1
    fi ;;
  Darwin) ;;  # ncurses is part of the macOS SDK
esac

# Only the test suite needs tmux (it drives the full-screen tutor in a real terminal).
if [ "${1:-}" = "--for-tests" ] && ! command -v tmux >/dev/null 2>&1; then
  say "✗ tmux is missing: the test suite drives the full-screen tutor in it."
  say "  Debian/Ubuntu: sudo apt-get install tmux    macOS: brew install tmux"
  missing=1
fi

# The test suite's data step rebuilds CIFAR-10 from the offline mirror's JPEGs (Tests/fetch-data.sh):
# with Pillow, installed by pip into .build-data/python when the system has none.
if [ "${1:-}" = "--for-tests" ] && [ -f ../shared/data/cifar10/to_binary.py ]; then
  if ! command -v python3 >/dev/null 2>&1; then
    say "✗ python3 is missing: the test suite rebuilds CIFAR-10 from ../shared/data with it."
    missing=1
  elif ! python3 -c "import PIL" 2>/dev/null && ! python3 -m pip --version >/dev/null 2>&1; then
    say "✗ Pillow is missing, and pip is not there to install it: the test suite rebuilds CIFAR-10"
    say "  from ../shared/data's JPEGs with it. python3 -m pip install pillow"
    say "  (Debian/Ubuntu: sudo apt-get install python3-pil)"
    missing=1
  fi
fi

if ! command -v git >/dev/null 2>&1; then
  say "✗ git is missing: \`tutor reset\` restores exercises from the course's git history."
  missing=1
fi

exit $missing
