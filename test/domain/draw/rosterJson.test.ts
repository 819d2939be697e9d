// readRosterJson (npm run draw's roster reader) gives what JSON.parse and the draw's sort give, or nothing:
// never another roster, and never a roster where the plain path would refuse the file.
import test from 'ava';
import fc from 'fast-check';
import {
  bundleJson,
  type RosterEntry,
  type Rules,
  readRosterFile,
  readRosterJson,
  runDraw,
  sortRoster,
  validateRoster,
} from '../../../src/domain/draw/index.js';

const rules: Rules = {
  unit: 'item',
  total: 50,
  per_person_max: 4,
  denomination: 2,
  partial: 'partial',
  groups: [{ name: 'senior', reserved: 3 }],
  sites: ['north', 'south', 'S-3', 'x'].map((id) => ({ id, slots: [{ id: 'am', capacity: 9 }] })),
};
const bytes = (s: string) => new TextEncoder().encode(s);
const KEYS = ['public_id', 'group', 'weight', 'request', 'preferences'] as const;

const arbEntry = fc.record({
  public_id: fc.string({
    unit: fc.constantFrom('A', 'b', '0', '-', ' ', '~', '_'),
    minLength: 1,
    maxLength: 20,
  }),
  group: fc.constantFrom('', 'senior'),
  weight: fc.integer({ min: 1, max: 2 ** 40 }),
  request: fc.integer({ min: 1, max: 20 }).map((r) => 2 * r),
  preferences: fc.uniqueArray(fc.constantFrom('north', 'south', 'S-3', 'x'), { maxLength: 4 }),
});
const arbRoster = fc.uniqueArray(arbEntry, { selector: (e) => e.public_id, maxLength: 40 });
const arbSpace = fc.constantFrom('', ' ', '\n', '\r\n\t', '  ');

/** The roster as JSON with the keys of each entry in a given order and whitespace between tokens. */
function layout(roster: RosterEntry[], keyOrders: number[][], spaces: string[]): string {
  let s = 0;
  const sp = () => spaces[s++ % spaces.length]!;
  const entries = roster.map((e, i) => {
    const order = keyOrders[i % keyOrders.length]!;
    const members = order.map((k) => `${sp()}"${KEYS[k]}"${sp()}:${sp()}${JSON.stringify(e[KEYS[k]!])}`);
    return `${sp()}{${members.join(',')}${sp()}}`;
  });
  return `${sp()}[${entries.join(`${sp()},`)}${sp()}]${sp()}`;
}

test('a plain roster file reads as JSON.parse (and the sort) read it, whatever the key order and spacing', (t) => {
  const keyOrder = fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5 });
  fc.assert(
    fc.property(
      arbRoster,
      fc.array(keyOrder, { minLength: 1 }),
      fc.array(arbSpace, { minLength: 1 }),
      (roster, orders, spaces) => {
        const text = layout(roster, orders, spaces);
        const parsed = validateRoster(JSON.parse(text), rules);
        t.deepEqual(readRosterJson(bytes(text), rules), sortRoster(parsed));
        t.deepEqual(readRosterJson(bytes(text), rules, { inFileOrder: true }), parsed);
      },
    ),
    { numRuns: 300 },
  );
});

const plain = '{"public_id":"A1","group":"senior","weight":1,"request":2,"preferences":["north","south"]}';
/** The plain entry with `from` replaced by `to` (which JSON.parse may accept, the reader must not). */
const variant = (from: string, to: string) => `[${plain},${plain.replace('A1', 'A2').replace(from, to)}]`;

test('anything but the plain case reads as nothing, so the caller falls back to JSON.parse', (t) => {
  t.deepEqual(readRosterJson(bytes(` [ ${plain} ]\n`), rules)?.length, 1);
  t.deepEqual(readRosterJson(bytes('[]'), rules), []);
  t.deepEqual(readRosterJson(bytes(' [\n] '), rules), []);
  const refused: [string, string][] = [
    ['a byte order mark', `\uFEFF[${plain}]`],
    ['an escape in an id', variant('"A2"', '"A\\u0032"')],
    ['an escape in a site id', variant('"south"', '"sout\\u0068"')],
    ['a non-ASCII id', variant('"A2"', '"Ä2"')],
    ['a control character in an id', variant('"A2"', '"A\t2"')],
    ['an empty id', variant('"A2"', '""')],
    ['a weight written 1.0', variant('"weight":1', '"weight":1.0')],
    ['a weight written 1e0', variant('"weight":1', '"weight":1e0')],
    ['a weight of 0', variant('"weight":1', '"weight":0')],
    ['a negative weight', variant('"weight":1', '"weight":-1')],
    ['a leading zero', variant('"weight":1', '"weight":01')],
    ['16 digits', variant('"weight":1', '"weight":1000000000000000')],
    ['a weight as a string', variant('"weight":1', '"weight":"1"')],
    ['a duplicate key', variant('"weight":1', '"weight":1,"weight":1')],
    ['a missing key', variant('"weight":1,', '')],
    ['an extra key', variant('"weight":1', '"weight":1,"note":""')],
    ['an unknown site', variant('"south"', '"west"')],
    ['a site twice', variant('"south"', '"north"')],
    ['a group the rules lack', variant('"senior"', '"junior"')],
    ['a request not a multiple of the denomination', variant('"request":2', '"request":3')],
    ['preferences not an array', variant('["north","south"]', '"north"')],
    ['a trailing comma', `[${plain},]`],
    ['a trailing comma in preferences', variant('"south"]', '"south",]')],
    ['something after the array', `[${plain}] x`],
    ['a truncated file', `[${plain}`.slice(0, -3)],
    ['an object, not an array', plain],
    ['null for an entry', `[${plain},null]`],
    ['no file at all', ''],
  ];
  for (const [what, text] of refused) t.is(readRosterJson(bytes(text), rules), undefined, what);
});

