// POST /api/admin/campaigns/:id/purge-contacts over HTTP: admins only, only after the campaign is over,
// audited; contact details are gone while the applications (and their public ids) stay for the audit.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

async function campaignWithApplicants(n: number) {
  const c = await openVoucherCampaign(app);
  for (let i = 0; i < n; i++) {
    const r = await verifyResident(app);
    const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: r.headers,
      json: { amount: 10_000 },
    });
    if (res.status !== 201) throw new Error(res.text);
  }
  return c;
}

const purgePath = (id: string) => `/api/admin/campaigns/${id}/purge-contacts`;

test('an admin purges a finished campaign: contacts gone, applications kept, one audit entry', async (t) => {
  const c = await campaignWithApplicants(2);
  const before = await app.db('applications').where({ campaign_id: c.id }).orderBy('public_id');
  t.true(before.every((a) => a.contact_enc !== null));
  await app.db('campaigns').where({ id: c.id }).update({ state: 'finished' });

  const admin = await app.staff('admin');
  const res = await app.request('POST', purgePath(c.id), { as: admin });
  t.is(res.status, 200, res.text);
  t.deepEqual(res.json.purged, { applications: 2, identities: 2 });

  const after = await app.db('applications').where({ campaign_id: c.id }).orderBy('public_id');
  t.deepEqual(
    after.map((a) => [a.public_id, a.status, Number(a.request)]),
    before.map((a) => [a.public_id, a.status, Number(a.request)]),
  );
  t.true(after.every((a) => a.contact_enc === null));
  const ids = after.map((a) => a.identity_id);
  const people = await app.db('identities').whereIn('id', ids);
  t.is(people.length, 2, 'identities stay (the one-per-person key); only their contact details go');
  t.true(people.every((p) => p.phone_enc === null && p.email_enc === null));

  const audit = await app
    .db('audit_log')
    .where({ action: 'campaign.contacts_purged', subject: `campaign:${c.id}` });
  t.is(audit.length, 1);
  t.is(audit[0].actor, `staff:${admin.id}`);
  t.deepEqual(audit[0].data, { applications: 2, identities: 2 });

  // Again: nothing left to clear, still audited as an action.
  const again = await app.request('POST', purgePath(c.id), { as: admin });
  t.deepEqual(again.json.purged, { applications: 0, identities: 0 });
});

test('a person still in a running campaign keeps their contact details on that campaign', async (t) => {
  const over = await openVoucherCampaign(app);
  const running = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  for (const c of [over, running]) {
    await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: r.headers,
      json: { amount: 10_000 },
    });
  }
  await app.db('campaigns').where({ id: over.id }).update({ state: 'cancelled' });
  const admin = await app.staff('admin');
  const res = await app.request('POST', purgePath(over.id), { as: admin });
  t.deepEqual(res.json.purged, { applications: 1, identities: 0 });
  const kept = await app.db('applications').where({ campaign_id: running.id }).first();
  t.not(kept.contact_enc, null);
});

test('refusals change nothing: wrong roles, no session, a running campaign, an unknown campaign', async (t) => {
  const c = await campaignWithApplicants(1);
  const snapshot = async () => ({
    contacts: (await app.db('applications').where({ campaign_id: c.id })).map((a) => a.contact_enc),
    audit: Number(
      (
        await app
          .db('audit_log')
          .where({ action: 'campaign.contacts_purged', subject: `campaign:${c.id}` })
          .count('* as n')
      )[0]!.n,
    ),
  });
  const before = await snapshot();

  // still open: kept until the campaign is over
  const admin = await app.staff('admin');
  const early = await app.request('POST', purgePath(c.id), { as: admin });
  t.is(early.status, 409);
  t.is(early.json.error.code, 'invalid_transition');

  await app.db('campaigns').where({ id: c.id }).update({ state: 'finished' });
  for (const role of ['auditor', 'site_staff'] as const) {
    const who = await app.staff(role, role === 'site_staff' ? { site_id: await aSite() } : {});
    const res = await app.request('POST', purgePath(c.id), { as: who });
    t.is(res.status, 403, role);
    t.is(res.json.error.code, 'forbidden', role);
  }
  const anonymous = await app.request('POST', purgePath(c.id));
  t.is(anonymous.status, 401);
  const resident = await verifyResident(app);
  const asResident = await app.request('POST', purgePath(c.id), { headers: resident.headers });
  t.is(asResident.status, 401, 'a resident token is not a staff session');

  const unknown = await app.request('POST', purgePath('00000000-0000-4000-8000-000000000000'), { as: admin });
  t.is(unknown.status, 404);
  t.is(unknown.json.error.code, 'not_found');
  const malformed = await app.request('POST', purgePath('not-a-uuid'), { as: admin });
  t.is(malformed.status, 404);

  t.deepEqual(await snapshot(), before);
});

async function aSite(): Promise<string> {
  await app
    .db('sites')
    .insert({ id: 'PURGE-SITE', name_ko: '약국', name_en: 'Pharmacy', district: '중구', address: '1' })
    .onConflict('id')
    .ignore();
  return 'PURGE-SITE';
}
