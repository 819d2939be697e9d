// Standalone draw-v1: rules + roster + secret + beacon -> audit bundle (canonical JSON). No database, no network.
// npm run draw -- --rules rules.json --roster roster.json --secret HEX --beacon TEXT --out bundle.json
//                 [--campaign-id ID] [--title T]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DrawInputError,
  drawBundleJson,
  fromHex,
  isLowerHex,
  readRosterFile,
  validateRules,
} from '../src/domain/draw/index.js';
import { fileWriter } from './fileWriter.js';
import { progress } from './progress.js';

const NEWLINE = new Uint8Array([0x0a]);

const USAGE =
  'usage: npm run draw -- --rules rules.json --roster roster.json --secret HEX(64) --beacon TEXT --out bundle.json [--campaign-id ID] [--title T]';

function usage(message: string): never {
  console.error(`draw: ${message}\n${USAGE}`);
  process.exit(2);
}

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    usage(`cannot read the ${what} file ${path}: ${(e as Error).message}`);
  }
}

function parseJson(bytes: Buffer, path: string, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    usage(`the ${what} file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * The roster file read straight into sorted, checked entries when it is plainly laid out (readRosterFile),
 * with the validated rules it was checked against, which the draw then takes as they are; parsed with
 * JSON.parse otherwise: then the draw checks it and reports any error as it always did.
 */
function readRoster(path: string, rules: unknown): { rules: unknown; roster: unknown } {
  const bytes = read(path, 'roster');
  try {
    const valid = validateRules(rules, '$.rules');
    const file = readRosterFile(bytes, valid);
    if (file) return { rules: valid, roster: file };
  } catch (e) {
    if (!(e instanceof DrawInputError)) throw e; // invalid rules: the draw says so
  }
  return { rules, roster: parseJson(bytes, path, 'roster') };
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

const mark = progress('draw');
try {
  const { rules, roster } = readRoster(
    values.roster!,
    parseJson(read(values.rules!, 'rules'), values.rules!, 'rules'),
  );
  mark('read rules and roster');
  const out = fileWriter(values.out!);
  const drawn = drawBundleJson(
    {
      campaign: { id: values['campaign-id']!, title: values.title! },
      rules,
      roster,
      secret: fromHex(secretHex),
      beacon: values.beacon!,
    },
    mark,
    (chunk) => out.write(chunk),
  );
  out.write(NEWLINE); // the file ends with a newline
  await out.close();
  const f = drawn.bundleFields;
  console.log(`entries      ${drawn.entries}`);
  console.log(`winners      ${drawn.won}`);
  console.log(`waitlisted   ${drawn.entries - drawn.won}`);
  console.log(`roster_root  ${f.roster_root}`);
  console.log(`seed         ${f.seed}`);
  console.log(`results_hash ${f.results_hash}`);
  console.log(`bundle       ${values.out}`);
  // Now, rather than after V8 has unmapped its heap page by page (0.1-0.2 s for 600 MB): stdout is written
  // synchronously to files and pipes on Linux, and the bundle file is closed.
  process.exit(0);
} catch (e) {
  if (e instanceof DrawInputError) {
    console.error(`draw: invalid input: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
