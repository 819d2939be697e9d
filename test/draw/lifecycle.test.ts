// The draw under stress and after it: killed mid-draw, an aborted transaction, the beacon fetched from a
// local stand-in, awards collected once, unclaimed awards expiring down the waitlist, and bad inputs.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { claimCodeFor, claimKeyAad } from '../../src/commands/claimCodes.js';
import { drawCampaign } from '../../src/commands/drawCampaign.js';
import { secretAad } from '../../src/commands/drawHooks.js';
import { loadRoster } from '../../src/db/repos/roster.js';
import { fromHex, runDraw } from '../../src/domain/draw/index.js';
import { decryptText } from '../../src/identity/crypto.js';
import { createBeaconFetcher } from '../../src/jobs/beacon.js';
import { startDrawWorker } from '../../src/jobs/draw.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import {
  addApplications,
  closeWithBeacon,
  drawContext,
  drawReconciler,
  hours,
  type Scenario,
  scheduledLottery,
} from '../helpers/draw.js';
import { entryArgs } from '../helpers/runScript.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

/** Opens and closes a campaign through the reconciler and records the beacon; returns at the draw time. */
async function closedWithBeacon(s: Scenario, beacon = 'lotto 6/45 of 2026-12-05: 3 11 19 24 38 41') {
  return { ...(await closeWithBeacon(app.db, app.clock, s, beacon)), beacon };
}

async function expectedHash(s: Scenario, beacon: string): Promise<string> {
  const d = await app.db('draws').where({ campaign_id: s.campaignId }).first();
  const c = await app.db('campaigns').where({ id: s.campaignId }).first();
  return runDraw({
    campaign: { id: c.id, title: c.title_ko },
    rules: JSON.parse(d.rules),
    roster: await loadRoster(app.db, s.campaignId),
    secret: fromHex(decryptText(TEST_SECRETS, d.secret_enc, secretAad(s.campaignId))),
    beacon,
  }).results_hash;
}

const awardCount = async (id: string) =>
  Number((await app.db('awards').where({ campaign_id: id }).count('* as n'))[0]!.n);

test.serial(
  'a process killed mid-draw leaves nothing; the next run gives the identical outcome',
  async (t) => {
    const s = await scheduledLottery(app.db, app.clock, { sites: 3, capacity: 20 });
    await addApplications(app.db, s, 200);
    const { ctx, beacon } = await closedWithBeacon(s);
    const child = spawn(
      process.execPath,
      [...entryArgs('test/helpers/drawChild.ts'), app.database.url, s.campaignId, s.drawAt.toISOString()],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('persisted') && resolve());
      child.on('exit', (code) => reject(new Error(`the child exited early (${code})`)));
    });
    // Everything is written inside the child's open transaction, and nothing of it is visible.
    t.is(await awardCount(s.campaignId), 0);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    t.is((await app.db('campaigns').where({ id: s.campaignId }).first()).state, 'closed');
    t.is(await awardCount(s.campaignId), 0);
    t.is((await app.db('draws').where({ campaign_id: s.campaignId }).first()).results_hash, null);

    // An aborted transaction: same story.
    await t.throwsAsync(
      drawCampaign(ctx, s.campaignId, {
        beforeCommit: async () => {
          throw new Error('power cut');
        },
      }),
      { message: 'power cut' },
    );
    t.is(await awardCount(s.campaignId), 0);

    const outcome = await drawCampaign(ctx, s.campaignId);
    t.is(outcome?.results_hash, await expectedHash(s, beacon));
    t.is(await awardCount(s.campaignId), 196);
    t.is(await drawCampaign(ctx, s.campaignId), undefined, 'a second run changes nothing');
    const executed = await app
      .db('audit_log')
      .where({ subject: `campaign:${s.campaignId}`, action: 'draw.executed' });
    t.is(executed.length, 1);
  },
);

