// A resident's result in words outside the result page: one short line for SMS STATUS, and the list of what
// to bring (also in the winner notices).
import { DateTime } from 'luxon';
import type { Campaign } from '../domain/campaign.js';
import { priceOf } from '../domain/payments/order.js';
import type { BringItem } from '../domain/result.js';
import { siteWords } from '../domain/site.js';
import { type Lang, type Translate, translator } from '../i18n/catalogue.js';
import { formatAmount } from './receipt.js';
import type { ResidentResult } from './residentResult.js';

const short = (iso: string, zone: string, lang: 'ko' | 'en') =>
  DateTime.fromISO(iso, { zone })
    .setLocale(lang === 'ko' ? 'ko-KR' : 'en-GB')
    .toFormat('MM-dd (ccc) HH:mm');

export function resultLine(r: ResidentResult, c: Campaign, lang: 'ko' | 'en'): string {
  const t = translator(lang);
  const zone = c.time_zone;
  const base = { code: c.code, public_id: r.public_id };
  const prize = r.amount !== null ? formatAmount(r.amount, r.unit, lang) : '';
  // A voucher is paid for on the winner's page, with no claim code and no place: its lines say paying, not collecting.
  const voucher = c.kind === 'voucher';
  switch (r.kind) {
    case 'won': {
      const deadline = r.claim_deadline ? short(r.claim_deadline, zone, lang) : '';
      if (voucher) {
        const face_value = r.amount ?? 0;
        const price = formatAmount(
          priceOf({ face_value, discount_bp: Number(c.discount_bp ?? 0) }),
          'KRW',
          lang,
        );
        return t('sms.result_won_voucher', { ...base, prize, price, deadline });
      }
      const name = r.site ? siteWords(r.site, lang).name : ''; // goods always have a site
      const when = r.slot
        ? `${short(r.slot.starts_at, zone, lang)}~${DateTime.fromISO(r.slot.ends_at, { zone }).toFormat('HH:mm')}`
        : t('sms.any_time');
      return t('sms.result_won', {
        ...base,
        prize,
        place: `${name} ${when}`,
        claim_code: r.claim_code ?? '',
        deadline,
      });
    }
    case 'collected':
      return t(voucher ? 'sms.result_collected_voucher' : 'sms.result_collected', { ...base, prize });
    case 'expired':
      return t(voucher ? 'sms.result_expired_voucher' : 'sms.result_expired', base);
    case 'waitlisted':
      return t('sms.result_waitlisted', { ...base, n: r.waitlist ?? 0 });
    default:
      return t(`sms.result_${r.kind}`, base);
  }
}

/** One line per thing to bring, in the page's language. */
export function bringLines(items: readonly BringItem[], t: Translate, lang: Lang): string[] {
  return items.map((b) => {
    if (b.kind === 'claim_code') return t('result.bring_claim_code');
    if (b.kind === 'id_card') return t(b.declaredBirthDate ? 'result.bring_id_declared' : 'result.bring_id');
    const group = lang === 'en' ? b.name_en : b.name_ko;
    const proof = lang === 'en' ? b.proof_en : b.proof_ko;
    return proof
      ? t('result.bring_group_proof', { group, proof })
      : t('result.bring_group_unnamed', { group });
  });
}
