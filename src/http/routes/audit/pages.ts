// The audit log as a page, with the hash-chain check, for auditors and admins.
import type Router from '@koa/router';
import { z } from 'zod';
import { checkAuditChain } from '../../../commands/checkAuditChain.js';
import { auditRowsBefore, countAuditRows } from '../../../db/repos/audit.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { render } from '../../render.js';
import { parse } from '../../validate.js';
import { formatMoment } from '../campaigns/view.js';
import { actorViews } from './actors.js';

/** Rows a page shows, newest first; ?before=<seq> is the cursor to older ones. */
export const AUDIT_PAGE_ROWS = 500;

const pageQuery = z.object({
  subject: z.string().trim().max(200).default(''),
  before: z.coerce.number().int().min(1).optional(),
});

export function auditPageRoutes(router: Router, deps: AppDeps): void {
  router.get('/admin/audit', requireStaffPage('auditor', 'admin'), async (ctx) => {
    const t = ctx.state.t as Translate;
    const lang = ctx.state.lang as Lang;
    const q = parse(pageQuery, ctx.query);
    const subject = q.subject;
    const filter = { subject: subject || undefined };
    // The chain is checked from the stored checkpoint on, whatever the filter.
    const [chain, rows, total] = await Promise.all([
      checkAuditChain(deps),
      auditRowsBefore(deps.db, q.before, AUDIT_PAGE_ROWS + 1, filter),
      countAuditRows(deps.db, filter),
    ]);
    const newest = rows.slice(0, AUDIT_PAGE_ROWS);
    const actors = await actorViews(
      deps.db,
      newest.map((r) => r.actor),
      t,
    );
    const older = rows.length > AUDIT_PAGE_ROWS ? newest.at(-1)!.seq : undefined;
    render(ctx, 'admin-audit', {
      title: t('admin.audit_title'),
      chain,
      subject,
      total,
      olderHref: older
        ? `/admin/audit?${new URLSearchParams({ before: String(older), ...(subject ? { subject } : {}) })}`
        : undefined,
      rows: newest.map((r, i) => ({
        seq: r.seq,
        at: formatMoment(r.at, 'Asia/Seoul', lang),
        actor: actors[i]!,
        action: r.action,
        subject: r.subject,
        data: JSON.stringify(r.data),
        hash: r.hash,
        broken: !chain.ok && r.seq === chain.brokenAt,
      })),
    });
  });
}