test('duplicate ids are read (the draw refuses them after its sort, as from JSON.parse)', (t) => {
  const got = readRosterJson(bytes(`[${plain},${plain}]`), rules);
  t.is(got?.length, 2);
  t.throws(() => sortRoster(got!), { message: /duplicate public id "A1"/ });
});

/** What the plain path (JSON.parse, the rules' checks, the sort) makes of the text. */
const parsedSorted = (text: string, r: Rules) => sortRoster(validateRoster(JSON.parse(text), r));

test('ids and preferences that outgrow the first buffers read as JSON.parse reads them', (t) => {
  const many: Rules = {
    ...rules,
    sites: Array.from({ length: 40 }, (_, k) => ({ id: `s${k}`, slots: [{ id: 'am', capacity: 9 }] })),
  };
  const entry = (id: string, preferences: string[]) =>
    JSON.stringify({ public_id: id, group: '', weight: 3, request: 2, preferences });
  const cases: [string, string][] = [
    ['one id far longer than an eighth of the file', `[${entry('Z'.repeat(5000), [])}]`],
    [
      'many ids longer than an eighth of the file',
      `[${Array.from({ length: 60 }, (_, k) => entry(`${'id'.repeat(30)}-${k}`, [])).join(',')}]`,
    ],
    ['one entry preferring all forty sites', `[${entry('A', many.sites.map((s) => s.id).reverse())}]`],
  ];
  for (const [what, text] of cases) {
    const got = readRosterJson(bytes(text), many);
    t.truthy(got, what);
    t.deepEqual(got, parsedSorted(text, many), what);
  }
});

test("a name whose hash is another name's is not taken for it, and names the reader cannot match fall back", (t) => {
  // FNV-1a (the reader's hash) collisions: costarring/liquid (different lengths), declinate/macallums (same).
  const colliding: Rules = {
    ...rules,
    groups: [{ name: 'altarage', reserved: 0 }],
    sites: ['liquid', 'declinate'].map((id) => ({ id, slots: [{ id: 'am', capacity: 9 }] })),
  };
  const entry = (group: string, preferences: string[]) =>
    `[${JSON.stringify({ public_id: 'A', group, weight: 1, request: 2, preferences })}]`;
  const fine = entry('altarage', ['declinate', 'liquid']);
  t.deepEqual(readRosterJson(bytes(fine), colliding), parsedSorted(fine, colliding));
  for (const text of [entry('', ['costarring']), entry('', ['macallums']), entry('zinke', [])]) {
    t.is(readRosterJson(bytes(text), colliding), undefined, text);
    t.throws(() => parsedSorted(text, colliding), undefined, 'the plain path refuses it too');
  }
  // A group or site named outside printable ASCII (or with a quote) is never matched by bytes: the whole
  // file goes to JSON.parse, which reads it.
  const korean: Rules = {
    ...rules,
    groups: [{ name: '노인', reserved: 1 }],
    sites: ['north', 'say "hi"'].map((id) => ({ id, slots: [{ id: 'am', capacity: 9 }] })),
  };
  for (const text of [entry('노인', ['north']), entry('', ['say "hi"'])]) {
    t.is(readRosterJson(bytes(text), korean), undefined, text);
    t.is(parsedSorted(text, korean).length, 1);
  }
  const plainOne = entry('', ['north']);
  t.deepEqual(readRosterJson(bytes(plainOne), korean), parsedSorted(plainOne, korean));
});

test('a roster file is taken as checked only with the rules it was read against, and draws as JSON.parse reads it', (t) => {
  const text = `[${plain},${plain.replace('A1', 'A0').replace('"south"', '"x"')}]`;
  const file = readRosterFile(bytes(text), rules)!;
  const input = { campaign: { id: 'c', title: 't' }, secret: new Uint8Array(32).fill(3), beacon: 'b' };
  t.deepEqual(
    bundleJson(runDraw({ ...input, rules, roster: file })),
    bundleJson(runDraw({ ...input, rules, roster: JSON.parse(text) })),
  );
  // The same rules in another object, without site "x": the draw checks the entries, and refuses one.
  const fewer = { ...rules, sites: rules.sites.filter((s) => s.id !== 'x') };
  t.throws(() => runDraw({ ...input, rules: fewer, roster: file }), {
    message: /names no site of the rules/,
  });
  t.deepEqual(
    runDraw({ ...input, rules: { ...rules }, roster: file }),
    runDraw({ ...input, rules, roster: file }),
  );
  t.is(readRosterFile(bytes(`[${plain}`), rules), undefined);
});
