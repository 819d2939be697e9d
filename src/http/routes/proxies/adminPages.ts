// /admin/proxies: admins register helpers (community-centre staff or family) with a cap, and see how many
// applications each has made. The same command as POST /api/admin/proxies; auditors may look.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { registerProxy } from '../../../commands/registerProxy.js';
import { normaliseContact } from '../../../commands/requestCode.js';
import { listProxies } from '../../../db/repos/proxies.js';
import { DomainError, type FieldErrors } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import type { StaffSession } from '../../middleware/staffAuth.js';
import { staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { linesByField, pageText, problemsOfError } from '../../problems.js';
import { render } from '../../render.js';
import { invalid, parseFields } from '../../validate.js';
import { proxyRegistrationSchema } from './schema.js';

const FIELDS = ['phone', 'birth_date', 'kind', 'label', 'cap'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

const valuesFrom = (body: unknown): Values => {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(FIELDS.map((k) => [k, typeof b[k] === 'string' ? b[k] : ''])) as Values;
};

/**
 * The form's every fault at once: each field as the schema reads it, and the phone and birth date as the code
 * checks them (a field the schema refused keeps that fault alone). One submit names all, not a batch at a time.
 */
function registration(values: Values, now: Date): z.infer<typeof proxyRegistrationSchema> {
  const { data, problems } = parseFields(proxyRegistrationSchema, values);
  try {
    normaliseContact('sms', data.phone ?? '', data.birth_date ?? '', now);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const judged = new Set(problems.map((p) => p.field));
    problems.push(
      ...problemsOfError(err).filter((p) => !judged.has(p.field === 'contact' ? 'phone' : p.field)),
    );
  }
  if (problems.length > 0) throw invalid(problems);
  return data as z.infer<typeof proxyRegistrationSchema>;
}

export function proxyAdminPageRoutes(router: Router, deps: AppDeps): void {
  async function show(
    ctx: Context,
    form: { values: Values; errors: FieldErrors; summary: string },
    status = 200,
  ) {
    const t = ctx.state.t as Translate;
    render(
      ctx,
      'admin-proxies',
      {
        title: t('proxy.admin.title'),
        proxies: await listProxies(deps.db),
        isAdmin: (ctx.state.staff as StaffSession).role === 'admin',
        notice: ctx.query.saved ? t('proxy.admin.saved') : '',
        ...form,
      },
      status,
    );
  }

  router.get('/admin/proxies', requireStaffPage('admin', 'auditor'), async (ctx) => {
    await show(ctx, { values: { ...valuesFrom({}), kind: 'staff', cap: '20' }, errors: {}, summary: '' });
  });

  router.post('/admin/proxies', requireStaffPage('admin'), async (ctx) => {
    const values = valuesFrom(ctx.request.body);
    const t = ctx.state.t as Translate;
    try {
      await registerProxy(deps.intake, staffActor(ctx.state.staff), registration(values, deps.clock.now()));
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'validation_failed') throw err;
      // each fault on its field in the page's language (the phone number is checked as the code's `contact`),
      // in the form's order
      const text = pageText(t, ctx.state.lang as Lang);
      const order = (field: string) => FIELDS.indexOf(field as (typeof FIELDS)[number]);
      const errors = linesByField(
        problemsOfError(err)
          .map((p) => [p.field === 'contact' ? 'phone' : p.field, text(p)] as const)
          .sort(([a], [b]) => order(a) - order(b)),
      );
      return show(ctx, { values, errors, summary: t('errors.validation_failed') }, statusOf(err));
    }
    ctx.status = 303;
    ctx.redirect('/admin/proxies?saved=1');
  });
}
