#!/usr/bin/env bash
# The test suite's sanitizer and fuzzing runs (.ci/run runs this with SECONDS=15):
#  1. clang with AddressSanitizer and UndefinedBehaviorSanitizer (and libFuzzer's coverage):
#     the unit and whole-site tests, every input in tests/fuzz/regressions/, then each libFuzzer
#     target in tests/fuzz for SECONDS (default 30) from the example site's own files;
#  2. ThreadSanitizer: the unit and whole-site tests (the build renders on every core, the
#     preview server answers on many threads) and the preview server's tests over HTTP.
# A fuzzing crash stops the script with its input in build-asan/crashes/: add that file to
# tests/fuzz/regressions/<target>/ with the fix.
#   bash scripts/sanitizers.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
# Every tests/fuzz/fuzz_<target>.cpp is a target; CMake finds them the same way.
targets=()
for source in tests/fuzz/fuzz_*.cpp; do
  target=${source##*/fuzz_}
  targets+=("${target%.cpp}")
done

if ! command -v clang++ > /dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a > /dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-dev
fi

echo "== AddressSanitizer and UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" \
  -DPLAINSIGHT_SANITIZE=fuzzer -DPLAINSIGHT_BROWSER_TESTS=OFF > /dev/null
cmake --build build-asan
build-asan/tests/plainsight_tests --no-intro=true --minimal=true

corpus=build-asan/corpus
mkdir -p build-asan/crashes
seed() {
  local target=$1
  shift
  mkdir -p "$corpus/$target"
  for file in "$@"; do cp "$file" "$corpus/$target/$(echo "$file" | tr / _)"; done
}
seed front_matter content/*.md content/news/*.md
seed markdown content/*.md content/news/*.md
seed search content/*.md content/news/*.md
seed plan content/plans/*/plan.json examples/*/content/plans/*/plan.json
seed budget content/budgets/*/budget.json
seed pipeline content/procurement/pipeline.csv
seed csv content/procurement/pipeline.csv
mkdir -p "$corpus/dataset"
for bundle in content/capital-programmes/*/; do
  { cat "$bundle/schema.json"; printf '\n---\n'; cat "$bundle/data.csv"; } > "$corpus/dataset/$(basename "$bundle")"
done
mkdir -p "$corpus/plan_tables"  # in plan_table_files() order: plan, periods, priorities, deliverables, measures, values, updates, trend, risks
cat > "$corpus/plan_tables/small" << 'TABLES'
title,label_deliverable
P,Action
---
id,label,end
q4,Mar 2022,31/03/2022
---
id,title,summary
a,A,"The **first**, ""quoted"""
---
id,priority,title,measures,council_plan,field: Portfolio
d,a,D,m,yes,Place
---
id,title,unit,last_period_target
m,M,percent,95
---
measure,period,value,target,target_as_published
m,q4,"1,094",95,95% or above
---
deliverable,period,rating,text
d,q4,good,'=Done.
---
period,kind,good,counted_from
q4,deliverables,1,published
---
id,priority,risk
r,a,Floods.
TABLES
mkdir -p "$corpus/preview_url"
printf '/' > "$corpus/preview_url/root"
printf '/about/' > "$corpus/preview_url/about"
printf '/css/../../etc/passwd' > "$corpus/preview_url/dots"
printf '/about' > "$corpus/preview_url/redirect"
mkdir -p "$corpus/output_path"
printf 'news/a/index.html' > "$corpus/output_path/page"
printf '//tmp/x' > "$corpus/output_path/absolute"
printf 'up/x.html' > "$corpus/output_path/link"
printf '@/tmp/x/p.md' > "$corpus/output_path/nameless"
printf '/news/../' > "$corpus/output_path/dots"

for target in "${targets[@]}"; do
  fuzzer=build-asan/tests/fuzz/fuzz_$target
  if [ -d "tests/fuzz/regressions/$target" ]; then
    "$fuzzer" -runs=0 "tests/fuzz/regressions/$target"/* > "build-asan/$target-regressions.log" 2>&1 ||
      { tail -40 "build-asan/$target-regressions.log"; echo "fuzz_$target: a regression input fails again" >&2; exit 1; }
  fi
  if ! "$fuzzer" "$corpus/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
       -artifact_prefix="build-asan/crashes/$target-" > "build-asan/$target.log" 2>&1; then
    grep -v "^    #[0-9]* 0x.* in fuzzer::" "build-asan/$target.log" | tail -60
    echo "fuzz_$target found a problem; its input is in build-asan/crashes/" >&2
    exit 1
  fi
  echo "fuzz_$target: $(grep -o 'Done [0-9]* runs' "build-asan/$target.log" | tail -1 | cut -d' ' -f2) inputs in ${seconds} s, no crash"
done

echo "== ThreadSanitizer"
cmake -S . -B build-tsan -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" \
  -DPLAINSIGHT_SANITIZE=thread -DPLAINSIGHT_BROWSER_TESTS=OFF > /dev/null
cmake --build build-tsan --target plainsight_tests plainsight
# atexit_sleep_ms=0: ThreadSanitizer sleeps a second at exit while other threads live, and
# parallel_for's workers live as long as the process (core/parallel.cpp); the preview server's
# test holds it to stopping within a second of Ctrl-C.
TSAN_OPTIONS=halt_on_error=1:atexit_sleep_ms=0 build-tsan/tests/plainsight_tests --no-intro=true --minimal=true
TSAN_OPTIONS=halt_on_error=1:atexit_sleep_ms=0 python3 tests/serve/serve_test.py "$PWD/build-tsan/plainsight" "$PWD"
echo "sanitizers: clean"
