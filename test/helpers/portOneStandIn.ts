// A local stand-in for PortOne V2's payment API (pre-register, get, cancel) and its webhooks, on 127.0.0.1:
// the real @portone/server-sdk client is pointed at it with baseUrl. It checks the `PortOne <secret>` header,
// answers with PortOne-shaped JSON and errors, and can hang (a timeout), answer 500, a gateway's HTML page,
// a card company's failure (PG_PROVIDER) or an error without a type.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWebhook } from '../../src/payments/webhookSignature.js';

export const PORTONE_SECRET = 'standin-portone-api-secret';
export const PORTONE_STORE = 'store-00000000-0000-0000-0000-000000000001';
export const PORTONE_CHANNEL = 'channel-key-standin';
/** Standard Webhooks secrets are base64 after a whsec_ prefix */
export const PORTONE_WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

interface StoredPayment {
  id: string;
  status: 'READY' | 'PAID' | 'FAILED' | 'CANCELLED';
  total: number;
  paid: number;
  cancelled: number;
  requestedAt: string;
  paidAt?: string;
}

export interface PortOneStandIn {
  url: string;
  payments: Map<string, StoredPayment>;
  /** the payer paid (amount: what the gateway took, the pre-registered total by default) */
  pay(paymentId: string, amount?: number): void;
  decline(paymentId: string): void;
  /**
   * every API call until changed: 'ok', 'hang' (no answer), '500' (PortOne's INTERNAL), 'html' (a 502 page from
   * a proxy in front), 'pg' (502 PG_PROVIDER: the card company did not answer), 'untyped' (503 without a type)
   */
  mode: 'ok' | 'hang' | '500' | 'html' | 'pg' | 'untyped';
  /** what GET /payments/:id answers instead of the stored payment (shapes a test needs, e.g. a new status) */
  answers: Map<string, unknown>;
  calls: string[];
  /** signs and posts a webhook to the service, as PortOne does */
  sendWebhook(
    to: string,
    type: string,
    paymentId: string | undefined,
    o?: { id?: string; secret?: string },
  ): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function present(p: StoredPayment) {
  const now = new Date().toISOString();
  return {
    status: p.status,
    id: p.id,
    transactionId: `tx-${p.id}`,
    merchantId: 'merchant-standin',
    storeId: PORTONE_STORE,
    channel: {
      type: 'TEST',
      id: 'ch',
      key: PORTONE_CHANNEL,
      name: 'test',
      pgProvider: 'TOSSPAYMENTS',
      pgMerchantId: 'm',
    },
    version: 'V2',
    requestedAt: p.requestedAt,
    updatedAt: now,
    statusChangedAt: now,
    orderName: 'vouchers',
    amount: {
      total: p.total,
      taxFree: 0,
      discount: 0,
      paid: p.paid,
      cancelled: p.cancelled,
      cancelledTaxFree: 0,
    },
    currency: 'KRW',
    customer: {},
    disputes: [],
    ...(p.paidAt ? { paidAt: p.paidAt } : {}),
    ...(p.status === 'FAILED'
      ? { failedAt: now, failure: { reason: '잔액 부족', pgCode: 'INSUFFICIENT_FUNDS' } }
      : {}),
    ...(p.status === 'CANCELLED' ? { cancelledAt: now, cancellations: [] } : {}),
  };
}

export async function startPortOneStandIn(): Promise<PortOneStandIn> {
  const payments = new Map<string, StoredPayment>();
  const calls: string[] = [];
  const answers = new Map<string, unknown>();
  const state = { mode: 'ok' as PortOneStandIn['mode'] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      calls.push(`${req.method} ${url.pathname}`);
      if (state.mode === 'hang') return; // never answers
      if (state.mode === '500') return json(res, 500, { type: 'INTERNAL', message: 'standin failure' });
      if (state.mode === 'html') {
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      }
      if (state.mode === 'pg') {
        return json(res, 502, {
          type: 'PG_PROVIDER',
          pgCode: 'TIMEOUT',
          pgMessage: 'card company timed out',
        });
      }
      if (state.mode === 'untyped') return json(res, 503, { message: 'Service Unavailable' });
      if (req.headers.authorization !== `PortOne ${PORTONE_SECRET}`) {
        return json(res, 401, { type: 'UNAUTHORIZED', message: 'bad secret' });
      }
      const m = url.pathname.match(/^\/payments\/([^/]+)(\/pre-register|\/cancel)?$/);
      if (!m) return json(res, 404, { type: 'NOT_FOUND' });
      const id = decodeURIComponent(m[1]!);
      const p = payments.get(id);
      if (req.method === 'POST' && m[2] === '/pre-register') {
        const b = JSON.parse(body || '{}');
        if (p && p.status !== 'READY') return json(res, 409, { type: 'ALREADY_PAID', message: 'paid' });
        payments.set(id, {
          id,
          status: 'READY',
          total: b.totalAmount,
          paid: 0,
          cancelled: 0,
          requestedAt: new Date().toISOString(),
        });
        return json(res, 200, {});
      }
      if (req.method === 'GET' && !m[2] && answers.has(id)) return json(res, 200, answers.get(id));
      if (req.method === 'GET' && !m[2]) {
        if (!p) return json(res, 404, { type: 'PAYMENT_NOT_FOUND', message: 'no such payment' });
        return json(res, 200, present(p));
      }
      if (req.method === 'POST' && m[2] === '/cancel') {
        if (!p) return json(res, 404, { type: 'PAYMENT_NOT_FOUND' });
        if (p.status === 'CANCELLED') return json(res, 409, { type: 'PAYMENT_ALREADY_CANCELLED' });
        if (p.status !== 'PAID') return json(res, 409, { type: 'PAYMENT_NOT_PAID' });
        const b = JSON.parse(body || '{}');
        p.status = 'CANCELLED';
        p.cancelled = b.amount ?? p.paid;
        return json(res, 200, {
          cancellation: {
            status: 'SUCCEEDED',
            id: randomBytes(6).toString('hex'),
            totalAmount: p.cancelled,
            taxFreeAmount: 0,
            vatAmount: 0,
            reason: b.reason ?? '',
            requestedAt: new Date().toISOString(),
          },
        });
      }
      return json(res, 405, { type: 'METHOD_NOT_ALLOWED' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mark = (id: string, status: StoredPayment['status'], amount?: number) => {
    const p = payments.get(id) ?? {
      id,
      status: 'READY',
      total: amount ?? 0,
      paid: 0,
      cancelled: 0,
      requestedAt: new Date().toISOString(),
    };
    p.status = status;
    if (status === 'PAID') {
      p.paid = amount ?? p.total;
      p.total = p.paid;
      p.paidAt = new Date().toISOString();
    }
    payments.set(id, p);
  };
  return {
    url,
    payments,
    calls,
    answers,
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    pay: (id, amount) => mark(id, 'PAID', amount),
    decline: (id) => mark(id, 'FAILED'),
    async sendWebhook(to, type, paymentId, o = {}) {
      const body = JSON.stringify({
        type,
        timestamp: new Date().toISOString(),
        data: paymentId
          ? { paymentId, storeId: PORTONE_STORE, transactionId: `tx-${paymentId}` }
          : { storeId: PORTONE_STORE, billingKey: 'billing-key-standin' },
      });
      const secret = (o.secret ?? PORTONE_WEBHOOK_SECRET).replace(/^whsec_/, '');
      const headers = signWebhook(
        Buffer.from(secret, 'base64'),
        o.id ?? `msg_${randomBytes(8).toString('hex')}`,
        Math.floor(Date.now() / 1000),
        body,
      );
      const res = await fetch(to, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
