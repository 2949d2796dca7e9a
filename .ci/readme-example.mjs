// Extracts the runnable example of a package README: the first ```js block under the
// "## Example" heading. Usage: node readme-example.mjs README.md > example.mjs
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('readme-example: give the README path');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const start = text.search(/^## Example\b/m);
if (start < 0) {
  console.error(`readme-example: ${file} has no "## Example" section`);
  process.exit(2);
}
const block = /```js\n([\s\S]*?)```/.exec(text.slice(start));
if (!block) {
  console.error(`readme-example: the "## Example" section of ${file} has no \`\`\`js block`);
  process.exit(2);
}
process.stdout.write(block[1]);
