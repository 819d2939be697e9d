// The instant sale at a small scale: 1,000 buyers, 300 units, 200 at once, through the HTTP API.
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { SignJWT } from 'jose';
import { settleHolds } from '../../src/commands/instant/releaseHolds.js';
import { TURN_NOTICE_AFTER_MS } from '../../src/domain/instant/waitingRoom.js';
import { type Buyer, buyers, instantWorld, inWaves, openSale, scheduledSale } from '../helpers/instant.js';
import { entryArgs } from '../helpers/runScript.js';

const UNIT = 10_000;

async function invariants(app: Awaited<ReturnType<typeof instantWorld>>['app'], campaignId: string) {
  const stock = await app
    .db('instant_stock')
    .where({ campaign_id: campaignId })
    .sum('initial as i')
    .sum('remaining as r')
    .first();
  const live = await app
    .db('instant_purchases')
    .where({ campaign_id: campaignId })
    .whereIn('state', ['held', 'paid']);
  const sold = live.reduce((s, p) => s + Number(p.quantity), 0);
  const people = new Set(live.map((p) => p.identity_id));
  const orders = await app
    .db('orders')
    .where({ campaign_id: campaignId, purpose: 'instant_order' })
    .whereIn('state', ['created', 'pending', 'paid', 'issued']);
  return {
    initial: Number(stock?.i),
    remaining: Number(stock?.r),
    sold,
    purchases: live.length,
    people: people.size,
    liveOrders: orders.length,
  };
}

test('1,000 buyers for 300 units, 200 at once: sold out exactly, one purchase a person, no 5xx', async (t) => {
  t.timeout(240_000); // about 3,000 requests: 20 s on a quiet 2-core machine, several times that when loaded
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 300, perPersonUnits: 2 });
  const people = await buyers(app, 1000);
  // Half join the pre-queue before opening, half after.
  const statuses: number[] = [];
  await inWaves(people.slice(0, 500), 100, async (b) => {
    const r = await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: b.headers });
    statuses.push(r.status);
    t.is(r.json?.queue?.state, 'pre_queue', r.text);
  });
  await tick(); // makes nothing move before opening
  t.is((await app.db('instant_rooms').where({ campaign_id: c.id }).first()).shuffled_at, null);
  await openSale(app, c.id);
  await inWaves(people.slice(500), 100, async (b) => {
    const r = await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: b.headers });
    statuses.push(r.status);
  });
  await tick(); // opening: the shuffle
  app.clock.advance(10_000); // 10 s at 500 a second admits everyone
  await tick();

  const outcome: Record<string, number> = {};
  await inWaves(people, 200, async (b: Buyer) => {
    const q = await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: b.headers });
    statuses.push(q.status);
    const s = q.json.queue;
    if (s.state !== 'your_turn') {
      outcome[s.state] = (outcome[s.state] ?? 0) + 1;
      return;
    }
    const units = b.identity_id.charCodeAt(0) % 5 === 0 ? 2 : 1;
    const r = await app.request('POST', `/api/campaigns/${c.id}/purchases`, {
      headers: {
        ...b.headers,
        'idempotency-key': `buy-${b.identity_id}`,
        'x-admission-token': s.admission_token,
      },
      json: { quantity: units * UNIT },
    });
    statuses.push(r.status);
    const key = r.status === 201 ? 'bought' : (r.json?.error?.code ?? String(r.status));
    outcome[key] = (outcome[key] ?? 0) + 1;
  });
  t.false(
    statuses.some((s) => s >= 500),
    JSON.stringify(outcome),
  );
  const inv = await invariants(app, c.id);
  t.is(inv.initial, 300 * UNIT);
  t.is(inv.sold + inv.remaining, inv.initial, 'sold + remaining = initial');
  t.is(inv.remaining, 0, `sold out: ${JSON.stringify(outcome)}`);
  t.is(inv.purchases, inv.people, 'nobody holds two purchases');
  t.is(inv.liveOrders, inv.purchases, 'orders = purchases');
  t.is(outcome.bought, inv.purchases);
  t.true((outcome.sold_out ?? 0) + (outcome.sold_out_page ?? 0) > 0);
  // Every purchase reaches the audit log, in batches, once.
  await tick();
  const logged = (await app.db('audit_log').where({ action: 'instant.purchased' }).select('data')).flatMap(
    (r: { data: { purchases: string[] } }) => r.data.purchases,
  );
  const bought = await app.db('instant_purchases').where({ campaign_id: c.id }).pluck('public_id');
  t.deepEqual([...logged].sort(), [...bought].sort());
});

