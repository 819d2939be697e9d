// A person's first application to a campaign, as one statement with its receipt: alone, or many people's at once.
import { type Batched, batched } from '../batch.js';
import type { Db, Trx } from '../knex.js';
import { preparedStatement } from '../prepared.js';
import {
  type Application,
  CHECK_SQL,
  type NewApplication,
  ROOT_IDENTITY,
  reviveDates,
  rootIdentityOf,
  WINDOW_SQL,
  type WindowCheck,
  type WindowRow,
  windowOf,
} from './applications.js';
import { insertMessageSql, messageBindings, NEW_MESSAGE_TYPES, type NewMessage } from './messages.js';

export interface FirstApplication {
  a: NewApplication & { id: string };
  /** the identity's declared region, kept when the application is written */
  region: string | null;
  /** the receipt message (outbox), written with the application */
  receipt: NewMessage | null;
}

export interface FirstOutcome {
  /** undefined when nothing was written: the window refused, or the person already has an application */
  inserted: (Application & { created: boolean }) | undefined;
  window: WindowCheck;
}

type FirstRow = WindowRow & { inserted: (Application & { created: boolean }) | null };

const outcomeOf = (row: FirstRow): FirstOutcome => ({
  inserted: row.inserted ? reviveDates(row.inserted) : undefined,
  window: windowOf(row),
});

function firstApplicationSql(withReceipt: boolean): string {
  return `
    WITH ins AS (
      INSERT INTO applications AS a (id, campaign_id, identity_id, public_id, channel, proxy_id, request,
        preferences, group_name, weight, lang, contact_channel, contact_enc, region, birth_date_enc,
        birth_date_source, group_source, created_at, updated_at)
      SELECT :id, c.id, ${ROOT_IDENTITY}, :public_id, :channel, :proxy_id, :request, :preferences::text[],
        :group_name, :weight, :lang, :contact_channel, :contact_enc, :region, :birth_date_enc,
        :birth_date_source, :group_source, statement_timestamp(), statement_timestamp()
      FROM campaigns c WHERE c.id = :campaign_id AND ${WINDOW_SQL}
      ON CONFLICT (campaign_id, identity_id) DO NOTHING
      RETURNING a.*, true AS created
    ), region AS (
      UPDATE identities SET region = :region, updated_at = now()
       WHERE id = :identity_id AND :region::text IS NOT NULL AND EXISTS (SELECT 1 FROM ins)
    )${withReceipt ? `, receipt AS (${insertMessageSql('EXISTS (SELECT 1 FROM ins)')})` : ''}
    , chk AS (${CHECK_SQL})
    SELECT (SELECT row_to_json(ins) FROM ins) AS inserted, chk.* FROM (SELECT 1) one LEFT JOIN chk ON true`;
}

// Named (prepared) statements: parsed and planned once per connection, not per application; this doubled
// the statement's rate at 64 concurrent callers (1,477 -> 2,958/s on a loaded 2-core machine).
const applyFirst = preparedStatement('apply_first', firstApplicationSql(false));
const applyFirstWithReceipt = preparedStatement('apply_first_with_receipt', firstApplicationSql(true));

/**
 * A first application in one statement, so one round trip and no explicit transaction: the gated insert,
 * the identity's declared region and the receipt message (outbox) commit together or not at all. When the
 * person already has an application, active or withdrawn, nothing is written (`inserted` undefined and the
 * window open): the caller takes the transactional path, which re-activates or reports the duplicate.
 */
export async function insertFirstApplication(db: Db | Trx, f: FirstApplication): Promise<FirstOutcome> {
  const bindings = { ...f.a, region: f.region };
  const { rows } = f.receipt
    ? await applyFirstWithReceipt<FirstRow>(db, { ...bindings, ...messageBindings(f.receipt) })
    : await applyFirst<FirstRow>(db, bindings);
  return outcomeOf(rows[0]!);
}

const APPLICATION_TYPES: Record<Exclude<keyof FirstApplication['a'], 'region'>, string> = {
  id: 'uuid',
  campaign_id: 'uuid',
  rules_version: 'int',
  identity_id: 'uuid',
  public_id: 'text',
  channel: 'text',
  proxy_id: 'uuid',
  request: 'bigint',
  preferences: 'text[]',
  group_name: 'text',
  weight: 'int',
  lang: 'text',
  contact_channel: 'text',
  contact_enc: 'text',
  birth_date_enc: 'text',
  birth_date_source: 'text',
  group_source: 'text',
};
const MESSAGE_TYPES = Object.entries(NEW_MESSAGE_TYPES);

