// How a campaign reads on a page: words for its state, times in its own zone, amounts, and the countdown.
// Pure: the clock's reading and the translator are passed in.

import { DateTime } from 'luxon';
import type { RoomRules } from '../../../commands/instant/openRoom.js';
import type { Site } from '../../../db/repos/sites.js';
import {
  type Campaign,
  type CampaignSchedule,
  type CampaignState,
  claimDeadline,
  groupLabel,
  groupProof,
  hasDraw,
  type SlotInput,
} from '../../../domain/campaign.js';
import { contactIn } from '../../../domain/contact.js';
import { priceOf } from '../../../domain/payments/order.js';
import { type SiteWords, siteWords } from '../../../domain/site.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { rotationView } from './rotationView.js';

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

/**
 * A campaign's state in words. A sale's are a sale's, not a lottery's applications: coming, its queue open (the
 * pre-queue, when `prequeueOpen` says so), on sale, and past its close over (no draw pending, nothing to collect).
 */
export function stateWords(
  t: Translate,
  c: Pick<Campaign, 'mode' | 'state'>,
  o: { prequeueOpen?: boolean } = {},
): string {
  if (hasDraw(c.mode)) return t(`public.state.${c.state}`);
  if (SALE_ENDED.has(c.state)) return t('public.sale_closed');
  if (c.state === 'scheduled')
    return t(o.prequeueOpen ? 'public.sale.state.prequeue' : 'public.sale.state.scheduled');
  if (c.state === 'open') return t('public.sale.state.open');
  return t(`public.state.${c.state}`);
}

/** When a sale's pre-queue opens: its room's minutes before the opening. */
const prequeueOpensAt = (c: Pick<Campaign, 'opens_at'>, room: RoomRules) =>
  new Date(c.opens_at.getTime() - room.prequeue_minutes * 60_000);

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

/** "2분", "1분 30초", "1 hour 5 minutes": a length of time set in seconds, its parts that are not 0. */
export function durationText(seconds: number, t: Translate): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const part = (n: number, unit: string) => t(n === 1 ? `countdown.${unit}` : `countdown.${unit}s`, { n });
  const parts = [h && part(h, 'hour'), m && part(m, 'minute'), s && part(s, 'second')].filter(Boolean);
  return parts.length ? parts.join(' ') : part(0, 'second');
}

