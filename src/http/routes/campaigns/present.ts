// How a campaign looks in the JSON API.
import type { Campaign, SlotInput } from '../../../domain/campaign.js';
import { type CampaignContact, CONTACT_FIELDS } from '../../../domain/contact.js';

/** A cancelled campaign's word to residents in each language, as its title is (null: none given in that one). */
export function presentCancelMessage(c: Pick<Campaign, 'cancel_message_ko' | 'cancel_message_en'>) {
  return { ko: c.cancel_message_ko ?? null, en: c.cancel_message_en ?? null };
}

/** Whom residents ask about the campaign, each text in both languages (null: not given); null when none is set. */
export function presentContact(c: CampaignContact) {
  if (!CONTACT_FIELDS.some((f) => c[f])) return null;
  return {
    name: { ko: c.contact_name_ko ?? null, en: c.contact_name_en ?? null },
    phone: c.contact_phone ?? null,
    email: c.contact_email ?? null,
    hours: { ko: c.contact_hours_ko ?? null, en: c.contact_hours_en ?? null },
  };
}

export function presentCampaign(c: Campaign, slots?: SlotInput[]) {
  return {
    id: c.id,
    code: c.code,
    kind: c.kind,
    mode: c.mode,
    state: c.state,
    title: { ko: c.title_ko, en: c.title_en },
    description: { ko: c.description_ko, en: c.description_en },
    time_zone: c.time_zone,
    opens_at: c.opens_at.toISOString(),
    closes_at: c.closes_at.toISOString(),
    draw_at: c.draw_at.toISOString(),
    claim_opens_at: c.claim_opens_at.toISOString(),
    claim_closes_at: c.claim_closes_at.toISOString(),
    unit: c.unit,
    total: c.total,
    denomination: c.denomination,
    per_person_max: c.per_person_max,
    partial: c.partial,
    eligibility: c.eligibility,
    groups: c.groups,
    verification_methods: c.verification_methods,
    unclaimed_policy: c.unclaimed_policy,
    claim_period_hours: c.claim_period_hours,
    // the campaign's own beacon sentence; null: the service default (the draw's committed one is on its audit read)
    beacon_source: c.beacon_source ?? null,
    contact: presentContact(c),
    ...(c.kind === 'voucher'
      ? {
          price: {
            voucher_unit: Number(c.voucher_unit ?? c.denomination),
            discount_percent: (c.discount_bp ?? 0) / 100,
            voucher_valid_days: c.voucher_valid_days,
            checkout_minutes: c.checkout_minutes,
          },
        }
      : {}),
    version: c.version,
    state_changed_at: c.state_changed_at.toISOString(),
    ...(c.state === 'cancelled' ? { cancel_message: presentCancelMessage(c) } : {}),
    ...(slots
      ? {
          slots: slots.map((s) => ({
            id: s.id,
            site_id: s.site_id,
            starts_at: s.starts_at.toISOString(),
            ends_at: s.ends_at.toISOString(),
            capacity: s.capacity,
          })),
        }
      : {}),
  };
}
