// The public stock of a campaign per site and slot: capacity, awarded, collected, remaining (what is still at
// the site: capacity less what was handed over), as of a moment. Before the draw nothing is awarded, so
// remaining is the capacity. Counts come from stock_counts, moved in the same transaction as every collection,
// refusal, expiry and promotion (drawCounts.ts).
//
// Many readers, one query: each process keeps one snapshot per campaign for at most SNAPSHOT_MS and shares
// one in-flight read among concurrent requests, so a crowd of readers costs the database about two queries a
// second per campaign, and a reader sees a change at most SNAPSHOT_MS plus one read after it committed.
import { createHash } from 'node:crypto';
import type { Db } from '../db/knex.js';
import { findCampaign } from '../db/repos/campaigns.js';
import { countsReady } from '../db/repos/drawCounts.js';
import { readStockRows, siteNames } from '../db/repos/stock.js';
import type { Campaign } from '../domain/campaign.js';
import type { CommandContext } from './context.js';

export const SNAPSHOT_MS = 500;

const DRAWN: readonly string[] = ['drawn', 'claiming', 'finished'];

interface Figures {
  capacity: number;
  awarded: number;
  collected: number;
  remaining: number;
}

const figures = (capacity: number, awarded: number, collected: number): Figures => ({
  capacity,
  awarded,
  collected,
  remaining: capacity - collected,
});

function add(a: Figures, b: Figures): Figures {
  return figures(a.capacity + b.capacity, a.awarded + b.awarded, a.collected + b.collected);
}

export interface StockView {
  campaign_id: string;
  state: string;
  unit: string;
  drawn: boolean;
  as_of: string;
  totals: Figures;
  sites: Array<{
    site_id: string;
    name_ko: string;
    name_en: string;
    district: string;
    /** '' when not given: English readers are shown `district` */
    district_en: string;
    totals: Figures;
    slots: Array<{ slot_id: string; starts_at: string | null; ends_at: string | null } & Figures>;
  }>;
}

/**
 * Reads the stock now (no cache), never writing: a drawn campaign shows what was awarded once the draw job has
 * stored its counts (moments after the draw), and its capacity alone until then.
 */
export async function readStock(ctx: CommandContext, c: Campaign): Promise<StockView> {
  const drawn = DRAWN.includes(c.state) && (await countsReady(ctx.db, c.id));
  const rows = await readStockRows(ctx.db, c.id);
  const asOf = ctx.clock.now();
  if (c.kind === 'voucher' && !rows.some((r) => r.site_id === '')) {
    rows.push({
      site_id: '',
      slot_id: '',
      starts_at: null,
      ends_at: null,
      capacity: 0,
      awarded: 0,
      collected: 0,
    });
  }
  const names = await siteNames(ctx.db, [...new Set(rows.map((r) => r.site_id).filter(Boolean))]);
  const sites = new Map<string, StockView['sites'][number]>();
  for (const r of rows) {
    let site = sites.get(r.site_id);
    if (!site) {
      const n = names.get(r.site_id);
      site = {
        site_id: r.site_id,
        name_ko: n?.name_ko ?? '',
        name_en: n?.name_en ?? '',
        district: n?.district ?? '',
        district_en: n?.district_en ?? '',
        totals: figures(0, 0, 0),
        slots: [],
      };
      sites.set(r.site_id, site);
    }
    // A voucher campaign's budget is its one row's capacity.
    const capacity = r.site_id === '' && c.kind === 'voucher' ? Number(c.total) : Number(r.capacity);
    const f = figures(capacity, drawn ? Number(r.awarded) : 0, drawn ? Number(r.collected) : 0);
    site.slots.push({
      slot_id: r.slot_id,
      starts_at: r.starts_at?.toISOString() ?? null,
      ends_at: r.ends_at?.toISOString() ?? null,
      ...f,
    });
    site.totals = add(site.totals, f);
  }
  const list = [...sites.values()];
  return {
    campaign_id: c.id,
    state: c.state,
    unit: c.unit,
    drawn,
    as_of: asOf.toISOString(),
    totals: list.reduce((t, s) => add(t, s.totals), figures(0, 0, 0)),
    sites: list,
  };
}

export interface StockSnapshot {
  view: StockView;
  /** the view as JSON, serialised once per snapshot */
  json: string;
  /** the same as UTF-8 bytes, what the fast path writes */
  body: Buffer;
  /** a weak validator of the figures (as_of left out): a reader whose copy has the same figures gets a 304 */
  etag: string;
}

/** W/"…": the same for two snapshots whose figures are the same, whatever their as_of. */
function etagOf(view: StockView): string {
  const { as_of: _asOf, ...figures } = view;
  return `W/"${createHash('sha256').update(JSON.stringify(figures)).digest('base64url').slice(0, 22)}"`;
}

/** Per-process snapshots of public campaigns' stock, each at most SNAPSHOT_MS old. */
export function stockReader(ctx: CommandContext & { db: Db }, maxAgeMs = SNAPSHOT_MS) {
  const cache = new Map<string, { at: number; value: Promise<StockSnapshot | undefined> }>();
  async function load(id: string, isPublic: (c: Campaign) => boolean) {
    const c = await findCampaign(ctx.db, id);
    if (!c || !isPublic(c)) return undefined;
    const view = await readStock(ctx, c);
    const json = JSON.stringify(view);
    return { view, json, body: Buffer.from(json), etag: etagOf(view) };
  }
  return (id: string, isPublic: (c: Campaign) => boolean): Promise<StockSnapshot | undefined> => {
    const now = performance.now();
    const hit = cache.get(id);
    if (hit && now - hit.at < maxAgeMs) return hit.value;
    const value = load(id, isPublic);
    if (cache.size >= 1000) cache.clear(); // many campaigns (or made-up ids): start over rather than grow
    cache.set(id, { at: now, value });
    value.catch(() => cache.delete(id));
    return value;
  };
}
