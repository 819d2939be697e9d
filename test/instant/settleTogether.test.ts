// Two instances settle the same sale's holds at once: each marks the paid purchases it can lock and leaves those
// another has locked to it, instead of waiting for them while holding its own (which deadlocked, one pass aborted).
import test from 'ava';
import { settleHolds } from '../../src/commands/instant/releaseHolds.js';
import { heldLocked } from '../helpers/async.js';
import { buyAtTurn, instantWorld, queuedSale } from '../helpers/instant.js';

test('a paid purchase another settlement has locked is left to it, not waited for', async (t) => {
  const { app, tick, ctx } = await instantWorld();
  t.teardown(() => app.close());
  const { c, people } = await queuedSale(app, 2);
  const [a, b] = people;
  await tick();
  for (const [i, p] of [a!, b!].entries()) {
    const r = await buyAtTurn(app, c.id, p, `settle-together-${i}`);
    t.is(r.status, 201, r.text);
    const paid = await app.request('POST', new URL(r.json.purchase.order.checkout_url).pathname, {
      form: { choice: 'pay' },
    });
    const back = new URL(paid.headers.get('location')!, app.url);
    await app.request('GET', back.pathname + back.search);
  }
  const stateOf = async (id: string) =>
    (await app.db('instant_purchases').where({ campaign_id: c.id, identity_id: id }).first()).state;

  // Another instance's settlement holds b's purchase locked (as it locks the holds it will judge).
  const release = await heldLocked(app.db, 'instant_purchases', {
    campaign_id: c.id,
    identity_id: b!.identity_id,
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'waited'>((r) => {
      timer = setTimeout(() => r('waited'), 3000);
    });
    const settled = await Promise.race([settleHolds(ctx, c.id), waited]);
    clearTimeout(timer);
    t.not(settled, 'waited', "this settlement waited for the other's lock");
    t.is(await stateOf(a!.identity_id), 'paid');
    t.is(await stateOf(b!.identity_id), 'held', 'left to the settlement that holds it');
  } finally {
    await release(); // the other settlement ends, whatever happened here (a waiting one then goes on)
  }
  await settleHolds(ctx, c.id);
  t.is(await stateOf(b!.identity_id), 'paid', 'marked by the next pass once free');
});
