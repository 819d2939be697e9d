// The instant sale's rush requests ahead of koa (routes/residentFastPath.ts): joining the queue, reading one's
// place (the request every waiting phone repeats) and buying. At an opening these are nearly all the traffic.

import type { IncomingMessage } from 'node:http';
import type { AppDeps } from '../../deps.js';
import { campaignPath, type FastRoute } from '../residentFastPath.js';
import { joinOverApi, lookOverApi, purchaseOverApi } from './api.js';

/** A request header's one value, or undefined when absent or empty. */
const headerOf = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return typeof v === 'string' && v ? v : undefined;
};

export function instantFastRoutes(deps: AppDeps): FastRoute[] {
  const queue = campaignPath('/queue');
  const route = '/api/campaigns/:id/queue';
  return [
    {
      method: 'GET',
      path: queue,
      route,
      body: 'none',
      run: (who, id, _body, req) => lookOverApi(deps, who, id, headerOf(req, 'prefer')),
    },
    {
      method: 'POST',
      path: queue,
      route,
      body: 'optional',
      run: (who, id, body, req) => joinOverApi(deps, who, id, body, headerOf(req, 'prefer')),
    },
    {
      method: 'POST',
      path: campaignPath('/purchases'),
      route: '/api/campaigns/:id/purchases',
      body: 'json',
      run: (who, id, body, req) => purchaseOverApi(deps, who, id, body, (h) => headerOf(req, h)),
    },
  ];
}
