// Proxies: admins register helpers; a helper verifies the person they help (the code goes to that person).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { registerProxy } from '../../../commands/registerProxy.js';
import { requestCode } from '../../../commands/requestCode.js';
import { verifyCode } from '../../../commands/verifyCode.js';
import { listProxies } from '../../../db/repos/proxies.js';
import type { Lang } from '../../../i18n/catalogue.js';
import type { ResidentClaims } from '../../../identity/residentSession.js';
import { clientIp } from '../../clientIp.js';
import type { AppDeps } from '../../deps.js';
import { checkResidentCsrf, type ResidentState, requireResident } from '../../middleware/residentAuth.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { parse } from '../../validate.js';
import { codeVerifySchema } from '../identity/schema.js';
import { helperProxy, signSubjectToken } from './helper.js';
import { proxyRegistrationSchema, subjectCodeSchema } from './schema.js';

export function proxyRoutes(router: Router, deps: AppDeps): void {
  router.post('/api/admin/proxies', requireStaff('admin'), async (ctx) => {
    const b = parse(proxyRegistrationSchema, ctx.request.body);
    const proxy = await registerProxy(deps.intake, staffActor(ctx.state.staff), b);
    ctx.status = 201;
    ctx.body = { proxy };
  });

  router.get('/api/admin/proxies', requireStaff('admin'), async (ctx) => {
    ctx.body = { proxies: await listProxies(deps.db) };
  });

  const helper = async (ctx: Context): Promise<ResidentClaims> => {
    const r = ctx.state.resident as ResidentState;
    if (r.viaCookie) checkResidentCsrf(ctx, deps);
    await helperProxy(deps, r.claims.sub);
    return r.claims;
  };

  router.post('/api/proxy/codes', requireResident(deps), async (ctx) => {
    await helper(ctx);
    const b = parse(subjectCodeSchema, ctx.request.body);
    const sent = await requestCode(deps.intake, {
      channel: 'sms',
      contact: b.phone,
      birth_date: b.birth_date,
      lang: b.lang ?? (ctx.state.lang as Lang),
      ip: clientIp(ctx),
      purpose: 'proxy',
    });
    ctx.status = 202;
    ctx.body = { ...sent, expires_at: sent.expires_at.toISOString() };
  });

  router.post('/api/proxy/verify', requireResident(deps), async (ctx) => {
    const h = await helper(ctx);
    const b = parse(codeVerifySchema, ctx.request.body);
    const person = await verifyCode(deps.intake, { ...b, ip: clientIp(ctx), purpose: 'proxy' });
    const subject = await signSubjectToken(deps, person, h.sub);
    ctx.body = { subject_token: subject.token, expires_at: subject.expires_at.toISOString() };
  });
}
