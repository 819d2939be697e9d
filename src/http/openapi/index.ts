// The OpenAPI 3.1 document of every JSON route (served at /api/openapi.json). Each area's operations sit in a
// file named after its route folder; test/http/openapi.test.ts walks the router and fails on a route missing here.
import { applicationOperations } from './applications.js';
import { auditOperations } from './audit.js';
import { campaignOperations } from './campaigns.js';
import { counterOperations } from './counter.js';
import { buildDocument } from './document.js';
import { drawOperations } from './draw.js';
import { identityOperations } from './identity.js';
import { instantOperations } from './instant.js';
import { intakeOperations } from './intake.js';
import { messageOperations } from './messages.js';
import type { Method, Operations } from './operation.js';
import { paymentOperations, paymentWebhookOperations } from './payments.js';
import { proxyOperations } from './proxies.js';
import { siteOperations } from './sites.js';
import { staffOperations } from './staff.js';
import { stockOperations } from './stock.js';
import { webhookOperations } from './webhooks.js';

const TAGS: Record<string, string> = {
  campaigns: 'Campaigns: public reads, admin writes and state changes',
  sites: 'Pickup sites',
  identity: 'Verifying a resident: one-time codes, OpenID Connect',
  applications: "A resident's application and its outcome",
  proxy: 'Helpers applying for others',
  draw: 'The verifiable draw: record, results, receipts, bundle, beacon',
  counter: 'Handing awards over at the pickup counter',
  stock: 'Stock and pickups per site',
  instant: 'The instant sale: queue, admission, purchase',
  payments: 'Paying for a voucher award',
  messages: 'Notices by SMS and email',
  audit: 'The hash-chained audit log',
  staff: 'Staff sessions and accounts',
  admin: 'Administration',
  webhooks: 'Calls from providers, signed',
  meta: 'This document',
};

const META: Operations = {
  '/api/openapi.json': {
    get: {
      summary: 'This document',
      tag: 'meta',
      caller: 'anyone',
      ok: { status: 200, description: 'OpenAPI 3.1' },
      errors: [],
    },
  },
};

/** Every operation this app serves; the payment webhook only when a provider is configured. */
export function allOperations(paymentProvider?: string): Operations {
  const out: Operations = {};
  const areas = [
    campaignOperations,
    siteOperations,
    identityOperations,
    applicationOperations,
    proxyOperations,
    drawOperations,
    counterOperations,
    stockOperations,
    instantOperations,
    paymentOperations,
    paymentWebhookOperations(paymentProvider),
    messageOperations,
    auditOperations,
    staffOperations,
    intakeOperations,
    webhookOperations,
    META,
  ];
  for (const area of areas) {
    for (const [path, ops] of Object.entries(area)) {
      for (const method of Object.keys(ops) as Method[]) {
        if (out[path]?.[method]) throw new Error(`${method.toUpperCase()} ${path} is described twice`);
      }
      out[path] = { ...out[path], ...ops };
    }
  }
  return out;
}

export function openApiDocument(o: { serverUrl: string; paymentProvider?: string | undefined }) {
  return buildDocument(allOperations(o.paymentProvider), o.serverUrl, TAGS);
}
