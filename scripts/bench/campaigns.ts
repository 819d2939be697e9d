// The voucher lottery the benchmarks schedule, built as a CampaignInput (scripts do not reach into http/).
import {
  type CampaignInput,
  type CampaignMode,
  DEFAULT_VERIFICATION_METHODS,
} from '../../src/domain/campaign.js';

export function benchVoucherCampaign(o: {
  code: string;
  title: string;
  opensAt: Date;
  closesAt: Date;
  drawAt: Date;
  claimOpensAt: Date;
  claimClosesAt: Date;
  total: number;
  perPersonMax: number;
  mode?: CampaignMode;
}): CampaignInput {
  return {
    code: o.code,
    kind: 'voucher',
    mode: o.mode ?? 'lottery',
    title_ko: o.title,
    title_en: o.title,
    description_ko: '',
    description_en: '',
    time_zone: 'Asia/Seoul',
    opens_at: o.opensAt,
    closes_at: o.closesAt,
    draw_at: o.drawAt,
    claim_opens_at: o.claimOpensAt,
    claim_closes_at: o.claimClosesAt,
    unit: 'KRW',
    total: o.total,
    denomination: 10_000,
    per_person_max: o.perPersonMax,
    partial: 'skip',
    eligibility: { regions: [], birth_year_rotation: false },
    groups: [],
    verification_methods: [...DEFAULT_VERIFICATION_METHODS],
    unclaimed_policy: 'pass_down',
    slots: [],
  };
}
