// POST /api/campaigns/:id/application with a resident token header, ahead of koa (routes/residentFastPath.ts):
// the request every applicant of a rush sends once.

import type { AppDeps } from '../../deps.js';
import { campaignPath, type FastRoute } from '../residentFastPath.js';
import { applyOverApi } from './api.js';

export function applyFastRoute(deps: AppDeps): FastRoute {
  return {
    method: 'POST',
    path: campaignPath('/application'),
    route: '/api/campaigns/:id/application',
    body: 'json',
    run: (who, campaignId, body) => applyOverApi(deps, who, campaignId, body),
  };
}