test('replay, a reused key, forged, expired and spent admissions, a second purchase', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 50 });
  const [a, b] = await buyers(app, 2);
  await openSale(app, c.id);
  for (const p of [a!, b!]) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  await tick();
  app.clock.advance(2000);
  await tick();
  const turn = (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: a!.headers })).json.queue;
  t.is(turn.state, 'your_turn');
  const buy = (key: string, quantity: number, token = turn.admission_token, who = a!) =>
    app.request('POST', `/api/campaigns/${c.id}/purchases`, {
      headers: { ...who.headers, 'idempotency-key': key, 'x-admission-token': token },
      json: { quantity },
    });

  // A token signed with another key, and one for another person, are refused and change nothing.
  const forged = await new SignJWT({ cid: c.id })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('fair-allocation')
    .setAudience('instant-admission')
    .setSubject(a!.identity_id)
    .setJti('x')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new Uint8Array(32).fill(7));
  t.is((await buy('key-forged-0001', UNIT, forged)).json.error.code, 'admission_invalid');
  t.is((await buy('key-other-00001', UNIT, turn.admission_token, b!)).json.error.code, 'admission_invalid');
  t.is(Number((await app.db('instant_purchases').count('* as n').first())!.n), 0);

  const first = await buy('key-first-00001', 2 * UNIT);
  t.is(first.status, 201, first.text);
  t.truthy(first.json.purchase.order.checkout_url);
  t.is(first.json.purchase.amount, 18_000, '10 % off the face value, computed by the server');
  const again = await buy('key-first-00001', 2 * UNIT);
  t.is(again.status, 200);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.json.purchase, first.json.purchase, 'the first answer, replayed');
  const reused = await buy('key-first-00001', UNIT);
  t.is(reused.status, 422);
  t.is(reused.json.error.code, 'idempotency_key_reused');
  const spent = await buy('key-second-0001', UNIT);
  t.is(spent.status, 409);
  t.is(spent.json.error.code, 'admission_used');
  t.is(Number((await app.db('instant_purchases').count('* as n').first())!.n), 1);

  // b's token expires unused: refused once its time has passed.
  const late = (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: b!.headers })).json.queue;
  app.clock.advance(121_000);
  const expired = await buy('key-late-000001', UNIT, late.admission_token, b!);
  t.is(expired.status, 403);
  t.is(expired.json.error.code, 'admission_invalid');
});

