// Sites (pharmacies, merchants): anyone may list them; admins add or change them.
import type Router from '@koa/router';
import { z } from 'zod';
import { saveSite } from '../../../commands/saveSite.js';
import { findSite, listSites } from '../../../db/repos/sites.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { safeText } from '../../fields.js';
import { requireStaff } from '../../middleware/staffAuth.js';
import { parse } from '../../validate.js';
import { staffActor } from '../campaigns/api.js';

// Coordinates arrive as text from forms and CSV, as numbers from JSON; blank means "not given".
const coordinate = (limit: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? null : Number(v.trim())) : v),
    z
      .number({ error: 'A number, e.g. 37.5636' })
      .min(-limit, `Between -${limit} and ${limit}`)
      .max(limit, `Between -${limit} and ${limit}`)
      .nullable()
      .default(null),
  );

export const siteSchema = z
  .object({
    name_ko: safeText(200).min(1, 'Required'),
    name_en: safeText(200).min(1, 'Required'),
    district: safeText(100).default(''),
    address: safeText(300).default(''),
    phone: safeText(40)
      .regex(/^[0-9+()\- ]*$/, 'Digits, spaces, +, ( ) and - only, e.g. 02-123-4567')
      .default(''),
    hours_ko: safeText(200).default(''),
    hours_en: safeText(200).default(''),
    lat: coordinate(90),
    lng: coordinate(180),
  })
  .superRefine((s, ctx) => {
    if ((s.lat === null) !== (s.lng === null))
      ctx.addIssue({
        code: 'custom',
        path: [s.lat === null ? 'lat' : 'lng'],
        message: 'Give both latitude and longitude, or neither',
      });
  });
export const siteId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Letters, digits, - and _ only, at most 40');

export function siteApiRoutes(router: Router, deps: AppDeps): void {
  router.get('/api/sites', async (ctx) => {
    const district = typeof ctx.query.district === 'string' ? ctx.query.district : undefined;
    ctx.body = { sites: await listSites(deps.db, { district }) };
  });

  router.get('/api/sites/:id', async (ctx) => {
    const site = await findSite(deps.db, ctx.params.id ?? '');
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
