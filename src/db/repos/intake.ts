// The admin intake view: counts over the (campaign_id, created_at) index, nothing per person.
import type { Db } from '../knex.js';

export interface IntakeStats {
  total: number;
  withdrawn: number;
  per_hour: Array<{ hour: string; count: number }>;
  per_channel: Array<{ channel: string; count: number }>;
  per_group: Array<{ group: string; count: number }>;
  requested: number;
}

export async function intakeStats(db: Db, campaignId: string, zone: string): Promise<IntakeStats> {
  const [totals, perHour, perChannel, perGroup] = await Promise.all([
    db('applications')
      .where({ campaign_id: campaignId })
      .select(
        db.raw("count(*) FILTER (WHERE status = 'active')::int AS total"),
        db.raw("count(*) FILTER (WHERE status = 'withdrawn')::int AS withdrawn"),
        db.raw("coalesce(sum(request) FILTER (WHERE status = 'active'), 0)::bigint AS requested"),
      )
      .first(),
    db.raw(
      `SELECT to_char(date_trunc('hour', created_at AT TIME ZONE ?), 'YYYY-MM-DD"T"HH24:00') AS hour, count(*)::int AS count
       FROM applications WHERE campaign_id = ? AND status = 'active' GROUP BY 1 ORDER BY 1`,
      [zone, campaignId],
    ),
    db('applications')
      .where({ campaign_id: campaignId, status: 'active' })
      .select('channel', db.raw('count(*)::int AS count'))
      .groupBy('channel')
      .orderBy('channel'),
    db('applications')
      .where({ campaign_id: campaignId, status: 'active' })
      .select('group_name as group', db.raw('count(*)::int AS count'))
      .groupBy('group_name')
      .orderBy('group_name'),
  ]);
  // An aggregate with no GROUP BY returns exactly one row, even over no applications: the counts and the
  // coalesced sum are never NULL.
  return {
    total: totals.total,
    withdrawn: totals.withdrawn,
    requested: Number(totals.requested),
    per_hour: perHour.rows,
    per_channel: perChannel,
    per_group: perGroup,
  };
}
