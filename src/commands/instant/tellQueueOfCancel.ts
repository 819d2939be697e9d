// A sale cancelled with people in its queue: each place still waiting (no purchase, no turn spent) is told that the
// sale will not come (tellOfCancel.ts writes them, by the cancel's job), the head of the queue first. A place whose
// contact will not open is left to its page.
import { QUEUE_START, type QueuePosition, waitingPlacesToTell } from '../../db/repos/instantQueue.js';
import { type Campaign, cancelNoteOf } from '../../domain/campaign.js';
import type { NoticeEnv } from '../awardNotices.js';
import type { ToTell } from '../tellInBatches.js';
import { contactOf, placeNotice } from './placeNotice.js';

export function waitingPlaces(
  env: NoticeEnv,
  c: Campaign,
): ToTell<Awaited<ReturnType<typeof waitingPlacesToTell>>[number], QueuePosition> {
  return {
    start: QUEUE_START,
    next: (trx, after, limit) => waitingPlacesToTell(trx, c.id, after, limit),
    keyOf: (p) => p.position,
    notice: (p) => {
      const to = contactOf(env, p);
      return to === undefined
        ? undefined
        : placeNotice(env, c, p, to, {
            kind: 'queue_cancelled',
            dedupeKey: `queue_cancelled:${c.id}:${p.ticket}`,
            params: cancelNoteOf(c, p.lang),
          });
    },
  };
}
