// /api/openapi.json describes every JSON route the app serves and nothing it does not (found by walking the
// router), and is a valid OpenAPI 3.1 document.
import { Validator } from '@seriousme/openapi-schema-validator';
import test from 'ava';
import { composeApp } from '../../src/compose.js';
import { createDb } from '../../src/db/knex.js';
import { buildRouter } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/deps.js';
import { openApiDocument } from '../../src/http/openapi/index.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { testConfig } from '../helpers/app.js';
import { SteppedClock } from '../helpers/clock.js';

// Building the router queries nothing, so no database: a pool that is never used.
const db = createDb('postgres://nobody@127.0.0.1:9/none', 1);
test.after.always(() => db.destroy());

/** The fullest app: not production (development routes) and with a payment provider (its webhook). */
function fullDeps(): AppDeps {
  return composeApp(testConfig(), db, {
    clock: new SteppedClock(),
    logger: createLogger('silent'),
    metrics: createMetrics({ defaults: false }),
  }).deps;
}

const JSON_ROUTE = /^\/(api|webhooks)\//;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** "POST /api/campaigns/{id}/application" for every JSON route of the router. */
function servedRoutes(deps: AppDeps): Set<string> {
  const out = new Set<string>();
  for (const layer of buildRouter(deps).stack) {
    const path = String(layer.path);
    if (!JSON_ROUTE.test(path)) continue;
    for (const m of layer.methods.filter((m) => METHODS.includes(m))) {
      out.add(`${m} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: the document is read as plain JSON
type Json = any;

function documentedRoutes(doc: Json): Set<string> {
  const out = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, object>)) {
    for (const m of Object.keys(ops)) out.add(`${m.toUpperCase()} ${path}`);
  }
  return out;
}

const documentOf = (deps: AppDeps) =>
  openApiDocument({ serverUrl: deps.config.publicUrl, paymentProvider: deps.payments?.provider.name });

test('every JSON route the router serves is documented, and every documented one is served', (t) => {
  const deps = fullDeps();
  const served = servedRoutes(deps);
  const documented = documentedRoutes(documentOf(deps));
  const missing = [...served].filter((r) => !documented.has(r));
  const extra = [...documented].filter((r) => !served.has(r));
  t.deepEqual(missing, [], `served but not in /api/openapi.json:\n${missing.join('\n')}`);
  t.deepEqual(extra, [], `in /api/openapi.json but served by no route:\n${extra.join('\n')}`);
  t.true(served.size >= 70, `the walk found only ${served.size} routes`);
  t.true(served.has('POST /webhooks/payments/dev'));
});

test('without payments configured the document leaves the payment webhook out, as the router does', (t) => {
  const deps = { ...fullDeps(), payments: undefined };
  t.false(servedRoutes(deps).has('POST /webhooks/payments/dev'));
  t.deepEqual(
    [...documentedRoutes(documentOf(deps))].filter((r) => r.includes('/webhooks/payments/')),
    [],
  );
});

test('the document is valid OpenAPI 3.1', async (t) => {
  const validator = new Validator();
  const res = await validator.validate(structuredClone(documentOf(fullDeps())));
  t.true(res.valid, JSON.stringify(res.errors, null, 2));
  t.is(validator.version, '3.1');
});

test('admin routes ask for a staff token, and each operation names its error codes', (t) => {
  const doc: Json = documentOf(fullDeps());
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (/^\/api\/(admin|audit)\//.test(path))
        t.deepEqual(op.security, [{ staffBearer: [] }, { staffCookie: [] }], where);
      t.true(Array.isArray(op['x-error-codes']), where);
      if (op.requestBody) t.true(op['x-error-codes'].includes('validation_failed'), where);
    }
  }
  const apply = doc.paths['/api/campaigns/{id}/application'].post;
  t.deepEqual(
    apply.responses['409'].content[
      'application/json'
    ].schema.allOf[1].properties.error.properties.code.enum.sort(),
    ['campaign_closed', 'campaign_not_open', 'conflict', 'duplicate_application', 'use_sale_queue'],
  );
});
