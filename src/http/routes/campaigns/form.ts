// The admin campaign form: flat HTML fields (priority groups as table rows; slots have their own pages) to and from
// the body shape the JSON API takes, so both go through the same parseCampaignBody and commands.
import { DateTime } from 'luxon';
import {
  type Campaign,
  DRAW_MOMENTS,
  DRAW_RULE_DEFAULTS,
  hasDraw,
  type SlotInput,
  VERIFICATION_METHODS,
} from '../../../domain/campaign.js';
import { CONTACT_FIELDS } from '../../../domain/contact.js';
import type { FieldErrors, Problem } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { linesByField, pageText } from '../../problems.js';
import { SCHEDULE_FIELDS } from './schema.js';

/** What the form shows: every field as the text in its input. */
export type CampaignFormValues = Record<string, string>;

const SCALARS = [
  'code',
  'kind',
  'mode',
  'title_ko',
  'title_en',
  'description_ko',
  'description_en',
  // blank is none (the schema's null)
  ...CONTACT_FIELDS,
  'time_zone',
  ...SCHEDULE_FIELDS,
  // the draw's beacon sentence; blank is the service default (the schema's null)
  'beacon_source',
  'unit',
  'total',
  'denomination',
  'per_person_max',
  'partial',
  'unclaimed_policy',
  'voucher_unit',
  'discount_percent',
  'voucher_valid_days',
  'checkout_minutes',
  'claim_period_hours',
] as const;

export const NEW_CAMPAIGN_VALUES: CampaignFormValues = {
  kind: 'voucher',
  mode: 'lottery',
  time_zone: 'Asia/Seoul',
  unit: 'KRW',
  partial: 'skip',
  unclaimed_policy: 'pass_down',
  verify_sms: 'on',
  verify_oidc: 'on',
};

const VERIFY_FIELDS = VERIFICATION_METHODS.map((m) => `verify_${m}`);

