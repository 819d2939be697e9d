// The audit log, a page at a time in seq order (?after=<seq> is the cursor), with the hash chain's check,
// for auditors and admins. The check starts at the stored checkpoint (src/commands/checkAuditChain.ts).
import type Router from '@koa/router';
import { checkAuditChain } from '../../../commands/checkAuditChain.js';
import { auditRowsAfter } from '../../../db/repos/audit.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff } from '../../middleware/staffAuth.js';
import { parse } from '../../validate.js';
import { auditQuery } from './schema.js';

export function auditRoutes(router: Router, deps: AppDeps): void {
  router.get('/api/audit/log', requireStaff('auditor', 'admin'), async (ctx) => {
    const q = parse(auditQuery, ctx.query);
    const subject = q.subject || undefined;
    const [chain, rows] = await Promise.all([
      checkAuditChain(deps),
      auditRowsAfter(deps.db, q.after, q.limit + 1, { subject }),
    ]);
    const page = rows.slice(0, q.limit);
    const more = rows.length > q.limit;
    const next = new URLSearchParams({ after: String(page.at(-1)?.seq ?? q.after), limit: String(q.limit) });
    if (subject) next.set('subject', subject);
    ctx.body = {
      chain,
      entries: page.map((r) => ({ ...r, at: r.at.toISOString() })),
      next: more ? `/api/audit/log?${next}` : null,
    };
  });
}
