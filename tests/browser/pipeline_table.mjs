// The pipeline table's filters and sorting work in a real browser, and the page reads fully
// without JavaScript. Usage: node pipeline_table.mjs SITE_DIR
import path from "node:path";
import { checks, launchChromium, serveSite } from "./support.mjs";

const root = path.resolve(process.argv[2] ?? "public");
const site = await serveSite(root);
const url = `${site.base}/procurement/`;
const browser = await launchChromium();
const { check, finish } = checks();
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
  site.close();
}
finish();
