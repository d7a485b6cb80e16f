#!/usr/bin/env bash
# Regenerates the pictures in docs/ from the bundled dataset: the partnership map (docs/map.png, and
# docs/demo-map.png for the README), the geographic map (docs/map-geo.png), both drawn by headless
# Chromium offline, the geographic map with its year slider at 2016 (docs/map-years.png), and the
# static figure for papers (docs/figure.png).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
.venv/bin/ruralgraph demo --db "$tmp/demo.kgl" --output "$tmp/map.html" --format csv >/dev/null
.venv/bin/ruralgraph map --db "$tmp/demo.kgl" --layout geo -o "$tmp/geo.html" 2>/dev/null
shoot() {
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
    --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$tmp/profile" --hide-scrollbars \
    --window-size=1600,1000 --virtual-time-budget=30000 --screenshot="$PWD/docs/$2" "file://$tmp/$1" 2>/dev/null
  echo "wrote docs/$2"
}
shoot map.html map.png
cp docs/map.png docs/demo-map.png
shoot geo.html map-geo.png
shoot "geo.html?year=2016&undated=0" map-years.png   # the year slider at 2016, dated relationships only
.venv/bin/ruralgraph figure --db "$tmp/demo.kgl" -o docs/figure.png
rm -rf "$tmp"
