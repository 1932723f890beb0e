#!/usr/bin/env python3
"""How close plainsight's build is to the floor: the least any generator must spend.

    apt-get install cmark-gfm        # the cmark-gfm command, for the first floor
    bench/floors.py --site DIR [--out DIR] [--runs 3] [--binary build/plainsight]

For a site already generated (bench/generate_corpus.py) the script measures, median of --runs:

- plainsight's full build into an empty folder with --timings, with its default threads and
  with --jobs 1;
- cmark-gfm alone: Debian's cmark-gfm command turning every page's Markdown (front matter
  removed, all pages in one file, so that starting the program is paid once) into HTML with the
  extensions and options plainsight uses, on one thread;
- writing the same bytes: `cp -r` of the built folder to an empty one beside it, one thread.

Give --out on the same filesystem as the benchmark's builds (bench/build_bench.py uses
/dev/shm) so that the write floor is measured where plainsight wrote.
"""
import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def seconds(command, runs, before=None):
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def timings(binary, site, out, runs, extra=()):
    """Median of each phase over runs of a full build into an empty folder."""
    phases = {}
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        line = subprocess.run([str(binary), "build", "--site", str(site), "--out", str(out), "--timings", *extra],
                              check=True, capture_output=True, text=True).stdout.splitlines()[0]
        for name, value in re.findall(r"([A-Za-z][A-Za-z ]*?) ([0-9.]+) s", line.removeprefix("Timings: ")):
            phases.setdefault(name, []).append(float(value))
    return {name: statistics.median(values) for name, values in phases.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--out", type=Path, help="where to build (default: a temporary folder in /dev/shm)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", type=Path, default=REPO / "build" / "plainsight")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="plainsight-floors-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    out = args.out or work / "out"

    markdown = work / "all.md"
    with markdown.open("w") as all_pages:
        pages = 0
        for page in sorted((args.site / "content").rglob("*.md")):
            text = page.read_text()
            if text.startswith("---\n"):
                text = text[text.index("\n---\n", 4) + 5:]
            all_pages.write(text + "\n\n")
            pages += 1
    cmark = ["cmark-gfm", "-e", "footnotes", "--table-prefer-style-attributes", "-e", "table", "-e", "strikethrough", "-e", "autolink",
             "-e", "tasklist", "--sourcepos", str(markdown)]
    cmark_seconds = seconds(cmark, args.runs)

    threaded = timings(args.binary, args.site, out, args.runs)
    single = timings(args.binary, args.site, out, args.runs, ["--jobs", "1"])
    copy = work / "copy"
    copy_seconds = seconds(["cp", "-r", str(out), str(copy)], args.runs, lambda: shutil.rmtree(copy, ignore_errors=True))
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    files = sum(1 for path in out.rglob("*") if path.is_file())

    print(f"{pages} Markdown files, {markdown.stat().st_size / 1e6:.1f} MB; output {files} files, {size / 1e6:.1f} MB")
    print("| phase | plainsight, all cores | plainsight, --jobs 1 |")
    print("| --- | ---: | ---: |")
    for name in threaded:
        print(f"| {name} | {threaded[name]:.3f} s | {single.get(name, 0):.3f} s |")
    print(f"\ncmark-gfm alone, one thread, the same Markdown: {cmark_seconds:.3f} s")
    print(f"cp -r of the output, one thread: {copy_seconds:.3f} s")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
