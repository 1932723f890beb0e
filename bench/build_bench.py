#!/usr/bin/env python3
"""Builds the same generated site with plainsight and with Hugo, side by side.

    bench/build_bench.py [--pages 1000,10000,50000] [--shapes standard,long,nested] [--runs 3]
                         [--binary build/plainsight] [--work DIR] [--disk DIR]

For each N the script writes a corpus (bench/generate_corpus.py), then measures under
/usr/bin/time -v, printing wall time, CPU time (user + system) and peak memory (maximum
resident set size):

- plainsight: a full build into an empty folder with no build state (nothing kept from an
  earlier build); a rebuild with nothing changed; a rebuild after one page's body was edited
  (then put back);
- Hugo (Debian's `hugo`): a full build of the same content folder into an empty folder with
  the minimal theme in bench/hugo/ (the same head, header, menu, breadcrumbs, contents list,
  page, paginated lists and footer as plainsight's default theme, plus Hugo's own RSS feed,
  sitemap and a JSON search index of every page's text). Hugo renders the plan, budget and
  pipeline pages as plain Markdown pages: it does not read their data files.

Both write into a folder on tmpfs (/dev/shm) unless --work says otherwise. With --disk DIR,
each also makes full builds into new folders under DIR (a folder on disk), compared the same
way; every folder is new, since on this machine's disk, files created just after thousands
were deleted are slow to create, which would measure the file system, not the generator.
Each corpus shape (bench/generate_corpus.py) is measured at each page count.

Every corpus holds the whole example site, which plainsight makes into some 640 pages and 90
data files from its plans, budget and pipeline and Hugo into a few dozen Markdown pages; so the
script also builds the example site alone (a corpus of 0 pages) with both, first, and prints it
under the table: at 1,000 pages that fixed part is much of each build.

Each figure is the median of --runs runs; the last lines are a Markdown table for
bench/README.md. Hugo is not started at a size where its memory at the largest size measured so
far, scaled up by the number of pages, would be more than four fifths of the memory free (on a
machine without swap it would be killed); a Hugo that fails is reported in the table, not fatal.
"""
import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
HUGO_LAYOUTS = REPO / "bench" / "hugo" / "layouts"


class Failed(Exception):
    """A build that did not finish: its message says how far it got."""


