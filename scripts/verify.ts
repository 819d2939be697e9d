// Standalone draw-v1 verifier. No database, no network.
//   npm run verify -- bundle.json            -> "match" (exit 0) or the first failing check (exit 1)
//   npm run verify -- --receipt receipt.json -> "match" (exit 0) or "mismatch" (exit 1)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeDifference, verifyBundle, verifyReceipt } from '../src/domain/draw/index.js';

const USAGE = 'usage: npm run verify -- bundle.json | npm run verify -- --receipt receipt.json';

function usage(message: string): never {
  console.error(`verify: ${message}\n${USAGE}`);
  process.exit(2);
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    usage(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    usage(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

let parsed: { values: { receipt?: string | undefined }; positionals: string[] };
try {
  parsed = parseArgs({ options: { receipt: { type: 'string' } }, allowPositionals: true, strict: true });
} catch (e) {
  usage((e as Error).message);
}
const { values, positionals } = parsed;
if (values.receipt !== undefined && positionals.length > 0)
  usage('give either a bundle or --receipt, not both');
if (values.receipt === undefined && positionals.length !== 1) usage('give exactly one bundle file');

const verdict =
  values.receipt !== undefined
    ? verifyReceipt(readJson(values.receipt))
    : verifyBundle(readJson(positionals[0]!));
if (verdict.ok) {
  console.log('match');
} else {
  console.log(`mismatch: ${verdict.check}: ${verdict.message}`);
  for (const d of verdict.differences) console.log(describeDifference(d));
  process.exitCode = 1;
}
