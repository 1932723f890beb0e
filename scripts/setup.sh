#!/usr/bin/env bash
# Installs what plainsight needs from Debian, builds it, and generates the example site into
# public/. Safe to run again: apt-get and CMake only do what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ ninja-build pkg-config
  libcmark-gfm-dev libcmark-gfm-extensions-dev libkainjow-mustache-dev nlohmann-json3-dev
  libcpp-httplib-dev doctest-dev libyaml-cpp-dev libfmt-dev libstemmer-dev libxxhash-dev libjemalloc-dev
  python3 python3-jsonschema)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: please install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
./build/plainsight build --strict
