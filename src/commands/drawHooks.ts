// The draw's part in a campaign's life, as TransitionHooks run inside the reconciler's transition transaction:
// at the opening, commit to a secret and name the beacon; at the close, enqueue the roster freeze (the worker
// runs freezeDrawRoster: seconds at a million applications, which must not hold up the reconciler's pass).
import { appendAudit } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import { enqueueRosterFreeze } from '../db/repos/drawJobs.js';
import { findDraw, insertCommitment, setRosterRoot } from '../db/repos/draws.js';
import { freezeRoster, loadRosterFile, saveTreeLevels } from '../db/repos/roster.js';
import { listCampaignSlots } from '../db/repos/slots.js';
import type { Campaign } from '../domain/campaign.js';
import { canonicalJson } from '../domain/canonical.js';
import {
  firstUnsortedColumn,
  leafHashesOf,
  MerkleTree,
  seedCommitment,
  toHex,
  validateRules,
} from '../domain/draw/index.js';
import { encryptText } from '../identity/crypto.js';
import type { TransitionHook } from './advanceCampaigns.js';
import type { DrawContext } from './drawContext.js';
import { beaconSourceFor, drawRulesFor } from './drawRules.js';
import { FIRST_STORED_LEVEL } from './inclusionProof.js';

const DRAWN_MODES = new Set(['lottery', 'reservation']);
const ACTOR = 'system:reconciler';

/** The operator secret is sealed to its campaign: a ciphertext copied to another campaign does not open. */
export const secretAad = (campaignId: string) => `draw-secret:${campaignId}`;

export async function commitDraw(ctx: DrawContext, trx: Trx, c: Campaign, now: Date): Promise<void> {
  if (await findDraw(trx, c.id)) return;
  const secret = ctx.random.bytes(32);
  if (secret.length !== 32) throw new Error('the random source gave fewer than 32 bytes');
  const rules = drawRulesFor(c, await listCampaignSlots(trx, c.id));
  const beaconSource = beaconSourceFor(c, ctx.beaconSource);
  const commitment = seedCommitment(secret);
  await insertCommitment(trx, {
    campaign_id: c.id,
    secret_enc: encryptText(ctx.secrets, secret.toString('hex'), secretAad(c.id)),
    seed_commitment: commitment,
    beacon_source: beaconSource,
    rules: canonicalJson(rules, { strict: true }),
    committed_at: now,
  });
  secret.fill(0);
  await appendAudit(trx, {
    at: now,
    actor: ACTOR,
    action: 'draw.committed',
    subject: `campaign:${c.id}`,
    data: { version: 'draw-v1', seed_commitment: commitment, beacon_source: beaconSource },
  });
}

export async function freezeDrawRoster(
  ctx: DrawContext,
  trx: Trx,
  c: Campaign,
  now: Date,
  mark?: (phase: string) => void,
): Promise<void> {
  let draw = await findDraw(trx, c.id);
  if (!draw) {
    // Opened before the draw was wired in: commit now. Still before the beacon exists, but say so in the log.
    ctx.logger?.warn({ campaign: c.id }, 'no draw commitment from the opening; committing at the close');
    await commitDraw(ctx, trx, c, now);
    draw = await findDraw(trx, c.id);
  }
  if (!draw || draw.roster_root) return;
  const rules = validateRules(JSON.parse(draw.rules));
  // The entries hashed are those read from the bytes the snapshot was written from (freezeRoster), into the
  // engine's columns; checked as they are read, so a roster the draw would refuse is found now, not at draw time.
  const { columns: roster } =
    (await freezeRoster(trx, c.id, rules)) ?? (await loadRosterFile(trx, c.id, rules));
  mark?.('snapshot (COPY out, COPY in while read and checked, indexes, ANALYZE)');
  // COLLATE "C" orders UTF-8 bytes as draw-v1 does; checked, since the leaf index is the published position.
  const bad = firstUnsortedColumn(roster);
  if (bad >= 0) throw new Error(`roster entry ${bad} of campaign ${c.id} is out of bytewise order`);
  const tree = new MerkleTree(leafHashesOf(roster));
  mark?.('leaf hashes, tree');
  await saveTreeLevels(trx, c.id, tree.levels, FIRST_STORED_LEVEL); // receipts recompute the rest
  mark?.('store tree levels');
  const root = toHex(tree.root);
  await setRosterRoot(trx, c.id, root, roster.length, now);
  await appendAudit(trx, {
    at: now,
    actor: ACTOR,
    action: 'draw.roster_frozen',
    subject: `campaign:${c.id}`,
    data: { roster_root: root, roster_size: roster.length },
  });
}

/** The hooks main.ts (and tests) give the reconciler. */
export function drawHooks(ctx: DrawContext): TransitionHook[] {
  return [
    async (trx, { campaign, transition }, now) => {
      if (!DRAWN_MODES.has(campaign.mode)) return;
      if (transition.to === 'open') await commitDraw(ctx, trx, campaign, now);
      else if (transition.to === 'closed') await enqueueRosterFreeze(trx, campaign.id);
    },
  ];
}
