// A result in one SMS line (STATUS): a voucher winner is told what to pay and by when, not a claim code; a paid
// voucher reads paid, an unpaid one lapsed for not paying; goods keep their pickup words.
import test from 'ava';
import type { ResidentResult } from '../../src/commands/residentResult.js';
import { resultLine } from '../../src/commands/resultText.js';
import type { Campaign } from '../../src/domain/campaign.js';

const campaign = (kind: 'voucher' | 'goods') =>
  ({ code: 'TY2612', kind, discount_bp: 1000, time_zone: 'Asia/Seoul' }) as unknown as Campaign;
const result = (o: Partial<ResidentResult>) =>
  ({
    kind: 'won',
    public_id: 'A-7K2M9Q',
    amount: 50_000,
    unit: 'KRW',
    site: null,
    slot: null,
    claim_deadline: '2026-12-08T09:00:00Z',
    claim_code: '123-456',
    ...o,
  }) as ResidentResult;

/** [kind, campaign kind, language, the line] */
const LINES: Array<[ResidentResult['kind'], 'voucher' | 'goods', 'ko' | 'en', string]> = [
  // a voucher winner is told the price to pay and the deadline, not a claim code
  ['won', 'voucher', 'ko', 'TY2612 A-7K2M9Q 당첨: 50,000원, 45,000원 결제, 기한 12-08 (화) 18:00'],
  ['won', 'voucher', 'en', 'TY2612 A-7K2M9Q WON: KRW 50,000. Pay KRW 45,000 by 12-08 (Tue) 18:00'],
  // a paid voucher reads paid, an unpaid one lapsed for not paying
  ['collected', 'voucher', 'ko', 'TY2612 A-7K2M9Q 결제 완료: 50,000원'],
  ['expired', 'voucher', 'en', 'TY2612 A-7K2M9Q award cancelled: not paid by the deadline'],
  // goods keep their pickup words
  ['collected', 'goods', 'ko', 'TY2612 A-7K2M9Q 수령 완료: 50,000원'],
  ['expired', 'goods', 'ko', 'TY2612 A-7K2M9Q 수령 기한이 지나 당첨 취소'],
];

for (const [kind, of, lang, line] of LINES)
  test(`${of}, ${kind} (${lang})`, (t) => {
    t.is(resultLine(result({ kind }), campaign(of), lang), line);
  });
