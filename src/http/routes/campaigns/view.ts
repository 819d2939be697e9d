// How a campaign reads on a page: words for its state, times in its own zone, amounts, and the countdown.
// Pure: the clock's reading and the translator are passed in.

import { DateTime } from 'luxon';
import type { Site } from '../../../db/repos/sites.js';
import {
  type Campaign,
  type CampaignSchedule,
  type CampaignState,
  groupLabel,
  groupProof,
  hasDraw,
  type SlotInput,
} from '../../../domain/campaign.js';
import { contactIn } from '../../../domain/contact.js';
import { priceOf } from '../../../domain/payments/order.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';

const LOCALE: Record<Lang, string> = { ko: 'ko-KR', en: 'en-GB' };

/** "2026-12-01 (화) 09:00 한국 표준시 (GMT+9)": the wall-clock time where the campaign runs, with its zone. */
export function formatMoment(d: Date, zone: string, lang: Lang): string {
  const dt = DateTime.fromJSDate(d, { zone }).setLocale(LOCALE[lang]);
  const secs = dt.second !== 0 ? ':ss' : '';
  return `${dt.toFormat(`yyyy-MM-dd (ccc) HH:mm${secs}`)} ${dt.toFormat('ZZZZZ')} (${dt.toFormat('ZZZZ')})`;
}

/** "2026-12-01 (화) 09:00" without the zone, for the start of a range whose end names it. */
export function formatPlain(d: Date, zone: string, lang: Lang): string {
  return DateTime.fromJSDate(d, { zone }).setLocale(LOCALE[lang]).toFormat('yyyy-MM-dd (ccc) HH:mm');
}

/** "12-03 (목) 12:00": for lists of slots, where the zone is stated once above. */
export function formatShort(d: Date, zone: string, lang: Lang): string {
  return DateTime.fromJSDate(d, { zone }).setLocale(LOCALE[lang]).toFormat('MM-dd (ccc) HH:mm');
}

/** Just the clock time, for the end of a range on the same day. */
export function formatTime(d: Date, zone: string, lang: Lang): string {
  return DateTime.fromJSDate(d, { zone }).setLocale(LOCALE[lang]).toFormat('HH:mm');
}

export function formatAmount(n: number, unit: 'KRW' | 'item', t: Translate, lang: Lang): string {
  const num = new Intl.NumberFormat(LOCALE[lang]).format(n);
  if (unit === 'KRW') return t('public.amount_krw', { n: num });
  return t(n === 1 ? 'public.amount_item' : 'public.amount_items', { n: num });
}

type Moment = keyof CampaignSchedule;

/** The moment a visitor waits for in each state: the one that moves the campaign on. */
const NEXT_MOMENT: Partial<Record<CampaignState, Moment>> = {
  scheduled: 'opens_at',
  open: 'closes_at',
  closed: 'draw_at',
  drawn: 'claim_opens_at',
  claiming: 'claim_closes_at',
};
/** An instant sale's: its opening and its close. Past the close nothing comes (its stored draw and claim moments
 * are not its operator's: domain instantSchedule). */
const SALE_MOMENT: Partial<Record<CampaignState, Moment>> = { scheduled: 'opens_at', open: 'closes_at' };
/** An instant sale's states past its close and before it is finished: a lottery's "draw pending", "collection open". */
const SALE_ENDED: ReadonlySet<CampaignState> = new Set(['closed', 'claiming']);

/** A campaign's state in words; a sale past its close is over (no draw pending, nothing to collect). */
export function stateWords(t: Translate, c: Pick<Campaign, 'mode' | 'state'>): string {
  return !hasDraw(c.mode) && SALE_ENDED.has(c.state) ? t('public.sale_closed') : t(`public.state.${c.state}`);
}

export interface CountdownView {
  /** what is being counted down to, e.g. "신청 마감까지" */
  label: string;
  /** what happens, e.g. "신청 마감" */
  event: string;
  deadline: string;
  serverNow: string;
  remaining: string;
  absolute: string;
  /** unit words for the ticking script, from the same catalogue */
  units: string;
}

/** "2일 3시간 15분" or "3시간 15분 20초": seconds only once less than a day is left. */
export function remainingText(ms: number, t: Translate): string {
  if (ms <= 0) return t('countdown.now');
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  s %= 86_400;
  const h = Math.floor(s / 3600);
  s %= 3600;
  const m = Math.floor(s / 60);
  s %= 60;
  const part = (n: number, unit: string) => t(n === 1 ? `countdown.${unit}` : `countdown.${unit}s`, { n });
  const parts: string[] = [];
  if (d) parts.push(part(d, 'day'));
  if (d || h) parts.push(part(h, 'hour'));
  if (d || h || m) parts.push(part(m, 'minute'));
  if (!d) parts.push(part(s, 'second'));
  return parts.join(' ');
}

export function countdownUnits(t: Translate): string {
  const keys = ['day', 'days', 'hour', 'hours', 'minute', 'minutes', 'second', 'seconds', 'now'];
  // {n} stays a placeholder: the script fills it in.
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, t(`countdown.${k}`, { n: '{n}' })])));
}

export function countdownFor(c: Campaign, now: Date, t: Translate, lang: Lang): CountdownView | undefined {
  const moment = (hasDraw(c.mode) ? NEXT_MOMENT : SALE_MOMENT)[c.state];
  if (!moment) return undefined;
  const at = c[moment];
  return {
    label: t(`countdown.until_${moment}`),
    event: t(`countdown.event_${moment}`),
    deadline: at.toISOString(),
    serverNow: now.toISOString(),
    remaining: remainingText(at.getTime() - now.getTime(), t),
    absolute: formatMoment(at, c.time_zone, lang),
    units: countdownUnits(t),
  };
}

