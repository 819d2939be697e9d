// Demo data for an empty database: an admin, an auditor, a voucher campaign shaped like the seed case and a mask campaign.
import { countStaff } from '../db/repos/staff.js';
import type { CampaignInput, SlotInput } from '../domain/campaign.js';
import { changeCampaignState } from './changeCampaignState.js';
import type { Actor, CommandContext } from './context.js';
import { createCampaign } from './saveCampaign.js';
import { saveSite } from './saveSite.js';
import { addStaff } from './staffAccounts.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Where each is, in Korean and romanised as an English reader writes a Korean address (number, then street).
export const DEMO_PHARMACIES = [
  {
    id: 'PH-JUNG-01',
    name_ko: '중앙약국',
    name_en: 'Jungang Pharmacy',
    district: '중구',
    district_en: 'Jung-gu',
    address: '중앙로 12',
    address_en: '12 Jungang-ro',
  },
  {
    id: 'PH-JUNG-02',
    name_ko: '시청앞약국',
    name_en: 'City Hall Pharmacy',
    district: '중구',
    district_en: 'Jung-gu',
    address: '시청로 3',
    address_en: '3 Sicheong-ro',
  },
  {
    id: 'PH-DONG-01',
    name_ko: '동부온누리약국',
    name_en: 'Dongbu Onnuri Pharmacy',
    district: '동구',
    district_en: 'Dong-gu',
    address: '동부대로 88',
    address_en: '88 Dongbu-daero',
  },
  {
    id: 'PH-SEO-01',
    name_ko: '서문약국',
    name_en: 'Seomun Pharmacy',
    district: '서구',
    district_en: 'Seo-gu',
    address: '서문길 5',
    address_en: '5 Seomun-gil',
  },
  {
    id: 'PH-NAM-01',
    name_ko: '남부건강약국',
    name_en: 'Nambu Health Pharmacy',
    district: '남구',
    district_en: 'Nam-gu',
    address: '남부로 41',
    address_en: '41 Nambu-ro',
  },
];

export interface DemoResult {
  adminLoginToken: string;
  auditorLoginToken: string;
  campaignIds: string[];
}

/** Loads the demo only into a database with no staff yet; returns undefined when it already has data. */
export async function loadDemo(ctx: CommandContext): Promise<DemoResult | undefined> {
  if ((await countStaff(ctx.db)) > 0) return undefined;
  const system: Actor = { kind: 'system', name: 'demo' };
  const admin = await addStaff(ctx, system, { email: 'admin@city.example', role: 'admin' });
  const auditor = await addStaff(ctx, system, { email: 'auditor@city.example', role: 'auditor' });
  const actor: Actor = { kind: 'staff', id: admin.staff.id };
  for (const site of DEMO_PHARMACIES) await saveSite(ctx, actor, site);

  const now = ctx.clock.now().getTime();
  const at = (ms: number) => new Date(Math.ceil((now + ms) / MINUTE) * MINUTE);

  const voucher: CampaignInput = {
    code: 'TY2612',
    kind: 'voucher',
    mode: 'lottery',
    title_ko: '12월 지역사랑상품권 (10% 할인)',
    title_en: 'December local gift vouchers (10% off)',
    description_ko: '1인당 최대 25만 원, 1만 원 단위. 신청 기간 중 언제 신청해도 같은 기회가 주어집니다.',
    description_en: 'Up to 250,000 KRW per person in 10,000 KRW units. Applying early gives no advantage.',
    time_zone: 'Asia/Seoul',
    opens_at: at(MINUTE),
    closes_at: at(3 * DAY),
    draw_at: at(3 * DAY + HOUR),
    claim_opens_at: at(3 * DAY + 2 * HOUR),
    claim_closes_at: at(33 * DAY),
    unit: 'KRW',
    total: 1_000_000_000,
    denomination: 10_000,
    per_person_max: 250_000,
    partial: 'partial',
    eligibility: { regions: [], birth_year_rotation: false },
    groups: [],
    // 본인인증 beside the phone code: locally it runs against the development stand-in (no credentials needed).
    verification_methods: ['sms', 'oidc', 'portone'],
    unclaimed_policy: 'pass_down',
    // The winner buys what they won at 10 % off, within 72 hours of the claim opening.
    discount_bp: 1000,
    claim_period_hours: 72,
    slots: [],
    // whom residents ask: shown on its pages and at the end of every email (a made-up office and number)
    contact_name_ko: '중구청 지역경제과',
    contact_name_en: 'Jung-gu Office, Local Economy Division',
    contact_phone: '02-555-0100',
    contact_email: 'help@city.example',
    contact_hours_ko: '평일 09:00~18:00',
    contact_hours_en: 'Weekdays 09:00-18:00',
  };

  // the masks' window is a whole week, so the birth-year weekday rule gives every birth year its day (and a
  // weekend); the pickups follow the draw
  const maskOpens = 2 * MINUTE;
  const maskCloses = maskOpens + 7 * DAY;
  const pickupDay = at(maskCloses + 2 * DAY);
  const slots: SlotInput[] = DEMO_PHARMACIES.flatMap((site) =>
    [9, 13, 16].map((hour, i) => {
      const starts = new Date(pickupDay.getTime() + (hour - 9) * HOUR);
      return {
        id: `${site.id}-S${i + 1}`,
        site_id: site.id,
        starts_at: starts,
        ends_at: new Date(starts.getTime() + 2 * HOUR),
        capacity: 50,
      };
    }),
  );
  const masks: CampaignInput = {
    ...voucher,
    code: 'MASK01',
    kind: 'goods',
    mode: 'reservation',
    title_ko: '공적 마스크 사전 예약',
    title_en: 'Public face masks: reserve a pickup',
    description_ko: '1인당 2매. 원하는 약국과 시간을 고르면 추첨 순서대로 배정됩니다.',
    description_en: 'Two masks per person. Choose pharmacies; pickups are assigned in ticket order.',
    contact_name_ko: '중구 보건소',
    contact_name_en: 'Jung-gu Public Health Centre',
    contact_phone: '02-555-0200',
    contact_email: null,
    opens_at: at(maskOpens),
    closes_at: at(maskCloses),
    draw_at: at(maskCloses + HOUR),
    claim_opens_at: at(maskCloses + 2 * HOUR),
    claim_closes_at: at(maskCloses + 6 * DAY),
    unit: 'item',
    total: slots.reduce((n, s) => n + s.capacity, 0),
    denomination: 1,
    per_person_max: 2,
    partial: 'partial',
    eligibility: { regions: [], birth_year_rotation: true },
    groups: [
      {
        name: 'elderly',
        name_ko: '65세 이상 어르신',
        name_en: 'Residents aged 65 and over',
        reserved: 150,
        weight: 1,
        // from the birth date: 본인인증 settles it, a typed date is checked against an ID card at pickup
        check: 'age',
        min_age: 65,
      },
    ],
    slots,
  };

  const campaignIds: string[] = [];
  for (const input of [voucher, masks]) {
    const c = await createCampaign(ctx, actor, input);
    await changeCampaignState(ctx, actor, c.id, 'schedule');
    campaignIds.push(c.id);
  }
  return { adminLoginToken: admin.loginToken, auditorLoginToken: auditor.loginToken, campaignIds };
}
