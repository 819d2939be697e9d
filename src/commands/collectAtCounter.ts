// One press at the counter: the award behind a code is marked collected exactly once (a conditional UPDATE)
// and recorded with the staff member and the site, and the public counts and stock move in the same
// transaction. The record goes into the audit log in the reconciler's next pass (auditCollections.ts): the
// chain's one lock, held until commit, is no part of a press.
// A collection recorded offline and synced later names its own moment and reference; if the award was spent
// (or released) meanwhile, the record is kept as a conflict for admins and audited, and the answer says so.
import { appendAudit } from '../audit/log.js';
import type { Db, Trx } from '../db/knex.js';
import type { AwardRow } from '../db/repos/awards.js';
import { insertCollectionConflict } from '../db/repos/collectionConflicts.js';
import {
  type ClearPress,
  collectManyIfClear,
  collectRecordAndCount,
} from '../db/repos/counterCollections.js';
import { lockCountsShared } from '../db/repos/drawCounts.js';
import { busyError, inTransaction, isLockTimeout, LOCK_TIMEOUT_MS } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import { appendRecordedCollections } from './auditCollections.js';
import { claimKeyOf, heldOf } from './awardNotices.js';
import { claimCodeFor, sameClaimCode } from './claimCodes.js';
import {
  type CounterContext,
  type CounterSite,
  type CounterStaff,
  claimOfPress,
  clearClaimKey,
  counterSite,
  type FoundClaim,
  judgePress,
  loadCounterView,
  loadPress,
  type PressView,
  reloadPress,
  withSiteNames,
} from './counterClaim.js';

/** A collection synced from a counter that was offline: when it was handed over and the record's own id. */
export interface OfflineRecord {
  ref: string;
  at: Date;
}

export interface Collection {
  campaign_id: string;
  public_id: string;
  site: string;
  slot: string;
  amount: number;
  collected_at: Date;
  collected_by: string;
  via: 'counter' | 'offline' | 'admin';
}

/** How far back an offline record may date itself: a counter offline longer than this syncs with the sync time. */
const OFFLINE_MAX_AGE_MS = 7 * 24 * 3600_000;

function collectionOf(a: AwardRow): Collection {
  const held = heldOf(a);
  return {
    campaign_id: a.campaign_id,
    public_id: a.public_id,
    site: a.collected_site ?? held.site,
    slot: held.slot,
    amount: held.amount,
    collected_at: a.collected_at!,
    collected_by: a.collected_by ?? '',
    via: a.collected_via ?? 'counter',
  };
}

/** Marks the award behind `code` collected at `siteId`; throws the stable reason when it cannot be. */
export async function collectAtCounter(
  ctx: CounterContext,
  staff: CounterStaff,
  siteId: string,
  code: string,
  offline?: OfflineRecord,
): Promise<Collection> {
  const now = ctx.clock.now();
  // An offline record is judged at the moment it was handed over, never later than now.
  const at = offline
    ? new Date(Math.min(now.getTime(), Math.max(offline.at.getTime(), now.getTime() - OFFLINE_MAX_AGE_MS)))
    : now;
  // Nothing in the way (the usual press): one statement. Otherwise the site, the award and the names a
  // refusal needs in one read, judged, then the collection in one statement.
  const claimOf = claimOfPress(ctx, code, at);
  const key = offline ? undefined : await clearClaimKey(staff, siteId, claimOf);
  if (key) {
    const actor = `staff:${staff.id}`;
    const via = staff.role === 'admin' ? 'admin' : 'counter';
    const press: ClearPress = {
      claim: key,
      mark: { site: siteId, by: actor, at, via },
      record: { actor, found_by: key.via, recorded_at: now },
    };
    // with the process's group commit when the composition root made one (concurrent presses, one commit)
    const collect =
      ctx.collectClear ??
      (async (p: ClearPress) => (await collectManyIfClear(ctx.db, [p], LOCK_TIMEOUT_MS))[0]);
    const row = await collect(press).catch((err) => {
      throw isLockTimeout(err) ? busyError() : err;
    });
    if (row) return collectionOf(row);
  }
  const { site, claim, view } = await loadPress(ctx, staff, siteId, claimOf);
  return collectClaim(ctx, staff, site, claim, view, () => reloadPress(ctx, site, claim), at, offline);
}

/**
 * An admin marks an award collected by its public id (a back-office correction, e.g. a handover recorded on
 * paper): at the award's own site, with the same checks, update and audit as at the counter.
 */
