#!/usr/bin/env bash
# The user's path: pack the library, install the tarball into a temporary project that has only
# the peer dependencies, synthesize a chart with every construct, and run the installed
# cdk8s-data-verify and cdk8s-data-safety with no environment variables and no ../shared.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-data-user-XXXXXX")"
trap 'rm -rf "$work"' EXIT
clean() { env -i PATH="$PATH" HOME="$HOME" "$@"; }

echo "-- pack"
tarball="$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -1)"
size=$(stat -c %s "$work/$tarball")
files=$(tar tzf "$work/$tarball" | wc -l)
own=$(tar tzf "$work/$tarball" | grep -vc '^package/node_modules/' || true)
echo "$tarball: $((size / 1024)) KiB, $files files ($own of the package itself, the rest bundled runtime dependencies)"

echo "-- install into a project with only the peer dependencies"
peer() { node -e "console.log(require('$repo/package-lock.json').packages['node_modules/$1'].version)"; }
cat > "$work/package.json" <<JSON
{ "name": "user-app", "version": "1.0.0", "private": true,
  "dependencies": { "cdk8s-data": "file:./$tarball", "cdk8s": "$(peer cdk8s)", "cdk8s-plus-28": "$(peer cdk8s-plus-28)", "constructs": "$(peer constructs)" } }
JSON
(cd "$work" && npm install --prefer-offline --no-audit --no-fund --silent)
cp "$repo/.ci/consumer/main.js" "$repo/.ci/consumer/timing.js" "$work/"
test ! -e "$work/../shared" || { echo "a ../shared directory exists next to $work: the check would not prove anything" >&2; exit 1; }

echo "-- synthesize a chart with every construct"
(cd "$work" && clean node main.js)
ls "$work/out"

echo "-- installed cdk8s-data-verify, no environment, no ../shared"
(cd "$work" && clean npx --no-install cdk8s-data-verify out --sarif=verify.sarif)
(cd "$work" && clean npx --no-install cdk8s-data-verify --json out > verify.json) && node -e "JSON.parse(require('fs').readFileSync('$work/verify.json','utf8'))"
(cd "$work" && clean npx --no-install cdk8s-data-verify --help | head -3)

echo "-- installed cdk8s-data-safety (the rendered set against itself: nothing to report)"
(cd "$work" && clean npx --no-install cdk8s-data-safety out out --sarif verify-safety.sarif)

echo "-- a consumer's verifyObjects, first and second call in one process"
(cd "$work" && clean node timing.js)
