// The instant sale's rush requests ahead of koa (routes/residentFastPath.ts): joining the queue, reading one's
// place (the request every waiting phone repeats) and buying. At an opening these are nearly all the traffic.

import { joinQueue, queueStatus } from '../../../commands/instant/queueStatus.js';
import type { AppDeps } from '../../deps.js';
import { campaignPath, type FastRoute } from '../residentFastPath.js';
import { joinerOf, placeAnswer, purchaseOverApi } from './api.js';

export function instantFastRoutes(deps: AppDeps): FastRoute[] {
  const queue = campaignPath('/queue');
  const route = '/api/campaigns/:id/queue';
  return [
    {
      method: 'GET',
      path: queue,
      route,
      body: 'none',
      run: async (who, id) => placeAnswer(await queueStatus(deps.instant, id, who.sub)),
    },
    {
      method: 'POST',
      path: queue,
      route,
      body: 'none',
      run: async (who, id) => placeAnswer(await joinQueue(deps.instant, id, joinerOf(who))),
    },
    {
      method: 'POST',
      path: campaignPath('/purchases'),
      route: '/api/campaigns/:id/purchases',
      body: 'json',
      run: (who, id, body, req) =>
        purchaseOverApi(deps, who, id, body, (h) => {
          const v = req.headers[h];
          return typeof v === 'string' && v ? v : undefined;
        }),
    },
  ];
}
