// Checks a built site the way a resident's browser sees it: every HTML page is loaded in
// Debian's Chromium and audited with axe-core (WCAG 2.2 A and AA); every page is validated
// with html-validate; every internal link and #anchor must resolve; every SVG and XML file
// must be well-formed. Usage: node check_site.mjs SITE_DIR
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { HtmlValidate } from "html-validate";
import { axeViolations, fileForUrlPath as fileInSite, launchChromium, serveSite } from "./support.mjs";

const root = path.resolve(process.argv[2] ?? "public");
async function walk(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(full)));
    else found.push(full);
  }
  return found.sort();
}

const fileForUrlPath = (urlPath) => fileInSite(root, urlPath);
const failures = [];
let checks = 0;
function check(ok, message) {
  checks++;
  if (!ok) failures.push(message);
}

const files = await walk(root);
const htmlFiles = files.filter((f) => f.endsWith(".html"));
const urlOf = (file) => "/" + path.relative(root, file).replace(/index\.html$/, "");

// Internal links and anchors, from the HTML itself.
const idsByFile = new Map();
for (const file of htmlFiles) {
  const html = await readFile(file, "utf8");
  idsByFile.set(file, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
}
for (const file of htmlFiles) {
  const html = await readFile(file, "utf8");
  for (const [, href] of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) continue;
    const resolved = new URL(href.replaceAll("&amp;", "&"), "http://site" + urlOf(file));
    const target = fileForUrlPath(resolved.pathname);
    let exists = false;
    try { exists = target !== null && (await stat(target)).isFile(); } catch { exists = false; }
    check(exists, `${urlOf(file)}: link to ${href} does not resolve`);
    if (exists && resolved.hash && target.endsWith(".html")) {
      const id = decodeURIComponent(resolved.hash.slice(1));
      check(idsByFile.get(target)?.has(id), `${urlOf(file)}: link to ${href}: no element with id "${id}"`);
    }
  }
}

// Well-formed SVG (inline and files) and XML, checked by the browser's own XML parser below.
const xmlFiles = files.filter((f) => f.endsWith(".xml") || f.endsWith(".svg"));

// HTML validity.
const validator = new HtmlValidate({ extends: ["html-validate:standard"] });
for (const file of htmlFiles) {
  const report = await validator.validateFile(file);
  for (const result of report.results)
    for (const m of result.messages) check(false, `${urlOf(file)}:${m.line}:${m.column}: html-validate ${m.ruleId}: ${m.message}`);
  if (report.valid) check(true);
}

// Accessibility in a real browser.
const site = await serveSite(root);
const base = site.base;
const browser = await launchChromium();
try {
  const context = await browser.newContext({ javaScriptEnabled: true });
  // Two tabs share the queue of pages: the machine has two cores. A redirect page (an alias, or
  // the address a plan's latest "what changed" keeps) leaves at once: its link and markup are
  // checked above, and there is nothing to read on it.
  const redirects = new Set();
  for (const file of htmlFiles) if ((await readFile(file, "utf8")).includes('<meta http-equiv="refresh"')) redirects.add(file);
  const queue = htmlFiles.filter((file) => !redirects.has(file));
  async function worker() {
    const page = await context.newPage();
    for (let file; (file = queue.shift()) !== undefined;) {
      const url = urlOf(file);
      await page.goto(base + url.replace(/\/404\.html$/, "/no-such-page/"));
      const violations = await axeViolations(page);
      check(violations.length === 0, `${url}: axe: ` + violations.join("; "));
      const h1 = await page.locator("h1").count();
      check(h1 === 1, `${url}: ${h1} h1 elements (expected exactly one)`);
      const badSvg = await page.evaluate(() => [...document.querySelectorAll("svg")].filter((svg) =>
        new DOMParser().parseFromString(new XMLSerializer().serializeToString(svg), "image/svg+xml").querySelector("parsererror")).length);
      check(badSvg === 0, `${url}: ${badSvg} inline SVG elements are not well-formed XML`);
    }
    return page;
  }
  const [page] = await Promise.all([worker(), worker()]);
  for (const file of xmlFiles) {
    const text = await readFile(file, "utf8");
    const broken = await page.evaluate((source) =>
      new DOMParser().parseFromString(source, "application/xml").querySelector("parsererror")?.textContent ?? "", text);
    check(broken === "", `${urlOf(file)}: not well-formed XML: ${broken}`);
  }
} finally {
  await browser.close();
  site.close();
}

for (const failure of failures) console.log("FAIL " + failure);
console.log(`checked ${htmlFiles.length} pages and ${xmlFiles.length} XML/SVG files`);
console.log(`${checks - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
