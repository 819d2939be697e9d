// The audit log's actors as an auditor reads them: a staff member's `staff:<id>` (what the hash chain holds) with
// their email and role beside it; a system actor as it is.

import type { Db } from '../../../db/knex.js';
import { staffByIds } from '../../../db/repos/staff.js';
import type { Translate } from '../../../i18n/catalogue.js';

const STAFF_ACTOR = /^staff:([0-9a-f-]{36})$/;

export interface ActorView {
  /** as stored */
  label: string;
  /** who that is, e.g. "clerk@city.example · 관리자"; '' for a system actor or a staff row gone */
  who: string;
}

/** Each row's actor with who it is, read in one query for the page. */
export async function actorViews(db: Db, actors: readonly string[], t: Translate): Promise<ActorView[]> {
  const ids = actors.map((a) => STAFF_ACTOR.exec(a)?.[1]).filter((id): id is string => id !== undefined);
  const staff = new Map((await staffByIds(db, ids)).map((s) => [s.id, s]));
  return actors.map((label) => {
    const s = staff.get(STAFF_ACTOR.exec(label)?.[1] ?? '');
    return { label, who: s ? `${s.email} · ${t(`admin.role.${s.role}`)}` : '' };
  });
}
