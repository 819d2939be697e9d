// What a resident (or the API) is shown about an application, and why a gated write was refused.
import type { Application, WindowCheck } from '../db/repos/applications.js';
import type { Site } from '../db/repos/sites.js';
import type { Campaign } from '../domain/campaign.js';
import { DomainError } from '../domain/errors.js';

export interface Receipt {
  public_id: string;
  campaign_id: string;
  campaign_code: string;
  status: 'active' | 'withdrawn';
  channel: string;
  amount: number;
  unit: 'KRW' | 'item';
  sites: Array<{ id: string; name_ko: string; name_en: string }>;
  group: string;
  version: number;
  applied_at: string;
  updated_at: string;
}

export function receiptOf(a: Application, c: Campaign, sites: readonly Site[]): Receipt {
  const byId = new Map(sites.map((s) => [s.id, s]));
  return {
    public_id: a.public_id,
    campaign_id: c.id,
    campaign_code: c.code,
    status: a.status,
    channel: a.channel,
    amount: Number(a.request),
    unit: c.unit,
    sites: a.preferences.map((id) => ({
      id,
      name_ko: byId.get(id)?.name_ko ?? id,
      name_en: byId.get(id)?.name_en ?? id,
    })),
    group: a.group_name,
    version: a.version,
    applied_at: new Date(a.created_at).toISOString(),
    updated_at: new Date(a.updated_at).toISOString(),
  };
}

const ENDED = new Set(['closed', 'drawn', 'claiming', 'finished']);

/** The refusal for a gated write that changed nothing, decided from the same statement's database clock. */
export function windowRefusal(w: WindowCheck): DomainError | undefined {
  if (!w.found) return new DomainError('not_found', 'No such campaign');
  if (w.state && ENDED.has(w.state))
    return new DomainError('campaign_closed', 'The application window has closed');
  if (w.state !== 'scheduled' && w.state !== 'open') {
    return new DomainError('campaign_not_open', 'This campaign is not taking applications');
  }
  if (w.ended) return new DomainError('campaign_closed', 'The application window has closed');
  if (!w.started) return new DomainError('campaign_not_open', 'The application window has not opened yet');
  return undefined;
}

// One formatter per language: toLocaleString builds a new one (ICU data lookups) on every call.
const NUMBER_FORMATS = { ko: new Intl.NumberFormat('ko-KR'), en: new Intl.NumberFormat('en-GB') };

export function formatAmount(amount: number, unit: 'KRW' | 'item', lang: 'ko' | 'en'): string {
  const n = NUMBER_FORMATS[lang].format(amount);
  if (unit === 'KRW') return lang === 'ko' ? `${n}원` : `KRW ${n}`;
  return lang === 'ko' ? `${n}개` : `${n} item${amount === 1 ? '' : 's'}`;
}
