// A voucher campaign's price and issue rules, as the payment commands read them from the campaign row.
import type { Campaign } from '../../domain/campaign.js';

export interface VoucherCampaign extends Campaign {
  discount_bp: number;
  voucher_valid_days: number;
  checkout_minutes: number;
  claim_period_hours: number;
}

/** Face value of one issued voucher: the campaign's voucher unit, else its denomination. */
// bigint columns arrive from pg as strings, hence Number().
export function voucherUnitOf(c: Pick<VoucherCampaign, 'voucher_unit' | 'denomination'>): number {
  return Number(c.voucher_unit ?? c.denomination);
}
