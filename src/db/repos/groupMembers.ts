// Lists of people who may claim a restricted priority group, kept only as the HMACs identity keys use.
import type { Db, Trx } from '../knex.js';

export type MemberKind = 'phone' | 'oidc' | 'ci';

/** Whether any verified key of the person (or of an identity merged into them) is on the group's list. */
export async function isOnGroupList(
  db: Db | Trx,
  campaignId: string,
  group: string,
  identityId: string,
): Promise<boolean> {
  const { rows } = await db.raw(
    `SELECT EXISTS (
       SELECT 1 FROM group_members m JOIN identity_keys k ON k.key_hash = m.key_hash
       WHERE m.campaign_id = ? AND m.group_name = ?
         AND k.identity_id = (SELECT coalesce(merged_into, id) FROM identities WHERE id = ?)) AS on_list`,
    [campaignId, group, identityId],
  );
  return Boolean(rows[0]?.on_list);
}

/** Replaces a group's list with the given keys in one statement pair; returns how many are on it now. */
export async function replaceGroupList(
  trx: Trx,
  campaignId: string,
  group: string,
  members: ReadonlyArray<{ key_hash: string; kind: MemberKind }>,
): Promise<number> {
  await trx('group_members').where({ campaign_id: campaignId, group_name: group }).delete();
  for (let i = 0; i < members.length; i += 1000) {
    const batch = members
      .slice(i, i + 1000)
      .map((m) => ({ campaign_id: campaignId, group_name: group, ...m }));
    await trx('group_members').insert(batch).onConflict(['campaign_id', 'group_name', 'key_hash']).ignore();
  }
  const row = await trx('group_members')
    .where({ campaign_id: campaignId, group_name: group })
    .count<{ n: number }>('* as n')
    .first();
  return Number(row?.n ?? 0);
}

/** How many people are on each group's list for a campaign. */
export async function countGroupMembers(db: Db, campaignId: string): Promise<Record<string, number>> {
  const rows: Array<{ group_name: string; n: number }> = await db('group_members')
    .where({ campaign_id: campaignId })
    .select('group_name', db.raw('count(*)::int AS n'))
    .groupBy('group_name');
  return Object.fromEntries(rows.map((r) => [r.group_name, r.n]));
}
