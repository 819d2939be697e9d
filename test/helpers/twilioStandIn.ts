// A local stand-in for Twilio's Messages API on 127.0.0.1: checks basic auth, answers with
// provider-shaped JSON, and can be told to answer 429, 500, an invalid number (21211) or not at all.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const STANDIN_SID = `AC${'0'.repeat(31)}1`;
export const STANDIN_TOKEN = 'standin-auth-token-0123456789';

export type Answer = 'ok' | '429' | '500' | '21211' | 'hang';

export interface AcceptedMessage {
  sid: string;
  to: string;
  from: string | undefined;
  messagingServiceSid: string | undefined;
  body: string;
  statusCallback: string | undefined;
  dateCreated: Date;
}

export interface TwilioStandIn {
  url: string;
  accepted: AcceptedMessage[];
  /** every POST that reached it, answered or not */
  requests: number;
  /** answers for the next POSTs, in order; afterwards 'ok' */
  plan(...answers: Answer[]): void;
  /** answer every POST this way until told otherwise (undefined = 'ok') */
  always(answer: Answer | undefined): void;
  /** a delay before each answer (the message counts as accepted before the delay, as at a real provider) */
  delayMs: number;
  close(): Promise<void>;
}

function twilioError(res: http.ServerResponse, status: number, code: number, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

function present(m: AcceptedMessage, sid: string) {
  return {
    account_sid: sid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: m.dateCreated.toUTCString(),
    date_sent: null,
    date_updated: m.dateCreated.toUTCString(),
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from ?? null,
    messaging_service_sid: m.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: 'queued',
    subresource_uris: { media: `/2010-04-01/Accounts/${sid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `/2010-04-01/Accounts/${sid}/Messages/${m.sid}.json`,
  };
}

export async function startTwilioStandIn(
  opts: { sid?: string; token?: string } = {},
): Promise<TwilioStandIn> {
  const sid = opts.sid ?? STANDIN_SID;
  const token = opts.token ?? STANDIN_TOKEN;
  const expectedAuth = `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;
  const queue: Answer[] = [];
  let standing: Answer | undefined;
  const hanging = new Set<http.ServerResponse>();
  const messagesPath = `/2010-04-01/Accounts/${sid}/Messages.json`;

  const state: TwilioStandIn = {
    url: '',
    accepted: [],
    requests: 0,
    delayMs: 0,
    plan: (...answers) => queue.push(...answers),
    always: (a) => {
      standing = a;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      if (req.headers.authorization !== expectedAuth) return twilioError(res, 401, 20003, 'Authenticate');
      if (url.pathname !== messagesPath)
        return twilioError(res, 404, 20404, 'The requested resource was not found');
      if (req.method === 'GET') {
        const to = url.searchParams.get('To');
        const size = Number(url.searchParams.get('PageSize') ?? 50);
        const found = state.accepted
          .filter((m) => !to || m.to === to)
          .reverse()
          .slice(0, size);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            messages: found.map((m) => present(m, sid)),
            end: Math.max(0, found.length - 1),
            first_page_uri: `${messagesPath}?PageSize=${size}&Page=0`,
            next_page_uri: null,
            page: 0,
            page_size: size,
            previous_page_uri: null,
            start: 0,
            uri: `${messagesPath}?PageSize=${size}&Page=0`,
          }),
        );
        return;
      }
      if (req.method !== 'POST') return twilioError(res, 405, 20004, 'Method not allowed');
      state.requests++;
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const answer = queue.shift() ?? standing ?? 'ok';
      if (answer === '429') return twilioError(res, 429, 20429, 'Too Many Requests');
      if (answer === '500') return twilioError(res, 500, 20500, 'Internal Server Error');
      const to = form.get('To') ?? '';
      if (answer === '21211' || !/^\+[1-9]\d{6,14}$/.test(to)) {
        return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      }
      const body = form.get('Body') ?? '';
      if (!body) return twilioError(res, 400, 21602, 'Message body is required.');
      const m: AcceptedMessage = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        to,
        from: form.get('From') ?? undefined,
        messagingServiceSid: form.get('MessagingServiceSid') ?? undefined,
        body,
        statusCallback: form.get('StatusCallback') ?? undefined,
        dateCreated: new Date(),
      };
      state.accepted.push(m);
      if (answer === 'hang') {
        hanging.add(res); // accepted, but the answer never comes: the caller's timeout decides
        return;
      }
      const reply = () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(present(m, sid)));
      };
      if (state.delayMs > 0) setTimeout(reply, state.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
