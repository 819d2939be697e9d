// The demo a newcomer's `npm start` loads: its campaigns name whom residents ask, as a city's would, so the pages and
// notices a newcomer looks at show the contact instead of the overview's warning that residents have nobody to ask.
import test from 'ava';
import { loadDemo } from '../../src/commands/loadDemo.js';
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
