// An admin imports who may claim a restricted priority group: a CSV of phone numbers and/or provider subjects,
// each keyed on import with the HMAC identity keys use (never stored raw). The list replaces the group's list;
// a file with a bad line changes nothing and names the line.
import { parse } from 'csv-parse/sync';
import { appendAudit } from '../audit/log.js';
import { findCampaign } from '../db/repos/campaigns.js';
import { type MemberKind, replaceGroupList } from '../db/repos/groupMembers.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError, problem, validationFailed } from '../domain/errors.js';
import { normalisePhone } from '../domain/identity.js';
import { verifiedKey } from '../identity/crypto.js';
import { type Actor, actorLabel } from './context.js';
import { csvLines, csvParseFault } from './csvFault.js';
import type { IntakeContext } from './intakeContext.js';

export const MAX_LIST_ROWS = 200_000;

export interface ListImport {
  group: string;
  /** people on the list after the import */
  members: number;
  /** rows read (a person given by both phone and subject counts once per key) */
  rows: number;
}

/**
 * Rows of the CSV: a header naming `phone` and/or `subject` (an OIDC subject of the configured provider);
 * without a header, one phone number per line.
 */
function keysFrom(
  ctx: Pick<IntakeContext, 'secrets'>,
  csv: string,
  oidcIssuer: string | undefined,
): { keys: Array<{ key_hash: string; kind: MemberKind }>; rows: number } {
  let records: string[][];
  try {
    records = parse(csvLines(csv), {
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      bom: true,
    });
  } catch (err) {
    // the fault on the line csv-parse names (the page puts the line before it; the API gives it in details)
    const { problem: fault, line } = csvParseFault(err, 'csv');
    throw new DomainError('validation_failed', 'The file could not be read as CSV', {
      problems: [line ? { ...fault, params: { ...fault.params, line } } : fault],
      ...(line ? { details: { line } } : {}),
    });
  }
  const head = (records[0] ?? []).map((h) => h.toLowerCase());
  const named = head.includes('phone') || head.includes('subject');
  const phoneCol = named ? head.indexOf('phone') : 0;
  const subjectCol = named ? head.indexOf('subject') : -1;
  const rows = named ? records.slice(1) : records;
  if (rows.length === 0) throw validationFailed([problem('csv', 'group_list_no_rows')]);
  if (rows.length > MAX_LIST_ROWS)
    throw validationFailed([problem('csv', 'csv_too_many_rows', { max: MAX_LIST_ROWS })]);
  if (subjectCol >= 0 && !oidcIssuer) throw validationFailed([problem('csv', 'group_list_needs_oidc')]);
  const keys: Array<{ key_hash: string; kind: MemberKind }> = [];
  const bad: number[] = [];
  rows.forEach((row, i) => {
    const phoneText = phoneCol >= 0 ? (row[phoneCol] ?? '') : '';
    const subject = subjectCol >= 0 ? (row[subjectCol] ?? '') : '';
    const phone = phoneText ? normalisePhone(phoneText) : undefined;
    if ((phoneText && !phone) || (!phoneText && !subject)) bad.push(i + (named ? 2 : 1));
    if (phone) keys.push({ key_hash: verifiedKey.phone(ctx.secrets, phone).hash, kind: 'phone' });
    if (subject && oidcIssuer)
      keys.push({ key_hash: verifiedKey.oidc(ctx.secrets, oidcIssuer, subject).hash, kind: 'oidc' });
  });
  if (bad.length) {
    // the first ten named, the rest counted
    const lines = bad.slice(0, 10).join(', ');
    throw validationFailed([
      bad.length > 10
        ? problem('csv', 'group_list_bad_lines_more', { lines, more: bad.length - 10 })
        : problem('csv', 'group_list_bad_lines', { lines }),
    ]);
  }
  return { keys, rows: rows.length };
}

export async function importGroupList(
  ctx: IntakeContext,
  actor: Actor,
  i: { campaign_id: string; group: string; csv: string; oidc_issuer: string | undefined },
): Promise<ListImport> {
  const campaign = await findCampaign(ctx.db, i.campaign_id);
  if (!campaign) throw new DomainError('not_found', 'No such campaign');
  const group = campaign.groups.find((g) => g.name === i.group);
  if (!group) throw new DomainError('not_found', 'No such priority group');
  if (group.check !== 'list') throw validationFailed([problem('group', 'group_list_only_list_groups')]);
  const { keys, rows } = keysFrom(ctx, i.csv, i.oidc_issuer);
  return inTransaction(ctx.db, async (trx) => {
    const members = await replaceGroupList(trx, campaign.id, group.name, keys);
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'group_list.imported',
      subject: `campaign:${campaign.id}`,
      data: { group: group.name, rows, members },
    });
    return { group: group.name, members, rows };
  });
}
