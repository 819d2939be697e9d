// The beacon named at the opening: a campaign's own beacon source wins over BEACON_SOURCE; without one, the
// configured wording is used with the campaign's closing time filled in. Published on the audit API and audited.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { drawContext, drawReconciler, scheduledLottery } from '../helpers/draw.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

test.serial('a campaign’s own beacon source is published over BEACON_SOURCE', async (t) => {
  const own = await scheduledLottery(app.db, app.clock, { kind: 'voucher' });
  const lotto = '동행복권 로또 6/45 제1150회 당첨번호 (2026-12-05 추첨)';
  await app.db('campaigns').where({ id: own.campaignId }).update({ beacon_source: lotto });
  const plain = await scheduledLottery(app.db, app.clock, { kind: 'voucher' });
  const reconciler = drawReconciler(
    drawContext(app.db, app.clock, { beaconSource: 'drand quicknet: the first round after {closes_at}' }),
  );
  app.clock.set(own.opensAt);
  await reconciler.runOnce();

  const published = async (id: string) =>
    (await app.request('GET', `/api/campaigns/${id}/audit`)).json.draw.beacon_source as string;
  t.is(await published(own.campaignId), lotto);
  t.is(
    await published(plain.campaignId),
    `drand quicknet: the first round after ${plain.closesAt.toISOString()}`,
  );
  const committed = await app
    .db('audit_log')
    .where({ subject: `campaign:${own.campaignId}`, action: 'draw.committed' })
    .first();
  t.is(committed.data.beacon_source, lotto, 'the opening’s audit entry names the same beacon');
});
