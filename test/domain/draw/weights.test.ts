// Weights, checked against draw-v1 §3-§4 written out again here with node:crypto and BigInt, not with the
// project's own ranking code: an entry's ticket is the smallest of its weight-many HMAC tickets, and the
// ranking is by ticket, ties by public id. Then, over a fixed set of seeds, a weight-2 entry wins about twice
// as often as a weight-1 entry when there is one place.
import { createHash, createHmac } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import {
  type Bundle,
  type RosterEntry,
  type Rules,
  referenceDraw,
  runDraw,
} from '../../../src/domain/draw/index.js';

const lp = (b: Buffer) => {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(b.length);
  return Buffer.concat([n, b]);
};

/** §3: seed = SHA-256(LP("draw-v1/seed") || LP(secret) || LP(utf8(beacon)) || LP(roster_root)). */
function specSeed(secret: Buffer, beacon: string, rosterRootHex: string): Buffer {
  return createHash('sha256')
    .update(
      Buffer.concat([
        lp(Buffer.from('draw-v1/seed', 'utf8')),
        lp(secret),
        lp(Buffer.from(beacon.normalize('NFC'), 'utf8')),
        lp(Buffer.from(rosterRootHex, 'hex')),
      ]),
    )
    .digest();
}

/** §4: the smallest of HMAC-SHA256(seed, utf8(public_id + ":" + k)) for k = 1..weight, as a 256-bit number. */
function specTicket(seed: Buffer, e: Pick<RosterEntry, 'public_id' | 'weight'>): bigint {
  let best: bigint | undefined;
  for (let k = 1; k <= e.weight; k++) {
    const t = BigInt(`0x${createHmac('sha256', seed).update(`${e.public_id}:${k}`, 'utf8').digest('hex')}`);
    if (best === undefined || t < best) best = t;
  }
  return best!;
}

/** §4: ranked by ticket ascending, ties by utf8(public_id) ascending. */
function specRanking(seed: Buffer, roster: RosterEntry[]): Array<{ public_id: string; ticket: string }> {
  return roster
    .map((e) => ({ public_id: e.public_id, t: specTicket(seed, e) }))
    .sort((a, b) =>
      a.t !== b.t
        ? a.t < b.t
          ? -1
          : 1
        : Buffer.compare(Buffer.from(a.public_id, 'utf8'), Buffer.from(b.public_id, 'utf8')),
    )
    .map((x) => ({ public_id: x.public_id, ticket: x.t.toString(16).padStart(64, '0') }));
}

const onePlace = (total: number): Rules => ({
  unit: 'item',
  total,
  per_person_max: 1,
  denomination: 1,
  partial: 'skip',
  groups: [],
  sites: [],
});
const entry = (public_id: string, weight: number): RosterEntry => ({
  public_id,
  group: '',
  weight,
  request: 1,
  preferences: [],
});
const draw = (rules: Rules, roster: RosterEntry[], secret: Buffer, beacon: string): Bundle =>
  runDraw({ campaign: { id: 'weights', title: 'weights' }, rules, roster, secret, beacon });

test('the ranking is by the smallest of weight-many HMAC tickets (spec in the test), ties by public id', (t) => {
  const roster = fc.uniqueArray(
    fc.record({
      public_id: fc.oneof(
        fc.stringMatching(/^[A-Z0-9]{1,12}$/),
        fc.constantFrom('가나다', 'é', 'Z:1', 'a b'),
      ),
      weight: fc.integer({ min: 1, max: 6 }),
    }),
    { minLength: 1, maxLength: 40, selector: (e) => e.public_id },
  );
  t.notThrows(() =>
    fc.assert(
      fc.property(
        roster,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.nat(10),
        (entries, secretBytes, beacon, total) => {
          const secret = Buffer.from(secretBytes);
          const list = entries.map((e) => entry(e.public_id, e.weight));
          const bundle = draw(onePlace(total), list, secret, beacon);
          const seed = specSeed(secret, beacon, bundle.roster_root);
          if (bundle.seed !== seed.toString('hex')) return false;
          const expected = specRanking(seed, list);
          const got = bundle.results.map((r) => ({ public_id: r.public_id, ticket: r.ticket }));
          const reference = referenceDraw({
            campaign: bundle.campaign,
            rules: bundle.rules,
            roster: list,
            secret,
            beacon,
          }).results.map((r) => ({ public_id: r.public_id, ticket: r.ticket }));
          // The places go down the ranking: the first `total` entries win (one item each, no sites).
          const winners = bundle.results.filter((r) => r.outcome === 'won').map((r) => r.public_id);
          return (
            JSON.stringify(got) === JSON.stringify(expected) &&
            JSON.stringify(reference) === JSON.stringify(expected) &&
            JSON.stringify(winners) === JSON.stringify(expected.slice(0, total).map((e) => e.public_id))
          );
        },
      ),
      { numRuns: 100 },
    ),
  );
});

test('over 1,500 fixed seeds a weight-2 entry wins about twice as often as a weight-1 entry', (t) => {
  // Ten entries of weight 2 and ten of weight 1 for ONE place: the winner holds the smallest of 30 tickets,
  // so it has weight 2 with probability 20/30 = 2/3 (each weight-2 entry 1/15, each weight-1 entry 1/30).
  // Over N = 1,500 seeds the weight-2 wins X ~ Binomial(N, 2/3): mean 1,000, sd = sqrt(N * 2/3 * 1/3) = 18.26.
  // Bound: |X - 1000| <= 82 (4.5 sd; a fair HMAC fails it with probability below 1e-5, and the seeds are
  // fixed, so the outcome is the same every run). Ignoring weights (p = 1/2) would give X near 750: 14 sd out.
  const roster = [
    ...Array.from({ length: 10 }, (_, i) => entry(`W2-${i}`, 2)),
    ...Array.from({ length: 10 }, (_, i) => entry(`W1-${i}`, 1)),
  ];
  const N = 1500;
  let heavy = 0;
  for (let s = 0; s < N; s++) {
    const secret = createHash('sha256').update(`weights-statistics-${s}`).digest();
    const bundle = draw(onePlace(1), roster, secret, `beacon ${s}`);
    const winner = bundle.results.find((r) => r.outcome === 'won')!;
    if (winner.public_id.startsWith('W2-')) heavy++;
  }
  const light = N - heavy;
  t.log(`weight 2 won ${heavy}, weight 1 won ${light}: ratio ${(heavy / light).toFixed(2)}`);
  t.true(Math.abs(heavy - 1000) <= 82, `weight-2 wins ${heavy}, expected 1000 ± 82`);
  // As a ratio, per entry: between (918/10)/(582/10) = 1.58 and (1082/10)/(418/10) = 2.59, i.e. about twice.
});