export interface MomentView {
  iso: string;
  /** with the zone: "2026-12-01 (화) 09:00 한국 표준시 (GMT+9)" */
  text: string;
  /** without it, where the zone is written once next to a range */
  short: string;
}

const moment = (d: Date, c: Campaign, lang: Lang): MomentView => ({
  iso: d.toISOString(),
  text: formatMoment(d, c.time_zone, lang),
  short: DateTime.fromJSDate(d, { zone: c.time_zone })
    .setLocale(LOCALE[lang])
    .toFormat(d.getUTCSeconds() !== 0 ? 'yyyy-MM-dd (ccc) HH:mm:ss' : 'yyyy-MM-dd (ccc) HH:mm'),
});

/** "한국 표준시 (GMT+9)" at a given moment (the offset can change with summer time). */
export function zoneName(d: Date, zone: string, lang: Lang): string {
  const dt = DateTime.fromJSDate(d, { zone }).setLocale(LOCALE[lang]);
  return `${dt.toFormat('ZZZZZ')} (${dt.toFormat('ZZZZ')})`;
}

export interface SiteSlotsView {
  site: { id: string; name: string; district: string; address: string };
  slots: Array<{ id: string; starts: MomentView; ends: string; capacity: string }>;
}

/** Everything a public or admin page shows about one campaign, already in the visitor's language. */
export function campaignView(
  c: Campaign,
  opts: {
    now: Date;
    t: Translate;
    lang: Lang;
    slots?: SlotInput[];
    sites?: Site[];
    /** an instant sale sold out for good (commands/instant/saleView.ts saleEnded) */
    soldOut?: boolean;
  },
) {
  const { t, lang, now } = opts;
  const sites = new Map((opts.sites ?? []).map((s) => [s.id, s]));
  const bySite = new Map<string, SiteSlotsView>();
  for (const slot of opts.slots ?? []) {
    const site = sites.get(slot.site_id);
    let entry = bySite.get(slot.site_id);
    if (!entry) {
      entry = {
        site: {
          id: slot.site_id,
          name: site ? (lang === 'en' ? site.name_en : site.name_ko) : slot.site_id,
          district: site?.district ?? '',
          address: site?.address ?? '',
        },
        slots: [],
      };
      bySite.set(slot.site_id, entry);
    }
    entry.slots.push({
      id: slot.id,
      starts: {
        iso: slot.starts_at.toISOString(),
        text: formatShort(slot.starts_at, c.time_zone, lang),
        short: formatShort(slot.starts_at, c.time_zone, lang),
      },
      ends: formatTime(slot.ends_at, c.time_zone, lang),
      capacity: formatAmount(slot.capacity, c.unit, t, lang),
    });
  }
  const { min_age, max_age, regions, birth_year_rotation } = c.eligibility;
  return {
    id: c.id,
    code: c.code,
    state: c.state,
    title: lang === 'en' ? c.title_en : c.title_ko,
    description: (lang === 'en' ? c.description_en : c.description_ko)
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    kindText: t(`public.kind.${c.kind}`),
    modeText: t(`public.mode.${c.mode}`),
    stateText: opts.soldOut ? t('public.sold_out') : stateWords(t, c),
    soldOut: Boolean(opts.soldOut),
    timeZone: c.time_zone,
    zoneName: zoneName(c.opens_at, c.time_zone, lang),
    opens: moment(c.opens_at, c, lang),
    closes: moment(c.closes_at, c, lang),
    draw: moment(c.draw_at, c, lang),
    claimOpens: moment(c.claim_opens_at, c, lang),
    claimCloses: moment(c.claim_closes_at, c, lang),
    perPerson: formatAmount(c.per_person_max, c.unit, t, lang),
    total: formatAmount(c.total, c.unit, t, lang),
    denomination: formatAmount(c.denomination, c.unit, t, lang),
    isVoucher: c.kind === 'voucher',
    price: c.kind === 'voucher' ? priceView(c, t, lang) : undefined,
    verification: c.verification_methods.map((m) => t(`admin.f.verify_${m}`)),
    hasDraw: hasDraw(c.mode),
    regions,
    ages:
      min_age != null && max_age != null
        ? t('public.ages_between', { min: min_age, max: max_age })
        : min_age != null
          ? t('public.ages_from', { min: min_age })
          : max_age != null
            ? t('public.ages_to', { max: max_age })
            : '',
    birthYearRotation: birth_year_rotation,
    groups: c.groups.map((g) => ({
      key: g.name,
      name: groupLabel(g, lang),
      proof: groupProof(g, lang),
      reserved: formatAmount(g.reserved, c.unit, t, lang),
      weight: g.weight,
    })),
    sites: [...bySite.values()],
    contact: contactIn(c, lang),
    isOpen: c.state === 'open',
    // a sold-out sale's close is no moment to count down to
    countdown: opts.soldOut ? undefined : countdownFor(c, now, t, lang),
  };
}

export type CampaignView = ReturnType<typeof campaignView>;

/** A voucher campaign's price rules as its overview states them: one denomination's face value and what it costs. */
function priceView(c: Campaign, t: Translate, lang: Lang) {
  const discountBp = c.discount_bp ?? 0;
  return {
    face: formatAmount(c.denomination, c.unit, t, lang),
    pays: formatAmount(priceOf({ face_value: c.denomination, discount_bp: discountBp }), c.unit, t, lang),
    discountPercent: discountBp / 100,
    voucherUnit: formatAmount(Number(c.voucher_unit ?? c.denomination), c.unit, t, lang),
    validDays: c.voucher_valid_days,
    checkoutMinutes: c.checkout_minutes,
  };
}
