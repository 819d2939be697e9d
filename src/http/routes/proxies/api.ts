// Proxies: admins register helpers; a helper verifies the person they help (the code goes to that person).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { registerProxy } from '../../../commands/registerProxy.js';
import { requestCode } from '../../../commands/requestCode.js';
import { verifyCode } from '../../../commands/verifyCode.js';
import { findProxyByIdentity, listProxies } from '../../../db/repos/proxies.js';
import { DomainError } from '../../../domain/errors.js';
import {
  type ResidentClaims,
  SUBJECT_AUDIENCE,
  SUBJECT_TOKEN_SECONDS,
  signResidentToken,
} from '../../../identity/residentSession.js';
import type { AppDeps } from '../../deps.js';
import type { Lang } from '../../i18n.js';
import { clientIp, intakeOf } from '../../intake.js';
import { checkResidentCsrf, type ResidentState, requireResident } from '../../middleware/residentAuth.js';
import { requireStaff } from '../../middleware/staffAuth.js';
import { parse } from '../../validate.js';
import { staffActor } from '../campaigns/api.js';
import { codeVerifySchema } from '../identity/schema.js';
import { proxyRegistrationSchema, subjectCodeSchema } from './schema.js';

export function proxyRoutes(router: Router, deps: AppDeps): void {
  router.post('/api/admin/proxies', requireStaff('admin'), async (ctx) => {
    const b = parse(proxyRegistrationSchema, ctx.request.body);
    const proxy = await registerProxy(intakeOf(deps).ctx, staffActor(ctx.state.staff), b);
    ctx.status = 201;
    ctx.body = { proxy };
  });

  router.get('/api/admin/proxies', requireStaff('admin'), async (ctx) => {
    ctx.body = { proxies: await listProxies(deps.db) };
  });

  const helper = async (ctx: Context): Promise<ResidentClaims> => {
    const r = ctx.state.resident as ResidentState;
    if (r.viaCookie) checkResidentCsrf(ctx, deps);
    if (!(await findProxyByIdentity(deps.db, r.claims.sub))) {
      throw new DomainError('not_a_proxy', 'You are not registered as a helper');
    }
    return r.claims;
  };

  router.post('/api/proxy/codes', requireResident(deps), async (ctx) => {
    await helper(ctx);
    const b = parse(subjectCodeSchema, ctx.request.body);
    const sent = await requestCode(intakeOf(deps).ctx, {
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
    const person = await verifyCode(intakeOf(deps).ctx, { ...b, ip: clientIp(ctx), purpose: 'proxy' });
    const now = deps.clock.now();
    const subject_token = await signResidentToken(
      deps.config.secrets.sessionSecret,
      {
        sub: person.identity.id,
        m: person.identity.method,
        bd: person.birth_date,
        cc: person.contact_channel,
        ce: person.contact_enc,
        lang: person.identity.lang,
        by: h.sub,
      },
      now,
      SUBJECT_AUDIENCE,
    );
    ctx.body = {
      subject_token,
      expires_at: new Date(now.getTime() + SUBJECT_TOKEN_SECONDS * 1000).toISOString(),
    };
  });
}
