// Issuing exactly once: a worker process killed (SIGKILL) while the wallet was issuing, between paid and issued,
// then the service going on (the reconciler takes the stuck order over, the dead worker's job later runs again):
// one voucher set. Also a crash after the wallet answered but before the commit, and two issuers at once.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { ISSUE_TASK } from '../../src/commands/payments/context.js';
import { issueKeyOf, issueOrders, issueVouchers } from '../../src/commands/payments/issueVouchers.js';
import { STUCK_AFTER_MS } from '../../src/commands/payments/reconcileOrders.js';
import { spawnWorkerProcess, waitFor } from '../helpers/notify.js';
import { orderFor, type PaymentWorld, paymentWorld } from '../helpers/payments.js';

const worlds: PaymentWorld[] = [];
const children: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-pay-worker-'));
test.after.always(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const w of worlds) await w.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function paidOrder(w: PaymentWorld, i: number): Promise<string> {
  const res = await orderFor(w, i, `issue-key-${i}-0001`);
  const pid = new URL(res.json.order.checkout_url).pathname.split('/').pop()!;
  const back = new URL(await w.dev!.checkout.complete(pid, 'pay'));
  await w.app.request('GET', back.pathname + back.search);
  await w.dev!.settled();
  return res.json.order.id;
}

const issueJob = (w: PaymentWorld) =>
  w.app.db.raw(`SELECT j.id, j.locked_by FROM graphile_worker.jobs j WHERE j.task_identifier = ?`, [
    ISSUE_TASK,
  ]);
/** Each of these orders' state, by id. */
const statesOf = async (w: PaymentWorld, orderIds: string[]) =>
  Object.fromEntries(
    (await w.app.db('orders').whereIn('id', orderIds)).map((o) => [o.id as string, o.state as string]),
  );
const numbers = async (w: PaymentWorld, orderId: string) =>
  (await w.app.db('vouchers').where({ order_id: orderId }).orderBy('seq')).map((v) => v.number as string);

test.serial(
  'a worker killed between paid and issued, then the service going on: exactly one voucher set',
  async (t) => {
    const w = await paymentWorld();
    worlds.push(w);
    const orderId = await paidOrder(w, 0);
    t.is((await w.app.db('orders').where({ id: orderId }).first()).state, 'paid');
    // The wallet takes 20 s: the worker is killed while it waits for the answer.
    const slow = spawnWorkerProcess(w.app.database.url, dataDir, { DEV_ISSUER_LATENCY_MS: '20000' });
    children.push(slow);
    await waitFor(
      'the issue job taken',
      async () => ((await issueJob(w)).rows[0]?.locked_by ? true : undefined),
      60_000, // a worker process starting under tsx took over 15 s on a loaded machine
    );
    slow.kill('SIGKILL');
    await new Promise((r) => slow.once('exit', r));
    t.is((await w.app.db('orders').where({ id: orderId }).first()).state, 'paid');
    t.deepEqual(await numbers(w, orderId), []);
    // The job stays locked by the dead worker; the reconciler takes over a paid order stuck past STUCK_AFTER_MS.
    w.app.clock.advance(STUCK_AFTER_MS + 1000);
    const r = await w.reconcile();
    t.is(r.finished, 1);
    const set = await numbers(w, orderId);
    t.is(set.length, w.winners[0]!.amount / 10_000);
    t.is((await w.app.db('orders').where({ id: orderId }).first()).state, 'issued');
    // Later the dead worker's lock is released and a restarted worker runs the job again: nothing more is issued.
    await w.app.db.raw(
      `SELECT graphile_worker.force_unlock_workers(array(SELECT DISTINCT locked_by FROM graphile_worker.jobs WHERE locked_by IS NOT NULL))`,
    );
    const fresh = spawnWorkerProcess(w.app.database.url, dataDir);
    children.push(fresh);
    await waitFor(
      'the issue job done',
      async () => ((await issueJob(w)).rows.length === 0 ? true : undefined),
      20_000,
    );
    fresh.kill('SIGTERM');
    await new Promise((r) => fresh.once('exit', r));
    t.deepEqual(await numbers(w, orderId), set);
    t.is((await w.app.db('audit_log').where({ action: 'order.issued' })).length, 1);
    t.is((await w.app.db('messages').where({ kind: 'vouchers_issued' })).length, 1);
  },
);

