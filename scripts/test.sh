#!/usr/bin/env bash
# The one test command (README and .ci/run): installs what the tests need, checks the code, runs pytest.
#   - a virtualenv in .venv with ruralgraph and its test extras
#   - ruff (lint and format), mypy (strict) and lint-imports (the layers) must be clean
#   - the Neo4j 5 test server, built by Maven (tests/neo4j_server/)
#   - headless Chromium and a CJK font for the map tests (Debian packages; installed when root)
# `bash scripts/test.sh --fast` runs only the unit tier (pytest -m unit: no server, no browser, seconds).
# Other arguments go to pytest, e.g. `bash scripts/test.sh -k partners`.
set -euo pipefail
cd "$(dirname "$0")/.."
fast=false
if [ "${1:-}" = "--fast" ]; then
  fast=true
  shift
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
.venv/bin/mypy
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; exit 1; }
if [ "$fast" = true ]; then
  exec .venv/bin/python -m pytest -m unit "$@"
fi
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi wqy; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium and fonts-wqy-microhei (Debian packages) for the map tests" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  elif [ "${CI:-}" = "true" ]; then
    echo "CI needs chromium and fonts-wqy-microhei (apt-get install chromium fonts-wqy-microhei)" >&2
    exit 1
  fi
fi
if command -v mvn >/dev/null && command -v java >/dev/null; then
  bash tests/neo4j_server/build.sh
elif [ "${CI:-}" = "true" ]; then
  echo "CI needs Java 17 and Maven for the Neo4j test server" >&2
  exit 1
fi
exec .venv/bin/python -m pytest "$@"
