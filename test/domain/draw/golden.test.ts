// A 3-entry draw recomputed step by step with node:crypto and Buffer, independently of the domain code.
import { createHash, createHmac } from 'node:crypto';
import test from 'ava';
import { runDraw } from '../../../src/domain/draw/index.js';

const secret = Buffer.alloc(32, 7);
const beacon = 'lotto 2024-06-01: 3 11 19 27 35 43';
const rules = {
  unit: 'KRW',
  total: 30000,
  per_person_max: 20000,
  denomination: 10000,
  partial: 'skip',
  groups: [],
  sites: [],
};
const roster = [
  { public_id: 'c', group: '', weight: 1, request: 20000, preferences: [] },
  { public_id: 'a', group: '', weight: 2, request: 20000, preferences: [] },
  { public_id: 'b', group: '', weight: 1, request: 10000, preferences: [] },
];

const sha = (...b: Buffer[]) => createHash('sha256').update(Buffer.concat(b)).digest();
const lp = (b: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
};
const leaf = (e: (typeof roster)[number]) =>
  sha(
    Buffer.from([0]),
    Buffer.from(
      `{"group":"","preferences":[],"public_id":"${e.public_id}","request":${e.request},"weight":${e.weight}}`,
    ),
  );

test('3-entry draw: root, seed, tickets, order and allocation by hand', (t) => {
  const [a, b, c] = ['a', 'b', 'c'].map((id) => roster.find((e) => e.public_id === id)!);
  // Roster root of 3 leaves: k = 2, MTH = H(0x01 || H(0x01 || la || lb) || lc).
  const root = sha(Buffer.from([1]), sha(Buffer.from([1]), leaf(a!), leaf(b!)), leaf(c!));
  const seed = sha(lp(Buffer.from('draw-v1/seed')), lp(secret), lp(Buffer.from(beacon)), lp(root));
  const hmac = (msg: string) => createHmac('sha256', seed).update(msg).digest();
  const ticketA = [hmac('a:1'), hmac('a:2')].sort(Buffer.compare)[0]!;
  const tickets = { a: ticketA, b: hmac('b:1'), c: hmac('c:1') };
  const ranked = (['a', 'b', 'c'] as const).slice().sort((x, y) => Buffer.compare(tickets[x], tickets[y]));
  // skip mode, 30000 in 10000s, per person 20000: walk in rank order.
  let remaining = 30000;
  const amounts: Record<string, number> = {};
  for (const id of ranked) {
    const want = Math.min(roster.find((e) => e.public_id === id)!.request, 20000);
    amounts[id] = want <= remaining ? want : 0;
    remaining -= amounts[id]!;
  }
  let waitlist = 0;
  const expected = ranked.map((id, i) => ({
    rank: i + 1,
    public_id: id,
    ticket: tickets[id].toString('hex'),
    outcome: amounts[id]! > 0 ? 'won' : 'waitlisted',
    amount: amounts[id]!,
    site: '',
    slot: '',
    waitlist: amounts[id]! > 0 ? 0 : ++waitlist,
  }));

  const bundle = runDraw({ campaign: { id: 'g', title: 'golden' }, rules, roster, secret, beacon });
  t.is(bundle.roster_root, root.toString('hex'));
  t.is(bundle.seed_commitment, sha(secret).toString('hex'));
  t.is(bundle.seed, seed.toString('hex'));
  t.deepEqual(
    bundle.roster.map((e) => e.public_id),
    ['a', 'b', 'c'],
  );
  t.deepEqual(bundle.results, expected);
  const cjson = `[${expected
    .map(
      (r) =>
        `{"amount":${r.amount},"outcome":"${r.outcome}","public_id":"${r.public_id}","rank":${r.rank},"site":"","slot":"","ticket":"${r.ticket}","waitlist":${r.waitlist}}`,
    )
    .join(',')}]`;
  t.is(bundle.results_hash, sha(Buffer.from(cjson)).toString('hex'));
});

test('public ids are ordered by UTF-8 bytes, not UTF-16 code units', (t) => {
  const ids = ['\uFF21', '\u{1F600}', 'z', '\u00E9'];
  const bundle = runDraw({
    campaign: { id: 'u', title: 'utf8' },
    rules: { ...rules, total: 0 },
    roster: ids.map((public_id) => ({ public_id, group: '', weight: 1, request: 10000, preferences: [] })),
    secret,
    beacon,
  });
  // z (7A) < é (C3 A9) < Ａ (EF BC A1) < 😀 (F0 9F 98 80); JS's < would put 😀 (D83D) before Ａ (FF21).
  t.deepEqual(
    bundle.roster.map((e) => e.public_id),
    ['z', '\u00E9', '\uFF21', '\u{1F600}'],
  );
});

test('NFD input is normalised to NFC before hashing and sorting', (t) => {
  const one = (public_id: string) =>
    runDraw({
      campaign: { id: 'n', title: 'nfc' },
      rules,
      roster: [{ public_id, group: '', weight: 1, request: 10000, preferences: [] }],
      secret,
      beacon,
    });
  const nfd = one('Cafe\u0301');
  t.is(nfd.roster[0]!.public_id, 'Caf\u00E9');
  t.is(nfd.roster_root, one('Caf\u00E9').roster_root);
});
