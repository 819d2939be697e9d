// SMS through the official twilio client. TWILIO_API_BASE_URL points it at a stand-in (tests, benchmarks).
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient.js';
import { type ChannelAdapter, networkTemporaryError, PermanentError, TemporaryError } from './channel.js';
import { KeepAliveTwilioHttpClient } from './twilioHttp.js';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
  /** e.g. http://127.0.0.1:4010; the client's https://api.twilio.com origin is rewritten to it */
  apiBaseUrl?: string | undefined;
  /** where Twilio posts delivery status (PUBLIC_URL + /webhooks/twilio/status), or none */
  statusCallback?: string | undefined;
  timeoutMs: number;
  /** connections kept open to the provider (about the worker's concurrency); default 64 */
  maxSockets?: number;
}

// Errors about the message itself (https://www.twilio.com/docs/api/errors): sending it again fails again.
const PERMANENT_TWILIO_CODES = new Set([
  21211, // invalid 'To' number
  21212, // invalid 'From' number
  21214, // 'To' number cannot be reached
  21408, // no permission to send to this region
  21602, // message body is required
  21610, // recipient replied STOP
  21612, // cannot route to this number
  21614, // 'To' number is not a mobile number
  21617, // body exceeds 1600 characters
  21635, // 'To' number cannot be reached
  30003, // unreachable destination handset
  30005, // unknown destination handset
  30006, // landline or unreachable carrier
]);

class RedirectingRequestClient extends RequestClient {
  constructor(
    private readonly base: string | undefined,
    opts: ConstructorParameters<typeof RequestClient>[0],
  ) {
    super(opts);
  }
  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    if (this.base) {
      const uri = new URL(opts.uri);
      const target = new URL(this.base);
      uri.protocol = target.protocol;
      uri.host = target.host;
      opts = { ...opts, uri: uri.href };
    }
    return super.request(opts);
  }
}

export function classifyTwilioError(err: unknown): Error {
  const e = err as { status?: number; code?: number | string; message?: string };
  const network = networkTemporaryError(err);
  if (network) return network;
  if (typeof e?.status === 'number') {
    const code = typeof e.code === 'number' ? e.code : undefined;
    const label = code ? `twilio_${code}` : `http_${e.status}`;
    if (code && PERMANENT_TWILIO_CODES.has(code)) return new PermanentError(label, e.message ?? label);
    // 429 and 401 are refusals (nothing was created); a 5xx or 408 may have created it before failing.
    if (e.status === 429 || e.status === 401) return new TemporaryError(label, e.message ?? label);
    if (e.status >= 500 || e.status === 408)
      return new TemporaryError(label, e.message ?? label, { inDoubt: true });
    return new PermanentError(label, e.message ?? label);
  }
  if (/timeout/i.test(String(e?.message))) {
    return new TemporaryError('timeout', 'the provider did not answer in time', { inDoubt: true });
  }
  return err instanceof Error ? err : new Error(String(err));
}

export function twilioChannel(opts: TwilioOptions): ChannelAdapter {
  // The library's own axios client only where a proxy is configured (it honours HTTP_PROXY); otherwise a
  // plain keep-alive client: about a fifth less CPU per send.
  const light = process.env.HTTP_PROXY
    ? undefined
    : new KeepAliveTwilioHttpClient({
        timeoutMs: opts.timeoutMs,
        maxSockets: opts.maxSockets ?? 64,
        baseUrl: opts.apiBaseUrl,
      });
  // twilio types httpClient as its RequestClient class but calls only request(opts) on it.
  const httpClient =
    (light as unknown as RequestClient | undefined) ??
    new RedirectingRequestClient(opts.apiBaseUrl, { timeout: opts.timeoutMs, keepAlive: true });
  const client = twilio(opts.accountSid, opts.authToken, { httpClient, timeout: opts.timeoutMs });
  const sender = opts.messagingServiceSid
    ? { messagingServiceSid: opts.messagingServiceSid }
    : { from: opts.from as string };
  return {
    provider: 'twilio',
    async send(message) {
      try {
        const created = await client.messages.create({
          to: message.to,
          body: message.body,
          ...sender,
          ...(opts.statusCallback ? { statusCallback: opts.statusCallback } : {}),
        });
        return { providerId: created.sid };
      } catch (err) {
        throw classifyTwilioError(err);
      }
    },
    // Twilio has no idempotency key for sending; after a crash mid-call we look for a message to the
    // same number with the same body created since we marked it 'sending', and adopt it if found.
    async findAccepted(message, since) {
      try {
        const recent = await client.messages.list({ to: message.to, limit: 50 });
        const slack = 60_000; // the provider's clock and ours may disagree a little
        const match = recent.find(
          (m) =>
            m.body === message.body && m.dateCreated && m.dateCreated.getTime() >= since.getTime() - slack,
        );
        return match ? { providerId: match.sid } : undefined;
      } catch (err) {
        throw classifyTwilioError(err);
      }
    },
    async close() {
      light?.close();
    },
  };
}
