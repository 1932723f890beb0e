// A word in every row of a large dataset, searched in a real browser: the first page of results
// comes from the word's best postings alone (its file of all postings is not fetched), with the
// count and facet counts of all; "Show more" past the best, a filter, and a phrase fetch the
// rest, and the order is the same either way.
// Usage: node search_common_word.mjs PLAINSIGHT_BINARY THEMES_DIR
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { checks, launchChromium, serveSite } from "./support.mjs";

const [binary, themes] = process.argv.slice(2);
const rows = 1500, services = ["Highways", "Libraries", "Waste"];
const work = mkdtempSync(path.join(tmpdir(), "plainsight-search-common-"));
const site = path.join(work, "site"), out = path.join(work, "public");
mkdirSync(path.join(site, "content", "spending"), { recursive: true });
cpSync(themes, path.join(site, "themes"), { recursive: true });
writeFileSync(path.join(site, "site.json"), JSON.stringify({ title: "Search test", council: "Test Council", base_url: "https://test.example/", menu: [] }));
writeFileSync(path.join(site, "content", "_index.md"), "---\ntitle: Home\n---\nA site with one large dataset.\n");
writeFileSync(path.join(site, "content", "search.md"), "---\ntitle: Search\nlayout: search\n---\nSearch the payments.\n");
writeFileSync(path.join(site, "content", "spending", "index.md"),
  "---\ntitle: Spending\ntype: dataset\ngroup_by: [service]\ntotals: [amount]\nsummary: Payments.\n---\nEvery payment.\n");
writeFileSync(path.join(site, "content", "spending", "schema.json"), JSON.stringify({ fields: [
  { name: "supplier", type: "string" }, { name: "service", type: "string" },
  { name: "description", type: "string" }, { name: "amount", type: "number" }] }));
// Every row says "road maintenance"; some say it again, so that rows rank differently.
const lines = ["supplier,service,description,amount"];
for (let i = 0; i < rows; i++) {
  const again = " and maintenance".repeat(i % 4);
  lines.push(`Supplier ${String(i % 60).padStart(3, "0")},${services[i % 3]},road maintenance${again} item ${i},${500 + i}`);
}
writeFileSync(path.join(site, "content", "spending", "data.csv"), lines.join("\n") + "\n");
execFileSync(binary, ["build", "--site", site, "--out", out, "--quiet"], { stdio: ["ignore", "ignore", "inherit"] });

// Where the index keeps the term: its best in a shared file, all of it in a file of its own.
const postingsDir = path.join(out, "search", "index", "p");
let ownFile = null;
for (const name of readdirSync(postingsDir)) {
  const value = JSON.parse(readFileSync(path.join(postingsDir, name), "utf8")).mainten;
  if (Array.isArray(value)) ownFile = `/search/index/p/${value[1]}.json`;
}

const server = await serveSite(out);
const browser = await launchChromium();
const { check, finish } = checks();
const fetched = (file) => server.served.some((r) => r.url.split("?")[0] === file);
async function shown(page) {
  return page.locator("main [data-search-list] .search-result a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
}
async function statusSays(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector("main [data-search-status]").textContent), pattern.source);
  return page.locator("main [data-search-status]").textContent();
}
async function listFilled(page, n) {
  await page.waitForFunction((n) => document.querySelectorAll("main [data-search-list] .search-result").length >= n, n);
}
// Changes a filter and waits for the list made afresh: the status may read the same before and
// after, and the old list stays until all the postings have come, so the old results are marked.
async function refilter(page, change) {
  await page.evaluate(() => document.querySelectorAll("main [data-search-list] .search-result").forEach((item) => (item.dataset.old = "")));
  await change();
  await page.waitForFunction(() => document.querySelectorAll("main [data-search-list] .search-result:not([data-old])").length >= 20);
}
async function freshSearch(query) {
  server.served.length = 0;
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.base}/search/?q=${encodeURIComponent(query)}`);
  const status = await statusSays(page, /results? for/);
  return { page, status, count: Number(/^([\d,]+) results?/.exec(status)[1].replace(/,/g, "")) };
}

try {
  check(ownFile !== null, `"maintenance", in all ${rows} rows, has a file of its own postings`);

  let { page, status, count } = await freshSearch("maintenance");
  const first = await shown(page);
  check(first.length === 20 && !fetched(ownFile), `the first 20 of "maintenance" come without its file of all postings (${first.length} shown)`);
  const typeCounts = await page.locator("[data-search-facets] fieldset", { hasText: "Type" }).locator("label").allTextContents();
  const sum = typeCounts.reduce((total, label) => total + Number(/\((\d+)\)/.exec(label)[1]), 0);
  check(typeCounts.some((label) => label.trim() === `Dataset row (${rows})`) && sum === count,
        `the count (${status}) and the Type facet's counts (${typeCounts.join("; ")}) are of all the results`);
  check(first.every((href) => href.includes("#row-")), "the best results are rows that say it most");

  // A filter needs all the postings; clearing it shows the same first 20 as before.
  const rowsBox = page.locator("[data-search-facets] label", { hasText: "Dataset row" }).locator("input");
  await refilter(page, () => rowsBox.check());
  status = await statusSays(page, new RegExp(`^${rows.toLocaleString("en-GB")} results? for`));
  check(fetched(ownFile), `the Dataset row filter loads every posting: "${status}"`);
  await refilter(page, () => rowsBox.uncheck());
  status = await statusSays(page, /^[\d,]+ results? for “maintenance”$/);
  check(status.startsWith(count.toLocaleString("en-GB") + " results"), `cleared, the count is as before: "${status}"`);
  check(JSON.stringify(await shown(page)) === JSON.stringify(first), "ranked from all the postings, the first 20 are the same, in the same order");

  // "Show more" within the best needs nothing more; past them, it loads the rest, in order.
  ({ page, count } = await freshSearch("maintenance"));
  const more = page.getByRole("button", { name: "Show more results" });
  for (let pages = 2; pages <= 11; pages++) {
    await more.click();
    await listFilled(page, pages * 20);
    if (pages === 10) check(!fetched(ownFile), "200 results, the best, come without the file of all postings");
  }
  const eleven = await shown(page);
  check(eleven.length === 220 && new Set(eleven).size === 220 && fetched(ownFile),
        `past the best 200, "Show more" loads the rest and adds different results (${eleven.length}, ${new Set(eleven).size} different)`);
  check(JSON.stringify(eleven.slice(0, 20)) === JSON.stringify(first), "and the first 20 are still the same");

  // A phrase reads the word's positions beside its file of all postings.
  ({ count } = await freshSearch('"road maintenance"'));
  check(count === rows, `the phrase "road maintenance" finds all ${rows} rows: ${count}`);
} finally {
  await browser.close();
  server.close();
  rmSync(work, { recursive: true, force: true });
}
finish();
