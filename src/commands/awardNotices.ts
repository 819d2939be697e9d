// What a result notice says: the campaign, the prize, where and when to collect and the claim code (or, for a
// voucher, what to pay and by when). Shared by the results fan-out, the expiry sweep and promotions, so every
// kind gets the same parameters.
import { DateTime } from 'luxon';
import type { Db, Trx } from '../db/knex.js';
import type { AwardRow } from '../db/repos/awards.js';
import { findDraw } from '../db/repos/draws.js';
import { findRecipient, type Recipient } from '../db/repos/recipients.js';
import { listSlotPlaces } from '../db/repos/slots.js';
import type { Campaign } from '../domain/campaign.js';
import { contactParams } from '../domain/contact.js';
import { fromHex } from '../domain/draw/index.js';
import { discountPercent, priceOf } from '../domain/payments/order.js';
import { heldOf as heldAward, whatToBring } from '../domain/result.js';
import { type SiteWording, siteWords } from '../domain/site.js';
import { translator } from '../i18n/catalogue.js';
import { decryptText, type IdentitySecrets } from '../identity/crypto.js';
import { enqueueNotice } from '../notify/enqueue.js';
import type { NoticeKind, NoticeRequest } from '../notify/notice.js';
import { claimKeyAad } from './claimCodes.js';
import type { CommandContext } from './context.js';
import { formatAmount } from './receipt.js';
import { residentPageUrl } from './residentLinks.js';
import { bringLines } from './resultText.js';

export interface PlaceInfo {
  sites: Map<string, Pick<SiteWording, 'name_ko' | 'name_en' | 'address' | 'address_en'>>;
  slots: Map<string, { starts_at: Date; ends_at: Date }>;
}

export async function loadPlaces(db: Db | Trx, campaignId: string): Promise<PlaceInfo> {
  const places: PlaceInfo = { sites: new Map(), slots: new Map() };
  for (const r of await listSlotPlaces(db, campaignId)) {
    const { name_ko, name_en, address, address_en } = r;
    places.sites.set(r.site_id, { name_ko, name_en, address, address_en });
    places.slots.set(r.id, { starts_at: r.starts_at, ends_at: r.ends_at });
  }
  return places;
}

export type { Recipient };

export interface NoticeEnv {
  secrets: IdentitySecrets;
  publicUrl: string;
}

export type AwardContext = CommandContext & NoticeEnv;

/** Who hears about an award: the application behind a roster entry, with its contact. */
export async function recipientOf(trx: Trx, campaignId: string, publicId: string): Promise<Recipient> {
  const who = await findRecipient(trx, campaignId, publicId);
  if (!who) throw new Error(`no roster entry ${publicId} in campaign ${campaignId}`);
  return who;
}

const fmt = (d: Date, zone: string, lang: 'ko' | 'en', pattern: string) =>
  DateTime.fromJSDate(d, { zone })
    .setLocale(lang === 'ko' ? 'ko-KR' : 'en-GB')
    .toFormat(pattern);

/**
 * What a notice to someone holding an award says they do next. Goods are collected: where and when
 * (whereAndWhen). A voucher is bought on the winner's own page (result_url), no place and no claim code: price
 * (what the face value won costs after the discount), discount (percent) and pay_by (the award's deadline, in
 * the campaign's time zone). render.ts asks a notice with a price for these instead of site and pickup.
 */
export function nextStep(
  c: Campaign,
  places: PlaceInfo,
  held: { amount: number; site: string; slot: string; deadline: Date | null; from?: Date },
  lang: 'ko' | 'en',
): Record<string, string> {
  if (c.kind !== 'voucher') return whereAndWhen(c, places, held, lang);
  const discount_bp = Number(c.discount_bp ?? 0);
  return {
    price: formatAmount(priceOf({ face_value: held.amount, discount_bp }), 'KRW', lang),
    discount: discountPercent(discount_bp),
    pay_by: deadlineText(c, held.deadline ?? c.claim_closes_at, lang),
  };
}

/**
 * site, pickup: a goods award's site name and address (in the notice's language) and its slot. A goods award with no slot (promoted after
 * every slot of its site had passed) may be collected at the site any time from `from` until its deadline, and
 * the text says so. A voucher has no site: nextStep gives its price and deadline instead.
 */
