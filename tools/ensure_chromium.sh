#!/usr/bin/env bash
# The browser tests drive Debian's Chromium: install it when we may (root or passwordless sudo), else say how.
set -euo pipefail
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "error: $chromium is missing; run \`sudo apt-get install -y chromium\`, then \`make test\` again" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "error: $chromium is missing and this is not Debian/Ubuntu (no apt-get); install Chromium there" >&2
  exit 1
fi
echo "installing Debian's chromium for the browser tests (apt-get)"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
test -x "$chromium" || { echo "error: apt-get installed chromium but $chromium is still missing" >&2; exit 1; }
