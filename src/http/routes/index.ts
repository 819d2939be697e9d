// Every route module, mounted in this order. Each module owns one resource.
import type Router from '@koa/router';
import type { AppDeps } from '../deps.js';
import { auditRoutes } from './audit/api.js';
import { auditPageRoutes } from './audit/pages.js';
import { adminCampaignPageRoutes } from './campaigns/adminPages.js';
import { campaignApiRoutes } from './campaigns/api.js';
import { campaignPageRoutes } from './campaigns/pages.js';
import { healthRoutes } from './health.js';
import { messageApiRoutes } from './messages/api.js';
import { devOutboxRoutes } from './messages/devOutbox.js';
import { twilioWebhookRoutes } from './messages/twilioWebhook.js';
import { siteApiRoutes } from './sites/api.js';
import { sitePageRoutes } from './sites/pages.js';
import { staffAuthRoutes } from './staff/auth.js';
import { staticRoutes } from './static/files.js';

export type RouteModule = (router: Router, deps: AppDeps) => void;

export const routeModules: RouteModule[] = [
  healthRoutes,
  staffAuthRoutes,
  campaignApiRoutes,
  siteApiRoutes,
  auditRoutes,
  staticRoutes,
  campaignPageRoutes,
  adminCampaignPageRoutes,
  sitePageRoutes,
  auditPageRoutes,
  messageApiRoutes,
  twilioWebhookRoutes,
  devOutboxRoutes,
];
