// The site's search script (themes/default/static/js/search.js) must cut a query into the same
// words and stems as the index builder, or searches miss. This runs both on the same texts (the
// council's documents, the example site and hand-picked cases) and compares every word.
//   node script_matches_index.mjs WORDS_TOOL SCRIPT TEXT_FILE…
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const [tool, scriptPath, ...files] = process.argv.slice(2);
const sandbox = {};
vm.runInNewContext(readFileSync(scriptPath, 'utf8'), sandbox);
const { words, stem } = sandbox.plainsightSearch;

const cases = [
  "The Council's £1,500,000 budget – 56.9% of 2021-22; council’s ‘gritting’ contract",
  'Café in Ærøskøbing, naïve résumé', "'quoted' words' o'clock rock'n'roll", 'end. Start, 3. 1.2.3 a,b 4,5',
  'skies skis dying lying tying idly gently ugly early only singly sky news howe atlas cosmos bias andes',
  'inning outing canning herring earring proceed exceed succeed evening added generous communism arsenal',
  'yesterday boyish saying crying Yvonne yyy ayy', 'hopping hoped hoping filing fizzed agreed feed bleed',
  'x'.repeat(64) + ' ' + 'y'.repeat(65),
];
let checked = 0, wrong = [];
const texts = cases.concat(files.map((file) => readFileSync(file, 'utf8')));
for (const text of texts) {
  const expected = execFileSync(tool, { input: text, maxBuffer: 1 << 28 }).toString().split('\n').filter(Boolean);
  const actual = words(text).map((w) => w + '\t' + stem(w));
  if (actual.length !== expected.length) wrong.push(`word count: C++ ${expected.length}, script ${actual.length} in "${text.slice(0, 60)}…"`);
  const seen = new Set();
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    checked++;
    if (actual[i] !== expected[i] && !seen.has(expected[i])) {
      seen.add(expected[i]);
      wrong.push(`C++ "${expected[i]}", script "${actual[i]}"`);
    }
  }
}
for (const line of wrong.slice(0, 40)) console.log('FAIL ' + line);
console.log(`compared ${checked} words in ${texts.length} texts`);
console.log(`${wrong.length ? 0 : 1} passed, ${wrong.length ? 1 : 0} failed`);
process.exit(wrong.length ? 1 : 0);
