#!/usr/bin/env bash
# Builds the Neo4j test server (Maven, Java 17) unless it is already built for the current pom.xml.
# The jars are cached in ~/.m2, so a rebuild is quick after the first one.
set -euo pipefail
cd "$(dirname "$0")"
stamp=target/.built-from
if [ -f "$stamp" ] && [ -d target/lib ] && [ -f target/classes/ruralgraph/TestServer.class ] \
   && cmp -s pom.xml "$stamp" && [ target/classes/ruralgraph/TestServer.class -nt src/main/java/ruralgraph/TestServer.java ]; then
  exit 0
fi
command -v mvn >/dev/null || { echo "neo4j test server: Maven (mvn) is not installed" >&2; exit 1; }
command -v java >/dev/null || { echo "neo4j test server: Java is not installed" >&2; exit 1; }
mvn -q -B -Dstyle.color=never package -DskipTests
cp pom.xml "$stamp"
