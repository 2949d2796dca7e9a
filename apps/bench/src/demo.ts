/**
 * The liesym demo (the project's main job): discover, enforce and promote symmetry on
 * small bundled problems, with a concise report on stdout and an HTML report with plots.
 *
 *   npm run demo                         all parts
 *   npm run demo -- --only discover      one part (discover | enforce | promote), comma-separated
 *   npm run demo -- --report-dir DIR     where the HTML report goes (default ./liesym-report)
 *   npm run demo -- --no-report          stdout only
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { discoverPart } from './demo/discover.js';
import { enforceBases } from './demo/enforce.js';
import { promotePart } from './demo/promote.js';
import { promoteNetworkPart } from './demo/promoteNetwork.js';
import { trainPart } from './demo/train.js';
import { seconds, type PartResult } from './demo/format.js';
import { reportHtml, writeReport } from './report/html.js';

const PARTS = ['discover', 'enforce', 'promote'] as const;
type Part = (typeof PARTS)[number];

function parseArgs(argv: string[]): { parts: Part[]; reportDir: string | undefined } {
  let parts: Part[] = [...PARTS];
  let reportDir: string | undefined = resolve('liesym-report');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--only') {
      const list = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = list.filter((p) => !(PARTS as readonly string[]).includes(p));
      if (list.length === 0 || bad.length > 0) {
        throw new Error(`demo: '--only' takes a comma-separated list of ${PARTS.join(', ')}; received ${JSON.stringify(argv[i] ?? '')}`);
      }
      parts = list as Part[];
    } else if (a === '--report-dir') {
      const dir = argv[++i];
      if (!dir) throw new Error(`demo: '--report-dir' needs a folder; received nothing`);
      reportDir = resolve(dir);
    } else if (a === '--no-report') reportDir = undefined;
    else throw new Error(`demo: unknown argument ${JSON.stringify(a)} (use --only, --report-dir, --no-report)`);
  }
  return { parts, reportDir };
}

async function main(): Promise<void> {
  const { parts, reportDir } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  console.log('liesym demo\n');
  const results: PartResult[] = [];
  await tf.setBackend('wasm');
  await tf.ready();
  for (const part of parts) {
    const rs =
      part === 'discover' ? [await discoverPart()] : part === 'enforce' ? [enforceBases(), await trainPart()] : [await promotePart(), await promoteNetworkPart()];
    for (const r of rs) {
      console.log(r.stdout + '\n');
      results.push(r);
    }
  }
  const total = seconds(performance.now() - started);
  if (reportDir) {
    const file = await writeReport(
      reportDir,
      reportHtml('liesym demo', results.map((r) => r.section), `Generated ${new Date().toISOString()} in ${total}.`),
    );
    console.log(`HTML report with plots: ${file}`);
  }
  console.log(`Done in ${total}.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
