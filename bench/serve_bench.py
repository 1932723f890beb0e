#!/usr/bin/env python3
"""Measures `plainsight serve`: the time from saving a Markdown file to the new HTML being
served, and requests per second for one page with wrk (50 connections, 10 s).

    bench/serve_bench.py [--pages 10000] [--edits 20] [--binary build/plainsight]

Runs on the example site and on a generated site of --pages pages (bench/generate_corpus.py).
`plainsight serve` runs plainsight-serve from beside the --binary given, so copy both.
The edit time is measured as a user sees it: write the file, then fetch the page over HTTP
until the new text is there (the client polls every millisecond); first for saves in quick
succession, then for saves a second apart, when the preview's search index has caught up
between them.
"""
import argparse
import http.client
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def start(binary, site):
    process = subprocess.Popen([str(binary), "serve", "--site", str(site), "--port", "0"], stdout=subprocess.PIPE, text=True)
    started = time.time()
    for line in process.stdout:
        found = re.search(r"Serving the preview at http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return process, int(found.group(1)), time.time() - started
    raise SystemExit("the server did not start")


def fetch(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    body = connection.getresponse().read().decode()
    connection.close()
    return body


def edit_to_served(port, file, url, edits, pause):
    original = file.read_text()
    times = []
    try:
        for n in range(edits):
            marker = f"Edited for the benchmark, time {n}."
            file.write_text(original + f"\n{marker}\n")
            saved = time.perf_counter()
            while marker not in fetch(port, url):
                time.sleep(0.001)
            times.append((time.perf_counter() - saved) * 1000)
            time.sleep(pause)
    finally:
        file.write_text(original)
    return times


def wrk(port, url):
    result = subprocess.run(["wrk", "-t", "2", "-c", "50", "-d", "10s", f"http://127.0.0.1:{port}{url}"], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1))
    errors = re.search(r"Socket errors: (.*)", result)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
    return rate, (errors.group(1) if errors else "none"), (int(non_2xx.group(1)) if non_2xx else 0)


def measure(name, binary, site, file, url, edits):
    process, port, startup = start(binary, site)
    try:
        # Saves in quick succession, then a save a second (the search index catches up between).
        quick = edit_to_served(port, site / file, url, edits, 0.05)
        spaced = edit_to_served(port, site / file, url, max(1, edits // 2), 1.0)
        rate, errors, non_2xx = wrk(port, url)
    finally:
        process.terminate()
        process.wait()
    print(f"{name}: first build and start {startup:.2f} s; edit to served: median {statistics.median(quick):.0f} ms, "
          f"max {max(quick):.0f} ms over {len(quick)} quick edits; median {statistics.median(spaced):.0f} ms, max {max(spaced):.0f} ms "
          f"over {len(spaced)} edits a second apart; wrk {url}: {rate:,.0f} requests/s, socket errors: {errors}, non-2xx: {non_2xx}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--binary", type=Path, default=REPO / "build" / "plainsight")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="plainsight-serve-bench-") as folder:
        example = Path(folder) / "example"
        example.mkdir()
        for part in ("site.json", "content", "themes"):
            source = REPO / part
            (shutil.copytree if source.is_dir() else shutil.copy)(source, example / part)
        measure("example site", args.binary, example, "content/about.md", "/about/", args.edits)
        corpus = Path(folder) / "corpus"
        subprocess.run([sys.executable, str(REPO / "bench" / "generate_corpus.py"), "--pages", str(args.pages), "--out", str(corpus)], check=True)
        measure(f"{args.pages:,}-page site", args.binary, corpus, "content/services/area-001/page-00001.md", "/services/area-001/page-00001/", args.edits)


if __name__ == "__main__":
    main()
