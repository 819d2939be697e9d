import test from 'ava';
import {
  type CampaignInput,
  claimDeadline,
  dueTransition,
  groupLabel,
  groupProof,
  instantSchedule,
  mayHoldPeople,
  notForInstant,
  type SlotInput,
  validateCampaign,
} from '../../src/domain/campaign.js';

const schedule = {
  opens_at: new Date('2026-12-01T00:00:00Z'),
  closes_at: new Date('2026-12-02T00:00:00Z'),
  draw_at: new Date('2026-12-02T01:00:00Z'),
  claim_opens_at: new Date('2026-12-02T02:00:00Z'),
  claim_closes_at: new Date('2026-12-10T00:00:00Z'),
};
const at = (iso: string) => new Date(iso);

test('nothing is due before the moment, the transition is due at it', (t) => {
  const c = { ...schedule, state: 'scheduled' as const, mode: 'lottery' as const };
  t.is(dueTransition(c, at('2026-11-30T23:59:59.999Z')), undefined);
  t.is(dueTransition(c, at('2026-12-01T00:00:00Z'))?.to, 'open');
});

test('a lottery waits in closed for its draw; an instant sale goes to claiming', (t) => {
  const later = at('2026-12-05T00:00:00Z');
  t.is(dueTransition({ ...schedule, state: 'closed', mode: 'lottery' }, later), undefined);
  t.is(dueTransition({ ...schedule, state: 'closed', mode: 'instant' }, later)?.to, 'claiming');
  t.is(dueTransition({ ...schedule, state: 'drawn', mode: 'reservation' }, later)?.to, 'claiming');
});

test('terminal and manual states have no timed transition', (t) => {
  const later = at('2027-01-01T00:00:00Z');
  for (const state of ['draft', 'cancelled', 'finished'] as const) {
    t.is(dueTransition({ ...schedule, state, mode: 'lottery' }, later), undefined, state);
  }
});

const goods: CampaignInput = {
  ...schedule,
  code: 'masks',
  kind: 'goods',
  mode: 'lottery',
  title_ko: '마스크',
  title_en: 'Masks',
  description_ko: '',
  description_en: '',
  time_zone: 'Asia/Seoul',
  unit: 'item',
  total: 10,
  denomination: 5,
  per_person_max: 5,
  partial: 'skip',
  eligibility: { regions: [], birth_year_rotation: false },
  groups: [{ name: 'seniors', check: 'age', min_age: 65, reserved: 5, weight: 2 }],
  verification_methods: ['sms'],
  unclaimed_policy: 'pass_down',
  slots: [
    {
      id: 'a',
      site_id: 'site-1',
      starts_at: new Date('2026-12-03T00:00:00Z'),
      ends_at: new Date('2026-12-03T02:00:00Z'),
      capacity: 10,
    },
  ],
};
const voucher: CampaignInput = {
  ...goods,
  kind: 'voucher',
  unit: 'KRW',
  total: 100_000,
  denomination: 10_000,
  per_person_max: 20_000,
  groups: [],
  slots: [],
  voucher_unit: 5_000,
};
const sites = new Set(['site-1']);
const slot = goods.slots[0] as SlotInput;

test('a goods campaign and a voucher campaign that can run have no field errors', (t) => {
  t.deepEqual(validateCampaign(goods, sites), []);
  t.deepEqual(validateCampaign(voucher, sites), []);
  t.deepEqual(
    validateCampaign({ ...goods, slots: [] }, sites),
    [],
    'goods without slots: sites are named later',
  );
});

test("an instant sale's draw and claim moments are its close's, and nothing is said of them", (t) => {
  const closes = at('2026-12-02T00:00:00Z');
  t.deepEqual(instantSchedule(closes), {
    draw_at: closes,
    claim_opens_at: closes,
    claim_closes_at: at('2026-12-03T00:00:00Z'),
  });
  const muddled = { draw_at: at('2026-12-01T12:00:00Z'), claim_closes_at: at('2026-12-01T00:00:00Z') };
  t.deepEqual(validateCampaign({ ...voucher, ...muddled, mode: 'instant' }, sites), []);
  t.deepEqual(
    validateCampaign({ ...voucher, ...muddled }, sites).map((p) => p.field),
    ['draw_at', 'claim_closes_at'],
    'a lottery’s are judged',
  );
});

