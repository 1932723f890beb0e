// A dataset's table filters and sorts in a real browser, and reads fully without JavaScript.
// Usage: node dataset_table.mjs SITE_DIR
import path from "node:path";
import { axeViolations, checks, launchChromium, serveSite } from "./support.mjs";

const root = path.resolve(process.argv[2] ?? "public");
const site = await serveSite(root);
const url = `${site.base}/capital-programmes/vehicle-replacement-2020-21/`;
const browser = await launchChromium();
const { check, finish } = checks();
try {
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.goto(url);
  const allRows = await plain.locator("[data-sortable-table] tbody tr").count();
  check(allRows === 16, `without JavaScript the table has all ${allRows} rows`);
  check(!(await plain.locator("[data-table-filters]").isVisible()), "without JavaScript the filter stays hidden");

  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  const shown = () => page.locator("[data-sortable-table] tbody tr:not([hidden])");
  await page.getByLabel("Rows containing the words").fill("gritter");
  check((await shown().count()) === 1, `"gritter" leaves the one gritter row: ${await shown().count()}`);
  const status = await page.locator("[data-filter-status]").textContent();
  check(status === "Showing 1 of 16 rows on this page.", `the count is announced: "${status}"`);
  await page.getByLabel("Rows containing the words").fill("");

  await page.getByRole("button", { name: "Estimated capital cost × number of vehicles (£)" }).click();
  await page.getByRole("button", { name: "Estimated capital cost × number of vehicles (£)" }).click();
  const first = await shown().first().textContent();
  check(first.includes("Gritter") && first.includes("770,000"), `sorted descending, the £770,000 gritters come first: ${first.trim().slice(0, 60)}`);
  check((await page.locator("th[aria-sort=descending]").count()) === 1, "the sorted column says so with aria-sort");
  const violations = await axeViolations(page);
  check(violations.length === 0, "the sorted, filterable table passes axe: " + violations.join("; "));
} finally {
  await browser.close();
  site.close();
}
finish();