// The same statement for many people, read from one JSON array (one parameter, one plan for any count). Rows
// are inserted in identity order, so two batches never wait on each other's keys in opposite orders.
const applyFirstMany = preparedStatement(
  'apply_first_many',
  `WITH r AS (
     SELECT * FROM json_to_recordset(:rows::json) AS r(n int, region text,
       ${Object.entries(APPLICATION_TYPES)
         .map(([c, t]) => `${c} ${t}`)
         .join(', ')},
       ${MESSAGE_TYPES.map(([c, t]) => `m_${c} ${t}`).join(', ')})
   ), ins AS (
     INSERT INTO applications AS a (id, campaign_id, identity_id, public_id, channel, proxy_id, request,
       preferences, group_name, weight, lang, contact_channel, contact_enc, region, birth_date_enc,
       birth_date_source, group_source, created_at, updated_at)
     SELECT r.id, c.id, ${rootIdentityOf('r.identity_id')}, r.public_id, r.channel,
       r.proxy_id, r.request, r.preferences, r.group_name, r.weight, r.lang, r.contact_channel, r.contact_enc,
       r.region, r.birth_date_enc, r.birth_date_source, r.group_source, statement_timestamp(), statement_timestamp()
     FROM r JOIN campaigns c ON c.id = r.campaign_id
     WHERE ${WINDOW_SQL.replace(':rules_version', 'r.rules_version')}
     ORDER BY r.identity_id
     ON CONFLICT (campaign_id, identity_id) DO NOTHING
     RETURNING a.*, true AS created
   ), region AS (
     UPDATE identities i SET region = r.region, updated_at = now() FROM r
      WHERE i.id = r.identity_id AND r.region IS NOT NULL AND r.id IN (SELECT id FROM ins)
   ), receipt AS (
     INSERT INTO messages (${MESSAGE_TYPES.map(([c]) => c).join(', ')}, awaiting_job)
     SELECT ${MESSAGE_TYPES.map(([c]) => `r.m_${c}`).join(', ')}, true
     FROM r WHERE r.m_dedupe_key IS NOT NULL AND r.id IN (SELECT id FROM ins)
     ON CONFLICT (dedupe_key) DO NOTHING
   ), chk AS (
     SELECT c.id, c.state, c.rules_version, statement_timestamp() >= c.opens_at AS started,
            statement_timestamp() >= c.closes_at AS ended
     FROM campaigns c WHERE c.id IN (SELECT campaign_id FROM r)
   )
   SELECT CASE WHEN ins.id IS NOT NULL THEN row_to_json(ins) END AS inserted,
          chk.state, chk.rules_version, chk.started, chk.ended
   FROM r LEFT JOIN ins ON ins.id = r.id LEFT JOIN chk ON chk.id = r.campaign_id
   ORDER BY r.n`,
);

/**
 * Many people's first applications in one statement and one commit, each answered as insertFirstApplication
 * would answer it alone (a person already applied, or two of the same person, leave the others written).
 * Atomic: when it fails, nothing of it was written.
 */
export async function insertFirstApplications(db: Db | Trx, fs: FirstApplication[]): Promise<FirstOutcome[]> {
  const rows = fs.map((f, n) => {
    const row: Record<string, unknown> = { ...f.a, n, region: f.region };
    if (f.receipt) for (const [c, v] of Object.entries(f.receipt)) row[`m_${c}`] = v;
    return row;
  });
  const { rows: out } = await applyFirstMany<FirstRow>(db, { rows: JSON.stringify(rows) });
  return out.map(outcomeOf);
}

/**
 * insertFirstApplication for a process's concurrent requests: those arriving while `lanes` statements are at
 * the database go together through insertFirstApplications (see db/batch.ts).
 */
export function batchedFirstApplications(db: Db, lanes: number): Batched<FirstApplication, FirstOutcome> {
  return batched({
    one: (f) => insertFirstApplication(db, f),
    many: (fs) => insertFirstApplications(db, fs),
    lanes,
    maxBatch: 64,
  });
}
