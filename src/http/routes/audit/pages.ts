// The audit log as a page, with the hash-chain check, for auditors and admins.
import type Router from '@koa/router';
import { checkChain } from '../../../audit/chain.js';
import { listAuditRows } from '../../../db/repos/audit.js';
import type { AppDeps } from '../../deps.js';
import type { Lang, Translate } from '../../i18n.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { render } from '../../render.js';
import { formatMoment } from '../campaigns/view.js';

/** The page shows the newest rows; the JSON API and the audit bundle carry the whole log. */
export const AUDIT_PAGE_ROWS = 500;

export function auditPageRoutes(router: Router, deps: AppDeps): void {
  router.get('/admin/audit', requireStaffPage('auditor', 'admin'), async (ctx) => {
    const t = ctx.state.t as Translate;
    const lang = ctx.state.lang as Lang;
    // The chain is checked over the whole log, whatever the filter.
    const rows = await listAuditRows(deps.db);
    const chain = checkChain(rows);
    const subject = typeof ctx.query.subject === 'string' ? ctx.query.subject.trim().slice(0, 200) : '';
    const shown = rows.filter((r) => !subject || r.subject === subject);
    const newest = shown.slice(-AUDIT_PAGE_ROWS).reverse();
    render(ctx, 'admin-audit', {
      title: t('admin.audit_title'),
      chain,
      subject,
      total: shown.length,
      limited: shown.length > newest.length,
      rows: newest.map((r) => ({
        seq: r.seq,
        at: formatMoment(r.at, 'Asia/Seoul', lang),
        actor: r.actor,
        action: r.action,
        subject: r.subject,
        data: JSON.stringify(r.data),
        hash: r.hash,
        broken: !chain.ok && r.seq === chain.brokenAt,
      })),
    });
  });
}
