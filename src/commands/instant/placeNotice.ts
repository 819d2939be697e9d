// A notice to a person with a place in an instant sale: in their language, on their channel, with a link to their
// place, the contact opened from its seal (undefined when it will not open: the key changed since it was sealed).
import { type CampaignContact, contactParams } from '../../domain/contact.js';
import { decryptText } from '../../identity/crypto.js';
import type { NoticeKind, NoticeRequest } from '../../notify/notice.js';
import type { NoticeEnv } from '../awardNotices.js';
import { residentPageUrl } from '../residentLinks.js';

export interface PlaceContact {
  contact_channel: string | null;
  contact_enc: string | null;
  lang: string;
}

/** The sale's titles and its contact (none given: the notice names nobody to ask). */
export interface SaleTitles extends CampaignContact {
  id: string;
  title_ko: string;
  title_en: string;
}

/** The person's contact, or undefined when there is none or it will not open. */
export function contactOf(env: NoticeEnv, p: PlaceContact): string | undefined {
  if (!p.contact_enc) return undefined;
  try {
    return decryptText(env.secrets, p.contact_enc, 'contact');
  } catch {
    return undefined;
  }
}

export function placeNotice(
  env: NoticeEnv,
  sale: SaleTitles,
  p: PlaceContact,
  to: string,
  n: { kind: NoticeKind; dedupeKey: string; params?: Record<string, string | number> },
): NoticeRequest {
  const lang = p.lang === 'en' ? 'en' : 'ko';
  return {
    kind: n.kind,
    channel: p.contact_channel === 'email' ? 'email' : 'sms',
    to,
    lang,
    params: {
      campaign: lang === 'ko' ? sale.title_ko : sale.title_en,
      url: residentPageUrl(env.publicUrl, sale.id, 'queue', lang),
      ...contactParams(sale, lang),
      ...n.params,
    },
    dedupeKey: n.dedupeKey,
    campaignId: sale.id,
  };
}
