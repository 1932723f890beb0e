// The site search in a real browser: typing into the search page and the header's box finds
// the right contract, measure and deliverable first, by a stemmed word, a phrase and a typo;
// facets filter; the query is kept in the URL; without JavaScript the page says so.
// Usage: node search.mjs SITE_DIR
import path from "node:path";
import { axeViolations, checks, launchChromium, serveSite } from "./support.mjs";

const root = path.resolve(process.argv[2] ?? "public");
const site = await serveSite(root);
const browser = await launchChromium();
const { check, finish } = checks();

async function results(page, scope = "main") {
  return page.locator(`${scope} [data-search-list] .search-result`).evaluateAll((items) =>
    items.map((item) => ({
      title: item.querySelector("a").textContent,
      href: item.querySelector("a").getAttribute("href"),
      type: item.querySelector(".search-result-type").textContent,
    })));
}
async function searchFor(page, query) {
  const status = page.locator("main [data-search-status]");
  await page.getByLabel("Search for").fill(query);
  await page.waitForFunction((q) => document.querySelector("main [data-search-status]").textContent.includes(`“${q}”`), query);
  return { status: await status.textContent(), found: await results(page) };
}

try {
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.goto(site.base + "/search/?q=libraries");
  const notice = await plain.locator("main noscript, main .notice").first().textContent().catch(() => "");
  const html = await plain.content();
  check(html.includes("The search needs JavaScript") && html.includes('href="/sitemap/"'),
        `without JavaScript the search page says so and links to the site map (${notice.slice(0, 60)})`);
  await plain.goto(site.base + "/sitemap/");
  check((await plain.locator("main .site-map li").count()) > 200, "the site map lists every page");

  const page = await (await browser.newContext()).newPage();
  await page.goto(site.base + "/search/");

  let { status, found } = await searchFor(page, "janitorial");
  check(found[0]?.title === "Supply of Janitorial Supplies" && found[0].type === "Contract",
        `"janitorial" finds the contract first: ${JSON.stringify(found[0])}`);
  check(found[0]?.href.startsWith("/procurement/#"), "a contract leads to its row of the pipeline table");
  check(/^\d+ results? for “janitorial”$/.test(status), `the count is announced: "${status}"`);
  check(page.url().endsWith("/search/?q=janitorial"), `the query is in the address: ${page.url()}`);

  ({ found } = await searchFor(page, "fostered"));
  check(found[0]?.title === "Number of approved fostering households" && found[0].type === "Key measure",
        `"fostered" finds the fostering measure first by its stem: ${JSON.stringify(found[0])}`);

  ({ found } = await searchFor(page, "\"winter gardens\""));
  check(found[0]?.title.startsWith("Winter Gardens Refurbishment"), `the phrase "winter gardens" finds the Winter Gardens contract first: ${JSON.stringify(found[0])}`);
  const phrase = found.length;
  ({ found } = await searchFor(page, "gardens winter"));
  check(found.length >= phrase, "without quotes the words may be apart, so no fewer results");

  ({ found } = await searchFor(page, "libaries"));
  check(/librar/i.test(found[0]?.title ?? "") && found.some((r) => r.type === "Deliverable" && /librar/i.test(r.title)),
        `the typo "libaries" still finds libraries first, deliverables among them: ${JSON.stringify(found[0])}`);

  ({ found } = await searchFor(page, "gas supply"));
  check(found[0]?.title === "Supply of Gas", `two words find the contract with both first: ${JSON.stringify(found[0])}`);

  // A department's key risk is a result of its own, at its place on the department's page; a
  // service plan's KPI is found as its plan names it.
  ({ found } = await searchFor(page, "ash dieback"));
  const risk = found.slice(0, 3).find((r) => r.type === "Risk");
  check(risk?.title === "Ash dieback" &&
        risk.href === "/departments/economy-transport-and-environment/#plans-ete-service-plan-2020-21-risk-ash-dieback",
        `"ash dieback" finds ETE's key risk among the first three, with the felling contracts: ${JSON.stringify(found.slice(0, 3))}`);
  ({ found } = await searchFor(page, "call derbyshire volumes"));
  check(found[0]?.title === "Incoming call volumes into Call Derbyshire" && found[0].type === "Key performance measure",
        `a service plan's KPI is found: ${JSON.stringify(found[0])}`);

  // Typing: the last word is matched as a prefix before it is finished.
  ({ found } = await searchFor(page, "janitor"));
  check(found[0]?.title === "Supply of Janitorial Supplies", "an unfinished word is matched as the start of a word");

  // Facets: choosing one narrows the results and says so.
  ({ status, found } = await searchFor(page, "schools"));
  const types = new Set(found.map((r) => r.type));
  check(types.size > 1, `"schools" finds more than one type of thing: ${[...types].join(", ")}`);
  const measureBox = page.locator("[data-search-facets] label", { hasText: /^ Key measure \(\d+\)$/ }).first();
  const label = await measureBox.textContent();
  await measureBox.locator("input").check();
  await page.waitForFunction(() => document.querySelector("main [data-search-status]").textContent.includes("filters chosen"));
  found = await results(page);
  const expected = Number(/\((\d+)\)/.exec(label)[1]);
  check(found.length === Math.min(expected, 20) && found.every((r) => r.type === "Key measure"),
        `the Key measure facet (${label.trim()}) shows only measures: ${found.length}`);

  // The page with results and filters showing passes axe, as every built page does.
  let violations = await axeViolations(page);
  check(violations.length === 0, "the search page with results: axe: " + violations.join("; "));

  // Keyboard: from the box, Tab reaches the results.
  await page.getByLabel("Search for").focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  check(await page.evaluate(() => !!document.activeElement.closest("[data-search-results]")), "Tab moves from the box into the results");

  // "Show more results" adds the next 20, once each, and takes focus to the first of them.
  ({ found } = await searchFor(page, "council"));
  check(found.length === 20, `the first page shows 20 results: ${found.length}`);
  const more = page.getByRole("button", { name: "Show more results" });
  await more.click();
  await page.waitForFunction(() => document.querySelectorAll("main [data-search-list] .search-result").length > 20);
  await page.waitForTimeout(300);
  const after = await results(page);
  check(after.length === 40 && new Set(after.map((r) => r.href)).size === 40, `"Show more" adds 20 different results: ${after.length}`);
  check(await page.evaluate(() => document.activeElement === document.querySelectorAll("main .search-result a")[20]),
        "focus moves to the first of the new results");

  // A shared address shows the same results.
  const shared = await (await browser.newContext()).newPage();
  await shared.goto(site.base + "/search/?q=janitorial");
  await shared.waitForSelector("main [data-search-list] .search-result");
  check((await results(shared))[0]?.title === "Supply of Janitorial Supplies", "opening /search/?q=janitorial shows its results");

  // The header's box on any page shows the first results as you type, and a link to them all.
  await shared.goto(site.base + "/");
  await shared.getByLabel("Search this site").fill("fostering");
  await shared.waitForSelector("header [data-search-list] .search-result");
  const popup = await results(shared, "header");
  check(popup.length > 0 && popup.length <= 5 && popup[0].title === "Number of approved fostering households",
        `the header box shows the best results: ${JSON.stringify(popup[0])}`);
  const headerStatus = await shared.locator("header [data-search-status]").textContent();
  check(/results? for “fostering”/.test(headerStatus), `the header box announces the count: "${headerStatus}"`);
  violations = await axeViolations(shared);
  check(violations.length === 0, "a page with the header's results open: axe: " + violations.join("; "));
  await shared.keyboard.press("Escape");
  check(await shared.locator("header [data-search-list]").isHidden(), "Escape closes the header's results");

  // What a one-word search downloads.
  const searchBytes = site.served.filter((r) => r.url.includes("/search/index/") || r.url.includes("/js/search.js"));
  check(searchBytes.length > 0, "the search loads its index from /search/index/");
} finally {
  await browser.close();
  site.close();
}
finish();
