// Sites (pharmacies, merchants): anyone may list them; admins add or change them.
import type Router from '@koa/router';
import { z } from 'zod';
import { saveSite } from '../../../commands/saveSite.js';
import { findSite, listSites } from '../../../db/repos/sites.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { parse } from '../../validate.js';
import { districtQuery, siteId, siteSchema } from './schema.js';

export function siteApiRoutes(router: Router, deps: AppDeps): void {
  router.get('/api/sites', async (ctx) => {
    const { district } = parse(districtQuery, ctx.query);
    ctx.body = { sites: await listSites(deps.db, { district }) };
  });

  router.get('/api/sites/:id', async (ctx) => {
    const site = await findSite(deps.db, String(ctx.params.id));
    if (!site) throw new DomainError('not_found', 'No such site');
    ctx.body = { site };
  });

  router.put('/api/admin/sites/:id', requireStaff('admin'), async (ctx) => {
    const id = parse(z.object({ id: siteId }), { id: ctx.params.id }).id;
    const fields = parse(siteSchema, ctx.request.body);
    const site = await saveSite({ db: deps.db, clock: deps.clock }, staffActor(ctx.state.staff), {
      id,
      ...fields,
    });
    ctx.body = { site };
  });
}
