// The result page's words: a ResidentResult put in the page's language and the campaign's time zone, with the
// claim code's QR drawn on the server as SVG (no script, so it shows on any phone and in a saved page).
import QRCode from 'qrcode';
import { formatAmount } from '../../../commands/receipt.js';
import type { ResidentResult } from '../../../commands/residentResult.js';
import { bringLines } from '../../../commands/resultText.js';
import type { Campaign } from '../../../domain/campaign.js';
import { siteWords } from '../../../domain/site.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { formatMoment, formatPlain, formatTime, zoneName } from '../campaigns/view.js';
import type { PurchaseSection } from '../payments/section.js';

/** "2026-12-05 (토) 10:00 – 12:00 한국 표준시 (GMT+9)"; the end's date too when it falls on another day. */
export function slotText(starts: Date, ends: Date, zone: string, lang: Lang): string {
  const from = formatPlain(starts, zone, lang);
  const to = formatPlain(ends, zone, lang);
  const end = from.slice(0, 10) === to.slice(0, 10) ? formatTime(ends, zone, lang) : to;
  return `${from} – ${end} ${zoneName(starts, zone, lang)}`;
}

/**
 * The page's heading. A voucher award is paid for on this page, not collected: once paid (its award `collected`)
 * the heading says paid, or that the vouchers are issued; an expired one, that the time to pay has passed.
 */
function titleKey(
  kind: ResidentResult['kind'],
  voucher: boolean,
  purchase?: PurchaseSection['mode'],
): string {
  if (voucher && kind === 'collected')
    return purchase === 'issued' ? 'result.title_vouchers_issued' : 'result.title_paid';
  if (voucher && kind === 'expired') return 'result.title_expired_voucher';
  return `result.title_${kind}`;
}

export async function resultPageView(
  r: ResidentResult,
  c: Campaign,
  t: Translate,
  lang: Lang,
  /** what the application asked for: an award below it is said to be a part, and why */
  requested?: number,
  /** where a voucher award's purchase stands (payments/section.ts), when the page shows one */
  purchase?: PurchaseSection['mode'],
) {
  const zone = c.time_zone;
  const site = r.site;
  const isVoucher = c.kind === 'voucher';
  return {
    kind: r.kind,
    titleKey: titleKey(r.kind, isVoucher, purchase),
    promoted: r.promoted,
    isVoucher,
    // Only goods are collected at a counter, with the claim code or its QR. A voucher campaign has no sites
    // (campaign.ts: slots_voucher_none) and the counter takes no award without one: a voucher is paid for here.
    showClaimCode: !isVoucher && Boolean(r.claim_code),
    prize: r.amount !== null ? formatAmount(r.amount, r.unit, lang) : '',
    partialOf:
      r.amount !== null && requested !== undefined && r.amount < requested
        ? formatAmount(requested, r.unit, lang)
        : '',
    // name, address, district and hours in the page's language (the Korean where no English was given)
    site: site ? { ...siteWords(site, lang), phone: site.phone ?? '', mapUrl: site.map_url } : null,
    slot: r.slot ? slotText(new Date(r.slot.starts_at), new Date(r.slot.ends_at), zone, lang) : '',
    anyTime: r.any_time_until_deadline,
    deadline: r.claim_deadline ? formatMoment(new Date(r.claim_deadline), zone, lang) : '',
    claimCloses: formatMoment(new Date(r.claim_closes_at), zone, lang),
    collectedAt: r.collected_at ? formatMoment(new Date(r.collected_at), zone, lang) : '',
    expiredAt: r.expired_at ? formatMoment(new Date(r.expired_at), zone, lang) : '',
    claimCode: r.claim_code ?? '',
    qrSvg:
      r.qr_payload && !isVoucher
        ? await QRCode.toString(r.qr_payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
        : '',
    bring: bringLines(r.bring, t, lang),
    waitlist: r.waitlist,
    auditUrl: `${r.audit_url.replace('#lookup', '')}${lang === 'en' ? '&lang=en' : ''}#lookup`,
  };
}
