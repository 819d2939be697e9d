// The counter's rule (whyNotCollectable): one answer per award state, the early-arrival grace, the firm
// deadline, and the back office's correction, the same for the page, the API and the offline path.
import test from 'ava';
import fc from 'fast-check';
import {
  type AwardAtCounter,
  pickupOpensAt,
  type SiteName,
  whyNotCollectable,
} from '../../src/domain/counter.js';

const at = (hhmm: string) => new Date(`2026-05-04T${hhmm}:00.000Z`);
const award = (over: Partial<AwardAtCounter> = {}): AwardAtCounter => ({
  status: 'won',
  site: 'north',
  slot_starts_at: at('10:00'),
  claim_deadline: at('18:00'),
  claim_opens_at: at('08:00'),
  collected_at: null,
  collected_site: null,
  ...over,
});
const names: Record<string, SiteName> = {
  north: { ko: '북부센터', en: 'North Centre' },
  south: { ko: '남부센터', en: 'South Centre' },
};
const moment = { site: 'north', now: at('12:00'), grace_minutes: 30, siteName: (id: string) => names[id]! };

test('each state that cannot be handed over says why, with what the counter shows', (t) => {
  const collected = whyNotCollectable(
    award({ status: 'collected', collected_at: at('11:00'), collected_site: 'south' }),
    moment,
  );
  t.is(collected?.code, 'already_collected');
  t.deepEqual(collected?.details, {
    collected_at: '2026-05-04T11:00:00.000Z',
    site_id: 'south',
    site_name: '남부센터',
    site_name_en: 'South Centre',
  });
  // collected before the collection site and time were recorded: the award's own site, no time
  const older = whyNotCollectable(award({ status: 'collected' }), moment);
  t.deepEqual(older?.details, {
    collected_at: null,
    site_id: 'north',
    site_name: '북부센터',
    site_name_en: 'North Centre',
  });

  const expired = whyNotCollectable(award({ status: 'expired' }), moment);
  t.is(expired?.code, 'claim_expired');
  t.regex(expired?.message ?? '', /released/);
  t.deepEqual(expired?.details, { deadline: '2026-05-04T18:00:00.000Z' });
  t.deepEqual(whyNotCollectable(award({ status: 'expired', claim_deadline: null }), moment)?.details, {
    deadline: null,
  });

  t.is(whyNotCollectable(award({ status: 'refused' }), moment)?.code, 'award_refused');
  t.is(whyNotCollectable(award({ status: 'waitlisted' }), moment)?.code, 'not_won');
  t.is(whyNotCollectable(award({ status: 'won' }), moment), undefined);
  t.is(whyNotCollectable(award({ status: 'promoted' }), moment), undefined);
});

test('another site is named (by id where no names are given); the slot opens early by the grace', (t) => {
  const elsewhere = whyNotCollectable(award({ site: 'south' }), moment);
  t.is(elsewhere?.code, 'wrong_site');
  t.is(elsewhere?.message, 'This award is collected at South Centre');
  t.like(elsewhere?.details, { site_id: 'south', site_name: '남부센터', site_name_en: 'South Centre' });
  const { siteName: _, ...unnamed } = moment;
  t.is(whyNotCollectable(award({ site: 'south' }), unnamed)?.message, 'This award is collected at south');

  const early = whyNotCollectable(award(), { ...moment, now: at('09:29') });
  t.is(early?.code, 'pickup_not_started');
  t.deepEqual(early?.details, {
    opens_at: '2026-05-04T09:30:00.000Z',
    slot_starts_at: '2026-05-04T10:00:00.000Z',
  });
  t.is(whyNotCollectable(award(), { ...moment, now: at('09:30') }), undefined, 'the grace: 30 minutes early');
  t.is(
    whyNotCollectable(award(), { ...moment, now: at('09:00'), back_office: true }),
    undefined,
    'the back office records a handover already made',
  );
  // no slot: from the moment claims open
  const anyTime = award({ slot_starts_at: null });
  t.deepEqual(pickupOpensAt(anyTime, 30), at('08:00'));
  t.deepEqual(whyNotCollectable(anyTime, { ...moment, now: at('07:59') })?.details, {
    opens_at: '2026-05-04T08:00:00.000Z',
    slot_starts_at: null,
  });

  t.is(whyNotCollectable(award(), { ...moment, now: at('18:01') })?.code, 'claim_expired');
  t.is(whyNotCollectable(award(), { ...moment, now: at('18:00') }), undefined, 'the deadline minute itself');
  t.is(whyNotCollectable(award({ claim_deadline: null }), { ...moment, now: at('23:59') }), undefined);
});

test('a won award at its own site is collectable exactly between the opening and the deadline', (t) => {
  const minute = 60_000;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 24 * 60 }),
      fc.integer({ min: 0, max: 120 }),
      fc.option(fc.integer({ min: 0, max: 24 * 60 })),
      fc.option(fc.integer({ min: 0, max: 24 * 60 })),
      fc.boolean(),
      (now, grace, slot, deadline, backOffice) => {
        const base = at('00:00').getTime();
        const a = award({
          slot_starts_at: slot === null ? null : new Date(base + slot * minute),
          claim_deadline: deadline === null ? null : new Date(base + deadline * minute),
          claim_opens_at: new Date(base + 6 * 60 * minute),
        });
        const m = {
          site: 'north',
          now: new Date(base + now * minute),
          grace_minutes: grace,
          back_office: backOffice,
        };
        const opened = backOffice || m.now >= pickupOpensAt(a, grace);
        const inTime = a.claim_deadline === null || m.now <= a.claim_deadline;
        const why = whyNotCollectable(a, m);
        return opened && inTime
          ? why === undefined
          : why?.code === (opened ? 'claim_expired' : 'pickup_not_started');
      },
    ),
  );
  t.pass();
});