test("a sale is refused only what it does not have: a draw's field set to another value than its own", (t) => {
  const sale = { ...voucher, mode: 'instant' as const };
  const own = { ...sale, ...instantSchedule(sale.closes_at), beacon_source: null, checkout_minutes: 30 };
  t.deepEqual(notForInstant(own), [], 'what a read of it shows');
  const { draw_at: _d, claim_opens_at: _o, claim_closes_at: _c, ...none } = sale;
  t.deepEqual(notForInstant(none), [], 'none sent');
  t.deepEqual(
    notForInstant({ ...sale, beacon_source: 'drand quicknet round 1', claim_period_hours: 24 }),
    ['draw_at', 'claim_opens_at', 'claim_closes_at', 'beacon_source', 'claim_period_hours'].map((field) => ({
      field,
      key: 'not_for_instant',
    })),
    "a lottery's moments, a beacon, a claim period",
  );
  t.deepEqual(
    notForInstant({ ...own, partial: 'partial', unclaimed_policy: 'return', checkout_minutes: 15 }).map(
      (p) => p.field,
    ),
    ['partial', 'unclaimed_policy', 'checkout_minutes'],
  );
  const { closes_at: _close, ...unread } = sale;
  t.deepEqual(notForInstant(unread), [], 'moments are judged against the close only once it is read');
  t.deepEqual(
    notForInstant({ ...voucher, beacon_source: 'drand quicknet round 1', checkout_minutes: 15 }),
    [],
    'a lottery has them',
  );
});

// Each impossible campaign names the field at fault, and only that field.
const refused: [string, CampaignInput, string[]][] = [
  ['goods sold instantly', { ...goods, mode: 'instant' }, ['mode']],
  ['a window that ends as it starts', { ...goods, closes_at: goods.opens_at }, ['closes_at']],
  ['a draw before the window closes', { ...goods, draw_at: new Date('2026-12-01T12:00:00Z') }, ['draw_at']],
  [
    'collection before the draw',
    { ...voucher, claim_opens_at: new Date('2026-12-02T00:30:00Z') },
    ['claim_opens_at'],
  ],
  [
    'a claim window that ends as it starts',
    { ...voucher, claim_closes_at: voucher.claim_opens_at },
    ['claim_closes_at'],
  ],
  ['vouchers counted in items', { ...voucher, unit: 'item' }, ['unit']],
  ['goods counted in KRW', { ...goods, unit: 'KRW' }, ['unit']],
  ['a negative budget (so any quota is above it)', { ...voucher, total: -10_000 }, ['groups', 'total']],
  ['a budget not a multiple of the denomination', { ...voucher, total: 105_000 }, ['total']],
  ['a per-person limit below one denomination', { ...voucher, per_person_max: 5_000 }, ['per_person_max']],
  [
    'a per-person limit the denomination does not divide',
    { ...voucher, per_person_max: 25_000 },
    ['per_person_max'],
  ],
  ['a voucher face value on goods', { ...goods, voucher_unit: 5 }, ['voucher_unit']],
  ['a face value above the denomination', { ...voucher, voucher_unit: 20_000 }, ['voucher_unit']],
  [
    'a face value that does not divide the denomination',
    { ...voucher, voucher_unit: 3_000 },
    ['voucher_unit'],
  ],
  [
    'two groups of one name',
    { ...voucher, groups: [0, 1].map(() => ({ name: 'seniors', reserved: 10_000, weight: 1 })) },
    ['groups.1.name'],
  ],
  [
    'a quota not a multiple of the denomination',
    { ...voucher, groups: [{ name: 'a', reserved: 15_000, weight: 1 }] },
    ['groups.0.reserved'],
  ],
  [
    'an age group without its age',
    { ...voucher, groups: [{ name: 'a', check: 'age', reserved: 0, weight: 1 }] },
    ['groups.0.min_age'],
  ],
  [
    'quotas above the total',
    { ...voucher, groups: [{ name: 'a', reserved: 110_000, weight: 1 }] },
    ['groups'],
  ],
  ['pickup slots on vouchers', { ...voucher, slots: goods.slots }, ['slots']],
  [
    'two slots of one id',
    {
      ...goods,
      slots: [
        { ...slot, capacity: 5 },
        { ...slot, capacity: 5 },
      ],
    },
    ['slots.1.id'],
  ],
  ['a slot at an unknown site', { ...goods, slots: [{ ...slot, site_id: 'nowhere' }] }, ['slots.0.site_id']],
  [
    'a slot that ends as it starts',
    { ...goods, slots: [{ ...slot, ends_at: slot.starts_at }] },
    ['slots.0.ends_at'],
  ],
  [
    'a slot before the claim window',
    { ...goods, slots: [{ ...slot, starts_at: new Date('2026-12-02T01:30:00Z') }] },
    ['slots.0.starts_at'],
  ],
  [
    'a slot past the claim window',
    { ...goods, slots: [{ ...slot, ends_at: new Date('2026-12-11T00:00:00Z') }] },
    ['slots.0.starts_at'],
  ],
  [
    'a slot capacity not a multiple of the denomination',
    {
      ...goods,
      total: 10,
      slots: [
        { ...slot, capacity: 7 },
        { ...slot, id: 'b', capacity: 3 },
      ],
    },
    ['slots.0.capacity', 'slots.1.capacity'],
  ],
  ['slot capacities that are not the stock', { ...goods, slots: [{ ...slot, capacity: 5 }] }, ['slots']],
];
for (const [what, input, fields] of refused) {
  test(`refused: ${what}`, (t) => {
    t.deepEqual(
      validateCampaign(input, sites)
        .map((p) => p.field)
        .sort(),
      fields,
    );
  });
}

