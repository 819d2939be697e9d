// Standalone draw-v1: rules + roster + secret + beacon -> audit bundle (canonical JSON). No database, no network.
// npm run draw -- --rules rules.json --roster roster.json --secret HEX --beacon TEXT --out bundle.json
//                 [--campaign-id ID] [--title T]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bundleJson, DrawInputError, fromHex, isLowerHex, runDraw } from '../src/domain/draw/index.js';

const USAGE =
  'usage: npm run draw -- --rules rules.json --roster roster.json --secret HEX(64) --beacon TEXT --out bundle.json [--campaign-id ID] [--title T]';

function usage(message: string): never {
  console.error(`draw: ${message}\n${USAGE}`);
  process.exit(2);
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    usage(`cannot read the ${what} file ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    usage(`the ${what} file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      rules: { type: 'string' },
      roster: { type: 'string' },
      secret: { type: 'string' },
      beacon: { type: 'string' },
      out: { type: 'string' },
      'campaign-id': { type: 'string', default: '' },
      title: { type: 'string', default: '' },
    },
    strict: true,
    allowPositionals: false,
  });
}
try {
  args = parse();
} catch (e) {
  usage((e as Error).message);
}
const { values } = args;
for (const name of ['rules', 'roster', 'secret', 'beacon', 'out'] as const) {
  if (values[name] === undefined) usage(`--${name} is required`);
}
const secretHex = values.secret!.toLowerCase();
if (!isLowerHex(secretHex, 32)) usage('--secret must be 64 hex digits (the 32-byte operator secret)');

try {
  const bundle = runDraw({
    campaign: { id: values['campaign-id']!, title: values.title! },
    rules: readJson(values.rules!, 'rules'),
    roster: readJson(values.roster!, 'roster'),
    secret: fromHex(secretHex),
    beacon: values.beacon!,
  });
  writeFileSync(values.out!, `${bundleJson(bundle)}\n`);
  const winners = bundle.results.filter((r) => r.outcome === 'won').length;
  console.log(`entries      ${bundle.roster.length}`);
  console.log(`winners      ${winners}`);
  console.log(`waitlisted   ${bundle.results.length - winners}`);
  console.log(`roster_root  ${bundle.roster_root}`);
  console.log(`seed         ${bundle.seed}`);
  console.log(`results_hash ${bundle.results_hash}`);
  console.log(`bundle       ${values.out}`);
} catch (e) {
  if (e instanceof DrawInputError) {
    console.error(`draw: invalid input: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