test.serial('the reconciler fetches the beacon from BEACON_URL (a local stand-in) and draws', async (t) => {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ round: 1, randomness: 'f00dfeed'.repeat(8) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const s = await scheduledLottery(app.db, app.clock, { kind: 'voucher' });
    await addApplications(app.db, s, 80, { voucher: true });
    const port = (server.address() as AddressInfo).port;
    const ctx = drawContext(app.db, app.clock, {
      fetchBeacon: createBeaconFetcher(`http://127.0.0.1:${port}/public/{closes_at_unix}`, 2000),
    });
    const reconciler = drawReconciler(ctx);
    app.clock.set(s.opensAt);
    await reconciler.runOnce();
    app.clock.set(s.closesAt);
    await reconciler.runOnce();
    t.deepEqual(paths, [], 'nothing is fetched before the draw time');
    app.clock.set(s.drawAt);
    await reconciler.runOnce();
    t.deepEqual(paths, [`/public/${Math.floor(s.closesAt.getTime() / 1000)}`]);
    const d = await app.db('draws').where({ campaign_id: s.campaignId }).first();
    t.is(d.beacon, 'f00dfeed'.repeat(8));
    t.is(d.beacon_recorded_by, 'system:beacon');
    t.is((await app.db('campaigns').where({ id: s.campaignId }).first()).state, 'drawn');
    t.is(d.results_hash, await expectedHash(s, d.beacon));

    // The draw's one fan-out job, run by the real graphile-worker task: every result notice, once.
    const worker = await startDrawWorker(
      app.database.url,
      drawContext(app.db, app.clock),
      createLogger('silent'),
    );
    try {
      const size = d.roster_size as number;
      for (let i = 0; i < 200; i++) {
        const row = await app.db('draws').where({ campaign_id: s.campaignId }).first();
        if (row.notified_through_rank === size) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
    const notices = await app
      .db('messages')
      .where({ campaign_id: s.campaignId })
      .whereLike('dedupe_key', 'result:%');
    t.is(notices.length, d.roster_size);
    const won = notices.find((m) => m.kind === 'result_won');
    t.truthy(won, 'winners are told');
  } finally {
    server.close();
  }
});

test('BEACON_URL answers: not published (404), empty or blank are "not yet"; drand\'s randomness, a beacon field or text are the value', async (t) => {
  const answers: Array<[number, string, string]> = [
    [404, 'application/json', '{"error":"round not found"}'],
    [200, 'application/json', '{"round":7,"randomness":"  "}'],
    [200, 'text/plain', '   '],
    [200, 'application/json; charset=utf-8', '{"randomness":" 0a0b "}'],
    [200, 'application/json', '{"beacon":"lotto 2026-12-05: 3 11 19 27 35 43"}'],
    [200, 'text/plain', 'NIST pulse 1234: 9f8e\n'],
  ];
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const [status, type, body] = answers[seen.length - 1]!;
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const fetchBeacon = createBeaconFetcher(`http://127.0.0.1:${port}/after/{closes_at}`, 2000);
    const closes_at = new Date('2026-12-04T09:00:00Z');
    const got = [];
    for (let i = 0; i < answers.length; i++) got.push(await fetchBeacon({ id: 'c', closes_at }));
    t.deepEqual(got, [
      undefined,
      undefined,
      undefined,
      '0a0b',
      'lotto 2026-12-05: 3 11 19 27 35 43',
      'NIST pulse 1234: 9f8e',
    ]);
    t.is(seen[0], '/after/2026-12-04T09%3A00%3A00.000Z');
  } finally {
    server.close();
  }
});

