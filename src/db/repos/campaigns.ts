import type {
  Campaign,
  CampaignInput,
  CampaignMode,
  CampaignSchedule,
  CampaignState,
} from '../../domain/campaign.js';
import type { CampaignContact } from '../../domain/contact.js';
import type { Db, Trx } from '../knex.js';

type CampaignRow = Omit<CampaignInput, 'slots'>;

function toRow(c: CampaignRow) {
  return { ...c, eligibility: JSON.stringify(c.eligibility), groups: JSON.stringify(c.groups) };
}

/** SQL: whether the campaigns row aliased `c` has closed by the database clock, or left the scheduled and open states. */
export const saleClosed = (c: string) =>
  `(${c}.state NOT IN ('scheduled', 'open') OR now() >= ${c}.closes_at)`;

export async function insertCampaign(
  trx: Trx,
  c: CampaignRow & { created_by: string | null },
): Promise<Campaign> {
  const [row] = await trx('campaigns').insert(toRow(c)).returning('*');
  return row as Campaign;
}

/** Updates only while the campaign is still editable and at the version the editor saw; a new rules version. */
export async function updateEditableCampaign(
  trx: Trx,
  id: string,
  version: number,
  c: CampaignRow,
  editable: readonly CampaignState[],
): Promise<Campaign | undefined> {
  const [row] = await trx('campaigns')
    .where({ id, version })
    .whereIn('state', editable)
    .update({
      ...toRow(c),
      version: trx.raw('version + 1'),
      rules_version: trx.raw('rules_version + 1'),
      updated_at: trx.fn.now(),
    })
    .returning('*');
  return row as Campaign | undefined;
}

export async function findCampaign(db: Db | Trx, id: string): Promise<Campaign | undefined> {
  return db('campaigns').where({ id }).first();
}

/**
 * The campaign's state, its row held FOR SHARE until the transaction ends: a state change (a cancel) waits for it,
 * or commits first and is read here.
 */
export async function lockCampaignState(trx: Trx, id: string): Promise<string | undefined> {
  const row = await trx('campaigns').where({ id }).forShare().first('state');
  return row?.state;
}

/** These campaigns (findCampaign for each), in one statement; the missing ones are not among them. */
export async function findCampaigns(db: Db | Trx, ids: readonly string[]): Promise<Campaign[]> {
  return db('campaigns').whereIn('id', [...ids]);
}

// FOR NO KEY UPDATE, not FOR UPDATE: writers of this campaign still serialise on it, but rows that merely
// reference it (a freeze's roster, an application) are not held up by it, which deadlocked the beacon with the freeze.

/** The campaign, locked for the rest of the transaction (edits, the beacon and the draw serialise on it). */
export async function lockCampaign(trx: Trx, id: string): Promise<Campaign | undefined> {
  return trx('campaigns').where({ id }).forNoKeyUpdate().first();
}

/** The campaign locked, if it is closed (the draw's precondition). */
export async function lockClosedCampaign(trx: Trx, id: string): Promise<Campaign | undefined> {
  return trx('campaigns').where({ id, state: 'closed' }).forNoKeyUpdate().first();
}

export async function findCampaignByCode(db: Db | Trx, code: string): Promise<Campaign | undefined> {
  return db('campaigns').whereRaw('upper(code) = upper(?)', [code]).first();
}

export async function listCampaigns(
  db: Db,
  opts: { states?: readonly CampaignState[] } = {},
): Promise<Campaign[]> {
  const q = db('campaigns').select('*').orderBy('opens_at', 'asc');
  if (opts.states) q.whereIn('state', opts.states);
  return q;
}

/**
 * Conditional state change: only one caller can move a campaign out of `from`. A new version, not new rules: an
 * application judged a moment before the opening stands after it.
 */
export async function transitionCampaign(
  trx: Trx,
  id: string,
  from: readonly CampaignState[],
  to: CampaignState,
  now: Date,
  also: Pick<Campaign, 'cancel_message_ko' | 'cancel_message_en'> = {},
): Promise<Campaign | undefined> {
  const [row] = await trx('campaigns')
    .where({ id })
    .whereIn('state', from)
    .update({ ...also, state: to, state_changed_at: now, version: trx.raw('version + 1'), updated_at: now })
    .returning('*');
  return row as Campaign | undefined;
}

/** Campaigns whose moment for `t` has come, earliest first. */
export async function listDueCampaignIds(
  db: Db,
  t: { from: CampaignState; at: keyof CampaignSchedule; modes: readonly CampaignMode[] },
  now: Date,
): Promise<string[]> {
  const rows: Array<{ id: string }> = await db('campaigns')
    .select('id')
    .where('state', t.from)
    .whereIn('mode', t.modes)
    .where(t.at, '<=', now)
    .orderBy(t.at);
  return rows.map((r) => r.id);
}

/** The earliest moment after `now` at which one of `transitions` becomes due for some campaign. */
export async function nextDueMoment(
  db: Db,
  transitions: ReadonlyArray<{
    from: CampaignState;
    at: keyof CampaignSchedule;
    modes: readonly CampaignMode[];
  }>,
  now: Date,
): Promise<Date | undefined> {
  const parts = transitions.map((t) =>
    db('campaigns').min({ m: t.at }).where('state', t.from).whereIn('mode', t.modes).where(t.at, '>', now),
  );
  const rows: Array<{ m: Date | null }> = await db.unionAll(parts, true);
  const times = rows.map((r) => r.m?.getTime()).filter((t): t is number => t !== undefined);
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/** Counts by state, for the open-campaigns gauge and the admin overview. */
export async function countCampaignsByState(db: Db): Promise<Array<{ state: CampaignState; count: number }>> {
  return db('campaigns')
    .select('state')
    .count<Array<{ state: CampaignState; count: number }>>('* as count')
    .groupBy('state');
}

/**
 * Sets whom residents ask, in any state: a new version (an edit form open meanwhile is stale), the same rules (an
 * application judged a moment before stands).
 */
export async function updateCampaignContact(
  trx: Trx,
  id: string,
  contact: Required<CampaignContact>,
): Promise<Campaign | undefined> {
  const [row] = await trx('campaigns')
    .where({ id })
    .update({ ...contact, version: trx.raw('version + 1'), updated_at: trx.fn.now() })
    .returning('*');
  return row as Campaign | undefined;
}

/** A goods campaign's stock follows its slots: sets the total and bumps both versions, while still editable. */
export async function setEditableCampaignTotal(
  trx: Trx,
  id: string,
  total: number,
  editable: readonly CampaignState[],
): Promise<Campaign | undefined> {
  const [row] = await trx('campaigns')
    .where({ id })
    .whereIn('state', editable)
    .update({
      total,
      version: trx.raw('version + 1'),
      rules_version: trx.raw('rules_version + 1'),
      updated_at: trx.fn.now(),
    })
    .returning('*');
  return row as Campaign | undefined;
}

/** Campaigns in these states with a pickup slot at the site, by claim opening (the counter's list). */
export async function listCampaignsAtSite(
  db: Db,
  siteId: string,
  states: readonly CampaignState[],
): Promise<Campaign[]> {
  return db('campaigns as c')
    .select('c.*')
    .whereIn('c.state', states)
    .whereExists(db('campaign_slots as s').whereRaw('s.campaign_id = c.id').where('s.site_id', siteId))
    .orderBy('c.claim_opens_at');
}