test.serial(
  'a crash after the wallet answered and before the commit, then a retry and two issuers at once: one set',
  async (t) => {
    const w = await paymentWorld();
    worlds.push(w);
    const orderId = await paidOrder(w, 1);
    const seen: string[][] = [];
    const crashing = {
      name: w.ctx.issuer.name,
      async issue(req: Parameters<typeof w.ctx.issuer.issue>[0]) {
        seen.push((await w.ctx.issuer.issue(req)).map((v) => v.number));
        throw new Error('killed before the commit');
      },
    };
    await t.throwsAsync(() => issueVouchers(w.ctx, crashing, orderId), {
      message: 'killed before the commit',
    });
    t.deepEqual(await numbers(w, orderId), []);
    const results = await Promise.all([
      issueVouchers(w.ctx, w.ctx.issuer, orderId),
      issueVouchers(w.ctx, w.ctx.issuer, orderId),
    ]);
    t.deepEqual(results.sort(), ['issued', 'nothing_to_do']);
    t.deepEqual(await numbers(w, orderId), seen[0]);
    t.is(await issueVouchers(w.ctx, w.ctx.issuer, orderId), 'nothing_to_do');
    t.is((await w.app.db('vouchers').where({ order_id: orderId })).length, seen[0]!.length);
  },
);

test.serial(
  "a settlement's orders are issued together, one wallet refusal leaving only its own order for the retry",
  async (t) => {
    const w = await paymentWorld();
    worlds.push(w);
    const orders = [await paidOrder(w, 2), await paidOrder(w, 3), await paidOrder(w, 4)];
    const [refused, ...rest] = orders;
    const picky = {
      name: w.ctx.issuer.name,
      async issue(req: Parameters<typeof w.ctx.issuer.issue>[0]) {
        if (req.key === issueKeyOf(refused!)) throw new Error('the wallet is refusing this one');
        return w.ctx.issuer.issue(req);
      },
    };
    await t.throwsAsync(() => issueOrders(w.ctx, picky, orders), {
      message: 'the wallet is refusing this one',
    });
    t.deepEqual(await statesOf(w, orders), {
      [refused!]: 'paid',
      [rest[0]!]: 'issued',
      [rest[1]!]: 'issued',
    });
    // the two recorded in one transaction: their audit entries share it
    const entries = await w.app
      .db('audit_log')
      .where({ action: 'order.issued' })
      .select(w.app.db.raw('xmin::text AS tx'));
    t.is(entries.length, 2);
    t.is(new Set(entries.map((e) => e.tx)).size, 1);
    // the job's retry issues the refused one and leaves the others as they are
    const again = await issueOrders(w.ctx, w.ctx.issuer, orders);
    t.deepEqual(
      orders.map((id) => again.get(id)),
      ['issued', 'nothing_to_do', 'nothing_to_do'],
    );
    t.deepEqual(await statesOf(w, orders), {
      [refused!]: 'issued',
      [rest[0]!]: 'issued',
      [rest[1]!]: 'issued',
    });
    for (const id of orders)
      t.is((await numbers(w, id)).length, w.winners[orders.indexOf(id) + 2]!.amount / 10_000);
    t.is((await w.app.db('audit_log').where({ action: 'order.issued' })).length, 3);
  },
);

test.serial('an order whose set cannot be recorded holds back none of the others of its job', async (t) => {
  const w = await paymentWorld();
  worlds.push(w);
  const orders = [await paidOrder(w, 5), await paidOrder(w, 6), await paidOrder(w, 7)];
  const broken = orders[1]!;
  // its winner's sealed contact no longer opens: the notice, in the issuing transaction, throws
  const subject = (await w.app.db('orders').where({ id: broken }).first()).subject as string;
  await w.app
    .db('applications')
    .where({ campaign_id: w.campaignId, public_id: subject })
    .update({ contact_enc: 'not-a-sealed-contact' });
  await t.throwsAsync(() => issueOrders(w.ctx, w.ctx.issuer, orders));
  t.deepEqual(await statesOf(w, orders), {
    [orders[0]!]: 'issued',
    [broken]: 'paid',
    [orders[2]!]: 'issued',
  });
  t.deepEqual(await numbers(w, broken), []);
  t.is((await w.app.db('audit_log').where({ action: 'order.issued' })).length, 2);
});
