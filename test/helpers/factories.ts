// Valid request bodies with overrides: buildCampaign({ ... }) is a campaign an admin could create.
import type { StaffAuth, TestApp } from './app.js';

let counter = 0;

const HOUR = 3600_000;

export function isoFrom(base: Date, offsetMs: number): string {
  return new Date(base.getTime() + offsetMs).toISOString();
}

const DRAW_MOMENTS = ['draw_at', 'claim_opens_at', 'claim_closes_at'] as const;

/**
 * A voucher lottery; with `mode: 'instant'`, a sale, which has no draw time or claim window (they follow its close,
 * and another value is refused): left out unless `overrides` names them.
 */
export function buildVoucherCampaign(now: Date, overrides: Record<string, unknown> = {}) {
  counter++;
  const body = {
    code: `TV${String(counter).padStart(4, '0')}${Math.random().toString(36).slice(2, 5).toUpperCase()}`,
    kind: 'voucher',
    mode: 'lottery',
    title_ko: '테스트 상품권',
    title_en: 'Test vouchers',
    time_zone: 'Asia/Seoul',
    opens_at: isoFrom(now, HOUR),
    closes_at: isoFrom(now, 49 * HOUR),
    draw_at: isoFrom(now, 50 * HOUR),
    claim_opens_at: isoFrom(now, 51 * HOUR),
    claim_closes_at: isoFrom(now, 30 * 24 * HOUR),
    unit: 'KRW',
    total: 1_000_000_000,
    denomination: 10_000,
    per_person_max: 250_000,
    partial: 'skip',
    ...overrides,
  };
  if (overrides.mode === 'instant') for (const k of DRAW_MOMENTS) if (!(k in overrides)) delete body[k];
  return body;
}

export function buildGoodsCampaign(now: Date, siteIds: string[], overrides: Record<string, unknown> = {}) {
  const base = buildVoucherCampaign(now);
  const slots = siteIds.flatMap((site_id) =>
    [0, 1].map((i) => ({
      id: `${site_id}-S${i + 1}`,
      site_id,
      starts_at: isoFrom(now, (60 + i * 2) * HOUR),
      ends_at: isoFrom(now, (62 + i * 2) * HOUR),
      capacity: 50,
    })),
  );
  return {
    ...base,
    kind: 'goods',
    mode: 'reservation',
    title_ko: '테스트 마스크',
    title_en: 'Test masks',
    unit: 'item',
    total: slots.length * 50,
    denomination: 1,
    per_person_max: 2,
    slots,
    ...overrides,
  };
}

/** A campaign's contact (문의처) as an admin sends it: every field, in both languages. */
export const OFFICE_CONTACT = {
  contact_name_ko: '중구청 일자리경제과',
  contact_name_en: 'Jung-gu Office, Jobs and Economy',
  contact_phone: '02-3396-4000',
  contact_email: 'voucher@junggu.go.kr',
  contact_hours_ko: '평일 09:00~18:00',
  contact_hours_en: 'Weekdays 09:00-18:00',
};

/** A voucher lottery's fields as the admin campaign form sends them (local times in Asia/Seoul), code aside. */
export const VOUCHER_FORM_FIELDS: Readonly<Record<string, string>> = {
  kind: 'voucher',
  mode: 'lottery',
  title_ko: '폼 상품권',
  title_en: 'Form vouchers',
  time_zone: 'Asia/Seoul',
  opens_at: '2026-12-02T09:00',
  closes_at: '2026-12-04T18:00',
  draw_at: '2026-12-04T19:00',
  claim_opens_at: '2026-12-05T09:00',
  claim_closes_at: '2026-12-31T18:00',
  unit: 'KRW',
  total: '1000000000',
  denomination: '10000',
  per_person_max: '250000',
  partial: 'skip',
  unclaimed_policy: 'pass_down',
};

/** A voucher campaign created over the API (a draft) with `overrides`, as the API shows it; throws if refused. */
export async function createdVoucherCampaign(
  app: Pick<TestApp, 'request' | 'clock'>,
  admin: StaffAuth,
  overrides: Record<string, unknown> = {},
) {
  const res = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now(), overrides),
  });
  if (res.status !== 201) throw new Error(res.text);
  return res.json.campaign as { id: string; version: number; [field: string]: unknown };
}