test('a campaign read only in part is judged on the parts that were read, every fault at once', (t) => {
  // the title and the amounts failed their own checks: the dates and the ages are still judged
  const { total: _t, denomination: _d, per_person_max: _p, ...rest } = goods;
  const problems = validateCampaign({
    ...rest,
    closes_at: goods.opens_at,
    claim_opens_at: new Date(goods.draw_at.getTime() - 1),
  });
  t.deepEqual(problems, [
    { field: 'closes_at', key: 'closes_after_opens' },
    { field: 'claim_opens_at', key: 'claim_after_draw' },
  ]);
});

test('the claim deadline is the claim period from the award, never past the claim window', (t) => {
  const c = { claim_opens_at: schedule.claim_opens_at, claim_closes_at: schedule.claim_closes_at };
  // an award before the window opens counts from the opening; 72 h unless set
  t.deepEqual(claimDeadline(c, at('2026-12-01T00:00:00Z')), at('2026-12-05T02:00:00Z'));
  t.deepEqual(
    claimDeadline({ ...c, claim_period_hours: 24 }, at('2026-12-03T00:00:00Z')),
    at('2026-12-04T00:00:00Z'),
  );
  t.deepEqual(claimDeadline(c, at('2026-12-09T00:00:00Z')), schedule.claim_closes_at);
});

test('group labels and proofs fall back to the other language, then to the key or nothing', (t) => {
  const g = { name: 'basic', reserved: 0, weight: 1 };
  t.is(groupLabel({ ...g, name_ko: '기초', name_en: 'Basic' }, 'en'), 'Basic');
  t.is(groupLabel({ ...g, name_ko: '기초' }, 'en'), '기초');
  t.is(groupLabel({ ...g, name_en: 'Basic' }, 'ko'), 'Basic');
  t.is(groupLabel(g, 'ko'), 'basic');
  t.is(groupProof({ ...g, proof_ko: '증명서' }, 'en'), '증명서');
  t.is(groupProof({ ...g, proof_en: 'certificate' }, 'ko'), 'certificate');
  t.is(groupProof(g, 'en'), '');
});

test('a cancel has people to tell once past its draft: applications come by the database clock', (t) => {
  const told = (['draft', 'scheduled', 'open', 'closed'] as const).filter((state) =>
    mayHoldPeople({ state }),
  );
  t.deepEqual(told, ['scheduled', 'open', 'closed']);
});
