// A sale cancelled with people in its queue: each place still waiting (no purchase, no turn spent) is told, in the
// cancel's transaction, that the sale will not come; a place whose contact will not open is left to its page.
import type { Trx } from '../../db/knex.js';
import { waitingPlacesToTell } from '../../db/repos/instantQueue.js';
import type { Campaign } from '../../domain/campaign.js';
import { enqueueNotices } from '../../notify/enqueue.js';
import type { NoticeRequest } from '../../notify/notice.js';
import type { NoticeEnv } from '../awardNotices.js';
import { contactOf, placeNotice } from './placeNotice.js';

export async function tellQueueOfCancel(env: NoticeEnv, trx: Trx, c: Campaign): Promise<number> {
  const notices: NoticeRequest[] = [];
  for (const p of await waitingPlacesToTell(trx, c.id)) {
    const to = contactOf(env, p);
    if (to === undefined) continue;
    notices.push(
      placeNotice(env, c, p, to, {
        kind: 'queue_cancelled',
        dedupeKey: `queue_cancelled:${c.id}:${p.ticket}`,
      }),
    );
  }
  return enqueueNotices(trx, notices, env.secrets.dataKey);
}
