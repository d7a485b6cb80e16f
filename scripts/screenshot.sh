#!/usr/bin/env bash
# Regenerates docs/demo-map.png: the demo map of the bundled dataset, drawn by headless Chromium offline.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
.venv/bin/ruralgraph demo --db "$tmp/demo.kgl" --output "$tmp/map.html" --format csv >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
  --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$tmp/profile" --hide-scrollbars \
  --window-size=1600,1000 --virtual-time-budget=30000 --screenshot="$PWD/docs/demo-map.png" "file://$tmp/map.html" 2>/dev/null
rm -rf "$tmp"
echo "wrote docs/demo-map.png"
