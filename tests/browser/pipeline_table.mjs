// The pipeline table's filters and sorting work in a real browser, and the page reads fully
// without JavaScript. Usage: node pipeline_table.mjs SITE_DIR
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const root = path.resolve(process.argv[2] ?? "public");
const server = createServer(async (request, response) => {
  const clean = decodeURIComponent(new URL(request.url, "http://site").pathname);
  const file = path.join(root, clean.endsWith("/") ? clean + "index.html" : clean);
  try {
    const body = await readFile(file);
    response.writeHead(200, { "content-type": file.endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8" });
    response.end(body);
  } catch {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/procurement/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"],
});
let passed = 0, failed = 0;
function check(ok, message) {
  if (ok) passed++;
  else { failed++; console.log("FAIL " + message); }
}
try {
  // Without JavaScript: every row is there and the filters stay hidden.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noScript = await plain.newPage();
  await noScript.goto(url);
  const allRows = await noScript.locator("[data-pipeline-table] tbody tr").count();
  check(allRows > 100, `without JavaScript the table has ${allRows} rows`);
  check(!(await noScript.locator("[data-pipeline-filters]").isVisible()), "without JavaScript the filters are hidden");

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const visible = () => page.locator("[data-pipeline-table] tbody tr:not([hidden])").count();
  check(await page.locator("[data-pipeline-filters]").isVisible(), "with JavaScript the filters show");
  check((await visible()) === allRows, "all rows show before filtering");

  await page.getByLabel("Contains the words").fill("gas");
  const gas = await visible();
  check(gas > 0 && gas < allRows, `filtering by "gas" shows ${gas} rows`);
  const status = await page.locator("[data-filter-status]").textContent();
  check(status === `Showing ${gas} of ${allRows} projects.`, `the count is announced: "${status}"`);
  const titles = await page.locator("[data-pipeline-table] tbody tr:not([hidden])").allTextContents();
  check(titles.every((text) => text.toLowerCase().includes("gas")), "every row shown mentions gas");

  await page.getByLabel("Contains the words").fill("");
  await page.getByLabel("Department", { exact: true }).selectOption("Public Health");
  const health = await page.locator("[data-pipeline-table] tbody tr:not([hidden])").evaluateAll((rows) => rows.map((r) => r.dataset.department));
  check(health.length > 0 && health.every((d) => d === "Public Health"), `the department filter shows ${health.length} Public Health rows`);
  await page.getByLabel("Department", { exact: true }).selectOption("");

  await page.getByRole("button", { name: "Estimated value" }).click();
  const values = await page.locator("[data-pipeline-table] tbody tr").evaluateAll((rows) =>
    rows.map((r) => r.dataset.value).filter((v) => v !== "").map(Number));
  check(values.every((v, i) => i === 0 || values[i - 1] <= v), "sorting by value puts the rows in ascending order");
  check((await page.locator("th[aria-sort=ascending]").count()) === 1, "the sorted column says so with aria-sort");
  await page.getByRole("button", { name: "Estimated value" }).click();
  check((await page.locator("th[aria-sort=descending]").count()) === 1, "a second click sorts descending");
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