export async function collectAward(
  ctx: CounterContext,
  staff: CounterStaff,
  campaignId: string,
  publicId: string,
  code?: string,
): Promise<Collection> {
  const claim: FoundClaim = { campaign_id: campaignId, public_id: publicId, via: 'code' };
  const v = await loadCounterView(ctx.db, claim).catch(() => {
    throw new DomainError('not_found', 'No such award in this campaign');
  });
  // A voucher winner pays on the site and the vouchers are issued there: marked collected, one would be unpaid.
  if (v.campaign.kind === 'voucher')
    throw new DomainError('award_not_collectable', 'A voucher is paid for on the site; nothing is collected');
  if (code !== undefined) {
    const expected = claimCodeFor(await claimKeyOf(ctx.db, ctx, campaignId), v.award.application_id);
    if (!sameClaimCode(expected, code))
      throw new DomainError('code_invalid', 'The claim code does not match');
  }
  const site = v.held.site
    ? await counterSite(ctx.db, staff, v.held.site)
    : { id: '', name_ko: '', name_en: '', pickup_grace_minutes: 0 };
  const reload = async () => withSiteNames(ctx.db, await loadCounterView(ctx.db, claim), site);
  const view = await withSiteNames(ctx.db, v, site);
  return collectClaim(ctx, staff, site, claim, view, reload, ctx.clock.now(), undefined, true);
}

async function collectClaim(
  ctx: CounterContext,
  staff: CounterStaff,
  site: CounterSite,
  claim: FoundClaim,
  v: PressView,
  reload: () => Promise<PressView>,
  at: Date,
  offline?: OfflineRecord,
  backOffice = false,
): Promise<Collection> {
  const now = ctx.clock.now();
  const siteId = site.id;
  // Judged on what was read (those reads lock nothing): the conditional UPDATE below re-checks what can
  // change meanwhile (held, at this site), so the collection itself is one statement.
  if (offline && v.award.collected_ref === offline.ref) return collectionOf(v.award); // a repeated sync
  const reason = judgePress(v, site, at, backOffice);
  if (reason) return refused(ctx, staff, siteId, claim, v.award, reason, now, offline);
  const actor = `staff:${staff.id}`;
  const mark = {
    site: siteId,
    by: actor,
    at,
    via: offline ? 'offline' : staff.role === 'admin' ? 'admin' : 'counter',
    ref: offline?.ref ?? null,
  } as const;
  const record = { actor, found_by: claim.via, recorded_at: now, handed_over_at: offline ? at : null };
  const press = (db: Db | Trx, onlyIfReady: boolean) =>
    collectRecordAndCount(db, claim.campaign_id, claim.public_id, mark, record, onlyIfReady, LOCK_TIMEOUT_MS);
  const done = await press(ctx.db, true).catch((err) => {
    throw isLockTimeout(err) ? busyError() : err;
  });
  const row = done.countsReady
    ? done.award
    : // Counts not stored yet (moments after a draw): wait out their computation, as moveDrawCounts does.
      await inTransaction(ctx.db, async (trx) => {
        await lockCountsShared(trx, claim.campaign_id);
        return (await press(trx, false)).award;
      });
  if (row) return collectionOf(row);
  // Someone else's press committed between our read and our update: explain with what is there now.
  const after = await reload();
  if (offline && after.award.collected_ref === offline.ref) return collectionOf(after.award); // synced twice at once
  const why =
    judgePress(after, site, at, backOffice) ??
    new DomainError('conflict', 'The award changed meanwhile; try again');
  return refused(ctx, staff, siteId, claim, after.award, why, now, offline);
}

/** A refusal: thrown at the counter; an offline record is kept as a conflict (audited) and then refused. */
async function refused(
  ctx: CounterContext,
  staff: CounterStaff,
  siteId: string,
  claim: FoundClaim,
  a: AwardRow,
  why: DomainError,
  now: Date,
  offline?: OfflineRecord,
): Promise<never> {
  if (offline) {
    await inTransaction(ctx.db, (trx) => recordConflict(trx, staff, siteId, claim, a, offline, now));
  }
  throw why;
}

/** An offline record that arrived for an award already spent or released: kept once, audited. */
async function recordConflict(
  trx: Trx,
  staff: CounterStaff,
  siteId: string,
  claim: FoundClaim,
  a: AwardRow,
  offline: OfflineRecord,
  now: Date,
): Promise<void> {
  const added = await insertCollectionConflict(trx, {
    campaign_id: claim.campaign_id,
    public_id: claim.public_id,
    site_id: siteId,
    staff_id: staff.id,
    offline_ref: offline.ref,
    handed_over_at: offline.at,
    synced_at: now,
    status_at_sync: a.status,
    first_collected_at: a.collected_at,
    first_collected_site: a.collected_site,
    first_collected_by: a.collected_by,
  });
  if (!added) return;
  // The first collection's own entry before the flag that names it.
  await appendRecordedCollections(trx, now, 1, {
    campaign_id: claim.campaign_id,
    public_id: claim.public_id,
  });
  await appendAudit(trx, {
    at: now,
    actor: `staff:${staff.id}`,
    action: 'award.double_collected',
    subject: `campaign:${claim.campaign_id}`,
    data: {
      public_id: claim.public_id,
      site: siteId,
      handed_over_at: offline.at.toISOString(),
      offline_ref: offline.ref,
      status_at_sync: a.status,
      first_collected_at: a.collected_at?.toISOString() ?? null,
      first_collected_site: a.collected_site,
    },
  });
}
