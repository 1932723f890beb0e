// What the browser tests share: a static file server for a built site, as a static host serves
// it (its 404 page for what is missing), and Debian's Chromium, never a downloaded browser.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

export const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8", ".png": "image/png", ".pdf": "application/pdf",
};

/// The file under root for a URL path ("/news/" → news/index.html), or null outside root.
export function fileForUrlPath(root, urlPath) {
  const clean = decodeURIComponent(urlPath.split(/[?#]/)[0]);
  const full = path.join(root, clean.endsWith("/") ? clean + "index.html" : clean);
  return full.startsWith(root) ? full : null;
}

/// Serves root on a free port of 127.0.0.1; `served` lists every response: url, file and bytes.
export async function serveSite(root) {
  const served = [];
  const server = createServer(async (request, response) => {
    const target = fileForUrlPath(root, new URL(request.url, "http://site").pathname);
    try {
      const body = await readFile(target);
      response.writeHead(200, { "content-type": types[path.extname(target)] ?? "application/octet-stream" });
      response.end(body);
      served.push({ url: request.url, file: target, bytes: body.length });
    } catch {
      response.writeHead(404, { "content-type": types[".html"] });
      response.end(await readFile(path.join(root, "404.html")).catch(() => "not found"));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, served, close: () => server.close() };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/// axe-core's WCAG 2.2 A and AA violations on the page as it is now, one line each.
export async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

/// A tally of checks that prints the closing "N passed, N failed" line CI reads.
export function checks() {
  let passed = 0, failed = 0;
  return {
    check(ok, message) {
      if (ok) passed++;
      else { failed++; console.log("FAIL " + message); }
    },
    finish() {
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}
