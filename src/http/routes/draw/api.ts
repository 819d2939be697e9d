// The draw's JSON API. Public: the audit record, one's own result and receipt (inclusion proof), the
// streamed bundle. Admin: record the beacon, mark an award collected; admin and auditor: the draw status.
import { Readable } from 'node:stream';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { collectAward } from '../../../commands/collectAtCounter.js';
import { inclusionProof } from '../../../commands/inclusionProof.js';
import { recordBeacon } from '../../../commands/recordBeacon.js';
import { streamBundle } from '../../../commands/streamBundle.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { findDraw } from '../../../db/repos/draws.js';
import { findRosterEntry } from '../../../db/repos/roster.js';
import type { Campaign } from '../../../domain/campaign.js';
import { PUBLIC_STATES } from '../../../domain/campaign.js';
import { toHex } from '../../../domain/draw/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { counterContext, counterStaff, presentCollection } from '../counter/api.js';
import { beaconSchema, collectSchema, PUBLIC_ID } from './schema.js';
import { auditView, isDrawn, resultView } from './view.js';

export function parsePublicId(v: string | undefined): string {
  if (!v || !PUBLIC_ID.test(v)) throw new DomainError('not_found', 'No such receipt number in this campaign');
  return v;
}

export async function publicCampaign(deps: AppDeps, id: string | undefined): Promise<Campaign> {
  const c = await findCampaign(deps.db, parseId(id));
  if (!c || !PUBLIC_STATES.includes(c.state)) throw new DomainError('not_found', 'No such campaign');
  return c;
}

export async function receiptFor(deps: AppDeps, c: Campaign, publicId: string) {
  const d = await findDraw(deps.db, c.id);
  if (!d?.roster_root || d.roster_size === null) {
    throw new DomainError(
      'not_found',
      'The roster is not frozen yet; receipts gain their proof at the close',
    );
  }
  const found = await findRosterEntry(deps.db, c.id, publicId);
  if (!found) throw new DomainError('not_found', 'No such receipt number in this roster');
  const proof = await inclusionProof(deps.db, c.id, found, d.roster_size);
  // The shape verifyReceipt and `npm run verify -- --receipt` accept.
  return {
    entry: found.entry,
    index: found.idx,
    tree_size: d.roster_size,
    proof: proof.map((p) => toHex(p)),
    roster_root: d.roster_root,
  };
}

export function drawApiRoutes(router: Router, deps: AppDeps): void {
  router.get('/api/campaigns/:id/audit', async (ctx) => {
    ctx.body = await auditView(deps.db, await publicCampaign(deps, ctx.params.id));
  });

  router.get('/api/campaigns/:id/results/:public_id', async (ctx) => {
    const c = await publicCampaign(deps, ctx.params.id);
    const result = await resultView(deps.db, c.id, parsePublicId(ctx.params.public_id));
    if (!result)
      throw new DomainError(
        'not_found',
        'No result for this receipt number (not drawn yet, or not in the roster)',
      );
    ctx.body = { result };
  });

  router.get('/api/campaigns/:id/receipts/:public_id', async (ctx) => {
    const c = await publicCampaign(deps, ctx.params.id);
    ctx.body = await receiptFor(deps, c, parsePublicId(ctx.params.public_id));
  });

  router.get('/api/campaigns/:id/bundle.json', async (ctx: Context) => {
    const c = await publicCampaign(deps, ctx.params.id);
    const d = await findDraw(deps.db, c.id);
    if (!isDrawn(c, d))
      throw new DomainError('not_found', 'The bundle is published with the results of the draw');
    ctx.type = 'application/json';
    ctx.set('Content-Disposition', `attachment; filename="draw-${c.code}.json"`);
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = Readable.from(streamBundle(deps.db, c, d));
  });

  router.get('/api/admin/campaigns/:id/draw', requireStaff('admin', 'auditor'), async (ctx) => {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!c) throw new DomainError('not_found', 'No such campaign');
    const d = await findDraw(deps.db, c.id);
    ctx.body = {
      ...(await auditView(deps.db, c)),
      beacon_missing_since: d?.beacon_missing_since?.toISOString() ?? null,
      beacon_recorded_by: d?.beacon_recorded_by ?? null,
      notified_through_rank: d?.notified_through_rank ?? 0,
    };
  });

  router.post('/api/admin/campaigns/:id/beacon', requireStaff('admin'), async (ctx) => {
    const { beacon } = parse(beaconSchema, ctx.request.body);
    const r = await recordBeacon(deps.notices, staffActor(ctx.state.staff), parseId(ctx.params.id), beacon);
    ctx.status = 201;
    ctx.body = r;
  });

  router.post('/api/admin/campaigns/:id/awards/:public_id/collect', requireStaff('admin'), async (ctx) => {
    const { claim_code } = parse(collectSchema, bodyOf(ctx));
    const r = await collectAward(
      counterContext(deps),
      counterStaff(ctx.state.staff),
      parseId(ctx.params.id),
      parsePublicId(ctx.params.public_id),
      claim_code,
    );
    ctx.body = { collected: presentCollection(r) };
  });
}