def measure(command):
    """Runs command under /usr/bin/time -v: (wall s, CPU s, peak MiB, stdout). The wall time is
    taken here, to the millisecond (time's own is in hundredths, too coarse for a build with
    nothing changed); it includes starting time itself, about a millisecond."""
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise Failed(f"{command[0]} failed (exit {result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    fields = dict(re.findall(r"^\s*(.+?): (.+)$", result.stderr, re.M))
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
    """The median of each figure over `runs` runs; command is a list, or a function giving each run's."""
    results = []
    for run in range(runs):
        if before:
            before(run)
        results.append(measure(command(run) if callable(command) else command))
    return tuple(statistics.median(result[i] for result in results) for i in range(3))


def fresh(folder):
    """A folder that does not exist yet, and so has no build state either."""
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def available_mib():
    """Memory the machine can still give, from /proc/meminfo."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def hugo_command(site, work, name, out_dir):
    config = work / f"hugo-{name}.json"
    config.write_text(json.dumps(hugo_config(site, out_dir)))
    return ["hugo", "--quiet", "--config", str(config), "--source", str(work)]


def example_alone(runs, binary, work):
    """Full builds of the corpus of 0 pages, the example site alone, by both: (plainsight, Hugo),
    each (wall, CPU, peak, HTML files)."""
    site, out, hugo_out = work / "site-example", work / "plainsight-example", work / "hugo-example"
    write_corpus(0, site)
    ours = median_of(runs, [str(binary), "build", "--site", str(site), "--out", str(out), "--quiet"],
                     lambda run: (fresh(out), fresh(site / ".plainsight")))
    theirs = median_of(runs, hugo_command(site, work, "example", hugo_out), lambda run: fresh(hugo_out))
    result = ((*ours, sum(1 for _ in out.rglob("*.html"))), (*theirs, sum(1 for _ in hugo_out.rglob("*.html"))))
    for folder in (site, out, hugo_out):
        shutil.rmtree(folder)
    return result


def bench(pages, shape, runs, binary, work, disk, hugo_estimate):
    name = f"{shape}-{pages}"
    site, out = work / f"site-{name}", work / f"plainsight-{name}"
    write_corpus(pages, site, shape)
    state = site / ".plainsight"

    def plainsight(out_dir):
        return [str(binary), "build", "--site", str(site), "--out", str(out_dir), "--quiet"]
    # A full build starts with no output and no build state: nothing kept from an earlier build.
    full = median_of(runs, plainsight(out), lambda run: (fresh(out), fresh(state)))
    unchanged = median_of(runs, plainsight(out))
    edited_page = sorted((site / "content").rglob("page-*.md"))[0]
    original = edited_page.read_text()

    def edit(run):
        edited_page.write_text(original + f"\nEdited for the benchmark, time {run + 1}.\n")
    one_edit = median_of(runs, plainsight(out), edit)
    edited_page.write_text(original)
    measure(plainsight(out))

    def hugo(out_dir):
        return hugo_command(site, work, name, out_dir)
    hugo_out = work / f"hugo-{name}"
    row = {"shape": shape, "pages": pages, "full": full, "unchanged": unchanged, "one_edit": one_edit,
           "plainsight_html": sum(1 for _ in out.rglob("*.html"))}
    shutil.rmtree(out)
    # Hugo is not started where its memory at a smaller size, scaled up, would not fit: on a
    # machine without swap it would be killed, and could take other processes with it.
    if hugo_estimate > 0.8 * available_mib():
        row["hugo_skipped"] = f"not run: it would need about {hugo_estimate / 1024:.0f} GiB, and {available_mib() / 1024:.0f} GiB are free"
        disk = None
    else:
        try:
            row["hugo"] = median_of(runs, hugo(hugo_out), lambda run: fresh(hugo_out))
            row["hugo_html"] = sum(1 for _ in hugo_out.rglob("*.html"))
        except Failed as failure:
            row["hugo_skipped"] = str(failure).splitlines()[0]
            disk = None
        shutil.rmtree(hugo_out, ignore_errors=True)
    if disk:
        # A new folder for every run, left until the whole benchmark is done, and the two
        # generators in turn: on this machine's disk, files created just after thousands were
        # deleted are slow to create (bench/README.md), which would measure the file system.
        disk_runs = disk / f"bench-{name}"
        fresh(disk_runs).mkdir(parents=True)
        ours, theirs = [], []
        for run in range(runs):
            fresh(state)
            ours.append(measure(plainsight(disk_runs / f"plainsight-{run}")))
            theirs.append(measure(hugo(disk_runs / f"hugo-{run}")))
        row["full_disk"] = tuple(statistics.median(result[i] for result in ours) for i in range(3))
        row["hugo_disk"] = tuple(statistics.median(result[i] for result in theirs) for i in range(3))
    shutil.rmtree(site)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="1000,10000,50000", help="comma-separated page counts")
    parser.add_argument("--shapes", default="standard,long,nested", help="comma-separated corpus shapes (bench/generate_corpus.py)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", type=Path, default=REPO / "build" / "plainsight")
    parser.add_argument("--work", type=Path, help="folder for the corpora and outputs (default: a temporary one in /dev/shm)")
    parser.add_argument("--disk", type=Path, help="also build into this folder on disk, and compare those builds too")
    args = parser.parse_args()
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
    print(f"plainsight: {args.binary}; Hugo: {version}; {args.runs} runs each, medians")
    work = args.work or Path(tempfile.mkdtemp(prefix="plainsight-bench-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    example = example_alone(args.runs, args.binary.resolve(), work)
    print(json.dumps({"example_alone": example}), flush=True)
    rows = []
    for shape in args.shapes.split(","):
        hugo_mib_per_page = 0  # from the largest size measured so far
        for pages in sorted(int(n) for n in args.pages.split(",")):
            row = bench(pages, shape, args.runs, args.binary.resolve(), work, args.disk, hugo_mib_per_page * pages)
            if "hugo" in row:
                hugo_mib_per_page = row["hugo"][2] / pages
            rows.append(row)
            print(json.dumps(row), flush=True)
    if not args.work:
        shutil.rmtree(work)
    if args.disk:
        for shape in args.shapes.split(","):
            for pages in args.pages.split(","):
                shutil.rmtree(args.disk / f"bench-{shape}-{pages}", ignore_errors=True)

    def cell(figures):
        return f"{figures[0]:.2f} s, {figures[2]:.0f} MiB"

    def verdict(holds):
        return "yes" if holds else "**no**"
    print("\nTargets: at least 3 times as fast as Hugo on tmpfs and 2.5 times on disk, at most a fifth of its memory;")
    print("an edit at most 25% of a full build and nothing changed at most 5% (at 10,000 pages).\n")
    print("| shape | pages | plainsight, full | Hugo, full | Hugo/plainsight | memory plainsight/Hugo | on disk: plainsight, Hugo, Hugo/plainsight "
          "| nothing changed | one page edited |")
    print("| --- | ---: | --- | --- | ---: | ---: | --- | --- | --- |")
    for row in rows:
        full = row["full"]
        changes = f"{row['unchanged'][0]:.3f} s ({row['unchanged'][0] / full[0]:.1%}) | {row['one_edit'][0]:.3f} s ({row['one_edit'][0] / full[0]:.1%})"
        if "hugo" not in row:
            print(f"| {row['shape']} | {row['pages']:,} | {cell(full)} | Hugo {row['hugo_skipped']} | | | | {changes} |")
            continue
        hugo = row["hugo"]
        disk_cell = "not measured"
        if "full_disk" in row:
            ratio = row["hugo_disk"][0] / row["full_disk"][0]
            disk_cell = f"{row['full_disk'][0]:.2f} s, {row['hugo_disk'][0]:.2f} s, {ratio:.2f} ({verdict(ratio >= 2.5)})"
        speed, memory = hugo[0] / full[0], full[2] / hugo[2]
        print(f"| {row['shape']} | {row['pages']:,} | {cell(full)} | {cell(hugo)} | {speed:.2f} ({verdict(speed >= 3)}) | "
              f"{memory:.2f} ({verdict(memory <= 0.2)}) | {disk_cell} | {changes} |")
    ours, theirs = example
    print(f"\nThe example site alone, in every corpus: plainsight {cell(ours)} ({ours[3]:,} HTML pages), "
          f"Hugo {cell(theirs)} ({theirs[3]:,} HTML pages).")


if __name__ == "__main__":
    main()
