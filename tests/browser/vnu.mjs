// Checks every HTML page of one or more built sites with the W3C Nu HTML Checker (vnu.jar from
// npm's vnu-jar, run by Debian's Java), in one JVM for all of them: any error fails, listed as
// file:line:column: message. With --expect-invalid it passes only if the checker finds an error
// (so the check is known to be able to fail). Usage: node vnu.mjs [--expect-invalid] DIR...
import { spawnSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const expectInvalid = args[0] === "--expect-invalid";
const folders = (expectInvalid ? args.slice(1) : args).map((dir) => path.resolve(dir));
if (folders.length === 0) {
  console.error("usage: node vnu.mjs [--expect-invalid] SITE_DIR...");
  process.exit(2);
}

async function countHtml(dir) {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += await countHtml(path.join(dir, entry.name));
    else if (entry.name.endsWith(".html")) count++;
  }
  return count;
}
let pages = 0;
for (const folder of folders) {
  const count = await countHtml(folder);
  if (count === 0) {
    console.log(`FAIL ${folder} holds no HTML page: nothing to check`);
    process.exit(1);
  }
  pages += count;
}

const jar = path.join(path.dirname(createRequire(import.meta.url).resolve("vnu-jar/package.json")), "build/dist/vnu.jar");
const java = process.env.JAVA ?? "java";
const run = spawnSync(java, ["-jar", jar, "--errors-only", "--format", "json", "--skip-non-html", ...folders],
  { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
if (run.error) {
  console.log(`FAIL could not run ${java}: ${run.error.message} (install Debian's default-jre-headless)`);
  process.exit(1);
}
// The report is one JSON object, on stdout or stderr depending on the checker's version.
const text = [run.stdout, run.stderr].find((out) => out.trim().startsWith("{"));
if (text === undefined) {
  console.log(`FAIL the checker gave no JSON report (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  process.exit(1);
}
const messages = JSON.parse(text).messages.filter((m) => m.type === "error" || m.type === "non-document-error");
const where = (m) => {
  const file = m.url?.startsWith("file:") ? fileURLToPath(m.url) : (m.url ?? "?");
  return `${file}:${m.lastLine ?? m.firstLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}`;
};

if (expectInvalid) {
  const ok = messages.length > 0 && run.status !== 0;
  console.log(ok ? `the checker found ${messages.length} error(s) in the broken page, as it should: ${messages.map((m) => m.message).join("; ")}`
                 : "FAIL the checker found no error in a page that has one");
  process.exit(ok ? 0 : 1);
}
for (const m of messages) console.log(`FAIL ${where(m)}: ${m.message}${m.extract ? `\n    ${m.extract.trim()}` : ""}`);
if (messages.length === 0 && run.status !== 0) {
  console.log(`FAIL the checker exited with ${run.status} but reported no error:\n${run.stderr}`);
  process.exit(1);
}
console.log(`${pages} pages checked by the Nu HTML Checker in ${folders.length} site(s): ${messages.length} errors`);
process.exit(messages.length ? 1 : 0);
