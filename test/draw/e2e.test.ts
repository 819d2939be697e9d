// End to end: a campaign with a few hundred applications is opened, closed and drawn by the reconciler on a
// stepped clock; the bundle from the audit API verifies with `npm run verify` and equals runDraw's bytes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { drawCampaign } from '../../src/commands/drawCampaign.js';
import { secretAad } from '../../src/commands/drawHooks.js';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import {
  bundleJson,
  fromHex,
  type RosterEntry,
  runDraw,
  seedCommitment,
  verifyBundle,
  verifyReceipt,
} from '../../src/domain/draw/index.js';
import { decryptText } from '../../src/identity/crypto.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { addApplications, drawContext, drawReconciler, scheduledLottery } from '../helpers/draw.js';
import { entryArgs } from '../helpers/runScript.js';

const run = promisify(execFile);
let app: TestApp;

test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const auditActions = async (id: string) =>
  (
    await app
      .db('audit_log')
      .where({ subject: `campaign:${id}` })
      .orderBy('seq')
  ).map((r) => r.action as string);

test.serial(
  'opened, closed and drawn by the reconciler; the bundle verifies and equals runDraw',
  async (t) => {
    const db = app.db;
    const clock = app.clock;
    const s = await scheduledLottery(db, clock, { sites: 4, capacity: 40 });
    await addApplications(db, s, 300);
    const ctx = drawContext(db, clock);
    const reconciler = drawReconciler(ctx);
    // Staff sessions last 8 hours of the stepped clock: sign in again after each jump.
    let admin = await app.staff('admin');

    // Before the opening nothing is committed.
    let audit = await app.request('GET', `/api/campaigns/${s.campaignId}/audit`);
    t.is(audit.status, 200);
    t.is(audit.json.draw, null);

    clock.set(s.opensAt);
    await reconciler.runOnce();
    audit = await app.request('GET', `/api/campaigns/${s.campaignId}/audit`);
    t.is(audit.json.campaign.state, 'open');
    const commitment = audit.json.draw.seed_commitment as string;
    t.regex(commitment, /^[0-9a-f]{64}$/);
    t.regex(audit.json.draw.beacon_source, /drand quicknet: the first round after \d{4}-/);
    t.is(audit.json.draw.secret, null);
    t.is(audit.json.draw.roster_root, null);
    const secretEnc = (await db('draws').where({ campaign_id: s.campaignId }).first()).secret_enc as string;

    // A beacon before the close is refused and changes nothing.
    const early = await app.request('POST', `/api/admin/campaigns/${s.campaignId}/beacon`, {
      as: admin,
      json: { beacon: 'too early' },
    });
    t.is(early.status, 409);
    t.is(early.json.error.code, 'beacon_too_early');

    clock.set(s.closesAt);
    await reconciler.runOnce();
    audit = await app.request('GET', `/api/campaigns/${s.campaignId}/audit`);
    t.is(audit.json.campaign.state, 'closed');
    const active = await db('applications')
      .where({ campaign_id: s.campaignId, status: 'active' })
      .count('* as n');
    t.is(audit.json.draw.roster_size, Number(active[0]!.n));
    t.regex(audit.json.draw.roster_root, /^[0-9a-f]{64}$/);

    // Every receipt carries an inclusion proof that verifies against the published root.
    const someIds = await db('roster_entries')
      .where({ campaign_id: s.campaignId })
      .orderBy('idx')
      .pluck('public_id');
    // The close stores the Merkle levels from 4 up and a receipt recomputes the lower ones from its block of
    // 16 entries: the first blocks, the last (partial) ones and a stride through the rest cover every shape.
    const n = someIds.length;
    t.true(n % 16 !== 0 && n > 64, `a roster of ${n} ends in a partial block`);
    const picked = someIds.filter((_, i) => i < 34 || i >= n - 34 || i % 13 === 0);
    for (const pid of picked) {
      const r = await app.request('GET', `/api/campaigns/${s.campaignId}/receipts/${pid}`);
      t.is(r.status, 200);
      t.is(r.json.roster_root, audit.json.draw.roster_root);
      t.true(verifyReceipt(r.json).ok, `receipt of ${pid}`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draw-e2e-'));
    const receipt = await app.request('GET', `/api/campaigns/${s.campaignId}/receipts/${someIds[5]}`);
    fs.writeFileSync(path.join(dir, 'receipt.json'), receipt.text);
    const rv = await run('node', [
      ...entryArgs('scripts/verify.ts'),
      '--receipt',
      path.join(dir, 'receipt.json'),
    ]);
    t.is(rv.stdout.trim(), 'match');
    const tampered = {
      ...receipt.json,
      entry: { ...receipt.json.entry, request: receipt.json.entry.request + 1 },
    };
    t.false(verifyReceipt(tampered).ok);

    // The draw time comes without a beacon: no draw, one audit entry, a status admins see.
    clock.set(s.drawAt);
    await reconciler.runOnce();
    clock.advance(1000);
    await reconciler.runOnce();
    admin = await app.staff('admin');
    t.is((await db('campaigns').where({ id: s.campaignId }).first()).state, 'closed');
    t.is((await auditActions(s.campaignId)).filter((a) => a === 'draw.beacon_missing').length, 1);
    const status = await app.request('GET', `/api/admin/campaigns/${s.campaignId}/draw`, { as: admin });
    t.truthy(status.json?.beacon_missing_since, `${status.status} ${status.text}`);
    t.is((await db('awards').where({ campaign_id: s.campaignId }).count('* as n'))[0]!.n, 0);

    // the randomness of a drand quicknet round, as the source named at the opening says
    const beacon = '5a1f0c3e9b7d2846'.repeat(4);
    const rec = await app.request('POST', `/api/admin/campaigns/${s.campaignId}/beacon`, {
      as: admin,
      json: { beacon },
    });
    t.is(rec.status, 201);
    const twice = await app.request('POST', `/api/admin/campaigns/${s.campaignId}/beacon`, {
      as: admin,
      json: { beacon: 'another' },
    });
    t.is(twice.status, 409);
    t.is(twice.json.error.code, 'beacon_already_recorded');

    clock.advance(1000);
    await reconciler.runOnce();
    audit = await app.request('GET', `/api/campaigns/${s.campaignId}/audit`);
    t.is(audit.json.campaign.state, 'drawn');
    t.is(audit.json.draw.beacon, beacon);
    t.is(
      seedCommitment(fromHex(audit.json.draw.secret)),
      commitment,
      'the revealed secret matches the commitment',
    );
    // Until the reveal the secret was stored sealed: only DATA_KEY opens it, and it does not show through.
    const secret = audit.json.draw.secret as string;
    t.is(decryptText(TEST_SECRETS, secretEnc, secretAad(s.campaignId)), secret);
    for (const form of [
      secret,
      Buffer.from(secret, 'hex').toString('base64url'),
      Buffer.from(secret, 'hex').toString('base64'),
    ])
      t.false(secretEnc.includes(form), 'the stored secret is sealed');

    // The bundle: streamed from the tables, byte-equal to runDraw on the same inputs, verified by the CLI.
    const bundleRes = await fetch(`${app.url}/api/campaigns/${s.campaignId}/bundle.json`);
    t.is(bundleRes.status, 200);
    const text = await bundleRes.text();
    t.false(/@test\.example|applicant\d/.test(text), 'no personal data in the bundle');
    const active2 = await db('applications')
      .where({ campaign_id: s.campaignId, status: 'active' })
      .orderBy('created_at', 'desc');
    const roster: RosterEntry[] = active2.map((a) => ({
      public_id: a.public_id,
      group: a.group_name,
      weight: a.weight,
      request: Number(a.request),
      preferences: a.preferences,
    }));
    const c = await db('campaigns').where({ id: s.campaignId }).first();
    const expected = runDraw({
      campaign: { id: c.id, title: c.title_ko },
      rules: audit.json.draw.rules,
      roster,
      secret: fromHex(audit.json.draw.secret),
      beacon,
    });
    t.is(text, bundleJson(expected));
    t.true(verifyBundle(JSON.parse(text)).ok);
    fs.writeFileSync(path.join(dir, 'bundle.json'), text);
    const v = await run('npm', ['run', '--silent', 'verify', '--', path.join(dir, 'bundle.json')]);
    t.is(v.stdout.trim(), 'match');

    // Counts and a lookup by public id.
    const counts = audit.json.counts.by_outcome_and_group as Array<{ outcome: string; count: number }>;
    t.is(
      counts.reduce((n, x) => n + x.count, 0),
      expected.results.length,
    );
    const one = expected.results[3]!;
    const look = await app.request('GET', `/api/campaigns/${s.campaignId}/results/${one.public_id}`);
    t.is(look.json.result.rank, one.rank);
    t.is(look.json.result.outcome, one.outcome);

    // Running it again changes nothing.
    t.is(await drawCampaign(ctx, s.campaignId), undefined);
    clock.advance(1000);
    await reconciler.runOnce();
    t.is((await auditActions(s.campaignId)).filter((a) => a === 'draw.executed').length, 1);
    t.is(
      (await app.request('GET', `/api/campaigns/${s.campaignId}/audit`)).json.draw.results_hash,
      expected.results_hash,
    );

    // Results reach people: one job was enqueued by the draw; the fan-out sends in batches, once.
    const jobs = await db.raw(
      "SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'draw_results_fanout'",
    );
    t.is(jobs.rows[0].n, 1);
    const env = { db, clock, secrets: TEST_SECRETS, publicUrl: 'http://127.0.0.1' };
    const first = await fanOutResults(env, s.campaignId, { batchSize: 64 });
    t.is(first.notices, expected.results.length);
    t.true(first.batches >= 4);
    await db('draws').where({ campaign_id: s.campaignId }).update({ notified_through_rank: 0 }); // a retried job
    const again = await fanOutResults(env, s.campaignId, { batchSize: 64 });
    t.is(again.notices, expected.results.length);
    const msgs = await db('messages')
      .where({ campaign_id: s.campaignId })
      .whereLike('dedupe_key', 'result:%');
    t.is(msgs.length, expected.results.length, 'dedupe keys: a retry sends nothing twice');
    const kinds = new Set(msgs.map((m) => m.kind));
    t.deepEqual([...kinds].sort(), ['result_waitlisted', 'result_won']);
    const wonMsg = msgs.find((m) => m.kind === 'result_won' && m.lang === 'ko');
    t.regex(wonMsg.body, /[0-9A-Z]{5}-[0-9A-Z]{5}/, 'the winner notice carries a claim code');
    fs.rmSync(dir, { recursive: true, force: true });
  },
);