test.serial(
  'collected exactly once; unclaimed awards expire and pass down the waitlist in rank order',
  async (t) => {
    const s = await scheduledLottery(app.db, app.clock, { sites: 2, capacity: 4 });
    await addApplications(app.db, s, 60);
    const { reconciler } = await closedWithBeacon(s);
    await reconciler.runOnce();
    t.is((await app.db('campaigns').where({ id: s.campaignId }).first()).state, 'drawn');
    const d = await app.db('draws').where({ campaign_id: s.campaignId }).first();
    const key = fromHex(decryptText(TEST_SECRETS, d.claim_key_enc, claimKeyAad(s.campaignId)));
    const awards = await app.db('awards').where({ campaign_id: s.campaignId }).orderBy('rank');
    const winners = awards.filter((a) => a.outcome === 'won');
    const waitlisted = awards.filter((a) => a.outcome === 'waitlisted');
    t.true(winners.length >= 4 && waitlisted.length > 10);
    const appIdOf = async (pid: string) =>
      (await app.db('roster_entries').where({ campaign_id: s.campaignId, public_id: pid }).first())
        .application_id;

    const admin = await app.staff('admin');
    const auditor = await app.staff('auditor');
    const w = winners[0]!;
    const path = `/api/admin/campaigns/${s.campaignId}/awards/${w.public_id}/collect`;
    const wrong = await app.request('POST', path, { as: admin, json: { claim_code: 'AAAAA-AAAAA' } });
    t.is(wrong.status, 422);
    t.is(wrong.json.error.code, 'code_invalid');
    t.is((await app.request('POST', path, { as: auditor, json: {} })).status, 403);
    t.is((await app.request('POST', path, { json: {} })).status, 401);
    const code = claimCodeFor(key, await appIdOf(w.public_id));
    const ok = await app.request('POST', path, { as: admin, json: { claim_code: code.toLowerCase() } });
    t.is(ok.status, 200, ok.text);
    const again = await app.request('POST', path, { as: admin, json: { claim_code: code } });
    t.is(again.status, 409);
    t.is(again.json.error.code, 'already_collected');
    const wl = await app.request(
      'POST',
      `/api/admin/campaigns/${s.campaignId}/awards/${waitlisted[0]!.public_id}/collect`,
      {
        as: admin,
        json: {},
      },
    );
    t.is(wl.json.error.code, 'not_won');
    t.is(
      (
        await app.request('POST', `/api/admin/campaigns/${s.campaignId}/awards/NOPE/collect`, {
          as: admin,
          json: {},
        })
      ).status,
      404,
    );

    // Past the claim deadline every uncollected award expires and passes to the next waitlisted applicant
    // (in rank order) who named the same site.
    app.clock.set(new Date(s.claimOpensAt.getTime() + hours(72)));
    await reconciler.runOnce();
    const after = await app.db('awards').where({ campaign_id: s.campaignId }).orderBy('rank');
    const expired = after.filter((a) => a.status === 'expired');
    const promoted = after.filter((a) => a.status === 'promoted');
    t.is(expired.length, winners.length - 1);
    t.is(after.find((a) => a.public_id === w.public_id)!.status, 'collected');
    t.true(promoted.length > 0 && promoted.length <= expired.length);
    const prefs = new Map(
      (await app.db('roster_entries').where({ campaign_id: s.campaignId })).map((r) => [
        r.public_id,
        r.preferences,
      ]),
    );
    for (const p of promoted) {
      t.true(prefs.get(p.public_id).includes(p.held_site));
      // nobody still waiting who named that site ranks above a promoted applicant
      const skipped = after.filter(
        (a) => a.status === 'waitlisted' && a.rank < p.rank && prefs.get(a.public_id).includes(p.held_site),
      );
      t.deepEqual(skipped, []);
    }
    const actions = (await app.db('audit_log').where({ subject: `campaign:${s.campaignId}` })).map(
      (r) => r.action,
    );
    t.is(actions.filter((a) => a === 'award.expired').length, expired.length);
    t.is(actions.filter((a) => a === 'award.promoted').length, promoted.length);
    t.is(actions.filter((a) => a === 'award.collected').length, 1);
    const kinds = (await app.db('messages').where({ campaign_id: s.campaignId })).map((m) => m.kind);
    t.is(kinds.filter((k) => k === 'promoted').length, promoted.length);
    t.is(kinds.filter((k) => k === 'award_expired').length, expired.length);

    // A promoted applicant collects with their own code; a second pass changes nothing.
    const p0 = promoted[0]!;
    const pc = claimCodeFor(key, await appIdOf(p0.public_id));
    const admin2 = await app.staff('admin'); // sessions last 8 hours of the stepped clock
    const pok = await app.request(
      'POST',
      `/api/admin/campaigns/${s.campaignId}/awards/${p0.public_id}/collect`,
      {
        as: admin2,
        json: { claim_code: pc },
      },
    );
    t.is(pok.status, 200);
    t.is(pok.json.collected.site, p0.held_site);
    await reconciler.runOnce();
    t.is(
      (await app.db('awards').where({ campaign_id: s.campaignId, status: 'expired' })).length,
      expired.length,
    );
  },
);

test.serial('bad inputs get clear errors and change nothing', async (t) => {
  const s = await scheduledLottery(app.db, app.clock, { kind: 'voucher' });
  const admin = await app.staff('admin');
  const site = await app.staff('auditor');
  const unknown = '00000000-0000-4000-8000-000000000000';
  const b = await app.request('POST', `/api/admin/campaigns/${unknown}/beacon`, {
    as: admin,
    json: { beacon: 'x' },
  });
  t.is(b.status, 404);
  t.is(b.json.error.code, 'not_found');
  t.is(
    (
      await app.request('POST', `/api/admin/campaigns/${s.campaignId}/beacon`, {
        as: site,
        json: { beacon: 'x' },
      })
    ).status,
    403,
  );
  t.is(
    (await app.request('POST', `/api/admin/campaigns/${s.campaignId}/beacon`, { json: { beacon: 'x' } }))
      .status,
    401,
  );
  const empty = await app.request('POST', `/api/admin/campaigns/${s.campaignId}/beacon`, {
    as: admin,
    json: { beacon: '  ' },
  });
  t.is(empty.status, 422);
  t.is(empty.json.error.code, 'validation_failed');
  const early = await app.request('POST', `/api/admin/campaigns/${s.campaignId}/beacon`, {
    as: admin,
    json: { beacon: 'x' },
  });
  t.is(early.json.error.code, 'beacon_too_early');
  t.is((await app.request('GET', `/api/campaigns/${unknown}/audit`)).status, 404);
  t.is((await app.request('GET', `/api/campaigns/not-a-uuid/bundle.json`)).status, 404);
  t.is((await app.request('GET', `/api/campaigns/${s.campaignId}/bundle.json`)).json.error.code, 'not_found');
  t.is((await app.request('GET', `/api/campaigns/${s.campaignId}/receipts/ABC`)).status, 404);
  t.is((await app.request('GET', `/api/campaigns/${s.campaignId}/results/a%20b`)).status, 404);
  t.is(await app.db('draws').where({ campaign_id: s.campaignId }).first(), undefined);
  const audit = await app
    .db('audit_log')
    .where({ subject: `campaign:${s.campaignId}` })
    .whereLike('action', 'draw.%');
  t.deepEqual(audit, []);
});