export function whereAndWhen(
  c: Campaign,
  places: PlaceInfo,
  held: { site: string; slot: string; deadline: Date | null; from?: Date },
  lang: 'ko' | 'en',
): { site: string; pickup: string } {
  const zone = c.time_zone;
  const site = places.sites.get(held.site);
  const slot = places.slots.get(held.slot);
  const words = site && siteWords(site, lang);
  const siteText = words ? `${words.name}${words.address ? ` (${words.address})` : ''}` : held.site;
  const from = slot?.starts_at ?? held.from ?? c.claim_opens_at;
  const to = slot?.ends_at ?? held.deadline ?? c.claim_closes_at;
  let pickup = `${fmt(from, zone, lang, 'yyyy-MM-dd HH:mm')} ~ ${fmt(to, zone, lang, 'yyyy-MM-dd HH:mm (ZZZZ)')}`;
  if (site && !slot) pickup += lang === 'ko' ? ', 수령처 영업시간 중 언제든' : ', any time the site is open';
  return { site: siteText, pickup };
}

export function deadlineText(c: Campaign, deadline: Date, lang: 'ko' | 'en'): string {
  return fmt(deadline, c.time_zone, lang, 'yyyy-MM-dd HH:mm (ZZZZ)');
}

/** What an award holds now: a promoted applicant the award passed down to them, a winner their own result. */
export const heldOf = (a: AwardRow) => heldAward(a);

/** The campaign's claim key (claim codes are derived from it, never stored). */
export async function claimKeyOf(db: Db | Trx, env: NoticeEnv, campaignId: string): Promise<Uint8Array> {
  const draw = await findDraw(db, campaignId);
  if (!draw?.claim_key_enc) throw new Error(`campaign ${campaignId} has no claim key`);
  return fromHex(decryptText(env.secrets, draw.claim_key_enc, claimKeyAad(campaignId)));
}

/** Notices to someone who holds an award now: they say what to bring to the counter. */
const HOLDING_KINDS: ReadonlySet<NoticeKind> = new Set(['result_won', 'promoted', 'pickup_reminder']);

/** What to bring, as one line ('' for a voucher, used in the app). */
function bringText(c: Campaign, who: Recipient, lang: 'ko' | 'en'): string {
  const items = whatToBring(c, {
    group: who.group_name ?? '',
    birthDateSource: who.birth_date_source ?? null,
    groupSource: who.group_source ?? null,
  }).filter((b) => b.kind !== 'claim_code');
  return bringLines(items, translator(lang), lang).join(', ');
}

/** Enqueues one notice in the caller's transaction; people without a contact (purged, none given) get none. */
export async function sendAwardNotice(
  env: NoticeEnv,
  trx: Trx,
  c: Campaign,
  who: Recipient,
  kind: NoticeKind,
  params: Record<string, string | number>,
  dedupeKey: string,
): Promise<boolean> {
  const notice = awardNoticeOf(env, c, who, kind, params, dedupeKey);
  if (!notice) return false;
  await enqueueNotice(trx, notice, env.secrets.dataKey);
  return true;
}

/** The notice sendAwardNotice writes; undefined when the person left no contact. */
export function awardNoticeOf(
  env: NoticeEnv,
  c: Campaign,
  who: Recipient,
  kind: NoticeKind,
  params: Record<string, string | number>,
  dedupeKey: string,
): NoticeRequest | undefined {
  if (!who.contact_channel || !who.contact_enc) return undefined;
  const lang = who.lang === 'en' ? 'en' : 'ko';
  return {
    kind,
    channel: who.contact_channel,
    to: decryptText(env.secrets, who.contact_enc, 'contact'),
    lang,
    params: {
      campaign: lang === 'ko' ? c.title_ko : c.title_en,
      public_id: who.public_id,
      url: residentPageUrl(env.publicUrl, c.id, 'audit', lang, { public_id: who.public_id }),
      // the person's own result page: place, time, claim code and QR, what to bring
      result_url: residentPageUrl(env.publicUrl, c.id, 'application', lang),
      ...(HOLDING_KINDS.has(kind) ? { bring: bringText(c, who, lang) } : {}),
      // whom to ask: an email's footer, a cancel SMS's last line
      ...contactParams(c, lang),
      ...params,
    },
    dedupeKey,
    campaignId: c.id,
  };
}

export function prizeText(c: Campaign, amount: number, lang: 'ko' | 'en'): string {
  return formatAmount(amount, c.unit, lang);
}
