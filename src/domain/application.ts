// What a resident asks for and whether it fits the campaign's rules. Pure: ids come from bytes passed in.
import type { Campaign, PriorityGroup } from './campaign.js';
import { crockfordBase32 } from './crockford.js';
import type { FieldErrors } from './errors.js';

export const CHANNELS = ['web', 'sms', 'proxy', 'api'] as const;
export type ApplicationChannel = (typeof CHANNELS)[number];

export interface ApplicationRequest {
  /** KRW for vouchers, items for goods: a multiple of the denomination, at most the per-person limit */
  amount: number;
  /** ranked site ids, most wanted first */
  sites: string[];
  /** priority group claimed, '' for none */
  group: string;
}

export const MAX_RANKED_SITES = 5;

/** Everything wrong with a request, by field, in plain words; empty when it fits. */
export function validateRequest(
  c: Pick<Campaign, 'denomination' | 'per_person_max' | 'unit'> & {
    groups: ReadonlyArray<Pick<PriorityGroup, 'name'>>;
  },
  campaignSiteIds: ReadonlySet<string>,
  r: ApplicationRequest,
): FieldErrors {
  const e: FieldErrors = {};
  const unit = c.unit === 'KRW' ? 'KRW' : 'items';
  if (!Number.isSafeInteger(r.amount) || r.amount < c.denomination) {
    e.amount = `Ask for at least ${c.denomination} ${unit}`;
  } else if (r.amount % c.denomination !== 0) {
    e.amount = `The amount must be a multiple of ${c.denomination} ${unit}`;
  } else if (r.amount > c.per_person_max) {
    e.amount = `The most one person may ask for is ${c.per_person_max} ${unit}`;
  }
  if (campaignSiteIds.size === 0) {
    if (r.sites.length > 0) e.sites = 'This campaign has no pickup sites to choose';
  } else if (r.sites.length === 0) {
    e.sites = 'Choose at least one pickup site';
  } else if (r.sites.length > MAX_RANKED_SITES) {
    e.sites = `Choose at most ${MAX_RANKED_SITES} pickup sites`;
  } else if (new Set(r.sites).size !== r.sites.length) {
    e.sites = 'Each pickup site may be ranked only once';
  } else {
    const unknown = r.sites.filter((s) => !campaignSiteIds.has(s));
    if (unknown.length > 0) e.sites = `Unknown pickup site: ${unknown.join(', ')}`;
  }
  if (r.group !== '' && !c.groups.some((g) => g.name === r.group)) e.group = 'No such priority group';
  return e;
}

/** The draw weight a claimed group carries (1 without a group). */
export function weightFor(
  c: { groups: ReadonlyArray<Pick<PriorityGroup, 'name' | 'weight'>> },
  group: string,
): number {
  return c.groups.find((g) => g.name === group)?.weight ?? 1;
}

/** 'A' + 9 Crockford base32 characters (45 bits): short to read out, no I/L/O/U, hard to guess. */
export function publicIdFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 6) throw new Error('publicIdFromBytes needs 6 bytes');
  return `A${crockfordBase32(bytes, 9)}`;
}

/** Six decimal digits from 8 random bytes (modulo bias below 1e-13). */
export function otpFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new Error('otpFromBytes needs 8 bytes');
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(bytes[i]!);
  return String(n % 1_000_000n).padStart(6, '0');
}
