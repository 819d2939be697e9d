// The audit log with a check of its hash chain, for auditors and admins.
import type Router from '@koa/router';
import { checkChain } from '../../../audit/chain.js';
import { listAuditRows } from '../../../db/repos/audit.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff } from '../../middleware/staffAuth.js';

export function auditRoutes(router: Router, deps: AppDeps): void {
  router.get('/api/audit/log', requireStaff('auditor', 'admin'), async (ctx) => {
    const rows = await listAuditRows(deps.db);
    const chain = checkChain(rows);
    const subject = typeof ctx.query.subject === 'string' ? ctx.query.subject : undefined;
    ctx.body = {
      chain,
      entries: rows
        .filter((r) => !subject || r.subject === subject)
        .map((r) => ({ ...r, at: r.at.toISOString() })),
    };
  });
}
