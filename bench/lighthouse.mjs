// Lighthouse 12 over one page of every page type of the example site, with Lighthouse's default
// (mobile) settings, in Debian's Chromium (never a downloaded browser). Prints the four category
// scores per page (the median of --runs runs) and exits 1 unless accessibility, best practices
// and SEO are 100 and performance at least 90 on every page.
//
//   node bench/lighthouse.mjs [--site-out DIR | --plainsight BIN] [--runs N] [--only TEXT] [--no-gzip]
//
// --site-out takes a built site; otherwise BIN (default build/plainsight, then build-*/plainsight)
// builds the repository's example site into a temporary folder. The site is served by a small
// static server on 127.0.0.1 that gzips text as most static hosts do (--no-gzip: never).
// CHROME_PATH (default /usr/bin/chromium) names the browser.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import lighthouse from "lighthouse";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : fallback;
};
const runs = Number(option("--runs", "1"));
const only = option("--only", "");
const gzip = !argv.includes("--no-gzip");
const chromePath = process.env.CHROME_PATH ?? "/usr/bin/chromium";

// One page of each type, the largest of its kind in the example site.
const pages = [
  ["home", "/"],
  ["plan", "/plans/council-plan-2021-25/"],
  ["priority", "/plans/council-plan-2021-25/high-performing-services/"],
  ["deliverable", "/plans/council-plan-2021-25/deliverables/local-transport-programme/"],
  ["measure", "/plans/council-plan-2021-25/measures/residents-influence-decisions/"],
  ["budget", "/budgets/2020-21/"],
  ["contracts", "/procurement/"],
  ["news list", "/news/"],
  ["news item", "/news/performance-report-2021-22/"],
  ["search", "/search/?q=library"],
  ["open data", "/data/"],
  ["departments", "/departments/"],
  ["department", "/departments/childrens-services/"],
  ["service plan", "/plans/childrens-services-service-plan-2020-21/"],
].filter(([type, url]) => only === "" || type.includes(only) || url.includes(only));