test('the pre-queue order is recomputed from the published seed, which matches the commitment', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 10 });
  await tick(); // the reconciler makes the room (and publishes its commitment) once the sale is scheduled
  const before = (await app.request('GET', `/api/campaigns/${c.id}/sale`)).json.sale;
  t.is(before.secret, null, 'the secret stays sealed until opening');
  t.like(
    before.stock,
    { initial: 100_000, remaining: 100_000, sold: 0 },
    'before the opening all of it is left',
  );
  const people = await buyers(app, 40);
  for (const p of people) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  await openSale(app, c.id);
  await tick();
  const sale = (await app.request('GET', `/api/campaigns/${c.id}/sale`)).json.sale;
  t.is(sale.seed_commitment, before.seed_commitment);
  t.is(createHash('sha256').update(Buffer.from(sale.secret, 'hex')).digest('hex'), sale.seed_commitment);
  const seed = createHash('sha256')
    .update(
      Buffer.concat([
        Buffer.from(`fair-allocation/instant-queue/v1:${c.code}:`),
        Buffer.from(sale.secret, 'hex'),
      ]),
    )
    .digest('hex');
  t.is(sale.seed, seed);
  const published = (await app.request('GET', `/api/campaigns/${c.id}/queue/order`)).json.entries;
  t.is(published.length, 40);
  const mine = [...published]
    .map((e: { ticket: string }) => e.ticket)
    .sort((x: string, y: string) => {
      const hx = createHmac('sha256', Buffer.from(seed, 'hex')).update(x).digest('hex');
      const hy = createHmac('sha256', Buffer.from(seed, 'hex')).update(y).digest('hex');
      return hx < hy ? -1 : 1;
    });
  t.deepEqual(
    published.map((e: { ticket: string }) => e.ticket),
    mine,
  );
  t.not(
    published.map((e: { ticket: string }) => e.ticket).join(),
    (await app.db('instant_queue').where({ campaign_id: c.id }).orderBy('joined_at').pluck('ticket')).join(),
    'not the joining order',
  );

  // The CLI an auditor runs on the published document: match, and a swapped pair is caught.
  const audit = (await app.request('GET', `/api/campaigns/${c.id}/queue/audit`)).json;
  const dir = mkdtempSync(join(tmpdir(), 'fa-queue-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = (doc: unknown) => {
    writeFileSync(join(dir, 'queue.json'), JSON.stringify(doc));
    return spawnSync(process.execPath, [...entryArgs('scripts/verify-queue.ts'), join(dir, 'queue.json')], {
      encoding: 'utf8',
    });
  };
  const ok = run(audit);
  t.is(ok.status, 0, ok.stderr);
  t.regex(ok.stdout, /^match: 40 pre-queue places/);
  const swapped = structuredClone(audit);
  [swapped.audit.entries[0].ticket, swapped.audit.entries[1].ticket] = [
    swapped.audit.entries[1].ticket,
    swapped.audit.entries[0].ticket,
  ];
  const bad = run(swapped);
  t.is(bad.status, 1);
  t.regex(bad.stdout, /mismatch: rank 1/);
});

test('a hold that runs out gives its stock back and expires its order; a paid one stays', async (t) => {
  const { app, tick, issue } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 5, perPersonUnits: 2 });
  const [a, b] = await buyers(app, 2, { email: true });
  const [d] = await buyers(app, 1, { sms: true, lang: 'en' }); // waits, and is told by SMS in English
  await openSale(app, c.id);
  for (const p of [a!, b!, d!])
    await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  await tick();
  app.clock.advance(TURN_NOTICE_AFTER_MS);
  await tick();
  // Each is told their turn once, in their own language and channel.
  const turns = await app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id }).orderBy('channel');
  t.deepEqual(
    turns.map((m) => [m.channel, m.lang]),
    [
      ['email', 'ko'],
      ['email', 'ko'],
      ['sms', 'en'],
    ],
  );
  t.regex(turns[2].body, /^\[Fair Allocation\] Your turn to buy: Test vouchers\. Open within 2 min: http/);
  app.clock.advance(2000);
  await tick();
  t.is((await app.db('messages').where({ kind: 'queue_turn', campaign_id: c.id })).length, 3, 'once each');
  const bought: Record<string, { order: { checkout_url: string; id: string } }> = {};
  for (const p of [a!, b!]) {
    const s = (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: p.headers })).json.queue;
    const r = await app.request('POST', `/api/campaigns/${c.id}/purchases`, {
      headers: {
        ...p.headers,
        'idempotency-key': `hold-${p.identity_id}`,
        'x-admission-token': s.admission_token,
      },
      json: { quantity: 2 * UNIT },
    });
    t.is(r.status, 201, r.text);
    bought[p.identity_id] = r.json.purchase;
  }
  t.is(
    Number((await app.db('instant_stock').where({ campaign_id: c.id }).sum('remaining as r').first())!.r),
    UNIT,
  );
  // a pays through the development checkout; b walks away.
  const checkout = new URL(bought[a!.identity_id]!.order.checkout_url);
  const paid = await app.request('POST', checkout.pathname, { form: { choice: 'pay' } });
  t.is(paid.status, 303);
  const back = new URL(paid.headers.get('location')!, app.url);
  await app.request('GET', back.pathname + back.search);
  await tick();
  t.is((await app.db('instant_purchases').where({ identity_id: a!.identity_id }).first()).state, 'paid');
  // The buyer is told their voucher numbers, with a link to their place in the sale.
  t.is(await issue(bought[a!.identity_id]!.order.id), 'issued');
  const told = await app.db('messages').where({ kind: 'vouchers_issued' });
  t.is(told.length, 1);
  const numbers = await app
    .db('vouchers')
    .where({ order_id: bought[a!.identity_id]!.order.id })
    .pluck('number');
  t.is(numbers.length, 2);
  t.true(
    numbers.every((n: string) => told[0].body.includes(n)),
    told[0].body,
  );
  t.true(told[0].body.includes(`/campaigns/${c.id}/queue`), told[0].body);

  app.clock.advance(601_000);
  await tick();
  const held = await app.db('instant_purchases').where({ identity_id: b!.identity_id }).first();
  t.is(held.state, 'released');
  t.is(held.release_reason, 'hold_expired');
  t.is((await app.db('orders').where({ id: held.order_id }).first()).state, 'expired');
  t.is((await app.db('instant_purchases').where({ identity_id: a!.identity_id }).first()).state, 'paid');
  const left = Number(
    (await app.db('instant_stock').where({ campaign_id: c.id }).sum('remaining as r').first())!.r,
  );
  t.is(left, 3 * UNIT, 'the expired hold went back; the paid one did not');
});

