// The waiting room's rules are part of preparing a sale: an operator reads and sets them while the campaign is
// still a draft; they stand when it is scheduled (the room's commitment made then is kept), and they are fixed
// once the pre-queue opens. Other modes have no room, and a draft's sale is not public.
import test from 'ava';
import { buildVoucherCampaign } from '../helpers/factories.js';
import { buyers, draftSale, instantWorld, scheduledSale } from '../helpers/instant.js';

const rules = {
  prequeue_minutes: 45,
  admit_per_second: 50,
  max_active: 300,
  token_seconds: 90,
  hold_seconds: 900,
  overbook_percent: 10,
};

test('a draft instant sale’s room rules can be read and set, and stand once it is scheduled', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const admin = await app.staff('admin');
  const made = await draftSale(app, admin);
  t.is(made.status, 201, made.text);
  const c = made.json.campaign;
  t.is(c.state, 'draft');
  const roomUrl = `/api/admin/campaigns/${c.id}/instant-room`;

  const before = await app.request('GET', roomUrl, { as: admin });
  t.is(before.status, 200, before.text);
  t.deepEqual(before.json.rules, {
    prequeue_minutes: 30,
    admit_per_second: 500,
    max_active: 2000,
    token_seconds: 120,
    hold_seconds: 600,
    overbook_percent: 0,
  });
  const set = await app.request('PUT', roomUrl, { as: admin, json: rules });
  t.is(set.status, 200, set.text);
  t.deepEqual(set.json.rules, rules);
  t.deepEqual((await app.request('GET', roomUrl, { as: admin })).json.rules, rules);
  const again = await app.request('PUT', roomUrl, { as: admin, json: { ...rules, admit_per_second: 60 } });
  t.is(again.status, 200, 'still a draft: still editable');
  t.is((await app.request('GET', `/api/campaigns/${c.id}/sale`)).status, 404, 'a draft is not public');
  const audited = await app
    .db('audit_log')
    .where({ subject: `campaign:${c.id}`, action: 'instant.rules_changed' });
  t.is(audited.length, 2);

  const scheduled = await app.request('POST', `/api/admin/campaigns/${c.id}/schedule`, {
    as: admin,
    json: {},
  });
  t.is(scheduled.status, 200, scheduled.text);
  const room = await app.db('instant_rooms').where({ campaign_id: c.id }).first();
  await tick(); // the reconciler's pass finds the room made, and keeps it
  const sale = await app.request('GET', `/api/campaigns/${c.id}/sale`);
  t.is(sale.status, 200, sale.text);
  t.deepEqual(sale.json.sale.rules, { ...rules, admit_per_second: 60 });
  t.is(sale.json.sale.seed_commitment, room.seed_commitment);

  // Fixed once the pre-queue opens (45 minutes before the sale, by these rules).
  app.clock.set(new Date(new Date(c.opens_at).getTime() - 44 * 60_000));
  const late = await app.request('PUT', roomUrl, { as: admin, json: rules });
  t.is(late.status, 409, late.text);
  t.is(late.json.error.code, 'campaign_not_editable');
  t.false((await app.request('GET', roomUrl, { as: admin })).json.editable);
  // Taken back to draft with someone already waiting: still fixed, for they joined under these rules.
  await app.db('instant_queue').insert({
    campaign_id: c.id,
    identity_id: crypto.randomUUID(),
    ticket: 'waiting-1',
    joined_at: app.clock.now(),
    pre: true,
  });
  const back = await app.request('POST', `/api/admin/campaigns/${c.id}/unschedule`, { as: admin, json: {} });
  t.is(back.json.campaign.state, 'draft', back.text);
  const waited = await app.request('PUT', roomUrl, { as: admin, json: rules });
  t.is(waited.status, 409, waited.text);
});

test('a lottery has no waiting room: its rules are not found', async (t) => {
  const { app } = await instantWorld();
  t.teardown(() => app.close());
  const admin = await app.staff('admin');
  const made = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now()),
  });
  const roomUrl = `/api/admin/campaigns/${made.json.campaign.id}/instant-room`;
  for (const method of ['GET', 'PUT']) {
    const r = await app.request(method, roomUrl, { as: admin, ...(method === 'PUT' ? { json: rules } : {}) });
    t.is(r.status, 404, `${method}: ${r.text}`);
    t.is(r.json.error.code, 'not_found');
  }
  t.is((await app.db('instant_rooms')).length, 0);
});

test('a resident cannot join a draft’s queue, and the attempt makes no room', async (t) => {
  const { app } = await instantWorld();
  t.teardown(() => app.close());
  const admin = await app.staff('admin');
  const body = buildVoucherCampaign(app.clock.now(), { mode: 'instant', total: 10 * 10_000 });
  const c = (await app.request('POST', '/api/admin/campaigns', { as: admin, json: body })).json.campaign;
  const [b] = await buyers(app, 1);
  const joined = await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: b!.headers });
  t.is(joined.status, 404, joined.text);
  t.is(joined.json.error.code, 'not_found');
  t.is(await app.db('instant_rooms').where({ campaign_id: c.id }).first(), undefined);
  t.is(await app.db('instant_queue').where({ campaign_id: c.id }).first(), undefined);
});

test('the rules are fixed once anyone has a place, even by a service clock behind the database’s', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  // opens in ten minutes by the database's clock: its pre-queue (30 minutes before) is open there
  const c = await scheduledSale(app, { units: 100 });
  await tick(); // the room
  const [p] = await buyers(app, 1);
  const joined = await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p!.headers });
  t.is(joined.status, 200, joined.text);
  // this service's clock says the pre-queue opens in a minute
  const opensAt: Date = (await app.db('campaigns').where({ id: c.id }).first()).opens_at;
  app.clock.set(new Date(opensAt.getTime() - 31 * 60_000));
  const admin = await app.staff('admin'); // signed in by this clock
  const roomUrl = `/api/admin/campaigns/${c.id}/instant-room`;
  t.false((await app.request('GET', roomUrl, { as: admin })).json.editable);
  const set = await app.request('PUT', roomUrl, { as: admin, json: rules });
  t.is(set.status, 409, set.text);
  t.is(set.json.error.code, 'campaign_not_editable');
  t.is((await app.db('instant_rooms').where({ campaign_id: c.id }).first()).max_active, 2000, 'unchanged');
});
