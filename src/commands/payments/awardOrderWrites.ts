// Award orders' writes to the audit chain, batched: an order created (order.created) and, once the provider was
// told, moved to pending (order.pending). Each appends to the chain, whose one lock is held until commit, so alone
// a lottery's winners ordering at once went one commit flush at a time; the calls that arrive together now go as
// one transaction, a few statements and one commit (db/batch.ts), each caller answered as if alone.
import pLimit from 'p-limit';
import { type AuditInput, appendAuditBatch } from '../../audit/log.js';
import { type Batched, batched } from '../../db/batch.js';
import type { Trx } from '../../db/knex.js';
import { lockAwards } from '../../db/repos/awards.js';
import { findCampaigns } from '../../db/repos/campaigns.js';
import { findOrdersByKeys, insertOrders, moveOrdersPending } from '../../db/repos/orderBatches.js';
import { findLiveOrder, lockOrders, type NewOrder, type OrderRow } from '../../db/repos/orders.js';
import { inTransaction } from '../../db/transaction.js';
import { DomainError } from '../../domain/errors.js';
import type { CommandContext } from '../context.js';
import { type AwardOrderCreate, decide, refusalOr, viewOf } from './awardOrderDecision.js';
import type { OrderView } from './context.js';
import type { VoucherCampaign } from './rules.js';

/** A write: an order to create (as asked at `now`), or one the provider was told of, to move to pending. */
export type AwardOrderWrite =
  | AwardOrderCreate
  | { kind: 'pending'; order: OrderRow; url: string; provider: string };

/** A write's answer: the order made or found again, the pending order's view, or the caller's refusal. */
export type AwardOrderAnswer =
  | { made: { order: OrderRow; replayed: boolean } }
  | { view: OrderView }
  | { refused: DomainError };

export type AwardOrders = Batched<AwardOrderWrite, AwardOrderAnswer>;

type Pending = Extract<AwardOrderWrite, { kind: 'pending' }>;

const awardKey = (campaignId: string, publicId: string) => `${campaignId}/${publicId}`;
const orderKey = (o: { campaign_id: string; subject: string; idempotency_key: string }) =>
  `${o.campaign_id}/${o.subject}/${o.idempotency_key}`;

/** The batch's creations in rounds, each award at most once a round (a later one sees the earlier's order). */
function roundsOf(creates: ReadonlyArray<{ at: number; w: AwardOrderCreate }>) {
  const rounds: Array<Array<{ at: number; w: AwardOrderCreate }>> = [];
  const seen = new Map<string, number>();
  for (const c of creates) {
    const k = awardKey(c.w.input.campaign_id, c.w.input.public_id);
    const round = seen.get(k) ?? 0;
    seen.set(k, round + 1);
    if (round === rounds.length) rounds.push([]);
    rounds[round]!.push(c);
  }
  return rounds;
}

/**
 * The creations: their campaigns read, their awards locked in key order (batches lock alike, so none waits on
 * another in a cycle), then a round at a time the earlier orders under their keys read and the new ones inserted
 * in one statement each; a refused insert is answered with the award's live order, as alone.
 */
async function createAll(
  trx: Trx,
  creates: ReadonlyArray<{ at: number; w: AwardOrderCreate }>,
  out: AwardOrderAnswer[],
  entries: AuditInput[],
) {
  if (creates.length === 0) return;
  const campaigns = new Map(
    (await findCampaigns(trx, [...new Set(creates.map((c) => c.w.input.campaign_id))])).map((c) => [
      c.id,
      c as VoucherCampaign,
    ]),
  );
  const known = creates.filter(({ at, w }) => {
    if (campaigns.has(w.input.campaign_id)) return true;
    out[at] = { refused: new DomainError('not_found', 'No such campaign') };
    return false;
  });
  const keys = known.map(({ w }) => ({ campaign_id: w.input.campaign_id, public_id: w.input.public_id }));
  const awards = new Map((await lockAwards(trx, keys)).map((a) => [awardKey(a.campaign_id, a.public_id), a]));
  for (const round of roundsOf(known)) {
    const earlier = new Map(
      (
        await findOrdersByKeys(
          trx,
          round.map(({ w }) => ({
            campaign_id: w.input.campaign_id,
            subject: w.input.public_id,
            idempotency_key: w.input.idempotency_key,
          })),
        )
      ).map((o) => [orderKey(o), o]),
    );
    const inserts: Array<{ at: number; w: AwardOrderCreate; o: NewOrder }> = [];
    for (const { at, w } of round) {
      const { campaign_id, public_id, idempotency_key } = w.input;
      const d = refusalOr(() =>
        decide(
          w,
          campaigns.get(campaign_id)!,
          awards.get(awardKey(campaign_id, public_id)),
          earlier.get(orderKey({ campaign_id, subject: public_id, idempotency_key })),
        ),
      );
      if ('insert' in d) inserts.push({ at, w, o: d.insert });
      else out[at] = d;
    }
    const inserted = new Map(
      (
        await insertOrders(
          trx,
          inserts.map((i) => i.o),
        )
      ).map((o) => [o.id, o]),
    );
    for (const { at, w, o } of inserts) {
      const order = inserted.get(o.id);
      if (!order) {
        const live = await findLiveOrder(trx, 'voucher_award', o.campaign_id, o.subject);
        out[at] = {
          refused: new DomainError('order_already_open', 'This award already has an order', {
            details: { order_id: live?.id, state: live?.state },
          }),
        };
        continue;
      }
      entries.push({
        at: w.now,
        actor: `resident:${o.subject}`,
        action: 'order.created',
        subject: `campaign:${o.campaign_id}`,
        data: { order_id: order.id, public_id: o.subject, face_value: o.face_value, amount: order.amount },
      });
      out[at] = { made: { order, replayed: false } };
    }
  }
}

