// A plan's printable report, printed to PDF by Chromium itself (--print-to-pdf) as a comms
// officer would from the browser's Print menu, then read back with poppler's pdfinfo and
// pdftotext: A4 pages, no navigation, each priority starting a page, every deliverable there.
// Usage: node report_pdf.mjs SITE_DIR PLAN_ID
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { checks, serveSite } from "./support.mjs";

const root = path.resolve(process.argv[2] ?? "public");
const planId = process.argv[3] ?? "council-plan-2021-25";
const { check, finish } = checks();
const work = mkdtempSync(path.join(tmpdir(), "plainsight-report-pdf-"));
const pdf = path.join(work, "report.pdf");
const site = await serveSite(root);

// The plan's own open data says what the report must hold.
function csvRows(file) {
  const text = readFileSync(path.join(root, "data", "plans", planId, file), "utf8");
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; } else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; } else if (c !== "\r") cell += c;
  }
  const [header, ...body] = rows;
  return body.map((values) => Object.fromEntries(header.map((name, i) => [name, values[i]])));
}
// pdftotext joins a word hyphenated at a line's end: compare without hyphens or line breaks.
const normal = (text) => text.replace(/-/g, "").replace(/\s+/g, " ");

try {
  // Asynchronously: the site is served from this process, which must go on answering.
  await promisify(execFile)(process.env.CHROMIUM ?? "/usr/bin/chromium",
    ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
     `--user-data-dir=${path.join(work, "profile")}`, "--no-pdf-header-footer", `--print-to-pdf=${pdf}`,
     `${site.base}/plans/${planId}/report/`], { timeout: 120000 });
  const info = execFileSync("pdfinfo", [pdf]).toString();
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
  check(/^Page size:.*\(A4\)/m.test(info), `the report prints on A4: ${/^Page size:.*$/m.exec(info)?.[0]}`);
  const pageText = [];
  for (let p = 1; p <= pages; p++) pageText.push(execFileSync("pdftotext", ["-f", String(p), "-l", String(p), pdf, "-"]).toString());
  const all = normal(pageText.join("\n"));

  const deliverables = csvRows("deliverables.csv");
  const priorities = [...new Set(deliverables.map((d) => d.priority_title))].map((title) => ({ title }));
  check(pages > priorities.length, `${pages} pages: the overview and each priority`);
  for (const priority of priorities) {
    const opening = pageText.findIndex((text) => normal(text).slice(0, 200).includes(normal(`Priority: ${priority.title}`)));
    check(opening > 0, `"${priority.title}" starts a page of its own (page ${opening + 1})`);
  }
  const missing = deliverables.filter((d) => !all.includes(normal(d.title.split(/\s+/).slice(0, 6).join(" "))));
  check(missing.length === 0, `every one of the ${deliverables.length} deliverables is in the report: missing ${missing.map((d) => d.id).join(", ")}`);
  const rated = deliverables.filter((d) => d.rating).length;
  const ratingWords = (all.match(/\b(Strong|Good|Review|Action)\b/g) ?? []).length;
  check(ratingWords >= rated, `each rated deliverable's rating is printed (${ratingWords} rating words for ${rated} rated)`);
  for (const chrome of ["Skip to main content", "Search this site", "On this page"])
    check(!all.includes(chrome), `the printout leaves out the site's navigation ("${chrome}")`);
  check(all.includes(normal("the Mar 2022 report")), "the printout says which period's report it is");
} finally {
  site.close();
  rmSync(work, { recursive: true, force: true });
}
finish();
