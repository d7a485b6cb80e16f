#!/usr/bin/env bash
# The one test command (README and .ci/run): installs what the tests need, then runs pytest.
#   - a virtualenv in .venv with ruralgraph and its test extras
#   - the Neo4j 5 test server, built by Maven (tests/neo4j_server/)
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k partners`.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
if command -v mvn >/dev/null && command -v java >/dev/null; then
  bash tests/neo4j_server/build.sh
elif [ "${CI:-}" = "true" ]; then
  echo "CI needs Java 17 and Maven for the Neo4j test server" >&2
  exit 1
fi
exec .venv/bin/python -m pytest "$@"
