// Checked end to end: while a due draw's beacon is missing admins are alerted (one audit
// entry, the metric, a banner on the admin's first page and on the draw page) and it clears after the draw;
// winners' notices carry the site, its address, the pickup time and their claim code, by SMS and email.
import test from 'ava';
import { claimKeyOf } from '../../src/commands/awardNotices.js';
import { claimCodeFor } from '../../src/commands/claimCodes.js';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { encryptText } from '../../src/identity/crypto.js';
import { beaconMissingGauge } from '../../src/jobs/beacon.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { addApplications, drawContext, drawReconciler, hours, scheduledLottery } from '../helpers/draw.js';
import { appIdOf, awardsOf, drawnLottery } from './_scenario.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const html = { accept: 'text/html' };

test.serial(
  'admins are alerted while a due draw has no beacon, and the alert clears after the draw',
  async (t) => {
    const s = await scheduledLottery(app.db, app.clock, { kind: 'voucher' });
    await addApplications(app.db, s, 30, { voucher: true });
    const ctx = drawContext(app.db, app.clock, { metrics: beaconMissingGauge(app.deps.metrics) });
    const reconciler = drawReconciler(ctx);
    app.clock.set(s.opensAt);
    await reconciler.runOnce();
    app.clock.set(s.closesAt);
    await reconciler.runOnce();
    const metric = async () => {
      const text = (await app.request('GET', '/metrics')).text;
      return new RegExp(`draw_beacon_missing\\{campaign="${s.campaignId}"\\} (\\d)`).exec(text)?.[1];
    };
    const link = `/admin/campaigns/${s.campaignId}/draw`;
    let admin = await app.staff('admin');
    t.false((await app.request('GET', '/admin', { as: admin, headers: html })).text.includes(link));

    app.clock.set(new Date(s.drawAt.getTime() + 1000));
    await reconciler.runOnce();
    app.clock.advance(hours(1));
    await reconciler.runOnce();
    admin = await app.staff('admin');
    const audit = await app
      .db('audit_log')
      .where({ subject: `campaign:${s.campaignId}`, action: 'draw.beacon_missing' });
    t.is(audit.length, 1, 'one audit entry, however many passes');
    t.is(await metric(), '1');
    const home = await app.request('GET', '/admin', { as: admin, headers: html });
    t.is(home.status, 200);
    t.true(home.text.includes(`href="${link}"`), "the admin's first page links to the draw held up");
    t.regex(home.text, /role="alert"/);
    const page = await app.request('GET', link, { as: admin, headers: html });
    t.regex(page.text, /class="banner warning" role="alert"/);

    const rec = await app.request('POST', `/api/admin/campaigns/${s.campaignId}/beacon`, {
      as: admin,
      json: { beacon: 'abc1'.repeat(16) }, // a drand round's randomness, as its source names
    });
    t.is(rec.status, 201);
    await reconciler.runOnce();
    t.is((await app.db('campaigns').where({ id: s.campaignId }).first()).state, 'drawn');
    t.is(await metric(), '0');
    t.false(
      (await app.request('GET', '/admin', { as: admin, headers: html })).text.includes(`href="${link}"`),
    );
  },
);

test.serial("winners' notices name the site, its address, the pickup time and the claim code", async (t) => {
  const { s, env } = await drawnLottery(app);
  // Half the applicants gave a phone number: both channels, both languages.
  const apps = await app.db('applications').where({ campaign_id: s.campaignId }).orderBy('public_id');
  for (const [i, a] of apps.entries()) {
    if (i % 2 === 0) continue;
    await app
      .db('applications')
      .where({ id: a.id })
      .update({
        contact_channel: 'sms',
        contact_enc: encryptText(TEST_SECRETS, `+8210${String(10_000_000 + i)}`, 'contact'),
      });
  }
  await fanOutResults(env, s.campaignId);
  const key = await claimKeyOf(app.db, env, s.campaignId);
  const sites = new Map((await app.db('sites').whereIn('id', s.siteIds)).map((r) => [r.id, r]));
  const times = new Map([
    [`${s.siteIds[0]}-S1`, '2026-12-03 12:00'],
    [`${s.siteIds[1]}-S1`, '2026-12-03 12:00'],
    [`${s.siteIds[0]}-S2`, '2026-12-03 14:00'],
    [`${s.siteIds[1]}-S2`, '2026-12-03 14:00'],
  ]);
  const winners = (await awardsOf(app.db, s.campaignId)).filter((a) => a.outcome === 'won');
  const seen = new Set<string>();
  for (const w of winners) {
    const appId = await appIdOf(app.db, s.campaignId, w.public_id);
    const m = await app
      .db('messages')
      .where({ campaign_id: s.campaignId, dedupe_key: `result:${appId}` })
      .first();
    t.is(m.kind, 'result_won');
    seen.add(`${m.channel}/${m.lang}`);
    const site = sites.get(w.site)!;
    for (const part of [
      m.lang === 'ko' ? site.name_ko : site.name_en,
      site.address,
      times.get(w.slot)!,
      claimCodeFor(key, appId),
      // the winner's own page, and what to bring to the counter
      `http://127.0.0.1/campaigns/${s.campaignId}/application`,
      m.lang === 'ko' ? '신분증' : 'Photo ID',
    ]) {
      t.true(
        m.body.includes(part),
        `${m.channel}/${m.lang} notice of ${w.public_id} lacks "${part}":\n${m.body}`,
      );
    }
  }
  t.true(seen.has('sms/ko') && seen.has('email/ko'), [...seen].join(' '));
});