/** A datetime-local value in the campaign's zone; seconds only when the moment has them. */
export function localInput(d: Date, zone: string): string {
  const dt = DateTime.fromJSDate(d, { zone });
  return dt.toFormat(dt.second !== 0 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm");
}

export function formValuesOf(c: Campaign): CampaignFormValues {
  const v: CampaignFormValues = {};
  for (const k of SCALARS) {
    const value = k === 'discount_percent' ? (c.discount_bp ?? 0) / 100 : c[k];
    v[k] = value instanceof Date ? localInput(value, c.time_zone) : String(value ?? '');
  }
  // an instant sale's draw and claim moments are not its operator's (they follow its close): none to show, and a
  // switch to a lottery asks for real ones rather than offering the close's. Its draw rules show as the defaults,
  // also for a sale saved with others before they were refused (they did nothing for it), so the hidden fields post
  // only what a sale may have.
  if (!hasDraw(c.mode)) {
    for (const k of DRAW_MOMENTS) v[k] = '';
    for (const [k, value] of Object.entries(DRAW_RULE_DEFAULTS)) v[k] = String(value);
  }
  v.regions = c.eligibility.regions.join('\n');
  v.min_age = c.eligibility.min_age != null ? String(c.eligibility.min_age) : '';
  v.max_age = c.eligibility.max_age != null ? String(c.eligibility.max_age) : '';
  v.birth_year_rotation = c.eligibility.birth_year_rotation ? 'on' : '';
  c.groups.forEach((g, i) => {
    for (const k of GROUP_COLUMNS) v[`group_${i}_${k}`] = String(g[k] ?? '');
  });
  for (const m of VERIFICATION_METHODS) v[`verify_${m}`] = c.verification_methods.includes(m) ? 'on' : '';
  v.version = String(c.version);
  return v;
}

/** A priority group's cells in the form's table, one row per group (row i: group_<i>_<column>). */
export const GROUP_COLUMNS = [
  'name',
  'name_ko',
  'name_en',
  'proof_ko',
  'proof_en',
  'reserved',
  'weight',
  'check',
  'min_age',
] as const;
export const MAX_GROUP_ROWS = 20;
const GROUP_CELL = /^group_(\d{1,2})_(name|name_ko|name_en|proof_ko|proof_en|reserved|weight|check|min_age)$/;

/** How many group rows the form shows: every filled one and two blank ones to add more. */
export function groupRowCount(v: CampaignFormValues): number {
  let last = -1;
  for (const [k, value] of Object.entries(v)) {
    const m = GROUP_CELL.exec(k);
    if (m && value.trim() !== '') last = Math.max(last, Number(m[1]));
  }
  return Math.min(MAX_GROUP_ROWS, Math.max(3, last + 3));
}

/** The submitted form as text, for showing it again after an error. Unknown fields are dropped. */
export function formValuesFrom(form: Record<string, unknown>): CampaignFormValues {
  const v: CampaignFormValues = {};
  const keys = [
    ...SCALARS,
    'regions',
    'min_age',
    'max_age',
    'birth_year_rotation',
    ...VERIFY_FIELDS,
    'version',
  ];
  for (const k of keys) {
    const raw = form[k];
    v[k] = typeof raw === 'string' ? raw : '';
  }
  for (const [k, raw] of Object.entries(form)) {
    const m = GROUP_CELL.exec(k);
    if (m && Number(m[1]) < MAX_GROUP_ROWS && typeof raw === 'string') v[k] = raw;
  }
  return v;
}

/** The form as the JSON body; checking it is left to parseCampaignBody and the domain rules. */
export interface FormBody {
  body: Record<string, unknown>;
  /** the table row each group (and the list line each slot) came from, to point errors at it */
  lineOf: LineNumbers;
}
export type LineNumbers = { groups: number[]; slots: number[] };

/** `slots`: the campaign's current slots, kept as they are (they are edited on the slot pages). */
export function bodyFromForm(v: CampaignFormValues, slots: readonly SlotInput[] = []): FormBody {
  const lineOf: LineNumbers = { groups: [], slots: [] };
  const body: Record<string, unknown> = {};
  for (const k of SCALARS) body[k] = v[k] ?? '';
  // An empty optional text is "not given", so the schema's default applies.
  for (const k of [
    'description_ko',
    'description_en',
    'time_zone',
    'voucher_unit',
    'discount_percent',
    'voucher_valid_days',
    'checkout_minutes',
    'claim_period_hours',
  ] as const) {
    if (!body[k]) delete body[k];
  }

  const eligibility: Record<string, unknown> = {
    regions: (v.regions ?? '')
      .split(/[\n,]/)
      .map((r) => r.trim())
      .filter(Boolean),
    birth_year_rotation: v.birth_year_rotation === 'on' || v.birth_year_rotation === 'true',
  };
  if (v.min_age?.trim()) eligibility.min_age = v.min_age.trim();
  if (v.max_age?.trim()) eligibility.max_age = v.max_age.trim();
  body.eligibility = eligibility;

  // A row with any cell filled is a group; blank optional cells are left out so the schema's defaults apply.
  const groups: Array<Record<string, string>> = [];
  for (let i = 0; i < MAX_GROUP_ROWS; i++) {
    const row = Object.fromEntries(GROUP_COLUMNS.map((k) => [k, (v[`group_${i}_${k}`] ?? '').trim()]));
    // A row whose only value is the check select's default is still blank.
    if (Object.values(row).every((cell) => cell === '' || cell === 'declared')) continue;
    for (const k of GROUP_COLUMNS) if (k !== 'name' && k !== 'reserved' && row[k] === '') delete row[k];
    lineOf.groups.push(i + 1);
    groups.push(row);
  }
  body.groups = groups;
  // None ticked (or a form from before the choice existed): the campaign takes the default methods.
  const methods = VERIFICATION_METHODS.filter((m) => v[`verify_${m}`] === 'on');
  if (methods.length) body.verification_methods = methods;

  body.slots = slots.map((s) => ({
    ...s,
    starts_at: s.starts_at.toISOString(),
    ends_at: s.ends_at.toISOString(),
  }));
  lineOf.slots = slots.map((_, i) => i + 1);

  return { body, lineOf };
}

const LINE_FIELDS = new Set(['groups', 'slots']);
/** A row's cell as the page names it: a group table's column heading, a slot's field. */
const CELL_LABEL: Record<'groups' | 'slots', (cell: string) => string> = {
  groups: (cell) => `admin.group.${cell}`,
  slots: (cell) => `admin.slots.${{ site_id: 'site', starts_at: 'starts', ends_at: 'ends' }[cell] ?? cell}`,
};

/**
 * Every problem from the schema and the domain ("eligibility.min_age", "slots.2.capacity") in the page's words,
 * keyed by the form field that shows it, a field's faults one line each; errors in a row of a table name the row
 * and its column.
 */
export function formErrors(
  problems: readonly Problem[],
  t: Translate,
  lang: Lang,
  lineOf: LineNumbers = { groups: [], slots: [] },
): FieldErrors {
  const text = pageText(t, lang);
  /** the form field that shows a problem, and its words there */
  const place = (p: Problem): [string, string] => {
    const msg = text(p);
    const parts = p.field.split('.');
    const head = parts[0] ?? '_';
    if (head === 'eligibility') {
      const sub = parts[1] ?? 'regions';
      return [sub === 'birth_year_rotation' ? 'birth_year_rotation' : sub, msg];
    }
    if (LINE_FIELDS.has(head) && parts.length > 1 && /^\d+$/.test(parts[1]!)) {
      const table = head as keyof LineNumbers;
      const index = Number(parts[1]);
      const n = lineOf[table][index] ?? index + 1;
      const row = t(table === 'groups' ? 'admin.slots.row' : 'admin.slot_n', { n });
      const cell = parts[2] ? ` (${labelOr(t, CELL_LABEL[table](parts[2]), parts[2])})` : '';
      return [head, `${row}${cell}: ${msg}`];
    }
    if (head === 'verification_methods') return ['verify_sms', msg];
    if ((SCALARS as readonly string[]).includes(head) || LINE_FIELDS.has(head)) return [head, msg];
    return ['_', msg];
  };
  const out = linesByField(problems.map(place));
  // In the order the fields appear on the form, so the summary reads top to bottom.
  const order = [
    ...SCALARS,
    'regions',
    'min_age',
    'max_age',
    'birth_year_rotation',
    'groups',
    'verify_sms',
    'slots',
  ] as string[];
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => rank(a) - rank(b)));
}

/** The catalogue's words for a key, or `fallback` when it has none. */
function labelOr(t: Translate, key: string, fallback: string): string {
  const words = t(key);
  return words === key ? fallback : words;
}
