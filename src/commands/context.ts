import type { Clock } from '../clock.js';
import type { Db } from '../db/knex.js';

/** What every use case receives: the database and the time source. */
export interface CommandContext {
  db: Db;
  clock: Clock;
}

/** Who is acting, as written to the audit log. */
export type Actor = { kind: 'staff'; id: string } | { kind: 'system'; name: string };

export function actorLabel(actor: Actor): string {
  return actor.kind === 'staff' ? `staff:${actor.id}` : `system:${actor.name}`;
}