export function countdownFor(c: Campaign, now: Date, t: Translate, lang: Lang): CountdownView | undefined {
  const sale = !hasDraw(c.mode);
  const moment = (sale ? SALE_MOMENT : NEXT_MOMENT)[c.state];
  if (!moment) return undefined;
  const at = c[moment];
  // a sale opens and closes; a lottery's applications do
  const words = sale ? 'countdown.sale_' : 'countdown.';
  return {
    label: t(`${words}until_${moment}`),
    event: t(`${words}event_${moment}`),
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

/**
 * The zone as a resident reads it, never its IANA id: "한국 표준시" / "Korean Standard Time" for Asia/Seoul (the
 * name the times beside it carry), any other by its long name in the reader's language at a given moment.
 */
export function zoneWords(zone: string, at: Date, t: Translate, lang: Lang): string {
  if (zone === 'Asia/Seoul') return t('public.zone_korea');
  const parts = new Intl.DateTimeFormat(LOCALE[lang], { timeZone: zone, timeZoneName: 'long' }).formatToParts(
    at,
  );
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/** "한국 표준시 (GMT+9)" at a given moment (the offset can change with summer time). */
export function zoneName(d: Date, zone: string, lang: Lang): string {
  const dt = DateTime.fromJSDate(d, { zone }).setLocale(LOCALE[lang]);
  return `${dt.toFormat('ZZZZZ')} (${dt.toFormat('ZZZZ')})`;
}

export interface SiteSlotsView {
  site: { id: string } & SiteWords;
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
    /** an instant sale's waiting-room rules (commands/instant/roomRules.ts publicRoomRules) */
    room?: RoomRules;
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
        // a slot whose site row is gone is named by its id
        site: {
          id: slot.site_id,
          ...siteWords(site ?? { name_ko: slot.site_id, name_en: slot.site_id }, lang),
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
  const prequeueOpen =
    c.state === 'scheduled' && opts.room !== undefined && now >= prequeueOpensAt(c, opts.room);
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
    stateText: opts.soldOut ? t('public.sold_out') : stateWords(t, c, { prequeueOpen }),
    soldOut: Boolean(opts.soldOut),
    timeZone: c.time_zone,
    /** the zone in words ("한국 표준시"), for the page's note that every time is in it */
    zoneWords: zoneWords(c.time_zone, c.opens_at, t, lang),
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
    // goods are free to collect: only a voucher campaign is paid for
    payment: c.kind === 'voucher' ? paymentView(c, t, lang, opts.room) : undefined,
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
    /** the rule's days within the window while it is to come or open: whose day is when, and who has none */
    rotation: rotationView(c, now, t, lang),
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
    /** a sale one may queue for now: its pre-queue or the sale itself open, and not sold out */
    queueOpen: !hasDraw(c.mode) && !opts.soldOut && (prequeueOpen || c.state === 'open'),
    // a sold-out sale's close is no moment to count down to
    countdown: opts.soldOut ? undefined : countdownFor(c, now, t, lang),
  };
}

export type CampaignView = ReturnType<typeof campaignView>;

/**
 * What a resident is told of paying before applying or queueing: what a voucher costs, what the most one may have
 * costs, how (by card, on this site: the PortOne checkout), and when: a lottery's winners within the claim window, a
 * sale's buyers within their turn and then their hold.
 */
function paymentView(c: Campaign, t: Translate, lang: Lang, room: RoomRules | undefined) {
  const discountBp = c.discount_bp ?? 0;
  const won = (n: number) => formatAmount(n, c.unit, t, lang);
  const pays = (face: number) => won(priceOf({ face_value: face, discount_bp: discountBp }));
  const unit = Number(c.voucher_unit ?? c.denomination);
  const percent = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 2 }).format(discountBp / 100);
  const when = (d: Date) => moment(d, c, lang).short;
  const row = (key: string, text: string) => ({ key, term: t(`public.pay.${key}`), text });
  const rows = [
    row(
      'price',
      t(discountBp ? 'public.pay.price_off' : 'public.pay.price_full', {
        face: won(unit),
        pays: pays(unit),
        percent,
      }),
    ),
    row('how', t('public.pay.how_card')),
  ];
  if (hasDraw(c.mode)) {
    const until = claimDeadline(c, c.claim_opens_at);
    rows.push(
      row('when', t('public.pay.when_won', { from: when(c.claim_opens_at), until: when(until) })),
      row(
        'checkout',
        t('public.pay.checkout_text', { time: durationText((c.checkout_minutes ?? 30) * 60, t) }),
      ),
    );
  } else if (room) {
    // when one may start queueing, while that is still to come (once the sale is on, one queues at once)
    if (['draft', 'scheduled'].includes(c.state)) {
      const at = when(prequeueOpensAt(c, room));
      const before = durationText(room.prequeue_minutes * 60, t);
      rows.push(row('queue', t('public.pay.queue_text', { at, before })));
    }
    rows.push(
      row('turn', t('public.pay.turn_text', { time: durationText(room.token_seconds, t) })),
      row('hold', t('public.pay.hold_text', { time: durationText(room.hold_seconds, t) })),
    );
  }
  return {
    /** "10,000원권을 9,000원에 (10% 할인)", for the list's card */
    line: rows[0]!.text,
    /** the most one may have and what it costs: "250,000원 (결제 225,000원)" */
    perPerson: discountBp
      ? t('public.pay.per_person', { max: won(c.per_person_max), pays: pays(c.per_person_max) })
      : won(c.per_person_max),
    rows,
  };
}

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
