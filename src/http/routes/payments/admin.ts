// Admin and auditor views of a campaign's payments: orders per state, the sum paid, refunds, vouchers issued,
// the latest orders, and the CSV export for the city's accounting.
import type Router from '@koa/router';
import { findCampaign } from '../../../db/repos/campaigns.js';
import {
  ORDER_CSV_COLUMNS,
  ordersForExport,
  paymentSummary,
  recentOrders,
} from '../../../db/repos/paymentReports.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff } from '../../middleware/staffAuth.js';
import { render } from '../../render.js';
import { parseId } from '../../validate.js';

/** One CSV field (RFC 4180); a leading = + - @ is prefixed so a spreadsheet never runs it as a formula. */
export function csvField(v: unknown): string {
  let s = v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function paymentAdminRoutes(router: Router, deps: AppDeps): void {
  async function campaignOf(id: string | undefined) {
    const c = await findCampaign(deps.db, parseId(id));
    if (!c) throw new DomainError('not_found', 'No such campaign');
    return c;
  }

  router.get('/api/admin/campaigns/:id/payments', requireStaff('admin', 'auditor'), async (ctx) => {
    const c = await campaignOf(ctx.params.id);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { campaign_id: c.id, ...(await paymentSummary(deps.db, c.id)) };
  });

  router.get('/api/admin/campaigns/:id/orders.csv', requireStaff('admin', 'auditor'), async (ctx) => {
    const c = await campaignOf(ctx.params.id);
    const rows = await ordersForExport(deps.db, c.id);
    const lines = [ORDER_CSV_COLUMNS.join(',')];
    for (const r of rows) lines.push(ORDER_CSV_COLUMNS.map((k) => csvField(r[k])).join(','));
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="orders-${c.code}.csv"`);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = `${lines.join('\r\n')}\r\n`;
  });

  router.get('/admin/campaigns/:id/payments', requireStaff('admin', 'auditor'), async (ctx) => {
    const c = await campaignOf(ctx.params.id);
    render(ctx, 'admin-payments', {
      title: ctx.state.t('pay.admin.title'),
      campaign: c,
      summary: await paymentSummary(deps.db, c.id),
      orders: await recentOrders(deps.db, c.id),
    });
  });
}
