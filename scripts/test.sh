#!/usr/bin/env bash
# Runs the whole test suite: builds everything (installing what is missing, including Chromium,
# poppler's PDF tools, Java for the W3C Nu HTML Checker and the npm packages of the browser
# tests) and runs ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

browser_packages=(chromium poppler-utils)  # poppler's pdfinfo and pdftotext read the printed report
command -v node > /dev/null || browser_packages+=(nodejs)
command -v npm > /dev/null || browser_packages+=(npm)
command -v java > /dev/null || browser_packages+=(default-jre-headless)
missing=()
for package in "${browser_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# playwright-core never downloads a browser; the tests drive Debian's /usr/bin/chromium. No
# package's install script runs (vnu-jar's would fetch a Java): vnu.jar runs on Debian's Java.
# The registry sometimes stalls (EIDLETIMEOUT): packages already in npm's cache are used without
# asking it again, and the whole install is retried a few times before failing.
for attempt in 1 2 3 4 5; do
  (cd tests/browser && npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error --fetch-retries=5 --fetch-retry-mintimeout=2000 --fetch-timeout=60000) && break
  [ "$attempt" -lt 5 ] || { echo "npm ci failed 5 times" >&2; exit 1; }
  echo "npm ci failed (attempt $attempt); retrying in $((attempt * 10)) s" >&2
  sleep $((attempt * 10))
done

ctest --test-dir build --output-on-failure -j"$(nproc)"
