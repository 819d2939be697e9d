// A resident, or a registered helper at a shared PC, signs out: the session cookie goes (the person's application,
// result and claim code are no longer shown on this browser) and, on a campaign's page, a helper's verification of
// the person they were helping there. A POST with the resident CSRF token: a link or another site cannot sign
// anyone out. The session's token is refused from then on everywhere (residentSignOuts.ts), not only forgotten here.
import type Router from '@koa/router';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { PUBLIC_STATES } from '../../../domain/campaign.js';
import type { AppDeps } from '../../deps.js';
import { checkResidentCsrf, signOutResident } from '../../middleware/residentAuth.js';
import { bodyOf, UUID } from '../../validate.js';
import { forgetSubject } from '../proxies/pages.js';

export const SIGN_OUT_PATH = '/identity/signout';

export function residentSignOutRoutes(router: Router, deps: AppDeps): void {
  router.post(SIGN_OUT_PATH, async (ctx) => {
    checkResidentCsrf(ctx, deps);
    const asked = bodyOf(ctx).campaign;
    const campaign = typeof asked === 'string' && UUID.test(asked) ? asked : undefined;
    await signOutResident(ctx, deps);
    if (campaign) forgetSubject(ctx, deps, campaign);
    // back to the campaign's page where it has one (a draft's or a cancelled campaign's is not public)
    const c = campaign ? await findCampaign(deps.db, campaign) : undefined;
    ctx.status = 303;
    ctx.redirect(
      `${c && PUBLIC_STATES.includes(c.state) ? `/campaigns/${c.id}` : '/campaigns'}?signed_out=1`,
    );
  });
}
