// RFC 3797 selection: npm run rfc3797 -- --pool 25 --pick 10 --source "9319" --source "2 5 12 8 10" ...
// Prints the selected positions (1..pool), one per line, in selection order; the key goes to stderr.
import { parseArgs } from 'node:util';
import { DrawInputError, rfc3797Key, rfc3797Select } from '../src/domain/draw/index.js';

const USAGE = 'usage: npm run rfc3797 -- --pool P --pick K --source "..." [--source "..." ...]';

function usage(message: string): never {
  console.error(`rfc3797: ${message}\n${USAGE}`);
  process.exit(2);
}

function positiveInt(text: string | undefined, name: string): number {
  if (text === undefined || !/^\d+$/.test(text)) usage(`--${name} must be a whole number`);
  return Number(text);
}

let values: { pool?: string | undefined; pick?: string | undefined; source?: string[] | undefined };
try {
  ({ values } = parseArgs({
    options: {
      pool: { type: 'string' },
      pick: { type: 'string' },
      source: { type: 'string', multiple: true },
    },
    strict: true,
  }));
} catch (e) {
  usage((e as Error).message);
}
const pool = positiveInt(values.pool, 'pool');
const pick = positiveInt(values.pick, 'pick');
const sources = values.source ?? [];
if (sources.length === 0) usage('at least one --source is required');
try {
  const selected = rfc3797Select(pool, pick, sources);
  console.error(`key: ${rfc3797Key(sources)}`);
  for (const position of selected) console.log(position);
} catch (e) {
  if (e instanceof DrawInputError) usage(e.message);
  throw e;
}