// The site.
let root = option("--site-out");
let built = null;
if (root === undefined) {
  const candidates = [option("--plainsight"), path.join(repo, "build/plainsight"),
    ...readdirSync(repo).filter((d) => d.startsWith("build-")).map((d) => path.join(repo, d, "plainsight"))];
  const plainsight = candidates.find((c) => c && existsSync(c));
  if (!plainsight) throw new Error("no plainsight binary: build it (bash scripts/setup.sh) or pass --plainsight or --site-out");
  built = mkdtempSync(path.join(tmpdir(), "plainsight-lighthouse-"));
  root = path.join(built, "public");
  const build = spawnSync(plainsight, ["build", "--quiet", "--site", repo, "--out", root], { stdio: "inherit" });
  if (build.status !== 0) throw new Error(`${plainsight} build failed`);
}
root = path.resolve(root);
for (const [, url] of pages) {
  const file = path.join(root, url.split("?")[0], "index.html");
  if (!existsSync(file)) throw new Error(`the site has no ${url} (${file}): the example site changed; update this script's pages`);
}

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8", ".ico": "image/x-icon", ".png": "image/png",
};
const compressible = new Set([".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".csv"]);
const server = createServer(async (request, response) => {
  const clean = decodeURIComponent(new URL(request.url, "http://site").pathname);
  let file = path.join(root, clean.endsWith("/") ? clean + "index.html" : clean);
  let status = 200;
  let body;
  try {
    if (!file.startsWith(root + path.sep)) throw new Error("outside the site");
    body = await readFile(file);
  } catch {
    status = 404;
    file = path.join(root, "404.html");
    body = await readFile(file).catch(() => Buffer.from("not found"));
  }
  const headers = { "content-type": types[path.extname(file)] ?? "application/octet-stream" };
  if (gzip && compressible.has(path.extname(file)) && /\bgzip\b/.test(request.headers["accept-encoding"] ?? "")) {
    body = gzipSync(body);
    headers["content-encoding"] = "gzip";
    headers.vary = "accept-encoding";
  }
  response.writeHead(status, headers);
  response.end(body);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

/// A fresh Chromium (its own empty profile) with its DevTools port, for one Lighthouse run.
async function launchChromium() {
  const profile = mkdtempSync(path.join(tmpdir(), "plainsight-lighthouse-profile-"));
  const chrome = spawn(chromePath, ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--no-first-run", "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`,
    "--remote-debugging-port=0", "about:blank"], { stdio: ["ignore", "ignore", "pipe"] });
  const port = await new Promise((resolve, reject) => {
    let seen = "";
    chrome.stderr.on("data", (chunk) => {
      seen += chunk;
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(seen);
      if (match) resolve(Number(match[1]));
    });
    chrome.on("exit", (code) => reject(new Error(`${chromePath} exited (${code}) before listening:\n${seen}`)));
  });
  return {
    port,
    async close() {
      const exited = new Promise((resolve) => chrome.once("exit", resolve));
      chrome.kill();
      await exited;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const categories = ["performance", "accessibility", "best-practices", "seo"];
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const rows = [];
const problems = [];
try {
  for (const [type, url] of pages) {
    const scores = Object.fromEntries(categories.map((c) => [c, []]));
    const metrics = { dom: [], lcp: [], tbt: [], cls: [] };
    for (let run = 0; run < runs; run++) {
      const chrome = await launchChromium();
      let result;
      try {
        result = await lighthouse(base + url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories });
      } finally {
        await chrome.close();
      }
      const lhr = result.lhr;
      if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
      for (const c of categories) scores[c].push(Math.round(lhr.categories[c].score * 100));
      metrics.dom.push(lhr.audits["dom-size"].numericValue);
      metrics.lcp.push(lhr.audits["largest-contentful-paint"].numericValue);
      metrics.tbt.push(lhr.audits["total-blocking-time"].numericValue);
      metrics.cls.push(lhr.audits["cumulative-layout-shift"].numericValue);
      // What cost points: every scored audit below full marks in a category that fell short.
      for (const c of categories) {
        const limit = c === "performance" ? 90 : 100;
        if (lhr.categories[c].score * 100 >= limit) continue;
        for (const ref of lhr.categories[c].auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1)
            problems.push(`${url} (run ${run + 1}) ${c}: ${audit.id} ${Math.round(audit.score * 100)}: ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ""}`);
        }
      }
    }
    const row = { type, url, ...Object.fromEntries(categories.map((c) => [c, median(scores[c])])),
      all: scores, dom: median(metrics.dom), lcp: median(metrics.lcp), tbt: median(metrics.tbt), cls: median(metrics.cls) };
    rows.push(row);
    console.error(`${type}: ${categories.map((c) => `${c} ${scores[c].join("/")}`).join(", ")}`);
  }
} finally {
  server.close();
  if (built) rmSync(built, { recursive: true, force: true });
}

const pad = (text, width) => String(text).padEnd(width);
const padStart = (text, width) => String(text).padStart(width);
console.log(`Lighthouse 12, mobile defaults, Chromium at ${chromePath}, ${gzip ? "gzip" : "no compression"}, median of ${runs} run(s)`);
console.log(`${pad("page type", 12)} ${pad("URL", 66)} ${padStart("perf", 5)} ${padStart("a11y", 5)} ${padStart("best", 5)} ${padStart("seo", 5)} ${padStart("DOM", 6)} ${padStart("LCP ms", 7)} ${padStart("TBT ms", 7)} ${padStart("CLS", 6)}`);
for (const r of rows)
  console.log(`${pad(r.type, 12)} ${pad(r.url, 66)} ${padStart(r.performance, 5)} ${padStart(r.accessibility, 5)} ${padStart(r["best-practices"], 5)} ${padStart(r.seo, 5)} ${padStart(Math.round(r.dom), 6)} ${padStart(Math.round(r.lcp), 7)} ${padStart(Math.round(r.tbt), 7)} ${padStart(r.cls.toFixed(3), 6)}`);
for (const p of problems) console.log("  " + p);
const failing = rows.filter((r) => r.performance < 90 || r.accessibility < 100 || r["best-practices"] < 100 || r.seo < 100);
for (const r of failing) console.log(`FAIL ${r.url}: needs performance ≥ 90 and 100 for accessibility, best practices and SEO`);
process.exit(failing.length ? 1 : 0);
