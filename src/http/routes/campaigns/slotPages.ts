// A goods campaign's pickup slots, for admins: an overview by site, one table per site to add, change or remove
// its slots (blank rows add, a cleared row removes), and a CSV import of all slots. Each save goes through
// saveCampaignSlots, which checks the whole campaign; auditors may look.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { checkCampaignSlots, saveCampaignSlots } from '../../../commands/saveCampaignSlots.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { findSite, listSites } from '../../../db/repos/sites.js';
import { listCampaignSlots } from '../../../db/repos/slots.js';
import { type Campaign, isEditable, type SlotInput } from '../../../domain/campaign.js';
import { DomainError } from '../../../domain/errors.js';
import { siteWords } from '../../../domain/site.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { type RowError, rowText } from '../../csvRows.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import type { StaffSession } from '../../middleware/staffAuth.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { pageText, problemsOfError } from '../../problems.js';
import { render } from '../../render.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { csvRefusal } from '../sites/importPages.js';
import { csvBodySchema, siteId } from '../sites/schema.js';
import { localInput } from './form.js';
import {
  SLOT_CSV_COLUMNS,
  type SlotRow,
  slotErrorsByRow,
  slotIdFor,
  slotRowsFromCsv,
  slotsFromRows,
} from './slotRows.js';

const BLANK_ROWS = 3;
/** A slot's field -> the table's cell (and its heading, admin.slots.<cell>); the site is the table's own. */
const CELL_OF: Record<string, string> = {
  id: 'id',
  site_id: 'id',
  starts_at: 'starts',
  ends_at: 'ends',
  capacity: 'capacity',
};
/** A slot's field -> the CSV column it came from. */
const CSV_COLUMN_OF: Record<string, string> = { id: 'slot_id' };
const MAX_ROWS = 200;

