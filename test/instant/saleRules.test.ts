// An instant sale's eligibility rules (campaign.eligibility: regions, ages, the birth-year weekday rule) are
// enforced at the queue join as an application enforces them: a refused join is not_eligible with the reason and
// params an application gets, takes no place and changes nothing; the region declared is kept on the place; the
// weekday rule is judged at the opening for a pre-queue join; a sale without rules joins with its one statement.
import { randomUUID } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { DateTime } from 'luxon';
import type { Eligibility, VerificationMethod } from '../../src/domain/campaign.js';
import { signResidentToken } from '../../src/identity/residentSession.js';
import { TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { instantWorld, openSale, scheduledSale } from '../helpers/instant.js';
import { hidden, residentBrowser } from '../helpers/residentBrowser.js';

/** A resident with a session whose verification (by SMS unless said) gave `birthDate` (or none). */
async function resident(
  app: TestApp,
  birthDate: string | null,
  lang: 'ko' | 'en' = 'ko',
  method: VerificationMethod = 'sms',
) {
  const identity_id = randomUUID();
  const token = await signResidentToken(
    TEST_SECRETS.sessionSecret,
    {
      sub: identity_id,
      m: method,
      bd: birthDate,
      bs: birthDate ? 'provider' : null,
      cc: null,
      ce: null,
      lang,
    },
    app.clock.now(),
  );
  return { identity_id, token, headers: { 'x-resident-token': token } };
}

/** A scheduled sale (pre-queue open) with these rules, its room made. */
async function saleWith(t: ExecutionContext, eligibility: Partial<Eligibility>) {
  const w = await instantWorld();
  t.teardown(() => w.app.close());
  const c = await scheduledSale(w.app, { units: 10 });
  await w.app
    .db('campaigns')
    .where({ id: c.id })
    .update({ eligibility: JSON.stringify(eligibility) });
  await w.tick(); // the room
  return { ...w, id: c.id as string, queue: `/api/campaigns/${c.id}/queue` };
}

const places = (app: TestApp, id: string) => app.db('instant_queue').where({ campaign_id: id });

test('an age rule refuses a join too young or too old, and one without a birth date; it admits one in range', async (t) => {
  const { app, id, queue } = await saleWith(t, { min_age: 60, max_age: 80 });
  const young = await resident(app, '2010-05-01');
  const refused = await app.request('POST', queue, { headers: young.headers });
  t.is(refused.status, 403, refused.text);
  t.is(refused.json.error.code, 'not_eligible');
  t.like(refused.json.error.details, { reason: 'too_young', min_age: 60 });
  const old = await app.request('POST', queue, { headers: (await resident(app, '1930-01-01')).headers });
  t.like(old.json.error, { code: 'not_eligible', details: { reason: 'too_old', max_age: 80 } });
  const unknown = await app.request('POST', queue, { headers: (await resident(app, null)).headers });
  t.like(unknown.json.error, { code: 'not_eligible', details: { reason: 'birth_date_required' } });
  t.is((await places(app, id)).length, 0, 'no place taken by a refused join');
  t.is(
    (await app.request('GET', queue, { headers: young.headers })).status,
    404,
    'the refused one has no place',
  );

  const ok = await resident(app, '1950-03-01');
  const joined = await app.request('POST', queue, { headers: ok.headers });
  t.is(joined.status, 200, joined.text);
  t.is(joined.json.queue.state, 'pre_queue');
  t.deepEqual(
    (await places(app, id)).map((p) => p.identity_id),
    [ok.identity_id],
  );
});

test('a sale limited to regions asks the region at the join, refuses a missing or other one, and keeps the one declared', async (t) => {
  const { app, id, queue } = await saleWith(t, { regions: ['중구', '동구'] });
  const r = await resident(app, null);
  const none = await app.request('POST', queue, { headers: r.headers });
  t.like(none.json.error, {
    code: 'not_eligible',
    details: { reason: 'region_required', regions: '중구, 동구' },
  });
  const other = await app.request('POST', queue, { headers: r.headers, json: { region: '강남구' } });
  t.like(other.json.error, { code: 'not_eligible', details: { reason: 'region_not_eligible' } });
  t.is((await places(app, id)).length, 0);

  const joined = await app.request('POST', queue, { headers: r.headers, json: { region: '동구' } });
  t.is(joined.status, 200, joined.text);
  const [place] = await places(app, id);
  t.is(place.region, '동구', 'the region declared is kept on the place');
  const again = await app.request('POST', queue, { headers: r.headers, json: { region: '동구' } });
  t.is(again.json.queue.ticket, joined.json.queue.ticket, 'joining again answers the same place');
});

test('a region in the join of a sale without regions is not kept; an empty body joins as before', async (t) => {
  const { app, id, queue } = await saleWith(t, {});
  const a = await resident(app, null);
  const b = await resident(app, null);
  t.is((await app.request('POST', queue, { headers: a.headers, json: { region: '중구' } })).status, 200);
  t.is((await app.request('POST', queue, { headers: b.headers })).status, 200);
  t.deepEqual(
    (await places(app, id)).map((p) => p.region),
    [null, null],
  );
});

test('the weekday rule is judged at the opening for a pre-queue join before a midnight opening', async (t) => {
  const { app, id, queue } = await saleWith(t, { birth_year_rotation: true });
  // The sale opens at the next midnight (KST) by the database's clock, its pre-queue open now; the service's
  // clock says 23:50 the evening before. Who may join is who may buy on the opening's day, not on the evening's.
  const opening = nextMidnightInSeoul();
  const closing = new Date(opening.getTime() + 86_400_000);
  await app
    .db('campaigns')
    .where({ id })
    .update({
      opens_at: opening,
      closes_at: closing,
      draw_at: closing,
      claim_opens_at: closing,
      claim_closes_at: new Date(closing.getTime() + 30 * 86_400_000),
    });
  await app.db('instant_rooms').where({ campaign_id: id }).update({ prequeue_minutes: 1440 });
  app.clock.set(new Date(opening.getTime() - 10 * 60_000));
  const day = DateTime.fromJSDate(opening, { zone: 'Asia/Seoul' }).weekday; // 1 Monday .. 7 Sunday
  const eve = day === 1 ? 7 : day - 1;
  const bornOn = (weekday: number) => `19${60 + weekday}-04-04`; // a year ending in 1 is Monday's, 5 Friday's
  const join = async (weekday: number) =>
    app.request('POST', queue, { headers: (await resident(app, bornOn(weekday))).headers });

  if (day <= 5) {
    // one whose day is the evening's (or, the evening a Sunday, another weekday) is refused for the opening's
    const other = eve <= 5 ? eve : 2;
    const refused = await join(other);
    t.is(refused.status, 403, refused.text);
    t.like(refused.json.error.details, { reason: 'wrong_weekday', day: WEEKDAYS[other - 1] });
    t.is((await places(app, id)).length, 0);
    const joined = await join(day);
    t.is(joined.status, 200, joined.text);
    t.is(joined.json.queue.state, 'pre_queue');
  } else {
    // a weekend opening lets anyone in, though the evening before is a Friday (or a Saturday)
    const joined = await join(1);
    t.is(joined.status, 200, joined.text);
    t.is(joined.json.queue.state, 'pre_queue');
  }
});

test('a sale without rules: a join is still one statement, with no read of the sale', async (t) => {
  const { app, id, queue } = await saleWith(t, {});
  const [warm, a, b] = [await resident(app, null), await resident(app, null), await resident(app, null)];
  await app.request('POST', queue, { headers: warm.headers }); // the process remembers the sale's rules
  const counted = countedStatements(t, app);
  t.is((await app.request('POST', queue, { headers: a.headers })).status, 200);
  t.is((await app.request('POST', queue, { headers: b.headers, json: {} })).status, 200);
  t.deepEqual(counted, { joins: 2, reads: 0 });
  t.is((await places(app, id)).length, 3);
});

test('a sale with rules: an eligible join is one statement too, and a refused one writes nothing', async (t) => {
  const { app, queue } = await saleWith(t, { regions: ['중구'], min_age: 60 });
  const warm = await resident(app, '1950-01-01');
  await app.request('POST', queue, { headers: warm.headers, json: { region: '중구' } });
  const counted = countedStatements(t, app);
  const ok = await resident(app, '1950-01-01');
  t.is((await app.request('POST', queue, { headers: ok.headers, json: { region: '중구' } })).status, 200);
  t.deepEqual(counted, { joins: 1, reads: 0 });
  const young = await resident(app, '2010-01-01');
  const refused = await app.request('POST', queue, { headers: young.headers, json: { region: '중구' } });
  t.is(refused.json.error.code, 'not_eligible');
  t.is(counted.joins, 1, 'a refused join makes no join statement');
});

test('rules edited while the pre-queue is open are the ones a join is judged by', async (t) => {
  const { app, id, queue } = await saleWith(t, {});
  await app.request('POST', queue, { headers: (await resident(app, null)).headers }); // remembered: no rules
  await app
    .db('campaigns')
    .where({ id })
    .update({ eligibility: JSON.stringify({ min_age: 60 }), rules_version: app.db.raw('rules_version + 1') });
  const young = await resident(app, '2010-01-01');
  const refused = await app.request('POST', queue, { headers: young.headers });
  t.like(refused.json.error, { code: 'not_eligible', details: { reason: 'too_young' } });
  t.falsy(await places(app, id).where({ identity_id: young.identity_id }).first());
});

test('the queue page asks the region, says a refusal in its language, and joins one eligible', async (t) => {
  const { app, id } = await saleWith(t, { regions: ['중구'], min_age: 60 });
  await openSale(app, id);
  const page = `/campaigns/${id}/queue`;
  for (const lang of ['ko', 'en'] as const) {
    const young = residentBrowser(app);
    young.jar.set('resident_session', (await resident(app, '2010-01-01', lang)).token);
    young.jar.set('lang', lang);
    const form = await young.get(`${page}?lang=${lang}`);
    t.regex(form.text, /<select id="region" name="region"[^>]*>\s*<option value="">/);
    t.regex(form.text, /<option value="중구" >중구<\/option>/);
    const refused = await young.post(page, { _csrf: hidden(form.text, '_csrf'), region: '중구' });
    t.is(refused.status, 403);
    t.regex(
      refused.text,
      lang === 'ko' ? /만 60세 이상만 구매할 수 있습니다/ : /You must be at least 60 years old to buy/,
    );
    t.regex(refused.text, /<option value="중구" selected>/, 'the choice is kept');
    const missing = await young.post(page, { _csrf: hidden(form.text, '_csrf'), region: '' });
    t.regex(missing.text, lang === 'ko' ? /구매 가능 지역: 중구/ : /Open to residents of: 중구/);
  }
  t.is((await places(app, id)).length, 0);

  const ok = residentBrowser(app);
  ok.jar.set('resident_session', (await resident(app, '1950-01-01')).token);
  const form = await ok.get(page);
  const joined = await ok.post(page, { _csrf: hidden(form.text, '_csrf'), region: '중구' });
  t.is(joined.status, 303, joined.text);
  t.like(await places(app, id).first(), { region: '중구' });
});

/** The join statements (the batched joins) and the other queries the app makes from now on. */
function countedStatements(t: ExecutionContext, app: TestApp) {
  const instant = app.deps.instant;
  const joins = instant.joins!;
  const counted = { joins: 0, reads: 0 };
  instant.joins = (p) => {
    counted.joins++;
    return joins(p);
  };
  const onQuery = () => {
    counted.reads++;
  };
  app.db.on('query', onQuery);
  t.teardown(() => {
    instant.joins = joins;
    app.db.off('query', onQuery);
  });
  return counted;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The next midnight in Seoul by the real clock (the database's), at least a minute ahead. */
function nextMidnightInSeoul(): Date {
  return DateTime.now()
    .setZone('Asia/Seoul')
    .plus({ minutes: 1 })
    .startOf('day')
    .plus({ days: 1 })
    .toJSDate();
}

test('a sale that accepts only some ways to verify refuses a join verified another way, as an application is', async (t) => {
  const { app, id, queue } = await saleWith(t, {});
  await app
    .db('campaigns')
    .where({ id })
    .update({ verification_methods: ['portone'] });
  const bySms = await resident(app, null);
  const refused = await app.request('POST', queue, { headers: bySms.headers });
  t.is(refused.status, 403, refused.text);
  t.like(refused.json.error, {
    code: 'verification_not_allowed',
    details: { method: 'sms', allowed: ['portone'] },
  });
  t.is((await places(app, id)).length, 0, 'no place taken');
  // the queue page says it in its words, not an error page
  const page = `/campaigns/${id}/queue`;
  const browser = residentBrowser(app);
  browser.jar.set('resident_session', bySms.token);
  const form = await browser.get(page);
  const onPage = await browser.post(page, { _csrf: hidden(form.text, '_csrf') });
  t.is(onPage.status, 403);
  t.regex(
    onPage.text,
    /id="queue-error">이 사업은 그 방법의 본인 확인을 받지 않습니다/,
    'the queue page again',
  );
  const verified = await resident(app, null, 'ko', 'portone');
  const joined = await app.request('POST', queue, { headers: verified.headers });
  t.is(joined.status, 200, joined.text);
  t.is((await places(app, id)).length, 1);
});
