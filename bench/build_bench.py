#!/usr/bin/env python3
"""Builds the same generated site with plainsight and with Hugo, side by side.

    bench/build_bench.py [--pages 1000,10000,50000] [--runs 3] [--binary build/plainsight]

For each N the script writes a corpus (bench/generate_corpus.py), then measures under
/usr/bin/time -v, printing wall time, CPU time (user + system) and peak memory (maximum
resident set size):

- plainsight: a full build into an empty folder; a rebuild with nothing changed; a rebuild
  after one page's body was edited (then put back);
- Hugo (Debian's `hugo`): a full build of the same content folder into an empty folder with
  the minimal theme in bench/hugo/ (the same head, header, menu, breadcrumbs, contents list,
  page, paginated lists and footer as plainsight's default theme, plus Hugo's own RSS feed,
  sitemap and a JSON search index of every page's text). Hugo renders the plan, budget and
  pipeline pages as plain Markdown pages: it does not read their data files.

Both write into a folder on tmpfs (/dev/shm) unless --work says otherwise: on a virtual
machine whose disk is rate-limited, writing the same 13,000 files took from 0.4 s to 15 s
depending on what had been written before, which would measure the disk, not the generator.

Each figure is the median of --runs runs; the last lines are a Markdown table for
bench/README.md.
"""
import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
HUGO_LAYOUTS = REPO / "bench" / "hugo" / "layouts"


def measure(command):
    """Runs command under /usr/bin/time -v: (wall s, CPU s, peak MiB, stdout)."""
    result = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{result.stdout}\n{result.stderr}")
    fields = dict(re.findall(r"^\s*(.+?): (.+)$", result.stderr, re.M))
    clock = [float(part) for part in fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")]
    wall = sum(part * 60 ** power for power, part in enumerate(reversed(clock)))
    cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
    return wall, cpu, int(fields["Maximum resident set size (kbytes)"]) / 1024, result.stdout


def hugo_config(site, out):
    """The Hugo configuration equivalent to the corpus's site.json."""
    config = json.loads((site / "site.json").read_text())
    menu = [{"name": item["title"], "url": item["url"], "weight": n + 1} for n, item in enumerate(config["menu"])]
    return {
        "baseURL": config["base_url"], "title": config["title"], "languageCode": config["language"],
        "paginate": config["paginate"], "contentDir": str(site / "content"), "layoutDir": str(HUGO_LAYOUTS),
        "publishDir": str(out), "disableKinds": ["taxonomy", "term"],
        "outputs": {"home": ["HTML", "RSS", "JSON"]}, "menu": {"main": menu},
        "params": {"council": config["council"], "description": config["description"]},
        "markup": {"goldmark": {"renderer": {"unsafe": config.get("unsafe_html", False)}}},
    }


def median_of(runs, command, before=None):
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(measure(command))
    return tuple(statistics.median(result[i] for result in results) for i in range(3))


def bench(pages, runs, binary, work):
    site, out, hugo_out = work / f"site-{pages}", work / f"plainsight-{pages}", work / f"hugo-{pages}"
    write_corpus(pages, site)
    build = [str(binary), "build", "--site", str(site), "--out", str(out)]
    full = median_of(runs, build, lambda: shutil.rmtree(out, ignore_errors=True))
    unchanged = median_of(runs, build)
    edited_page = next((site / "content" / "services").rglob("page-*.md"))
    original = edited_page.read_text()

    def edit():
        edit.count += 1
        edited_page.write_text(original + f"\nEdited for the benchmark, time {edit.count}.\n")
    edit.count = 0
    one_edit = median_of(runs, build, edit)
    edited_page.write_text(original)
    measure(build)

    config = work / f"hugo-{pages}.json"
    config.write_text(json.dumps(hugo_config(site, hugo_out)))
    hugo = median_of(runs, ["hugo", "--quiet", "--config", str(config), "--source", str(work)],
                     lambda: shutil.rmtree(hugo_out, ignore_errors=True))
    files = sum(1 for path in hugo_out.rglob("*.html"))
    return {"pages": pages, "full": full, "unchanged": unchanged, "one_edit": one_edit, "hugo": hugo, "hugo_html": files,
            "plainsight_html": sum(1 for path in out.rglob("*.html"))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="1000,10000,50000", help="comma-separated page counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", type=Path, default=REPO / "build" / "plainsight")
    parser.add_argument("--work", type=Path, help="folder for the corpora and outputs (default: a temporary one in /dev/shm)")
    args = parser.parse_args()
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
    print(f"plainsight: {args.binary}; Hugo: {version}; {args.runs} runs each, medians")
    work = args.work or Path(tempfile.mkdtemp(prefix="plainsight-bench-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    rows = []
    for pages in (int(n) for n in args.pages.split(",")):
        row = bench(pages, args.runs, args.binary.resolve(), work)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if not args.work:
        shutil.rmtree(work)

    def cell(figures):
        return f"{figures[0]:.2f} s wall, {figures[1]:.2f} s CPU, {figures[2]:.0f} MiB"
    print("\n| pages | plainsight, full build | Hugo, full build | wall time plainsight/Hugo | memory plainsight/Hugo | nothing changed | one page edited |")
    print("| ---: | --- | --- | ---: | ---: | --- | --- |")
    for row in rows:
        full, hugo = row["full"], row["hugo"]
        print(f"| {row['pages']:,} | {cell(full)} | {cell(hugo)} | {full[0] / hugo[0]:.2f} | {full[2] / hugo[2]:.2f} | "
              f"{cell(row['unchanged'])} ({row['unchanged'][0] / full[0]:.0%} of full) | {cell(row['one_edit'])} |")


if __name__ == "__main__":
    main()