/**
 * The moves to pending: the orders locked in id order (as settlements lock them), those still created moved with
 * their answers in one statement; an order twice in the batch moves once, and the other finds it moved, as alone.
 */
async function pendAll(
  trx: Trx,
  pendings: ReadonlyArray<{ at: number; w: Pending }>,
  now: Date,
  out: AwardOrderAnswer[],
  entries: AuditInput[],
) {
  if (pendings.length === 0) return;
  const ids = [...new Set(pendings.map((p) => p.w.order.id))].sort();
  const rows = new Map((await lockOrders(trx, ids)).map((o) => [o.id, o]));
  const first = new Map<string, { at: number; w: Pending; view: OrderView }>();
  for (const p of pendings) {
    const row = rows.get(p.w.order.id);
    if (row?.state === 'created' && !first.has(row.id)) {
      first.set(row.id, { ...p, view: viewOf({ ...row, state: 'pending' }, p.w.url) });
    }
  }
  const moved = new Set(
    (
      await moveOrdersPending(
        trx,
        [...first.values()].map((m) => ({
          id: m.w.order.id,
          response: m.view as unknown as Record<string, unknown>,
        })),
        now,
      )
    ).map((o) => o.id),
  );
  for (const { at, w } of pendings) {
    const m = first.get(w.order.id);
    if (m?.at !== at || !moved.has(w.order.id)) {
      out[at] = { view: viewOf(w.order, w.url) };
      continue;
    }
    entries.push({
      at: now,
      actor: `resident:${w.order.subject}`,
      action: 'order.pending',
      subject: `campaign:${w.order.campaign_id}`,
      data: { order_id: w.order.id, provider: w.provider },
    });
    out[at] = { view: m.view };
  }
}

/**
 * The writes in one transaction: creations take their awards' locks first (key order), then moves take their
 * orders' (id order), and every audit entry goes last in one statement, which takes the chain's lock, held only
 * through the commit that follows.
 */
async function writeAll(ctx: CommandContext, writes: readonly AwardOrderWrite[]) {
  return inTransaction(ctx.db, async (trx) => {
    const out: AwardOrderAnswer[] = [];
    const entries: AuditInput[] = [];
    const indexed = writes.map((w, at) => ({ at, w }));
    const creates = indexed.filter((x): x is { at: number; w: AwardOrderCreate } => x.w.kind === 'create');
    const pendings = indexed.filter((x): x is { at: number; w: Pending } => x.w.kind === 'pending');
    await createAll(trx, creates, out, entries);
    await pendAll(trx, pendings, ctx.clock.now(), out, entries);
    await appendAuditBatch(trx, entries);
    return out;
  });
}

/**
 * Award orders' writes go through one batcher a process (made by the composition root), as settlements do. Two
 * lanes: one batch locks and inserts while the other holds the chain's lock through its commit; more would only
 * queue at the lock holding pool connections others need.
 */
export function batchedAwardOrders(ctx: CommandContext, lanes = 2): AwardOrders {
  // a failed batch's calls run again alone, all at once: no more of them at the lock than lanes of batches
  const alone = pLimit(lanes);
  return batched({
    one: async (w) => (await alone(() => writeAll(ctx, [w])))[0]!,
    many: (ws) => writeAll(ctx, ws),
    lanes,
    // bounds a batch's award locks and its time at the chain's lock
    maxBatch: 100,
  });
}

/** A write's answer to its caller: the refusal thrown, as alone. */
export function answerOf(a: AwardOrderAnswer): Exclude<AwardOrderAnswer, { refused: DomainError }> {
  if ('refused' in a) throw a.refused;
  return a;
}
