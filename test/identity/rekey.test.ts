// The re-keying migration on stored data with collisions, then what admins see: flags, and restricted-group lists
// imported as keyed hashes.
import { randomBytes, randomUUID } from 'node:crypto';
import test from 'ava';
import { up as rekey } from '../../migrations/20261203100600_rekey_identities.js';
import { contactHash, identityKey } from '../../src/identity/crypto.js';
import { type StaffAuth, startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

let app: TestApp;
let admin: StaffAuth;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

/** An identity as stored before re-keying: keyed by HMAC(phone|birth date), with the phone's lookup hash. */
async function legacyIdentity(phone: string, method = 'sms', createdAt = new Date()) {
  const [row] = await app
    .db('identities')
    .insert({
      identity_key: identityKey(TEST_SECRETS, `phone:${phone}|${randomBytes(4).toString('hex')}`),
      method,
      phone_hash: contactHash(TEST_SECRETS, phone),
      created_at: createdAt,
    })
    .returning('id');
  return row.id as string;
}

async function legacyApplication(campaignId: string, identityId: string) {
  const public_id = `A${randomBytes(5)
    .toString('hex')
    .toUpperCase()
    .slice(0, 9)
    .replace(/[ILOU]/g, '0')}`;
  await app.db('applications').insert({
    id: randomUUID(),
    campaign_id: campaignId,
    identity_id: identityId,
    public_id,
    channel: 'web',
    request: 10_000,
  });
  return public_id;
}

test.serial(
  're-keying joins identities of one phone, keeps every application, flags collisions',
  async (t) => {
    const c = await openVoucherCampaign(app);
    const d = await openVoucherCampaign(app);
    const p = '+821055511111';
    const q = '+821055522222';
    const [p1, p2, p3] = [
      await legacyIdentity(p, 'sms', new Date('2026-11-01T00:00:00Z')),
      await legacyIdentity(p, 'sms', new Date('2026-11-02T00:00:00Z')),
      await legacyIdentity(p, 'oidc', new Date('2026-11-03T00:00:00Z')),
    ];
    const kept = await legacyApplication(c.id, p1);
    const second = await legacyApplication(c.id, p2);
    const third = await legacyApplication(c.id, p3);
    // Distinct creation times: the person is the oldest identity (ties by id), and two made in the same
    // millisecond made the survivor a coin toss between random ids (a CI failure on 881a58a).
    const [q1, q2] = [
      await legacyIdentity(q, 'sms', new Date('2026-11-01T00:00:00Z')),
      await legacyIdentity(q, 'sms', new Date('2026-11-02T00:00:00Z')),
    ];
    const qc = await legacyApplication(c.id, q1);
    const qd = await legacyApplication(d.id, q2);
    const before = await app.db('applications').count<{ n: number }[]>('* as n');

    await app.db.transaction((trx) => rekey(trx));

    t.deepEqual(await app.db('applications').count<{ n: number }[]>('* as n'), before, 'no application lost');
    const owner = async (publicId: string) =>
      (await app.db('applications').where({ public_id: publicId }).first()).identity_id;
    t.is(await owner(kept), p1);
    t.is(await owner(second), p2, 'a colliding application stays with its identity');
    t.is(await owner(third), p3);
    t.is(await owner(qc), q1);
    t.is(await owner(qd), q1, 'an application that does not collide moves to the person');
    const merged = await app.db('identities').whereIn('id', [p2, p3, q2]).select('id', 'merged_into');
    t.deepEqual(Object.fromEntries(merged.map((m) => [m.id, m.merged_into])), {
      [p2]: p1,
      [p3]: p1,
      [q2]: q1,
    });
    const flags = await app.db('identity_flags').where({ campaign_id: c.id });
    t.is(flags.length, 2);
    t.true(flags.every((f) => f.identity_id === p1 && f.reason === 'same_phone'));
    const audit = await app
      .db('audit_log')
      .where({ action: 'identity.flagged', subject: `campaign:${c.id}` });
    t.is(audit.length, 2);
    t.deepEqual(audit.map((a) => a.data.other).sort(), [second, third].sort());

    // A third attempt from the same phone is the person who already applied: the kept receipt comes back.
    const r = await verifyResident(app, { phone: '010-5551-1111', birth_date: '19990101' });
    const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: r.headers,
      json: { amount: 10_000 },
    });
    t.is(res.json.error.code, 'duplicate_application', res.text);
    t.is(res.json.error.details.receipt.public_id, kept);

    // Admins see the pair, by public id only.
    const page = await app.request('GET', '/admin/identities/flags', { as: admin });
    t.is(page.status, 200);
    t.true(page.text.includes(second) && page.text.includes(kept));
    t.true(page.text.includes(c.title_ko) && !page.text.includes(c.title_en));
    const en = await app.request('GET', '/admin/identities/flags?lang=en', { as: admin });
    t.true(en.text.includes(c.title_en) && en.text.includes(kept), 'the campaign by its English title');
    const api = await app.request('GET', '/api/admin/identity-flags', { as: admin });
    t.true(api.json.flags.some((f: { other: { public_id: string } }) => f.other.public_id === third));
  },
);

test.serial('a restricted group list is imported as keyed hashes; a bad line changes nothing', async (t) => {
  const c = await openVoucherCampaign(app, {
    groups: [{ name: 'basic', name_ko: '기초생활수급자', reserved: 0, weight: 2, check: 'list' }],
  });
  const url = `/api/admin/campaigns/${c.id}/groups/basic/list`;
  const bad = await app.request('POST', url, {
    as: admin,
    json: { csv: 'phone\n010-5553-0001\nnot a phone\n' },
  });
  t.is(bad.status, 422);
  t.regex(bad.json.error.fields.csv, /Line 3/);
  t.is((await app.db('group_members').where({ campaign_id: c.id })).length, 0);
  const ok = await app.request('POST', url, {
    as: admin,
    json: { csv: 'phone\n010-5553-0001\n+82 10-5553-0002\n' },
  });
  t.is(ok.status, 200, ok.text);
  t.is(ok.json.members, 2);
  const stored = JSON.stringify(await app.db('group_members').where({ campaign_id: c.id }));
  t.false(stored.includes('5553'));
  const auditor = await app.staff('auditor');
  t.is((await app.request('POST', url, { as: auditor, json: { csv: 'phone\n010-5553-0003' } })).status, 403);
  const page = await app.request('GET', `/admin/campaigns/${c.id}/groups`, { as: admin });
  t.is(page.status, 200);
  t.regex(page.text, /기초생활수급자/);
  const listed = await verifyResident(app, { phone: '010-5553-0002' });
  const applied = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: listed.headers,
    json: { amount: 10_000, group: 'basic' },
  });
  t.is(applied.status, 201, applied.text);
});
