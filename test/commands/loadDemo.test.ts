// The demo a newcomer's `npm start` loads: its campaigns name whom residents ask, as a city's would, so the pages and
// notices a newcomer looks at show the contact instead of the overview's warning that residents have nobody to ask.
import test from 'ava';
import { loadDemo } from '../../src/commands/loadDemo.js';
import { rotationShortfall } from '../../src/domain/rotation.js';
import { SteppedClock } from '../helpers/clock.js';
import { createTestDatabase } from '../helpers/db.js';

test('the demo campaigns each name an office to ask, with a phone', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const demo = await loadDemo({ db: database.db, clock: new SteppedClock(new Date('2026-12-01T00:00:00Z')) });
  t.truthy(demo);
  const campaigns = await database.db('campaigns').whereIn('id', demo!.campaignIds).orderBy('code');
  t.deepEqual(
    campaigns.map((c) => [c.code, c.contact_name_ko, c.contact_phone]),
    [
      ['MASK01', '중구 보건소', '02-555-0200'],
      ['TY2612', '중구청 지역경제과', '02-555-0100'],
    ],
  );
  for (const c of campaigns) t.truthy(c.contact_name_en, `${c.code} in English too`);
});

test('the demo pharmacies say where they are in English too, romanised as an English reader writes it', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  await loadDemo({ db: database.db, clock: new SteppedClock(new Date('2026-12-01T00:00:00Z')) });
  const sites = await database.db('sites').orderBy('id');
  t.is(sites.length, 5);
  t.like(
    sites.find((s) => s.id === 'PH-JUNG-01'),
    {
      district: '중구',
      district_en: 'Jung-gu',
      address: '중앙로 12',
      address_en: '12 Jungang-ro',
    },
  );
  for (const s of sites) {
    t.regex(s.district_en, /^[A-Z][a-z]+-gu$/, s.id);
    t.regex(s.address_en, /^\d+ [A-Z][a-z]+-(ro|daero|gil)$/, s.id);
  }
});

test('the demo mask campaign’s window gives every birth year a day under its weekday rule', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  // Sunday 6 December 2026, 16:00 UTC: Monday 01:00 in Seoul, the opening the review found two days long
  const demo = await loadDemo({ db: database.db, clock: new SteppedClock(new Date('2026-12-06T15:58:30Z')) });
  const mask = await database
    .db('campaigns')
    .whereIn('id', demo!.campaignIds)
    .where({ code: 'MASK01' })
    .first();
  t.true(mask.eligibility.birth_year_rotation);
  t.deepEqual(rotationShortfall(mask), [], 'nobody is left without a day, or short of one');
  t.true(mask.draw_at > mask.closes_at && mask.claim_opens_at > mask.draw_at);
});
