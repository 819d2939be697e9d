// Every route module, mounted in this order. Each module owns one resource.
import type Router from '@koa/router';
import type { AppDeps } from '../deps.js';
import { applicationApiRoutes } from './applications/api.js';
import { applicationPageRoutes } from './applications/pages.js';
import { auditRoutes } from './audit/api.js';
import { auditPageRoutes } from './audit/pages.js';
import { adminCampaignPageRoutes } from './campaigns/adminPages.js';
import { campaignApiRoutes } from './campaigns/api.js';
import { campaignPageRoutes } from './campaigns/pages.js';
import { slotPageRoutes } from './campaigns/slotPages.js';
import { counterApiRoutes } from './counter/api.js';
import { counterPageRoutes } from './counter/pages.js';
import { drawApiRoutes } from './draw/api.js';
import { drawPageRoutes } from './draw/pages.js';
import { healthRoutes } from './health.js';
import { identityAdminRoutes } from './identity/adminPages.js';
import { identityApiRoutes } from './identity/api.js';
import { oidcPageRoutes } from './identity/oidcPages.js';
import { portonePageRoutes } from './identity/portonePages.js';
import { residentSignOutRoutes } from './identity/signOutPages.js';
import { instantAdminPageRoutes } from './instant/adminPages.js';
import { instantApiRoutes } from './instant/api.js';
import { instantPageRoutes } from './instant/pages.js';
import { intakeRoutes } from './intake/api.js';
import { messageApiRoutes } from './messages/api.js';
import { devOutboxRoutes } from './messages/devOutbox.js';
import { messagePageRoutes } from './messages/pages.js';
import { twilioWebhookRoutes } from './messages/twilioWebhook.js';
import { openApiRoutes } from './openapi.js';
import { paymentAdminRoutes } from './payments/admin.js';
import { checkoutRoutes } from './payments/checkout.js';
import { paymentResidentRoutes } from './payments/resident.js';
import { paymentWebhookRoutes } from './payments/webhooks.js';
import { proxyAdminPageRoutes } from './proxies/adminPages.js';
import { proxyRoutes } from './proxies/api.js';
import { proxyPageRoutes } from './proxies/pages.js';
import { siteApiRoutes } from './sites/api.js';
import { siteImportRoutes } from './sites/importPages.js';
import { sitePageRoutes } from './sites/pages.js';
import { siteStaffPageRoutes } from './sites/staffPages.js';
import { staffAuthRoutes } from './staff/auth.js';
import { staticRoutes } from './static/files.js';
import { stockRoutes } from './stock/api.js';
import { devSmsRoutes } from './webhooks/devSms.js';
import { twilioInboundRoutes } from './webhooks/twilioInbound.js';

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
  slotPageRoutes,
  siteImportRoutes,
  sitePageRoutes,
  siteStaffPageRoutes,
  auditPageRoutes,
  messageApiRoutes,
  messagePageRoutes,
  twilioWebhookRoutes,
  devOutboxRoutes,
  identityApiRoutes,
  oidcPageRoutes,
  portonePageRoutes,
  residentSignOutRoutes,
  identityAdminRoutes,
  applicationApiRoutes,
  applicationPageRoutes,
  proxyRoutes,
  proxyPageRoutes,
  proxyAdminPageRoutes,
  twilioInboundRoutes,
  devSmsRoutes,
  intakeRoutes,
  openApiRoutes,
  drawApiRoutes,
  drawPageRoutes,
  counterApiRoutes,
  counterPageRoutes,
  stockRoutes,
  instantApiRoutes,
  instantPageRoutes,
  instantAdminPageRoutes,
  paymentResidentRoutes,
  paymentWebhookRoutes,
  checkoutRoutes,
  paymentAdminRoutes,
];
