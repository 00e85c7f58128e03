#!/usr/bin/env bash
# A program the tests need from Debian (Chromium for the browser tests, Java for the PySpark test): install its
# package when we may (root or passwordless sudo), else say how.
# Usage: ensure_debian.sh PROGRAM PACKAGE WHAT-FOR   (PROGRAM: a path, or a name looked up on PATH)
set -euo pipefail
program="$1" package="$2" purpose="$3"
present() { if [[ "$program" == */* ]]; then [ -x "$program" ]; else command -v "$program" >/dev/null; fi; }
present && exit 0
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "error: $program is missing; run \`sudo apt-get install -y $package\`, then \`make test\` again" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "error: $program is missing and this is not Debian/Ubuntu (no apt-get); install $package there" >&2
  exit 1
fi
echo "installing Debian's $package for $purpose (apt-get)"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
present || { echo "error: apt-get installed $package but $program is still missing" >&2; exit 1; }
