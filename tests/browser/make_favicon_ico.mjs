// Makes the default theme's favicon.ico (16, 32 and 48 pixels, PNG in ICO) from its favicon.svg,
// drawn by Debian's Chromium, for browsers that ask for /favicon.ico or cannot show an SVG icon.
// Run it again after changing favicon.svg: node tests/browser/make_favicon_ico.mjs
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./support.mjs";

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../themes/default/static");
const browser = await launchChromium();
const svg = readFileSync(path.join(folder, "favicon.svg"), "utf8");
const uri = "data:image/svg+xml;base64," + Buffer.from(svg).toString("base64");
const pngs = [];
for (const size of [16, 32, 48]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<body style="margin:0"><img src="${uri}" width="${size}" height="${size}" style="display:block"></body>`);
  pngs.push([size, await page.screenshot({ omitBackground: true })]);
  await page.close();
}
await browser.close();
const header = Buffer.alloc(6 + 16 * pngs.length);
header.writeUInt16LE(0, 0); header.writeUInt16LE(1, 2); header.writeUInt16LE(pngs.length, 4);
let offset = header.length;
pngs.forEach(([size, png], i) => {
  const at = 6 + 16 * i;
  header.writeUInt8(size, at); header.writeUInt8(size, at + 1); header.writeUInt8(0, at + 2); header.writeUInt8(0, at + 3);
  header.writeUInt16LE(1, at + 4); header.writeUInt16LE(32, at + 6); header.writeUInt32LE(png.length, at + 8); header.writeUInt32LE(offset, at + 12);
  offset += png.length;
});
writeFileSync(path.join(folder, "favicon.ico"), Buffer.concat([header, ...pngs.map(([, png]) => png)]));
