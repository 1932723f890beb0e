// The search benchmark: plainsight's index and Pagefind's over the same built site.
//
//   bash scripts/test.sh                     # builds plainsight, installs tests/browser/node_modules
//   (cd bench && npm ci)                     # Pagefind, from the npm registry
//   node bench/search_bench.mjs [--pages 10000 (0: none)] [--runs 3] [--dataset-rows 200000]
//
// For the example site and a generated site of --pages pages (bench/generate_corpus.py) it
// measures: the time plainsight spends building its index against the whole build (from
// `plainsight build --timings`, median of --runs builds); the index's size; and what a browser
// downloads for a one-word and a two-word query, counted in Debian's Chromium from a fresh
// cache: the search script and every index file it fetched to show the first page of 20
// results. Then Pagefind indexes the same built site and the same queries are run through its
// JavaScript API (loading 20 results' data, as its UI does for a first page). With
// --dataset-rows it also measures bench/dataset_bench.py's spending dataset of that many rows,
// whose rows are search results of their own, for a common word of its descriptions.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { launchChromium, serveSite } from "../tests/browser/support.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const pages = Number(option("--pages", 10000)), runs = Number(option("--runs", 3)), datasetRows = Number(option("--dataset-rows", 0));
const binary = option("--binary", path.join(repo, "build", "plainsight"));
const pagefind = path.join(repo, "bench", "node_modules", ".bin", "pagefind");

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
}
function sizes(files) {
  return files.reduce((sum, file) => {
    const bytes = readFileSync(file);
    return { raw: sum.raw + bytes.length, gzip: sum.gzip + gzipSync(bytes).length };
  }, { raw: 0, gzip: 0 });
}
const kb = (bytes) => (bytes / 1024).toFixed(1) + " KB";
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function buildTimes(site, out) {
  const index = [], all = [];
  for (let run = 0; run < runs; run++) {
    rmSync(out, { recursive: true, force: true });
    const line = execFileSync(binary, ["build", "--site", site, "--out", out, "--timings", "--quiet"]).toString();
    const seconds = (phase) => Number(new RegExp(`${phase} ([\\d.]+) s`).exec(line)[1]);
    index.push(seconds("search documents") + seconds("search index"));
    all.push(seconds("all"));
  }
  return { index: median(index), all: median(all) };
}

// What the browser fetched for one query: the files whose URL matches `ours`.
async function downloaded(browser, server, url, ready, ours) {
  const context = await browser.newContext();  // a fresh cache
  const page = await context.newPage();
  server.served.length = 0;
  await page.goto(url);
  await page.waitForFunction(ready, null, { timeout: 60000 });
  await context.close();
  const files = server.served.filter((r) => ours.test(r.url)).map((r) => r.file);
  return { count: files.length, ...sizes(files) };
}

async function measure(name, site, queries = ["library", "library budget"]) {
  const out = mkdtempSync(path.join(tmpdir(), "plainsight-search-bench-"));
  try {
    const times = buildTimes(site, out);
    const indexFiles = filesUnder(path.join(out, "search", "index"));
    const index = sizes(indexFiles);
    const started = process.hrtime.bigint();
    execFileSync(pagefind, ["--site", out, "--silent"]);
    const pagefindSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const pagefindFiles = filesUnder(path.join(out, "pagefind"));
    const pagefindIndex = sizes(pagefindFiles);
    writeFileSync(path.join(out, "pagefind-bench.html"), `<!doctype html><html lang="en"><title>Pagefind</title><script type="module">
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
const search = await pagefind.search(new URLSearchParams(location.search).get("q"));
await Promise.all(search.results.slice(0, 20).map((result) => result.data()));
document.title = "done " + search.results.length;
</script></html>`);

    const server = await serveSite(out);
    const browser = await launchChromium();
    const rows = [];
    try {
      for (const query of queries) {
        const q = encodeURIComponent(query);
        const ours = await downloaded(browser, server, `${server.base}/search/?q=${q}`,
          () => /results? for|No results/.test(document.querySelector("main [data-search-status]").textContent), /\/search\/index\/|\/js\/search\.js/);
        const theirs = await downloaded(browser, server, `${server.base}/pagefind-bench.html?q=${q}`,
          () => document.title.startsWith("done"), /\/pagefind\//);
        rows.push({ query, ours, theirs });
      }
    } finally {
      await browser.close();
      server.close();
    }

    console.log(`\n${name}: ${indexFiles.length} index files`);
    console.log(`  plainsight: index built in ${times.index.toFixed(3)} s of a ${times.all.toFixed(3)} s build (${(100 * times.index / times.all).toFixed(1)}%, median of ${runs}); ` +
                `index ${kb(index.raw)} (${kb(index.gzip)} gzipped) in ${indexFiles.length} files`);
    console.log(`  Pagefind:   index built in ${pagefindSeconds.toFixed(3)} s after the build; index ${kb(pagefindIndex.raw)} (${kb(pagefindIndex.gzip)} gzipped) in ${pagefindFiles.length} files`);
    console.log("  | query | plainsight downloads | Pagefind downloads |");
    console.log("  | --- | --- | --- |");
    for (const { query, ours, theirs } of rows)
      console.log(`  | "${query}" | ${kb(ours.raw)} (${kb(ours.gzip)} gzipped), ${ours.count} files | ${kb(theirs.raw)} (${kb(theirs.gzip)} gzipped), ${theirs.count} files |`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

await measure("example site", repo);
const corpus = mkdtempSync(path.join(tmpdir(), "plainsight-corpus-"));
try {
  if (pages) {
    execFileSync("python3", [path.join(repo, "bench", "generate_corpus.py"), "--pages", String(pages), "--out", path.join(corpus, "site")]);
    await measure(`generated site of ${pages.toLocaleString("en-GB")} pages`, path.join(corpus, "site"));
  }
  if (datasetRows) {
    execFileSync("python3", [path.join(repo, "bench", "dataset_bench.py"), "--rows", String(datasetRows), "--write-site", path.join(corpus, "dataset")]);
    await measure(`dataset of ${datasetRows.toLocaleString("en-GB")} rows`, path.join(corpus, "dataset"), ["maintenance", "maintenance fuel"]);
  }
} finally {
  rmSync(corpus, { recursive: true, force: true });
}