export function slotPageRoutes(router: Router, deps: AppDeps): void {
  const cmd = { db: deps.db, clock: deps.clock };
  const isAdmin = (ctx: Context) => (ctx.state.staff as StaffSession).role === 'admin';

  async function load(ctx: Context): Promise<Campaign> {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!c) throw new DomainError('not_found', 'No such campaign');
    return c;
  }

  /**
   * Saves the rows that were read, or returns every fault: the rows' own (`refused`) and the campaign's rules
   * over the rest, by row (line 0: of no row). With refused rows nothing is saved, but the others are still
   * judged, so one submit names every fault.
   */
  async function trySave(
    ctx: Context,
    c: Campaign,
    parsed: { slots: SlotInput[]; refs: number[]; errors: RowError[] },
    others: SlotInput[] = [],
  ): Promise<RowError[] | undefined> {
    const slots = [...parsed.slots, ...others];
    if (parsed.errors.length > 0) {
      const rules = slotErrorsByRow(await checkCampaignSlots(cmd, c.id, slots), parsed.refs);
      return [...parsed.errors, ...rules].sort((a, b) => a.line - b.line);
    }
    try {
      await saveCampaignSlots(cmd, staffActor(ctx.state.staff), c.id, slots);
      return undefined;
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'validation_failed') throw err;
      return slotErrorsByRow(problemsOfError(err), parsed.refs);
    }
  }

  router.get('/admin/campaigns/:id/slots', requireStaffPage('admin', 'auditor'), async (ctx) => {
    const c = await load(ctx);
    const lang = ctx.state.lang as Lang;
    const [slots, sites] = await Promise.all([listCampaignSlots(deps.db, c.id), listSites(deps.db)]);
    const bySite = sites
      .map((s) => {
        const own = slots.filter((x) => x.site_id === s.id);
        const { name, district } = siteWords(s, lang);
        return {
          id: s.id,
          name,
          district,
          count: own.length,
          capacity: own.reduce((n, x) => n + x.capacity, 0),
        };
      })
      .filter((s) => s.count > 0);
    render(ctx, 'admin-slots', {
      title: (ctx.state.t as Translate)('admin.slots.title'),
      campaign: c,
      campaignTitle: lang === 'en' ? c.title_en : c.title_ko,
      bySite,
      otherSites: sites.filter((s) => !bySite.some((b) => b.id === s.id)),
      total: slots.reduce((n, x) => n + x.capacity, 0),
      editable: isEditable(c.state) && c.kind === 'goods' && isAdmin(ctx),
      notice: ctx.query.saved ? (ctx.state.t as Translate)('admin.slots.saved', { total: c.total }) : '',
    });
  });

  // The "add slots at another site" picker is a GET form.
  router.get('/admin/campaigns/:id/slots/site', requireStaffPage('admin'), async (ctx) => {
    const c = await load(ctx);
    const site = parse(z.object({ site: siteId }), { site: ctx.query.site }).site;
    ctx.redirect(`/admin/campaigns/${c.id}/slots/site/${encodeURIComponent(site)}`);
  });

  async function showSite(
    ctx: Context,
    c: Campaign,
    site: { id: string; name_ko: string; name_en: string },
    values: Record<string, string>,
    rowCount: number,
    errors: RowError[] = [],
    status = 200,
  ) {
    const lang = ctx.state.lang as Lang;
    const t = ctx.state.t as Translate;
    const text = pageText(t, lang);
    // each fault on its row and cell, the cell named as the table's heading names it
    const rows = errors
      .filter((e) => e.line > 0)
      .map((e) => {
        const cell = CELL_OF[e.field ?? ''] ?? 'id';
        return { line: e.line, cell, text: rowText(e, text, () => t(`admin.slots.${cell}`)) };
      });
    render(
      ctx,
      'admin-site-slots',
      {
        title: (ctx.state.t as Translate)('admin.slots.site_title', {
          site: siteWords(site, lang).name,
        }),
        campaign: c,
        campaignTitle: lang === 'en' ? c.title_en : c.title_ko,
        site,
        zone: c.time_zone,
        values,
        rows: Array.from({ length: rowCount }, (_, i) => i),
        problems: { general: errors.filter((e) => e.line === 0).map((e) => text({ ...e, field: '' })), rows },
        badCells: new Set(rows.map((r) => `${r.line}-${r.cell}`)),
        badRows: new Set(rows.map((r) => r.line)),
        editable: isEditable(c.state) && c.kind === 'goods' && isAdmin(ctx),
      },
      status,
    );
  }

  async function loadSite(ctx: Context) {
    const id = parse(z.object({ site: siteId }), { site: ctx.params.site }).site;
    const site = await findSite(deps.db, id);
    if (!site) throw new DomainError('not_found', 'No such site');
    return site;
  }

  router.get('/admin/campaigns/:id/slots/site/:site', requireStaffPage('admin', 'auditor'), async (ctx) => {
    const c = await load(ctx);
    const site = await loadSite(ctx);
    const own = (await listCampaignSlots(deps.db, c.id)).filter((s) => s.site_id === site.id);
    const values: Record<string, string> = {};
    own.forEach((s, i) => {
      values[`slot_${i}_id`] = s.id;
      values[`slot_${i}_starts`] = localInput(s.starts_at, c.time_zone);
      values[`slot_${i}_ends`] = localInput(s.ends_at, c.time_zone);
      values[`slot_${i}_capacity`] = String(s.capacity);
    });
    await showSite(ctx, c, site, values, Math.min(MAX_ROWS, own.length + BLANK_ROWS));
  });

  router.post('/admin/campaigns/:id/slots/site/:site', requireStaffPage('admin'), async (ctx) => {
    const c = await load(ctx);
    const site = await loadSite(ctx);
    const body = bodyOf(ctx);
    const values: Record<string, string> = {};
    const rows: SlotRow[] = [];
    for (let i = 0; i < MAX_ROWS; i++) {
      const cell = (k: string) => {
        const v = body[`slot_${i}_${k}`];
        values[`slot_${i}_${k}`] = typeof v === 'string' ? v : '';
        return values[`slot_${i}_${k}`]!.trim();
      };
      const cells = {
        id: cell('id'),
        site_id: site.id,
        starts_at: cell('starts'),
        ends_at: cell('ends'),
        capacity: cell('capacity'),
      };
      // A row left (or made) blank adds nothing, or removes the slot it held.
      if (cells.id || cells.starts_at || cells.ends_at || cells.capacity) rows.push({ ref: i + 1, cells });
    }
    const rowCount = Math.min(MAX_ROWS, Math.max(...rows.map((r) => r.ref), 0) + BLANK_ROWS);
    const others = (await listCampaignSlots(deps.db, c.id)).filter((s) => s.site_id !== site.id);
    // A row given a time but no id gets one from its site and start (slotIdFor), shown back in its cell.
    const taken = new Set([...others.map((s) => s.id), ...rows.map((r) => r.cells.id)]);
    for (const r of rows.filter((x) => !x.cells.id && x.cells.starts_at)) {
      const id = slotIdFor(site.id, r.cells.starts_at, taken);
      if (!id) continue;
      taken.add(id);
      r.cells.id = id;
      values[`slot_${r.ref - 1}_id`] = id;
    }
    const parsed = slotsFromRows(rows, c.time_zone);
    // This site's rows come first, so the command's slot indexes map back to them.
    const problems = await trySave(ctx, c, parsed, others);
    if (problems) return showSite(ctx, c, site, values, rowCount, problems, statusOf('validation_failed'));
    ctx.status = 303;
    ctx.redirect(`/admin/campaigns/${c.id}/slots?saved=1`);
  });

  function importPage(
    ctx: Context,
    c: Campaign,
    extra: { csv?: string; errors?: RowError[] } = {},
    status = 200,
  ) {
    const t = ctx.state.t as Translate;
    const text = pageText(t, ctx.state.lang as Lang);
    render(
      ctx,
      'admin-csv-import',
      {
        title: t('admin.import.slots_title'),
        intro: t('admin.import.slots_intro'),
        action: `/admin/campaigns/${c.id}/slots/import`,
        back: `/admin/campaigns/${c.id}/slots`,
        columns: SLOT_CSV_COLUMNS.required,
        required: SLOT_CSV_COLUMNS.required,
        example: `slot_id,site_id,starts_at,ends_at,capacity\nPH-JUNG-01-AM,PH-JUNG-01,2026-12-05 09:00,2026-12-05 12:00,100\nPH-JUNG-01-PM,PH-JUNG-01,2026-12-05 13:00,2026-12-05 18:00,150`,
        csv: extra.csv ?? '',
        // a cell is named by its column, as the file names it
        errors: (extra.errors ?? []).map((e) => ({
          line: e.line,
          message: rowText(e, text, (f) => CSV_COLUMN_OF[f] ?? f),
        })),
      },
      status,
    );
  }

  /** The whole file's slots, or every problem with its line. */
  async function importCsv(ctx: Context, c: Campaign, csv: string): Promise<RowError[]> {
    const { rows, errors } = slotRowsFromCsv(csv);
    if (errors.length) return errors;
    return (await trySave(ctx, c, slotsFromRows(rows, c.time_zone))) ?? [];
  }

  router.get('/admin/campaigns/:id/slots/import', requireStaffPage('admin'), async (ctx) => {
    importPage(ctx, await load(ctx));
  });

  router.post('/admin/campaigns/:id/slots/import', requireStaffPage('admin'), async (ctx) => {
    const c = await load(ctx);
    const { csv } = parse(csvBodySchema, { csv: bodyOf(ctx).csv ?? '' });
    const errors = await importCsv(ctx, c, csv);
    if (errors.length) return importPage(ctx, c, { csv, errors }, statusOf('validation_failed'));
    ctx.status = 303;
    ctx.redirect(`/admin/campaigns/${c.id}/slots?saved=1`);
  });

  router.post('/api/admin/campaigns/:id/slots/import', requireStaff('admin'), async (ctx) => {
    const c = await load(ctx);
    const { csv } = parse(csvBodySchema, ctx.request.body);
    const errors = await importCsv(ctx, c, csv);
    if (errors.length) throw csvRefusal(errors);
    ctx.status = 201;
    ctx.body = { slots: (await listCampaignSlots(deps.db, c.id)).length, total: (await load(ctx)).total };
  });
}
