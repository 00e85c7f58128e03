#!/usr/bin/env bash
# The PySpark test (the event layer's aggregation on Spark in local mode) needs a Java runtime: install Debian's
# when we may (root or passwordless sudo), else say how. PySpark 4.0 runs on Java 17 or 21.
set -euo pipefail
command -v java >/dev/null && exit 0
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "error: no java; run \`sudo apt-get install -y default-jre-headless\`, then \`make test\` again" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "error: no java and this is not Debian/Ubuntu (no apt-get); install a Java 17+ runtime there" >&2
  exit 1
fi
echo "installing Debian's Java runtime for the PySpark test (apt-get)"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
command -v java >/dev/null || { echo "error: apt-get installed default-jre-headless but java is still missing" >&2; exit 1; }