test('a payment settling while its hold runs out keeps the stock; a late pre-queue join still gets a place', async (t) => {
  const { app, ctx, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 5 });
  const [a] = await buyers(app, 1);
  await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: a!.headers });
  await openSale(app, c.id);
  await tick();
  app.clock.advance(2000);
  await tick();
  const s = (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: a!.headers })).json.queue;
  const r = await app.request('POST', `/api/campaigns/${c.id}/purchases`, {
    headers: { ...a!.headers, 'idempotency-key': 'race-key-0001', 'x-admission-token': s.admission_token },
    json: { quantity: UNIT },
  });
  t.is(r.status, 201, r.text);
  const purchaseRow = await app.db('instant_purchases').where({ identity_id: a!.identity_id }).first();
  // The payment's settlement holds the order while the hold's time runs out; it commits "paid" meanwhile.
  const settling = await app.db.transaction();
  await settling('orders').where({ id: purchaseRow.order_id }).forUpdate().first();
  app.clock.advance(601_000);
  const sweep = settleHolds(ctx, c.id);
  await new Promise((res) => setTimeout(res, 300));
  await settling('orders')
    .where({ id: purchaseRow.order_id })
    .update({ state: 'paid', paid_amount: 9000, paid_at: app.clock.now() });
  await settling.commit();
  await sweep;
  t.not((await app.db('instant_purchases').where({ id: purchaseRow.id }).first()).state, 'released');
  const left = await app.db('instant_stock').where({ campaign_id: c.id }).sum('remaining as r').first();
  t.is(Number(left?.r), 4 * UNIT, 'the paid unit was not given back to be sold again');

  // A join whose statement began before opening but landed after the shuffle: it becomes an arrival.
  await app.db('instant_queue').insert({
    campaign_id: c.id,
    identity_id: randomUUID(),
    ticket: 'late-pre-queue',
    joined_at: new Date(),
    pre: true,
  });
  await tick();
  t.truthy((await app.db('instant_queue').where({ ticket: 'late-pre-queue' }).first()).rank);
  const page = await app.request('GET', `/api/campaigns/${c.id}/queue/order?after=99999999999999999999`);
  t.is(page.status, 422, 'a cursor beyond what the database holds is refused, not a 500');
});
